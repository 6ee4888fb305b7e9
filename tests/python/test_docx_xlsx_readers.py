"""The Word and Excel readers give the same tables as the text reader.

Each test writes .docx and .xlsx versions of sample appendices into tmp_path the way
agencies make them: one Word row per logical row (a code scale "Chưa = 0⏎Hoàn thành = 1"
in one cell, an indicator's wrapped lines as paragraphs of one cell), the two-level
header with "Kết quả thống kê" spanning unit and value (gridSpan) and STT/Ghi chú merged
down (vMerge), the header written once (Word repeats it on each page itself), bold
section rows, the title and caption paragraphs before the table, and a borderless
letterhead table. The Excel sheet has the title rows, a merged header, numbers stored
as numbers (and percents with a % format) and some stored as text.

The rows of a Word/Excel table are derived from the text sample and the text reader's
own tables (which physical lines were joined into which logical row), so the only
thing that can differ is what the new readers do.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

import docx
import openpyxl
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ingest import document as ingest_document
from ingest.encoding import decode_text
from ingest.errors import UnreadableFileError
from ingest.layout import extract_tables
from ingest.metadata import find_place_and_date, find_report_number
from ingest.model import Block, Paragraph, RawRow, Table
from ingest.readers.docx import OLE2_MAGIC, read_docx_blocks, read_docx_properties
from ingest.readers.text import read_text_blocks
from ingest.readers.xlsx import cell_text, read_xlsx_blocks
from ingest.reference import load_reference

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ROOT / "data" / "reports"
R000 = REPORTS / "000_1bbab62c8031cf52.txt"
R002 = REPORTS / "002_04942a727d49f9a1.txt"

Segment = tuple[str, bool, bool]  # text, bold, italic
CellLines = list[list[Segment]]  # the lines of one cell, each a list of runs


@dataclass(frozen=True)
class Appendix:
    """An appendix of a text sample: its lines from the "Phụ lục" heading to the table's end."""

    report: Path
    first: int
    last: int
    sheet: str


PL1_002 = Appendix(R002, 227, 276, "PL1")  # with the notes under the table
PL4_002 = Appendix(R002, 334, 361, "PL4")
PL08_000 = Appendix(R000, 655, 700, "PL08")
PL02_000 = Appendix(R000, 445, 630, "PL02")


# ---------------------------------------------------------------- from the text sample


def text_blocks(appendix: Appendix) -> list[Block]:
    with appendix.report.open("rb") as fp:
        blocks = read_text_blocks(fp)
    return [b for b in blocks if appendix.first <= b.line_no <= appendix.last]


_TAG = re.compile(r"(<[^<>]+>)")
_SUP = re.compile(r"<sup>.*?</sup>", re.IGNORECASE | re.DOTALL)


def segments(raw: str) -> list[Segment]:
    """The runs of a text cell: <b>/<i> tags become run formatting."""
    bold = italic = False
    out: list[Segment] = []
    for part in _TAG.split(_SUP.sub("", raw)):
        if _TAG.fullmatch(part):
            name = part.strip("</>").split()[0].lower() if part.strip("</>") else ""
            closing = part.startswith("</")
            if name in ("b", "strong"):
                bold = not closing
            elif name in ("i", "em"):
                italic = not closing
        elif part:
            out.append((part, bold, italic))
    return out


def line_text(line: list[Segment]) -> str:
    return "".join(t for t, _, _ in line).strip()


@dataclass
class LogicalTable:
    paragraphs: list[str]  # heading, title, caption, as the text reader read them
    after: list[str]  # notes under the table
    header: list[list[CellLines]]
    data: list[list[CellLines]]

    @property
    def width(self) -> int:
        return max(len(r) for r in [*self.header, *self.data])


