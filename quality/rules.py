"""The reporting-rule suites: one Great Expectations suite per rule family.

Each family is evaluated by its dbt model (models/quality/qa_rule_eval_<family>.sql,
built by ``dbt build`` as ``quality.rule_eval_<family>``): one row per rule applied to a
figure (or report), with the numbers it compared, ``is_broken`` and a message in
Vietnamese and English. Great Expectations judges each family with one
UnexpectedRowsExpectation over the model's broken rows, so every break is a GX result in
quality.expectation_results and in Data Docs. The concrete rules are data: the seeds
reporting_rules, required_items and expected_reporters, and the catalog's ratios.
"""

from __future__ import annotations

from quality.gx_runner import ExpectationSpec, SuiteSpec

RULES_SCHEMA = "quality"
# the rule families of REPORTING_RULES.md, in its order, then consistency (a report does
# not contradict itself: docs/DAG_CONVENTIONS.md, "Rule families"); coverage is a `required` rule
# (required.expected_reporters) with an evaluation model of its own
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
    "consistency",
)
EVALUATIONS = (*FAMILIES, "coverage")


def evaluation_table(evaluation: str) -> str:
    """The table dbt builds for an evaluation (the alias of qa_rule_eval_<evaluation>)."""
    return f"rule_eval_{evaluation}"


def rule_family(evaluation: str) -> str:
    """The rule family an evaluation's rows carry in quality.rule_results."""
    return "required" if evaluation == "coverage" else evaluation


def broken_rows_query() -> str:
    """GX substitutes {batch} with the suite's table: the family's evaluation model."""
    return "select * from {batch} where is_broken"


def rule_suite(evaluation: str) -> SuiteSpec:
    if evaluation not in EVALUATIONS:
        raise ValueError(f"unknown rule evaluation {evaluation!r}; expected one of {EVALUATIONS}")
    table = evaluation_table(evaluation)
    return SuiteSpec(
        name=f"rules_{evaluation}",
        schema=RULES_SCHEMA,
        table=table,
        kind="rules",
        expectations=(
            ExpectationSpec(
                "unexpected_rows_expectation",
                {"unexpected_rows_query": broken_rows_query()},
                {
                    "rule_family": rule_family(evaluation),
                    "evaluation": evaluation,
                    "description": (
                        f"Every rule of {evaluation} holds (model "
                        f"{RULES_SCHEMA}.{table}) / Mọi quy tắc nhóm {evaluation} đều đạt"
                    ),
                },
            ),
        ),
    )


def rule_suites() -> tuple[SuiteSpec, ...]:
    return tuple(rule_suite(evaluation) for evaluation in EVALUATIONS)
