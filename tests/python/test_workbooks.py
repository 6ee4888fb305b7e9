"""Officer workbook and the Ministry's form (Phụ lục 02) filled from the session warehouse.

The forms' figures and comments, and the workbook's headers, are what users see: these
tests pin them on the sample reports (the SQL behind them is in models/marts/reporting/)."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT, Built
from openpyxl.worksheet.worksheet import Worksheet

from cchc import manifest
from cchc.export import Reuse, read_index
from cchc.forms import FORM_TITLE, write_form_workbooks
from cchc.workbooks import (
    NOTE_SHEET,
    OFFICER_LEFT_OUT,
    put,
    slugify,
    split_counts,
    write_officer_workbook,
)

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
def officer(built: Built, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """The workbook as `cchc export` writes it: labels from the build's manifest."""
    out = tmp_path_factory.mktemp("officer") / "cchc_officer.xlsx"
    labels = manifest.from_manifest(built.manifest).labels("vi")
    rows = write_officer_workbook(built.warehouse, out, column_labels=labels)
    return out, rows


@pytest.fixture(scope="module")
def officer_book(officer) -> openpyxl.Workbook:
    """The officers' workbook, loaded once for the tests that read it."""
    return openpyxl.load_workbook(officer[0])


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


def test_officer_workbook_has_a_sheet_per_table(built: Built, officer, officer_book) -> None:
    _, rows = officer
    book = officer_book
    tables = [(s, t) for s, t in built.query(ANALYST_TABLES) if (s, t) not in OFFICER_LEFT_OUT]
    assert book.sheetnames[0] == NOTE_SHEET
    assert sorted(book.sheetnames[1:]) == sorted(t for (_, t) in tables)
    assert "fct_indicator_value_current" in book.sheetnames and "rule_results" in book.sheetnames
    # every version of every figure is the analysts' (CSV, Parquet), not a sheet
    assert "fct_indicator_value" not in book.sheetnames
    # the reporting models feed the dashboard and the forms; they are not sheets
    assert built.scalar("select count(*) from marts.rpt_form_items") == 153
    assert not [name for name in book.sheetnames if name.startswith(("rpt_", "rule_eval_"))]
    assert all(len(name) <= 31 for name in book.sheetnames)
    expected = sum(built.scalar(f'select count(*) from "{s}"."{t}"') for s, t in tables)
    assert rows == expected
    fct = book["fct_indicator_value_current"]
    assert fct.max_row == built.scalar("select count(*) from marts.fct_indicator_value_current") + 1


def test_officer_headers_are_vietnamese_frozen_and_filtered(officer_book, yaml_labels) -> None:
    book = officer_book
    fct = book["fct_indicator_value_current"]
    columns = _header(fct)
    header = fct.cell(1, columns["value_numeric"])
    assert header.value == "Giá trị theo đơn vị chuẩn"
    assert header.font.b
    assert (
        fct.cell(1, columns["source_line"]).value
        == yaml_labels["marts.fct_indicator_value_current"]["source_line"]
    )
    for sheet in book.worksheets[1:]:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref, sheet.title
        assert all(cell.comment for cell in sheet[1]), sheet.title
        # print set-up: landscape, one page wide, the header row on every page
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert sheet.print_title_rows == "$1:$1", sheet.title
        assert all(sheet.column_dimensions[c.column_letter].width for c in sheet[1])
        # no English snake_case header: every header is a label, not a column name
        assert not [c.value for c in sheet[1] if c.value == c.comment.text.split(" ")[0]], (
            sheet.title
        )
    assert _header(book["rule_results"])


def test_officer_number_formats(officer_book) -> None:
    book = officer_book
    fct = book["fct_indicator_value_current"]
    columns = _header(fct)
    numeric = [
        fct.cell(r, columns["value_numeric"])
        for r in range(2, fct.max_row + 1)
        if fct.cell(r, columns["value_numeric"]).value is not None
    ]
    kinds = {c.row: fct.cell(c.row, columns["value_type"]).value for c in numeric}
    # by the indicator's value type: percent with a written %, counts with separators
    percents = [c for c in numeric if kinds[c.row] == "Tỷ lệ %"]
    counts = [c for c in numeric if kinds[c.row] == "Số lượng" and float(c.value).is_integer()]
    assert percents and all(c.number_format.endswith('" %"') for c in percents)
    assert counts and all(c.number_format == "#,##0" for c in counts)
    codes = [
        fct.cell(r, columns["value_code"])
        for r in range(2, fct.max_row + 1)
        if fct.cell(r, columns["value_code"]).value is not None
    ]
    assert codes and all(c.number_format == "0" for c in codes)  # codes plain
    period = book["dim_period"]
    start = period.cell(2, _header(period)["nominal_start_date"])
    assert start.number_format == "dd/mm/yyyy"
    # years plain (2018, never 2.018)
    assert period.cell(2, _header(period)["period_year"]).number_format == "0"
    # a share 0–1 as percent with two decimals: 0.9913 → 99,13 % (Vietnamese separators);
    # which shares the samples give moves with every rule family added, so: some fraction
    quality = book["agency_report_quality"]
    share = [
        quality.cell(r, _header(quality)["share_passed"]) for r in range(2, quality.max_row + 1)
    ]
    assert any(0 < c.value < 1 and round(c.value, 4) == c.value for c in share)
    assert all(c.number_format == "0.00 %" for c in share)
    # nested values are written as JSON text
    unmatched = book["mart_unmatched_rows"]
    candidates = [
        unmatched.cell(r, _header(unmatched)["closest_candidates"]).value
        for r in range(2, unmatched.max_row + 1)
    ]
    assert any(isinstance(v, str) and v.startswith("[") for v in candidates)


