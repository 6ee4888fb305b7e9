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
