"""One writer per warehouse: an advisory lock on ``<warehouse>.lock``.

The lock is ``flock(2)`` on the lock file, so the operating system releases it when the
holding process dies, however it dies (kill -9 included): a lock file left behind by a
dead run is not held, and the next run simply takes it (and says so). The file holds
the holder's pid, host, start time and command, so a refused run can name who holds it.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cchc.errors import StepFailed


class LockBusy(StepFailed):
    """Another process holds the warehouse's lock."""


@dataclass(frozen=True)
class LockHeld:
    path: Path
    stale: dict[str, object] | None  # what a dead holder had written, if anything


def lock_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".lock")


def read_holder(path: Path) -> dict[str, object]:
    try:
        text = path.read_text(encoding="utf-8").strip()
        return json.loads(text) if text else {}
    except (OSError, ValueError):
        return {}


def describe_holder(holder: dict[str, object]) -> str:
    if not holder:
        return "a process that has not written its name yet"
    return (
        f"pid {holder.get('pid', '?')} on {holder.get('host', '?')}, started "
        f"{holder.get('started_at', '?')} ({holder.get('command', '?')})"
    )


@contextlib.contextmanager
def warehouse_lock(
    path: Path,
    *,
    wait_seconds: float = 0.0,
    command: str = "cchc",
    now: Callable[[], datetime] = datetime.now,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    poll_seconds: float = 0.2,
) -> Iterator[LockHeld]:
    """Hold the lock on ``path`` for the ``with`` block; wait up to ``wait_seconds`` for
    another holder, then raise :class:`LockBusy` naming it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = clock() + max(wait_seconds, 0.0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if clock() >= deadline:
                    waited = f" after waiting {wait_seconds:g} s" if wait_seconds > 0 else ""
                    raise LockBusy(
                        f"another run holds the lock {path}{waited}: "
                        f"{describe_holder(read_holder(path))} — wait for it to finish, or "
                        "pass --wait SECONDS"
                    ) from None
                sleep(poll_seconds)
        stale = read_holder(path) or None  # a holder that released cleanly empties the file
        me = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started_at": now().isoformat(timespec="seconds"),
            "command": command or " ".join(sys.argv),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps(me) + "\n").encode(), 0)
        try:
            yield LockHeld(path, stale)
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
