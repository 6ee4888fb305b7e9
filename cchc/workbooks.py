"""Workbooks for officers, written from the warehouse with openpyxl.

* :func:`write_officer_workbook` — one sheet per table of ``marts`` and ``quality``, with
  Vietnamese headers (from the dbt column descriptions "English / Vietnamese"), the
  technical column name in a comment on each header, a frozen header row, an auto filter
  and number formats.
* :func:`write_form_workbooks` — the Ministry's 2022 periodic form (Phụ lục 02: "Thống kê
  số liệu về kết quả thực hiện công tác cải cách hành chính") filled from the warehouse,
  one workbook per (agency, period) and per (province, period), in the form's own
  numbering; each figure carries its source (file, line) in a cell comment. An item
  that was not reported stays empty, never 0.

The warehouse is only read.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

OFFICER_SCHEMAS = ("marts", "quality")
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
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)

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


# --------------------------------------------------------------------------- labels


def vietnamese_label(description: str | None, fallback: str) -> str:
    """The part of an "English / Vietnamese" description after the last " / ", trimmed
    of its final period; ``fallback`` when there is none."""
    if not description:
        return fallback
    text = " ".join(description.split())
    if " / " in text:
        label = text.rsplit(" / ", 1)[1]
    else:
        # "English sentence. Vietnamese sentence." — the last sentence, if Vietnamese
        label = re.split(r"(?<=[.;:!?])\s+", text.rstrip(". "))[-1]
        if not _looks_vietnamese(label):
            return fallback
    label = label.strip().rstrip(".").strip()
    return label or fallback


def _looks_vietnamese(text: str) -> bool:
    return any(ch.isalpha() and ord(ch) > 127 for ch in text)


def column_labels_from_manifest(manifest: Path) -> dict[str, dict[str, str]]:
    """``"schema.table"`` → {column: Vietnamese label}, from dbt's target/manifest.json."""
    data = json.loads(Path(manifest).read_text(encoding="utf-8"))
    labels: dict[str, dict[str, str]] = {}
    for node in data.get("nodes", {}).values():
        if node.get("resource_type") != "model":
            continue
        columns = {
            name: vietnamese_label(column.get("description"), name)
            for name, column in (node.get("columns") or {}).items()
        }
        if columns:
            labels.setdefault(f"{node['schema']}.{node['name']}", {}).update(columns)
    return labels


def column_labels_from_yaml(
    paths: Iterable[Path], *, schema: str | None = None
) -> dict[str, dict[str, str]]:
    """The same mapping read from dbt property files (``models/<folder>/_*.yml``), for
    when no manifest has been built. The schema is ``schema`` or the file's first folder
    under ``models/`` (this project names schemas after folders: ``marts``, ...)."""
    import yaml  # installed with dbt-core

    labels: dict[str, dict[str, str]] = {}
    for path in paths:
        path = Path(path)
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        model_schema = schema or _schema_of(path)
        for model in document.get("models") or []:
            columns = {
                column["name"]: vietnamese_label(column.get("description"), column["name"])
                for column in model.get("columns") or []
                if column.get("name")
            }
            if columns:
                labels.setdefault(f"{model_schema}.{model['name']}", {}).update(columns)
    return labels


def _schema_of(path: Path) -> str:
    parts = path.resolve().parts
    if "models" in parts:
        index = len(parts) - 1 - parts[::-1].index("models")
        if index + 2 < len(parts):
            return parts[index + 1]
    return path.parent.name


# ------------------------------------------------------------------ officer workbook


def _clean_text(value: str) -> str:
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
        return _clean_text(json.dumps(value, ensure_ascii=False, default=_json_default))
    if isinstance(value, bytes):
        return value.hex()
    return _clean_text(str(value))


def _put(sheet: Any, row: int, column: int, value: Any) -> Any:
    """Write a value; text that starts with '=' stays text, never a formula."""
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
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
        tables = con.execute(
            """
            select table_schema, table_name from information_schema.tables
            where table_schema in ('marts', 'quality')
            order by table_schema, table_name
            """
        ).fetchall()
        for schema, table in tables:
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
                cell = sheet.cell(row=1, column=index, value=_clean_text(label))
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
                    cell = _put(sheet, row_no, index + 1, excel_value(value))
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


# --------------------------------------------------------------------- the BNV form

FORM_TITLE = "THỐNG KÊ SỐ LIỆU VỀ KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH"
FORM_APPENDIX = "Phụ lục 02"
FORM_SUBTITLE = (
    "(Mẫu biểu thống kê định kỳ của Bộ Nội vụ năm 2022, số liệu lấy từ kho dữ liệu CCHC)"
)
FORM_HEADERS = ("STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú")
_FORM_WIDTHS = (10, 70, 22, 14, 30)

