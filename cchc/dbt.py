"""Running dbt against a warehouse file (dbt's own programmatic runner)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cchc.errors import StepFailed


@dataclass(frozen=True)
class DbtOutcome:
    passed: int
    failed: int
    errors: tuple[str, ...]


def run_dbt(project_dir: Path, warehouse: Path, args: Sequence[str]) -> DbtOutcome:
    """Invoke dbt in-process with the repo's own profiles.yml on ``warehouse``."""
    from dbt.cli.main import dbtRunner  # imported late: dbt takes seconds to import

    os.environ["CCHC_WAREHOUSE"] = str(warehouse)
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    result = dbtRunner().invoke(
        [
            *args,
            "--project-dir",
            str(project_dir),
            "--profiles-dir",
            str(project_dir),
            "--log-path",
            str(project_dir / "logs"),
            "--target-path",
            str(project_dir / "target"),
            "--quiet",
        ]
    )
    if result.exception is not None:
        raise StepFailed(f"dbt {args[0]} could not run: {result.exception}")
    failures = []
    passed = 0
    for node_result in result.result or []:
        status = str(getattr(node_result, "status", ""))
        if status in {"error", "fail", "runtime error"}:
            node = getattr(node_result, "node", None)
            name = getattr(node, "name", "?")
            failures.append(f"{name}: {getattr(node_result, 'message', status)}")
        else:
            passed += 1
    return DbtOutcome(passed=passed, failed=len(failures), errors=tuple(failures))