HEX_KEY = re.compile(r"[0-9a-f]{32}|[0-9a-f]{64}")


def test_officer_workbook_shows_words_and_names_not_codes_and_keys(
    built: Built, officer_book
) -> None:
    book = officer_book
    labels = dict(
        built.query("select column_name || '|' || code, label_vi from marts.rpt_value_labels")
    )
    codes_by_column: dict[str, set[str]] = {}
    for key in labels:
        column, code = key.split("|", 1)
        codes_by_column.setdefault(column, set()).add(code)
    for sheet in book.worksheets[1:]:
        rows = sheet.iter_rows(values_only=True)
        next(rows)
        for row in rows:
            for value in row:
                if isinstance(value, str):
                    assert not HEX_KEY.fullmatch(value), (sheet.title, value)
    coverage = book["report_coverage"]
    column = _header(coverage)["coverage_status"]
    statuses = {coverage.cell(r, column).value for r in range(2, coverage.max_row + 1)}
    assert "Chưa gửi" in statuses
    assert not statuses & codes_by_column["coverage_status"]  # never `missing`, `on time`
    results = book["rule_results"]
    severity = {
        results.cell(r, _header(results)["severity"]).value for r in range(2, results.max_row + 1)
    }
    assert severity <= {"Lỗi", "Cảnh báo"}
    # agencies by name; the English columns and run ids are not an officer's
    assert "agency_key" not in _header(results) and "agency_name_vi" in _header(results)
    assert not [c for c in _header(results) if c.endswith("_en") or c == "dbt_invocation_id"]
    figures = book["fct_indicator_value_current"]
    agencies = {
        figures.cell(r, _header(figures)["agency_key"]).value for r in range(2, figures.max_row + 1)
    }
    assert TQ_DEPARTMENT in agencies


@pytest.mark.parametrize(
    ("rows", "limit", "expected"),
    [(0, 10, [0]), (9, 10, [9]), (10, 10, [9, 1]), (27, 10, [9, 9, 9]), (28, 10, [9, 9, 9, 1])],
)
def test_split_counts(rows: int, limit: int, expected: list[int]) -> None:
    assert split_counts(rows, limit) == expected


def test_a_table_over_the_row_limit_is_split_or_left_out_with_a_note(
    built: Built, tmp_path: Path, yaml_labels
) -> None:
    """A small row limit in place of Excel's: no sheet is longer, nothing is cut."""
    agencies = built.scalar("select count(*) from marts.dim_agency")
    current = built.scalar("select count(*) from marts.fct_indicator_value_current")
    limit = current // 2 + 2  # the current figures need 2 sheets
    assert agencies > 2 * (limit - 1)  # every expected agency needs more than 2: left out
    out = tmp_path / "small.xlsx"
    written = write_officer_workbook(
        built.warehouse, out, column_labels=yaml_labels, max_rows=limit, max_sheets_per_table=2
    )
    book = openpyxl.load_workbook(out)
    assert all(sheet.max_row <= limit for sheet in book.worksheets[1:])
    parts = ["fct_indicator_value_current", "fct_indicator_value_current (2)"]
    assert all(name in book.sheetnames for name in parts)
    assert sum(book[name].max_row - 1 for name in parts) == current
    assert "dim_agency" not in book.sheetnames
    notes = {row[1]: row for row in book[NOTE_SHEET].iter_rows(min_row=3, values_only=True)}
    assert notes["marts.fct_indicator_value_current"][0] == ", ".join(parts)
    assert "Chia thành 2 trang tính" in notes["marts.fct_indicator_value_current"][4]
    left_out = notes["marts.dim_agency"]
    assert left_out[0] == "—" and left_out[3] == agencies
    assert "Không đưa vào sổ" in left_out[4] and "giới hạn 2 trang" in left_out[4]
    assert "exports/csv/marts.dim_agency.csv" in left_out[4]
    # every version's figures are never a sheet: the note says where they are
    versions = notes["marts.fct_indicator_value"]
    assert versions[0] == "—" and "exports/csv/marts.fct_indicator_value.csv" in versions[4]
    assert written == sum(row[3] for row in notes.values() if row[0] != "—")


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


