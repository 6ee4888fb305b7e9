"""The nightly job under faults, with real processes: kill -9 at every step, two runs at
once, a read-write holder of the live warehouse, a full disk. Most use the protocol with
fake steps in a child process (no dbt: fractions of a second); the `cchc` ones copy the
session's warehouse and stop at the first step they need."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest
from conftest import CCHC, ROOT, Built, cchc

from cchc import guards, nightly, runlock, runlog
from cchc.errors import StepFailed

FAKE_RUN = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from cchc import nightly, runlock

    live, out, tag = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]

    def step(name):
        def run(aside):
            old = aside.read_bytes() if aside.exists() else b""
            aside.write_bytes(old + f" {tag}:{name}".encode())
            aside.with_name(aside.name + ".wal").write_bytes(b"unsaved " + name.encode())
            (aside.parent / "exports").mkdir(exist_ok=True)
            (aside.parent / "exports" / "facts.csv").write_text(tag)
        return run

    def publish(aside, journal):  # stands for pipeline_runs + CHECKPOINT
        aside.with_name(aside.name + ".wal").unlink()
        aside.write_bytes(aside.read_bytes() + b" published")

    nightly.run_nightly(
        live,
        [nightly.Step(n, step(n)) for n in ("ingest", "build", "check", "export", "dashboard")],
        output_dir=out,
        run_id=tag,
        journal=nightly.RunJournal(counts=lambda _: {"documents": 1}, publish=publish),
        lock=lambda paths: runlock.warehouse_lock(paths.lock_file, command="fake run"),
        fault=nightly.fault_from_env(os.environ.get("CCHC_FAULT")),
    )
    """
)

HOLD_LOCK = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from cchc import runlock
    with runlock.warehouse_lock(Path(sys.argv[1]), command="holder"):
        print("held", flush=True)
        time.sleep(float(sys.argv[2]))
    """
)

HOLD_FOR_WRITING = textwrap.dedent(
    """
    import sys, time
    import duckdb
    con = duckdb.connect(sys.argv[1])
    con.execute("create table main.analyst_scratch as select 42 as answer")
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
    """
)


def _fake_run(
    live: Path, out: Path, tag: str, fault: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("CCHC_FAULT", None)
    if fault:
        env["CCHC_FAULT"] = fault
    return subprocess.run(
        [sys.executable, "-c", FAKE_RUN, str(live), str(out), tag],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def _statuses(live: Path) -> list[tuple[str, str]]:
    lines = runlog.journal_path(live).read_text(encoding="utf-8").splitlines()
    return [(json.loads(x)["run_id"], json.loads(x)["status"]) for x in lines]


def _hold(script: str, *args: str) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def _live_copy(built: Built, tmp_path: Path) -> Path:
    """The session's warehouse as a plain file, the way a run before run folders left it."""
    live = tmp_path / "warehouse" / "cchc.duckdb"
    live.parent.mkdir(parents=True)
    shutil.copyfile(built.warehouse.resolve(), live)
    return live


POINTS = [
    "after:copy",
    "after:ingest",
    "after:build",
    "after:check",
    "after:export",
    "after:dashboard",
    "after:publish",
    "before:swap",
    "before:journal",
]


@pytest.mark.parametrize("point", POINTS)
def test_kill_9_at_any_point_keeps_what_users_see_and_the_next_run_starts_clean(
    tmp_path: Path, point: str
) -> None:
    live, out = tmp_path / "wh" / "cchc.duckdb", tmp_path / "out"
    for tag in ("r1", "r2"):
        assert _fake_run(live, out, tag).returncode == 0
    paths = nightly.NightlyPaths(live, out)
    before, previous = live.read_bytes(), paths.previous.read_bytes()

    killed = _fake_run(live, out, "killed", fault=point)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    switched = point == "before:journal"  # killed after the switch, before the journal
    if switched:
        assert live.read_bytes().startswith(before) and b"killed:dashboard" in live.read_bytes()
        assert (out / "exports" / "facts.csv").read_text() == "killed"
        assert paths.previous.read_bytes() == before
    else:
        assert live.read_bytes() == before and paths.previous.read_bytes() == previous
        assert (out / "exports" / "facts.csv").read_text() == "r2"  # outputs of the live run
    assert runlock.read_holder(paths.lock_file)["command"] == "fake run"  # stale, not held

    again = _fake_run(live, out, "r3")
    assert again.returncode == 0, again.stderr
    assert b"killed" not in live.read_bytes() or switched  # never built on the leftovers
    assert not list(live.resolve().parent.glob("*.wal"))
    assert {p.name for p in paths.runs_dir.iterdir()} == {"r3", "killed" if switched else "r2"}
    assert _statuses(live) == [
        ("r1", "ok"),
        ("r2", "ok"),
        *([("killed", "ok")] if switched else []),
        ("r3", "ok"),
    ]
    assert runlock.read_holder(paths.lock_file) == {}  # released cleanly


