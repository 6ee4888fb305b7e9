"""Word reports: the letterhead as a borderless two-column table or stacked
paragraphs, the subject centred, the appendix a bordered table. A figure's place is
``table N row M`` (N counts every body table, the letterhead's too; M counts rows from 1,
the header's too), as the product's Word reader names it."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from tools.corpus.seeds import Seeds
from tools.corpus.spec import ReportSpec
from tools.corpus.writers.cells import (
    RECIPIENTS,
    appendix_heading,
    letterhead_left,
    letterhead_right,
    table_cells,
)

Places = dict[tuple[int, int], str]


def _cell_lines(cell, lines: list[str]) -> None:
    cell.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def _centred(doc, text: str, *, bold: bool = False) -> None:
    para = doc.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.add_run(text).bold = bold


def write(spec: ReportSpec, seeds: Seeds, path: Path) -> Places:
    doc = Document()
    tables_drawn = 0
    places: Places = {}
    alone = spec.kind == "appendix"
    if spec.page_header:
        doc.sections[0].header.paragraphs[0].text = spec.page_header
    if spec.properties:
        doc.core_properties.title = spec.properties["title"]
        doc.core_properties.author = spec.properties["author"]
    if not alone:
        if spec.axes["letterhead"] == "two_column":
            head = doc.add_table(rows=1, cols=2)  # the default style draws no borders
            _cell_lines(head.cell(0, 0), letterhead_left(spec))
            _cell_lines(head.cell(0, 1), letterhead_right(spec))
            tables_drawn += 1
        else:
            for line in [*letterhead_left(spec), *letterhead_right(spec)]:
                _centred(doc, line, bold=line.isupper())
        _centred(doc, spec.title_lines[0], bold=True)
        _centred(doc, spec.title_lines[1], bold=True)
        for line in spec.body:
            doc.add_paragraph(line)
        doc.add_paragraph(RECIPIENTS)
    for t_no, table in enumerate(spec.tables, start=1):
        for line in appendix_heading(table, alone):
            _centred(doc, line, bold=not line.startswith("("))
        rows = table_cells(table, spec, seeds)
        grid = doc.add_table(rows=1 + len(rows), cols=len(table.headers))
        grid.style = "Table Grid"
        tables_drawn += 1
        grid_rows = list(grid.rows)  # cell lookups by (row, column) are quadratic in python-docx
        for cell, text in zip(grid_rows[0].cells, table.headers, strict=True):
            cell.paragraphs[0].add_run(text).bold = True
        for r_no, (row, cells) in enumerate(zip(table.rows, rows, strict=True)):
            for cell, text in zip(grid_rows[r_no + 1].cells, cells, strict=True):
                cell.paragraphs[0].add_run(text).bold = row.figure is None
            if row.figure is not None:
                places[(t_no, r_no)] = f"table {tables_drawn} row {r_no + 2}"
        doc.add_paragraph("")
    doc.save(str(path))
    return places
