"""The Ministry's 2022 periodic form (Phụ lục 02: "Thống kê số liệu về kết quả thực hiện
công tác cải cách hành chính") filled from the warehouse, with openpyxl.

One workbook per (agency, period) and per (province, period), in the form's own
numbering; each figure carries its source (file, line) or its basis in a cell comment.
An item that was not reported stays empty, never 0.

A province's form says "Số liệu toàn tỉnh" only where its figures are the province's
own or sum every agency the province expects reports from (``is_province_wide``);
otherwise it says whose they are: the one agency's name, or "tổng hợp từ N cơ quan"
(of M that must report). Rows are as tall as their wrapped labels (LibreOffice does not
grow a row an .xlsx gives no height). Each form's content hash is in
``forms/index.csv``; an unchanged form is not written again (:class:`cchc.export.Reuse`).

What goes on the form is decided in dbt (``marts.rpt_form_items``,
``rpt_form_agency_figures``, ``rpt_form_province_figures``); this module only selects
those rows and lays them out. The warehouse is only read.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import Any

import duckdb
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from cchc.errors import StepFailed
from cchc.export import INDEX_FILE, Reuse, code_hash, content_hash, read_warehouse, write_index
from cchc.workbooks import FORMAT_DECIMAL, FORMAT_INTEGER, clean_text, put, slugify

FORM_TITLE = "THỐNG KÊ SỐ LIỆU VỀ KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH"
FORM_APPENDIX = "Phụ lục 02"
FORM_SUBTITLE = (
    "(Mẫu biểu thống kê định kỳ của Bộ Nội vụ năm 2022, số liệu lấy từ kho dữ liệu CCHC)"
)
FORM_HEADERS = ("STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú")
FORM_MODELS = ("rpt_form_items", "rpt_form_agency_figures", "rpt_form_province_figures")
_FORM_WIDTHS = (10, 70, 22, 14, 30)
_LINE_HEIGHT_PT = 15.0  # one line of 11-point text
_CHARS_PER_WIDTH = 1.1  # characters of Vietnamese text per unit of column width, about
INDEX_COLUMNS = ("file", "kind", "name", "period_key", "figures", "content_hash")
_LAYOUT = code_hash(__file__)
_SOURCES_SHOWN = 10

_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)

_BASIS_VI = {
    "province_report": "báo cáo của UBND tỉnh",
    "sector_report": "báo cáo ngành của sở (số liệu toàn tỉnh)",
    "sum_of_agencies": "tổng số liệu các cơ quan báo cáo",
}


@dataclass(frozen=True)
class FormItem:
    """One row of the form (a row of ``marts.rpt_form_items``)."""

    indicator_key: str
    bnv_code: str
    name_vi: str
    unit_text: str
    is_section: bool
    numerator_bnv: str | None
    denominator_bnv: str | None


@dataclass(frozen=True)
class Figure:
    """What goes into the Số liệu cell of one row, with its comment."""

    value: Any
    comment: str
    note: str | None = None
    derived: bool = False
    whose: str | None = None  # a province figure: whose it is (whose_figure)
    province_wide: bool = False
    agencies: tuple[str, ...] = ()


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def form_items(con: duckdb.DuckDBPyConnection) -> list[FormItem]:
    """The form's rows, in the form's order."""
    return [
        FormItem(
            indicator_key=row["indicator_key"],
            bnv_code=row["bnv_code"],
            name_vi=row["name_vi"] or "",
            unit_text=row["unit_text_vi"] or "",
            is_section=bool(row["is_section"]),
            numerator_bnv=row["numerator_bnv_code"],
            denominator_bnv=row["denominator_bnv_code"],
        )
        for row in _rows(
            con,
            "select indicator_key, bnv_code, name_vi, unit_text_vi, is_section, "
            "numerator_bnv_code, denominator_bnv_code from marts.rpt_form_items "
            "order by form_order",
        )
    ]


# ------------------------------------------------------------------ cell and comment


def _source(file_path: str | None, source_line: Any) -> str:
    return f"Nguồn: {file_path or '?'}, dòng {source_line if source_line is not None else '?'}"


def _ratio_parts(item: FormItem) -> str:
    if item.numerator_bnv and item.denominator_bnv:
        return f"{item.numerator_bnv} / {item.denominator_bnv}"
    return "tử số và mẫu số"


def agency_figure(row: Mapping[str, Any], item: FormItem) -> Figure:
    """The cell of one ``rpt_form_agency_figures`` row, laid out by its ``cell_kind``."""
    source = _source(row["file_path"], row["source_line"])
    kind = row["cell_kind"]
    if kind == "code":
        label = row["value_label_vi"]
        note = f"{row['value_code']} = {label}" if label else None
        return Figure(int(row["value_code"]), source, note=note)
    if kind == "as_written":
        raw = row["raw_value_text"]
        return Figure(
            raw if raw else f"{row['value_numeric']:g}%",
            f"{source}\nGhi như báo cáo: chỉ tiêu đếm số lượng nhưng báo cáo ghi tỷ lệ %.",
        )
    if kind == "derived":
        return Figure(
            row["value_numeric"],
            f"Tính từ {_ratio_parts(item)}; báo cáo để trống ô này.\n{source}",
            derived=True,
        )
    if kind == "number":
        return Figure(row["value_numeric"], source)
    if kind == "text":
        return Figure(clean_text(str(row["value_text"])), source)
    raise StepFailed(
        f"marts.rpt_form_agency_figures: cell_kind {kind!r} for {row['agency_key']}, "
        f"{row['period_key']}, {item.bnv_code} — expected code, as_written, derived, number "
        "or text; rebuild with `cchc build`"
    )


def province_figure(row: Mapping[str, Any], item: FormItem) -> Figure:
    """The cell of one ``rpt_form_province_figures`` row: its basis, how many agencies it
    rests on and its sources in the comment."""
    basis, kind = row["basis"], row["basis_kind"]
    lines = [f"Cơ sở: {basis} — {_BASIS_VI.get(kind, kind)}"]
    if row["is_recomputed"]:
        lines.append(f"Tỷ lệ tính lại từ {_ratio_parts(item)} trên cơ sở này.")
    if row["agencies_reporting"] is not None:
        expected = row.get("expected_reporters")
        of = f" / {expected} cơ quan phải báo cáo" if expected else ""
        lines.append(f"Số cơ quan báo cáo: {row['agencies_reporting']}{of}")
    lines.append(whose_figure(row))
    sources: Sequence[Mapping[str, Any]] = row["sources"] or []
    for source in sources[:_SOURCES_SHOWN]:
        lines.append(_source(source["file_path"], source["source_line"]))
    if len(sources) > _SOURCES_SHOWN:
        lines.append(f"… và {len(sources) - _SOURCES_SHOWN} nguồn khác")
    return Figure(
        row["value_numeric"],
        "\n".join(lines),
        note=None,
        derived=bool(row["is_recomputed"]),
        whose=whose_figure(row),
        province_wide=bool(row.get("is_province_wide")),
        agencies=tuple(row.get("reporting_agencies") or ()),
    )


def whose_figure(row: Mapping[str, Any]) -> str:
    """Whose a province figure is, in the form's words."""
    if row.get("is_province_wide"):
        return "Số liệu toàn tỉnh"
    agencies = list(row.get("reporting_agencies") or [])
    if len(agencies) == 1:
        return f"Số liệu của {agencies[0]}"
    count = len(agencies) or row.get("agencies_reporting") or 0
    expected = row.get("expected_reporters")
    of = f" (trên {expected} cơ quan phải báo cáo)" if expected else ""
    return f"Số liệu tổng hợp từ {count} cơ quan{of}"


