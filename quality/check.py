"""``cchc check``: run the suites, keep every outcome in quality.expectation_results.

The findings themselves (quality.rule_results, rule_evaluations, agency_report_quality,
report_coverage) are dbt models built by ``cchc build``; this step judges them with
Great Expectations and proves the two agree: for each rule family, the broken rows GX
reported equal the broken rows of the family's evaluation model and the family's rows in
quality.rule_results. A disagreement is an integrity failure (the job fails).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from quality.agency_pages import read_rows, write_agency_pages
from quality.docs_assets import BundleSummary, bundle_site
from quality.gx_runner import ExpectationOutcome, SuiteSpec, run_suites
from quality.rules import EVALUATIONS, RULES_SCHEMA, evaluation_table, rule_family
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

FINDINGS_TABLE = "rule_results"
#: where `make install` puts Data Docs' scripts and styles (quality.docs_assets)
DEFAULT_DOCS_ASSETS = Path(__file__).resolve().parents[1] / ".vendor" / "datadocs"
#: the outcome of the count check; not a GX expectation, so named for what it checks
COUNTS_CHECK = "rule_breaks_match_gx"


@dataclass(frozen=True)
class CheckSummary:
    outcomes: tuple[ExpectationOutcome, ...]
    findings: int = 0
    docs: BundleSummary | None = None  # Data Docs made offline (assets local)
    agency_pages: int = 0  # pages per agency written beside them

    @property
    def integrity_failures(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if o.kind == "integrity" and not o.success]


@dataclass(frozen=True)
class RuleCounts:
    """Broken rows per evaluation model, and findings per rule family, as built by dbt."""

    broken_by_evaluation: Mapping[str, int]
    findings_by_family: Mapping[str, int]

    @property
    def findings(self) -> int:
        return sum(self.findings_by_family.values())


def read_rule_counts(warehouse: Path, evaluations: Sequence[str]) -> RuleCounts:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        broken = {
            evaluation: con.execute(
                f"select count(*) from {RULES_SCHEMA}.{evaluation_table(evaluation)} "
                "where is_broken"
            ).fetchone()[0]
            for evaluation in evaluations
        }
        findings = dict(
            con.execute(
                f"select rule_family, count(*) from {RULES_SCHEMA}.{FINDINGS_TABLE} group by all"
            ).fetchall()
        )
    return RuleCounts(broken, findings)


def gx_broken_by_evaluation(outcomes: Sequence[ExpectationOutcome]) -> dict[str, int]:
    counted: dict[str, int] = {}
    for outcome in outcomes:
        if outcome.kind != "rules":
            continue
        evaluation = str(json.loads(outcome.meta_json).get("evaluation"))
        counted[evaluation] = counted.get(evaluation, 0) + (outcome.unexpected_count or 0)
    return counted


def count_mismatches(
    gx_broken: Mapping[str, int], counts: RuleCounts, families: Mapping[str, str]
) -> list[str]:
    """Where GX, the evaluation models and quality.rule_results disagree (empty: agree).
    ``families`` maps each evaluation GX ran to the rule family of its rows."""
    problems = [
        f"{evaluation}: GX found {gx_count} broken rules, "
        f"{RULES_SCHEMA}.{evaluation_table(evaluation)} has "
        f"{counts.broken_by_evaluation.get(evaluation, 0)}"
        for evaluation, gx_count in gx_broken.items()
        if counts.broken_by_evaluation.get(evaluation, 0) != gx_count
    ]
    by_family: dict[str, int] = {}
    for evaluation, gx_count in gx_broken.items():
        family = families[evaluation]
        by_family[family] = by_family.get(family, 0) + gx_count
    problems += [
        f"rule family {family}: GX found {gx_count} broken rules, "
        f"{RULES_SCHEMA}.{FINDINGS_TABLE} has {counts.findings_by_family.get(family, 0)}"
        for family, gx_count in by_family.items()
        if counts.findings_by_family.get(family, 0) != gx_count
    ]
    return problems


def counts_outcome(problems: Sequence[str], gx_broken: Mapping[str, int]) -> ExpectationOutcome:
    """The count check as an integrity outcome, kept beside GX's own results."""
    return ExpectationOutcome(
        suite_name="integrity_rule_findings",
        kind="integrity",
        schema=RULES_SCHEMA,
        table=FINDINGS_TABLE,
        expectation_type=COUNTS_CHECK,
        kwargs_json=json.dumps(dict(sorted(gx_broken.items()))),
        success=not problems,
        unexpected_count=len(problems),
        element_count=len(gx_broken),
        unexpected_sample_json=json.dumps(list(problems), ensure_ascii=False) if problems else None,
        exception_message=None,
        meta_json=json.dumps(
            {
                "description": (
                    "GX's broken rules per family equal the evaluation models' and "
                    "quality.rule_results' (checked by cchc check, not a GX expectation)"
                )
            }
        ),
    )


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
    docs_assets: Path | None = None,
) -> CheckSummary:
    """Run the suites; prove GX and the findings models agree; keep every outcome. The
    Data Docs in ``docs_dir`` are then made to work offline (their scripts and styles from
    ``docs_assets``, see quality.docs_assets) and the officers' pages per agency are
    written beside them (quality.agency_pages)."""
    chosen = all_suites() if suites is None else suites
    outcomes = list(run_suites(warehouse, chosen, docs_dir=docs_dir, run_name=run_id))
    findings = 0
    gx_broken = gx_broken_by_evaluation(outcomes)
    if gx_broken:
        known = {e: n for e, n in gx_broken.items() if e in EVALUATIONS}
        counts = read_rule_counts(warehouse, list(known))
        problems = [
            f"rule suite for {e!r}: not a rule evaluation of quality/rules.py"
            for e in gx_broken
            if e not in known
        ]
        problems += count_mismatches(known, counts, {e: rule_family(e) for e in known})
        outcomes.append(counts_outcome(problems, gx_broken))
        findings = counts.findings
    save_outcomes(warehouse, run_id, at, outcomes)
    pages = write_agency_pages(read_rows(warehouse), docs_dir)
    docs = bundle_site(docs_dir, docs_assets or DEFAULT_DOCS_ASSETS)
    return CheckSummary(tuple(outcomes), findings, docs, len(pages.pages))
