"""Ground truth of a corpus: ``truth/documents.csv`` (who, when, what kind, and every
axis value) and ``truth/figures.csv`` (every figure written: indicator, scope, the
canonical value, the text written, the place)."""

from __future__ import annotations

import csv
from pathlib import Path

from tools.corpus.seeds import Seeds
from tools.corpus.spec import AXES, ReportSpec
from tools.corpus.writers.cells import crosstab_values, row_cells

DOCUMENT_COLUMNS = (
    "file",
    "agency_name",
    "agency_core",
    "province",
    "province_code",
    "period_year",
    "period_number",
    "report_number",
    "report_date",
    "kind",
    "version_no",
    "supersedes_file",
    *AXES,
)
FIGURE_COLUMNS = (
    "file",
    "table_no",
    "row_index",
    "stt",
    "indicator_code",
    "scope",
    "value_type",
    "value",
    "decimals",
    "code_label",
    "raw_text",
    "indicator_text",
    "unit_text",
    "source_place",
    "planted_break",
)


def document_row(spec: ReportSpec) -> dict[str, str]:
    agency = spec.agency
    return {
        "file": spec.file_name,
        "agency_name": agency.name,
        "agency_core": agency.core,
        "province": agency.province.name_vi,
        "province_code": agency.province.code,
        "period_year": str(spec.period.year),
        "period_number": str(spec.period.number),
        "report_number": spec.number,
        "report_date": spec.date.isoformat(),
        "kind": spec.kind,
        "version_no": str(spec.version),
        "supersedes_file": spec.supersedes,
        **spec.axes,
    }


def _shown(value: float | int) -> str:
    return f"{value:g}"


def figure_rows(
    spec: ReportSpec, seeds: Seeds, places: dict[tuple[int, int], str]
) -> list[dict[str, str]]:
    scope = "province" if spec.agency.agency_type == "province" else "agency"
    out = []
    for t_no, table in enumerate(spec.tables, start=1):
        for r_no, row in enumerate(table.rows):
            fig = row.figure
            if fig is None:
                continue
            if table.measures:  # a cross-tab: one figure per measure cell of the row
                numbers = (
                    spec.style.number_format == "numeric_cells" and spec.axes["format"] == "xlsx"
                )
                figures = [fig, *row.more]
                for figure, written in zip(figures, crosstab_values(row, spec), strict=True):
                    out.append(
                        {
                            "file": spec.file_name,
                            "table_no": str(t_no),
                            "row_index": str(r_no),
                            "stt": row.stt,
                            "indicator_code": figure.indicator_code,
                            "scope": scope,
                            "value_type": figure.value_type,
                            "value": _shown(figure.value),
                            "decimals": "0",
                            "code_label": "",
                            "raw_text": _shown(figure.value) if numbers else written,
                            "indicator_text": row.indicator_text,
                            "unit_text": "",
                            "source_place": places[(t_no, r_no)],
                            "planted_break": "",
                        }
                    )
                continue
            cells = row_cells(row, spec, seeds)
            raw = cells.value
            if cells.number is not None:
                raw = _shown(fig.value) + "%" if cells.number_format else _shown(cells.number)
            out.append(
                {
                    "file": spec.file_name,
                    "table_no": str(t_no),
                    "row_index": str(r_no),
                    "stt": row.stt,
                    "indicator_code": fig.indicator_code,
                    "scope": scope,
                    "value_type": fig.value_type,
                    "value": _shown(fig.value),
                    "decimals": str(fig.decimals),
                    "code_label": fig.code_label,
                    "raw_text": raw,
                    "indicator_text": cells.indicator,
                    "unit_text": cells.unit,
                    "source_place": places[(t_no, r_no)],
                    "planted_break": fig.planted,
                }
            )
    return out


def write_csv(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
