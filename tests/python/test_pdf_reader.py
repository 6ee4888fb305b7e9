"""The PDF reader: a text PDF made the way agencies make them (a title, a caption, a
bordered table with a two-level header continuing on the next page under its repeated
header) gives the same table rows as the text extraction of the same appendix; files
that cannot be read (scans, password-protected, empty, cut off, not a PDF) each get
their own clear error.

The PDFs are written here with fpdf2 in a Vietnamese-capable font (DejaVu Sans). If the
font is missing the tests fail and say how to install it (package fonts-dejavu-core).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fpdf import FPDF
from fpdf.fonts import FontFace

from ingest.errors import UnreadableFileError
from ingest.layout import appendix_heading, extract_tables, is_header_row
from ingest.markup import fold, paragraph_text
from ingest.model import Block, Paragraph, RawCell, RawRow, Table
from ingest.readers.pdf import _join_cell_lines, read_pdf_blocks
from ingest.readers.text import text_to_blocks

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ROOT / "data" / "reports"
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/Library/Fonts"),
)
FONT_FILES = {
    "": "DejaVuSans.ttf",
    "B": "DejaVuSans-Bold.ttf",
    "I": "DejaVuSans-Oblique.ttf",
    "BI": "DejaVuSans-BoldOblique.ttf",
}
EMPHASIS = {(False, False): "", (True, False): "B", (False, True): "I", (True, True): "BI"}


@pytest.fixture(scope="module")
def font_dir() -> Path:
    for folder in FONT_DIRS:
        if all((folder / name).is_file() for name in FONT_FILES.values()):
            return folder
    pytest.fail(
        "the PDF reader tests need the DejaVu Sans fonts (DejaVuSans.ttf, -Bold, -Oblique, "
        f"-BoldOblique) to write Vietnamese text; none found in {[str(d) for d in FONT_DIRS]}. "
        "Install them: apt-get install fonts-dejavu-core"
    )


class _Report(FPDF):
    """An A4 report with the page number at the top of every page after the first."""

    def header(self) -> None:
        if self.page_no() > 1:
            self.set_font("DejaVu", "", 10)
            self.cell(0, 6, str(self.page_no()), align="C", new_x="LMARGIN", new_y="NEXT")


def new_pdf(font_dir: Path, *, numbered: bool = True) -> FPDF:
    pdf = _Report(format="A4") if numbered else FPDF(format="A4")
    for style, name in FONT_FILES.items():
        pdf.add_font("DejaVu", style, str(font_dir / name))
    pdf.set_font("DejaVu", "", 10)
    pdf.set_margins(15, 15, 15)
    return pdf


def pdf_bytes(pdf: FPDF) -> bytes:
    return bytes(pdf.output())


def read(data: bytes) -> list[Block]:
    return read_pdf_blocks(io.BytesIO(data))


# ---------------------------------------------------------------- sample appendices


@dataclass(frozen=True)
class Appendix:
    """One appendix of a sample report as the text reader sees it."""

    blocks: list[Block]
    table: Table
    header: RawRow
    subheader: RawRow
    rows: list[RawRow]  # data rows, the repeated headers left out
    pages: list[tuple[bool, list[RawRow]]]  # per page of the text: (header repeated, rows)
    trailing: list[Paragraph]  # running text after the table


def sample_appendix(report: str, number: str) -> Appendix:
    lines = (REPORTS / report).read_text(encoding="utf-8").splitlines()
    start = end = None
    for i, line in enumerate(lines):
        heading = appendix_heading(paragraph_text(line))
        if heading is None:
            continue
        if start is None and heading[0] == number:
            start = i
        elif start is not None:
            end = i
            break
    assert start is not None, f"Phụ lục {number} not found in {report}"
    return appendix_from_text("\n".join(lines[start:end]))


def appendix_from_text(text: str) -> Appendix:
    blocks = text_to_blocks(text)
    tables, _, _ = extract_tables(blocks)
    assert len(tables) == 1
    table_rows = [b for b in blocks if isinstance(b, RawRow)]
    header, subheader = table_rows[0], table_rows[1]
    assert is_header_row(header)
    repeated = {_key(header), _key(subheader)}
    pages: list[tuple[bool, list[RawRow]]] = [(True, [])]
    for row in table_rows[2:]:
        if row.after_break:  # a blank line: the page broke here
            pages.append((_key(row) == _key(header), []))
        if _key(row) not in repeated:
            pages[-1][1].append(row)
    last_row = max(i for i, b in enumerate(blocks) if isinstance(b, RawRow))
    trailing = [b for b in blocks[last_row:] if isinstance(b, Paragraph)]
    rows = [r for _, page in pages for r in page]
    return Appendix(blocks, tables[0], header, subheader, rows, pages, trailing)


def _key(row: RawRow) -> tuple[str, ...]:
    return tuple(fold(c.text) for c in row.cells)


def _padded(cells: tuple[RawCell, ...], width: int) -> list[RawCell]:
    return list(cells) + [RawCell("")] * (width - len(cells))


PREFACE = "Nơi nhận: như trên; lưu VT."


def appendix_pdf(font_dir: Path, appendix: Appendix, *, break_as_text: bool = False) -> bytes:
    """The appendix as an agency's PDF: heading, title, caption, then a bordered table
    whose two-level header (a spanning cell over 'Đơn vị tính' and 'Số liệu') repeats
    on every page, then the notes under the table. The table breaks where the page is
    full, or with ``break_as_text`` also where the text extraction's pages break."""
    pdf = new_pdf(font_dir)
    pdf.add_page()
    table = appendix.table
    pdf.multi_cell(0, 5, PREFACE, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 12)
    pdf.multi_cell(0, 6, f"Phụ lục {table.appendix_no}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 6, table.appendix_title or "", align="C", new_x="LMARGIN", new_y="NEXT")
    if table.caption:
        pdf.set_font("DejaVu", "I", 10)
        pdf.multi_cell(0, 6, table.caption, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("DejaVu", "", 9)

    chunks = appendix.pages if break_as_text else [(True, appendix.rows)]
    for number, (headed, rows) in enumerate(chunks):
        if number:
            pdf.add_page()
        _draw_table(pdf, appendix.header, appendix.subheader, rows, headed=headed)
    pdf.ln(3)
    pdf.set_font("DejaVu", "", 10)
    for para in appendix.trailing:
        pdf.multi_cell(0, 5, para.text, new_x="LMARGIN", new_y="NEXT")
    return pdf_bytes(pdf)


def _draw_table(
    pdf: FPDF, header: RawRow, subheader: RawRow, rows: list[RawRow], *, headed: bool = True
) -> None:
    """A bordered table; its two header rows repeat at the top of every page it runs on.
    Without ``headed`` only the rows are drawn (a table going on without its header)."""
    top = [c.text for c in header.cells]
    sub = [c.text for c in subheader.cells]
    width = max(len(top), len(sub), *(len(r.cells) for r in rows))
    top += [""] * (width - len(top))
    sub += [""] * (width - len(sub))
    with pdf.table(
        col_widths=(10, 62, 26, 40, 32)[:width],
        num_heading_rows=2 if headed else 0,
        first_row_as_headings=headed,
        text_align="LEFT",
        line_height=4.5,
    ) as grid:
        if headed:
            _draw_header(grid, top, sub, width)
        for raw in rows:
            row = grid.row()
            for cell in _padded(raw.cells, width):
                style = EMPHASIS[(cell.is_bold, cell.is_italic)]
                row.cell(cell.text, style=FontFace(family="DejaVu", emphasis=style or None))


def _draw_header(grid: Any, top: list[str], sub: list[str], width: int) -> None:
    """The two header rows: a cell with nothing under it spans both rows, a cell with
    empty cells to its right and text under them spans those columns."""
    first = grid.row()
    spanned_down = set()
    for i in range(width):
        if not top[i]:
            continue  # under the spanning cell to its left
        span = 1
        while i + span < width and not top[i + span] and sub[i + span]:
            span += 1
        if span == 1 and not sub[i]:
            first.cell(top[i], rowspan=2)
            spanned_down.add(i)
        else:
            first.cell(top[i], colspan=span)
    second = grid.row()
    for i in range(width):
        if i not in spanned_down:
            second.cell(sub[i])


def row_facts(table: Table) -> list[tuple]:
    return [
        (
            r.stt,
            r.indicator_text,
            r.unit_text,
            tuple(v.text for v in r.values),
            r.note_text,
            r.depth,
            r.parent_stt,
            r.is_continuation_merged,
            r.is_bold,
            r.is_italic,
        )
        for r in table.rows
    ]


SAMPLES = {
    # 000: "Kết quả thống kê" over "Đơn vị tính" / "Số liệu"; code scales wrapped over
    # several rows; bold and italic rows
    "000-phu-luc-08": ("000_1bbab62c8031cf52.txt", "08"),
    # 002: "Kết quả" over "Đơn vị tính" / "Số liệu của kỳ báo cáo"; a note column; a note
    # under the table naming items that cover the whole province
    "002-phu-luc-1": ("002_04942a727d49f9a1.txt", "1"),
}


@pytest.fixture(
    scope="module",
    params=[(name, breaks) for name in sorted(SAMPLES) for breaks in ("full-pages", "as-text")],
    ids="-".join,
)
def sample(request: pytest.FixtureRequest, font_dir: Path) -> tuple[Appendix, bytes]:
    """The appendix as a PDF whose table breaks where pages are full, or also where the
    text extraction's page breaks are."""
    name, breaks = request.param
    appendix = sample_appendix(*SAMPLES[name])
    return appendix, appendix_pdf(font_dir, appendix, break_as_text=breaks == "as-text")


# ---------------------------------------------------------------- the PDF reads like the text


def test_pdf_table_rows_equal_the_text_reader_rows(sample: tuple[Appendix, bytes]) -> None:
    appendix, data = sample
    tables, _, issues = extract_tables(read(data))
    assert len(tables) == 1, [t.columns for t in tables]
    table, expected = tables[0], appendix.table
    assert not issues
    assert table.table_kind == expected.table_kind == "indicators"
    assert table.columns == expected.columns
    assert len(table.rows) == len(expected.rows)
    assert row_facts(table) == row_facts(expected)
    assert [r.scope for r in table.rows] == [r.scope for r in expected.rows]


def test_pdf_appendix_number_title_and_caption_are_read(sample: tuple[Appendix, bytes]) -> None:
    appendix, data = sample
    table = extract_tables(read(data))[0][0]
    assert table.appendix_no == appendix.table.appendix_no
    assert table.appendix_title == appendix.table.appendix_title
    assert table.caption == appendix.table.caption


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_the_table_continues_on_the_next_page_under_its_repeated_header(
    name: str, font_dir: Path
) -> None:
    blocks = read(appendix_pdf(font_dir, sample_appendix(*SAMPLES[name])))
    rows = [b for b in blocks if isinstance(b, RawRow)]
    pages = sorted({r.source_line for r in rows}, key=lambda p: int(p.split()[1]))
    assert len(pages) >= 2, "the sample table should run onto a second page"
    for page in pages:
        on_page = [r for r in rows if r.source_line == page]
        assert is_header_row(on_page[0]), f"{page} starts with its header"
        assert on_page[0].after_break == (page != "p. 1")
        # the two-level header: cells under a spanning cell are empty, as in the text
        assert [c.text for c in on_page[0].cells][3] == ""
        assert "Đơn vị tính" in [c.text for c in on_page[1].cells]
    assert all(not r.after_break for r in rows if not is_header_row(r))


def test_blocks_are_in_reading_order_with_page_and_running_line(
    sample: tuple[Appendix, bytes],
) -> None:
    appendix, data = sample
    blocks = read(data)
    assert [b.line_no for b in blocks] == list(range(1, len(blocks) + 1))
    assert isinstance(blocks[0], Paragraph) and blocks[0].text == PREFACE
    assert blocks[0].source_line == "p. 1"
    first_row = next(i for i, b in enumerate(blocks) if isinstance(b, RawRow))
    heading = [b.text for b in blocks[:first_row] if isinstance(b, Paragraph)]
    assert f"Phụ lục {appendix.table.appendix_no}" in heading
    pages = [int(b.source_line.removeprefix("p. ")) for b in blocks]
    assert pages == sorted(pages)
    # the page numbers printed at the top of pages 2, 3 are left out, as in the text
    assert not [b for b in blocks if isinstance(b, Paragraph) and b.text.isdigit()]
    assert [b.source_line for b in blocks if isinstance(b, RawRow)][-1] != "p. 1"
    if appendix.trailing:  # the notes under the table come after its last row
        last_row = max(i for i, b in enumerate(blocks) if isinstance(b, RawRow))
        after = " ".join(b.text for b in blocks[last_row:] if isinstance(b, Paragraph))
        assert after.startswith(appendix.trailing[0].text)


BROKEN_ROW = """Phụ lục 02
Thống kê kết quả giải quyết thủ tục hành chính
(Kèm theo Báo cáo số 12/BC-UBND ngày 10/12/2023 của UBND huyện)
STT\tChỉ tiêu thống kê\tKết quả thống kê\t\tGhi chú
\t\tĐơn vị tính\tSố liệu\t
1\tSố thủ tục hành chính được công bố\tThủ tục\t1.044\t
2\tTỷ lệ hồ sơ giải quyết đúng hạn trên tổng số hồ sơ đã\t%\t98,5%\t

STT\tChỉ tiêu thống kê\tKết quả thống kê\t\tGhi chú
\t\tĐơn vị tính\tSố liệu\t
\tgiải quyết trong kỳ báo cáo\t\t\t
2.1\tSố hồ sơ đã giải quyết\tHồ sơ\t65.454\t
2.2\tSố hồ sơ giải quyết đúng hạn\tHồ sơ\t64.473\tSố liệu toàn tỉnh
3\tCập nhật Kiến trúc chính quyền điện tử\tChưa = 0\t1\t
\t\tHoàn thành = 1\t\t
"""


@pytest.mark.parametrize("repeated_header", [True, False], ids=["header-repeated", "no-header"])
def test_a_row_broken_by_a_page_break_is_joined_as_in_the_text(
    font_dir: Path, repeated_header: bool
) -> None:
    text = BROKEN_ROW
    if not repeated_header:  # the table goes on below the page number without its header
        text = text.replace("\n\n" + "\n".join(text.splitlines()[3:5]) + "\n", "\n\n")
        assert text.count("Đơn vị tính") == 1
    appendix = appendix_from_text(text)
    data = appendix_pdf(font_dir, appendix, break_as_text=True)
    blocks = read(data)
    fragment = next(
        b for b in blocks if isinstance(b, RawRow) and b.cells[1].text.startswith("giải quyết")
    )
    assert fragment.source_line == "p. 2" and fragment.cells[0].text == ""
    tables, _, _ = extract_tables(blocks)
    assert len(tables) == 1
    assert row_facts(tables[0]) == row_facts(appendix.table)
    assert [r.scope for r in tables[0].rows] == [r.scope for r in appendix.table.rows]
    joined = tables[0].rows[1]
    assert joined.indicator_text == (
        "Tỷ lệ hồ sơ giải quyết đúng hạn trên tổng số hồ sơ đã giải quyết trong kỳ báo cáo"
    )
    assert joined.is_continuation_merged and joined.source_line == "p. 1"
    assert tables[0].rows[-1].unit_text == "Chưa = 0 Hoàn thành = 1"


def test_bold_and_italic_cells_are_read_from_the_font_names(
    sample: tuple[Appendix, bytes],
) -> None:
    appendix, data = sample
    header = {_key(appendix.header), _key(appendix.subheader)}
    pdf_rows = [b for b in read(data) if isinstance(b, RawRow) and _key(b) not in header]

    def flagged(rows: list[RawRow]) -> list[tuple[str, bool, bool]]:
        return [(c.text, c.is_bold, c.is_italic) for r in rows for c in r.cells if c.text]

    assert flagged(pdf_rows) == flagged(appendix.rows)


def superscript(pdf: FPDF, height: float, text: str) -> None:
    pdf.char_vpos = "SUP"
    pdf.write(height, text)
    pdf.char_vpos = "LINE"


def test_footnote_markers_are_dropped_and_mark_footnote_lines(font_dir: Path) -> None:
    pdf = new_pdf(font_dir)
    pdf.add_page()
    pdf.set_font("DejaVu", "", 11)
    pdf.write(6, "1. Đã công bố 1.044")
    superscript(pdf, 6, "2")
    pdf.write(6, " thủ tục hành chính năm 2023.")
    pdf.ln(10)
    pdf.set_font("DejaVu", "", 9)
    superscript(pdf, 5, "2")
    pdf.write(5, " Số liệu tính đến ngày 14/12/2023.")
    pdf.ln(6)
    pdf.set_font("DejaVu", "", 6)
    pdf.cell(3, 5, "3")
    pdf.set_font("DejaVu", "", 9)
    pdf.cell(0, 5, "Theo Quyết định số 12/QĐ-UBND.", new_x="LMARGIN", new_y="NEXT")
    paragraphs = [b for b in read(pdf_bytes(pdf)) if isinstance(b, Paragraph)]
    assert [(p.text, p.is_footnote) for p in paragraphs] == [
        ("1. Đã công bố 1.044 thủ tục hành chính năm 2023.", False),
        ("Số liệu tính đến ngày 14/12/2023.", True),
        ("3 Theo Quyết định số 12/QĐ-UBND.", True),  # a small marker on the line
    ]


def test_a_footnote_marker_after_a_figure_in_a_cell_is_dropped(font_dir: Path) -> None:
    pdf = new_pdf(font_dir)
    pdf.add_page()
    widths = (15, 100, 35, 30)
    rows = [
        ("STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu"),
        ("1", "Số thủ tục hành chính được công bố trong năm 2023", "Thủ tục", "1.044"),
    ]
    for values in rows:  # a ruled table drawn cell by cell, as a word processor does
        for width, value in zip(widths, values, strict=True):
            pdf.cell(width, 8, value, border=1)
        pdf.ln(8)
    # the footnote marker 2 raised right after the figure 1.044
    pdf.set_xy(15 + sum(widths[:3]) + pdf.c_margin + pdf.get_string_width("1.044"), pdf.y - 8)
    superscript(pdf, 8, "2")
    pdf_rows = [b for b in read(pdf_bytes(pdf)) if isinstance(b, RawRow)]
    assert [c.text for c in pdf_rows[1].cells] == [
        "1",
        "Số thủ tục hành chính được công bố trong năm 2023",
        "Thủ tục",
        "1.044",
    ]


def test_text_standing_side_by_side_on_a_line_becomes_separate_paragraphs(
    font_dir: Path,
) -> None:
    pdf = new_pdf(font_dir)
    pdf.add_page()
    pdf.set_font("DejaVu", "", 11)
    pdf.cell(70, 6, "Số: 415 /BC-VP", align="C")
    pdf.cell(0, 6, "Hà Giang, ngày 15 tháng 3 năm 2023", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(
        0,
        6,
        "Thực hiện Công văn số 574/UBND-PVHCC ngày 07/3/2022 của Ủy ban nhân "
        "dân tỉnh Hà Giang về việc xây dựng báo cáo định kỳ",
        align="J",
    )
    texts = [b.text for b in read(pdf_bytes(pdf)) if isinstance(b, Paragraph)]
    assert texts[:2] == ["Số: 415 /BC-VP", "Hà Giang, ngày 15 tháng 3 năm 2023"]
    assert " ".join(texts[2:]).startswith("Thực hiện Công văn số 574/UBND-PVHCC ngày 07/3/2022")
    assert len(texts) == 4  # the justified sentence is two lines, not cut at its spaces


# ---------------------------------------------------------------- whole reports


def report_pdf(font_dir: Path, blocks: list[Block]) -> bytes:
    """A whole text report printed as PDF: its lines as paragraphs (footnotes with a
    raised marker), each run of table rows as a ruled table that starts a new page
    where the text's page broke, and page numbers at the top of the pages."""
    pdf = new_pdf(font_dir)
    pdf.add_page()
    pdf.set_font("DejaVu", "", 9)
    run: list[RawRow] = []
    for block in [*blocks, None]:
        if isinstance(block, RawRow):
            run.append(block)
            continue
        if run:
            _print_rows(pdf, run)
            run = []
        if isinstance(block, Paragraph) and block.is_footnote:
            superscript(pdf, 5, "1")
            pdf.write(5, block.text)
            pdf.ln(5)
        elif isinstance(block, Paragraph):
            pdf.multi_cell(0, 5, block.text, new_x="LMARGIN", new_y="NEXT")
    return pdf_bytes(pdf)


def _print_rows(pdf: FPDF, rows: list[RawRow]) -> None:
    parts: list[list[RawRow]] = [[]]
    for row in rows:
        if row.after_break and parts[-1]:
            parts.append([])
        parts[-1].append(row)
    for number, part in enumerate(parts):
        if number:
            pdf.add_page()
        width = max(len(r.cells) for r in part)
        widths = {4: (12, 90, 40, 38), 5: (10, 62, 26, 40, 32)}.get(width, (180 / width,) * width)
        with pdf.table(
            col_widths=widths, text_align="LEFT", line_height=4.5, first_row_as_headings=False
        ) as grid:
            for raw in part:
                row = grid.row()
                for cell in _padded(raw.cells, width):
                    style = EMPHASIS[(cell.is_bold, cell.is_italic)]
                    row.cell(cell.text, style=FontFace(family="DejaVu", emphasis=style or None))
    pdf.ln(2)


@pytest.mark.parametrize(
    "report", sorted(p.stem for p in (ROOT / "tests" / "golden").glob("*.csv"))
)
def test_every_table_row_of_a_whole_report_reads_the_same_from_its_pdf(
    report: str, font_dir: Path
) -> None:
    text_blocks = text_to_blocks((REPORTS / f"{report}.txt").read_text(encoding="utf-8"))
    expected, _, _ = extract_tables(text_blocks)
    tables, _, _ = extract_tables(read(report_pdf(font_dir, text_blocks)))
    assert [(t.appendix_no, t.appendix_title, t.columns) for t in tables] == [
        (t.appendix_no, t.appendix_title, t.columns) for t in expected
    ]
    for got, want in zip(tables, expected, strict=True):
        assert row_facts(got) == row_facts(want), f"table {want.table_no}"
        assert [r.scope for r in got.rows] == [r.scope for r in want.rows]
    # Captions are not compared: ingest.layout takes a caption from one paragraph, and a
    # PDF gives one paragraph per printed line, so a caption printed over two lines
    # keeps only one of them.


def test_a_number_wrapped_in_a_narrow_column_is_joined_without_a_space() -> None:
    assert _join_cell_lines(["1.3.3", ".1"]) == "1.3.3.1"
    assert _join_cell_lines(["1.3.3.", "1"]) == "1.3.3.1"
    assert _join_cell_lines(["12", "15"]) == "12 15"  # two figures, not one
    assert _join_cell_lines(["Số nhiệm vụ", "đã hoàn thành"]) == "Số nhiệm vụ đã hoàn thành"
    assert _join_cell_lines(["Kế hoạch số 2.", "3. Quyết định"]) == "Kế hoạch số 2. 3. Quyết định"


# ---------------------------------------------------------------- files that cannot be read


def error_of(data: bytes) -> UnreadableFileError:
    with pytest.raises(UnreadableFileError) as caught:
        read(data)
    return caught.value


def test_a_blank_scanned_pdf_is_read_by_ocr_and_refused_without_text(
    font_dir: Path, ocr_tools: None
) -> None:
    from PIL import Image

    scan = io.BytesIO()
    Image.new("L", (400, 560), color=235).save(scan, format="PNG")
    pdf = new_pdf(font_dir, numbered=False)
    for _ in range(2):
        pdf.add_page()
        pdf.image(scan, x=10, y=10, w=190)
    error = error_of(pdf_bytes(pdf))
    message = str(error)
    assert "scanned PDF" in message
    assert "2 page(s) of images" in message
    assert "Word file" in message and "OCR found no text" in message


def test_a_pdf_with_only_drawings_and_no_text_is_refused(font_dir: Path) -> None:
    pdf = new_pdf(font_dir)
    pdf.add_page()
    pdf.rect(20, 20, 100, 50)
    message = str(error_of(pdf_bytes(pdf)))
    assert "no text and no images" in message and "Word file" in message


def test_an_empty_file_is_refused() -> None:
    for data in (b"", b"  \n"):
        error = error_of(data)
        assert "empty" in error.what_to_do


def test_a_file_that_is_not_a_pdf_is_refused() -> None:
    word = b"PK\x03\x04" + b"\x00" * 40 + b"word/document.xml"
    for data in (word, "Báo cáo cải cách hành chính".encode()):
        error = error_of(data)
        assert "not a PDF" in error.what_to_do
        assert error.where == "start of the file"


def test_a_truncated_pdf_is_refused(font_dir: Path) -> None:
    pdf = new_pdf(font_dir)
    pdf.add_page()
    pdf.multi_cell(0, 6, "Báo cáo kết quả cải cách hành chính năm 2023. " * 40)
    data = pdf_bytes(pdf)
    error = error_of(data[: len(data) // 2])
    assert "cut off" in error.what_to_do


def test_a_damaged_pdf_is_refused() -> None:
    error = error_of(b"%PDF-1.7\n1 0 obj << /Type /Nothing >> endobj\ntrailer << >>\n%%EOF\n")
    assert "damaged" in error.what_to_do


def test_a_password_protected_pdf_is_refused(font_dir: Path) -> None:
    pdf = new_pdf(font_dir)
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.cell(0, 10, "Báo cáo cải cách hành chính")
    error = error_of(pdf_bytes(pdf))
    assert "password" in error.what_to_do


def test_a_pdf_protected_only_against_editing_is_read(font_dir: Path) -> None:
    pdf = new_pdf(font_dir)
    pdf.set_encryption(owner_password="owner")  # opens without a password
    pdf.add_page()
    pdf.cell(0, 10, "Báo cáo cải cách hành chính")
    blocks = read(pdf_bytes(pdf))
    assert [b.text for b in blocks if isinstance(b, Paragraph)] == ["Báo cáo cải cách hành chính"]


# ---------------------------------------------------------------- a borderless table


def test_a_borderless_table_is_found_by_text_alignment(font_dir: Path) -> None:
    pdf = new_pdf(font_dir)
    pdf.add_page()
    pdf.multi_cell(0, 6, "Biểu số liệu", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    rows = [
        ("STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu"),
        ("1", "Số thủ tục hành chính", "Thủ tục", "1.044"),
        ("2", "Tỷ lệ hồ sơ đúng hạn", "%", "98,5%"),
        ("3", "Số cuộc kiểm tra", "Cuộc", "12"),
    ]
    with pdf.table(col_widths=(15, 90, 35, 35), borders_layout="NONE", text_align="LEFT") as t:
        for values in rows:
            row = t.row()
            for value in values:
                row.cell(value)
    tables, paragraphs, _ = extract_tables(read(pdf_bytes(pdf)))
    assert [p.text for p in paragraphs] == ["Biểu số liệu"]
    assert len(tables) == 1
    got = [(r.stt, r.indicator_text, r.unit_text, r.values[0].text) for r in tables[0].rows]
    assert got == rows[1:]