def province_caption(title: str, figures: Mapping[str, Figure]) -> str:
    """The province form's caption: "Số liệu toàn tỉnh" only when every figure is the
    province's own or covers every reporter; otherwise whose figures they are."""
    shown = list(figures.values())
    if shown and all(f.province_wide for f in shown):
        return f"Số liệu toàn tỉnh: {title}"
    agencies = sorted({name for f in shown if not f.province_wide for name in f.agencies})
    if len(agencies) == 1 and all(f.province_wide or f.agencies for f in shown):
        whose = f"số liệu của {agencies[0]}"
    elif not agencies:  # no figure names its reports (ratios re-computed from parts)
        whose = "số liệu của các cơ quan báo cáo"
    else:
        whose = f"số liệu tổng hợp từ {len(agencies)} cơ quan"
    partly = (
        " (một phần là số liệu toàn tỉnh, xem cột Ghi chú)"
        if any(f.province_wide for f in shown)
        else ""
    )
    return f"{title}: {whose}, chưa phải số liệu toàn tỉnh{partly}"


# ------------------------------------------------------------------------- the sheet


def text_lines(text: Any, width: float) -> int:
    """How many lines ``text`` takes wrapped in a column ``width`` wide (at least 1)."""
    if text is None:
        return 1
    per_line = max(int(width * _CHARS_PER_WIDTH), 1)
    return sum(max(math.ceil(len(part) / per_line), 1) for part in str(text).split("\n"))


