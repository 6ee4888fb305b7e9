"""The nightly protocol on its own: fake steps, no dbt, no warehouse (cchc.nightly)."""

from __future__ import annotations

import contextlib
import errno
import json
import os
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
        runs = len(journal.read_text().splitlines())
        aside.write_bytes(aside.read_bytes() + f" + pipeline_runs({runs})".encode())

    return nightly.RunJournal(counts=lambda _aside: {"documents": 5}, publish=publish)


def _lines(live: Path) -> list[dict]:
    path = runlog.journal_path(live)
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _append(text: bytes) -> nightly.StepFunction:
    def step(aside: Path) -> None:
        aside.write_bytes((aside.read_bytes() if aside.exists() else b"") + text)

    return step


def _export(text: str) -> nightly.StepFunction:
    """A fake export: writes its outputs beside the warehouse it worked on."""

    def step(aside: Path) -> None:
        (aside.parent / "exports").mkdir(exist_ok=True)
        (aside.parent / "exports" / "facts.csv").write_text(text)
        (aside.parent / "reports").mkdir(exist_ok=True)
        (aside.parent / "reports" / "dashboard.html").write_text(text)

    return step


def _fails(reason: str) -> nightly.StepFunction:
    def step(aside: Path) -> None:
        aside.write_bytes(b"half-built")
        raise StepFailed(reason)

    return step


def _run(live: Path, *steps: nightly.Step, **options) -> nightly.RunOutcome:
    return nightly.run_nightly(live, list(steps), journal=_journal(), **options)


def _opens(path: Path) -> None:
    if b"pipeline_runs" not in path.read_bytes() and path.read_bytes() != LIVE_BYTES:
        raise ValueError("not a warehouse")


@pytest.fixture
def live(tmp_path: Path) -> Path:
    path = tmp_path / "warehouse" / "cchc.duckdb"
    path.parent.mkdir()
    path.write_bytes(LIVE_BYTES)
    return path


def test_success_switches_one_link_keeps_previous_and_journals_ok(live: Path) -> None:
    seen: list[Path] = []

    def ingest(aside: Path) -> None:
        seen.append(aside)
        assert aside.resolve() != live.resolve() and aside.read_bytes() == LIVE_BYTES
        _append(b" + ingest")(aside)

    outcome = _run(live, nightly.Step("ingest", ingest), nightly.Step("build", _append(b" + b")))
    paths = nightly.NightlyPaths(live)
    assert live.is_symlink() and live.read_bytes() == LIVE_BYTES + b" + ingest + b" + (
        b" + pipeline_runs(1)"
    )
    assert live.resolve() == seen[0].resolve()  # the copy the steps built is what is live
    assert outcome.run_dir == seen[0].parent
    assert outcome.previous == paths.previous and paths.previous.read_bytes() == LIVE_BYTES
    [line] = _lines(live)
    assert line["status"] == "ok" and line["failed_step"] is None
    assert set(line["step_seconds"]) == {"ingest", "build"}
    assert line["documents"] == 5 and line["finished_at"]


def test_the_previous_run_is_sealed_with_its_checksum(live: Path) -> None:
    _run(live, nightly.Step("build", _append(b" 1")))
    first = live.read_bytes()
    _run(live, nightly.Step("build", _append(b" 2")))
    paths = nightly.NightlyPaths(live)
    previous_run = nightly.linked_run(paths.previous_link)
    assert paths.previous.read_bytes() == first
    assert nightly.read_info(previous_run)["sha256"] == nightly.sha256_of(paths.previous)
    assert sorted(p.name for p in paths.runs_dir.iterdir()) == sorted(
        {previous_run.name, nightly.linked_run(paths.current_link).name}
    )  # runs older than .previous are pruned


