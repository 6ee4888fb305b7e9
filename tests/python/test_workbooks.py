"""Officer workbook and the Ministry's form (Phụ lục 02) filled from the session warehouse.

The forms' figures and comments, and the workbook's headers, are what users see: these
tests pin them on the sample reports (the SQL behind them is in models/marts/reporting/)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT, Built
from openpyxl.worksheet.worksheet import Worksheet

from cchc import manifest
from cchc.forms import FORM_TITLE, write_form_workbooks
from cchc.workbooks import put, slugify, write_officer_workbook

MARTS_YAML = ROOT / "models" / "marts" / "_marts__models.yml"
TQ_DEPARTMENT = "Sở Thông tin và Truyền thông tỉnh Tuyên Quang"
TQ_PROVINCE = "08@1900-01-01"
HALF_2022 = "half_year-2022-1"
SAMPLE_000 = "000_1bbab62c8031cf52.txt"


def bnv_sort_key(code: str) -> tuple[int, ...]:
    """``3.3.1.2`` → (3, 3, 1, 2): the form's order, to check rpt_form_items.form_order."""
    return tuple(int(part) if part.isdigit() else 10**6 for part in code.strip(".").split("."))


@pytest.fixture(scope="module")
def yaml_labels() -> dict[str, dict[str, str]]:
    return manifest.from_yaml([MARTS_YAML]).labels("vi")


@pytest.fixture(scope="module")
def officer(
    built: Built, tmp_path_factory: pytest.TempPathFactory, yaml_labels
) -> tuple[Path, int]:
    out = tmp_path_factory.mktemp("officer") / "cchc_officer.xlsx"
    rows = write_officer_workbook(built.warehouse, out, column_labels=yaml_labels)
    return out, rows


@pytest.fixture(scope="module")
def forms(built: Built, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_form_workbooks(built.warehouse, tmp_path_factory.mktemp("forms"))


def _header(sheet: Worksheet) -> dict[str, int]:
    """Technical column name (from the header comment) → column index."""
    return {cell.comment.text.split(" ")[0]: cell.column for cell in sheet[1] if cell.comment}


def _form_rows(path: Path) -> tuple[Worksheet, dict[str, int]]:
    sheet = openpyxl.load_workbook(path).active
    start = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "STT") + 2
    rows = {
        str(sheet.cell(r, 1).value): r
        for r in range(start, sheet.max_row + 1)
        if sheet.cell(r, 1).value is not None
    }
    return sheet, rows


# ----------------------------------------------------------------------------- labels


def test_labels_come_from_column_meta_with_the_name_as_fallback(tmp_path: Path) -> None:
    props = tmp_path / "models" / "marts" / "_x.yml"
    props.parent.mkdir(parents=True)
    props.write_text(
        """
version: 2
models:
  - name: m
    description: One row per thing.
    columns:
      - name: a
        description: English / Tiếng Việt.
        config: {meta: {label_vi: Nhãn A, label_en: Label A}}
      - name: b
        description: Only a description / Không có meta.
""",
        encoding="utf-8",
    )
    docs = manifest.from_yaml([props])
    assert docs.label("marts.m", "a") == "Nhãn A"
    assert docs.label("marts.m", "a", "en") == "Label A"
    # nothing is parsed out of descriptions: no meta, the column's name
    assert docs.label("marts.m", "b") == "b"
    assert docs.label("marts.unknown", "c") == "c"
    assert docs.comments()[("marts", "m")] == (
        "One row per thing.",
        {"a": "English / Tiếng Việt.", "b": "Only a description / Không có meta."},
    )


def test_every_mart_and_reporting_column_has_both_labels() -> None:
    paths = [MARTS_YAML, *sorted((ROOT / "models" / "marts" / "reporting").glob("_*.yml"))]
    docs = manifest.from_yaml(paths)
    assert any(name.startswith("marts.rpt_") for name in docs.models)
    for relation, model in docs.models.items():
        assert model.description, relation
        for name, column in model.columns.items():
            assert column.label_vi and column.label_en, f"{relation}.{name} has no meta labels"
            assert column.description, f"{relation}.{name} has no description"


def test_labels_from_yaml_cover_every_mart(yaml_labels) -> None:
    for table in ("dim_indicator", "dim_agency", "dim_period", "dim_province"):
        assert f"marts.{table}" in yaml_labels
    assert yaml_labels["marts.dim_province"]["province_code"] == "Mã tỉnh"
    fct = yaml_labels["marts.fct_indicator_value"]
    assert fct["value_numeric"] == "Giá trị theo đơn vị chuẩn"


