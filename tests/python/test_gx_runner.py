"""The GX runner against a real DuckDB file: planted violations are reported, errors are loud.

One GX run (module-scoped fixture) covers the pass/fail checks; the error cases need their
own runs, which are fast once great_expectations is imported (the import alone takes 5-7 s).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from quality.gx_runner import (
    ExpectationOutcome,
    ExpectationSpec,
    GxEvaluationError,
    SuiteSpec,
    SuiteSpecError,
    run_suites,
)

# marts.orders is dirty on purpose: order_id 1 twice, a NULL customer, a 101.5 percent,
# an order paid more than billed (order 2) and a customer (Giang) with no order.
# marts.customers is clean.
SETUP_SQL = """
create schema marts;
create table marts.orders (
    order_id integer, customer varchar, billed decimal(10, 2), paid decimal(10, 2),
    pct_done double
);
insert into marts.orders values
    (1, 'An',   100, 80,  50.0),
    (1, 'Bình', 200, 150, 20.0),
    (2, null,   50,  60,  101.5),
    (3, 'Chi',  70,  70,  0.0),
    (4, 'Dũng', 10,  5,   100.0);
create table marts.customers (name varchar, province varchar);
insert into marts.customers values
    ('An', 'Tuyên Quang'), ('Bình', 'Hà Giang'), ('Chi', 'Lào Cai'),
    ('Dũng', 'Yên Bái'), ('Giang', 'Cao Bằng');