def test_a_second_run_refuses_at_once_naming_the_holder_or_waits(tmp_path: Path) -> None:
    lock = tmp_path / "cchc.duckdb.lock"
    holder = _hold(HOLD_LOCK, str(lock), "1.5")
    try:
        started = time.monotonic()
        with pytest.raises(runlock.LockBusy) as busy, runlock.warehouse_lock(lock):
            pass
        assert time.monotonic() - started < 1
        message = str(busy.value)
        assert f"pid {holder.pid}" in message and "started 20" in message and "--wait" in message
        assert "\n" not in message
        with runlock.warehouse_lock(lock, wait_seconds=30) as held:  # waits for the holder
            assert held.stale is None  # the holder released it cleanly
            assert runlock.read_holder(lock)["pid"] == os.getpid()
    finally:
        holder.kill()
        holder.wait()


def test_a_stale_lock_of_a_killed_run_is_detected_and_reused(tmp_path: Path) -> None:
    lock = tmp_path / "cchc.duckdb.lock"
    holder = _hold(HOLD_LOCK, str(lock), "60")
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert runlock.read_holder(lock)["pid"] == holder.pid  # its note is still there
    with runlock.warehouse_lock(lock) as held:
        assert held.stale is not None and held.stale["pid"] == holder.pid


def test_cchc_run_and_rollback_refuse_while_another_run_holds_the_lock(
    built: Built, tmp_path: Path
) -> None:
    live = _live_copy(built, tmp_path)
    before = live.read_bytes()
    holder = _hold(HOLD_LOCK, str(runlock.lock_path(live)), "120")
    try:
        refused = cchc("run", "--warehouse", str(live), "--wait", "0.5")
        assert refused.returncode == 1
        [line] = refused.stderr.strip().splitlines()
        assert f"pid {holder.pid}" in line and "after waiting 0.5 s" in line
        rollback = cchc("rollback", "--warehouse", str(live))
        assert rollback.returncode == 1 and f"pid {holder.pid}" in rollback.stderr
    finally:
        holder.kill()
        holder.wait()
    assert live.read_bytes() == before and not live.is_symlink()


def test_a_read_write_holder_of_the_live_warehouse_stops_the_run_before_the_copy(
    built: Built, tmp_path: Path
) -> None:
    live = _live_copy(built, tmp_path)
    holder = _hold(HOLD_FOR_WRITING, str(live), "120")
    try:
        with pytest.raises(StepFailed, match="for writing"):
            guards.live_not_held_for_writing(live, wait_seconds=0.6)
        refused = cchc("run", "--warehouse", str(live))
        assert refused.returncode == 1
        assert "holds the live warehouse" in refused.stderr and "read_only" in refused.stderr
    finally:
        holder.send_signal(signal.SIGKILL)  # dies with unsaved changes: a WAL stays
        holder.wait()
    assert guards.wal_of(live).exists()
    with pytest.raises(StepFailed, match="CHECKPOINT"):
        guards.live_not_held_for_writing(live)
    assert not nightly.NightlyPaths(live).runs_dir.exists() or not any(
        nightly.NightlyPaths(live).runs_dir.iterdir()
    )
    with duckdb.connect(str(live)) as con:  # what the message says to do
        con.execute("checkpoint")
    guards.live_not_held_for_writing(live)


