"""``python -m tools.benchmark --n 1000`` — the nightly at national scale, step by step.

On the first N reports of a national corpus (tools/corpus, ``--national``; generated
when missing, N + ADD reports so the night after can add ADD), it measures:

1. each step of a first night on its own — ``cchc ingest``, ``build``, ``check``,
   ``export``, ``dashboard`` — as the wall time, the CPU (user + system) of every process
   the step starts (resource.getrusage of the children it waited for), and the peak of
   the resident memory of all its processes together (the process tree's RSS summed,
   sampled every 0.1 s from /proc: shared pages count once per process, an upper bound);
2. the plain-DuckDB version of the build's core work on the same raw rows: parse the
   values, join the catalog and the units, roll the figures up per province and period
   with the ratios re-computed from their summed parts (one connection, no dbt);
3. the README's analyst queries (every ```sql block), 11 runs each, the median;
4. the next night: ADD more reports in the folder and ``cchc run`` (ingest, build,
   check, export, dashboard, built aside and switched in);
5. a full rebuild (as when the catalog changes: the remembered matches dropped, every
   text matched again) with ``cchc build`` on a copy of that warehouse.

It writes a markdown table (``--markdown FILE``, and stdout). Nothing here is a test:
the targets of issue 14 are compared in docs/BENCHMARKS.md, not asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
CCHC = Path(sys.executable).with_name("cchc")
_SQL_BLOCK = re.compile(r"^```sql\n(.*?)^```", re.DOTALL | re.MULTILINE)
PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class Measured:
    step: str
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    note: str = ""


# ---------------------------------------------------------------- measuring a command


def _children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _tree_rss(root: int) -> int:
    """Bytes resident in ``root`` and every process below it."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fp:
                fields = fp.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        rss[pid] = int(fields[21]) * PAGE
    total, stack = 0, [root]
    children: dict[int, list[int]] = {}
    for pid, parent in parents.items():
        children.setdefault(parent, []).append(pid)
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack += children.get(pid, [])
    return total


def measure(
    step: str, command: Sequence[str], env: dict[str, str], log: Path, *, must_pass: bool = True
) -> Measured:
    """Run ``command``; its wall, the CPU of it and its children, their peak RSS. A step
    that fails stops the benchmark, unless ``must_pass`` is false: then its row says why."""
    cpu_before, started, peak = _children(), time.monotonic(), 0
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        while process.poll() is None:
            peak = max(peak, _tree_rss(process.pid))
            time.sleep(0.1)
    wall = time.monotonic() - started
    cpu = _children() - cpu_before
    with (log.parent / "measured.txt").open("a", encoding="utf-8") as done:  # as it goes
        print(
            f"{step}: wall {wall:.1f} s, CPU {cpu:.1f} s, peak {peak / 2**20:.0f} MB, "
            f"exit {process.returncode}",
            file=done,
        )
    if process.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-1:]
        if must_pass:
            raise SystemExit(f"{step}: {' '.join(command)} failed: {' | '.join(tail)} (log {log})")
        return Measured(step, wall, cpu, peak / 2**20, f"FAILED: {' | '.join(tail)} ({log})")
    return Measured(step, wall, cpu, peak / 2**20)


# ---------------------------------------------------------------- the plain-DuckDB version

PLAIN_CORE_WORK = """
create or replace temp table plain_rollup as
with
folded_names as (
    select lower(strip_accents(trim(name_vi))) as text_key, indicator_code
    from raw.indicator_catalog
    union all
    select lower(strip_accents(trim(alias_text))), indicator_code from raw.indicator_aliases
),
names as (
    select text_key, min(indicator_code) as indicator_code from folded_names group by text_key
),
units as (
    select lower(strip_accents(trim(unit_text))) as unit_key,
           min(unit_code) as unit_code, min(multiplier) as multiplier
    from raw.unit_aliases group by 1
),
figures as (
    select
        documents.province_name, documents.period_type, documents.period_year,
        documents.period_number,
        lower(strip_accents(trim(rows.indicator_text))) as text_key,
        lower(strip_accents(trim(rows.unit_text))) as unit_key,
        try_cast(replace(replace(
            regexp_extract(rows.value_text, '[0-9][0-9.,]*'), '.', ''), ',', '.') as double)
            as value_number
    from raw.appendix_rows as rows
    inner join raw.documents as documents on rows.document_id = documents.document_id
),
matched as (
    select figures.*, names.indicator_code, units.unit_code,
           figures.value_number * coalesce(units.multiplier, 1) as value_canonical
    from figures
    left join names on figures.text_key = names.text_key
    left join units on figures.unit_key = units.unit_key
),
rolled as (
    select province_name, period_type, period_year, period_number, indicator_code,
           sum(value_canonical) as total, count(*) as figures
    from matched where indicator_code is not null
    group by all
),
ratios as (
    select numerators.province_name, numerators.period_type, numerators.period_year,
           numerators.period_number, catalog.indicator_code,
           100 * numerators.total / nullif(denominators.total, 0) as total,
           numerators.figures
    from raw.indicator_catalog as catalog
    inner join rolled as numerators on catalog.numerator_code = numerators.indicator_code
    inner join rolled as denominators
        on catalog.denominator_code = denominators.indicator_code
        and numerators.province_name = denominators.province_name
        and numerators.period_type = denominators.period_type
        and numerators.period_year = denominators.period_year
        and numerators.period_number is not distinct from denominators.period_number
)
select * from rolled union all select * from ratios
"""


