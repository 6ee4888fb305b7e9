"""The nightly job's run log.

Every `cchc run` appends one JSON line to ``<warehouse>.runs.jsonl`` beside the live
warehouse (failed runs too: the live warehouse itself is never written by a failed run),
and a successful run copies the whole journal into ``quality.pipeline_runs`` of the
warehouse it swaps in, so the log is queryable where the data is.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from cchc.secrets import redact


@dataclass
class RunRecord:
    run_id: str
    started_at: str
    finished_at: str | None = None
    status: str = "running"  # ok | failed
    failed_step: str | None = None
    reason: str | None = None
    step_seconds: dict[str, float] = field(default_factory=dict)
    documents: int | None = None
    table_rows: int | None = None
    facts: int | None = None
    findings: int | None = None


def journal_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".runs.jsonl")


def append(warehouse: Path, record: RunRecord) -> None:
    path = journal_path(warehouse)
    path.parent.mkdir(parents=True, exist_ok=True)
    fields = asdict(record)
    if fields.get("reason"):  # a reason may quote an error that names a URL
        fields["reason"] = redact(fields["reason"])
    line = json.dumps(fields, ensure_ascii=False) + "\n"
    with path.open("a+b") as fp:
        if fp.tell() > 0:
            fp.seek(-1, 2)
            if fp.read(1) != b"\n":  # a line cut off by a full disk or a kill
                line = "\n" + line
        fp.write(line.encode("utf-8"))
        fp.flush()
        os.fsync(fp.fileno())


def run_ids(warehouse: Path) -> set[str]:
    """The runs the journal already holds."""
    path = journal_path(warehouse)
    if not path.exists():
        return set()
    ids = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            ids.add(json.loads(line)["run_id"])
        except (ValueError, KeyError, TypeError):
            continue  # a line cut off by a full disk or a kill: not a run
    return ids


def opens_read_only(warehouse: Path) -> None:
    """Raise unless ``warehouse`` opens read-only and has its raw and marts tables."""
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        con.execute("select count(*) from raw.documents").fetchone()
        con.execute("select count(*) from marts.fct_indicator_value").fetchone()


def counts(warehouse: Path) -> dict[str, int]:
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        (documents,) = con.execute("select count(*) from raw.documents").fetchone()
        (rows,) = con.execute("select count(*) from raw.appendix_rows").fetchone()
        (facts,) = con.execute("select count(*) from marts.fct_indicator_value").fetchone()
        (findings,) = con.execute("select count(*) from quality.rule_results").fetchone()
    return {"documents": documents, "table_rows": rows, "facts": facts, "findings": findings}


def publish(warehouse: Path, journal: Path) -> None:
    """Copy the journal into quality.pipeline_runs of ``warehouse``, then CHECKPOINT it
    (nothing of the run stays in a write-ahead log beside the file)."""
    import duckdb

    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema if not exists quality")
        con.execute(
            """
            create or replace table quality.pipeline_runs as
            select
                run_id,
                cast(started_at as timestamp) as started_at,
                cast(finished_at as timestamp) as finished_at,
                status,
                failed_step,
                reason,
                step_seconds,
                documents,
                table_rows,
                facts,
                findings
            from read_json(?, format = 'newline_delimited', ignore_errors = true, columns = {
                run_id: 'varchar', started_at: 'varchar', finished_at: 'varchar',
                status: 'varchar', failed_step: 'varchar', reason: 'varchar',
                step_seconds: 'map(varchar, double)', documents: 'bigint',
                table_rows: 'bigint', facts: 'bigint', findings: 'bigint'
            })
            where run_id is not null  -- a line cut off by a kill or a full disk
            order by started_at
            """,
            [str(journal)],
        )
        con.execute("checkpoint")
