"""The expectation suites run by ``cchc check``.

Two kinds, kept apart (REPORTING_RULES.md): *integrity* suites say whether the
warehouse itself is right (a failure fails the job); *rules* suites say whether an
agency's report is right (a break is a finding, never a job failure).
"""

from __future__ import annotations

from ingest.cells import FIGURE_KINDS
from quality.gx_runner import ExpectationSpec, SuiteSpec
from quality.rules import rule_suites

FACT_KEY = ["document_id", "source_kind", "source_ref"]

# The census (issue 13): every cell of a table that ingest saw and recorded with its kind
# (raw.appendix_rows.value_kind, extra_cell_kinds; ingest.cells) is accounted for. A value
# cell of any table (a figure or not: an empty or a text cell is a fact too) reaches the
# fact table, and a figure ingest saw outside a value column is in a quarantined document
# (census_does_not_balance). Both read what ingest wrote (raw), so a figure a dbt layer
# drops is caught; source_ref is written once, by ingest, and compared as it is. Only a
# loss no document explains fails.
_FIGURE_KINDS = ", ".join(f"'{kind}'" for kind in sorted(FIGURE_KINDS))
_LOST_TABLE_FIGURES = """
with facts as (select * from {batch}),
seen as (
    select document_id, source_ref, source_line, value_column as column_name,
           value_text as cell_text, value_kind as cell_kind
    from raw.appendix_rows
    where value_column_no > 0
    union all
    select rows.document_id, null as source_ref, rows.source_line, kinds.key as column_name,
           null as cell_text, kinds.value ->> '$' as cell_kind
    from raw.appendix_rows as rows, json_each(rows.extra_cell_kinds) as kinds
    where rows.value_column_no <= 1 and kinds.value ->> '$' in (FIGURE_KINDS)
)
select seen.*
from seen
where seen.document_id not in (select document_id from quality.documents_quarantined)
  and not exists (
      select 1 from facts
      where facts.document_id = seen.document_id
        and facts.source_kind = 'table'
        and facts.source_ref = seen.source_ref
  )
""".replace("FIGURE_KINDS", _FIGURE_KINDS)

# In total: the census model counts every figure ingest recorded (none left out of it).
_CENSUS_TOTAL = """
with census as (select * from {batch}),
raw_figures as (
    select count(*) as figures
    from raw.appendix_rows
    where value_column_no > 0 and value_kind in (FIGURE_KINDS)
),
raw_other_figures as (
    select count(*) as figures
    from raw.appendix_rows as rows, json_each(rows.extra_cell_kinds) as kinds
    where rows.value_column_no <= 1 and kinds.value ->> '$' in (FIGURE_KINDS)
)
select raw_figures.figures + raw_other_figures.figures as figures_in_raw,
       (select coalesce(sum(figures_seen), 0) from census) as figures_in_census
from raw_figures, raw_other_figures
where raw_figures.figures + raw_other_figures.figures
      <> (select coalesce(sum(figures_seen), 0) from census)
""".replace("FIGURE_KINDS", _FIGURE_KINDS)

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
        name="integrity_table_census",
        schema="quality",
        table="table_census",
        kind="integrity",
        expectations=(
            ExpectationSpec(
                "expect_column_values_to_be_in_set",
                {"column": "figures_unaccounted", "value_set": [0]},
                {"description": "per document, every table figure is accounted for"},
            ),
            _unexpected_rows(
                _CENSUS_TOTAL,
                description="in total, the census counts every figure ingest recorded",
            ),
        ),
    ),
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
            _unexpected_rows(
                _LOST_TABLE_FIGURES,
                description="no table figure is lost: every cell the census saw is a fact "
                "or in a quarantined document",
            ),
            _unexpected_rows(_LOST_NARRATIVE_FIGURES, description="no stated figure is lost"),
        ),
    ),
)


def all_suites() -> tuple[SuiteSpec, ...]:
    """Integrity suites, then one reporting-rule suite per rule family's evaluation model."""
    return (*INTEGRITY_SUITES, *rule_suites())
