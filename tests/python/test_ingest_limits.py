"""Each bound of ingest.limits refuses a file past it, with its own message, and a file
within it reads as before. Readers are called directly with small limits (cheap); the
hostile files at full size go through `cchc ingest` in test_ingest_hostile_files.py."""

from __future__ import annotations

import io
import os
import zipfile
import zlib
from dataclasses import fields
from pathlib import Path

import pytest
from fpdf import FPDF
from hostile_files import (
    SAMPLE,
    _document,
    _inline,
    _package,
    _sheet,
    deep_xml_docx,
    dimension_bomb_xlsx,
    million_paragraphs_docx,
)
from openpyxl import Workbook

from ingest.errors import LimitExceededError, UnreadableFileError
from ingest.folder import read_capped
from ingest.limits import DEFAULT_LIMITS, Limits, LimitSettingError, env_name, exceeded
from ingest.model import Paragraph, RawRow
from ingest.readers.docx import read_docx_blocks
from ingest.readers.pdf import read_pdf_blocks
from ingest.readers.text import read_text_blocks
from ingest.readers.xlsx import read_xlsx_blocks

#: no ratio bound, so the checks behind it are reached
NO_RATIO = Limits(zip_ratio=10**9)


def _refused(excinfo: pytest.ExceptionInfo[LimitExceededError], variable: str) -> str:
    exc = excinfo.value
    assert exc.kind == "limit_exceeded"
    assert variable in exc.expected and variable in exc.what_to_do
    return f"{exc.where} | {exc.expected} | {exc.what_to_do}"


# ---------------------------------------------------------------- the settings


def test_limits_come_from_the_environment_and_default_otherwise() -> None:
    limits = Limits.from_env({"CCHC_MAX_PDF_PAGES": "10", "CCHC_MAX_FILE_BYTES": "2_000", "X": "1"})
    assert limits.pdf_pages == 10 and limits.file_bytes == 2000
    assert limits.xlsx_cells == DEFAULT_LIMITS.xlsx_cells
    assert Limits.from_env({}) == DEFAULT_LIMITS


def test_every_limit_has_a_message_and_a_row_in_the_readme() -> None:
    readme = (SAMPLE.parents[2] / "README.md").read_text(encoding="utf-8")
    for f in fields(Limits):
        variable = env_name(f.name)
        default = f"{getattr(DEFAULT_LIMITS, f.name):_}".replace("_", " ")
        assert f"| `{variable}` | {default} |" in readme
        assert variable in exceeded(f.name, 1, where="x", found="y").expected


@pytest.mark.parametrize("value", ["", "ten", "-1", "0", "1.5"])
def test_a_bad_limit_setting_names_the_variable(value: str) -> None:
    with pytest.raises(LimitSettingError, match="CCHC_MAX_LINE_CHARS"):
        Limits.from_env({"CCHC_MAX_LINE_CHARS": value})


def test_a_file_over_the_size_limit_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 101)
    assert read_capped(path, Limits(file_bytes=101)) == b"x" * 101
    with pytest.raises(LimitExceededError) as excinfo:
        read_capped(path, Limits(file_bytes=100))
    assert "101 bytes" in _refused(excinfo, "CCHC_MAX_FILE_BYTES")


# ---------------------------------------------------------------- text


def test_text_lines_and_line_length_are_bounded() -> None:
    text = "BÁO CÁO\n" + "a" * 50 + "\nb\n"
    assert len(read_text_blocks(io.BytesIO(text.encode()), limits=Limits(line_chars=50))) == 3
    with pytest.raises(LimitExceededError) as excinfo:
        read_text_blocks(io.BytesIO(text.encode()), limits=Limits(line_chars=49))
    assert excinfo.value.where == "line 2"
    assert "50 characters" in _refused(excinfo, "CCHC_MAX_LINE_CHARS")
    with pytest.raises(LimitExceededError) as excinfo:
        read_text_blocks(io.BytesIO(text.encode()), limits=Limits(paragraphs=2))
    assert "3 lines" in _refused(excinfo, "CCHC_MAX_PARAGRAPHS")


def test_a_big_text_file_that_is_not_unicode_is_refused_before_detection() -> None:
    legacy = "Báo cáo kết quả công tác\n".encode("cp1258", errors="replace") * 10
    utf8 = "Báo cáo kết quả công tác\n".encode() * 10
    limits = Limits(legacy_text_bytes=len(legacy) - 1)
    assert len(read_text_blocks(io.BytesIO(utf8), limits=Limits(legacy_text_bytes=10))) == 10
    with pytest.raises(LimitExceededError) as excinfo:
        read_text_blocks(io.BytesIO(legacy), limits=limits)
    assert "not UTF-8" in _refused(excinfo, "CCHC_MAX_LEGACY_TEXT_BYTES")


