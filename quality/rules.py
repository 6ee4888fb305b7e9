"""The reporting-rule suites: one SQL evaluation per rule family (quality/rules/*.sql).

Each evaluation returns one row per rule applied to a figure (or report), with the
numbers it compared, ``is_broken``, and a message in Vietnamese and English. Great
Expectations runs each family as an UnexpectedRowsExpectation over the broken rows;
the same SQL, run once more over the whole table, gives every finding and every check
(GX keeps only a sample of unexpected rows). The concrete rules are data: the seeds
reporting_rules, required_items and expected_reporters, and the catalog's ratios.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from quality.gx_runner import ExpectationSpec, SuiteSpec

RULES_DIR = Path(__file__).with_name("rules")
FACT_TABLE = ("marts", "fct_indicator_value")
# the rule families of REPORTING_RULES.md, in its order; coverage is a `required` rule
FAMILIES = (
    "ratio",
    "sum",
    "part_whole",
    "range",
    "unit",
    "required",
    "cumulative",
    "narrative",
    "cross_level",
)
EVALUATIONS = (*FAMILIES, "coverage")


@dataclass(frozen=True)
class Evaluation:
    name: str
    sql: str  # with GX's {batch} placeholder for the fact table

    @property
    def checked_sql(self) -> str:
        """Every check the family made; one whose inputs were missing is not broken."""
        return (
            "select * replace (coalesce(is_broken, false) as is_broken)\n"
            f"from (\n{self.sql}\n) as evaluation"
        )

    def broken_rows_query(self) -> str:
        return f"select * from (\n{self.checked_sql}\n) as checked where is_broken"

    def on_table(self) -> str:
        """The evaluation run directly on the fact table (outside GX), with the same
        substitution GX makes: {batch} filled in, doubled braces made single."""
        schema, table = FACT_TABLE
        return self.checked_sql.format(batch=f"{schema}.{table}")


_INCLUDE = re.compile(r"^-- include: (_[\w]+\.sql)$", re.MULTILINE)


def _with_includes(sql: str) -> str:
    """Shared CTEs live once, in quality/rules/_*.sql, and stand where a family writes
    "-- include: _name.sql"."""
    return _INCLUDE.sub(
        lambda match: (RULES_DIR / match.group(1)).read_text(encoding="utf-8").rstrip(), sql
    )


def load_evaluation(name: str) -> Evaluation:
    sql = _with_includes((RULES_DIR / f"{name}.sql").read_text(encoding="utf-8"))
    # GX substitutes {batch} as a bare subquery only when the query has a JOIN; every
    # evaluation aliases it and joins the rule seed, so the form is always the same
    if "{batch} as" not in sql or " join " not in sql.lower():
        raise ValueError(f"quality/rules/{name}.sql must alias {{batch}} and join its rules")
    return Evaluation(name, sql)


def rule_suite() -> SuiteSpec:
    schema, table = FACT_TABLE
    expectations = tuple(
        ExpectationSpec(
            "unexpected_rows_expectation",
            {"unexpected_rows_query": load_evaluation(name).broken_rows_query()},
            {"rule_family": "required" if name == "coverage" else name, "evaluation": name},
        )
        for name in EVALUATIONS
    )
    return SuiteSpec(
        name="reporting_rules",
        schema=schema,
        table=table,
        kind="rules",
        expectations=expectations,
    )
