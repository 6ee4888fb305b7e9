"""The nightly protocol: build a new run aside, verify it, switch one link, journal.

Pure orchestration. The steps (ingest, build, check, export, dashboard) are passed in as
functions of the warehouse file they must work on; they write their outputs (exports,
reports) beside that file. The protocol is tested on its own with fake steps and no dbt.

Layout, beside the live warehouse ``W`` (e.g. ``warehouse/cchc.duckdb``)::

    W                   -> W.d/current/cchc.duckdb   (what readers open)
    W.previous          -> W.d/previous/cchc.duckdb
    W.lock                  the per-warehouse run lock (:mod:`cchc.runlock`)
    W.runs.jsonl            the journal (:mod:`cchc.runlog`)
    W.d/runs/<run_id>/      one run: cchc.duckdb, exports/, reports/, run.json
    W.d/current          -> runs/<run_id>     the ONE link a run switches
    W.d/previous         -> runs/<run_id>     the run it replaced (rollback target)
    W.d/dbt/target, logs    dbt's own directories, stable for partial parsing
    OUT/exports          -> W.d/current/exports   (OUT: CCHC_OUTPUT_DIR or the project)
    OUT/reports          -> W.d/current/reports

What it guarantees:

* a run builds only inside its own run directory; a failed step, a failed verification
  or a killed run leaves the live warehouse, its outputs and ``.previous`` untouched;
* the switch is one ``rename(2)`` of the ``current`` link, so the warehouse and its
  exports and dashboard change together: whoever resolves ``current`` once sees one run;
* ``.previous`` is the run the switch replaced, by relinking (never a copy), with its
  SHA-256 recorded in its ``run.json`` when it became previous; :func:`rollback` checks
  that checksum and that the file opens before it swaps ``current`` and ``previous``
  (so a second rollback swaps back and no build is lost);
* the journal line "ok" is written after the switch; a run killed between the switch and
  that line is journaled by the next run, from the run's own ``run.json``;
* the leftovers of a killed run (its run directory: copy, WAL, staged outputs) are
  deleted by the next run before it starts, never built on.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import signal
import time
import uuid
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from cchc import runlog
from cchc.errors import StepFailed

StepFunction = Callable[[Path], None]  # does its job on the given warehouse file
FaultHook = Callable[[str], None]  # called at "before:<step>" / "after:<step>" points
OUTPUTS = ("exports", "reports")  # the run's outputs users find in the output directory
RUN_INFO = "run.json"


@dataclass(frozen=True)
class Step:
    name: str
    run: StepFunction


@dataclass(frozen=True)
class NightlyPaths:
    """Every file the protocol touches, derived from the live warehouse's path."""

    live: Path
    output_dir: Path | None = None  # where the exports/ and reports/ links go; None: none

    @property
    def state_dir(self) -> Path:
        return self.live.with_name(self.live.name + ".d")

    @property
    def runs_dir(self) -> Path:
        return self.state_dir / "runs"

    @property
    def current_link(self) -> Path:
        return self.state_dir / "current"

    @property
    def previous_link(self) -> Path:
        return self.state_dir / "previous"

    @property
    def rolled_back_link(self) -> Path:
        return self.state_dir / "rolled-back"

    @property
    def previous(self) -> Path:
        return self.live.with_name(self.live.name + ".previous")

    @property
    def lock_file(self) -> Path:
        return self.live.with_name(self.live.name + ".lock")

    @property
    def journal(self) -> Path:
        return runlog.journal_path(self.live)

    @property
    def dbt_dir(self) -> Path:
        return self.state_dir / "dbt"

    @property
    def legacy_building_dir(self) -> Path:
        """Where runs before run directories built their copy."""
        return self.live.parent / ".building"

    def run_dir(self, run_id: str) -> Path:
        return self.runs_dir / run_id

    def warehouse_in(self, run_dir: Path) -> Path:
        """The warehouse file of a run (same file name: DuckDB names catalogs by stem)."""
        return run_dir / self.live.name


