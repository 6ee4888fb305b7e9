"""The officers' workbook, streamed from the warehouse with openpyxl's write-only mode,
and the cell helpers the filled forms (:mod:`cchc.forms`) share.

:func:`write_officer_workbook` writes what an officer reads: one sheet per analyst table
of ``marts`` and ``quality`` (not the reporting models, not Great Expectations' own
records), in Vietnamese:

* not Great Expectations' records, the nightly's log or every rule check passed (the
  findings and each agency's share passed are there): see :data:`OFFICER_LEFT_OUT`;
* headers are the columns' Vietnamese labels (dbt column ``meta.label_vi``, read through
  :mod:`cchc.manifest`), the technical column name in a comment on each header;
* keys are shown as names (an agency's name, not its 32-character key; a period's label;
  a file instead of a document's SHA-256), and where the table already carries the name
  beside the key, the key is left out; English columns and run identifiers are left out
  (they stay in the CSV and Parquet exports);
* coded values are shown in words from the reference data (``marts.rpt_value_labels``,
  seed ``code_labels``): ``missing`` → ``Chưa gửi``, ``error`` → ``Lỗi``, true → ``Có``;
* numbers by kind: shares (``share_*``, 0–1) as percent with two decimals
  (0.9913 → ``99,13 %`` where the reader's separators are Vietnamese), a figure by its
  indicator's value type (percent with the decimals the report wrote, counts with
  thousands separators), years, numbers and orders plain (``2018``, never ``2.018``),
  dates as ``dd/mm/yyyy``;
* a frozen header row, an auto filter, column widths from the first rows, and print
  set-up: landscape, fit to one page wide, the header row repeated on every page.

The workbook is written row by row (``Workbook(write_only=True)``) from a DuckDB cursor
in batches, so its memory does not grow with the warehouse. No sheet goes over Excel's
row limit: a larger table is split into numbered sheets (``fct_indicator_value (2)``),
and a table that would need more than ``max_sheets_per_table`` sheets is left out; every
split and every table left out is written on the first sheet, ``Ghi chú``, with where to
find it instead (exports/csv, exports/parquet). Nothing is cut silently.

Why openpyxl's write-only mode rather than XlsxWriter's constant_memory mode: both stream;
on this machine XlsxWriter wrote 121 k formatted cells/s and openpyxl's write-only mode
204 k plain and 69 k freshly styled cells/s — with one styled template cell per column
reused for every row (below) openpyxl is as fast, and it stays the one spreadsheet library
the project reads and writes with (no new dependency).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from cchc.export import FORMULA_TRIGGERS, analyst_tables, quiet, read_warehouse
from ingest.markup import fold

EXCEL_MAX_ROWS = 1_048_576
_EXCEL_MAX_CELL_CHARS = 32_767
_SHEET_NAME_MAX = 31
DEFAULT_MAX_SHEETS_PER_TABLE = 4
_BATCH_ROWS = 5_000
_WIDTH_SAMPLE_ROWS = 200

FORMAT_INTEGER = "#,##0"
FORMAT_PLAIN_INTEGER = "0"
FORMAT_DECIMAL = "#,##0.00"
FORMAT_SHARE = "0.00 %"
FORMAT_DATE = "dd/mm/yyyy"
FORMAT_DATETIME = "dd/mm/yyyy hh:mm"

NOTE_SHEET = "Ghi chú"
NOTE_HEADERS = ("Trang tính", "Bảng dữ liệu", "Nội dung", "Số dòng", "Ghi chú")

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

# GX's record of its own runs, the nightly's log, every rule check made (passed ones
# too: the officer reads the findings, rule_results, and each agency's share passed,
# agency_report_quality) and every figure of every version of every report (the officer
# reads the current figures, fct_indicator_value_current; at 1,000 national reports the
# two fact tables were 697 MB of the workbook's XML): in the CSV/Parquet exports
OFFICER_LEFT_OUT = {
    ("marts", "fct_indicator_value"): (
        "Mọi số liệu của mọi phiên bản báo cáo; số liệu hiện hành ở trang "
        "fct_indicator_value_current"
    ),
    ("quality", "expectation_results"): "Bản ghi kỹ thuật của các bộ kiểm tra Great Expectations",
    ("quality", "pipeline_runs"): "Nhật ký kỹ thuật của các lần chạy hằng đêm",
    ("quality", "rule_evaluations"): (
        "Mọi lần kiểm tra quy tắc, kể cả các lần đạt; các phát hiện ở trang rule_results, "
        "tỷ lệ đạt của từng cơ quan ở trang agency_report_quality"
    ),
}
# identifiers of runs, versions and checks: nothing an officer reads
TECHNICAL_COLUMNS = frozenset(
    {
        "evaluation_key",
        "version_key",
        "dbt_invocation_id",
        "check_run_id",
        "run_id",
        "archive_path",
        "role_key",
        "figure_position",
        # dim_agency's lines across reforms (an agency's name and successor's name say it)
        "agency_line_key",
        "successor_line_key",
    }
)
# integers that are numbers of things (years, orders, codes), written without separators
_PLAIN_INTEGER = re.compile(r"(year|_number|^era$|order|rank|decimals|depth|_no$|level|code)")


@dataclass(frozen=True)
class KeyName:
    """How a key column is shown: the name of the row it points at."""

    relation: str  # e.g. marts.dim_agency
    key: str
    name_sql: str  # an expression over the relation's columns
    siblings: tuple[str, ...]  # name columns that make the key redundant when present


KEY_NAMES: Mapping[str, KeyName] = {
    "agency_key": KeyName(
        "marts.dim_agency", "agency_key", "full_name_vi", ("agency_name_vi", "full_name_vi")
    ),
    "province_key": KeyName("marts.dim_province", "province_key", "name_vi", ("province_name_vi",)),
    "province_2025_key": KeyName(
        "marts.dim_province", "province_key", "name_vi", ("province_name_vi",)
    ),
    "period_key": KeyName("marts.dim_period", "period_key", "label_vi", ("period_label_vi",)),
    "actual_period_key": KeyName("marts.dim_period", "period_key", "label_vi", ()),
    "indicator_key": KeyName(
        "marts.dim_indicator", "indicator_key", "name_vi", ("indicator_name_vi",)
    ),
    "unit_code": KeyName("marts.dim_unit", "unit_code", "name_vi", ()),
    "written_unit_code": KeyName("marts.dim_unit", "unit_code", "name_vi", ()),
    # a document is its file (every version of every document is in the facts)
    "document_id": KeyName(
        "(select distinct document_id, file_path from marts.fct_indicator_value)",
        "document_id",
        "file_path",
        ("file_path",),
    ),
    "withdrawn_by_document_id": KeyName(
        "(select distinct document_id, file_path from marts.fct_indicator_value)",
        "document_id",
        "file_path",
        (),
    ),
}
# the dimension a table is: its own key is left out (its names are its other columns)
_OWN_KEY = {
    "dim_agency": "agency_key",
    "dim_province": "province_key",
    "dim_period": "period_key",
    "dim_indicator": "indicator_key",
}


def slugify(text: str) -> str:
    """ASCII file-name slug of a Vietnamese name: 'Sở Thông tin' → 'so-thong-tin'.
    Built on the project's one text fold (``ingest.markup.fold``)."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "unnamed"


