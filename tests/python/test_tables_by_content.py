"""Tables read by their content as well as their header words (issue 13): a column of
figures is a value column whatever its header says, several value columns each keep
their header, a header of measures over figures is a cross-tab, letterheads in two
columns are paragraphs, and every cell is recorded with its kind (the census).
Pure: blocks in, tables out."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from ingest.cells import FIGURE_KINDS, cell_kind, value_cell_kind
from ingest.layout import extract_tables, unfold_letterheads
from ingest.model import Paragraph, RawRow, Table
from ingest.readers.text import read_text_blocks
from ingest.records import appendix_records
from ingest.reference import load_reference

ROOT = Path(__file__).resolve().parents[2]
CODE_WORDS = load_reference(ROOT / "seeds").code_words


def _tables(text: str, **kwargs) -> tuple[list[Table], list[Paragraph]]:
    blocks = read_text_blocks(io.BytesIO(text.encode("utf-8")))
    tables, paragraphs, _ = extract_tables(blocks, code_words=CODE_WORDS, **kwargs)
    return tables, paragraphs


def _lines(*rows: str) -> str:
    return "\n".join(rows) + "\n"


@pytest.mark.parametrize("header", ["Kết quả", "Thực hiện", "Số lượng", "Kỳ báo cáo", ""])
def test_a_column_of_figures_is_the_value_column_whatever_its_header(header: str) -> None:
    tables, _ = _tables(
        _lines(
            f"STT\tChỉ tiêu\tĐơn vị tính\t{header}\tGhi chú",
            "1\tSố văn bản ban hành\tVăn bản\t42\t",
            "2\tTỷ lệ hồ sơ đúng hạn\t%\t98,5%\t",
            "3\tCó ban hành kế hoạch\tCó/Không\tCó\t",
        )
    )
    (table,) = tables
    assert table.table_kind == "indicators"
    assert [[(v.column, v.text) for v in r.values] for r in table.rows] == [
        [(header, "42")],
        [(header, "98,5%")],
        [(header, "Có")],
    ]
    assert not any(r.extra_cells for r in table.rows)
    assert [r.values[0].kind for r in table.rows] == ["number", "percent", "code_word"]


def test_units_inside_the_value_and_no_unit_column() -> None:
    tables, _ = _tables(
        _lines(
            "STT\tNội dung\tKết quả\tGhi chú",
            "1\tSố TTHC được công bố\t1.234 thủ tục\t",
            "2\tSố người được tập huấn\t12 người\t",
            "3\tTỷ lệ đúng hạn\t98 %\t",
        )
    )
    (table,) = tables
    assert [r.values[0].text for r in table.rows] == ["1.234 thủ tục", "12 người", "98 %"]
    assert [r.values[0].kind for r in table.rows] == ["number_with_unit"] * 2 + ["percent"]


def test_several_value_columns_each_keep_their_header() -> None:
    tables, _ = _tables(
        _lines(
            "STT\tChỉ tiêu\tĐVT\tKỳ báo cáo\tCùng kỳ\tGhi chú",
            "1\tSố văn bản ban hành\tVăn bản\t42\t37\t",
            "2\tSố TTHC được rà soát\tThủ tục\t120\t98\t",
        )
    )
    (table,) = tables
    assert table.table_kind == "indicators"
    assert [[(v.column, v.text) for v in r.values] for r in table.rows] == [
        [("Kỳ báo cáo", "42"), ("Cùng kỳ", "37")],
        [("Kỳ báo cáo", "120"), ("Cùng kỳ", "98")],
    ]


def test_a_value_header_word_beside_a_column_of_figures_reads_both() -> None:
    tables, _ = _tables(
        _lines(
            "STT\tChỉ tiêu\tĐơn vị tính\tSố liệu\tCùng kỳ năm trước\tGhi chú",
            "1\tSố văn bản ban hành\tVăn bản\t42\t37\t",
        )
    )
    assert [v.column for v in tables[0].rows[0].values] == ["Số liệu", "Cùng kỳ năm trước"]


def test_a_header_of_measures_over_figures_is_a_cross_tab() -> None:
    tables, _ = _tables(
        _lines(
            "Phụ lục 04",
            "Tình hình giải quyết hồ sơ theo lĩnh vực",
            "STT\tLĩnh vực\tTổng số hồ sơ TTHC đã tiếp nhận\tSố hồ sơ giải quyết quá hạn\tGhi chú",
            "1\tHộ tịch\t120\t3\t",
            "2\tĐất đai\t45\t0\t",
        )
    )
    (table,) = tables
    assert table.table_kind == "crosstab"
    assert table.appendix_no == "04"
    assert [r.indicator_text for r in table.rows] == ["Hộ tịch", "Đất đai"]
    assert [(v.column, v.text) for v in table.rows[0].values] == [
        ("Tổng số hồ sơ TTHC đã tiếp nhận", "120"),
        ("Số hồ sơ giải quyết quá hạn", "3"),
    ]


def test_a_letterhead_in_two_columns_is_paragraphs_not_a_table() -> None:
    text = _lines(
        "UBND TỈNH LÀO CAI\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "SỞ NỘI VỤ\tĐộc lập - Tự do - Hạnh phúc",
        "Số: 127/BC-SNV\tLào Cai, ngày 10 tháng 6 năm 2024",
        "",
        "BÁO CÁO",
    )
    blocks = read_text_blocks(io.BytesIO(text.encode("utf-8")))
    assert all(isinstance(b, Paragraph) for b in blocks)
    # column by column: the bodies and the number, then the motto and the place and date
    assert [b.text for b in blocks][:6] == [
        "UBND TỈNH LÀO CAI",
        "SỞ NỘI VỤ",
        "Số: 127/BC-SNV",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Lào Cai, ngày 10 tháng 6 năm 2024",
    ]
    assert [b.source_line for b in blocks][:6] == ["1", "2", "3", "1", "2", "3"]
    tables, _, issues = extract_tables(blocks)
    assert tables == [] and issues == []


def test_letterhead_rows_of_a_workbook_become_paragraphs_before_the_table() -> None:
    def row(*texts: str, n: int) -> RawRow:
        from ingest.model import RawCell

        return RawRow(tuple(RawCell(t) for t in texts), f"PL!A{n}", n, table_hint=1)

    blocks = [
        row("ỦY BAN NHÂN DÂN", "", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", n=1),
        row("XÃ BÌNH LỘC", "", "", "Độc lập - Tự do - Hạnh phúc", n=2),
        row("Số: 12/BC-UBND", "", "", "Bình Lộc, ngày 3 tháng 7 năm 2025", n=3),
        row("STT", "Chỉ tiêu", "Kết quả", "Ghi chú", n=4),
        row("1", "Số văn bản ban hành", "42", "", n=5),
    ]
    unfolded = unfold_letterheads(blocks)
    assert [type(b).__name__ for b in unfolded] == ["Paragraph"] * 6 + ["RawRow"] * 2
    tables, _, issues = extract_tables(blocks)
    (table,) = tables
    assert table.table_kind == "indicators" and table.rows[0].values[0].text == "42"
    assert not issues


def test_several_tables_of_one_document_are_each_read() -> None:
    tables, _ = _tables(
        _lines(
            "Phụ lục 01",
            "STT\tChỉ tiêu\tThực hiện\tGhi chú",
            "1\tSố văn bản ban hành\t42\t",
            "",
            "Phụ lục 02",
            "STT\tNội dung\tĐơn vị tính\tKết quả\tGhi chú",
            "1\tTỷ lệ hồ sơ đúng hạn\t%\t98\t",
            "2\tSố hồ sơ tiếp nhận\tHồ sơ\t1.044\t",
        )
    )
    assert [(t.appendix_no, t.table_kind, len(t.rows)) for t in tables] == [
        ("01", "indicators", 1),
        ("02", "indicators", 2),
    ]


def test_a_list_of_documents_stays_a_list_with_its_cells_censused() -> None:
    tables, _ = _tables(
        _lines(
            "STT\tTÊN LOẠI VĂN BẢN\tSỐ KÝ HIỆU VĂN BẢN\tNGÀY BAN HÀNH\tTRÍCH YẾU\tGHI CHÚ",
            "1\tQuyết định\t63/QĐ-UBND\t30/9/2021\tĐẩy mạnh cải cách hành chính\t",
            "2\tKế hoạch\t225/KH-UBND\t24/12/2021\tKế hoạch công tác năm 2022\t",
        )
    )
    (table,) = tables
    assert table.table_kind == "list"
    assert table.rows[0].extra_kinds == {
        "SỐ KÝ HIỆU VĂN BẢN": "document_number",
        "NGÀY BAN HÀNH": "date",
        "TRÍCH YẾU": "text",
    }


def test_records_carry_the_census_of_every_cell() -> None:
    from ingest.model import Document, DocumentMeta

    tables, _ = _tables(
        _lines(
            "STT\tChỉ tiêu\tĐơn vị tính\tSố liệu\tGhi chú",
            "1\tSố văn bản ban hành\tVăn bản\t42\t",
            "2\tNgày ban hành kế hoạch\tNgày\t14/12/2022\t",
        )
    )
    doc = Document("x.txt", "txt", DocumentMeta(), tuple(tables), ())
    records = appendix_records(doc, "d")
    assert [(r["value_text"], r["value_kind"]) for r in records] == [
        ("42", "number"),
        ("14/12/2022", "date"),
    ]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("1.044", "number"),
        ("41,05%", "percent"),
        ("02", "number"),
        ("1.234 thủ tục", "number_with_unit"),
        ("9 phòng ban, đơn vị", "number_with_unit"),
        ("Có", "code_word"),
        ("HOÀN THÀNH", "code_word"),
        ("Đã", "code_word"),
        ("2024", "year"),
        ("năm 2024", "year"),
        ("14/12/2022", "date"),
        ("ngày 3 tháng 7 năm 2025", "date"),
        ("63/QĐ-UBND", "document_number"),
        ("127/BC-SNV", "document_number"),
        ("Nghị định 30/2020/NĐ-CP", "legal_reference"),
        ("Kế hoạch số 1879/KH-VP ngày 14/12/2022", "legal_reference"),
        ("0214 3840 123", "phone"),
        ("0912345678", "phone"),
        ("trang 5", "page"),
        ("II", "stt"),
        ("Đang triển khai thực hiện", "text"),
        ("", None),
    ],
)
def test_the_kind_of_a_cell(text: str, kind: str | None) -> None:
    assert cell_kind(text, CODE_WORDS) == kind


def test_a_four_digit_number_in_a_column_of_figures_is_a_count() -> None:
    assert cell_kind("2024", CODE_WORDS) == "year"
    assert value_cell_kind("2024", CODE_WORDS) == "number"
    tables, _ = _tables(
        _lines(
            "STT\tChỉ tiêu\tĐơn vị tính\tKết quả\tGhi chú",
            "1\tSố hồ sơ tiếp nhận\tHồ sơ\t2024\t",
            "2\tSố hồ sơ giải quyết\tHồ sơ\t1.950\t",
            "3\tSố văn bản ban hành\tVăn bản\t12\t",
        )
    )
    assert [r.values[0].kind for r in tables[0].rows] == ["number"] * 3


def test_a_column_of_years_is_not_a_column_of_figures() -> None:
    tables, _ = _tables(
        _lines(
            "STT\tTên văn bản\tNăm ban hành\tGhi chú",
            "1\tKế hoạch cải cách hành chính\t2021\t",
            "2\tKế hoạch tuyên truyền\t2022\t",
        )
    )
    (table,) = tables
    assert table.table_kind == "list"
    assert table.rows[0].extra_kinds == {"Năm ban hành": "year"}


def test_the_figure_kinds_are_those_of_the_cell_kinds_seed() -> None:
    with (ROOT / "seeds" / "cell_kinds.csv").open(encoding="utf-8") as fp:
        rows = list(csv.DictReader(fp))
    assert {r["cell_kind"] for r in rows if r["is_figure"] == "true"} == FIGURE_KINDS
    from typing import get_args

    from ingest.cells import CellKind

    assert {r["cell_kind"] for r in rows} == set(get_args(CellKind))