"""

RUN_NAME = "pytest-run"


def _spec(rule_id: str, expectation_type: str, **kwargs: object) -> ExpectationSpec:
    return ExpectationSpec(expectation_type, kwargs, {"rule_id": rule_id})


def _sql_rule(rule_id: str, sql: str, description: str) -> ExpectationSpec:
    return ExpectationSpec(
        "unexpected_rows_expectation",
        {"unexpected_rows_query": sql},
        {"rule_id": rule_id, "description": description},
    )


ORDERS_INTEGRITY = SuiteSpec(
    name="integrity_marts_orders",
    schema="marts",
    table="orders",
    kind="integrity",
    expectations=(
        _spec("dup_order_id", "expect_column_values_to_be_unique", column="order_id"),
        _spec("null_customer", "expect_column_values_to_not_be_null", column="customer"),
        _spec("order_id_not_null", "expect_column_values_to_not_be_null", column="order_id"),
        _spec(
            "pct_range",
            "expect_column_values_to_be_between",
            column="pct_done",
            min_value=0,
            max_value=100,
        ),
        _spec(
            "billed_ge_paid",
            "expect_column_pair_values_A_to_be_greater_than_B",
            column_A="billed",
            column_B="paid",
            or_equal=True,
        ),
        _spec(
            "order_customer_unique",
            "expect_compound_columns_to_be_unique",
            column_list=["order_id", "customer"],
        ),
        _spec("row_count", "expect_table_row_count_to_equal", value=5),
    ),
)

ORDERS_RULES = SuiteSpec(
    name="rules_marts_orders",
    schema="marts",
    table="orders",
    kind="rules",
    expectations=(
        _sql_rule(
            "overpaid",
            "select * from {batch} where paid > billed",
            "Số tiền đã trả không vượt số tiền phải trả",
        ),
        # GX substitutes {batch} as "(select ...)" when the query has a JOIN (alias it
        # yourself) and as "(select ...) AS subselect" otherwise (do not alias it).
        _sql_rule(
            "customer_without_order",
            """
            select c.* from marts.customers as c
            left join {batch} as o on o.customer = c.name
            where o.order_id is null
            """,
            "Mọi khách hàng đều có đơn",
        ),
        _sql_rule(
            "customer_without_order_not_exists",
            """
            select c.* from marts.customers as c
            where not exists (select 1 from {batch} where customer = c.name)
            """,
            "Mọi khách hàng đều có đơn (not exists)",
        ),
        _sql_rule("negative_billed", "select * from {batch} where billed < 0", "Không âm"),
    ),
)

CUSTOMERS_INTEGRITY = SuiteSpec(
    name="integrity_marts_customers",
    schema="marts",
    table="customers",
    kind="integrity",
    expectations=(
        _spec("customer_name_unique", "expect_column_values_to_be_unique", column="name"),
        _spec("customer_name_not_null", "expect_column_values_to_not_be_null", column="name"),
        _spec(
            "province_set",
            "expect_column_values_to_be_in_set",
            column="province",
            value_set=["Tuyên Quang", "Hà Giang", "Lào Cai", "Yên Bái", "Cao Bằng"],
        ),
    ),
)

SUITES = (ORDERS_INTEGRITY, ORDERS_RULES, CUSTOMERS_INTEGRITY)

# rule_id -> unexpected_count of each planted violation.
EXPECTED_FAILURES = {
    "dup_order_id": 2,  # both rows carrying order_id 1
    "null_customer": 1,
    "pct_range": 1,
    "billed_ge_paid": 1,
    "overpaid": 1,
    "customer_without_order": 1,
    "customer_without_order_not_exists": 1,
}
EXPECTED_SUCCESSES = {
    "order_id_not_null",
    "order_customer_unique",
    "row_count",
    "negative_billed",
    "customer_name_unique",
    "customer_name_not_null",
    "province_set",
}


def _rule_id(outcome: ExpectationOutcome) -> str:
    return json.loads(outcome.meta_json)["rule_id"]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("warehouse") / "cchc.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(SETUP_SQL)
    return path


@pytest.fixture(scope="module")
def gx_run(tmp_path_factory: pytest.TempPathFactory, warehouse: Path) -> dict:
    """One run_suites call over all suites, from an empty working directory."""
    docs_dir = tmp_path_factory.mktemp("docs") / "site"
    workdir = tmp_path_factory.mktemp("cwd")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(workdir)
        started = time.perf_counter()
        outcomes = run_suites(warehouse, SUITES, docs_dir=docs_dir, run_name=RUN_NAME)
        elapsed = time.perf_counter() - started
    print(f"run_suites: {len(outcomes)} outcomes in {elapsed:.2f} s (incl. GX import if first)")
    return {
        "outcomes": outcomes,
        "by_rule": {_rule_id(o): o for o in outcomes},
        "docs_dir": docs_dir,
        "workdir": workdir,
    }


def test_one_outcome_per_expectation_in_spec_order(gx_run: dict) -> None:
    expected = [
        (suite.name, suite.kind, suite.schema, suite.table, spec.meta["rule_id"])
        for suite in SUITES
        for spec in suite.expectations
    ]
    got = [(o.suite_name, o.kind, o.schema, o.table, _rule_id(o)) for o in gx_run["outcomes"]]
    assert got == expected
    assert set(EXPECTED_FAILURES) | EXPECTED_SUCCESSES == {row[-1] for row in expected}


def test_no_outcome_carries_an_exception(gx_run: dict) -> None:
    assert [o for o in gx_run["outcomes"] if o.exception_message is not None] == []


@pytest.mark.parametrize(("rule_id", "count"), sorted(EXPECTED_FAILURES.items()))
def test_planted_violation_is_reported(gx_run: dict, rule_id: str, count: int) -> None:
    outcome = gx_run["by_rule"][rule_id]
    assert outcome.success is False
    assert outcome.unexpected_count == count
    assert outcome.unexpected_sample_json is not None
    assert len(json.loads(outcome.unexpected_sample_json)) == count


@pytest.mark.parametrize("rule_id", sorted(EXPECTED_SUCCESSES))
def test_clean_check_succeeds(gx_run: dict, rule_id: str) -> None:
    outcome = gx_run["by_rule"][rule_id]
    assert outcome.success is True
    assert outcome.unexpected_count in (0, None)


def test_column_checks_report_element_count(gx_run: dict) -> None:
    assert gx_run["by_rule"]["null_customer"].element_count == 5
    assert gx_run["by_rule"]["customer_name_unique"].element_count == 5
    assert gx_run["by_rule"]["row_count"].observed_value_json == "5"


def test_samples_show_the_offending_values(gx_run: dict) -> None:
    by_rule = gx_run["by_rule"]
    assert json.loads(by_rule["dup_order_id"].unexpected_sample_json) == [1, 1]
    assert json.loads(by_rule["pct_range"].unexpected_sample_json) == [101.5]
    (overpaid,) = json.loads(by_rule["overpaid"].unexpected_sample_json)
    assert overpaid["order_id"] == 2
    for rule_id in ("customer_without_order", "customer_without_order_not_exists"):
        (lonely,) = json.loads(by_rule[rule_id].unexpected_sample_json)
        assert lonely == {"name": "Giang", "province": "Cao Bằng"}
    assert by_rule["negative_billed"].unexpected_sample_json is None


def test_kwargs_and_meta_round_trip_as_json(gx_run: dict) -> None:
    outcome = gx_run["by_rule"]["pct_range"]
    assert json.loads(outcome.kwargs_json) == {
        "column": "pct_done",
        "min_value": 0,
        "max_value": 100,
    }
    rule = gx_run["by_rule"]["overpaid"]
    assert json.loads(rule.meta_json)["description"] == "Số tiền đã trả không vượt số tiền phải trả"


def test_data_docs_show_every_suite(gx_run: dict) -> None:
    index = gx_run["docs_dir"] / "index.html"
    assert index.is_file()
    html = index.read_text(encoding="utf-8")
    for suite in SUITES:
        assert suite.name in html
    assert RUN_NAME in html


def test_run_leaves_no_files_behind_and_releases_the_warehouse(
    gx_run: dict, warehouse: Path
) -> None:
    assert list(gx_run["workdir"].iterdir()) == []  # no great_expectations/ or gx/ folder
    # A read-write open in this process fails while any read-only connection is still open.
    with duckdb.connect(str(warehouse)) as con:
        assert con.execute("select count(*) from marts.orders").fetchone() == (5,)


def test_missing_table_raises(warehouse: Path) -> None:
    suite = SuiteSpec(
        name="integrity_marts_nowhere",
        schema="marts",
        table="nowhere",
        kind="integrity",
        expectations=(_spec("x", "expect_column_values_to_not_be_null", column="id"),),
    )
    with pytest.raises(GxEvaluationError, match=r"marts\.nowhere"):
        run_suites(warehouse, [CUSTOMERS_INTEGRITY, suite], docs_dir=None, run_name="missing")


def test_unevaluable_expectations_raise_with_outcomes(warehouse: Path, tmp_path: Path) -> None:
    broken = SuiteSpec(
        name="integrity_marts_orders_broken",
        schema="marts",
        table="orders",
        kind="integrity",
        expectations=(
            _sql_rule("bad_sql", "select * from {batch} join marts.nope using (order_id)", "x"),
            _spec("typo_column", "expect_column_values_to_not_be_null", column="custmer"),
            _spec("fine", "expect_column_values_to_not_be_null", column="order_id"),
            _sql_rule("fine_sql", "select * from {batch} where billed < 0", "y"),
            _sql_rule("failing_sql", "select * from {batch} where paid > billed", "z"),
        ),
    )
    with pytest.raises(GxEvaluationError, match="could not be evaluated") as caught:
        run_suites(warehouse, [broken], docs_dir=tmp_path / "docs", run_name="broken")
    by_rule = {_rule_id(o): o for o in caught.value.outcomes}
    assert list(by_rule) == ["bad_sql", "typo_column", "fine", "fine_sql", "failing_sql"]
    assert "nope" in by_rule["bad_sql"].exception_message
    assert "custmer" in by_rule["typo_column"].exception_message
    assert by_rule["typo_column"].success is False
    # One broken query must not poison the others (DuckDB aborts the open transaction).
    for rule_id in ("fine", "fine_sql", "failing_sql"):
        assert by_rule[rule_id].exception_message is None
    assert by_rule["fine"].success is True
    assert by_rule["fine_sql"].success is True
    assert by_rule["failing_sql"].success is False
    assert by_rule["failing_sql"].unexpected_count == 1


def test_without_the_duckdb_fix_gx_fails_and_the_runner_says_so(
    warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Proves the GX trap is real here, and that it surfaces as an error, not as failures."""
    from great_expectations.execution_engine import sqlalchemy_execution_engine as engine_module

    import quality.duckdb_dialect as dialect

    without_duckdb = tuple(
        d
        for d in engine_module._PERSISTED_CONNECTION_DIALECTS
        if str(getattr(d, "value", d)) != dialect.DUCKDB_DIALECT
    )
    monkeypatch.setattr(engine_module, "_PERSISTED_CONNECTION_DIALECTS", without_duckdb)
    monkeypatch.setattr(dialect, "enable_duckdb_persisted_connection", lambda: None)
    with pytest.raises(GxEvaluationError, match="list index out of range"):
        run_suites(warehouse, [CUSTOMERS_INTEGRITY], docs_dir=None, run_name="unfixed")