# ------------------------------------------------------------------------ cell values


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
    if isinstance(value, str):
        return clean_text(value)
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


def needs_text_guard(value: str) -> bool:
    """Text openpyxl would take for a formula or an error value, or that Excel would run
    once edited: written as a text cell with the quote prefix."""
    return value.startswith(FORMULA_TRIGGERS) or value in ERROR_CODES


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


# ---------------------------------------------------------------------- number formats


def number_format_for(duckdb_type: str, column: str = "") -> str | None:
    """The Excel number format for a column of a DuckDB type (None: leave General):
    shares (``share_*``) as percent, years and orders plain, counts with separators."""
    kind = duckdb_type.upper()
    if kind.endswith("]") or kind.startswith(("STRUCT", "MAP", "UNION")):
        return None
    if kind in _INTEGER_TYPES:
        return FORMAT_PLAIN_INTEGER if _PLAIN_INTEGER.search(column) else FORMAT_INTEGER
    if kind in _DECIMAL_TYPES or kind.startswith("DECIMAL"):
        return FORMAT_SHARE if column.startswith("share_") else FORMAT_DECIMAL
    if kind == "DATE":
        return FORMAT_DATE
    if kind.startswith("TIMESTAMP"):
        return FORMAT_DATETIME
    return None


def decimal_format(decimals: int | None, *, percent_sign: bool = False) -> str:
    """``#,##0`` with ``decimals`` places (none: two); a value in percent points (0–100)
    gets a written `` %`` (quoted: Excel's bare % would multiply by 100)."""
    places = 2 if decimals is None else max(0, min(int(decimals), 10))
    body = "#,##0" + ("." + "0" * places if places else "")
    return body + '" %"' if percent_sign else body


