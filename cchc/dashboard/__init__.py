"""The warehouse → one static, self-contained HTML dashboard (``cchc dashboard``).

data (read the rpt_dashboard_* models) → page (rows as JSON, plotly.js and the page's
script inlined) → one file. The only I/O is reading the DuckDB file (read-only), the
letters' index if `cchc export` wrote one, and writing the HTML file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cchc.dashboard.data import PARTS, DashboardData, read_dashboard_data, read_letters
from cchc.dashboard.fmt import format_date, format_number, format_value
from cchc.dashboard.page import build_page

__all__ = [
    "PARTS",
    "DashboardData",
    "DashboardSummary",
    "format_date",
    "format_number",
    "format_value",
    "render_dashboard",
]


@dataclass(frozen=True)
class DashboardSummary:
    out_file: Path
    bytes_written: int
    rows: dict[str, int]  # part → rows embedded
    parts_empty: tuple[str, ...]  # parts with no rows (drawn as "Chưa có …")
    missing_tables: tuple[str, ...]  # models the warehouse lacks (an older build)
    letters: int


def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def render_dashboard(
    warehouse: Path,
    out_file: Path,
    *,
    letters_index: Path | None = None,
    quality_dir: Path | None = None,
    now: datetime | None = None,
) -> DashboardSummary:
    """Read the warehouse, write the dashboard to ``out_file`` (atomically)."""
    data: DashboardData = read_dashboard_data(warehouse)
    out_dir = out_file.parent
    letters = read_letters(letters_index, out_dir) if letters_index else []
    links = {}
    if quality_dir is not None:
        import os

        links = {
            "quality_docs": Path(os.path.relpath(quality_dir / "index.html", out_dir)).as_posix(),
            "agency_pages": Path(
                os.path.relpath(quality_dir / "co-quan" / "index.html", out_dir)
            ).as_posix(),
        }
    payload = {"parts": data.parts, "letters": letters, "links": links}
    page = build_page(payload, _plotly_js(), now or datetime.now())
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = out_file.with_name(out_file.name + ".tmp")
    staging.write_text(page, encoding="utf-8")
    staging.replace(out_file)
    return DashboardSummary(
        out_file=out_file,
        bytes_written=out_file.stat().st_size,
        rows={part: len(rows) for part, rows in data.parts.items()},
        parts_empty=tuple(part for part, rows in data.parts.items() if not rows),
        missing_tables=data.missing_tables,
        letters=len(letters),
    )