def row_height(values: Sequence[Any], widths: Sequence[float]) -> float:
    """Points a row needs so its tallest wrapped cell shows whole."""
    lines = max(
        (text_lines(v, w) for v, w in zip(values, widths, strict=False) if isinstance(v, str)),
        default=1,
    )
    return round(lines * _LINE_HEIGHT_PT, 1)


def _write_heading(sheet: Any, caption: str, period_label: str) -> tuple[int, int]:
    bold = Font(bold=True)
    put(sheet, 1, 1, FORM_APPENDIX)
    sheet["A1"].font = bold
    sheet.merge_cells("A1:E1")
    sheet["A1"].alignment = Alignment(horizontal="center")
    put(sheet, 2, 1, FORM_TITLE)
    sheet["A2"].font = Font(bold=True, size=12)
    sheet["A2"].alignment = _CENTER
    sheet.merge_cells("A2:E2")
    sheet.row_dimensions[2].height = 32
    caption_text = clean_text(f"{caption} — Kỳ báo cáo: {period_label}")
    put(sheet, 3, 1, caption_text)
    sheet.row_dimensions[3].height = row_height([caption_text], (sum(_FORM_WIDTHS),))
    sheet["A3"].font = Font(italic=True)
    sheet["A3"].alignment = _CENTER
    sheet.merge_cells("A3:E3")
    put(sheet, 4, 1, FORM_SUBTITLE)
    sheet["A4"].font = Font(italic=True, size=9)
    sheet["A4"].alignment = _CENTER
    sheet.merge_cells("A4:E4")
    # two header rows as in the form: "Kết quả thống kê" over Đơn vị tính | Số liệu
    top, sub = 6, 7
    for column, text in ((1, "STT"), (2, "Chỉ tiêu thống kê"), (5, "Ghi chú")):
        put(sheet, top, column, text)
        sheet.merge_cells(start_row=top, start_column=column, end_row=sub, end_column=column)
    put(sheet, top, 3, "Kết quả thống kê")
    sheet.merge_cells(start_row=top, start_column=3, end_row=top, end_column=4)
    put(sheet, sub, 3, "Đơn vị tính")
    put(sheet, sub, 4, "Số liệu")
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
    return top, sub


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
    top, sub = _write_heading(sheet, caption, period_label)
    whose = {f.whose for f in figures.values() if f.whose is not None}
    mixed = len(whose) > 1
    for row_no, item in enumerate(items, start=sub + 1):
        font = Font(bold=item.is_section)
        values = [item.bnv_code, item.name_vi, item.unit_text, None, None]
        figure = figures.get(item.indicator_key)
        if figure is not None:
            values[3] = figure.value
            values[4] = figure.note if figure.whose is None or not mixed else figure.whose
        for column, value in enumerate(values, start=1):
            cell = put(sheet, row_no, column, value)
            cell.font = font
            cell.border = _BORDER
            cell.alignment = _WRAP_TOP
        sheet.row_dimensions[row_no].height = row_height(values, _FORM_WIDTHS)
        if figure is not None:
            cell = sheet.cell(row=row_no, column=4)
            if isinstance(figure.value, float | int):
                is_whole = float(figure.value).is_integer()
                cell.number_format = FORMAT_INTEGER if is_whole else FORMAT_DECIMAL
                cell.alignment = Alignment(horizontal="right", vertical="top")
            if figure.derived:
                cell.font = Font(bold=item.is_section, italic=True)
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