def plain_duckdb(warehouse: Path) -> tuple[Measured, int]:
    """The build's core work as one plain DuckDB statement; (measured, rows read)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        facts = con.execute("select count(*) from raw.appendix_rows").fetchone()[0]
        cpu = resource.getrusage(resource.RUSAGE_SELF)
        started = time.monotonic()
        con.execute(PLAIN_CORE_WORK)
        wall = time.monotonic() - started
        after = resource.getrusage(resource.RUSAGE_SELF)
        rows = con.execute("select count(*) from plain_rollup").fetchone()[0]
    cpu_s = after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime
    note = f"{facts:,} table figures → {rows:,} province rows; {facts / wall:,.0f} figures/s"
    return Measured("plain DuckDB: the build's core work", wall, cpu_s, 0.0, note), facts


def analyst_queries(warehouse: Path, runs: int = 11) -> Measured:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    queries = [block.strip() for block in _SQL_BLOCK.findall(readme)]
    medians = []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for query in queries:
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                con.execute(query).fetchall()
                times.append(time.perf_counter() - started)
            medians.append(statistics.median(times))
    worst = max(medians)
    note = "p50 of each: " + ", ".join(f"{m * 1000:.1f}" for m in medians) + " ms"
    return Measured(f"README analyst queries ({len(queries)}), worst p50", worst, 0.0, 0.0, note)


# ---------------------------------------------------------------- the corpus


def corpus_files(corpus: Path) -> list[Path]:
    """The corpus's report files in the order they were generated (truth/documents.csv)."""
    import csv

    with (corpus / "truth" / "documents.csv").open(encoding="utf-8") as fp:
        return [corpus / "reports" / row["file"] for row in csv.DictReader(fp)]


