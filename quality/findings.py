"""Findings users can query: quality.rule_results, rule_evaluations, agency_report_quality
and report_coverage, written from the rule evaluations that Great Expectations ran."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import duckdb

from quality.gx_runner import ExpectationOutcome
from quality.rules import EVALUATIONS, load_evaluation

_COMMON = (
    "rule_id, rule_family, severity, document_id, agency_key, period_key, indicator_code, "
    "reported_value, expected_value, source_lines, is_broken, message_vi, message_en"
)


class FindingsMismatch(RuntimeError):
    """GX and the direct evaluation disagree on how many rules are broken."""


def _evaluations_sql() -> str:
    parts = [
        f"select {_COMMON} from (\n{load_evaluation(name).on_table()}\n) as {name}_rows"
        for name in EVALUATIONS
    ]
    return "\nunion all\n".join(parts)


def write_findings(
    warehouse: Path, *, run_id: str, at: datetime, outcomes: Sequence[ExpectationOutcome]
) -> int:
    """Materialise the findings; returns how many rules are broken."""
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema if not exists quality")
        con.execute(
            f"""
            create or replace table quality.rule_evaluations as
            select evaluations.*, ? as check_run_id, cast(? as timestamp) as checked_at
            from ({_evaluations_sql()}) as evaluations
            """,
            [run_id, at],
        )
        _check_against_gx(con, outcomes)
        con.execute(
            """
            create or replace table quality.rule_results as
            select
                evaluations.rule_id,
                evaluations.rule_family,
                evaluations.severity,
                evaluations.document_id,
                documents.file_path,
                evaluations.agency_key,
                agency.full_name_vi as agency_name_vi,
                agency.name_en as agency_name_en,
                evaluations.period_key,
                period.label_vi as period_label_vi,
                period.label_en as period_label_en,
                evaluations.indicator_code,
                indicator.bnv_code,
                indicator.name_vi as indicator_name_vi,
                indicator.name_en as indicator_name_en,
                evaluations.reported_value,
                evaluations.expected_value,
                evaluations.source_lines,
                evaluations.message_vi,
                evaluations.message_en,
                coalesce(reviews.status, 'open') as review_status,
                reviews.note as review_note,
                reviews.reviewer,
                reviews.reviewed_on,
                evaluations.check_run_id,
                evaluations.checked_at
            from quality.rule_evaluations as evaluations
            left join raw.documents as documents
                on evaluations.document_id = documents.document_id
            left join marts.dim_agency as agency
                on evaluations.agency_key = agency.agency_key
            left join marts.dim_period as period
                on evaluations.period_key = period.period_key
            left join marts.dim_indicator as indicator
                on evaluations.indicator_code = indicator.indicator_code
            left join raw.finding_reviews as reviews
                on
                    evaluations.rule_id = reviews.rule_id
                    and evaluations.document_id is not distinct from reviews.document_id
                    and evaluations.indicator_code is not distinct from reviews.indicator_code
            where evaluations.is_broken
            order by evaluations.rule_family, documents.file_path, evaluations.source_lines
            """
        )
        con.execute(
            """
            create or replace table quality.agency_report_quality as
            select
                evaluations.agency_key,
                agency.full_name_vi as agency_name_vi,
                evaluations.period_key,
                period.label_vi as period_label_vi,
                count(*) as rules_checked,
                count(*) filter (where not evaluations.is_broken) as rules_passed,
                count(*) filter (where evaluations.is_broken) as rules_broken,
                count(*) filter (where evaluations.is_broken and evaluations.severity = 'error')
                    as errors,
                round(count(*) filter (where not evaluations.is_broken) / count(*), 4)
                    as share_passed
            from quality.rule_evaluations as evaluations
            left join marts.dim_agency as agency
                on evaluations.agency_key = agency.agency_key
            left join marts.dim_period as period
                on evaluations.period_key = period.period_key
            where evaluations.agency_key is not null
            group by all
            order by agency_name_vi, evaluations.period_key
            """
        )
        coverage = load_evaluation("coverage").on_table()
        con.execute(
            f"""
            create or replace table quality.report_coverage as
            select
                coverage.province_code,
                coverage.agency_name_vi,
                coverage.period_key,
                coverage.coverage_status,
                coverage.due_date,
                coverage.first_report_date as report_date,
                coverage.document_id
            from ({coverage}) as coverage
            order by coverage.province_code, coverage.agency_name_vi, coverage.period_key
            """
        )
        (broken,) = con.execute("select count(*) from quality.rule_results").fetchone()
    return int(broken)


def _check_against_gx(
    con: duckdb.DuckDBPyConnection, outcomes: Sequence[ExpectationOutcome]
) -> None:
    counted = dict(
        con.execute(
            """
            select rule_family, count(*) filter (where is_broken)
            from quality.rule_evaluations group by rule_family
            """
        ).fetchall()
    )
    by_gx: dict[str, int] = {}
    for outcome in outcomes:
        if outcome.kind != "rules":
            continue
        family = json.loads(outcome.meta_json).get("rule_family")
        by_gx[family] = by_gx.get(family, 0) + (outcome.unexpected_count or 0)
    for family, gx_count in by_gx.items():
        if counted.get(family, 0) != gx_count:
            raise FindingsMismatch(
                f"rule family {family}: GX found {gx_count} broken rules, the evaluation "
                f"{counted.get(family, 0)}"
            )