def test_labels_from_manifest_match_the_yaml(built: Built, yaml_labels) -> None:
    assert built.manifest.exists(), "the nightly run keeps its build's manifest"
    labels = manifest.from_manifest(built.manifest).labels("vi")
    for table, columns in yaml_labels.items():
        assert labels[table] == columns, table


# --------------------------------------------------------------------- officer workbook


# marts and quality, without the reporting models (rpt_*) and the per-family rule
# evaluations (rule_eval_*: quality.rule_evaluations holds their rows)
ANALYST_TABLES = (
    "select table_schema, table_name from information_schema.tables "
    "where table_schema in ('marts', 'quality') and table_name not like 'rpt\\_%' escape '\\' "
    "and table_name not like 'rule\\_eval\\_%' escape '\\'"
)


def test_officer_workbook_has_a_sheet_per_table(built: Built, officer) -> None:
    path, rows = officer
    book = openpyxl.load_workbook(path)
    tables = built.query(ANALYST_TABLES)
    assert sorted(book.sheetnames) == sorted(t for (_, t) in tables)
    assert "fct_indicator_value" in book.sheetnames and "rule_results" in book.sheetnames
    # the reporting models feed the dashboard and the forms; they are not sheets
    assert built.scalar("select count(*) from marts.rpt_form_items") == 153
    assert not [name for name in book.sheetnames if name.startswith(("rpt_", "rule_eval_"))]
    assert all(len(name) <= 31 for name in book.sheetnames)
    expected = sum(built.scalar(f'select count(*) from "{s}"."{t}"') for s, t in tables)
    assert rows == expected
    fct = book["fct_indicator_value"]
    assert fct.max_row == built.scalar("select count(*) from marts.fct_indicator_value") + 1


def test_officer_headers_are_vietnamese_frozen_and_filtered(officer, yaml_labels) -> None:
    book = openpyxl.load_workbook(officer[0])
    fct = book["fct_indicator_value"]
    columns = _header(fct)
    header = fct.cell(1, columns["value_numeric"])
    assert header.value == "Giá trị theo đơn vị chuẩn"
    assert header.font.b
    assert (
        fct.cell(1, columns["source_line"]).value
        == yaml_labels["marts.fct_indicator_value"]["source_line"]
    )
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref, sheet.title
        assert all(cell.comment for cell in sheet[1]), sheet.title
    # quality tables have no dbt descriptions: the column name stands in
    assert _header(book["rule_results"])


def test_officer_number_formats(officer) -> None:
    book = openpyxl.load_workbook(officer[0])
    fct = book["fct_indicator_value"]
    columns = _header(fct)
    numeric = [
        fct.cell(r, columns["value_numeric"])
        for r in range(2, fct.max_row + 1)
        if fct.cell(r, columns["value_numeric"]).value is not None
    ]
    assert numeric and all(c.number_format == "#,##0.00" for c in numeric)
    integers = [
        fct.cell(r, columns["value_code"])
        for r in range(2, fct.max_row + 1)
        if fct.cell(r, columns["value_code"]).value is not None
    ]
    assert integers and all(c.number_format == "#,##0" for c in integers)
    period = book["dim_period"]
    start = period.cell(2, _header(period)["nominal_start_date"])
    assert start.number_format == "dd/mm/yyyy"
    # nested values are written as JSON text
    unmatched = book["mart_unmatched_rows"]
    candidates = [
        unmatched.cell(r, _header(unmatched)["closest_candidates"]).value
        for r in range(2, unmatched.max_row + 1)
    ]
    assert any(isinstance(v, str) and v.startswith("[") for v in candidates)


# ---------------------------------------------------------------------- form workbooks


def _form_path(forms: list[Path], built: Built, agency: str | None, province: str | None) -> Path:
    if agency:
        stem = f"form_{slugify(agency)}_{HALF_2022}.xlsx"
    else:
        name = built.scalar(
            "select name_vi from marts.dim_province where province_key = ?", [province]
        )
        stem = f"form_tinh-{slugify(name)}_{HALF_2022}.xlsx"
    matches = [p for p in forms if p.name == stem]
    assert matches, (stem, [p.name for p in forms])
    return matches[0]


