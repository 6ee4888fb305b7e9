"""The expectation suites run by ``cchc check``.

Two kinds, kept apart (REPORTING_RULES.md): *integrity* suites say whether the
warehouse itself is right (a failure fails the job); *rules* suites say whether an
agency's report is right (a break is a finding, never a job failure).
"""

from __future__ import annotations

from quality.gx_runner import ExpectationSpec, SuiteSpec
from quality.rules import rule_suites

FACT_KEY = ["document_id", "source_kind", "source_ref"]

# Every value cell of an indicator or cross-tab table reaches the fact table. Both checks
# read what ingest wrote (raw), so a figure a dbt layer drops is caught; source_ref is
# written once, by ingest, and compared as it is. A quarantined document's figures are
# accounted for (quality.documents_quarantined): only a loss no document explains fails.
_LOST_TABLE_FIGURES = """
with facts as (select * from {batch})
select raw_rows.*
from raw.appendix_rows as raw_rows
where raw_rows.table_kind in ('indicators', 'crosstab')
  and raw_rows.document_id not in (select document_id from quality.documents_quarantined)
  and not exists (
      select 1 from facts
      where facts.document_id = raw_rows.document_id
        and facts.source_kind = 'table'
        and facts.source_ref = raw_rows.source_ref
  )
"""

# Every figure stated in a sentence reaches the fact table.
_LOST_NARRATIVE_FIGURES = """
with facts as (select * from {batch})
select narrative.*
from raw.narrative_facts as narrative
where narrative.document_id not in (select document_id from quality.documents_quarantined)
  and not exists (
    select 1 from facts
    where facts.document_id = narrative.document_id
      and facts.source_kind = 'narrative'
      and facts.source_ref = narrative.source_ref
)
"""


def _unexpected_rows(sql: str, **meta: str) -> ExpectationSpec:
    return ExpectationSpec("unexpected_rows_expectation", {"unexpected_rows_query": sql}, meta)


INTEGRITY_SUITES: tuple[SuiteSpec, ...] = (
    SuiteSpec(
        name="integrity_fct_indicator_value_current",
        schema="marts",
        table="fct_indicator_value_current",
        kind="integrity",
        expectations=(
            ExpectationSpec(
                "expect_compound_columns_to_be_unique",
                {"column_list": ["agency_key", "period_key", "indicator_key", "scope"]},
                {"description": "one current figure per agency, period, indicator and scope"},
            ),
        ),
    ),
    SuiteSpec(
        name="integrity_fct_indicator_value",
        schema="marts",
        table="fct_indicator_value",
        kind="integrity",
        expectations=(
            ExpectationSpec(
                "expect_compound_columns_to_be_unique",
                {"column_list": FACT_KEY},
                {"description": "one row per reported figure"},
            ),
            ExpectationSpec("expect_column_values_to_not_be_null", {"column": "document_id"}, {}),
            ExpectationSpec("expect_column_values_to_not_be_null", {"column": "source_line"}, {}),
            ExpectationSpec(
                "expect_column_values_to_be_in_set",
                {"column": "scope", "value_set": ["agency", "province"]},
                {},
            ),
            _unexpected_rows(_LOST_TABLE_FIGURES, description="no table figure is lost"),
            _unexpected_rows(_LOST_NARRATIVE_FIGURES, description="no stated figure is lost"),
        ),
    ),
)


def all_suites() -> tuple[SuiteSpec, ...]:
    """Integrity suites, then one reporting-rule suite per rule family's evaluation model."""
    return (*INTEGRITY_SUITES, *rule_suites())