def _unique_name(stem: str, used: set[str], key: str) -> str:
    name = stem if stem not in used else f"{stem}_{key[:8]}"
    used.add(name)
    return f"{name}.xlsx"


def form_hash(
    items: Sequence[FormItem], figures: Mapping[str, Figure], caption: str, period_label: str
) -> str:
    """What one filled form shows, and the code that lays it out."""
    return content_hash(
        _LAYOUT,
        caption,
        period_label,
        [astuple(item) for item in items],
        sorted((key, astuple(figure)) for key, figure in figures.items()),
    )


def _require_models(con: duckdb.DuckDBPyConnection, warehouse: Path) -> None:
    present = {
        name
        for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        ).fetchall()
    }
    if missing := [name for name in FORM_MODELS if name not in present]:
        raise StepFailed(
            f"{warehouse}: no marts.{', marts.'.join(missing)} — the filled forms read the "
            "reporting models; run `cchc build` first"
        )


def write_form_workbooks(
    warehouse: Path, out_dir: Path, *, reuse: Reuse | None = None
) -> list[Path]:
    """The Ministry's 2022 form filled from the warehouse: one workbook per (agency,
    period) of ``rpt_form_agency_figures`` and one per (province, period) of
    ``rpt_form_province_figures``, under ``out_dir/forms/``, listed with their content
    hashes in ``forms/index.csv``. A form whose hash is the one ``reuse`` has from the
    previous run is not written again. Returns the files, agencies first."""
    forms_dir = Path(out_dir) / "forms"
    forms_dir.mkdir(parents=True, exist_ok=True)
    reuse = reuse or Reuse.of(forms_dir)
    written: list[Path] = []
    index: list[dict[str, Any]] = []
    used: set[str] = set()

    def place(
        kind: str,
        key: str,
        stem: str,
        name: str,
        period_key: str,
        figures: dict[str, Figure],
        caption: str,
        period_label: str,
    ) -> None:
        relative = _unique_name(stem, used, key)
        digest = form_hash(items, figures, caption, period_label)
        path = reuse.place(
            relative,
            digest,
            lambda target: _write_form(
                target, items, figures, caption=caption, period_label=period_label
            ),
        )
        written.append(path)
        index.append(
            {
                "file": relative,
                "kind": kind,
                "name": name,
                "period_key": period_key,
                "figures": len(figures),
                "content_hash": digest,
            }
        )

    with read_warehouse(warehouse) as con:
        _require_models(con, warehouse)
        items = form_items(con)
        by_key = {item.indicator_key: item for item in items}

        agency_forms: dict[tuple[str, str], tuple[str, str, dict[str, Figure]]] = {}
        for row in _rows(
            con,
            "select * from marts.rpt_form_agency_figures "
            "order by agency_name_vi, period_key, agency_key, bnv_code",
        ):
            entry = agency_forms.setdefault(
                (row["agency_key"], row["period_key"]),
                (row["agency_name_vi"], row["period_label_vi"], {}),
            )
            item = by_key[row["indicator_key"]]
            entry[2][item.indicator_key] = agency_figure(row, item)
        for (agency_key, period_key), (name, period_label, figures) in agency_forms.items():
            place(
                "agency",
                agency_key,
                f"form_{slugify(name)}_{period_key}",
                name,
                period_key,
                figures,
                f"Cơ quan báo cáo: {name}",
                period_label,
            )

        province_forms: dict[tuple[str, str], tuple[str, str, dict[str, Figure]]] = {}
        for row in _rows(
            con,
            "select * from marts.rpt_form_province_figures "
            "order by province_name_vi, period_key, province_key, bnv_code",
        ):
            entry = province_forms.setdefault(
                (row["province_key"], row["period_key"]),
                (row["province_title_vi"], row["period_label_vi"], {}),
            )
            item = by_key[row["indicator_key"]]
            entry[2][item.indicator_key] = province_figure(row, item)
        for (province_key, period_key), (title, period_label, figures) in province_forms.items():
            place(
                "province",
                province_key,
                f"form_{slugify(title)}_{period_key}",
                title,
                period_key,
                figures,
                province_caption(title, figures),
                period_label,
            )
    write_index(forms_dir / INDEX_FILE, index, INDEX_COLUMNS)
    reuse.remove_stale({row["file"] for row in index})
    return written
