"""DuckDB's memory limit, threads and spilling folder: from the machine, overridden by
the environment, applied to a real connection, and handed to dbt's profile."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from ingest.duckdb_settings import (
    DuckDBSettingError,
    configure_duckdb,
    default_memory_limit,
    duckdb_settings,
)

GB = 1024**3


def test_defaults_come_from_the_machine(tmp_path: Path) -> None:
    warehouse = tmp_path / "cchc.duckdb"
    settings = duckdb_settings(warehouse, {}, memory_bytes=24 * GB, cores=2)
    assert settings.memory_limit == "2048MB"  # a quarter of 24 GB, capped at 2 GB
    assert settings.threads == 2
    assert settings.temp_directory == tmp_path / "cchc.duckdb.tmp"
    assert default_memory_limit(4 * GB) == "1024MB"
    assert default_memory_limit(1 * GB) == "512MB"


def test_the_environment_wins(tmp_path: Path) -> None:
    env = {
        "CCHC_DUCKDB_MEMORY_LIMIT": "3GB",
        "CCHC_DUCKDB_THREADS": "1",
        "CCHC_DUCKDB_TEMP_DIR": str(tmp_path / "spill"),
    }
    settings = duckdb_settings(tmp_path / "w.duckdb", env)
    assert (settings.memory_limit, settings.threads) == ("3GB", 1)
    assert settings.env() == env
    with pytest.raises(DuckDBSettingError, match="CCHC_DUCKDB_MEMORY_LIMIT"):
        duckdb_settings(tmp_path / "w.duckdb", {"CCHC_DUCKDB_MEMORY_LIMIT": "lots"})
    with pytest.raises(DuckDBSettingError, match="CCHC_DUCKDB_THREADS"):
        duckdb_settings(tmp_path / "w.duckdb", {"CCHC_DUCKDB_THREADS": "0"})


def test_applied_to_a_connection(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    env = {"CCHC_DUCKDB_MEMORY_LIMIT": "700MB", "CCHC_DUCKDB_THREADS": "1"}
    with duckdb.connect(str(warehouse)) as con:
        configure_duckdb(con, warehouse, env)
        memory, threads, temp = con.execute(
            "select current_setting('memory_limit'), current_setting('threads'), "
            "current_setting('temp_directory')"
        ).fetchone()
    assert memory.replace(" ", "").upper() in {"700.0MB", "667.5MIB", "700MB"}
    assert threads == 1
    assert temp == str(tmp_path / "w.duckdb.tmp")


def test_the_dbt_profile_reads_them() -> None:
    profile = (Path(__file__).resolve().parents[2] / "profiles.yml").read_text(encoding="utf-8")
    for variable in ("CCHC_DUCKDB_MEMORY_LIMIT", "CCHC_DUCKDB_THREADS", "CCHC_DUCKDB_TEMP_DIR"):
        assert f"env_var('{variable}'" in profile
