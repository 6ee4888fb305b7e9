"""Running dbt against a warehouse file.

dbt runs in its own process: dbt-duckdb keeps its connection to the file open for the
life of the process, and the steps after it (Great Expectations, exports) must open the
same file. The outcome is read from dbt's own run_results.json.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cchc.errors import StepFailed
from ingest.duckdb_settings import duckdb_settings

_FAILED = {"error", "fail", "runtime error"}
_PR_SET_PDEATHSIG = 1  # prctl(2)


@dataclass(frozen=True)
class DbtOutcome:
    passed: int
    failed: int
    warned: int
    errors: tuple[str, ...]


def stable_build_path(state_dir: Path, warehouse_name: str) -> Path:
    """The one path dbt's profile sees for every nightly build of a warehouse: a link,
    switched to each run's copy. dbt keeps its parse (target/partial_parse.msgpack) only
    while the profile's connection (the DuckDB path) and target stay the same, and every
    run folder is new; through this link a no-change build skips parsing."""
    return state_dir / "dbt" / "building" / warehouse_name


def dbt_executable() -> Path:
    return Path(sys.executable).with_name("dbt")


def read_run_results(path: Path) -> DbtOutcome:
    results = json.loads(path.read_text(encoding="utf-8"))["results"]
    errors = tuple(
        f"{r['unique_id']}: {(r.get('message') or r['status']).strip()}"
        for r in results
        if r["status"] in _FAILED
    )
    warned = sum(1 for r in results if r["status"] == "warn")
    return DbtOutcome(
        passed=len(results) - len(errors) - warned,
        failed=len(errors),
        warned=warned,
        errors=errors,
    )


def _die_with_parent() -> None:  # pragma: no cover - runs in the child, before exec
    """Linux: the kernel kills dbt when the `cchc` process that started it dies (kill -9
    included), so a killed run never leaves a dbt behind writing into the warehouse's
    dbt target while the next run, which now holds the lock, uses it. (Without it, dbt
    dies only at its next write to the closed output pipe.)"""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return


def run_dbt(
    project_dir: Path,
    warehouse: Path,
    args: Sequence[str],
    *,
    target_path: Path | None = None,
    log_path: Path | None = None,
) -> DbtOutcome:
    """Run ``dbt <args>`` with the repo's own profiles.yml on ``warehouse``.

    ``target_path`` and ``log_path`` (default: the project's ``target/`` and ``logs/``)
    are dbt's own directories; the nightly job gives each warehouse its own, beside it.
    """
    target = target_path or project_dir / "target"
    logs = log_path or project_dir / "logs"
    target.mkdir(parents=True, exist_ok=True)
    results = target / "run_results.json"
    results.unlink(missing_ok=True)
    env = {
        **os.environ,
        # memory limit, threads, spilling folder: the machine's unless the environment says
        **duckdb_settings(warehouse).env(),
        "CCHC_WAREHOUSE": str(warehouse),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_TARGET_PATH": str(target),
        "DBT_LOG_PATH": str(logs),
    }
    completed = subprocess.run(
        [
            str(dbt_executable()),
            *args,
            "--project-dir",
            str(project_dir),
            "--profiles-dir",
            str(project_dir),
            "--log-path",
            str(logs),
            "--target-path",
            str(target),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
    )
    if not results.exists():
        last = (completed.stdout + completed.stderr).strip().splitlines()[-5:]
        raise StepFailed(f"dbt {args[0]} could not run: {' | '.join(last)}")
    return read_run_results(results)
