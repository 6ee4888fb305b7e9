"""Reader for Excel (.xlsx) reports.

Every sheet is read in order. A non-empty row becomes a ``RawRow`` when it has two or
more non-empty cells, or when it has one and comes right after a table row (no empty
row between) without opening an appendix ("Phụ lục …") or being its caption ("(Kèm
theo …)"): a section row or a wrapped cell inside the table. Any other row with one
non-empty cell is a title or a note above or below a table and becomes a ``Paragraph``.
``source_line`` is the address of the row's first cell, ``Sheet!A12``. A letterhead in
two columns (body names | motto, number | place and date) is page layout: each of its
cells becomes a ``Paragraph`` (ingest.layout.unfold_letterheads).

Cells are written as the report shows them, without inventing formatting: text exactly
as typed (line breaks inside a cell become one space), whole numbers as digits (3036,
not 3036.0), other numbers in Python's shortest form with '.' as decimal mark, numbers
whose number format has '%' as a percent ("100%"), dates as day/month/year, TRUE/FALSE
as typed. Formulas give their value as Excel last calculated it; a formula that was
never calculated (a file written by a program, not saved by Excel) gives an empty cell.
In a merged range the top-left cell holds the text and the others are empty.

Workbooks are read streaming (openpyxl's read-only mode, one row at a time), whatever
range the file declares as used: only the cells the sheet's XML holds are read, a sheet
stops at ``Limits.xlsx_empty_rows`` rows in a row without text and a row at
``Limits.xlsx_empty_columns`` columns without text, and a sheet of more than
``Limits.xlsx_cells`` cells, or a workbook of more than ``Limits.xlsx_workbook_cells``,
is refused (``LimitExceededError``). Read-only mode does not
give merged ranges, so they are read from the sheet's ``mergeCells`` with a streaming
parser of their own. Only rows with text are kept in memory.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Protocol
from xml.parsers import expat

from openpyxl import load_workbook
from openpyxl.cell.read_only import ReadOnlyCell
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import WorkSheetParser

from ingest.errors import UnreadableFileError
from ingest.layout import appendix_heading, unfold_letterheads
from ingest.limits import DEFAULT_LIMITS, Limits, exceeded
from ingest.markup import tidy
from ingest.model import Block, Paragraph, RawCell, RawRow
from ingest.readers.docx import check_office_bytes

_CHUNK = 1 << 16


class _CellLike(Protocol):
    @property
    def value(self) -> Any: ...
    @property
    def number_format(self) -> str: ...


def _open(fp: BinaryIO, limits: Limits):  # -> openpyxl.Workbook (read-only)
    data = fp.read()
    check_office_bytes(data, "an Excel .xlsx", ".xlsx", limits)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it drops
            return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a foreign package
        raise UnreadableFileError(
            where="whole file",
            expected="an Excel .xlsx file (an Office Open XML zip package)",
            what_to_do=f"the zip package is not an Excel workbook ({type(exc).__name__}: "
            f"{exc}); open it in Excel and save it as .xlsx",
        ) from exc


def cell_text(cell: _CellLike) -> str:
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


def _raw_cell(cell: ReadOnlyCell) -> RawCell:
    text = cell_text(cell)
    if not text:
        return RawCell(text)
    font = cell.font
    return RawCell(text, is_bold=bool(font and font.b), is_italic=bool(font and font.i))


def _opens_appendix(text: str) -> bool:
    return appendix_heading(text) is not None or text.lower().startswith("(kèm theo")


@dataclass
class _Sheet:
    """What one streaming pass over a sheet keeps: the rows with text (row number ->
    column number -> cell) and the highest row holding any cell."""

    rows: dict[int, dict[int, RawCell]] = field(default_factory=dict)
    max_row: int = 0
    cells: int = 0


def _scan_sheet(sheet: ReadOnlyWorksheet, limits: Limits) -> _Sheet:
    found = _Sheet()
    cells = 0
    last_text_row = 0
    workbook = sheet.parent
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=workbook.data_only,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for row_no, row in parser.parse():
            if row_no - last_text_row > limits.xlsx_empty_rows:
                break  # a long run of rows without text: the rest is not the report
            if not row:
                continue
            cells += len(row)
            if cells > limits.xlsx_cells:
                raise exceeded(
                    "xlsx_cells",
                    limits.xlsx_cells,
                    where=f"{sheet.title}!A{row_no}",
                    found=f"more than {limits.xlsx_cells:,} cells in the sheet '{sheet.title}'",
                )
            found.max_row = max(found.max_row, row_no)
            found.cells = cells
            kept: dict[int, RawCell] = {}
            last_text_column = 0
            for values in row:
                column = values["column"]
                if column - last_text_column > limits.xlsx_empty_columns:
                    break  # a long run of columns without text
                raw = _raw_cell(ReadOnlyCell(sheet, **values))
                if raw.text:
                    kept[column] = raw
                    last_text_column = column
            if kept:
                found.rows[row_no] = kept
                last_text_row = row_no
    return found


def _merged_ranges(sheet: ReadOnlyWorksheet) -> Iterator[tuple[int, int, int, int]]:
    """(min_col, min_row, max_col, max_row) of every merged range, streaming."""
    refs: list[str] = []

    def start(name: str, attributes: dict[str, str]) -> None:
        if name.endswith(" mergeCell") and "ref" in attributes:
            refs.append(attributes["ref"])

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    with sheet._get_source() as source:
        while chunk := source.read(_CHUNK):
            parser.Parse(chunk, False)
            while refs:
                bounds = range_boundaries(refs.pop())
                if None not in bounds:
                    yield bounds  # type: ignore[misc]
        parser.Parse(b"", True)


def _clear_merged(found: _Sheet, sheet: ReadOnlyWorksheet, limits: Limits) -> None:
    """Empty the cells a merged range covers (all but its top-left one), as Excel shows
    them; the rows a range reaches count toward the sheet's cells."""
    text_rows = sorted(found.rows)
    work = 0
    for min_col, min_row, max_col, max_row in _merged_ranges(sheet):
        found.max_row = max(found.max_row, max_row)
        lo, hi = bisect_left(text_rows, min_row), bisect_right(text_rows, max_row)
        work += 1 + hi - lo
        if work > limits.xlsx_cells:
            raise exceeded(
                "xlsx_cells",
                limits.xlsx_cells,
                where=f"{sheet.title}!mergeCells",
                found=f"merged ranges covering more than {limits.xlsx_cells:,} rows with text",
            )
        for row_no in text_rows[lo:hi]:
            row = found.rows[row_no]
            for column in [c for c in row if min_col <= c <= max_col]:
                if (row_no, column) != (min_row, min_col):
                    del row[column]
    for row_no in text_rows:
        if not found.rows[row_no]:
            del found.rows[row_no]