def test_forms_are_written_per_agency_and_province(built: Built, forms) -> None:
    assert all(p.parent.name == "forms" and p.exists() for p in forms)
    agencies = built.scalar(
        """
        select count(distinct (f.agency_key, f.period_key))
        from marts.fct_indicator_value_current f
        join marts.dim_indicator i using (indicator_key)
        join marts.dim_period d using (period_key)
        where f.scope = 'agency' and i.bnv_code is not null and d.period_type <> 'plan'
          and f.figure_kind = 'actual'
          and (f.value_numeric is not null or f.value_code is not null
               or f.value_text is not null)
        """
    )
    provinces = built.scalar(
        """
        select count(distinct (m.province_key, m.period_key))
        from marts.mart_province_indicator m join marts.dim_indicator i using (indicator_key)
        join marts.dim_period d using (period_key)
        where i.bnv_code is not null and d.period_type <> 'plan'
        """
    )
    assert len(forms) == agencies + provinces
    assert len({p.name for p in forms}) == len(forms)
    assert not [p for p in forms if "_plan-" in p.name]


def test_agency_form_is_the_ministry_form_in_its_order(built: Built, forms) -> None:
    agency = built.scalar(
        "select full_name_vi from marts.dim_agency where full_name_vi = ?", [TQ_DEPARTMENT]
    )
    sheet, rows = _form_rows(_form_path(forms, built, agency, None))
    texts = [sheet.cell(r, 1).value for r in range(1, 8)]
    assert FORM_TITLE in texts
    caption = " ".join(str(sheet.cell(r, 1).value) for r in range(1, 6))
    assert TQ_DEPARTMENT in caption and "6 tháng đầu năm 2022" in caption
    header = [sheet.cell(r, c).value for r in range(1, 10) for c in range(1, 6)]
    for title in ("STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú"):
        assert title in header

    codes = [
        c
        for (c,) in built.query(
            "select bnv_code from marts.dim_indicator where bnv_code is not null"
        )
    ]
    assert len(codes) == 153
    assert list(rows) == sorted(codes, key=bnv_sort_key)
    assert list(rows)[:4] == ["1", "1.1", "1.2", "1.2.1"]

    row = rows["3.1.4"]
    assert sheet.cell(row, 4).value == 45
    assert sheet.cell(row, 3).value == "Thủ tục hành chính"
    comment = sheet.cell(row, 4).comment.text
    assert SAMPLE_000 in comment and "dòng 502" in comment

    # 7.6.2.1 is a count written as "100%": left as written, never turned into 100
    assert sheet.cell(rows["7.6.2.1"], 4).value in (None, "100%")

    # sections (depth 1-2) bold, items not
    for code in ("1", "3", "3.1", "7.6"):
        assert sheet.cell(rows[code], 1).font.b and sheet.cell(rows[code], 2).font.b, code
    for code in ("3.1.4", "7.6.2.1"):
        assert not sheet.cell(rows[code], 2).font.b, code

    # not reported stays empty, never 0
    assert sheet.cell(rows["1.3.2"], 4).value is None
    assert sheet.cell(rows["1.3.2"], 4).comment is None
    # a code figure is its code, with the label beside it
    assert sheet.cell(rows["7.4"], 4).value == 2
    assert "Hoàn thành" in sheet.cell(rows["7.4"], 5).value
    assert "= 2" in sheet.cell(rows["7.4"], 3).value


def test_every_filled_figure_has_a_source(built: Built, forms) -> None:
    for path in forms:
        sheet, rows = _form_rows(path)
        filled = [r for r in rows.values() if sheet.cell(r, 4).value is not None]
        assert filled, path.name
        for r in filled:
            comment = sheet.cell(r, 4).comment
            assert comment is not None, (path.name, sheet.cell(r, 1).value)
            assert "Nguồn:" in comment.text or "Cơ sở:" in comment.text


def test_province_form_for_tuyen_quang(built: Built, forms) -> None:
    sheet, rows = _form_rows(_form_path(forms, built, None, TQ_PROVINCE))
    assert len(rows) == 153
    caption = " ".join(str(sheet.cell(r, 1).value) for r in range(1, 6))
    assert "Tuyên Quang" in caption and "6 tháng đầu năm 2022" in caption
    cell = sheet.cell(rows["7.6.4.1"], 4)
    assert cell.value == 65454
    assert cell.number_format == "#,##0"
    assert "sector_report" in cell.comment.text
    assert "Số cơ quan báo cáo: 1" in cell.comment.text
    assert SAMPLE_000 in cell.comment.text
    # a ratio re-computed at province level says so
    assert "recomputed" in sheet.cell(rows["7.6.4"], 4).comment.text


def test_text_starting_with_equals_stays_text(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    put(book.active, 1, 1, "= 1 (Hoàn thành)")
    book.save(tmp_path / "t.xlsx")
    cell = openpyxl.load_workbook(tmp_path / "t.xlsx").active["A1"]
    assert cell.value == "= 1 (Hoàn thành)" and cell.data_type == "s"