_BASIS_VI = {
    "province_report": "báo cáo của UBND tỉnh",
    "sector_report": "báo cáo ngành của sở (số liệu toàn tỉnh)",
    "sum_of_agencies": "tổng số liệu các cơ quan báo cáo",
}


@dataclass(frozen=True)
class FormItem:
    """One row of the form: a catalog indicator with a BNV number."""

    indicator_key: str
    bnv_code: str
    name_vi: str
    unit_text: str
    depth: int
    value_type: str | None
    numerator_bnv: str | None
    denominator_bnv: str | None


@dataclass(frozen=True)
class Figure:
    """What goes into the Số liệu cell of one row, with its comment."""

    value: Any
    comment: str
    note: str | None = None
    derived: bool = False


def bnv_sort_key(code: str) -> tuple[int, ...]:
    """``3.3.1.2`` → (3, 3, 1, 2); parts that are not numbers sort last."""
    return tuple(int(part) if part.isdigit() else 10**6 for part in code.strip(".").split("."))


def slugify(text: str) -> str:
    """ASCII file-name slug of a Vietnamese name: 'Sở Thông tin' → 'so-thong-tin'."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "unnamed"


def _table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = ? and table_name = ?",
            [schema, table],
        ).fetchone()[0]
    )


def _scale_texts(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """scale_code → the scale as the form writes it: 'Chưa = 0; Hoàn thành = 1'."""
    if not _table_exists(con, "raw", "code_scales"):
        return {}
    rows = con.execute(
        "select scale_code, code_value, label_vi from raw.code_scales "
        "order by scale_code, code_value"
    ).fetchall()
    texts: dict[str, list[str]] = {}
    for scale, value, label in rows:
        texts.setdefault(scale, []).append(f"{label} = {value}")
    return {scale: "; ".join(parts) for scale, parts in texts.items()}


def form_items(con: duckdb.DuckDBPyConnection) -> list[FormItem]:
    """The form's rows: catalog indicators with a BNV number, in the form's order."""
    units = dict(con.execute("select unit_code, name_vi from marts.dim_unit").fetchall())
    units["percent"] = "%"  # the form writes the percent unit as '%'
    scales = _scale_texts(con)
    rows = con.execute(
        """
        select i.indicator_key, i.bnv_code, i.name_vi, i.unit_code, i.value_type,
               i.scale_code, num.bnv_code, den.bnv_code
        from marts.dim_indicator as i
        left join marts.dim_indicator as num on num.indicator_code = i.numerator_code
        left join marts.dim_indicator as den on den.indicator_code = i.denominator_code
        where i.bnv_code is not null
        """
    ).fetchall()
    items = []
    for key, code, name, unit, value_type, scale, num, den in rows:
        if unit == "code" or scale:
            unit_text = scales.get(scale or "", scale or units.get(unit or "", ""))
        else:
            unit_text = units.get(unit or "", unit or "")
        items.append(
            FormItem(
                indicator_key=key,
                bnv_code=code,
                name_vi=name or "",
                unit_text=unit_text or "",
                depth=len(code.strip(".").split(".")),
                value_type=value_type,
                numerator_bnv=num,
                denominator_bnv=den,
            )
        )
    return sorted(items, key=lambda item: bnv_sort_key(item.bnv_code))


def _source(file_path: str | None, source_line: Any) -> str:
    return f"Nguồn: {file_path or '?'}, dòng {source_line if source_line is not None else '?'}"


def _ratio_parts(item: FormItem) -> str:
    if item.numerator_bnv and item.denominator_bnv:
        return f"{item.numerator_bnv} / {item.denominator_bnv}"
    return "tử số và mẫu số"


def _agency_figure(row: Mapping[str, Any], item: FormItem) -> Figure | None:
    """The figure of one fct_indicator_value_current row, or None if not reported."""
    source = _source(row["file_path"], row["source_line"])
    raw = row["raw_value_text"]
    if row["value_code"] is not None:
        label = row["value_label_vi"]
        note = f"{row['value_code']} = {label}" if label else None
        return Figure(int(row["value_code"]), source, note=note)
    if row["value_numeric"] is not None:
        if row["has_percent_sign"] and item.value_type not in (None, "percent"):
            # a count written as a percentage: keep it as written, do not guess
            return Figure(
                raw if raw else f"{row['value_numeric']:g}%",
                f"{source}\nGhi như báo cáo: chỉ tiêu đếm số lượng nhưng báo cáo ghi tỷ lệ %.",
            )
        if row["is_derived"]:
            how = f"Tính từ {_ratio_parts(item)}"
            return Figure(
                row["value_numeric"],
                f"{how}; báo cáo để trống ô này.\n{source}",
                derived=True,
            )
        return Figure(row["value_numeric"], source)
    if row["value_text"]:
        return Figure(_clean_text(str(row["value_text"])), source)
    return None


def _province_figure(
    value: float,
    basis: str,
    agencies: int | None,
    sources: list[tuple[str, str]],
    item: FormItem,
) -> Figure:
    recomputed = basis.startswith("recomputed: ")
    base = basis.removeprefix("recomputed: ")
    lines = [f"Cơ sở: {basis} — {_BASIS_VI.get(base, base)}"]
    if recomputed:
        lines.append(f"Tỷ lệ tính lại từ {_ratio_parts(item)} trên cơ sở này.")
    if agencies is not None:
        lines.append(f"Số cơ quan báo cáo: {agencies}")
    for file_path, line in sources[:10]:
        lines.append(_source(file_path, line))
    if len(sources) > 10:
        lines.append(f"… và {len(sources) - 10} nguồn khác")
    return Figure(value, "\n".join(lines), derived=recomputed)


def _write_form(
    out_file: Path,
    items: list[FormItem],
    figures: Mapping[str, Figure],
    *,
    caption: str,
    period_label: str,
) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = FORM_APPENDIX
    bold = Font(bold=True)
    sheet["A1"] = FORM_APPENDIX
    sheet["A1"].font = bold
    sheet.merge_cells("A1:E1")
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet["A2"] = FORM_TITLE
    sheet["A2"].font = Font(bold=True, size=12)
    sheet["A2"].alignment = _CENTER
    sheet.merge_cells("A2:E2")
    sheet.row_dimensions[2].height = 32
    sheet["A3"] = f"{caption} — Kỳ báo cáo: {period_label}"
    sheet["A3"].font = Font(italic=True)
    sheet["A3"].alignment = _CENTER
    sheet.merge_cells("A3:E3")
    sheet["A4"] = FORM_SUBTITLE
    sheet["A4"].font = Font(italic=True, size=9)
    sheet["A4"].alignment = _CENTER
    sheet.merge_cells("A4:E4")
    # two header rows as in the form: "Kết quả thống kê" over Đơn vị tính | Số liệu
    top, sub = 6, 7
    for column, text in ((1, "STT"), (2, "Chỉ tiêu thống kê"), (5, "Ghi chú")):
        sheet.cell(row=top, column=column, value=text)
        sheet.merge_cells(start_row=top, start_column=column, end_row=sub, end_column=column)
    sheet.cell(row=top, column=3, value="Kết quả thống kê")
    sheet.merge_cells(start_row=top, start_column=3, end_row=top, end_column=4)
    sheet.cell(row=sub, column=3, value="Đơn vị tính")
    sheet.cell(row=sub, column=4, value="Số liệu")
    for row in (top, sub):
        for column in range(1, 6):
            cell = sheet.cell(row=row, column=column)
            cell.font = bold
            cell.alignment = _CENTER
            cell.border = _BORDER
            cell.fill = _HEADER_FILL
    for index, width in enumerate(_FORM_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(row=sub + 1, column=1)

    for row_no, item in enumerate(items, start=sub + 1):
        is_section = item.depth <= 2
        font = Font(bold=is_section)
        values = [item.bnv_code, item.name_vi, item.unit_text, None, None]
        figure = figures.get(item.indicator_key)
        if figure is not None:
            values[3] = figure.value
            values[4] = figure.note
        for column, value in enumerate(values, start=1):
            cell = _put(sheet, row_no, column, value)
            cell.font = font
            cell.border = _BORDER
            cell.alignment = _WRAP_TOP
        if figure is not None:
            cell = sheet.cell(row=row_no, column=4)
            if isinstance(figure.value, float | int):
                is_whole = float(figure.value).is_integer()
                cell.number_format = FORMAT_INTEGER if is_whole else FORMAT_DECIMAL
                cell.alignment = Alignment(horizontal="right", vertical="top")
            if figure.derived:
                cell.font = Font(bold=is_section, italic=True)
            comment = Comment(figure.comment, "cchc")
            comment.width, comment.height = 320, 120
            cell.comment = comment
    last = sub + len(items)
    sheet.print_title_rows = f"{top}:{sub}"
    sheet.print_area = f"A1:E{last}"
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    out_file.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(out_file)


def _unique_path(folder: Path, stem: str, used: set[str], key: str) -> Path:
    name = stem if stem not in used else f"{stem}_{key[:8]}"
    used.add(name)
    return folder / f"{name}.xlsx"


def write_form_workbooks(warehouse: Path, out_dir: Path) -> list[Path]:
    """The Ministry's 2022 form (Phụ lục 02) filled from the warehouse: one workbook per
    (agency, period) from ``fct_indicator_value_current`` (scope 'agency') and one per
    (province, period) from ``mart_province_indicator``, under ``out_dir/forms/``.
    Only reporting periods (not a plan's span of years) and actual figures (not targets)
    go on the form; a pair with no figure on the form gets no workbook.
    Returns the files written, agencies first."""
    forms_dir = Path(out_dir) / "forms"
    forms_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    used: set[str] = set()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        items = form_items(con)
        by_key = {item.indicator_key: item for item in items}
        periods = {
            key: label
            for key, label in con.execute(
                "select period_key, coalesce(label_vi, period_key) from marts.dim_period"
            ).fetchall()
        }

        # ---- per agency and period
        cursor = con.execute(
            """
            select f.agency_key, f.period_key, f.indicator_key, f.value_numeric,
                   f.value_code, f.value_label_vi, f.value_text, f.raw_value_text,
                   f.has_percent_sign, f.is_derived, f.file_path, f.source_line,
                   coalesce(a.full_name_vi, a.name_vi, f.agency_key) as agency_name
            from marts.fct_indicator_value_current as f
            inner join marts.dim_indicator as i on i.indicator_key = f.indicator_key
            left join marts.dim_agency as a on a.agency_key = f.agency_key
            left join marts.dim_period as d on d.period_key = f.period_key
            where f.scope = 'agency' and i.bnv_code is not null
              and coalesce(f.figure_kind, 'actual') = 'actual'
              and coalesce(d.period_type, '') <> 'plan'
            order by agency_name, f.period_key
            """
        )
        names = [d[0] for d in cursor.description]
        agency_forms: dict[tuple[str, str], tuple[str, dict[str, Figure]]] = {}
        for values in cursor.fetchall():
            row = dict(zip(names, values, strict=True))
            item = by_key.get(row["indicator_key"])
            figure = _agency_figure(row, item) if item else None
            entry = agency_forms.setdefault(
                (row["agency_key"], row["period_key"]), (row["agency_name"], {})
            )
            if figure is not None:
                entry[1][row["indicator_key"]] = figure
        for (agency_key, period_key), (name, figures) in agency_forms.items():
            if not figures:
                continue
            path = _unique_path(forms_dir, f"form_{slugify(name)}_{period_key}", used, agency_key)
            _write_form(
                path,
                items,
                figures,
                caption=f"Cơ quan báo cáo: {name}",
                period_label=periods.get(period_key, period_key),
            )
            written.append(path)

        # ---- per province and period
        sources: dict[tuple[str, str, str, str], list[tuple[str, str]]] = {}
        for province, period, indicator, kind, file_path, line in con.execute(
            """
            select f.province_key, f.period_key, f.indicator_key,
                   case when f.scope = 'agency' then 'sum_of_agencies'
                        when a.agency_type_code = 'province' then 'province_report'
                        else 'sector_report' end,
                   f.file_path, f.source_line
            from marts.fct_indicator_value_current as f
            left join marts.dim_agency as a on a.agency_key = f.agency_key
            where f.value_numeric is not null and f.province_key is not null
            order by f.file_path, try_cast(f.source_line as integer), f.source_line
            """
        ).fetchall():
            sources.setdefault((province, period, indicator, kind), []).append((file_path, line))
        province_rows = con.execute(
            """
            select m.province_key, m.period_key, m.indicator_key, m.value_numeric,
                   m.basis, m.agencies_reporting,
                   coalesce(p.name_vi, m.province_key) as province_name, p.province_type
            from marts.mart_province_indicator as m
            inner join marts.dim_indicator as i on i.indicator_key = m.indicator_key
            left join marts.dim_province as p on p.province_key = m.province_key
            left join marts.dim_period as d on d.period_key = m.period_key
            where i.bnv_code is not null and m.value_numeric is not null
              and coalesce(d.period_type, '') <> 'plan'
            order by province_name, m.period_key
            """
        ).fetchall()
        province_forms: dict[tuple[str, str], tuple[str, str, dict[str, Figure]]] = {}
        for province, period, indicator, value, basis, agencies, pname, ptype in province_rows:
            item = by_key[indicator]
            kind = basis.removeprefix("recomputed: ")
            figure = _province_figure(
                value,
                basis,
                agencies,
                []
                if basis.startswith("recomputed")
                else sources.get((province, period, indicator, kind), []),
                item,
            )
            prefix = "Thành phố" if ptype == "city" else "Tỉnh"
            entry = province_forms.setdefault((province, period), (pname, f"{prefix} {pname}", {}))
            entry[2][indicator] = figure
        for (province, period), (_name, caption, figures) in province_forms.items():
            path = _unique_path(forms_dir, f"form_{slugify(caption)}_{period}", used, province)
            _write_form(
                path,
                items,
                figures,
                caption=f"Số liệu toàn tỉnh: {caption}",
                period_label=periods.get(period, period),
            )
            written.append(path)
    return written