def _sheet_blocks(found: _Sheet, title: str, sheet_no: int, first_line: int) -> list[Block]:
    width = max((max(row) for row in found.rows.values()), default=0)
    blocks: list[Block] = []
    previous_row_no = 0
    previous_was_row = False
    for row_no in sorted(found.rows):
        kept = found.rows[row_no]
        if row_no != previous_row_no + 1:
            previous_was_row = False  # an empty row came between
        previous_row_no = row_no
        cells = tuple(kept.get(column, RawCell("")) for column in range(1, width + 1))
        line_no = first_line + row_no - 1
        filled = [c for c in cells if c.text]
        where = f"{title}!A{row_no}"
        if len(filled) == 1 and not (previous_was_row and not _opens_appendix(filled[0].text)):
            blocks.append(Paragraph(filled[0].text, where, line_no))
            previous_was_row = False
            continue
        blocks.append(RawRow(cells, where, line_no, table_hint=sheet_no))
        previous_was_row = True
    return blocks


def read_xlsx_blocks(fp: BinaryIO, *, limits: Limits = DEFAULT_LIMITS) -> list[Block]:
    """Rows of every sheet of an .xlsx workbook, in order (see the module docstring)."""
    workbook = _open(fp, limits)
    try:
        blocks: list[Block] = []
        line_no = 1
        cells = 0
        for sheet_no, sheet in enumerate(workbook.worksheets, start=1):
            found = _scan_sheet(sheet, limits)
            cells += found.cells
            if cells > limits.xlsx_workbook_cells:
                raise exceeded(
                    "xlsx_workbook_cells",
                    limits.xlsx_workbook_cells,
                    where=f"sheet {sheet.title}",
                    found=f"more than {limits.xlsx_workbook_cells:,} cells in its sheets",
                )
            _clear_merged(found, sheet, limits)
            blocks.extend(unfold_letterheads(_sheet_blocks(found, sheet.title, sheet_no, line_no)))
            line_no += max(found.max_row, 1) + 1
        return blocks
    finally:
        workbook.close()


def read_xlsx_file_texts(
    fp: BinaryIO, *, limits: Limits = DEFAULT_LIMITS
) -> tuple[list[str], list[str]]:
    """(sheet names, properties), from one opening of the workbook: the names of its
    sheets in order ("PL 6 tháng đầu năm 2024"), and its title, subject, description and
    author (File › Properties)."""
    workbook = _open(fp, limits)
    try:
        names = [t for t in (tidy(sheet.title) for sheet in workbook.worksheets) if t]
        props = workbook.properties
        texts = [
            tidy(t or "") for t in (props.title, props.subject, props.description, props.creator)
        ]
    finally:
        workbook.close()
    return names, [t for t in texts if t]
