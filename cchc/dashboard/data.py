"""The warehouse → the rows the dashboard draws (the only database I/O of the dashboard).

Each part of the page reads one reporting model (models/marts/reporting/rpt_dashboard_*)
in its own order; nothing is computed here. Rows become JSON-ready dicts: dates as ISO
text, NaN as null, lists of sources as lists of {file_path, source_line}.
"""

from __future__ import annotations

import csv
import math
import os
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

from cchc.errors import StepFailed

Row = dict[str, Any]

# the column of exports/letters/index.csv that holds a letter's file, by the first found
LETTER_PATH_COLUMNS = ("letter_path", "file_path", "path", "file", "docx")

# part of the page → (the model it reads, its order)
PARTS: dict[str, tuple[str, str]] = {
    "provinces": ("marts.rpt_dashboard_provinces", "list_order"),
    "periods": ("marts.rpt_dashboard_periods", "list_order"),
    "coverage": ("marts.rpt_dashboard_coverage", "list_order"),
    "set_aside": ("marts.rpt_dashboard_set_aside", "file_path, set_aside_key"),
    "findings": ("marts.rpt_dashboard_findings", "list_order"),
    "comparison": ("marts.rpt_dashboard_comparison", "chart_order"),
    "history": ("marts.rpt_dashboard_history", "chart_order"),
    "targets": ("marts.rpt_dashboard_targets", "chart_order"),
}


@dataclass(frozen=True)
class DashboardData:
    parts: dict[str, list[Row]]
    missing_tables: tuple[str, ...] = field(default=())
    letters: list[Row] = field(default_factory=list)

    def rows(self, part: str) -> list[Row]:
        return self.parts.get(part, [])


def _plain(value: Any) -> Any:
    """A DuckDB value as JSON can hold it."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _existing_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "select table_schema || '.' || table_name from information_schema.tables"
    ).fetchall()
    return {name for (name,) in rows}


def _read(con: duckdb.DuckDBPyConnection, table: str, order: str) -> list[Row]:
    cursor = con.execute(f"select * from {table} order by {order}")
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, map(_plain, row), strict=True)) for row in cursor.fetchall()]


def read_letters(index_csv: Path, dashboard_dir: Path) -> list[Row]:
    """The reply letters `cchc export` wrote (exports/letters/index.csv), if any: each row
    as written, plus `href`, the letter's path relative to the dashboard's folder (a path
    in the index is taken relative to the index's folder, then exports/, then the outputs'
    root)."""
    if not index_csv.is_file():
        return []
    with index_csv.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    bases = (index_csv.parent, *index_csv.parents[1:3])
    out = []
    for row in rows:
        path = next((row[k] for k in LETTER_PATH_COLUMNS if row.get(k)), None)
        if not path:
            continue
        target = Path(path)
        if not target.is_absolute():
            target = next((b / path for b in bases if (b / path).exists()), bases[0] / path)
        href = os.path.relpath(target.resolve(), dashboard_dir.resolve())
        out.append({**row, "href": Path(href).as_posix()})
    return out


def read_dashboard_data(warehouse: Path) -> DashboardData:
    """Read every part; a model the warehouse lacks (an older build) gives no rows."""
    if not warehouse.exists():
        raise StepFailed(f"no warehouse at {warehouse} — run `cchc run` first")
    parts: dict[str, list[Row]] = {}
    missing: list[str] = []
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            existing = _existing_tables(con)
            for part, (table, order) in PARTS.items():
                if table not in existing:
                    missing.append(table)
                    parts[part] = []
                    continue
                parts[part] = _read(con, table, order)
    except duckdb.Error as exc:
        raise StepFailed(f"cannot read the warehouse {warehouse}: {exc}") from exc
    return DashboardData(parts=parts, missing_tables=tuple(missing))
