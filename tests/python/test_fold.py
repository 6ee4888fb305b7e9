"""One fold of text for matching: Python's ``ingest.markup.fold`` and the SQL macro
``fold_text`` give the same result on every case of tests/cases/fold_cases.csv.

dbt proves the macro on the same file in tests/assert_fold_text_matches_cases.sql
(during ``dbt build``); here the macro is rendered with Jinja and run in DuckDB, so a
difference shows without a build.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import jinja2
import pytest

from ingest.markup import fold

ROOT = Path(__file__).resolve().parents[2]
CASES_FILE = ROOT / "tests" / "cases" / "fold_cases.csv"


def _cases() -> list[dict[str, str]]:
    with CASES_FILE.open(encoding="utf-8", newline="") as fp:
        return list(csv.DictReader(fp))


CASES = _cases()
IDS = [f"{c['case_id']}-{c['note'][:30]}" for c in CASES]


def _macro_sql(column: str) -> str:
    source = (ROOT / "macros" / "fold_text.sql").read_text(encoding="utf-8")
    return jinja2.Environment().from_string(source + "{{ fold_text('" + column + "') }}").render()


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_python_fold(case: dict[str, str]) -> None:
    assert fold(case["input"]) == case["folded"]


def test_the_sql_macro_folds_every_case_the_same() -> None:
    with duckdb.connect() as con:
        con.execute("create table cases (case_id integer, input varchar, folded varchar)")
        con.executemany(
            "insert into cases values (?, ?, ?)",
            [(int(c["case_id"]), c["input"], c["folded"]) for c in CASES],
        )
        differing = con.execute(
            f"select case_id, input, folded, {_macro_sql('input')} as actual from cases "
            f"where {_macro_sql('input')} is distinct from folded"
        ).fetchall()
    assert differing == []


def test_the_case_file_covers_what_the_fold_must_handle() -> None:
    inputs = "".join(c["input"] for c in CASES)
    for needed in ("đ", "Đ", "oá", "óa", "–", "—", "-", "TP.", "TP ", "\t", "\u00a0"):
        assert needed in inputs, f"fold_cases.csv has no case with {needed!r}"
