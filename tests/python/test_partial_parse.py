"""dbt's parse survives `cchc run`s: every nightly build sees one profile path (a link to
the run's copy, cchc.dbt.stable_build_path) and one target folder per warehouse, so the
next build of an unchanged project skips parsing (a full parse costs 46 s on a loaded
machine, the reused one a few)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, Built

from cchc.dbt import stable_build_path
from cchc.settings import Settings
from ingest.duckdb_settings import duckdb_settings

DBT = Path(sys.executable).with_name("dbt")


def test_every_run_folder_is_built_through_one_path(tmp_path: Path) -> None:
    state = tmp_path / "cchc.duckdb.d"
    paths = {
        stable_build_path(
            Settings(
                ROOT, state / "runs" / run / "cchc.duckdb", ROOT, state_dir=state
            ).warehouse_state_dir,
            "cchc.duckdb",
        )
        for run in ("a1", "b2")
    }
    assert paths == {state / "dbt" / "building" / "cchc.duckdb"}
    targets = {
        Settings(ROOT, state / "runs" / run / "cchc.duckdb", ROOT, state_dir=state).dbt_target_dir
        for run in ("a1", "b2")
    }
    assert targets == {state / "dbt" / "target"}


def test_the_next_nightly_build_reuses_the_parse_of_this_one(built: Built, tmp_path: Path) -> None:
    """The session's `cchc run` left its parse in the warehouse's dbt target; dbt, as the
    next run's build calls it, finds nothing to re-parse."""
    state = built.warehouse.with_name(built.warehouse.name + ".d")
    saved = state / "dbt" / "target" / "partial_parse.msgpack"
    assert saved.is_file(), "the nightly build kept no parse"
    target = tmp_path / "target"  # a copy: the session's own target stays as it is
    shutil.copytree(saved.parent, target)
    building = stable_build_path(state, built.warehouse.name)
    env = {
        **os.environ,
        # as cchc.dbt calls dbt: the profile reads these, and a profile that differs
        # from the saved parse's makes dbt parse everything again
        **duckdb_settings(building).env(),
        "CCHC_WAREHOUSE": str(building),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    done = subprocess.run(
        [
            str(DBT),
            "parse",
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
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    log = (tmp_path / "logs" / "dbt.log").read_text(encoding="utf-8")  # debug lines too
    # the saved parse is taken up (with nothing changed since the build, dbt then skips
    # parsing altogether: "no changes found, skipping parsing")
    assert "Partial parsing enabled" in log, log[-3000:]
    assert "Unable to do partial parsing" not in log and "Starting full parse" not in log
