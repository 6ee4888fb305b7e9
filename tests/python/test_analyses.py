"""The questions analysts ask most (analyses/): each compiles with dbt and runs on the
session's warehouse."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, Built

ANALYSES = sorted(p.stem for p in (ROOT / "analyses").glob("*.sql"))


@pytest.fixture(scope="module")
def compiled(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("target")
    dbt = Path(sys.executable).with_name("dbt")
    result = subprocess.run(
        [
            str(dbt),
            "compile",
            "--select",
            "resource_type:analysis",
            "--project-dir",
            str(ROOT),
            "--profiles-dir",
            str(ROOT),
            "--target-path",
            str(target),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "CCHC_WAREHOUSE": str(built.warehouse)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return target / "compiled" / "cchc" / "analyses"


def test_the_four_questions_are_there() -> None:
    assert ANALYSES == [
        "agencies_with_most_rule_breaks",
        "gap_to_2025_targets",
        "online_dossier_share_over_time",
        "rank_provinces_on_time_dossiers",
    ]


@pytest.mark.parametrize("name", ANALYSES)
def test_each_analysis_runs_and_answers(name: str, compiled: Path, built: Built) -> None:
    sql = (compiled / f"{name}.sql").read_text(encoding="utf-8")
    with duckdb.connect(str(built.warehouse), read_only=True) as con:
        rows = con.execute(sql).fetchall()
    assert rows, f"{name} returned nothing on the sample warehouse"