# ---------------------------------------------------------------- Office packages


def _docx_with_part(size: int, *, parts: int = 1, zeros: bool = False) -> bytes:
    """A .docx carrying ``parts`` parts of ``size`` bytes: zeros (compressed about 1000
    times) or random bytes (not compressible)."""
    content = bytes(size) if zeros else os.urandom(size)
    extra = {f"word/media/part{n}.bin": (lambda: iter([content])) for n in range(parts)}
    return _package("docx", {}, extra=extra)


@pytest.mark.parametrize(
    ("limits", "zeros", "variable", "found"),
    [
        (Limits(zip_member_bytes=3_000_000), False, "CCHC_MAX_ZIP_MEMBER_BYTES", "4,000,000 bytes"),
        (Limits(zip_total_bytes=7_000_000), False, "CCHC_MAX_ZIP_TOTAL_BYTES", "in all"),
        (Limits(zip_members=5), False, "CCHC_MAX_ZIP_MEMBERS", "parts"),
        (Limits(), True, "CCHC_MAX_ZIP_RATIO", "compressed"),
    ],
)
def test_the_zip_directory_is_checked_before_anything_is_unpacked(
    limits: Limits, zeros: bool, variable: str, found: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _docx_with_part(4_000_000, parts=2, zeros=zeros)

    def no_unpacking(*_args: object) -> None:
        raise AssertionError("a part was unpacked before the zip directory was checked")

    monkeypatch.setattr(zipfile.ZipFile, "testzip", no_unpacking)
    with pytest.raises(LimitExceededError) as excinfo:
        read_docx_blocks(io.BytesIO(data), limits=limits)
    assert found in _refused(excinfo, variable)


def test_the_part_count_is_checked_before_zipfile_lists_the_parts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = _docx_with_part(10, parts=20)

    def no_listing(*_args: object) -> None:
        raise AssertionError("zipfile listed the parts before their count was checked")

    monkeypatch.setattr(zipfile.ZipFile, "_RealGetContents", no_listing)
    with pytest.raises(LimitExceededError) as excinfo:
        read_docx_blocks(io.BytesIO(data), limits=Limits(zip_members=20))
    assert "parts" in _refused(excinfo, "CCHC_MAX_ZIP_MEMBERS")


def test_a_package_within_the_bounds_is_read() -> None:
    assert read_docx_blocks(io.BytesIO(_docx_with_part(4_000_000, parts=2))) == []
    zeros = _docx_with_part(4_000_000, zeros=True)
    assert read_docx_blocks(io.BytesIO(zeros), limits=NO_RATIO) == []


def test_deeply_nested_xml_is_refused_by_a_streaming_check(tmp_path: Path) -> None:
    path = deep_xml_docx(tmp_path, depth=300)
    with pytest.raises(LimitExceededError) as excinfo:
        read_docx_blocks(io.BytesIO(path.read_bytes()), limits=NO_RATIO)
    assert excinfo.value.where == "part word/document.xml"
    assert "nested more than 200 deep" in _refused(excinfo, "CCHC_MAX_XML_DEPTH")
    # within the bound the nested content controls are read through
    shallow = deep_xml_docx(tmp_path, depth=50)
    [block] = read_docx_blocks(io.BytesIO(shallow.read_bytes()), limits=NO_RATIO)
    assert isinstance(block, Paragraph) and block.text == "a"


def test_word_paragraphs_and_table_cells_are_counted_before_parsing(tmp_path: Path) -> None:
    path = million_paragraphs_docx(tmp_path, paragraphs=20_000)
    data = path.read_bytes()
    assert len(read_docx_blocks(io.BytesIO(data), limits=NO_RATIO)) == 20_000
    with pytest.raises(LimitExceededError) as excinfo:
        read_docx_blocks(io.BytesIO(data), limits=Limits(zip_ratio=10**9, paragraphs=19_999))
    assert "19,999 paragraphs" in _refused(excinfo, "CCHC_MAX_PARAGRAPHS")

    def table() -> object:
        row = "<w:tr>" + "<w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>" * 10 + "</w:tr>"
        return iter(["<w:tbl>", row * 10, "</w:tbl>"])

    cells = _package("docx", {"word/document.xml": _document(table)})  # type: ignore[arg-type]
    # a table without borders or header is page layout: one paragraph per cell
    assert len(read_docx_blocks(io.BytesIO(cells), limits=Limits(table_cells=100))) == 100
    with pytest.raises(LimitExceededError) as excinfo:
        read_docx_blocks(io.BytesIO(cells), limits=Limits(table_cells=99))
    _refused(excinfo, "CCHC_MAX_TABLE_CELLS")


def test_an_office_part_with_a_doctype_is_refused() -> None:
    def body() -> object:
        yield b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><w:document/>'

    data = _package("docx", {"word/document.xml": body})  # type: ignore[dict-item]
    with pytest.raises(UnreadableFileError, match="DOCTYPE"):
        read_docx_blocks(io.BytesIO(data))


# ---------------------------------------------------------------- workbooks


def _xlsx(rows: list[str], *, tail: str = "", dimension: str = "A1") -> bytes:
    sheet = {"xl/worksheets/sheet1.xml": lambda: _sheet(iter(rows), dimension=dimension, tail=tail)}
    return _package("xlsx", sheet)


def test_a_declared_used_range_is_ignored(tmp_path: Path) -> None:
    """A1:XFD1048576 declared, a formatted cell in XFD1048576: only the cells the sheet
    holds are read, the rows with text as the report shows them."""
    path = dimension_bomb_xlsx(tmp_path)
    assert path.stat().st_size < 30_000
    blocks = read_xlsx_blocks(io.BytesIO(path.read_bytes()))
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    filled = [n for n, line in enumerate(lines, start=1) if line.strip()]
    assert [b.source_line for b in blocks] == [f"Sheet1!A{n}" for n in filled]
    assert any("BÁO CÁO" in b.text for b in blocks if isinstance(b, Paragraph))
    assert all(len(b.cells) <= 20 for b in blocks if isinstance(b, RawRow))


def test_sheet_cells_are_capped() -> None:
    rows = [
        f'<row r="{n}">{_inline(f"A{n}", "x")}<c r="B{n}"><v>{n}</v></c></row>'
        for n in range(1, 51)
    ]
    assert len(read_xlsx_blocks(io.BytesIO(_xlsx(rows)), limits=Limits(xlsx_cells=100))) == 50
    with pytest.raises(LimitExceededError) as excinfo:
        read_xlsx_blocks(io.BytesIO(_xlsx(rows)), limits=Limits(xlsx_cells=99))
    assert excinfo.value.where == "Sheet1!A50"
    _refused(excinfo, "CCHC_MAX_XLSX_CELLS")


def test_workbook_cells_are_capped_over_all_sheets(tmp_path: Path) -> None:
    workbook = Workbook()
    for n in range(3):
        sheet = workbook.active if n == 0 else workbook.create_sheet(f"S{n}")
        for row in range(1, 11):
            sheet.cell(row, 1, "x")
            sheet.cell(row, 2, row)
    path = tmp_path / "three.xlsx"
    workbook.save(path)
    limits = Limits(xlsx_cells=20, xlsx_workbook_cells=60)
    assert len(read_xlsx_blocks(io.BytesIO(path.read_bytes()), limits=limits)) == 30
    with pytest.raises(LimitExceededError) as excinfo:
        read_xlsx_blocks(io.BytesIO(path.read_bytes()), limits=Limits(xlsx_workbook_cells=59))
    assert excinfo.value.where == "sheet S2"
    _refused(excinfo, "CCHC_MAX_XLSX_WORKBOOK_CELLS")


def test_a_sheet_stops_at_a_long_run_of_empty_rows_and_columns() -> None:
    rows = [
        f'<row r="1">{_inline("A1", "đầu")}{_inline("E1", "gần")}{_inline("Z1", "xa")}</row>',
        *(f'<row r="{n}"><c r="A{n}" s="0"/></row>' for n in range(2, 30)),
        f'<row r="30">{_inline("A30", "sau")}</row>',
    ]
    limits = Limits(xlsx_empty_rows=20, xlsx_empty_columns=10)
    [first] = read_xlsx_blocks(io.BytesIO(_xlsx(rows)), limits=limits)
    assert [c.text for c in first.cells] == ["đầu", "", "", "", "gần"]
    wide = read_xlsx_blocks(io.BytesIO(_xlsx(rows)), limits=Limits())
    assert [b.source_line for b in wide] == ["Sheet1!A1", "Sheet1!A30"]
    assert [c.text for c in wide[0].cells][-1] == "xa"


def test_merged_ranges_are_read_from_the_sheet_as_excel_shows_them(tmp_path: Path) -> None:
    """Read-only mode has no merged cells: they come from the sheet's mergeCells, and a
    value left in a covered cell is not shown (as in Excel and openpyxl's full mode)."""
    rows = [
        '<row r="1">' + _inline("A1", "STT") + _inline("B1", "hidden") + _inline("C1", "Chỉ tiêu"),
        '</row><row r="2">' + _inline("A2", "hidden too") + _inline("B2", "1"),
        _inline("C2", "x") + "</row>",
    ]
    tail = '<mergeCells count="1"><mergeCell ref="A1:B2"/></mergeCells>'
    data = _xlsx(rows, tail=tail, dimension="A1:C2")
    blocks = read_xlsx_blocks(io.BytesIO(data))
    assert [[c.text for c in b.cells] for b in blocks] == [["STT", "", "Chỉ tiêu"], ["", "", "x"]]
    # the same as openpyxl's full mode, which reads merged cells itself
    path = tmp_path / "full.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    for ref, text in (("A1", "STT"), ("C1", "Chỉ tiêu"), ("C2", "x"), ("A4", "dưới")):
        sheet[ref] = text
    sheet.merge_cells("A1:B2")
    sheet.merge_cells("A5:A9")
    workbook.create_sheet("Two")["A1"] = "sheet two"
    workbook.save(path)
    blocks = read_xlsx_blocks(io.BytesIO(path.read_bytes()))
    assert [b.source_line for b in blocks] == ["Sheet!A1", "Sheet!A2", "Sheet!A4", "Two!A1"]
    assert [[c.text for c in b.cells] for b in blocks[:2]] == [
        ["STT", "", "Chỉ tiêu"],
        ["", "", "x"],
    ]
    # lines run on through the sheets; a sheet ends at its last cell, merged ranges included
    assert blocks[-1].line_no == 1 + 9 + 1


# ---------------------------------------------------------------- PDF


def _pdf(pages: int) -> bytes:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=10)
    for n in range(pages):
        pdf.add_page()
        pdf.cell(text=f"page {n + 1}")
    return bytes(pdf.output())