def figure_format(value: Any, value_type: str | None, decimals: int | None) -> str:
    """A figure's format by its indicator's value type: percent with the decimals the
    report wrote, counts whole with separators, other numbers by what they hold."""
    if value_type == "percent":
        return decimal_format(decimals if decimals is not None else 0, percent_sign=True)
    if value_type == "count" and float(value).is_integer():
        return FORMAT_INTEGER
    if decimals is not None:
        return decimal_format(decimals)
    return FORMAT_INTEGER if float(value).is_integer() else FORMAT_DECIMAL


# ------------------------------------------------------------------ the column plan


@dataclass(frozen=True)
class ColumnPlan:
    """One column of a sheet: where its value comes from and how it is shown."""

    name: str
    duckdb_type: str
    label: str
    sql: str  # the select expression, over the table (alias t) and its joins
    number_format: str | None = None
    is_figure: bool = False  # formatted per row by value_type and decimals_written


@dataclass(frozen=True)
class TablePlan:
    schema: str
    table: str
    columns: tuple[ColumnPlan, ...]
    joins: tuple[str, ...] = ()
    helpers: tuple[str, ...] = ()  # extra select expressions (value type, decimals)

    @property
    def relation(self) -> str:
        return f'"{self.schema}"."{self.table}"'

    def select_sql(self) -> str:
        parts = [f"{c.sql} as {_ident(c.name)}" for c in self.columns] + list(self.helpers)
        joins = "\n".join(self.joins)
        return f"select {', '.join(parts)} from {self.relation} as t\n{joins}"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _distinct_labels(columns: Sequence[str], labels: Mapping[str, str]) -> dict[str, str]:
    """Each column's label; a label two columns share gets the column name appended."""
    chosen = {name: (labels.get(name) or name) for name in columns}
    counts: dict[str, int] = {}
    for label in chosen.values():
        counts[label] = counts.get(label, 0) + 1
    return {
        name: label if counts[label] == 1 or label == name else f"{label} ({name})"
        for name, label in chosen.items()
    }