def test_a_run_killed_in_cchc_leaves_the_warehouse_and_the_next_run_cleans_up(
    built: Built, tmp_path: Path
) -> None:
    live = _live_copy(built, tmp_path)
    before = live.read_bytes()
    env = {"CCHC_OUTPUT_DIR": str(tmp_path / "out"), "CCHC_FAULT": "after:ingest"}
    killed = cchc("run", "--warehouse", str(live), env=env)
    assert killed.returncode == -signal.SIGKILL
    assert live.read_bytes() == before
    [leftover] = nightly.NightlyPaths(live).runs_dir.iterdir()
    assert (leftover / live.name).exists()  # the killed run's copy
    again = cchc("run", "--warehouse", str(live), env={**env, "CCHC_FAULT": "after:ingest=raise"})
    assert again.returncode == 1, again.stderr
    assert "removed a killed run's leftovers" in again.stderr and leftover.name in again.stderr
    assert "fault injected at after:ingest" in again.stderr
    assert not leftover.exists() and live.read_bytes() == before
    assert [status for _, status in _statuses(live)] == ["failed"]  # the kill is never "ok"


def test_verify_reads_the_checks_own_integrity_results(built: Built, tmp_path: Path) -> None:
    copy = _live_copy(built, tmp_path)
    guards.verify_build(copy, live=built.warehouse)
    bigger = tmp_path / "bigger.duckdb"
    with duckdb.connect(str(bigger)) as con:
        con.execute("create schema raw; create table raw.documents as from range(99)")
    with pytest.raises(StepFailed, match="5 documents, the live one 99"):
        guards.verify_build(copy, live=bigger)
    with duckdb.connect(str(copy)) as con:
        con.execute(
            """
            insert into quality.expectation_results
                (check_run_id, checked_at, suite_name, kind, schema_name, table_name,
                 expectation_type, success)
            values ('later', now()::timestamp + interval 1 hour, 'integrity_keys',
                    'integrity', 'marts', 'fct_indicator_value', 'unique', false)
            """
        )
    with pytest.raises(StepFailed, match="integrity_keys"):
        guards.verify_build(copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("drop table quality.rule_results")
    with pytest.raises(StepFailed, match=r"lacks quality\.rule_results"):
        guards.verify_build(copy)
    copy.write_bytes(b"not a database")
    with pytest.raises(StepFailed, match="does not open"):
        guards.verify_build(copy)


def test_rollback_of_real_runs_refuses_a_damaged_previous(built: Built, tmp_path: Path) -> None:
    live = tmp_path / "cchc.duckdb"
    paths = nightly.NightlyPaths(live)
    for _ in range(2):  # two real warehouses through the protocol (steps: a copy)
        nightly.run_nightly(
            live,
            [nightly.Step("build", lambda a: shutil.copyfile(built.warehouse.resolve(), a))],
            journal=nightly.RunJournal(counts=lambda _: {}, publish=lambda a, j: None),
        )
    nightly.rollback(live)  # sound: checksum and a read-only open
    runlog.opens_read_only(live)
    with paths.previous.open("r+b") as fp:
        fp.truncate(1 << 20)  # what a full disk did to a copy in place
    with pytest.raises(nightly.RollbackRefused, match="checksum"):
        nightly.rollback(live)
    info = nightly.read_info(nightly.linked_run(paths.previous_link))
    info["sha256"] = nightly.sha256_of(paths.previous)  # even with a matching checksum…
    nightly.write_info(nightly.linked_run(paths.previous_link), info)
    with pytest.raises(nightly.RollbackRefused, match="does not open"):
        nightly.rollback(live)  # …a file that does not open is never installed
    runlog.opens_read_only(live)


def test_free_space_is_checked_before_anything_is_copied(tmp_path: Path) -> None:
    live = tmp_path / "cchc.duckdb"
    live.write_bytes(b"x" * 1000)
    needed = guards.space_needed(live, None, headroom_mb=100)
    assert needed == 2 * 1000 + 100 * guards.MB

    def disk(_where: Path) -> shutil._ntuple_diskusage:
        return shutil._ntuple_diskusage(total=10**9, used=10**9 - 5 * guards.MB, free=5 * guards.MB)

    with pytest.raises(StepFailed, match="5 MB free, the run needs about 100 MB"):
        guards.enough_free_space(tmp_path, needed, disk_usage=disk)
    guards.enough_free_space(tmp_path, 1000)


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 4 MB tmpfs, where this machine lets the test mount one (root)."""
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_mid_run_is_a_clear_error_with_live_and_previous_intact(
    small_disk: Path,
) -> None:
    live = small_disk / "cchc.duckdb"
    journal = nightly.RunJournal(counts=lambda _: {}, publish=lambda a, j: None)

    def write(size: int) -> nightly.StepFunction:
        return lambda aside: aside.write_bytes(os.urandom(size))

    for _ in range(2):
        nightly.run_nightly(live, [nightly.Step("build", write(1 << 20))], journal=journal)
    paths = nightly.NightlyPaths(live)
    before, previous = live.read_bytes(), paths.previous.read_bytes()
    with pytest.raises(nightly.RunFailed, match="build: no space left on device"):
        nightly.run_nightly(live, [nightly.Step("build", write(8 << 20))], journal=journal)
    assert live.read_bytes() == before and paths.previous.read_bytes() == previous
    assert [p.name for p in paths.runs_dir.iterdir()].__len__() == 2  # its copy is gone
    nightly.rollback(live, opens=lambda _: None)  # .previous intact: checksum matches


def test_cchc_run_refuses_on_a_disk_too_small_for_the_copy(built: Built, small_disk: Path) -> None:
    live = small_disk / "cchc.duckdb"
    live.write_bytes(b"\0" * (1 << 20))  # stands for a warehouse: refused before it is read
    refused = cchc("run", "--warehouse", str(live), env={"CCHC_OUTPUT_DIR": str(small_disk)})
    assert refused.returncode == 1
    assert "not enough free space" in refused.stderr and "preflight" in refused.stderr
    assert live.read_bytes() == b"\0" * (1 << 20)


def test_two_cchc_runs_at_once_the_second_refuses_naming_the_first(
    built: Built, tmp_path: Path
) -> None:
    live = _live_copy(built, tmp_path)
    before = live.read_bytes()
    out = {"CCHC_OUTPUT_DIR": str(tmp_path / "out")}
    first = subprocess.Popen(
        [str(CCHC), "run", "--warehouse", str(live)],
        env={**os.environ, **out, "CCHC_FAULT": "after:ingest=sleep120"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    paths = nightly.NightlyPaths(live)
    try:
        deadline = time.monotonic() + 90
        while runlock.read_holder(paths.lock_file).get("pid") != first.pid:
            assert first.poll() is None and time.monotonic() < deadline, "the first run ended"
            time.sleep(0.2)
        second = cchc("run", "--warehouse", str(live), env=out)
        assert second.returncode == 1
        [line] = second.stderr.strip().splitlines()
        assert f"pid {first.pid}" in line and "(cchc run)" in line and "started 20" in line
        assert len(list(paths.runs_dir.iterdir())) == 1  # the second touched nothing
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
    assert live.read_bytes() == before


def _children(pid: int) -> list[tuple[int, str]]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append((int(stat.parent.name), cmdline))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_kill_9_of_the_run_during_dbt_build_takes_dbt_with_it(built: Built, tmp_path: Path) -> None:
    live = _live_copy(built, tmp_path)
    before = live.read_bytes()
    run = subprocess.Popen(
        [str(CCHC), "run", "--warehouse", str(live)],
        env={**os.environ, "CCHC_OUTPUT_DIR": str(tmp_path / "out")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline, dbt = time.monotonic() + 120, []
        while not dbt:
            assert run.poll() is None and time.monotonic() < deadline, "no dbt build seen"
            dbt = [pid for pid, cmd in _children(run.pid) if " build " in cmd and "dbt" in cmd]
            time.sleep(0.1)
        os.kill(run.pid, signal.SIGKILL)  # the run only, as `kill -9 <pid>` would
        run.wait(timeout=30)
        deadline = time.monotonic() + 20
        while _alive(dbt[0]):
            assert time.monotonic() < deadline, "dbt kept running after its run was killed"
            time.sleep(0.1)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(run.pid, signal.SIGKILL)
    assert live.read_bytes() == before


PARENT_OF_A_SILENT_CHILD = textwrap.dedent(
    """
    import subprocess, sys, time
    from cchc.dbt import _die_with_parent
    hook = _die_with_parent if sys.argv[1] == "on" else None
    child = subprocess.Popen(["sleep", "60"], preexec_fn=hook)
    print(child.pid, flush=True)
    time.sleep(60)
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
@pytest.mark.parametrize("hook", ["on", "off"])
def test_a_child_that_writes_nothing_dies_with_its_killed_parent_only_with_the_hook(
    hook: str,
) -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT_OF_A_SILENT_CHILD, hook],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    try:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 2
        while _alive(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _alive(child) == (hook == "off")  # the hook is what takes it down
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(child, signal.SIGKILL)
