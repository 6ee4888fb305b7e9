"""DuckDB's memory limit, threads and spilling folder, from the machine or the environment.

One place for the three settings every step that opens the warehouse applies (ingest,
dbt through profiles.yml, check): a warehouse of 10,000 reports is built within a
bounded memory, spilling to disk beside the warehouse rather than failing or swapping.

- ``CCHC_DUCKDB_MEMORY_LIMIT`` (DuckDB's syntax: ``2GB``, ``1500MB``): by default a
  quarter of the machine's memory (or of the cgroup's limit), at most 2 GB, at least 512 MB;
- ``CCHC_DUCKDB_THREADS``: by default the cores this process may use;
- ``CCHC_DUCKDB_TEMP_DIR``: by default ``<warehouse>.tmp`` beside the warehouse file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

MAX_DEFAULT_MB = 2048
MIN_DEFAULT_MB = 512
_SIZE = re.compile(r"^\s*\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KIB|MIB|GIB|TIB)\s*$", re.IGNORECASE)


class DuckDBSettingError(ValueError):
    """A CCHC_DUCKDB_… variable DuckDB would not take."""


class _Connection(Protocol):
    def execute(self, query: str, parameters: object = ...) -> object: ...


@dataclass(frozen=True)
class DuckDBSettings:
    memory_limit: str  # DuckDB's syntax: "2048MB"
    threads: int
    temp_directory: Path

    def env(self) -> dict[str, str]:
        """The variables profiles.yml reads (dbt runs in its own process)."""
        return {
            "CCHC_DUCKDB_MEMORY_LIMIT": self.memory_limit,
            "CCHC_DUCKDB_THREADS": str(self.threads),
            "CCHC_DUCKDB_TEMP_DIR": str(self.temp_directory),
        }


def machine_memory_bytes() -> int:
    """Physical memory, or the cgroup's limit when that is lower."""
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            text = Path(path).read_text(encoding="ascii").strip()
        except OSError:
            continue
        if text.isdigit():
            total = min(total, int(text))
    return total


def available_cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def default_memory_limit(memory_bytes: int) -> str:
    megabytes = memory_bytes // 4 // (1024 * 1024)
    return f"{max(MIN_DEFAULT_MB, min(MAX_DEFAULT_MB, megabytes))}MB"


def duckdb_settings(
    warehouse: Path,
    environ: Mapping[str, str] | None = None,
    *,
    memory_bytes: int | None = None,
    cores: int | None = None,
) -> DuckDBSettings:
    """The settings for ``warehouse``: the environment's, else the machine's."""
    env = os.environ if environ is None else environ
    memory = env.get("CCHC_DUCKDB_MEMORY_LIMIT", "").strip()
    if memory and not _SIZE.match(memory):
        raise DuckDBSettingError(
            f"CCHC_DUCKDB_MEMORY_LIMIT={memory!r}: expected a size such as 2GB or 1500MB"
        )
    threads = env.get("CCHC_DUCKDB_THREADS", "").strip()
    if threads and (not threads.isdigit() or int(threads) < 1):
        raise DuckDBSettingError(
            f"CCHC_DUCKDB_THREADS={threads!r}: expected a whole number of threads ≥ 1"
        )
    temp = env.get("CCHC_DUCKDB_TEMP_DIR", "").strip()
    return DuckDBSettings(
        memory_limit=memory
        or default_memory_limit(machine_memory_bytes() if memory_bytes is None else memory_bytes),
        threads=int(threads) if threads else (cores or available_cores()),
        temp_directory=Path(temp) if temp else warehouse.with_name(warehouse.name + ".tmp"),
    )


def configure_duckdb(
    con: _Connection, warehouse: Path, environ: Mapping[str, str] | None = None
) -> DuckDBSettings:
    """Apply the settings to an open connection (read-only ones too)."""
    settings = duckdb_settings(warehouse, environ)
    con.execute(f"set memory_limit = '{settings.memory_limit}'")
    con.execute(f"set threads = {settings.threads}")
    quoted = str(settings.temp_directory).replace("'", "''")
    con.execute(f"set temp_directory = '{quoted}'")
    return settings
