"""The officers' workbook, written from the warehouse with openpyxl, and the cell
helpers the filled forms (:mod:`cchc.forms`) share.

:func:`write_officer_workbook` writes one sheet per analyst table of ``marts`` and
``quality`` (the reporting models, which only feed the dashboard and the forms, are not
sheets), with the columns' Vietnamese labels (dbt column ``meta.label_vi``, read through
:mod:`cchc.manifest`) as headers, the technical column name in a comment on each header,
a frozen header row, an auto filter and number formats. The warehouse is only read.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from cchc.export import FORMULA_TRIGGERS, analyst_tables
from ingest.markup import fold

EXCEL_MAX_ROWS = 1_048_576
_EXCEL_MAX_CELL_CHARS = 32_767
_SHEET_NAME_MAX = 31

FORMAT_INTEGER = "#,##0"
FORMAT_DECIMAL = "#,##0.00"
FORMAT_DATE = "dd/mm/yyyy"
FORMAT_DATETIME = "dd/mm/yyyy hh:mm"

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")

_INTEGER_TYPES = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "UHUGEINT",
)
_DECIMAL_TYPES = ("FLOAT", "DOUBLE", "REAL")


def slugify(text: str) -> str:
    """ASCII file-name slug of a Vietnamese name: 'Sở Thông tin' → 'so-thong-tin'.
    Built on the project's one text fold (``ingest.markup.fold``)."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "unnamed"


# ------------------------------------------------------------------ officer workbook


def clean_text(value: str) -> str:
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(value) > _EXCEL_MAX_CELL_CHARS:
        value = value[: _EXCEL_MAX_CELL_CHARS - 1] + "…"
    return value


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return str(value)


def excel_value(value: Any) -> Any:
    """A DuckDB value as openpyxl can write it: nested values as JSON text, text
    without control characters, timestamps without a time zone."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, dt.date | dt.time):
        return value
    if isinstance(value, list | tuple | dict):
        return clean_text(json.dumps(value, ensure_ascii=False, default=_json_default))
    if isinstance(value, bytes):
        return value.hex()
    return clean_text(str(value))


def put(sheet: Any, row: int, column: int, value: Any) -> Any:
    """Write a value; text is always a text cell, never a formula or an error value.

    openpyxl makes a str starting with ``=`` a formula and ``#N/A`` and its kin error
    values; the cell is typed as text instead. Text that starts like a formula
    (:data:`cchc.export.FORMULA_TRIGGERS`) also gets Excel's quote prefix, so that
    editing the cell in Excel keeps it text."""
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_TRIGGERS):
            cell.quotePrefix = True
    return cell


def number_format_for(duckdb_type: str) -> str | None:
    """The Excel number format for a DuckDB column type (None: leave General)."""
    kind = duckdb_type.upper()
    if kind.endswith("]") or kind.startswith(("STRUCT", "MAP", "UNION")):
        return None
    if kind in _INTEGER_TYPES:
        return FORMAT_INTEGER
    if kind in _DECIMAL_TYPES or kind.startswith("DECIMAL"):
        return FORMAT_DECIMAL
    if kind == "DATE":
        return FORMAT_DATE
    if kind.startswith("TIMESTAMP"):
        return FORMAT_DATETIME
    return None


def _sheet_name(table: str, schema: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "_", table)[:_SHEET_NAME_MAX]
    if name.lower() in used:
        name = f"{schema[0]}_{table}"[:_SHEET_NAME_MAX]
    base, n = name, 2
    while name.lower() in used:
        suffix = f"~{n}"
        name = base[: _SHEET_NAME_MAX - len(suffix)] + suffix
        n += 1
    used.add(name.lower())
    return name


def _display_width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    if isinstance(value, float):
        return len(f"{value:,.2f}")
    if isinstance(value, int) and not isinstance(value, bool):
        return len(f"{value:,}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def _distinct_labels(columns: list[str], labels: Mapping[str, str]) -> dict[str, str]:
    """Each column's label; a label two columns share gets the column name appended."""
    chosen = {name: (labels.get(name) or name) for name in columns}
    counts: dict[str, int] = {}
    for label in chosen.values():
        counts[label] = counts.get(label, 0) + 1
    return {
        name: label if counts[label] == 1 or label == name else f"{label} ({name})"
        for name, label in chosen.items()
    }


def write_officer_workbook(
    warehouse: Path,
    out_file: Path,
    *,
    column_labels: Mapping[str, Mapping[str, str]],
) -> int:
    """One sheet per table of the ``marts`` and ``quality`` schemas, with Vietnamese
    headers; returns the number of data rows written."""
    out_file = Path(out_file)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    total = 0
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for schema, table in analyst_tables(con):
            columns = con.execute(
                """
                select column_name, data_type from information_schema.columns
                where table_schema = ? and table_name = ? order by ordinal_position
                """,
                [schema, table],
            ).fetchall()
            labels = _distinct_labels(
                [name for name, _ in columns], column_labels.get(f"{schema}.{table}", {})
            )
            sheet = workbook.create_sheet(_sheet_name(table, schema, used))
            formats = [number_format_for(kind) for _, kind in columns]
            widths = []
            for index, (name, kind) in enumerate(columns, start=1):
                label = labels.get(name) or name
                cell = put(sheet, 1, index, clean_text(label))
                cell.font = _HEADER_FONT
                cell.fill = _HEADER_FILL
                cell.alignment = _WRAP_TOP
                cell.comment = Comment(f"{name} ({kind.lower()})", "cchc")
                widths.append(min(max(len(label), 8), 40))
            rows = con.execute(
                f'select * from "{schema}"."{table}" limit {EXCEL_MAX_ROWS - 1}'
            ).fetchall()
            for row_no, row in enumerate(rows, start=2):
                for index, value in enumerate(row):
                    cell = put(sheet, row_no, index + 1, excel_value(value))
                    if formats[index] and value is not None:
                        cell.number_format = formats[index]
                    if row_no <= 200:
                        widths[index] = max(widths[index], min(_display_width(value) + 2, 60))
            for index, width in enumerate(widths, start=1):
                sheet.column_dimensions[get_column_letter(index)].width = width
            sheet.freeze_panes = "A2"
            if columns:
                last = get_column_letter(len(columns))
                sheet.auto_filter.ref = f"A1:{last}{max(len(rows) + 1, 1)}"
            total += len(rows)
    workbook.save(out_file)
    return total
