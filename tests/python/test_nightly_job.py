"""The nightly job never locks readers out nor shows them a half-built warehouse, and a
run killed halfway leaves the published warehouse as it was."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from conftest import CCHC, ROOT, Built, build_warehouse

READER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    import duckdb

    warehouse, stop, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    seen, errors = [], []
    while not stop.exists():
        try:
            with duckdb.connect(warehouse, read_only=True) as con:
                facts = con.execute("select count(*) from marts.fct_indicator_value").fetchone()
                docs = con.execute("select count(*) from raw.documents").fetchone()
                seen.append([facts[0], docs[0]])
        except Exception as exc:  # every failure is reported to the test
            errors.append(repr(exc))
        time.sleep(0.05)
    out.write_text(json.dumps({"seen": seen, "errors": errors}))
    """
)


def test_readers_see_the_old_or_the_new_warehouse_never_an_error(
    tmp_path: Path, reports_copy: Path
) -> None:
    first = build_warehouse(tmp_path)
    assert first.result.returncode == 0
    old = (first.scalar("select count(*) from marts.fct_indicator_value"), 5)
    (reports_copy / "extra.txt").write_bytes(
        (ROOT / "tests" / "fixtures" / "rules" / "q1_so_noi_vu.txt").read_bytes()
    )
    stop, out = tmp_path / "stop", tmp_path / "reader.json"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(first.warehouse), str(stop), str(out)]
    )
    try:
        time.sleep(1)
        second = build_warehouse(tmp_path, reports=reports_copy)
        assert second.result.returncode == 0, second.result.stderr
        time.sleep(1)
    finally:
        stop.touch()
        reader.wait(timeout=60)
    result = json.loads(out.read_text())
    new = (second.scalar("select count(*) from marts.fct_indicator_value"), 6)
    assert result["errors"] == []
    assert len(result["seen"]) > 20
    assert {tuple(s) for s in result["seen"]} <= {old, new}
    assert tuple(result["seen"][0]) == old and tuple(result["seen"][-1]) == new


def test_a_run_killed_halfway_leaves_the_published_warehouse_unchanged(
    built: Built, tmp_path: Path
) -> None:
    live = tmp_path / "cchc.duckdb"
    live.write_bytes(built.warehouse.read_bytes())
    before = live.read_bytes()
    run = subprocess.Popen(
        [str(CCHC), "run", "--warehouse", str(live)],
        env={**os.environ, "CCHC_OUTPUT_DIR": str(tmp_path)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    time.sleep(6)  # ingest done, dbt building the copy aside
    assert run.poll() is None, "the run finished before it could be killed"
    os.killpg(run.pid, signal.SIGKILL)
    run.wait(timeout=30)
    assert live.read_bytes() == before
    again = subprocess.run(
        [str(CCHC), "run", "--warehouse", str(live)],
        env={**os.environ, "CCHC_OUTPUT_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert again.returncode == 0, again.stderr  # a stale copy aside does not get in the way
