"""The text of a table's cells and the report's fixed parts, shared by every writer."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from tools.corpus import reference as ref
from tools.corpus.figures import Figure, Row
from tools.corpus.seeds import Indicator, Seeds
from tools.corpus.spec import ReportSpec, TableSpec


@dataclass(frozen=True)
class Cells:
    stt: str
    indicator: str
    unit: str  # '' where the table has no unit column
    value: str  # the value as written ('' for a heading)
    note: str
    number: float | int | None = None  # the value as a number, for numeric workbook cells
    number_format: str = ""  # the workbook's number format of that number


def _flip(key: str) -> bool:
    """A stable per-item coin (the same item gets the same choice in every run)."""
    return zlib.crc32(key.encode()) % 2 == 0


def vn_number(value: float, decimals: int, grouped: bool) -> str:
    text = f"{value:,.{decimals}f}" if grouped else f"{value:.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def unit_word(ind: Indicator, seeds: Seeds) -> str:
    words = [w for w in seeds.unit_words.get(ind.unit_code, ()) if "," not in w and "/" not in w]
    return words[0] if words else seeds.units.get(ind.unit_code, "")


def scale_legend(ind: Indicator, seeds: Seeds, words: bool) -> str:
    labels = seeds.scales[ind.scale_code]
    if words:
        return "/".join(lab.label_vi for lab in labels)
    return " ".join(f"{lab.label_vi} = {lab.value}" for lab in labels)


# where no unit is written beside the value: the catalog, or the table's header, says it
_UNIT_ELSEWHERE = ("in_indicator", "in_header", "none")


def code_text(fig: Figure, ind: Indicator, spec: ReportSpec, seeds: Seeds) -> str:
    wording = spec.style.code_wording
    if wording == "numbers":
        return str(int(fig.value))
    others = seeds.code_words.get((ind.scale_code, int(fig.value)), ())
    if wording == "other_words" and others:
        return others[zlib.crc32((ind.code + spec.file_name).encode()) % len(others)]
    return fig.code_label


def value_text(fig: Figure, ind: Indicator, spec: ReportSpec, seeds: Seeds) -> str:
    style = spec.style
    grouped = style.number_format != "ungrouped"
    if fig.value_type == "code":
        return code_text(fig, ind, spec, seeds)
    if fig.value_type == "percent":
        number = vn_number(fig.value, fig.decimals, grouped=False)
        if style.unit_placement in _UNIT_ELSEWHERE:
            return number
        if style.unit_placement == "unit_column" and _flip(ind.code + spec.file_name):
            return number
        return number + "%"
    number = vn_number(fig.value, 0, grouped)
    if style.unit_placement == "in_value":
        return f"{number} {unit_word(ind, seeds).lower()}"
    return number


def row_cells(row: Row, spec: ReportSpec, seeds: Seeds) -> Cells:
    ind, style = row.indicator, spec.style
    unit = ""
    text = row.indicator_text
    if row.figure is not None:
        if ind.value_type == "code":
            legend = scale_legend(ind, seeds, style.code_wording != "numbers")
        elif ind.value_type == "percent":
            legend = "%"
        else:
            legend = unit_word(ind, seeds)
        if style.unit_placement == "unit_column":
            unit = legend
        elif style.unit_placement == "in_indicator":
            text = f"{text} ({legend})" if ind.value_type != "percent" else f"{text} (%)"
    value = value_text(row.figure, ind, spec, seeds) if row.figure else ""
    number: float | int | None = None
    fmt = ""
    fig = row.figure
    if (
        fig is not None
        and style.number_format == "numeric_cells"
        and not (style.unit_placement == "in_value" and fig.value_type in ("count", "amount"))
    ):
        if fig.value_type == "percent":
            number, fmt = fig.value / 100, "0%" if fig.decimals == 0 else "0.00%"
        elif fig.value_type != "code" or style.code_wording == "numbers":
            number = int(fig.value)
    return Cells(row.stt, text, unit, value, "", number, fmt)


def crosstab_values(row: Row, spec: ReportSpec) -> list[str]:
    """A cross-tab row's measure cells, as written."""
    grouped = spec.style.number_format != "ungrouped"
    figures = [row.figure, *row.more] if row.figure is not None else []
    return [vn_number(f.value, 0, grouped) for f in figures]


def table_cells(table: TableSpec, spec: ReportSpec, seeds: Seeds) -> list[list[str]]:
    """Each row's cells in the header's order (stt, indicator, [unit], value, note; a
    cross-tab: stt, the breakdown, one cell per measure, note)."""
    if table.measures:
        return [
            [row.stt, row.indicator_text, *crosstab_values(row, spec), ""] for row in table.rows
        ]
    out = []
    for row in table.rows:
        cells = row_cells(row, spec, seeds)
        line = [cells.stt, cells.indicator]
        if has_unit_column(table, spec):
            line.append(cells.unit)
        out.append([*line, cells.value, cells.note])
    return out


def has_unit_column(table: TableSpec, spec: ReportSpec) -> bool:
    return spec.style.unit_placement == "unit_column" and not table.value_unit


def date_line(spec: ReportSpec) -> str:
    d = spec.date
    return f"{spec.agency.place}, ngày {d.day} tháng {d.month} năm {d.year}"


def letterhead_left(spec: ReportSpec) -> list[str]:
    agency = spec.agency
    lines = [agency.superior] if agency.superior else []
    return [*lines, *agency.issuer, f"Số: {spec.number}"]


def letterhead_right(spec: ReportSpec) -> list[str]:
    return [*ref.MOTTO, date_line(spec)]


def appendix_heading(table: TableSpec, alone: bool) -> list[str]:
    lines = [f"{'PHỤ LỤC' if alone else 'Phụ lục'} {table.appendix_no}", table.title]
    if table.caption:
        lines.append(table.caption)
    return lines


RECIPIENTS = "Nơi nhận: - Như trên; - Lưu: VT."