def test_duckdb_fix_is_idempotent() -> None:
    from great_expectations.execution_engine import sqlalchemy_execution_engine as engine_module

    from quality.duckdb_dialect import (
        duckdb_persisted_connection_enabled,
        enable_duckdb_persisted_connection,
    )

    enable_duckdb_persisted_connection()
    first = engine_module._PERSISTED_CONNECTION_DIALECTS
    enable_duckdb_persisted_connection()
    assert engine_module._PERSISTED_CONNECTION_DIALECTS is first
    assert duckdb_persisted_connection_enabled()
    assert sum(str(getattr(d, "value", d)) == "duckdb" for d in first) == 1
    # What GX itself checks: StaticPool for duckdb URLs, and the kept-open connection.
    assert engine_module._dialect_requires_persisted_connection(connection_string="duckdb:///x")
    assert "duckdb" in engine_module._PERSISTED_CONNECTION_DIALECTS
    assert "postgresql" not in engine_module._PERSISTED_CONNECTION_DIALECTS


def test_unknown_expectation_type_is_a_spec_error(warehouse: Path) -> None:
    suite = SuiteSpec(
        name="integrity_typo",
        schema="marts",
        table="customers",
        kind="integrity",
        expectations=(ExpectationSpec("expect_column_values_to_be_uniq", {"column": "name"}),),
    )
    with pytest.raises(SuiteSpecError, match="expect_column_values_to_be_uniq"):
        run_suites(warehouse, [suite], docs_dir=None, run_name="typo")


def test_spec_validation_needs_no_gx(warehouse: Path, tmp_path: Path) -> None:
    with pytest.raises(SuiteSpecError):
        SuiteSpec("s", "marts", "orders; drop table x", "integrity", ())
    with pytest.raises(SuiteSpecError):
        SuiteSpec("s", "marts", "orders", "other", ())  # type: ignore[arg-type]
    with pytest.raises(SuiteSpecError, match="duplicate suite name"):
        run_suites(warehouse, [ORDERS_RULES, ORDERS_RULES], docs_dir=None, run_name="dup")
    with pytest.raises(FileNotFoundError):
        run_suites(tmp_path / "absent.duckdb", SUITES, docs_dir=None, run_name="absent")
    listed = SuiteSpec("s", "marts", "orders", "rules", [ORDERS_RULES.expectations[0]])  # type: ignore[arg-type]
    assert listed.expectations == (ORDERS_RULES.expectations[0],)


def test_importing_the_runner_does_not_import_gx() -> None:
    code = (
        "import sys, quality.gx_runner, quality.duckdb_dialect; "
        "sys.exit('great_expectations' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
