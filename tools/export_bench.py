"""Export at scale (docs/BENCHMARKS.md, "Exports at scale"): a copy of a built warehouse
whose facts, current facts and rule checks are repeated K times (each copy a new
document or check key, so keys stay unique), then one timed `export_warehouse` of it.

    .venv/bin/python -m tools.export_bench --warehouse W --times 220 --work /tmp/xb

prints the rows of each repeated table and the export's wall time, CPU time and peak
RSS (this process; the export runs in it). A development tool: it never touches W.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import time
from pathlib import Path

import duckdb

REPEATED = (
    ("marts", "fct_indicator_value", "document_id"),
    ("marts", "fct_indicator_value_current", "document_id"),
    ("quality", "rule_evaluations", "evaluation_key"),
)


def repeat_tables(warehouse: Path, times: int) -> dict[str, int]:
    """Each table of :data:`REPEATED` as ``times`` copies of itself, its key suffixed."""
    counts = {}
    with duckdb.connect(str(warehouse)) as con:
        for schema, table, key in REPEATED:
            relation = f"{schema}.{table}"
            con.execute(f"create or replace temp table base as select * from {relation}")
            con.execute(
                f"insert into {relation} select b.* replace (b.{key} || '-' || r.i as {key}) "
                f"from base as b, range(1, {times}) as r(i)"
            )
            counts[relation] = con.execute(f"select count(*) from {relation}").fetchone()[0]
        con.execute("checkpoint")
    return counts


def main() -> None:
    from cchc.export import export_warehouse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--times", type=int, default=1)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--manifest", type=Path)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    copy = args.work / "cchc.duckdb"
    shutil.copyfile(args.warehouse.resolve(), copy)
    counts = repeat_tables(copy, args.times) if args.times > 1 else {}
    for relation, rows in counts.items():
        print(f"{relation}: {rows:,} rows")
    project = Path(__file__).resolve().parents[1]
    wall, cpu = time.perf_counter(), time.process_time()
    summary = export_warehouse(
        copy, args.work / "exports", project_dir=project, manifest=args.manifest
    )
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"export: {summary.rows:,} rows, {len(summary.forms)} forms, {len(summary.letters)} "
        f"letters ({summary.written} written, {summary.reused} unchanged) in {wall:.1f} s "
        f"wall, {cpu:.1f} s CPU, peak RSS {peak:.0f} MB"
    )


if __name__ == "__main__":
    main()
