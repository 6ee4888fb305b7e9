"""Reader for Excel (.xlsx) reports.

Every sheet is read in order. A non-empty row becomes a ``RawRow`` when it has two or
more non-empty cells, or when it has one and comes right after a table row (no empty
row between) without opening an appendix ("Phụ lục …") or being its caption ("(Kèm
theo …)"): a section row or a wrapped cell inside the table. Any other row with one
non-empty cell is a title or a note above or below a table and becomes a ``Paragraph``.
``source_line`` is the address of the row's first cell, ``Sheet!A12``.

Cells are written as the report shows them, without inventing formatting: text exactly
as typed (line breaks inside a cell become one space), whole numbers as digits (3036,
not 3036.0), other numbers in Python's shortest form with '.' as decimal mark, numbers
whose number format has '%' as a percent ("100%"), dates as day/month/year, TRUE/FALSE
as typed. Formulas give their value as Excel last calculated it; a formula that was
never calculated (a file written by a program, not saved by Excel) gives an empty cell.
In a merged range the top-left cell holds the text and the others are empty.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
from typing import BinaryIO

from openpyxl import load_workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.worksheet.worksheet import Worksheet

from ingest.errors import UnreadableFileError
from ingest.layout import appendix_heading
from ingest.markup import tidy
from ingest.model import Block, Paragraph, RawCell, RawRow
from ingest.readers.docx import check_office_bytes


def _open(fp: BinaryIO):  # -> openpyxl.Workbook
    data = fp.read()
    check_office_bytes(data, "an Excel .xlsx", ".xlsx")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it drops
            return load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a foreign package
        raise UnreadableFileError(
            where="whole file",
            expected="an Excel .xlsx file (an Office Open XML zip package)",
            what_to_do=f"the zip package is not an Excel workbook ({type(exc).__name__}: "
            f"{exc}); open it in Excel and save it as .xlsx",
        ) from exc


def cell_text(cell: Cell | MergedCell) -> str:
    """A cell's value as the report shows it (see the module docstring)."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str):
        return tidy(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        text = f"{value.day:02d}/{value.month:02d}/{value.year}"
        return text + (f" {value:%H:%M}" if value.time() != dt.time() else "")
    if isinstance(value, dt.date):
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    if isinstance(value, int | float):
        if "%" in (cell.number_format or ""):
            return f"{value * 100:g}%"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
    return tidy(str(value))


def _raw_cell(cell: Cell | MergedCell) -> RawCell:
    text = cell_text(cell)
    if not text or isinstance(cell, MergedCell):
        return RawCell(text)
    font = cell.font
    return RawCell(text, is_bold=bool(font and font.b), is_italic=bool(font and font.i))


def _opens_appendix(text: str) -> bool:
    return appendix_heading(text) is not None or text.lower().startswith("(kèm theo")


def _sheet_blocks(sheet: Worksheet, sheet_no: int, first_line: int) -> list[Block]:
    rows = [[_raw_cell(c) for c in row] for row in sheet.iter_rows()]
    width = max(
        (i + 1 for row in rows for i, c in enumerate(row) if c.text),
        default=0,
    )
    blocks: list[Block] = []
    previous_was_row = False
    for index, cells in enumerate(rows):
        row_no = index + 1  # iter_rows starts at A1
        line_no = first_line + index
        cells = cells[:width]
        filled = [c for c in cells if c.text]
        if not filled:
            previous_was_row = False
            continue
        where = f"{sheet.title}!A{row_no}"
        single = len(filled) == 1
        if single and not (previous_was_row and not _opens_appendix(filled[0].text)):
            blocks.append(Paragraph(filled[0].text, where, line_no))
            previous_was_row = False
            continue
        blocks.append(RawRow(tuple(cells), where, line_no, table_hint=sheet_no))
        previous_was_row = True
    return blocks


def read_xlsx_blocks(fp: BinaryIO) -> list[Block]:
    """Rows of every sheet of an .xlsx workbook, in order (see the module docstring)."""
    workbook = _open(fp)
    blocks: list[Block] = []
    line_no = 1
    for sheet_no, sheet in enumerate(workbook.worksheets, start=1):
        blocks.extend(_sheet_blocks(sheet, sheet_no, line_no))
        line_no += sheet.max_row + 1
    return blocks


def read_xlsx_property_texts(fp: BinaryIO) -> list[str]:
    """The workbook's own title, subject and sheet titles (File › Properties in Excel)."""
    workbook = _open(fp)
    props = workbook.properties
    texts = [tidy(t or "") for t in (props.title, props.subject, props.description)]
    texts += [tidy(sheet.title) for sheet in workbook.worksheets]
    return [t for t in texts if t]
