"""Every dbt unit test (the rule families, matching, versions, folding, staging) passes.

The nightly `cchc build` leaves unit tests out: they prove the SQL, not the night's data.
They run here, once, on a copy of the session warehouse (a unit test needs the relations
its inputs name to exist, for their column types)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, Built

DBT = Path(sys.executable).with_name("dbt")


def test_every_dbt_unit_test_passes(built: Built, tmp_path: Path) -> None:
    warehouse = tmp_path / "cchc.duckdb"
    shutil.copyfile(built.warehouse, warehouse)
    target = tmp_path / "target"
    result = subprocess.run(
        [
            str(DBT),
            "test",
            "--select",
            "test_type:unit",
            "--project-dir",
            str(ROOT),
            "--profiles-dir",
            str(ROOT),
            "--target-path",
            str(target),
            "--log-path",
            str(tmp_path / "logs"),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "CCHC_WAREHOUSE": str(warehouse)},
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    results = json.loads((target / "run_results.json").read_text())["results"]
    unit = [r for r in results if r["unique_id"].startswith("unit_test.")]
    assert len(unit) >= 20, [r["unique_id"] for r in unit]
    assert {r["status"] for r in unit} == {"pass"}


def test_the_nightly_build_leaves_unit_tests_out(built: Built) -> None:
    run_results = built.warehouse.with_name(built.warehouse.name + ".d") / "dbt" / "target"
    results = json.loads((run_results / "run_results.json").read_text())["results"]
    assert results, "the nightly build ran nothing"
    assert not [r for r in results if r["unique_id"].startswith("unit_test.")]
    assert [r for r in results if r["unique_id"].startswith("test.")]  # data tests still gate
