"""The nightly job: scheduler files that parse, a run log, rollback."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, Built, cchc

from cchc import runlog

SCHEDULING = ROOT / "docs" / "scheduling"


def test_cron_line_has_five_time_fields_a_user_and_the_command() -> None:
    lines = [
        line
        for line in (SCHEDULING / "cchc.cron").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    [line] = lines
    fields = line.split(None, 6)
    assert all(re.fullmatch(r"[\d*,/-]+", f) for f in fields[:5]), fields[:5]
    assert fields[5] == "cchc" and "cchc run" in fields[6]


def _verify(units: dict[str, str], folder: Path) -> subprocess.CompletedProcess[str]:
    for name, text in units.items():
        (folder / name).write_text(text)
    return subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *(str(folder / n) for n in units)],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_systemd_units_verify(tmp_path: Path) -> None:
    units = {}
    for name in ("cchc-nightly.service", "cchc-nightly.timer"):
        # the real unit text, with an executable and a user that exist on this machine
        units[name] = (
            (SCHEDULING / name)
            .read_text()
            .replace("/opt/cchc/.venv/bin/cchc", shutil.which("true") or "/bin/true")
            .replace("User=cchc", "User=root")
            .replace("Group=cchc", "Group=root")
        )
    good = _verify(units, tmp_path)
    assert good.returncode == 0, good.stdout + good.stderr
    # the check can fail: the same service with a broken ExecStart is refused
    broken = tmp_path / "broken"
    broken.mkdir()
    units["cchc-nightly.service"] = units["cchc-nightly.service"].replace(
        "ExecStart=/", "ExecStart=relative/"
    )
    assert _verify(units, broken).returncode != 0


def test_each_run_is_logged_with_its_steps(built: Built) -> None:
    [(status, steps, documents, findings)] = built.query(
        "select status, step_seconds, documents, findings from quality.pipeline_runs"
    )
    assert status == "ok" and documents == 5 and findings > 0
    assert set(steps) == {"ingest", "build", "check", "export", "dashboard"}


READER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    import duckdb

    warehouse, stop, out, mode = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
    seen, errors = [], []
    held = duckdb.connect(warehouse, read_only=True) if mode == "held" else None
    while not stop.exists():
        try:
            con = held or duckdb.connect(warehouse, read_only=True)
            facts = con.execute("select count(*) from marts.fct_indicator_value").fetchone()
            docs = con.execute("select count(*) from raw.documents").fetchone()
            seen.append([facts[0], docs[0]])
            if held is None:
                con.close()
        except Exception as exc:  # every failure is reported to the test
            errors.append(repr(exc))
        time.sleep(0.05)
    out.write_text(json.dumps({"seen": seen, "errors": errors}))
    """
)


def _documents(warehouse: Path) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("select count(*) from raw.documents").fetchone()[0]


def test_a_run_switches_warehouse_and_outputs_together_under_readers_then_rolls_back(
    built: Built, tmp_path: Path, reports_copy: Path
) -> None:
    """The one full run of this file: on a copy of the session's warehouse (a plain file,
    as runs before run folders left it), with one more report, while readers read."""
    live, out = tmp_path / "warehouse" / "cchc.duckdb", tmp_path / "out"
    live.parent.mkdir()
    shutil.copyfile(built.warehouse.resolve(), live)
    old = (built.scalar("select count(*) from marts.fct_indicator_value"), 5)
    (reports_copy / "extra.txt").write_bytes(
        (ROOT / "tests" / "fixtures" / "rules" / "q1_so_noi_vu.txt").read_bytes()
    )
    stop = tmp_path / "stop"
    readers = {
        mode: subprocess.Popen(
            [sys.executable, "-c", READER, str(live), str(stop), str(tmp_path / mode), mode]
        )
        for mode in ("fresh", "held")
    }
    try:
        time.sleep(1)
        run = cchc(
            "run",
            "--warehouse",
            str(live),
            "--reports",
            str(reports_copy),
            env={"CCHC_OUTPUT_DIR": str(out)},
        )
        assert run.returncode == 0, run.stderr
        time.sleep(1)
    finally:
        stop.touch()
        for reader in readers.values():
            reader.wait(timeout=60)
    assert "1 loaded, 5 unchanged" in run.stdout
    with duckdb.connect(str(live), read_only=True) as con:
        new = (con.execute("select count(*) from marts.fct_indicator_value").fetchone()[0], 6)
        [(status, steps)] = con.execute(
            "select status, step_seconds from quality.pipeline_runs"
        ).fetchall()
    assert status == "ok" and set(steps) == {"ingest", "build", "check", "export", "dashboard"}
    fresh = json.loads((tmp_path / "fresh").read_text())
    assert fresh["errors"] == [] and len(fresh["seen"]) > 20
    assert {tuple(s) for s in fresh["seen"]} <= {old, new}
    assert tuple(fresh["seen"][0]) == old and tuple(fresh["seen"][-1]) == new
    held = json.loads((tmp_path / "held").read_text())  # kept its file while the link moved
    assert held["errors"] == [] and {tuple(s) for s in held["seen"]} == {old}

    # the warehouse, its exports and its dashboard are one run's, switched by one link
    run_dir = live.resolve().parent
    assert (out / "exports").resolve().parent == run_dir == (out / "reports").resolve().parent
    assert (out / "exports" / "parquet" / "marts.fct_indicator_value.parquet").exists()
    assert (out / "reports" / "dashboard.html").exists()
    assert (run_dir / "manifest.json").exists()  # cchc publish reads the live run's
    journal = [json.loads(x) for x in runlog.journal_path(live).read_text().splitlines()]
    assert [line["status"] for line in journal] == ["ok"]

    first = cchc("rollback", "--warehouse", str(live), env={"CCHC_OUTPUT_DIR": str(out)})
    assert first.returncode == 0, first.stderr
    assert _documents(live) == 5 and _documents(live.with_name("cchc.duckdb.previous")) == 6
    second = cchc("rollback", "--warehouse", str(live), env={"CCHC_OUTPUT_DIR": str(out)})
    assert second.returncode == 0, second.stderr  # swaps back: no build is lost
    assert _documents(live) == 6 and (out / "exports").resolve().parent == run_dir

    with live.with_name("cchc.duckdb.previous").open("r+b") as fp:
        fp.truncate(1 << 20)  # what a full disk did to a copy written in place
    damaged = cchc("rollback", "--warehouse", str(live), env={"CCHC_OUTPUT_DIR": str(out)})
    assert damaged.returncode == 1 and "recorded checksum" in damaged.stderr
    assert _documents(live) == 6  # nothing installed


def test_a_failed_run_is_journaled_and_rollback_without_previous_refuses(
    built: Built, tmp_path: Path, reports_copy: Path
) -> None:
    live = tmp_path / "warehouse" / "cchc.duckdb"
    live.parent.mkdir()
    shutil.copyfile(built.warehouse.resolve(), live)
    (reports_copy / "manifest.csv").write_text("file,colour\n", encoding="utf-8")
    failed = cchc(
        "run",
        "--warehouse",
        str(live),
        "--reports",
        str(reports_copy),
        env={"CCHC_OUTPUT_DIR": str(tmp_path / "out")},
    )
    assert failed.returncode == 1
    [line] = [json.loads(x) for x in runlog.journal_path(live).read_text().splitlines()]
    assert line["status"] == "failed" and line["failed_step"] == "ingest"
    refused = cchc("rollback", "--warehouse", str(live))
    assert refused.returncode == 1 and "nothing to roll back" in refused.stderr
    assert _documents(live) == 5