def plan_table(
    schema: str,
    table: str,
    columns: Sequence[tuple[str, str]],
    *,
    labels: Mapping[str, str],
    coded_columns: frozenset[str],
    boolean_words: tuple[str, str] = ("Có", "Không"),
    present_relations: frozenset[str] = frozenset(),
) -> TablePlan:
    """Which columns an officer reads and how: pure, from the table's (name, type) list,
    its labels, the columns that have words in ``rpt_value_labels`` and the relations
    that exist (a key whose dimension is missing stays a key)."""
    names = {name for name, _ in columns}
    kept: list[tuple[str, str]] = []
    for name, kind in columns:
        if name in TECHNICAL_COLUMNS or name.endswith("_en") or name == _OWN_KEY.get(table):
            continue
        key = KEY_NAMES.get(name)
        if key and any(sibling in names for sibling in key.siblings):
            continue
        kept.append((name, kind))
    shown = _distinct_labels([n for n, _ in kept], labels)
    plans: list[ColumnPlan] = []
    joins: list[str] = []
    has_figure_type = "value_type" in names
    for index, (name, kind) in enumerate(kept):
        column = f"t.{_ident(name)}"
        key = KEY_NAMES.get(name)
        upper = kind.upper()
        if key and (key.relation.startswith("(") or key.relation in present_relations):
            alias = f"k{index}"
            joins.append(
                f"left join {key.relation} as {alias} on {column} = {alias}.{_ident(key.key)}"
            )
            sql = f"coalesce({alias}.{key.name_sql}, {column})"
            plans.append(ColumnPlan(name, "VARCHAR", shown[name], sql))
        elif upper == "VARCHAR" and name in coded_columns:
            alias = f"v{index}"
            joins.append(
                f"left join marts.rpt_value_labels as {alias} on {alias}.column_name = "
                f"{_sql_text(name)} and {alias}.code = {column}"
            )
            plans.append(
                ColumnPlan(name, "VARCHAR", shown[name], f"coalesce({alias}.label_vi, {column})")
            )
        elif upper == "BOOLEAN":
            yes, no = (_sql_text(word) for word in boolean_words)
            sql = f"case when {column} then {yes} when not {column} then {no} end"
            plans.append(ColumnPlan(name, "VARCHAR", shown[name], sql))
        else:
            is_figure = name == "value_numeric" and has_figure_type
            plans.append(
                ColumnPlan(
                    name,
                    kind,
                    shown[name],
                    column,
                    number_format_for(kind, name),
                    is_figure=is_figure,
                )
            )
    helpers: list[str] = []
    if any(p.is_figure for p in plans):
        decimals = "t.decimals_written" if "decimals_written" in names else "null"
        helpers = ["t.value_type as __value_type", f"{decimals} as __decimals"]
    return TablePlan(schema, table, tuple(plans), tuple(joins), tuple(helpers))


# ------------------------------------------------------------------------ the sheets


@dataclass
class _Columns:
    """Per column, reused template cells (one styled cell per format: no new style
    object per row) and the width seen so far."""

    plans: Sequence[ColumnPlan]
    sheet: Any
    widths: list[int] = field(default_factory=list)
    _templates: dict[tuple[int, str | None, bool], Any] = field(default_factory=dict)

    def cell(self, index: int, value: Any, number_format: str | None, guard: bool) -> Any:
        template = self._templates.get((index, number_format, guard))
        if template is None:
            template = WriteOnlyCell(self.sheet)
            if number_format:
                template.number_format = number_format
            if guard:
                template.quotePrefix = True
            self._templates[(index, number_format, guard)] = template
        template.value = value
        if guard:
            template.data_type = "s"
        return template


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


def _sheet_name(base: str, used: set[str], suffix: str = "") -> str:
    name = re.sub(r"[\[\]:*?/\\']", "_", base)[: _SHEET_NAME_MAX - len(suffix)] + suffix
    stem, n = name, 2
    while name.lower() in used:
        extra = f"~{n}"
        name = stem[: _SHEET_NAME_MAX - len(extra)] + extra
        n += 1
    used.add(name.lower())
    return name