def test_outputs_switch_with_the_warehouse(live: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _run(live, nightly.Step("export", _export("run 1")), output_dir=out)
    assert (out / "exports" / "facts.csv").read_text() == "run 1"
    assert (out / "reports" / "dashboard.html").read_text() == "run 1"

    def broken(aside: Path) -> None:
        _export("run 2, never switched in")(aside)
        raise StepFailed("dashboard failed")

    with pytest.raises(nightly.RunFailed):
        _run(live, nightly.Step("export", broken), output_dir=out)
    assert (out / "exports" / "facts.csv").read_text() == "run 1"  # staged, then dropped
    _run(live, nightly.Step("export", _export("run 3")), output_dir=out)
    assert (out / "exports" / "facts.csv").read_text() == "run 3"
    assert (out / "exports").resolve().parent == live.resolve().parent  # one run, together


def test_outputs_of_an_older_layout_are_kept_under_a_dated_name(live: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "exports").mkdir(parents=True)
    (out / "exports" / "mine.csv").write_text("an analyst's file")
    _run(live, nightly.Step("export", _export("new")), output_dir=out)
    [kept] = out.glob("exports.before-*")
    assert (kept / "mine.csv").read_text() == "an analyst's file"
    assert (out / "exports" / "facts.csv").read_text() == "new"


def test_first_run_without_a_live_file(tmp_path: Path) -> None:
    live = tmp_path / "cchc.duckdb"
    outcome = _run(live, nightly.Step("ingest", _append(b"new")))
    assert live.read_bytes() == b"new + pipeline_runs(1)"
    assert outcome.previous is None and not nightly.NightlyPaths(live).previous.exists()


def test_a_failing_step_leaves_the_live_file_untouched_and_journals_failed(live: Path) -> None:
    ran: list[str] = []

    def later(aside: Path) -> None:
        ran.append("later")

    with pytest.raises(nightly.RunFailed) as failure:
        _run(
            live,
            nightly.Step("ingest", _append(b" + ingest")),
            nightly.Step("build", _fails("dbt build: 1 node(s) failed")),
            nightly.Step("check", later),
        )
    assert failure.value.step == "build"
    assert "unchanged" in str(failure.value) and "dbt build" in str(failure.value)
    assert live.read_bytes() == LIVE_BYTES and not live.is_symlink()
    assert not nightly.NightlyPaths(live).previous.exists()
    assert list(nightly.NightlyPaths(live).runs_dir.iterdir()) == []  # its run dir is gone
    assert ran == []
    [line] = _lines(live)
    assert line["status"] == "failed" and line["failed_step"] == "build"
    assert line["reason"] == "dbt build: 1 node(s) failed"
    assert set(line["step_seconds"]) == {"ingest"}


def test_an_unexpected_error_is_journaled_and_propagates(live: Path) -> None:
    def broken(aside: Path) -> None:
        raise KeyError("surprise")

    with pytest.raises(KeyError):
        _run(live, nightly.Step("export", broken))
    assert live.read_bytes() == LIVE_BYTES
    [line] = _lines(live)
    assert line["status"] == "failed" and line["failed_step"] == "export"
    assert "KeyError" in line["reason"]


def test_a_failed_verify_refuses_the_switch_and_nothing_says_ok(live: Path) -> None:
    def verify(aside: Path) -> None:
        assert b"pipeline_runs" in aside.read_bytes()  # verify sees the finished copy
        raise StepFailed("integrity check failed on the copy")

    with pytest.raises(nightly.RunFailed, match="integrity"):
        _run(live, nightly.Step("build", _append(b"x")), verify=verify)
    assert live.read_bytes() == LIVE_BYTES
    assert [line["status"] for line in _lines(live)] == ["failed"]
    assert _lines(live)[-1]["failed_step"] == "verify"


def test_a_failed_preflight_copies_nothing(live: Path) -> None:
    def no_space(paths: nightly.NightlyPaths) -> None:
        raise StepFailed("not enough free space")

    with pytest.raises(nightly.RunFailed, match="free space"):
        _run(live, nightly.Step("build", _append(b"x")), preflight=[no_space])
    assert list(nightly.NightlyPaths(live).runs_dir.iterdir()) == []
    assert _lines(live)[-1]["failed_step"] == "preflight"


@pytest.mark.parametrize("point", ["after:copy", "after:build", "after:publish", "before:swap"])
def test_enospc_anywhere_is_a_clear_error_with_live_and_previous_intact(
    live: Path, point: str
) -> None:
    _run(live, nightly.Step("build", _append(b" 1")))
    paths = nightly.NightlyPaths(live)
    before, previous = live.read_bytes(), paths.previous.read_bytes()
    with pytest.raises(nightly.RunFailed, match="no space left on device") as failure:
        _run(
            live,
            nightly.Step("build", _append(b" 2")),
            fault=nightly.fault_from_env(f"{point}=enospc"),
        )
    assert "free space" in str(failure.value) and "unchanged" in str(failure.value)
    assert live.read_bytes() == before and paths.previous.read_bytes() == previous
    assert nightly.rollback(live, opens=_opens) == live  # .previous still sound
    assert _lines(live)[-1]["status"] == "failed"


def test_a_step_raising_enospc_is_named_as_such(live: Path) -> None:
    def full(aside: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(aside))

    with pytest.raises(nightly.RunFailed, match="export: no space left"):
        _run(live, nightly.Step("export", full))
    assert live.read_bytes() == LIVE_BYTES


def test_the_journal_says_ok_only_after_the_switch(live: Path) -> None:
    seen: list[bytes] = []
    journal = _journal()

    def append(path: Path, record: runlog.RunRecord) -> None:
        seen.append(live.read_bytes())
        runlog.append(path, record)

    recording = nightly.RunJournal(append=append, counts=journal.counts, publish=journal.publish)
    nightly.run_nightly(live, [nightly.Step("build", _append(b" new"))], journal=recording)
    assert seen == [LIVE_BYTES + b" new + pipeline_runs(1)"]  # appended once, after


def test_the_lock_wraps_the_whole_run(live: Path) -> None:
    events: list[str] = []

    @contextlib.contextmanager
    def lock(paths: nightly.NightlyPaths) -> Iterator[None]:
        events.append(f"lock {paths.live.name}")
        yield
        events.append("unlock")

    def step(aside: Path) -> None:
        events.append("step")

    _run(live, nightly.Step("build", step), lock=lock)
    assert events == ["lock cchc.duckdb", "step", "unlock"]


def test_rollback_swaps_and_a_second_rollback_swaps_back(live: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _run(live, nightly.Step("build", _append(b" 1")), nightly.Step("e", _export("1")),
         output_dir=out)  # fmt: skip
    first = live.read_bytes()
    _run(live, nightly.Step("build", _append(b" 2")), nightly.Step("e", _export("2")),
         output_dir=out)  # fmt: skip
    second = live.read_bytes()
    paths = nightly.NightlyPaths(live, out)

    assert nightly.rollback(live, output_dir=out, opens=_opens) == live
    assert live.read_bytes() == first and paths.previous.read_bytes() == second
    assert (out / "exports" / "facts.csv").read_text() == "1"  # outputs follow
    nightly.rollback(live, output_dir=out, opens=_opens)
    assert live.read_bytes() == second and paths.previous.read_bytes() == first
    assert (out / "exports" / "facts.csv").read_text() == "2"


def test_rollback_refuses_a_previous_that_does_not_match_its_checksum(live: Path) -> None:
    _run(live, nightly.Step("build", _append(b" 1")))
    _run(live, nightly.Step("build", _append(b" 2")))
    paths = nightly.NightlyPaths(live)
    current = live.read_bytes()
    with paths.previous.open("r+b") as fp:  # a copy truncated half-way, a full disk
        fp.truncate(4)
    with pytest.raises(nightly.RollbackRefused, match="checksum"):
        nightly.rollback(live, opens=_opens)
    assert live.read_bytes() == current


def test_rollback_refuses_a_previous_that_does_not_open(live: Path) -> None:
    _run(live, nightly.Step("build", _append(b" 1")))
    _run(live, nightly.Step("build", _append(b" 2")))

    def never(path: Path) -> None:
        raise ValueError("IO Error: not a valid DuckDB database file")

    with pytest.raises(nightly.RollbackRefused, match="does not open"):
        nightly.rollback(live, opens=never)


def test_rollback_without_previous_is_refused(live: Path) -> None:
    with pytest.raises(nightly.RollbackRefused, match="nothing to roll back"):
        nightly.rollback(live)
    assert live.read_bytes() == LIVE_BYTES


def test_times_come_from_the_injected_clocks(live: Path) -> None:
    ticks = iter(range(100))
    outcome = _run(
        live,
        nightly.Step("build", _append(b"x")),
        now=lambda: datetime(2026, 12, 1, 1, 30),
        clock=lambda: float(next(ticks)),
        run_id="r1",
    )
    assert outcome.record.run_id == "r1"
    assert outcome.record.started_at == "2026-12-01T01:30:00"
    assert outcome.step_seconds == {"build": 1.0}


def test_a_killed_runs_leftovers_are_removed_never_built_on(live: Path) -> None:
    paths = nightly.NightlyPaths(live)
    dead = paths.run_dir("killed")
    dead.mkdir(parents=True)
    (dead / live.name).write_bytes(b"a killed run's half-built copy")
    (dead / (live.name + ".wal")).write_bytes(b"a killed run's write-ahead log")
    (dead / "exports").mkdir()
    paths.legacy_building_dir.mkdir()
    (paths.legacy_building_dir / (live.name + ".wal")).write_bytes(b"older layout's WAL")
    seen: list[bytes] = []

    def step(aside: Path) -> None:
        seen.append(aside.read_bytes())
        assert not list(aside.parent.glob("*.wal"))

    outcome = _run(live, nightly.Step("ingest", step))
    assert seen == [LIVE_BYTES]  # a fresh copy of the live file, not the leftovers
    assert not dead.exists() and not paths.legacy_building_dir.exists()
    assert "killed" in outcome.cleaned


def test_a_run_killed_after_its_switch_is_journaled_by_the_next(live: Path) -> None:
    def killed(point: str) -> None:
        if point == "before:journal":
            raise SystemExit("killed")  # stands for kill -9: nothing after this runs

    with pytest.raises(SystemExit):
        _run(live, nightly.Step("build", _append(b" 1")), fault=killed, run_id="switched")
    assert b" 1" in live.read_bytes()
    assert not runlog.journal_path(live).exists()
    _run(live, nightly.Step("build", _append(b" 2")), run_id="next")
    assert [(line["run_id"], line["status"]) for line in _lines(live)] == [
        ("switched", "ok"),
        ("next", "ok"),
    ]


def test_fault_hook_is_inert_without_the_variable() -> None:
    hook = nightly.fault_from_env(None)
    assert hook("after:build") is None
    with pytest.raises(StepFailed, match="after:build"):
        nightly.fault_from_env("after:build=raise")("after:build")
    nightly.fault_from_env("after:build=raise")("after:check")  # other points: nothing


def test_relink_replaces_a_link_in_one_rename(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    link = tmp_path / "current"
    nightly.relink(link, "a")
    nightly.relink(link, "b")
    assert os.readlink(link) == "b" and not list(tmp_path.glob(".*tmp-link"))


def test_a_live_name_that_is_the_users_own_link_is_adopted_not_lost(tmp_path: Path) -> None:
    elsewhere = tmp_path / "big-disk" / "cchc.duckdb"
    elsewhere.parent.mkdir()
    elsewhere.write_bytes(LIVE_BYTES)
    live = tmp_path / "warehouse" / "cchc.duckdb"
    live.parent.mkdir()
    live.symlink_to(elsewhere)
    _run(live, nightly.Step("build", _append(b" new")))
    assert live.read_bytes().startswith(LIVE_BYTES + b" new")
    assert nightly.NightlyPaths(live).previous.read_bytes() == LIVE_BYTES
    assert elsewhere.read_bytes() == LIVE_BYTES  # the user's file is never written


def test_a_journal_line_cut_off_by_a_full_disk_breaks_neither_the_journal_nor_the_table(
    tmp_path: Path,
) -> None:
    import duckdb

    warehouse = tmp_path / "cchc.duckdb"
    runlog.append(warehouse, runlog.RunRecord(run_id="a", started_at="2026-12-01T01:30:00"))
    with runlog.journal_path(warehouse).open("a") as fp:
        fp.write('{"run_id": "cut", "started_')  # a kill or ENOSPC mid-line
    runlog.append(warehouse, runlog.RunRecord(run_id="b", started_at="2026-12-02T01:30:00"))
    assert runlog.run_ids(warehouse) == {"a", "b"}
    runlog.publish(warehouse, runlog.journal_path(warehouse))
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("select run_id from quality.pipeline_runs order by 1").fetchall()
    assert rows == [("a",), ("b",)]
    assert not (tmp_path / "cchc.duckdb.wal").exists()  # publish checkpoints


def test_rollback_refuses_a_previous_kept_without_a_checksum(live: Path) -> None:
    paths = nightly.NightlyPaths(live)
    paths.previous.write_bytes(b"kept by an older version, in place")
    with pytest.raises(nightly.RollbackRefused, match="cannot be verified"):
        nightly.rollback(live, opens=_opens)
    assert live.read_bytes() == LIVE_BYTES