def minimal_pdf(content: bytes) -> bytes:
    """A one-page PDF whose page draws ``content`` (compressed) with Helvetica."""
    stream = zlib.compress(content)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_pdf_page_drawing_instructions_are_bounded_before_layout() -> None:
    """A page's content stream is decompressed with a bound before pdfminer lays it
    out: 3 MB of no-op instructions compress to a few KB."""
    text = b"BT /F1 10 Tf 50 800 Td (BAO CAO) Tj ET\n"
    [block] = read_pdf_blocks(io.BytesIO(minimal_pdf(text)))
    assert block.text == "BAO CAO"
    bomb = minimal_pdf(text + b"q Q\n" * 750_000)
    assert len(bomb) < 50_000
    with pytest.raises(LimitExceededError) as excinfo:
        read_pdf_blocks(io.BytesIO(bomb))
    assert excinfo.value.where == "p. 1"
    _refused(excinfo, "CCHC_MAX_PDF_PAGE_CONTENT_BYTES")
    exact = Limits(pdf_page_content_bytes=len(text))
    assert len(read_pdf_blocks(io.BytesIO(minimal_pdf(text)), limits=exact)) == 1
    with pytest.raises(LimitExceededError):
        short = Limits(pdf_page_content_bytes=len(text) - 1)
        read_pdf_blocks(io.BytesIO(minimal_pdf(text)), limits=short)


def test_pdf_pages_are_bounded_as_declared_and_as_held() -> None:
    data = _pdf(3)
    assert len(read_pdf_blocks(io.BytesIO(data), limits=Limits(pdf_pages=3))) == 3
    with pytest.raises(LimitExceededError) as excinfo:
        read_pdf_blocks(io.BytesIO(data), limits=Limits(pdf_pages=2))
    assert "3 pages" in _refused(excinfo, "CCHC_MAX_PDF_PAGES")
    lying = data.replace(b"/Count 3", b"/Count 9")
    assert lying != data
    with pytest.raises(LimitExceededError) as excinfo:
        read_pdf_blocks(io.BytesIO(lying), limits=Limits(pdf_pages=5))
    assert "9 pages declared" in _refused(excinfo, "CCHC_MAX_PDF_PAGES")