class RunFailed(StepFailed):
    """A step of the nightly run failed; the live warehouse is unchanged."""

    def __init__(self, step: str, reason: str, live: Path) -> None:
        self.step, self.reason, self.live = step, reason, live
        super().__init__(
            f"{step}: {reason} (the live warehouse {live}, its outputs and .previous are unchanged)"
        )


class RollbackRefused(StepFailed):
    """There is nothing (sound) to roll back to."""


@dataclass(frozen=True)
class RunJournal:
    """How the protocol records a run; injected so tests need no warehouse."""

    append: Callable[[Path, runlog.RunRecord], None] = runlog.append
    counts: Callable[[Path], dict[str, int]] = runlog.counts
    publish: Callable[[Path, Path], None] = runlog.publish  # also checkpoints the copy


@dataclass(frozen=True)
class RunOutcome:
    record: runlog.RunRecord
    live: Path
    seconds: float
    previous: Path | None = None  # where the replaced warehouse is kept, if there was one
    step_seconds: dict[str, float] = field(default_factory=dict)
    run_dir: Path | None = None
    cleaned: tuple[str, ...] = ()  # leftovers of killed runs removed before this one


def _no_lock(_paths: NightlyPaths) -> AbstractContextManager[object]:
    return contextlib.nullcontext()


def _no_fault(_point: str) -> None:
    return None


# ---------------------------------------------------------------- links and run dirs


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fp:
        while chunk := fp.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def relink(link: Path, target: str | Path) -> None:
    """Point ``link`` at ``target`` atomically: a new link under a temporary name, then
    one rename over the old one (readers see the old target or the new, never none)."""
    temporary = link.with_name(f".{link.name}.{os.getpid()}.tmp-link")
    temporary.unlink(missing_ok=True)
    os.symlink(target, temporary)
    os.replace(temporary, link)


def linked_run(link: Path) -> Path | None:
    """The run directory a state link points at, if it points at one that exists."""
    if not link.is_symlink():
        return None
    target = link.parent / os.readlink(link)
    return target if target.is_dir() else None


