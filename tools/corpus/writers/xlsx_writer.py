"""Workbooks: one sheet per appendix; the letterhead in two columns of cells (A and D)
or stacked in column A; a title row, the caption, then the table. A figure's place is
``Sheet!A<row>`` (the address of its row's first cell), as the product's reader names it."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from tools.corpus.seeds import Seeds
from tools.corpus.spec import ReportSpec
from tools.corpus.writers.cells import (
    RECIPIENTS,
    appendix_heading,
    crosstab_values,
    has_unit_column,
    letterhead_left,
    letterhead_right,
    row_cells,
)

Places = dict[tuple[int, int], str]


def _letterhead(sheet, spec: ReportSpec) -> None:
    left, right = letterhead_left(spec), letterhead_right(spec)
    if spec.axes["letterhead"] == "two_column":
        for i in range(max(len(left), len(right))):
            sheet.append(
                [
                    left[i] if i < len(left) else None,
                    None,
                    None,
                    right[i] if i < len(right) else None,
                ]
            )
    else:
        for line in [*left, *right]:
            sheet.append([line])


def write(spec: ReportSpec, seeds: Seeds, path: Path) -> Places:
    book = Workbook()
    places: Places = {}
    alone = spec.kind == "appendix"
    if spec.properties:
        book.properties.title = spec.properties["title"]
        book.properties.creator = spec.properties["author"]
    for t_no, table in enumerate(spec.tables, start=1):
        sheet = book.active if t_no == 1 else book.create_sheet()
        name = spec.sheet_name or f"Phu luc {table.appendix_no}"
        sheet.title = name if t_no == 1 or not spec.sheet_name else f"{name[:27]} ({t_no})"
        if spec.sheet_title:
            sheet.append([spec.sheet_title])
            sheet.append([])
        if t_no == 1 and not alone:
            _letterhead(sheet, spec)
            sheet.append([])
            for line in [*spec.title_lines, *spec.body, RECIPIENTS]:
                sheet.append([line])
            sheet.append([])
        for line in appendix_heading(table, alone):
            sheet.append([line])
        sheet.append([])
        sheet.append(list(table.headers))
        with_unit = has_unit_column(table, spec)
        for r_no, row in enumerate(table.rows):
            if table.measures:  # a cross-tab: one cell per measure
                numbers = spec.style.number_format == "numeric_cells"
                figures = [row.figure, *row.more] if row.figure else []
                written = [int(f.value) for f in figures] if numbers else crosstab_values(row, spec)
                sheet.append([row.stt, row.indicator_text, *written, None])
                places[(t_no, r_no)] = f"{sheet.title}!A{sheet.max_row}"
                continue
            cells = row_cells(row, spec, seeds)
            values: list[object] = [cells.stt, cells.indicator]
            if with_unit:
                values.append(cells.unit)
            value: object = cells.number if cells.number is not None else cells.value
            values += [value if value != "" else None, None]
            sheet.append(values)
            if cells.number_format:
                sheet.cell(
                    row=sheet.max_row, column=len(values) - 1
                ).number_format = cells.number_format
            if row.figure is not None:
                places[(t_no, r_no)] = f"{sheet.title}!A{sheet.max_row}"
    book.save(str(path))
    return places
