"""Text PDFs as Word prints them (fpdf2, DejaVu Sans for Vietnamese): the letterhead
side by side or stacked, the subject centred, the appendix a ruled table whose header
repeats on every page. A figure's place is ``p. N``, the page its row is printed on."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from tools.corpus.seeds import Seeds
from tools.corpus.spec import ReportSpec, TableSpec
from tools.corpus.writers.cells import (
    RECIPIENTS,
    appendix_heading,
    letterhead_left,
    letterhead_right,
    table_cells,
)

Places = dict[tuple[int, int], str]
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}  # each costs ~0.1 s to load
LINE = 4.5


class _Report(FPDF):
    running_header = ""

    def header(self) -> None:
        if self.running_header:
            self.set_font("DejaVu", "", 8)
            self.cell(0, 5, self.running_header, align="C", new_x="LMARGIN", new_y="NEXT")
            self.ln(2)


def _new_pdf(spec: ReportSpec) -> _Report:
    for name in FONTS.values():
        if not (FONT_DIR / name).is_file():
            raise FileNotFoundError(
                f"{FONT_DIR / name}: the PDF writer needs DejaVu Sans "
                "(apt-get install fonts-dejavu-core)"
            )
    pdf = _Report(format="A4")
    pdf.running_header = spec.page_header
    for style, name in FONTS.items():
        pdf.add_font("DejaVu", style, str(FONT_DIR / name))
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=15)
    if spec.properties:
        pdf.set_title(spec.properties["title"])
        pdf.set_author(spec.properties["author"])
    return pdf


def _widths(table: TableSpec) -> list[float]:
    if table.measures:
        return [12, 58, *([32] * len(table.measures)), 14]
    return [16, 84, 25, 35, 20] if len(table.headers) == 5 else [16, 104, 40, 20]


def _row_height(pdf: FPDF, widths: list[float], cells: list[str]) -> float:
    lines = 1
    for width, text in zip(widths, cells, strict=True):
        if text:
            split = pdf.multi_cell(width, LINE, text, dry_run=True, output="LINES")
            lines = max(lines, len(split))
    return lines * LINE + 1


def _draw_row(pdf: FPDF, widths: list[float], cells: list[str], *, bold: bool) -> None:
    pdf.set_font("DejaVu", "B" if bold else "", 8)
    height = _row_height(pdf, widths, cells)
    x, y = pdf.l_margin, pdf.get_y()
    for width, text in zip(widths, cells, strict=True):
        pdf.rect(x, y, width, height)
        pdf.set_xy(x + 0.5, y + 0.5)
        pdf.multi_cell(width - 1, LINE, text, new_x="RIGHT", new_y="TOP")
        x += width
    pdf.set_xy(pdf.l_margin, y + height)


def _letterhead(pdf: FPDF, spec: ReportSpec) -> None:
    left, right = letterhead_left(spec), letterhead_right(spec)
    pdf.set_font("DejaVu", "B", 9)
    if spec.axes["letterhead"] == "two_column":
        top = pdf.get_y()
        for line in left:
            pdf.cell(75, 5, line, align="C", new_x="LMARGIN", new_y="NEXT")
        bottom = pdf.get_y()
        pdf.set_y(top)
        for line in right:
            pdf.set_x(pdf.l_margin + 80)
            pdf.cell(100, 5, line, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(max(bottom, pdf.get_y()))
    else:
        for line in [*left, *right]:
            pdf.cell(0, 5, line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)


def write(spec: ReportSpec, seeds: Seeds, path: Path) -> Places:
    pdf = _new_pdf(spec)
    pdf.add_page()
    places: Places = {}
    alone = spec.kind == "appendix"
    if not alone:
        _letterhead(pdf, spec)
        pdf.set_font("DejaVu", "B", 11)
        for line in spec.title_lines:
            pdf.multi_cell(0, 6, line, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 10)
        for line in [*spec.body, RECIPIENTS]:
            pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
        pdf.add_page()
    for t_no, table in enumerate(spec.tables, start=1):
        if t_no > 1:
            pdf.add_page()
        pdf.set_font("DejaVu", "B", 10)
        for line in appendix_heading(table, alone):
            pdf.multi_cell(0, 5, line, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        widths = _widths(table)
        header = list(table.headers)
        _draw_row(pdf, widths, header, bold=True)
        for r_no, (row, cells) in enumerate(
            zip(table.rows, table_cells(table, spec, seeds), strict=True)
        ):
            if pdf.get_y() + _row_height(pdf, widths, cells) > pdf.h - pdf.b_margin:
                pdf.add_page()
                _draw_row(pdf, widths, header, bold=True)
            _draw_row(pdf, widths, cells, bold=row.figure is None)
            if row.figure is not None:
                places[(t_no, r_no)] = f"p. {pdf.page_no()}"
    pdf.output(str(path))
    return places