def read_info(run_dir: Path) -> dict[str, object]:
    try:
        return json.loads((run_dir / RUN_INFO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_info(run_dir: Path, info: dict[str, object]) -> None:
    """Replace ``run.json`` through a temporary file and one rename."""
    staging = run_dir / (RUN_INFO + ".tmp")
    with staging.open("w", encoding="utf-8") as fp:
        fp.write(json.dumps(info, ensure_ascii=False, indent=1))
        fp.flush()
        os.fsync(fp.fileno())
    staging.replace(run_dir / RUN_INFO)


def _seal(paths: NightlyPaths, run_dir: Path) -> None:
    """Record the checksum of the run's warehouse as it is now (it becomes previous)."""
    warehouse = paths.warehouse_in(run_dir)
    if warehouse.exists():
        info = read_info(run_dir)
        info["sha256"] = sha256_of(warehouse)
        info["sealed_at"] = datetime.now().isoformat(timespec="seconds")
        write_info(run_dir, info)


def _ensure_outer_links(paths: NightlyPaths) -> None:
    """The names users open, as links through ``current`` / ``previous``. Created once;
    a live warehouse from before run directories is adopted first (see :func:`_adopt`)."""
    state = paths.state_dir.name
    want = {
        paths.live: f"{state}/current/{paths.live.name}",
        paths.previous: f"{state}/previous/{paths.live.name}",
    }
    if paths.output_dir is not None:
        paths.output_dir.mkdir(parents=True, exist_ok=True)
        for name in OUTPUTS:
            want[paths.output_dir / name] = str(paths.current_link / name)
    for link, target in want.items():
        if link.is_symlink() and os.readlink(link) == target:
            continue
        if link.is_dir() and not link.is_symlink():
            # outputs of an older layout: kept under a dated name, never deleted
            link.rename(link.with_name(f"{link.name}.before-{datetime.now():%Y%m%d%H%M%S}"))
        relink(link, target)


def _adopt(paths: NightlyPaths) -> Path | None:
    """A live warehouse that is still a plain file becomes a run of its own (hard link,
    so the file readers hold open is the same file); returns that run's directory."""
    if _is_ours(paths) or not paths.live.exists():
        return None
    run_dir = paths.run_dir(f"adopted-{datetime.now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}")
    run_dir.mkdir(parents=True)
    target = paths.warehouse_in(run_dir)
    try:
        os.link(paths.live.resolve(), target)
    except OSError:  # another file system (a link of the user's to elsewhere)
        shutil.copy2(paths.live.resolve(), target)
    write_info(run_dir, {"run_id": run_dir.name, "adopted_from": str(paths.live)})
    return run_dir


def _is_ours(paths: NightlyPaths) -> bool:
    """The live name is already the link through ``current`` (not a plain file, nor a
    link of the user's own to a file elsewhere)."""
    expected = f"{paths.state_dir.name}/current/{paths.live.name}"
    return paths.live.is_symlink() and os.readlink(paths.live) == expected


def referenced_runs(paths: NightlyPaths) -> set[Path]:
    links = (paths.current_link, paths.previous_link, paths.rolled_back_link)
    return {run.resolve() for run in map(linked_run, links) if run is not None}


def prune(paths: NightlyPaths, keep: Path | None = None) -> tuple[str, ...]:
    """Delete every run directory no state link points at (a killed run's copy, WAL and
    staged outputs; runs older than ``.previous``). Only ever called under the lock."""
    if not paths.runs_dir.is_dir():
        return ()
    kept = referenced_runs(paths) | ({keep.resolve()} if keep else set())
    removed = []
    for run_dir in sorted(paths.runs_dir.iterdir()):
        if run_dir.resolve() not in kept:
            shutil.rmtree(run_dir, ignore_errors=True)
            removed.append(run_dir.name)
    return tuple(removed)


def recover(paths: NightlyPaths, journal: RunJournal) -> tuple[str, ...]:
    """Before a run: journal a run killed after its switch, drop every leftover."""
    current = linked_run(paths.current_link)
    if current is not None:
        record = read_info(current).get("record")
        if isinstance(record, dict) and record.get("run_id") not in runlog.run_ids(paths.live):
            journal.append(paths.live, runlog.RunRecord(**record))
    for stray in paths.state_dir.glob(".*.tmp-link") if paths.state_dir.is_dir() else ():
        stray.unlink(missing_ok=True)
    cleaned = list(prune(paths))
    if paths.legacy_building_dir.is_dir():
        shutil.rmtree(paths.legacy_building_dir, ignore_errors=True)
        cleaned.append(str(paths.legacy_building_dir))
    return tuple(cleaned)


def _recover_into(paths: NightlyPaths, journal: RunJournal) -> tuple[str, ...]:
    paths.runs_dir.mkdir(parents=True, exist_ok=True)
    return recover(paths, journal)


def copy_live_into(paths: NightlyPaths, run_dir: Path) -> Path:
    """A fresh copy of the live warehouse (or nothing, on a first run) to build into."""
    aside = paths.warehouse_in(run_dir)
    if paths.live.exists():
        shutil.copy2(paths.live.resolve(), aside)
    return aside


def switch(paths: NightlyPaths, run_dir: Path) -> Path | None:
    """Make ``run_dir`` the live run: ``previous`` → the replaced run (sealed with its
    checksum), then ``current`` → ``run_dir`` in one rename. Returns the replaced run."""
    old = linked_run(paths.current_link) or _adopt(paths)
    if old is not None:
        _seal(paths, old)
        relink(paths.previous_link, os.path.relpath(old, paths.state_dir))
    relink(paths.current_link, os.path.relpath(run_dir, paths.state_dir))
    paths.rolled_back_link.unlink(missing_ok=True)  # a new run ends a rollback's hold
    _ensure_outer_links(paths)
    return old


# ---------------------------------------------------------------- faults


def no_space(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return True
    return "no space left on device" in str(exc).lower()


def fault_from_env(spec: str | None) -> FaultHook:
    """The test hook behind ``CCHC_FAULT=<before|after>:<step>[=kill|raise|enospc|sleepN]``
    (default kill: SIGKILL to the run itself). Points: every step, ``copy``, ``verify``,
    ``swap`` and ``journal``."""
    if not spec:
        return _no_fault
    point, _, action = spec.partition("=")
    action = action or "kill"

    def hook(at: str) -> None:
        if at != point:
            return
        if action == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        elif action == "enospc":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), f"CCHC_FAULT {point}")
        elif action.startswith("sleep"):
            time.sleep(float(action[5:] or 3600))
        else:
            raise StepFailed(f"fault injected at {point} (CCHC_FAULT)")

    return hook


# ---------------------------------------------------------------- the run


def run_nightly(
    live: Path,
    steps: Sequence[Step],
    *,
    output_dir: Path | None = None,
    now: Callable[[], datetime] = datetime.now,
    journal: RunJournal | None = None,
    lock: Callable[[NightlyPaths], AbstractContextManager[object]] = _no_lock,
    preflight: Sequence[Callable[[NightlyPaths], None]] = (),
    verify: Callable[[Path], None] | None = None,
    run_id: str | None = None,
    clock: Callable[[], float] = time.monotonic,
    fault: FaultHook = _no_fault,
    on_leftover: Callable[[str], None] = lambda _name: None,
) -> RunOutcome:
    """Run ``steps`` in order on a copy of ``live`` in a new run directory; verify it and
    switch it in if all succeed.

    Raises :class:`RunFailed` (journaled "failed", live run untouched) when a step, a
    preflight check or ``verify`` raises :class:`StepFailed`, or anything runs out of
    disk space; any other exception is journaled "failed" too and then propagates.
    """
    journal = journal or RunJournal()
    paths = NightlyPaths(live, output_dir)
    record = runlog.RunRecord(run_id=run_id or uuid.uuid4().hex, started_at=now().isoformat())
    started = clock()

    def fail(step: str, reason: str) -> None:
        record.status, record.failed_step, record.reason = "failed", step, reason
        record.finished_at = now().isoformat()

    def attempt(name: str, action: Callable[[], object]) -> None:
        try:
            fault(f"before:{name}")
            action()
            fault(f"after:{name}")
        except StepFailed as exc:
            fail(name, str(exc))
            raise RunFailed(name, str(exc), live) from exc
        except Exception as exc:
            if no_space(exc):
                reason = (
                    f"no space left on device ({exc}) — free space on the file system of "
                    f"{paths.state_dir.parent} and run again"
                )
                fail(name, reason)
                raise RunFailed(name, reason, live) from exc
            fail(name, f"{type(exc).__name__}: {exc}")
            raise

    with lock(paths):
        run_dir = paths.run_dir(record.run_id)
        switched = False
        old: list[Path | None] = []
        try:
            cleaned: list[str] = []
            attempt("recover", lambda: cleaned.extend(_recover_into(paths, journal)))
            for name in cleaned:
                on_leftover(name)
            for check in preflight:
                attempt("preflight", lambda check=check: check(paths))
            run_dir.mkdir()
            aside = paths.warehouse_in(run_dir)
            attempt("copy", lambda: copy_live_into(paths, run_dir))
            for step in steps:
                step_started = clock()
                attempt(step.name, lambda step=step: step.run(aside))
                record.step_seconds[step.name] = round(clock() - step_started, 2)
            attempt("counts", lambda: _count_into(record, journal.counts(aside)))
            record.status, record.finished_at = "ok", now().isoformat()
            attempt("publish", lambda: _publish_pending(paths, run_dir, record, journal))
            if verify is not None:
                attempt("verify", lambda: verify(aside))
            attempt("swap", lambda: old.append(switch(paths, run_dir)))
            switched = True
            fault("before:journal")
            with contextlib.suppress(OSError):  # if so, the next run journals it (recover)
                journal.append(live, record)
        finally:
            if not switched:
                shutil.rmtree(run_dir, ignore_errors=True)  # first: it frees the space
                if record.status == "failed":
                    with contextlib.suppress(OSError):  # a full disk: the error says it
                        journal.append(live, record)
        with contextlib.suppress(OSError):
            prune(paths)
    return RunOutcome(
        record=record,
        live=live,
        seconds=round(clock() - started, 1),
        previous=paths.previous if old[0] is not None else None,
        step_seconds=dict(record.step_seconds),
        run_dir=run_dir,
        cleaned=tuple(cleaned),
    )


def _count_into(record: runlog.RunRecord, counts: dict[str, int]) -> None:
    for key, value in counts.items():
        setattr(record, key, value)


def _publish_pending(
    paths: NightlyPaths, run_dir: Path, record: runlog.RunRecord, journal: RunJournal
) -> None:
    """Put the journal, with this run as "ok", into the copy's quality.pipeline_runs, and
    keep the record in the run's ``run.json`` (the journal gets it after the switch)."""
    pending = run_dir / "journal.pending.jsonl"
    existing = paths.journal.read_text(encoding="utf-8") if paths.journal.exists() else ""
    pending.write_text(existing + json.dumps(asdict(record), ensure_ascii=False) + "\n")
    journal.publish(paths.warehouse_in(run_dir), pending)
    pending.unlink()
    write_info(run_dir, {"run_id": record.run_id, "record": asdict(record)})


# ---------------------------------------------------------------- rollback


def _refuse(why: str) -> RollbackRefused:
    return RollbackRefused(f"{why} — the live warehouse is unchanged")


def check_sealed(paths: NightlyPaths, run_dir: Path, opens: Callable[[Path], None]) -> Path:
    """The run's warehouse, if its checksum matches and it opens; else refuse."""
    warehouse = paths.warehouse_in(run_dir)
    if not warehouse.is_file():
        raise _refuse(f"the previous warehouse {warehouse} is missing")
    expected = read_info(run_dir).get("sha256")
    if not expected:
        raise _refuse(f"the previous warehouse {warehouse} has no recorded checksum")
    wal = warehouse.with_name(warehouse.name + ".wal")
    if wal.exists():
        raise _refuse(f"{wal} exists: something wrote to the previous warehouse")
    actual = sha256_of(warehouse)
    if actual != expected:
        raise _refuse(
            f"the previous warehouse {warehouse} does not match its recorded checksum "
            f"(sha256 {actual[:12]}… ≠ {str(expected)[:12]}…): it was changed or damaged "
            "after it was kept"
        )
    try:
        opens(warehouse)
    except Exception as exc:
        raise _refuse(f"the previous warehouse {warehouse} does not open: {exc}") from exc
    return warehouse


def rollback(
    live: Path,
    *,
    output_dir: Path | None = None,
    lock: Callable[[NightlyPaths], AbstractContextManager[object]] = _no_lock,
    opens: Callable[[Path], None] = runlog.opens_read_only,
) -> Path:
    """Swap ``current`` and ``previous`` after checking what gets installed: rolling back
    twice swaps back, and no build is ever overwritten. Returns the live path."""
    paths = NightlyPaths(live, output_dir)
    with lock(paths):
        previous = linked_run(paths.previous_link)
        if previous is None and paths.previous.is_file() and not paths.previous.is_symlink():
            raise _refuse(
                f"{paths.previous} was kept by a version without checksums, so it cannot "
                "be verified and is not installed; if you trust it, copy it over the "
                "warehouse by hand while no run is going"
            )
        if previous is None:
            raise RollbackRefused(
                f"no previous warehouse at {paths.previous} — nothing to roll back to"
            )
        check_sealed(paths, previous, opens)
        current = linked_run(paths.current_link) or _adopt(paths)
        if current is not None:
            _seal(paths, current)
            relink(paths.rolled_back_link, os.path.relpath(current, paths.state_dir))
        relink(paths.current_link, os.path.relpath(previous, paths.state_dir))
        if current is not None:
            relink(paths.previous_link, os.path.relpath(current, paths.state_dir))
        _ensure_outer_links(paths)
    return live