def _set_up_sheet(sheet: Any, plans: Sequence[ColumnPlan], widths: Sequence[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = 9  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = True


def _header_cells(sheet: Any, plans: Sequence[ColumnPlan]) -> list[Any]:
    cells = []
    for plan in plans:
        cell = WriteOnlyCell(sheet, clean_text(plan.label))
        cell.data_type = "s"
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = _WRAP_TOP
        cell.comment = Comment(f"{plan.name} ({plan.duckdb_type.lower()})", "cchc")
        cells.append(cell)
    return cells


def _row_cells(columns: _Columns, row: Sequence[Any], figure_kind: tuple[Any, Any] | None):
    out: list[Any] = []
    for index, plan in enumerate(columns.plans):
        value = excel_value(row[index])
        if value is None:
            out.append(None)
            continue
        if isinstance(value, str):
            guard = needs_text_guard(value)
            out.append(columns.cell(index, value, None, guard) if guard else value)
            continue
        number_format = plan.number_format
        if plan.is_figure and figure_kind is not None and isinstance(value, int | float):
            number_format = figure_format(value, figure_kind[0], figure_kind[1])
        elif number_format == FORMAT_DECIMAL and isinstance(value, float):
            number_format = FORMAT_INTEGER if value.is_integer() else FORMAT_DECIMAL
        out.append(columns.cell(index, value, number_format, False) if number_format else value)
    return out


@dataclass(frozen=True)
class SheetNote:
    """What the first sheet says about one table."""

    sheets: tuple[str, ...]
    table: str
    description: str
    rows: int
    note: str


def split_counts(rows: int, max_rows: int) -> list[int]:
    """Data rows per sheet for ``rows`` rows when a sheet holds ``max_rows`` rows (one
    of them the header): every sheet but the last full."""
    per_sheet = max_rows - 1
    if per_sheet < 1:
        raise ValueError(f"max_rows {max_rows}: a sheet needs a header row and a data row")
    if rows == 0:
        return [0]
    full, rest = divmod(rows, per_sheet)
    return [per_sheet] * full + ([rest] if rest else [])


def _fmt_count(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def write_officer_workbook(
    warehouse: Path,
    out_file: Path,
    *,
    column_labels: Mapping[str, Mapping[str, str]],
    descriptions: Mapping[str, str] | None = None,
    max_rows: int = EXCEL_MAX_ROWS,
    max_sheets_per_table: int = DEFAULT_MAX_SHEETS_PER_TABLE,
) -> int:
    """The officers' workbook (see the module's docstring); returns the number of data
    rows written. ``max_rows`` is the row limit of a sheet (Excel's, or smaller in
    tests); a table needing more than ``max_sheets_per_table`` sheets is left out with
    a note."""
    out_file = Path(out_file)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    descriptions = descriptions or {}
    workbook = Workbook(write_only=True)
    note_sheet = workbook.create_sheet(NOTE_SHEET)
    used = {NOTE_SHEET.lower()}
    notes: list[SheetNote] = []
    total = 0
    with read_warehouse(warehouse) as con:
        present = frozenset(
            f"{s}.{t}"
            for s, t in con.execute(
                "select table_schema, table_name from information_schema.tables"
            ).fetchall()
        )
        coded: frozenset[str] = frozenset()
        boolean_words = ("Có", "Không")
        if "marts.rpt_value_labels" in present:
            coded = frozenset(
                c
                for (c,) in con.execute(
                    "select distinct column_name from marts.rpt_value_labels"
                ).fetchall()
            )
            words = dict(
                con.execute(
                    "select code, label_vi from marts.rpt_value_labels "
                    "where column_name = 'boolean'"
                ).fetchall()
            )
            boolean_words = (words.get("true", "Có"), words.get("false", "Không"))
        for schema, table in analyst_tables(con):
            relation = f"{schema}.{table}"
            description = descriptions.get(relation, "")
            (rows,) = con.execute(f'select count(*) from "{schema}"."{table}"').fetchone()
            if (schema, table) in OFFICER_LEFT_OUT:
                notes.append(
                    SheetNote(
                        (),
                        relation,
                        OFFICER_LEFT_OUT[(schema, table)],
                        rows,
                        f"Không đưa vào sổ này; xem exports/csv/{relation}.csv",
                    )
                )
                continue
            counts = split_counts(rows, max_rows)
            if len(counts) > max_sheets_per_table:
                notes.append(
                    SheetNote(
                        (),
                        relation,
                        description,
                        rows,
                        f"Không đưa vào sổ này: {_fmt_count(rows)} dòng cần {len(counts)} "
                        f"trang tính (mỗi trang tối đa {_fmt_count(max_rows - 1)} dòng, "
                        f"giới hạn {max_sheets_per_table} trang); xem đủ trong "
                        f"exports/csv/{relation}.csv hoặc exports/parquet/{relation}.parquet",
                    )
                )
                continue
            columns = con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = ? and table_name = ? order by ordinal_position",
                [schema, table],
            ).fetchall()
            plan = plan_table(
                schema,
                table,
                columns,
                labels=column_labels.get(relation, {}),
                coded_columns=coded,
                boolean_words=boolean_words,
                present_relations=present,
            )
            sheets = _write_table(workbook, con, plan, counts, used)
            total += rows
            note = (
                ""
                if len(sheets) == 1
                else f"Chia thành {len(sheets)} trang tính (mỗi trang tối đa "
                f"{_fmt_count(max_rows - 1)} dòng)"
            )
            notes.append(SheetNote(tuple(sheets), relation, description, rows, note))
    _write_notes(note_sheet, notes)
    workbook.save(out_file)
    return total


def _batches(cursor: duckdb.DuckDBPyConnection) -> Iterator[Sequence[Any]]:
    while batch := cursor.fetchmany(_BATCH_ROWS):
        yield from batch


def _write_table(
    workbook: Workbook,
    con: duckdb.DuckDBPyConnection,
    plan: TablePlan,
    counts: Sequence[int],
    used: set[str],
) -> list[str]:
    cursor = quiet(con.cursor())
    cursor.execute(plan.select_sql())
    rows = _batches(cursor)
    width = len(plan.columns)
    names: list[str] = []
    for number, count in enumerate(counts, start=1):
        suffix = "" if number == 1 else f" ({number})"
        sheet = workbook.create_sheet(_sheet_name(plan.table, used, suffix))
        names.append(sheet.title)
        first = [row for _, row in zip(range(min(count, _WIDTH_SAMPLE_ROWS)), rows, strict=False)]
        widths = [min(max(len(p.label), 8), 40) for p in plan.columns]
        for row in first:
            for index in range(width):
                widths[index] = max(widths[index], min(_display_width(row[index]) + 2, 60))
        _set_up_sheet(sheet, plan.columns, widths)
        sheet.append(_header_cells(sheet, plan.columns))
        columns = _Columns(plan.columns, sheet)
        figure = (lambda row: (row[width], row[width + 1])) if plan.helpers else None
        written = 0
        for row in _chain(first, rows, count):
            sheet.append(_row_cells(columns, row, figure(row) if figure else None))
            written += 1
        if width:
            sheet.auto_filter.ref = f"A1:{get_column_letter(width)}{written + 1}"
    cursor.close()
    return names


def _chain(first: Sequence[Any], rest: Iterator[Sequence[Any]], count: int) -> Iterator[Any]:
    """The first rows already read, then the rest of this sheet's ``count`` rows."""
    yield from first
    for _ in range(count - len(first)):
        row = next(rest, None)
        if row is None:
            return
        yield row


def _write_notes(sheet: Any, notes: Sequence[SheetNote]) -> None:
    widths = (26, 34, 80, 12, 70)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    title = WriteOnlyCell(sheet, "Sổ số liệu cải cách hành chính — các trang tính và ghi chú")
    title.font = Font(bold=True, size=12)
    sheet.append([title])
    header = []
    for text in NOTE_HEADERS:
        cell = WriteOnlyCell(sheet, text)
        cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _WRAP_TOP
        header.append(cell)
    sheet.append(header)
    for note in notes:
        cells = []
        for value in (
            ", ".join(note.sheets) or "—",
            note.table,
            clean_text(note.description),
            note.rows,
            note.note,
        ):
            cell = WriteOnlyCell(sheet, value)
            cell.alignment = _WRAP_TOP
            if isinstance(value, int):
                cell.number_format = FORMAT_INTEGER
            elif isinstance(value, str):
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)


def officer_descriptions(docs: Any) -> dict[str, str]:
    """``"schema.table"`` → the model's description, for the notes sheet."""
    return {relation: model.description for relation, model in docs.models.items()}
