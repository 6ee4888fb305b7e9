"""The nightly protocol: build aside, swap in, keep the previous file, journal every run.

Pure orchestration. The steps (ingest, build, check, export, dashboard) are passed in as
functions of the warehouse file they must work on, so the protocol is tested on its own
with fake steps and no dbt. What it guarantees:

* the live warehouse is only ever replaced by one rename of a finished copy: a failed
  step (or a killed run) leaves the live file untouched;
* the file a run replaced is kept as ``<warehouse>.previous`` (written beside it, then
  renamed into place, never truncated in place), and :func:`rollback` puts it back,
  keeping the replaced file as ``<warehouse>.rolled-back``;
* every run, failed or not, is one line in ``<warehouse>.runs.jsonl`` (:mod:`cchc.runlog`),
  and a successful run copies the journal into ``quality.pipeline_runs`` of the copy it
  swaps in.

Where the protocol can grow (issue 12): ``lock`` wraps the whole run (a per-warehouse
lock), ``preflight`` checks run before anything is copied (free space, a live file held
for writing), and ``verify`` judges the finished copy before the swap (an integrity
check); each defaults to doing nothing.
"""

from __future__ import annotations

import contextlib
import shutil
import time
import uuid
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from cchc import runlog
from cchc.errors import StepFailed

StepFunction = Callable[[Path], None]  # does its job on the given warehouse file


@dataclass(frozen=True)
class Step:
    name: str
    run: StepFunction


@dataclass(frozen=True)
class NightlyPaths:
    """Every file the protocol touches, derived from the live warehouse's path."""

    live: Path

    @property
    def building_dir(self) -> Path:
        return self.live.parent / ".building"

    @property
    def aside(self) -> Path:
        """The copy the steps work on (same file name: DuckDB names catalogs by stem)."""
        return self.building_dir / self.live.name

    @property
    def previous(self) -> Path:
        return self.live.with_name(self.live.name + ".previous")

    @property
    def rolled_back(self) -> Path:
        return self.live.with_name(self.live.name + ".rolled-back")

    @property
    def journal(self) -> Path:
        return runlog.journal_path(self.live)


class RunFailed(StepFailed):
    """A step of the nightly run failed; the live warehouse is unchanged."""

    def __init__(self, step: str, reason: str, live: Path) -> None:
        self.step, self.reason, self.live = step, reason, live
        super().__init__(f"{step}: {reason} (the live warehouse {live} is unchanged)")


class RollbackRefused(StepFailed):
    """There is nothing to roll back to."""


@dataclass(frozen=True)
class RunJournal:
    """How the protocol records a run; injected so tests need no warehouse."""

    append: Callable[[Path, runlog.RunRecord], None] = runlog.append
    counts: Callable[[Path], dict[str, int]] = runlog.counts
    publish: Callable[[Path, Path], None] = runlog.publish


@dataclass(frozen=True)
class RunOutcome:
    record: runlog.RunRecord
    live: Path
    seconds: float
    previous: Path | None = None  # where the replaced warehouse is kept, if there was one
    step_seconds: dict[str, float] = field(default_factory=dict)


def _no_lock(_paths: NightlyPaths) -> AbstractContextManager[None]:
    return contextlib.nullcontext()


def copy_aside(paths: NightlyPaths) -> Path:
    """A fresh copy of the live warehouse (or nothing, on a first run) to build into."""
    paths.building_dir.mkdir(parents=True, exist_ok=True)
    paths.aside.unlink(missing_ok=True)
    paths.aside.with_name(paths.aside.name + ".wal").unlink(missing_ok=True)
    if paths.live.exists():
        shutil.copy2(paths.live, paths.aside)
    return paths.aside


def keep_previous(paths: NightlyPaths) -> Path | None:
    """Copy the live file to ``.previous`` through a temporary name and one rename, so a
    copy that fails half-way never leaves a truncated ``.previous``."""
    if not paths.live.exists():
        return None
    staging = paths.building_dir / (paths.previous.name + ".tmp")
    staging.unlink(missing_ok=True)
    shutil.copy2(paths.live, staging)
    staging.replace(paths.previous)
    return paths.previous


def swap_in(paths: NightlyPaths) -> None:
    """Move the finished copy into place: one rename, readers see the old or the new file."""
    paths.aside.replace(paths.live)


def run_nightly(
    live: Path,
    steps: Sequence[Step],
    *,
    now: Callable[[], datetime] = datetime.now,
    journal: RunJournal | None = None,
    lock: Callable[[NightlyPaths], AbstractContextManager[object]] = _no_lock,
    preflight: Sequence[Callable[[NightlyPaths], None]] = (),
    verify: Callable[[Path], None] | None = None,
    run_id: str | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> RunOutcome:
    """Run ``steps`` in order on a copy of ``live``; swap the copy in if all succeed.

    Raises :class:`RunFailed` (journaled "failed", live file untouched) when a step,
    a preflight check or ``verify`` raises :class:`StepFailed`; any other exception is
    journaled "failed" too and then propagates unchanged.
    """
    journal = journal or RunJournal()
    paths = NightlyPaths(live)
    record = runlog.RunRecord(run_id=run_id or uuid.uuid4().hex, started_at=now().isoformat())
    started = clock()

    def fail(step: str, reason: str) -> None:
        record.status, record.failed_step, record.reason = "failed", step, reason
        record.finished_at = now().isoformat()
        journal.append(live, record)

    def attempt(name: str, action: Callable[[], object]) -> None:
        try:
            action()
        except StepFailed as exc:
            fail(name, str(exc))
            raise RunFailed(name, str(exc), live) from exc
        except Exception as exc:
            fail(name, f"{type(exc).__name__}: {exc}")
            raise

    with lock(paths):
        for check in preflight:
            attempt("preflight", lambda check=check: check(paths))
        attempt("copy", lambda: copy_aside(paths))
        for step in steps:
            step_started = clock()
            attempt(step.name, lambda step=step: step.run(paths.aside))
            record.step_seconds[step.name] = round(clock() - step_started, 2)
        if verify is not None:
            attempt("verify", lambda: verify(paths.aside))
        attempt("counts", lambda: _count_into(record, journal.counts(paths.aside)))
        record.status, record.finished_at = "ok", now().isoformat()
        journal.append(live, record)
        try:
            journal.publish(paths.aside, paths.journal)
            previous = keep_previous(paths)
            swap_in(paths)
        except Exception as exc:
            # the journal already holds "ok" for this run: say that the swap did not happen
            record.status = "failed"
            fail("swap", f"{type(exc).__name__}: {exc}")
            raise RunFailed("swap", str(exc), live) from exc
    return RunOutcome(
        record=record,
        live=live,
        seconds=round(clock() - started, 1),
        previous=previous,
        step_seconds=dict(record.step_seconds),
    )


def _count_into(record: runlog.RunRecord, counts: dict[str, int]) -> None:
    for key, value in counts.items():
        setattr(record, key, value)


def rollback(live: Path) -> Path:
    """Put ``.previous`` back as the live warehouse; the file it replaces is kept as
    ``.rolled-back``. Returns the live path."""
    paths = NightlyPaths(live)
    if not paths.previous.exists():
        raise RollbackRefused(
            f"no previous warehouse at {paths.previous} — nothing to roll back to"
        )
    paths.building_dir.mkdir(parents=True, exist_ok=True)
    if live.exists():
        staging = paths.building_dir / (paths.rolled_back.name + ".tmp")
        shutil.copy2(live, staging)
        staging.replace(paths.rolled_back)
    shutil.copy2(paths.previous, paths.aside)
    paths.aside.replace(live)
    return live
