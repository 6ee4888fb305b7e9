"""Quiet success: the quality check lets go of every DuckDB connection it opened.

GX's execution engine keeps the DuckDB connection open for a whole validation (the
persisted-connection fix, quality/duckdb_dialect.py), and GX's module-level project
manager keeps the context (so the engine) alive until the interpreter exits. The runner
must close that connection itself; a subprocess checks no DuckDB connection survives."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap

from conftest import ROOT, cchc

_PROBE = textwrap.dedent(
    """
    import gc, sys, tempfile
    from pathlib import Path
    import duckdb
    from quality.gx_runner import run_suites
    from quality.suites import all_suites

    outcomes = list(run_suites(Path(sys.argv[1]), all_suites(),
                               docs_dir=Path(tempfile.mkdtemp()), run_name="quiet"))
    del outcomes
    gc.collect()
    alive = sum(isinstance(o, duckdb.DuckDBPyConnection) for o in gc.get_objects())
    print(f"alive={alive}")
    """
)


def test_check_leaves_no_duckdb_connection_open(built, tmp_path):
    warehouse = tmp_path / "cchc.duckdb"
    shutil.copyfile(built.warehouse.resolve(), warehouse)
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, str(warehouse)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "alive=0" in result.stdout, result.stdout + result.stderr


def test_check_is_quiet_on_success(built, tmp_path):
    """`cchc check` on a copy of the session warehouse: its summary, and nothing on stderr
    (no "nanobind: leaked …" notices from DuckDB's bindings at exit, no warnings)."""
    warehouse = tmp_path / "cchc.duckdb"
    shutil.copyfile(built.warehouse.resolve(), warehouse)
    result = cchc(
        "check", "--warehouse", str(warehouse), env={"CCHC_OUTPUT_DIR": str(tmp_path / "out")}
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "check:" in result.stdout
    assert "nanobind" not in result.stderr
    assert "leaked" not in result.stderr
    assert result.stderr.strip() == "", result.stderr


def test_ingest_is_quiet_on_success_when_not_at_a_terminal(tmp_path):
    """The progress bar is for a person at a terminal: run from cron (stderr a file or a
    pipe), `cchc ingest` writes its summary and not one byte on stderr — not even the
    empty line a bar leaves behind."""
    result = cchc(
        "ingest",
        "--warehouse",
        str(tmp_path / "cchc.duckdb"),
        "--reports",
        str(ROOT / "data" / "reports"),
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "ingest:" in result.stdout
    assert result.stderr == "", repr(result.stderr)
