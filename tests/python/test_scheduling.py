"""The nightly job: scheduler files that parse, a run log, rollback."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, Built, build_warehouse, cchc

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


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_systemd_units_verify(tmp_path: Path) -> None:
    for name in ("cchc-nightly.service", "cchc-nightly.timer"):
        text = (SCHEDULING / name).read_text()
        # verify the real unit text with paths that exist on this machine
        text = text.replace("/opt/cchc/.venv/bin/cchc", shutil.which("true") or "/bin/true")
        text = text.replace("User=cchc", "User=root").replace("Group=cchc", "Group=root")
        (tmp_path / name).write_text(text)
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *(str(p) for p in tmp_path.iterdir())],
        capture_output=True,
        text=True,
        check=False,
    )
    problems = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if "cchc-nightly" in line and "Failed to" not in line
    ]
    assert result.returncode == 0 or not problems, result.stdout + result.stderr


def test_each_run_is_logged_with_its_steps(built: Built) -> None:
    [(status, steps, documents, findings)] = built.query(
        "select status, step_seconds, documents, findings from quality.pipeline_runs"
    )
    assert status == "ok" and documents == 5 and findings > 0
    assert set(steps) == {"ingest", "build", "check", "export", "dashboard"}


def test_a_failed_run_is_journaled_and_rollback_restores_the_previous(
    tmp_path: Path, reports_copy: Path
) -> None:
    first = build_warehouse(tmp_path)
    assert first.result.returncode == 0
    (reports_copy / "extra.txt").write_bytes(
        (ROOT / "tests" / "fixtures" / "rules" / "q1_so_noi_vu.txt").read_bytes()
    )
    second = build_warehouse(tmp_path, reports=reports_copy)
    assert second.result.returncode == 0
    assert second.scalar("select count(*) from raw.documents") == 6
    (reports_copy / "manifest.csv").write_text("file,colour\n", encoding="utf-8")
    failed = build_warehouse(tmp_path, reports=reports_copy)
    assert failed.result.returncode == 1
    journal = first.warehouse.with_name("cchc.duckdb.runs.jsonl").read_text().splitlines()
    assert [('"status": "ok"' in j, '"status": "failed"' in j) for j in journal] == [
        (True, False),
        (True, False),
        (False, True),
    ]
    result = cchc("rollback", "--warehouse", str(first.warehouse))
    assert result.returncode == 0, result.stderr
    with duckdb.connect(str(first.warehouse), read_only=True) as con:
        assert con.execute("select count(*) from raw.documents").fetchone() == (5,)
