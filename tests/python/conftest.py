"""Shared fixtures. The test warehouse is built once per session through the real
`cchc run` entry point (real ingest, real dbt build, real GX checkpoint) and shared;
tests that need their own warehouse build it themselves."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
CCHC = Path(sys.executable).with_name("cchc")
SAMPLE_REPORTS = ROOT / "data" / "reports"


@dataclass(frozen=True)
class Built:
    warehouse: Path
    output_dir: Path
    reports: Path
    result: subprocess.CompletedProcess[str]

    @property
    def manifest(self) -> Path:
        """dbt's manifest of the live build, kept in its run folder beside the warehouse."""
        return self.warehouse.with_name(self.warehouse.name + ".d") / "current" / "manifest.json"

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()

    def scalar(self, sql: str, params: list | None = None):
        return self.query(sql, params)[0][0]


def cchc(
    *args: str, env: dict[str, str] | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    """Run the installed `cchc` console script, as a user or the scheduler would."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [str(CCHC), *args], capture_output=True, text=True, env=full_env, cwd=cwd, check=False
    )


def build_warehouse(tmp: Path, reports: Path = SAMPLE_REPORTS) -> Built:
    warehouse = tmp / "warehouse" / "cchc.duckdb"
    output = tmp / "out"
    result = cchc(
        "run",
        "--warehouse",
        str(warehouse),
        "--reports",
        str(reports),
        env={"CCHC_OUTPUT_DIR": str(output)},
    )
    return Built(warehouse, output, reports, result)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The bundled sample reports, run once through `cchc run`."""
    result = build_warehouse(tmp_path_factory.mktemp("built"))
    assert result.result.returncode == 0, result.result.stderr + result.result.stdout
    return result


@pytest.fixture
def reports_copy(tmp_path: Path) -> Path:
    """A private copy of the sample reports a test may add files to."""
    target = tmp_path / "reports"
    shutil.copytree(SAMPLE_REPORTS, target)
    return target


@pytest.fixture(scope="session")
def ocr_tools() -> None:
    """tesseract (with its Vietnamese data), pdftoppm and LibreOffice, as scans and
    .doc/.xls need them: installed from Debian by ``make ocr-tools`` when missing,
    never skipped."""
    have_vie = (
        shutil.which("tesseract")
        and "vie"
        in subprocess.run(
            ["tesseract", "--list-langs"], capture_output=True, text=True, check=False
        ).stdout.split()
    )
    if not (have_vie and shutil.which("pdftoppm") and shutil.which("soffice")):
        subprocess.run(["make", "-C", str(ROOT), "ocr-tools"], check=True)
