"""The nightly job's checks on real files: before it copies anything (the live warehouse
is not being written, there is room) and before it switches (the finished copy opens
read-only and is whole). Each raises :class:`~cchc.errors.StepFailed` with what to do."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from cchc.errors import StepFailed

MB = 1 << 20
DEFAULT_HEADROOM_MB = 100
#: tables a warehouse must have before it may be switched in
REQUIRED_TABLES = (
    ("raw", "documents"),
    ("marts", "fct_indicator_value"),
    ("quality", "rule_results"),
    ("quality", "expectation_results"),
    ("quality", "pipeline_runs"),
)


def wal_of(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".wal")


def _held_for_writing(warehouse: Path) -> str | None:
    """DuckDB's own file lock: a read-only open fails while a process writes the file."""
    try:
        duckdb.connect(str(warehouse), read_only=True).close()
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            return str(exc).split("Conflicting lock is held in", 1)[-1].split(". See")[0]
        raise StepFailed(f"the live warehouse {warehouse} does not open: {exc}") from exc
    except duckdb.Error as exc:
        raise StepFailed(f"the live warehouse {warehouse} does not open: {exc}") from exc
    return None


def live_not_held_for_writing(
    live: Path,
    *,
    wait_seconds: float = 0.0,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Refuse (after waiting up to ``wait_seconds``) while another process holds the live
    warehouse for writing, or a write-ahead log beside it holds changes not yet in it:
    a copy taken then would lose them, and the log would be left beside a moved file."""
    if not live.exists():
        return
    target = live.resolve()
    deadline = clock() + max(wait_seconds, 0.0)
    while True:
        holder = _held_for_writing(target)
        if holder is None and not wal_of(target).exists():
            return
        if clock() >= deadline:
            break
        sleep(0.5)
    if holder is not None:
        raise StepFailed(
            f"another process holds the live warehouse {live} for writing ({holder.strip()}) "
            "— close that connection (or open it read_only=True) and run again, or pass "
            "--wait SECONDS"
        )
    raise StepFailed(
        f"{wal_of(target)} exists: the live warehouse has changes that were never saved "
        "into it (a read-write connection is open or was killed) — close the program "
        "writing it, or open the warehouse once read-write and run CHECKPOINT, then run again"
    )


def tree_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    if not path.is_dir():
        return 0
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += (Path(root) / name).lstat().st_size
            except OSError:
                continue
    return total


def space_needed(live: Path, current_run: Path | None, headroom_mb: int) -> int:
    """Twice what the run will write (the copy ≈ the live file, the outputs ≈ the last
    run's), plus headroom."""
    live_size = live.resolve().stat().st_size if live.exists() else 0
    outputs = 0
    if current_run is not None:
        outputs = sum(tree_size(current_run / name) for name in ("exports", "reports"))
    return 2 * (live_size + outputs) + headroom_mb * MB


def enough_free_space(
    where: Path,
    needed: int,
    *,
    disk_usage: Callable[[Path], shutil._ntuple_diskusage] = shutil.disk_usage,
) -> None:
    free = disk_usage(where).free
    if free < needed:
        raise StepFailed(
            f"not enough free space on the file system of {where}: {free / MB:.0f} MB free, "
            f"the run needs about {needed / MB:.0f} MB (the copy, the exports and "
            "headroom; setting CCHC_FREE_SPACE_HEADROOM_MB) — free some space and run again"
        )


def verify_build(warehouse: Path, *, live: Path | None = None) -> None:
    """The finished copy, opened read-only: no write-ahead log beside it, every required
    table present, no fewer documents than the live warehouse, and the last
    ``cchc check`` recorded in it without an integrity failure."""
    if wal_of(warehouse).exists():
        raise StepFailed(f"{wal_of(warehouse)} remains after the checkpoint")
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error as exc:
        raise StepFailed(f"the built warehouse {warehouse} does not open read-only: {exc}") from exc
    with con:
        present = set(
            con.execute("select table_schema, table_name from information_schema.tables").fetchall()
        )
        missing = [f"{s}.{t}" for s, t in REQUIRED_TABLES if (s, t) not in present]
        if missing:
            raise StepFailed(f"the built warehouse lacks {', '.join(missing)}")
        (documents,) = con.execute("select count(*) from raw.documents").fetchone()
        (facts,) = con.execute("select count(*) from marts.fct_indicator_value").fetchone()
        if documents and not facts:
            raise StepFailed(f"{documents} documents but no figure in marts.fct_indicator_value")
        latest = con.execute(
            """
            select check_run_id from quality.expectation_results
            order by checked_at desc limit 1
            """
        ).fetchone()
        if latest is None:
            raise StepFailed("no `cchc check` result in quality.expectation_results")
        failures = con.execute(
            """
            select suite_name, expectation_type, coalesce(exception_message, '')
            from quality.expectation_results
            where check_run_id = ?
              and ((kind = 'integrity' and not success) or exception_message is not null)
            order by all
            """,
            [latest[0]],
        ).fetchall()
        if failures:
            suite, expectation, message = failures[0]
            raise StepFailed(
                f"{len(failures)} integrity failure(s) in the last check, first: {suite} "
                f"{expectation} {message}".strip()
            )
    before = _documents_of(live) if live is not None else None
    if before is not None and documents < before:
        raise StepFailed(
            f"the built warehouse has {documents} documents, the live one {before}: "
            "raw documents are never dropped"
        )


def _documents_of(live: Path) -> int | None:
    """The live warehouse's document count, if it has one to compare with."""
    if not live.exists():
        return None
    try:
        with duckdb.connect(str(live.resolve()), read_only=True) as con:
            return con.execute("select count(*) from raw.documents").fetchone()[0]
    except duckdb.Error:
        return None
