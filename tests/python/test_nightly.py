"""The nightly protocol on its own: fake steps, no dbt, no warehouse (cchc.nightly)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from cchc import nightly, runlog
from cchc.errors import StepFailed

LIVE_BYTES = b"the live warehouse"


def _journal() -> nightly.RunJournal:
    """The real journal file, but counts and pipeline_runs without DuckDB."""

    def publish(aside: Path, journal: Path) -> None:
        aside.write_bytes(aside.read_bytes() + b" + pipeline_runs")

    return nightly.RunJournal(counts=lambda _aside: {"documents": 5}, publish=publish)


def _lines(live: Path) -> list[dict]:
    path = runlog.journal_path(live)
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _append(text: bytes) -> nightly.StepFunction:
    def step(aside: Path) -> None:
        aside.write_bytes((aside.read_bytes() if aside.exists() else b"") + text)

    return step


def _fails(reason: str) -> nightly.StepFunction:
    def step(aside: Path) -> None:
        aside.write_bytes(b"half-built")
        raise StepFailed(reason)

    return step


@pytest.fixture
def live(tmp_path: Path) -> Path:
    path = tmp_path / "warehouse" / "cchc.duckdb"
    path.parent.mkdir()
    path.write_bytes(LIVE_BYTES)
    return path


def test_success_swaps_keeps_previous_and_journals_ok(live: Path) -> None:
    seen: list[Path] = []

    def ingest(aside: Path) -> None:
        seen.append(aside)
        assert aside != live and aside.read_bytes() == LIVE_BYTES  # works on a copy
        _append(b" + ingest")(aside)

    outcome = nightly.run_nightly(
        live,
        [nightly.Step("ingest", ingest), nightly.Step("build", _append(b" + build"))],
        journal=_journal(),
    )
    assert live.read_bytes() == LIVE_BYTES + b" + ingest + build + pipeline_runs"
    assert outcome.previous == nightly.NightlyPaths(live).previous
    assert outcome.previous.read_bytes() == LIVE_BYTES
    assert not seen[0].exists()  # the copy was renamed into place
    [line] = _lines(live)
    assert line["status"] == "ok" and line["failed_step"] is None
    assert set(line["step_seconds"]) == {"ingest", "build"}
    assert line["documents"] == 5 and line["finished_at"]


def test_first_run_without_a_live_file(tmp_path: Path) -> None:
    live = tmp_path / "cchc.duckdb"
    outcome = nightly.run_nightly(
        live, [nightly.Step("ingest", _append(b"new"))], journal=_journal()
    )
    assert live.read_bytes() == b"new + pipeline_runs"
    assert outcome.previous is None and not nightly.NightlyPaths(live).previous.exists()


def test_a_failing_step_leaves_the_live_file_untouched_and_journals_failed(live: Path) -> None:
    ran: list[str] = []

    def later(aside: Path) -> None:
        ran.append("later")

    with pytest.raises(nightly.RunFailed) as failure:
        nightly.run_nightly(
            live,
            [
                nightly.Step("ingest", _append(b" + ingest")),
                nightly.Step("build", _fails("dbt build: 1 node(s) failed")),
                nightly.Step("check", later),
            ],
            journal=_journal(),
        )
    assert failure.value.step == "build"
    assert "unchanged" in str(failure.value) and "dbt build" in str(failure.value)
    assert live.read_bytes() == LIVE_BYTES
    assert not nightly.NightlyPaths(live).previous.exists()
    assert ran == []  # no step after the failed one
    [line] = _lines(live)
    assert line["status"] == "failed" and line["failed_step"] == "build"
    assert line["reason"] == "dbt build: 1 node(s) failed"
    assert set(line["step_seconds"]) == {"ingest"}


def test_an_unexpected_error_is_journaled_and_propagates(live: Path) -> None:
    def broken(aside: Path) -> None:
        raise KeyError("surprise")

    with pytest.raises(KeyError):
        nightly.run_nightly(live, [nightly.Step("export", broken)], journal=_journal())
    assert live.read_bytes() == LIVE_BYTES
    [line] = _lines(live)
    assert line["status"] == "failed" and line["failed_step"] == "export"
    assert "KeyError" in line["reason"]


def test_a_failed_verify_refuses_the_swap(live: Path) -> None:
    def verify(aside: Path) -> None:
        raise StepFailed("integrity check failed on the copy")

    with pytest.raises(nightly.RunFailed, match="integrity"):
        nightly.run_nightly(
            live, [nightly.Step("build", _append(b"x"))], journal=_journal(), verify=verify
        )
    assert live.read_bytes() == LIVE_BYTES
    assert _lines(live)[-1]["failed_step"] == "verify"


def test_a_failed_preflight_copies_nothing(live: Path) -> None:
    def no_space(paths: nightly.NightlyPaths) -> None:
        raise StepFailed("not enough free space")

    with pytest.raises(nightly.RunFailed, match="free space"):
        nightly.run_nightly(
            live, [nightly.Step("build", _append(b"x"))], journal=_journal(), preflight=[no_space]
        )
    assert not nightly.NightlyPaths(live).aside.exists()
    assert _lines(live)[-1]["failed_step"] == "preflight"


def test_a_failed_swap_is_journaled_failed(live: Path) -> None:
    def publish(aside: Path, journal: Path) -> None:
        raise OSError("No space left on device")

    journal = nightly.RunJournal(counts=lambda _aside: {}, publish=publish)
    with pytest.raises(nightly.RunFailed, match="No space"):
        nightly.run_nightly(live, [nightly.Step("build", _append(b"x"))], journal=journal)
    assert live.read_bytes() == LIVE_BYTES
    assert [line["status"] for line in _lines(live)] == ["ok", "failed"]
    assert _lines(live)[-1]["failed_step"] == "swap"


def test_the_lock_wraps_the_whole_run(live: Path) -> None:
    events: list[str] = []

    @contextlib.contextmanager
    def lock(paths: nightly.NightlyPaths) -> Iterator[None]:
        events.append(f"lock {paths.live.name}")
        yield
        events.append("unlock")

    def step(aside: Path) -> None:
        events.append("step")

    nightly.run_nightly(live, [nightly.Step("build", step)], journal=_journal(), lock=lock)
    assert events == ["lock cchc.duckdb", "step", "unlock"]


def test_a_second_run_replaces_previous_and_rollback_restores_it(live: Path) -> None:
    nightly.run_nightly(live, [nightly.Step("build", _append(b" 1"))], journal=_journal())
    first = live.read_bytes()
    nightly.run_nightly(live, [nightly.Step("build", _append(b" 2"))], journal=_journal())
    second = live.read_bytes()
    paths = nightly.NightlyPaths(live)
    assert paths.previous.read_bytes() == first

    assert nightly.rollback(live) == live
    assert live.read_bytes() == first
    assert paths.rolled_back.read_bytes() == second


def test_rollback_without_previous_is_refused(live: Path) -> None:
    with pytest.raises(nightly.RollbackRefused, match="nothing to roll back"):
        nightly.rollback(live)
    assert live.read_bytes() == LIVE_BYTES


def test_times_come_from_the_injected_clocks(live: Path) -> None:
    ticks = iter(range(100))
    outcome = nightly.run_nightly(
        live,
        [nightly.Step("build", _append(b"x"))],
        journal=_journal(),
        now=lambda: datetime(2026, 12, 1, 1, 30),
        clock=lambda: float(next(ticks)),
        run_id="r1",
    )
    assert outcome.record.run_id == "r1"
    assert outcome.record.started_at == "2026-12-01T01:30:00"
    assert outcome.step_seconds == {"build": 1.0}


def test_a_killed_runs_leftovers_are_never_built_on(live: Path) -> None:
    paths = nightly.NightlyPaths(live)
    paths.building_dir.mkdir()
    paths.aside.write_bytes(b"a killed run's half-built copy")
    wal = paths.aside.with_name(paths.aside.name + ".wal")
    wal.write_bytes(b"a killed run's write-ahead log")
    seen: list[bytes] = []

    def step(aside: Path) -> None:
        seen.append(aside.read_bytes())
        assert not wal.exists()

    nightly.run_nightly(live, [nightly.Step("ingest", step)], journal=_journal())
    assert seen == [LIVE_BYTES]  # a fresh copy of the live file, not the leftovers