def _caption(path: Path) -> str:
    sheet = openpyxl.load_workbook(path).active
    return str(sheet.cell(3, 1).value)


def test_province_form_says_whose_figures_it_holds(built: Built, forms) -> None:
    # Tuyên Quang, 6 months 2022: one department's sector report, not the province's
    half = _form_path(forms, built, None, TQ_PROVINCE)
    caption = _caption(half)
    assert "Số liệu toàn tỉnh" not in caption
    assert f"số liệu của {TQ_DEPARTMENT}" in caption
    sheet, rows = _form_rows(half)
    comment = sheet.cell(rows["7.6.4.1"], 4).comment.text
    assert f"Số liệu của {TQ_DEPARTMENT}" in comment
    # the standard structure (precise-rules): the provincial committee, its office and
    # the 16 departments of the 63-province era — 18 expected, the department one of them
    assert "Số cơ quan báo cáo: 1 / 18 cơ quan phải báo cáo" in comment
    # Q1 2023: the province's own report — the whole province's figures
    quarter = [p for p in forms if p.name == "form_tinh-tuyen-quang_quarter-2023-1.xlsx"]
    assert quarter and _caption(quarter[0]).startswith("Số liệu toàn tỉnh: Tỉnh Tuyên Quang")


def test_form_rows_are_as_tall_as_their_wrapped_labels(built: Built, forms) -> None:
    sheet, rows = _form_rows(_form_path(forms, built, TQ_DEPARTMENT, None))
    heights = {code: sheet.row_dimensions[row].height for code, row in rows.items()}
    names = {code: str(sheet.cell(row, 2).value) for code, row in rows.items()}
    long = max(names, key=lambda code: len(names[code]))
    short = min(names, key=lambda code: len(names[code]))
    assert len(names[long]) > 70 * 1.1 * 2  # wraps onto 3 lines or more in column B (70)
    assert heights[long] >= 3 * 15 and heights[short] == 15
    assert all(h is not None for h in heights.values())


def test_unchanged_forms_are_not_written_again(built: Built, tmp_path: Path) -> None:
    first = write_form_workbooks(built.warehouse, tmp_path / "one")
    index = read_index(tmp_path / "one" / "forms" / "index.csv")
    assert sorted(index) == sorted(p.name for p in first) and all(
        len(h) == 64 for h in index.values()
    )
    stamps = {p: p.stat().st_mtime_ns for p in first}
    # in place (`cchc export`): nothing rewritten
    reuse = Reuse.of(tmp_path / "one" / "forms")
    again = write_form_workbooks(built.warehouse, tmp_path / "one", reuse=reuse)
    assert (reuse.written, reuse.reused) == (0, len(first))
    assert {p: p.stat().st_mtime_ns for p in again} == stamps
    # a nightly run's new folder: linked from the live run's, not written
    reuse = Reuse.of(tmp_path / "two" / "forms", tmp_path / "one" / "forms")
    linked = write_form_workbooks(built.warehouse, tmp_path / "two", reuse=reuse)
    assert (reuse.written, reuse.reused) == (0, len(first))
    assert all(
        p.stat().st_ino == (tmp_path / "one" / "forms" / p.name).stat().st_ino for p in linked
    )
    # a changed hash (another layout, other figures) is written again
    (tmp_path / "one" / "forms" / "index.csv").write_text(
        "\ufefffile,content_hash\n" + "".join(f"{name},other\n" for name in index), encoding="utf-8"
    )
    reuse = Reuse.of(tmp_path / "three" / "forms", tmp_path / "one" / "forms")
    write_form_workbooks(built.warehouse, tmp_path / "three", reuse=reuse)
    assert (reuse.written, reuse.reused) == (len(first), 0)


def test_whose_figures_in_words() -> None:
    from cchc.forms import Figure, province_caption, whose_figure

    assert whose_figure({"is_province_wide": True}) == "Số liệu toàn tỉnh"
    assert whose_figure({"reporting_agencies": ["Sở A"]}) == "Số liệu của Sở A"
    several = {"reporting_agencies": ["Sở A", "Sở B"], "expected_reporters": 5}
    assert whose_figure(several) == "Số liệu tổng hợp từ 2 cơ quan (trên 5 cơ quan phải báo cáo)"
    wide = Figure(1, "", province_wide=True)
    one, two = Figure(1, "", agencies=("Sở A",)), Figure(1, "", agencies=("Sở B",))
    assert province_caption("Tỉnh X", {"a": wide}) == "Số liệu toàn tỉnh: Tỉnh X"
    assert province_caption("Tỉnh X", {"a": one}).startswith("Tỉnh X: số liệu của Sở A, chưa")
    assert "tổng hợp từ 2 cơ quan" in province_caption("Tỉnh X", {"a": one, "b": two})
    assert "Số liệu toàn tỉnh" not in province_caption("Tỉnh X", {"a": wide, "b": one})
    assert "các cơ quan báo cáo" in province_caption("Tỉnh X", {"a": Figure(1, "")})