def link_files(files: Sequence[Path], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for path in files:
        target = folder / path.name
        if not target.exists():
            os.link(path, target)


def ensure_corpus(corpus: Path, n: int, seed: int) -> None:
    if (corpus / "truth" / "documents.csv").exists():
        return
    from tools.corpus.generate import generate
    from tools.corpus.national import NATIONAL_FORMAT_MIX

    jobs = len(os.sched_getaffinity(0))
    print(f"generating a national corpus of {n} reports in {corpus} ({jobs} processes)…")
    generate(corpus, n, seed, NATIONAL_FORMAT_MIX, national=True, jobs=jobs)


def slowest_models(warehouse: Path, count: int = 5) -> str:
    """The build's slowest models, from dbt's run_results.json beside the warehouse."""
    results = warehouse.with_name(warehouse.name + ".d") / "dbt" / "target" / "run_results.json"
    if not results.exists():
        return ""
    nodes = json.loads(results.read_text(encoding="utf-8"))["results"]
    models = [n for n in nodes if n["unique_id"].startswith("model.")]
    total = sum(n["execution_time"] for n in nodes)
    top = sorted(models, key=lambda n: n["execution_time"], reverse=True)[:count]
    named = ", ".join(f"{n['unique_id'].split('.')[-1]} {n['execution_time']:.1f}" for n in top)
    return f"{len(nodes)} nodes, {total:.0f} s in them; slowest: {named}"


def _scalar(warehouse: Path, sql: str) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchone()[0]


# ---------------------------------------------------------------- the benchmark


def run(
    corpus: Path, n: int, add: int, work: Path, *, export: bool = True
) -> tuple[list[Measured], dict[str, str]]:
    files = corpus_files(corpus)
    if len(files) < n + add:
        raise SystemExit(f"{corpus} has {len(files)} reports; N + ADD = {n + add} needed")
    if work.exists():
        shutil.rmtree(work)
    reports, warehouse = work / "reports", work / "warehouse" / "cchc.duckdb"
    link_files(files[:n], reports)
    env = {**os.environ, "CCHC_OUTPUT_DIR": str(work / "out"), "CCHC_REPORTS": str(reports)}
    on = ["--warehouse", str(warehouse)]
    steps = [
        ("ingest", [str(CCHC), "ingest", *on, "--reports", str(reports)]),
        ("build", [str(CCHC), "build", *on]),
        ("check", [str(CCHC), "check", *on]),
        ("export", [str(CCHC), "export", *on]),
        ("dashboard", [str(CCHC), "dashboard", *on]),
    ]
    if not export:
        steps = [(step, cmd) for step, cmd in steps if step != "export"]
    # the later steps only read the warehouse: one that fails is reported, the rest goes on
    results = [
        measure(step, cmd, env, work / f"{step}.log", must_pass=step in ("ingest", "build"))
        for step, cmd in steps
    ]
    results[1] = replace(results[1], note=slowest_models(warehouse))
    counted = {
        "documents loaded": "raw.documents",
        "table figures (raw)": "raw.appendix_rows",
        "stated figures (raw)": "raw.narrative_facts",
        "facts (fct_indicator_value)": "marts.fct_indicator_value",
        "distinct texts matched": "intermediate.int_indicator_texts_matched",
    }
    info = {"reports": f"{n:,}"}
    info |= {
        key: f"{_scalar(warehouse, f'select count(*) from {t}'):,}" for key, t in counted.items()
    }
    info["warehouse size"] = f"{warehouse.stat().st_size / 2**20:,.0f} MB"
    plain, _ = plain_duckdb(warehouse)
    build = results[1]
    ratio = build.wall_s / plain.wall_s if plain.wall_s else float("inf")
    results.append(plain)
    info["build ÷ plain DuckDB (wall)"] = f"{ratio:,.0f} ×"
    results.append(analyst_queries(warehouse))

    link_files(files[n : n + add], reports)
    if export:
        night = measure(
            f"next night: +{add} reports, `cchc run`",
            [str(CCHC), "run", *on, "--reports", str(reports)],
            env,
            work / "nightly.log",
            must_pass=False,
        )
    else:  # `cchc run` always exports: the same steps one by one, on the warehouse itself
        parts = [
            measure(f"night {step}", cmd, env, work / f"night-{step}.log", must_pass=False)
            for step, cmd in steps
        ]
        night = Measured(
            f"next night: +{add} reports, the steps but export one by one",
            sum(p.wall_s for p in parts),
            sum(p.cpu_s for p in parts),
            max(p.peak_rss_mb for p in parts),
            "; ".join(
                f"{p.step.split()[-1]} {p.wall_s:.0f} s, {p.cpu_s:.0f} s CPU, "
                f"{p.peak_rss_mb:,.0f} MB" + (" (failed)" if p.note.startswith("FAILED") else "")
                for p in parts
            ),
        )
    results.append(night)

    rebuilt = work / "rebuild" / "cchc.duckdb"
    rebuilt.parent.mkdir(parents=True)
    shutil.copyfile(warehouse.resolve(), rebuilt)
    with duckdb.connect(str(rebuilt)) as con:
        con.execute("drop table if exists intermediate.int_indicator_texts_matched")
    results.append(
        measure(
            "full rebuild (every text matched again), `cchc build`",
            [str(CCHC), "build", "--warehouse", str(rebuilt)],
            env,
            work / "rebuild.log",
            must_pass=False,
        )
    )
    return results, info


def render(results: Sequence[Measured], info: dict[str, str], header: str) -> str:
    lines = [header, ""]
    lines += [f"- {key}: {value}" for key, value in info.items()]
    lines += ["", "| step | wall s | CPU s | peak RSS, all processes | notes |"]
    lines += ["|---|---|---|---|---|"]
    for m in results:
        wall = f"{m.wall_s * 1000:.1f} ms" if m.wall_s < 1 else f"{m.wall_s:.1f}"
        cpu = f"{m.cpu_s:.1f}" if m.cpu_s else "—"
        rss = f"{m.peak_rss_mb:,.0f} MB" if m.peak_rss_mb else "—"
        lines.append(f"| {m.step} | {wall} | {cpu} | {rss} | {m.note} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.benchmark", description=__doc__)
    parser.add_argument("--n", type=int, default=1000, help="reports of the first night")
    parser.add_argument("--add", type=int, default=700, help="reports the next night adds")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--corpus", type=Path, help="a national corpus of at least N + ADD")
    parser.add_argument("--work", type=Path, help="where to build (default /tmp/cchc-bench-N)")
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    parser.add_argument(
        "--no-export", action="store_true", help="leave `cchc export` out (the night too)"
    )
    args = parser.parse_args(argv)
    corpus = args.corpus or Path(f"/tmp/cchc-corpus-national{args.seed}-{args.n + args.add}")
    ensure_corpus(corpus, args.n + args.add, args.seed)
    work = args.work or Path(f"/tmp/cchc-bench-{args.n}")
    load = os.getloadavg()
    results, info = run(corpus, args.n, args.add, work, export=not args.no_export)
    info["machine"] = (
        f"{len(os.sched_getaffinity(0))} cores, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB; "
        f"load average {load[0]:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    )
    text = render(results, info, f"### {args.n:,} reports (+{args.add} the next night)")
    print(text)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