def logical_table(appendix: Appendix) -> LogicalTable:
    """The appendix as an agency's Word table has it: one row per logical row."""
    blocks = text_blocks(appendix)
    tables, _, _ = extract_tables(blocks)
    assert len(tables) == 1
    starts = {r.source_line for r in tables[0].rows}
    lines = decode_text(appendix.report.read_bytes()).splitlines()
    paragraphs: list[str] = []
    header: list[list[CellLines]] = []
    header_keys: list[tuple[str, ...]] = []
    data: list[list[CellLines]] = []
    after: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            assert not header or data, "paragraphs inside a header are not written"
            (after if data else paragraphs).append(block.text)
            continue
        assert not after, "the table ends at the notes under it"
        raw = [segments(c) for c in lines[block.line_no - 1].split("\t")]
        cells: list[CellLines] = [[seg] if line_text(seg) else [] for seg in raw]
        key = tuple(c.text for c in block.cells)
        if block.source_line in starts:
            data.append(cells)
        elif not data:
            header.append(cells)
            header_keys.append(key)
        elif key in header_keys:
            continue  # a header repeated after a page break: Word repeats it by itself
        else:  # a wrapped line: its parts become more lines of the same cells
            previous = data[-1]
            previous.extend([] for _ in range(len(cells) - len(previous)))
            for i, cell in enumerate(cells):
                previous[i].extend(cell)
    return LogicalTable(paragraphs, after, header, data)


def title_and_caption(text: str) -> list[str]:
    at = text.find("(Kèm theo")
    return [text] if at <= 0 else [text[:at].strip(), text[at:]]


# ---------------------------------------------------------------- writing .docx


def _write_runs(paragraph, line: list[Segment]) -> None:
    for text, bold, italic in line:
        run = paragraph.add_run(text)
        run.bold = bold or None
        run.italic = italic or None


def _write_cell(cell, lines: CellLines) -> None:
    paragraph = cell.paragraphs[0]
    for n, line in enumerate(lines):
        if n and "=" in line_text(line):  # a code scale: Shift+Enter inside one paragraph
            paragraph.runs[-1].add_break()
        elif n:  # an indicator's further lines: Enter, a new paragraph
            paragraph = cell.add_paragraph()
        _write_runs(paragraph, line)


def _header_spans(header: list[list[CellLines]], width: int) -> list[tuple[int, int, int, int]]:
    """(row, col, last_row, last_col) of each header cell, spanning the empty ones."""
    top = [line_text(c[0]) if c else "" for c in header[0]] + [""] * width
    sub = [line_text(c[0]) if c else "" for c in header[-1]] + [""] * width
    spans = []
    col = 0
    while col < width:
        end = col
        if len(header) == 2 and top[col]:
            while end + 1 < width and not top[end + 1] and sub[end + 1]:
                end += 1
        down = len(header) == 2 and bool(top[col]) and not sub[col] and end == col
        spans.append((0, col, 1 if down else 0, end))
        col = end + 1
    return spans


def add_docx_table(document, table: LogicalTable) -> None:
    for n, text in enumerate(p for t in table.paragraphs for p in title_and_caption(t)):
        paragraph = document.add_paragraph()
        run = paragraph.add_run(text)
        run.bold = n < 2 and not text.startswith("(")
        run.italic = text.startswith("(")
    width = table.width
    word = document.add_table(rows=len(table.header) + len(table.data), cols=width)
    word.style = "Table Grid"
    for row, col, last_row, last_col in _header_spans(table.header, width):
        cell = word.cell(row, col)
        if (last_row, last_col) != (row, col):
            cell = cell.merge(word.cell(last_row, last_col))
        _write_cell(cell, table.header[0][col] if col < len(table.header[0]) else [])
    if len(table.header) == 2:
        cells = word.rows[1].cells
        for col, lines in enumerate(table.header[1]):
            if lines and cells[col] is not word.rows[0].cells[col]:
                _write_cell(cells[col], lines)
    for word_row, row in zip(word.rows[len(table.header) :], table.data, strict=True):
        cells = word_row.cells
        for col, lines in enumerate(row):
            _write_cell(cells[col], lines)
    for text in table.after:
        document.add_paragraph(text)


