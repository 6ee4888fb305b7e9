"""``cchc check``: run the suites, keep every outcome in quality.expectation_results."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from quality.findings import write_findings
from quality.gx_runner import ExpectationOutcome, SuiteSpec, run_suites
from quality.suites import all_suites

RESULTS_DDL = """
create schema if not exists quality;
create table if not exists quality.expectation_results (
    check_run_id varchar not null,
    checked_at timestamp not null,
    suite_name varchar not null,
    kind varchar not null,
    schema_name varchar not null,
    table_name varchar not null,
    expectation_type varchar not null,
    kwargs_json varchar,
    success boolean not null,
    unexpected_count bigint,
    element_count bigint,
    unexpected_sample_json varchar,
    exception_message varchar,
    meta_json varchar
);
"""


@dataclass(frozen=True)
class CheckSummary:
    outcomes: tuple[ExpectationOutcome, ...]
    findings: int = 0

    @property
    def integrity_failures(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if o.kind == "integrity" and not o.success]


def save_outcomes(
    warehouse: Path, run_id: str, at: datetime, outcomes: Sequence[ExpectationOutcome]
) -> None:
    import pandas as pd

    rows = []
    for outcome in outcomes:
        record = asdict(outcome)
        rows.append(
            {
                "check_run_id": run_id,
                "checked_at": at,
                "suite_name": record["suite_name"],
                "kind": record["kind"],
                "schema_name": record["schema"],
                "table_name": record["table"],
                "expectation_type": record["expectation_type"],
                "kwargs_json": record["kwargs_json"],
                "success": record["success"],
                "unexpected_count": record["unexpected_count"],
                "element_count": record["element_count"],
                "unexpected_sample_json": record["unexpected_sample_json"],
                "exception_message": record["exception_message"],
                "meta_json": record["meta_json"],
            }
        )
    frame = pd.DataFrame(rows)  # noqa: F841 (read by SQL below)
    with duckdb.connect(str(warehouse)) as con:
        con.execute(RESULTS_DDL)
        if rows:
            con.execute("insert into quality.expectation_results by name select * from frame")


def check_warehouse(
    warehouse: Path,
    *,
    docs_dir: Path,
    run_id: str,
    at: datetime,
    suites: Sequence[SuiteSpec] | None = None,
) -> CheckSummary:
    """Run the suites; keep every outcome; materialise the reporting-rule findings."""
    chosen = all_suites() if suites is None else suites
    outcomes = run_suites(warehouse, chosen, docs_dir=docs_dir, run_name=run_id)
    save_outcomes(warehouse, run_id, at, outcomes)
    findings = 0
    if any(suite.kind == "rules" for suite in chosen):
        findings = write_findings(warehouse, run_id=run_id, at=at, outcomes=outcomes)
    return CheckSummary(tuple(outcomes), findings)
