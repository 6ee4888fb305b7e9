"""Where things are: the project, the warehouse, the reports. Passed in, never global."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
DEFAULT_WAREHOUSE = Path("warehouse") / "cchc.duckdb"
DEFAULT_REPORTS = Path("data") / "reports"


@dataclass(frozen=True)
class Settings:
    project_dir: Path
    warehouse: Path
    reports_dir: Path
    output_dir: Path | None = None  # where exports/ and reports/ go; the project by default
    # ingest's archive of every file's bytes: beside the live warehouse (ingest.archive),
    # also when a step runs on a copy of it
    archive_dir: Path | None = None

    @property
    def seeds_dir(self) -> Path:
        return self.project_dir / "seeds"

    @property
    def exports_dir(self) -> Path:
        return (self.output_dir or self.project_dir) / "exports"

    @property
    def quality_docs_dir(self) -> Path:
        return (self.output_dir or self.project_dir) / "reports" / "quality"


def resolve(warehouse: Path | None = None, reports: Path | None = None) -> Settings:
    """Options win over environment variables, which win over the defaults."""
    project = Path(os.environ.get("CCHC_PROJECT_DIR", PROJECT_DIR)).resolve()
    chosen_warehouse = warehouse or os.environ.get("CCHC_WAREHOUSE") or project / DEFAULT_WAREHOUSE
    chosen_reports = reports or os.environ.get("CCHC_REPORTS") or project / DEFAULT_REPORTS
    output = os.environ.get("CCHC_OUTPUT_DIR")
    live = Path(chosen_warehouse).resolve()
    return Settings(
        project_dir=project,
        warehouse=live,
        reports_dir=Path(chosen_reports).resolve(),
        output_dir=Path(output).resolve() if output else None,
        archive_dir=live.parent / "archive",
    )