def add_letterhead(document) -> None:
    """The letterhead as agencies lay it out: a borderless 2×2 table."""
    letterhead = document.add_table(rows=2, cols=2)  # no style: no borders
    texts = [
        ["VĂN PHÒNG UBND TỈNH HÀ GIANG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        ["Số: 415 /BC-VP", "Hà Giang, ngày 15 tháng 3 năm 2023"],
    ]
    for row, row_texts in zip(letterhead.rows, texts, strict=True):
        for cell, text in zip(row.cells, row_texts, strict=True):
            cell.paragraphs[0].add_run(text).bold = text.isupper()
    letterhead.cell(0, 1).add_paragraph().add_run("Độc lập - Tự do - Hạnh phúc").bold = True
    heading = document.add_paragraph().add_run("BÁO CÁO")
    heading.bold = True
    heading.font.size = Pt(14)


def write_docx(
    path: Path, appendices: list[Appendix], letterhead: bool = True, opening: list[str] = ()
) -> Path:
    document = docx.Document()
    document.core_properties.title = "Báo cáo CCHC"
    document.core_properties.author = "Văn phòng UBND tỉnh"
    if letterhead:
        add_letterhead(document)
    for text in opening:
        document.add_paragraph(text)
    for appendix in appendices:
        add_docx_table(document, logical_table(appendix))
    document.save(path)
    return path


# ---------------------------------------------------------------- writing .xlsx


def _excel_value(text: str, n: int) -> tuple[object, str | None]:
    """Figures as Excel holds them: most numbers as numbers, every third one as text."""
    if re.fullmatch(r"\d+", text) and n % 3:
        return int(text), None
    if re.fullmatch(r"\d+%", text):
        return int(text[:-1]) / 100, "0%"
    return text, None


def add_sheet(workbook, appendix: Appendix) -> None:
    table = logical_table(appendix)
    sheet = workbook.create_sheet(appendix.sheet)
    width = table.width
    row = 1
    for text in (p for t in table.paragraphs for p in title_and_caption(t)):
        sheet.cell(row, 1, text).font = Font(bold=not text.startswith("("))
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        row += 1
    row += 1  # an empty row before the table
    for r, c, last_r, last_c in _header_spans(table.header, width):
        lines = table.header[0][c] if c < len(table.header[0]) else []
        sheet.cell(row + r, c + 1, line_text(lines[0]) if lines else None)
        if (last_r, last_c) != (r, c):
            sheet.merge_cells(
                start_row=row + r, start_column=c + 1, end_row=row + last_r, end_column=last_c + 1
            )
    if len(table.header) == 2:
        for c, lines in enumerate(table.header[1]):
            if lines:
                sheet.cell(row + 1, c + 1, line_text(lines[0]))
    row += len(table.header)
    n = 0
    for data_row in table.data:
        for c, lines in enumerate(data_row):
            if not lines:
                continue
            n += 1
            value, number_format = _excel_value("\n".join(line_text(x) for x in lines), n)
            cell = sheet.cell(row, c + 1, value)
            runs = [s for line in lines for s in line if s[0].strip()]
            cell.font = Font(bold=any(b for _, b, _ in runs), italic=all(i for _, _, i in runs))
            if number_format:
                cell.number_format = number_format
        row += 1
    for text in table.after:
        row += 1  # an empty row, then the note
        sheet.cell(row, 1, text)
    sheet.column_dimensions[get_column_letter(2)].width = 60


def write_xlsx(path: Path, appendices: list[Appendix]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for appendix in appendices:
        add_sheet(workbook, appendix)
    workbook.save(path)
    return path


# ---------------------------------------------------------------- comparing


def read(reader: Callable[[BinaryIO], list[Block]], path: Path) -> list[Block]:
    with path.open("rb") as fp:
        return reader(fp)


def comparable(tables: list[Table]) -> list[tuple]:
    """Everything of the tables but where they are (source_line) and whether a row was
    wrapped over several lines (in Word/Excel it is one row with breaks in its cells)."""
    return [
        (
            replace(t, source_line="", rows=()),
            [replace(r, source_line="", is_continuation_merged=False) for r in t.rows],
        )
        for t in tables
    ]


def text_tables(appendices: list[Appendix]) -> list[Table]:
    blocks = [b for a in appendices for b in text_blocks(a)]
    tables, _, _ = extract_tables(blocks)
    return tables


CASES = {
    "002 Phụ lục 1": [PL1_002],
    "002 Phụ lục 1 and 4": [PL1_002, PL4_002],
    "000 Phụ lục 08": [PL08_000],
    "000 Phụ lục 02": [PL02_000],
}


@pytest.mark.parametrize("appendices", CASES.values(), ids=CASES.keys())
def test_word_tables_are_the_text_tables(tmp_path: Path, appendices: list[Appendix]) -> None:
    blocks = read(read_docx_blocks, write_docx(tmp_path / "report.docx", appendices))
    tables, _, issues = extract_tables(blocks)
    expected = text_tables(appendices)
    assert comparable(tables) == comparable(expected)
    assert sum(len(t.rows) for t in tables) == sum(len(t.rows) for t in expected) > 0
    assert not issues  # the letterhead table did not become a headerless list table
    for table in tables:
        assert re.fullmatch(r"table \d+ row \d+", table.source_line)
        assert all(re.fullmatch(r"table \d+ row \d+", r.source_line) for r in table.rows)


@pytest.mark.parametrize("appendices", CASES.values(), ids=CASES.keys())
def test_excel_tables_are_the_text_tables(tmp_path: Path, appendices: list[Appendix]) -> None:
    path = write_xlsx(tmp_path / "report.xlsx", appendices)
    merged = openpyxl.load_workbook(path).worksheets[0].merged_cells.ranges
    assert len(merged) >= 3  # the title rows and the header (at least STT merged down)
    blocks = read(read_xlsx_blocks, path)
    tables, _, issues = extract_tables(blocks)
    expected = text_tables(appendices)
    assert comparable(tables) == comparable(expected)
    assert not issues
    sheets = {a.sheet for a in appendices}
    for table in tables:
        sheet, _, address = table.source_line.partition("!")
        assert sheet in sheets and re.fullmatch(r"A\d+", address)
        assert all(r.source_line.startswith(f"{sheet}!A") for r in table.rows)


def test_word_cells_follow_the_grid_and_join_breaks(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "pl08.docx", [PL08_000])
    with zipfile.ZipFile(path) as package:
        body = package.read("word/document.xml").decode()
    assert '<w:gridSpan w:val="2"/>' in body and "<w:vMerge/>" in body  # really merged
    blocks = read(read_docx_blocks, path)
    rows = [b for b in blocks if isinstance(b, RawRow)]
    # the data table is the 2nd Word table (the letterhead is the 1st)
    top, sub = rows[0], rows[1]
    assert top.source_line == "table 2 row 1" and sub.source_line == "table 2 row 2"
    assert [c.text for c in top.cells] == [
        "STT",
        "Chỉ tiêu thống kê",
        "Kết quả thống kê",
        "",  # the column "Kết quả thống kê" spans (gridSpan)
        "Ghi chú",
    ]
    assert [c.text for c in sub.cells] == [
        "",  # STT merged down (vMerge continue)
        "(Sử dụng trong kỳ báo cáo hàng quý, 6 tháng, năm)",
        "Đơn vị tính",
        "Số liệu",
        "",
    ]
    assert sub.cells[1].is_italic and not sub.cells[1].is_bold
    first = rows[2]
    assert [c.text for c in first.cells] == [
        "1",
        "Cập nhật Kiến trúc chính quyền điện tử phiên bản mới nhất",
        "Chưa = 0 Hoàn thành = 1",  # a line break inside one cell
        "0",
        "",
    ]
    assert first.cells[1].is_bold and not first.cells[0].is_bold
    second = rows[3]  # three paragraphs in the indicator cell, three breaks in the unit cell
    assert second.cells[1].text == (
        "Xây dựng và vận hành Hệ thống hợp trực tuyến Liên thông 2 cấp: Từ UBND tỉnh - "
        "100% UBND các huyện. Liên thông 3 cấp: Từ UBND tỉnh - 100% UBND cấp huyện, cấp xã."
    )
    assert second.cells[2].text == "Chưa có = 0 2 cấp = 1 3 cấp = 2"
    assert second.cells[1].is_bold and not second.cells[1].is_italic  # mixed runs


def test_word_rows_merged_down_are_joined_like_wrapped_lines(tmp_path: Path) -> None:
    """The other way agencies write a code scale: one entry per Word row, with STT,
    indicator and value merged down over the rows (vMerge)."""
    document = docx.Document()
    document.add_paragraph("Phụ lục 08")
    table = document.add_table(rows=4, cols=5)
    table.style = "Table Grid"
    for col, text in enumerate(["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú"]):
        table.cell(0, col).text = text
    for col in (0, 1, 3, 4):
        table.cell(1, col).merge(table.cell(3, col))
    table.cell(1, 0).text = "3"
    table.cell(1, 1).text = "Triển khai xây dựng nền tảng chia sẻ, tích hợp dùng chung (LGSP)."
    table.cell(1, 3).text = "2"
    for row, text in enumerate(["Chưa = 0", "Đang làm = 1", "Hoàn thành = 2"], start=1):
        table.cell(row, 2).text = text
    path = tmp_path / "vmerge.docx"
    document.save(path)
    blocks = read(read_docx_blocks, path)
    assert [c.text for c in blocks[-1].cells] == ["", "", "Hoàn thành = 2", "", ""]
    tables, _, _ = extract_tables(blocks)
    (row,) = tables[0].rows
    assert (row.stt, row.unit_text, row.values[0].text, row.source_line) == (
        "3",
        "Chưa = 0 Đang làm = 1 Hoàn thành = 2",
        "2",
        "table 1 row 2",
    )


def test_word_table_split_over_two_tables_is_one_table(tmp_path: Path) -> None:
    """A table an agency broke in two at a page, repeating the header in the second."""
    path = write_docx(tmp_path / "pl4.docx", [PL4_002])
    document = docx.Document(str(path))
    data = document.tables[1]._tbl
    rows = data.findall(qn("w:tr"))
    second = copy.deepcopy(data)
    for tr in second.findall(qn("w:tr"))[1:12]:
        second.remove(tr)  # keeps the header and the rows after the 11th data row
    for tr in rows[12:]:
        data.remove(tr)
    data.addnext(second)
    data.addnext(OxmlElement("w:p"))  # an empty paragraph between the two tables
    document.save(path)
    blocks = read(read_docx_blocks, path)
    tables, _, _ = extract_tables(blocks)
    assert comparable(tables) == comparable(text_tables([PL4_002]))
    assert tables[0].rows[11].source_line == "table 3 row 2"


def _abstract_num(ns: str, abstract_id: int, levels: list[tuple[str, str]]) -> str:
    """A numbering definition: one (numFmt, lvlText) per level."""
    xml = [f'<w:abstractNum {ns} w:abstractNumId="{abstract_id}">']
    for ilvl, (fmt, text) in enumerate(levels):
        xml.append(
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/></w:lvl>'
        )
    return "".join([*xml, "</w:abstractNum>"])


def _numbered(paragraph, num_id: int, ilvl: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    numpr = OxmlElement("w:numPr")
    level = OxmlElement("w:ilvl")
    level.set(qn("w:val"), str(ilvl))
    number = OxmlElement("w:numId")
    number.set(qn("w:val"), str(num_id))
    numpr.extend([level, number])
    ppr.append(numpr)


def test_word_automatic_numbering_gives_the_stt(tmp_path: Path) -> None:
    """An STT column numbered by Word (the numbers are not in the text runs)."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    ns = f'xmlns:w="{docx.oxml.ns.nsmap["w"]}"'
    lists = (
        (90, 901, [("upperRoman", "%1")]),
        (91, 902, [("decimal", "%1."), ("decimal", "%1.%2"), ("bullet", "-")]),
    )
    for abstract, num, levels in lists:
        numbering.insert(0, etree.fromstring(_abstract_num(ns, abstract, levels)))
        numbering.append(
            etree.fromstring(
                f'<w:num {ns} w:numId="{num}"><w:abstractNumId w:val="{abstract}"/></w:num>'
            )
        )
    rows = [
        ((901, 0), "Về sắp xếp tổ chức bộ máy", ""),
        ((902, 0), "Số ban quản lý", "Ban"),
        ((902, 1), "Số ĐVSNCL thuộc UBND tỉnh", "Cơ quan, đơn vị"),
        ((902, 1), "Số ĐVSNCL thuộc sở, ngành", "Cơ quan, đơn vị"),
        ((902, 0), "Tổng số biên chế", "Người"),
        ((902, 1), "Biên chế có mặt", "Người"),
        ((902, 2), "- trong đó nữ", "Người"),
        ((901, 0), "Tình hình thực hiện về biên chế", ""),
    ]
    table = document.add_table(rows=len(rows) + 1, cols=4)
    table.style = "Table Grid"
    for col, text in enumerate(["STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu"]):
        table.cell(0, col).text = text
    for word_row, ((num, ilvl), indicator, unit) in zip(table.rows[1:], rows, strict=True):
        cells = word_row.cells
        _numbered(cells[0].paragraphs[0], num, ilvl)
        cells[1].text, cells[2].text, cells[3].text = indicator, unit, "1" if unit else ""
    path = tmp_path / "numbered.docx"
    document.save(path)
    blocks = read(read_docx_blocks, path)
    stts = [b.cells[0].text for b in blocks if isinstance(b, RawRow)][1:]
    assert stts == ["I", "1.", "1.1", "1.2", "2.", "2.1", "", "II"]
    tables, _, _ = extract_tables(blocks)
    assert [(r.stt, r.parent_stt) for r in tables[0].rows] == [
        ("I", None),
        ("1.", "I"),
        ("1.1", "1"),
        ("1.2", "1"),
        ("2.", "I"),
        ("2.1", "2"),
        ("", "2.1"),
        ("II", None),
    ]


def test_word_letterhead_is_paragraphs_metadata_can_read(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "pl1.docx", [PL1_002])
    blocks = read(read_docx_blocks, path)
    head = [b for b in blocks if isinstance(b, Paragraph)][:8]
    assert [(p.text, p.source_line) for p in head[:6]] == [
        ("VĂN PHÒNG UBND TỈNH HÀ GIANG", "table 1 row 1"),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "table 1 row 1"),
        ("Độc lập - Tự do - Hạnh phúc", "table 1 row 1"),
        ("Số: 415 /BC-VP", "table 1 row 2"),
        ("Hà Giang, ngày 15 tháng 3 năm 2023", "table 1 row 2"),
        ("BÁO CÁO", "paragraph 1"),
    ]
    assert head[6].source_line == "paragraph 2" and head[6].text.startswith("Phụ lục 1 ")
    assert head[7].text.startswith("(Kèm theo Báo cáo số")
    texts = [p.text for p in head]
    assert find_report_number(texts, []) == "415/BC-VP"
    assert find_place_and_date(texts) == ("Hà Giang", "2023-03-15")
    assert [b.line_no for b in blocks] == sorted(b.line_no for b in blocks)
    with path.open("rb") as fp:
        props = read_docx_properties(fp)
    assert (props.title, props.author) == ("Báo cáo CCHC", "Văn phòng UBND tỉnh")


def test_a_word_report_is_placed_and_read_like_its_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through read_document (the readers registered as document.py's owner will):
    the same metadata and tables as the text of the same report."""
    reference = load_reference(ROOT / "seeds")
    with R002.open("rb") as fp:
        text_document = ingest_document.read_document(
            fp, source_name=R002.name, reference=reference
        )
    # the title and the opening sentence, as the text has them under "BÁO CÁO"
    opening = [b.text for b in read(read_text_blocks, R002) if 9 <= b.line_no <= 11]
    path = write_docx(tmp_path / "002.docx", [PL1_002, PL4_002], opening=opening)
    monkeypatch.setitem(ingest_document.READERS, "docx", read_docx_blocks)
    with path.open("rb") as fp:
        word_document = ingest_document.read_document(
            fp, source_name=path.name, reference=reference
        )

    # the same values; where each was found may differ (the Word file has a letterhead)
    def values(meta):
        return {name: getattr(meta, name).value for name in meta.field_names()}

    assert values(word_document.meta) == values(text_document.meta)
    assert word_document.meta.report_number.value == "415/BC-VP"
    by_appendix = {t.appendix_no: t for t in text_document.tables}
    assert comparable(list(word_document.tables)) == comparable(
        [replace(by_appendix["1"], table_no=1), replace(by_appendix["4"], table_no=2)]
    )


def test_excel_numbers_are_written_as_the_report_shows_them(tmp_path: Path) -> None:
    path = tmp_path / "numbers.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Số liệu"
    values = [3036, 3036.0, 0.5, "1.044", "0012", 1.0, 0.245, 65454]
    formats = [None, None, None, None, None, "0%", "0.0%", "#,##0"]
    sheet.append(["Phụ lục 1"])
    for n, (value, number_format) in enumerate(zip(values, formats, strict=True), start=2):
        sheet.cell(n, 1, f"{n}")
        cell = sheet.cell(n, 2, value)
        if number_format:
            cell.number_format = number_format
    workbook.save(path)
    blocks = read(read_xlsx_blocks, path)
    assert blocks[0] == Paragraph("Phụ lục 1", "Số liệu!A1", 1)
    rows = [b for b in blocks if isinstance(b, RawRow)]
    assert [r.cells[1].text for r in rows] == [
        "3036",
        "3036",
        "0.5",
        "1.044",  # text stays exactly as typed
        "0012",
        "100%",
        "24.5%",
        "65454",  # the thousands separator of a number format is not invented
    ]
    assert [r.source_line for r in rows] == [f"Số liệu!A{n}" for n in range(2, 10)]
    # a float that is whole (a formula's cached result, say) has no ".0" either
    in_memory = openpyxl.Workbook().active
    assert cell_text(in_memory.cell(1, 1, 3036.0)) == "3036"
    assert (
        cell_text(in_memory.cell(1, 2, "  Chưa = 0\nHoàn thành = 1 ")) == "Chưa = 0 Hoàn thành = 1"
    )


def test_excel_single_cells_inside_a_table_stay_rows(tmp_path: Path) -> None:
    path = tmp_path / "single.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "PL"
    for row in (
        ["Phụ lục 03"],
        ["THỐNG KÊ CÁC VĂN BẢN"],
        [],
        ["STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú"],
        ["1", "Số văn bản", "Văn bản", 2, None],
        [None, None, None, None, "tiếp theo của ghi chú"],  # one cell, inside the table
        ["Phụ lục 04"],  # one cell right after the table, but it opens an appendix
        [],
        ["Ghi chú: số liệu đến 15/3"],
    ):
        sheet.append(row)
    workbook.save(path)
    blocks = read(read_xlsx_blocks, path)
    kinds = [(type(b).__name__, b.source_line) for b in blocks]
    assert kinds == [
        ("Paragraph", "PL!A1"),
        ("Paragraph", "PL!A2"),
        ("RawRow", "PL!A4"),
        ("RawRow", "PL!A5"),
        ("RawRow", "PL!A6"),
        ("Paragraph", "PL!A7"),
        ("Paragraph", "PL!A9"),
    ]
    tables, _, _ = extract_tables(blocks)
    assert [r.note_text for r in tables[0].rows] == ["tiếp theo của ghi chú"]


# ---------------------------------------------------------------- bad files


def _valid_docx() -> bytes:
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Phụ lục 1 " * 200)
    document.save(buffer)
    return buffer.getvalue()


def _valid_xlsx() -> bytes:
    buffer = io.BytesIO()
    workbook = openpyxl.Workbook()
    for n in range(200):
        workbook.active.append([n, f"Chỉ tiêu {n}", n * 3])
    workbook.save(buffer)
    return buffer.getvalue()


def _encrypted() -> bytes:
    """What a password-protected .docx/.xlsx is: an OLE2 compound file holding an
    'EncryptedPackage' stream (the directory entry names are UTF-16)."""
    return OLE2_MAGIC + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 1024


def _foreign_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("hello.txt", "not an office document")
    return buffer.getvalue()


BAD_FILE_READERS = {
    "docx": (read_docx_blocks, _valid_docx),
    "xlsx": (read_xlsx_blocks, _valid_xlsx),
}
BAD_FILES: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "empty": (lambda good: b"", "the file is empty"),
    "blank": (lambda good: b"\n\n  \n", "the file is empty"),
    "not a zip": (lambda good: "Báo cáo CCHC\tquý I\n".encode() * 20, "not a zip package"),
    "pdf renamed": (lambda good: b"%PDF-1.7\n" + b"x" * 100, "PDF renamed"),
    "truncated": (lambda good: good[: len(good) // 2], "truncated or damaged"),
    "encrypted": (lambda good: _encrypted(), "encrypted (password-protected)"),
    "ole2 header only": (
        lambda good: OLE2_MAGIC + b"\x00" * 2048,
        "either password-protected (encrypted) or an old binary",
    ),
    "zip of something else": (lambda good: _foreign_zip(), "the zip package is not"),
}


@pytest.mark.parametrize("fmt", BAD_FILE_READERS)
@pytest.mark.parametrize("bad", BAD_FILES)
def test_bad_files_give_a_clear_unreadable_file_error(fmt: str, bad: str) -> None:
    reader, good = BAD_FILE_READERS[fmt]
    make, words = BAD_FILES[bad]
    with pytest.raises(UnreadableFileError) as caught:
        reader(io.BytesIO(make(good())))
    error = caught.value
    assert error.where == "whole file"
    assert f".{fmt}" in error.expected
    assert words in error.what_to_do
    assert f".{fmt}" in error.what_to_do or "send" in error.what_to_do
