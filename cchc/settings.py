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
    state_dir: Path | None = None  # the live warehouse's own folder (runs, dbt); see nightly
    # ingest's archive of every file's bytes: beside the live warehouse (ingest.archive),
    # also when a step runs on a run's copy of it
    archive_dir: Path | None = None

    @property
    def warehouse_state_dir(self) -> Path:
        """``<warehouse>.d`` of the live warehouse: run directories and dbt's folders."""
        return self.state_dir or self.warehouse.with_name(self.warehouse.name + ".d")

    @property
    def dbt_target_dir(self) -> Path:
        """dbt's target/ for this warehouse: stable (partial parsing), never shared by
        two warehouses, and only ever used under the warehouse's lock by `cchc run`."""
        return self.warehouse_state_dir / "dbt" / "target"

    @property
    def dbt_log_dir(self) -> Path:
        return self.warehouse_state_dir / "dbt" / "logs"

    @property
    def outputs_root(self) -> Path:
        return self.output_dir or self.project_dir

    @property
    def seeds_dir(self) -> Path:
        return self.project_dir / "seeds"

    @property
    def exports_dir(self) -> Path:
        return self.outputs_root / "exports"

    @property
    def quality_docs_dir(self) -> Path:
        return self.outputs_root / "reports" / "quality"

    @property
    def dashboard_file(self) -> Path:
        return self.outputs_root / "reports" / "dashboard.html"


def free_space_headroom_mb() -> int:
    """Free space a run keeps beyond twice what it writes (env CCHC_FREE_SPACE_HEADROOM_MB)."""
    return int(os.environ.get("CCHC_FREE_SPACE_HEADROOM_MB", "100"))


def resolve(warehouse: Path | None = None, reports: Path | None = None) -> Settings:
    """Options win over environment variables, which win over the defaults."""
    project = Path(os.environ.get("CCHC_PROJECT_DIR", PROJECT_DIR)).resolve()
    chosen_warehouse = warehouse or os.environ.get("CCHC_WAREHOUSE") or project / DEFAULT_WAREHOUSE
    chosen_reports = reports or os.environ.get("CCHC_REPORTS") or project / DEFAULT_REPORTS
    output = os.environ.get("CCHC_OUTPUT_DIR")
    # absolute, but not resolved: the live warehouse is a link into its current run
    live = Path(os.path.abspath(chosen_warehouse))
    return Settings(
        project_dir=project,
        warehouse=live,
        reports_dir=Path(chosen_reports).resolve(),
        output_dir=Path(output).resolve() if output else None,
        archive_dir=live.parent / "archive",
    )
