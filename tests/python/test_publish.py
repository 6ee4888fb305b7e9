"""`cchc.publish` against a real PostgreSQL server started for this module.

The server is a throw-away cluster (initdb, trust auth, loopback only, a free port) in a
private temporary folder; as root (CI) it runs as Debian's `postgres` user, because
initdb and pg_ctl refuse to run as root. If PostgreSQL is not installed at all, the
fixture installs it with apt-get (CI runs as root) rather than skip.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from cchc import publish as publish_module
from cchc.publish import ANALYST_ROLE, PublishError, publish

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ROOT / "target" / "manifest.json"
IS_ROOT = os.geteuid() == 0


# ---------------------------------------------------------------- the server


def _find_bindir() -> Path | None:
    if pg_config := shutil.which("pg_config"):
        done = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        bindir = Path(done.stdout.strip())
        if done.returncode == 0 and (bindir / "initdb").exists():
            return bindir
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    return Path(candidates[-1]).parent if candidates else None


def _install_postgresql() -> None:
    if not IS_ROOT or not shutil.which("apt-get"):
        pytest.fail(
            "PostgreSQL server binaries are not installed and cannot be installed here "
            "(needs root and apt-get): apt-get install -y postgresql"
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "--no-install-recommends", "postgresql"]
    if subprocess.run(install, env=env, capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update"], env=env, capture_output=True, check=True)
        subprocess.run(install, env=env, capture_output=True, check=True)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class PgServer:
    port: int
    bindir: Path
    datadir: Path

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"


def _as_server_user(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if IS_ROOT else args


@pytest.fixture(scope="module")
def pg_server() -> Iterator[PgServer]:
    bindir = _find_bindir()
    if bindir is None:
        _install_postgresql()
        bindir = _find_bindir()
        assert bindir is not None, "apt-get installed postgresql but initdb was not found"
    # pytest's own tmp folders are 0700 root-only; the server user needs its own folder.
    base = Path(tempfile.mkdtemp(prefix="cchc-pg-"))
    datadir, sockdir = base / "data", base / "sock"
    datadir.mkdir()
    sockdir.mkdir()
    if IS_ROOT:
        server_user = pwd.getpwnam("postgres")
        for path in (base, datadir, sockdir):
            os.chown(path, server_user.pw_uid, server_user.pw_gid)
    initdb = [str(bindir / "initdb"), "-D", str(datadir), "-A", "trust", "-U", "postgres"]
    initdb += ["-E", "UTF8", "--no-locale"]
    done = subprocess.run(_as_server_user(initdb), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    pg_ctl = str(bindir / "pg_ctl")
    port = 0
    for _attempt in range(3):  # the free port can be taken between probe and start
        port = _free_port()
        options = f"-p {port} -k {sockdir} -c listen_addresses=127.0.0.1 -c fsync=off"
        start = [pg_ctl, "-D", str(datadir), "-l", str(base / "server.log"), "-w"]
        done = subprocess.run(
            _as_server_user([*start, "-o", options, "start"]), capture_output=True, text=True
        )
        if done.returncode == 0:
            break
    else:
        log = (base / "server.log").read_text(errors="replace")
        pytest.fail(f"PostgreSQL did not start: {done.stderr}\n{log[-2000:]}")
    server = PgServer(port, bindir, datadir)
    deadline = time.monotonic() + 30
    while True:
        try:
            with psycopg.connect(server.url(), connect_timeout=2):
                break
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    try:
        yield server
    finally:
        subprocess.run(
            _as_server_user([pg_ctl, "-D", str(datadir), "-m", "fast", "-w", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(base, ignore_errors=True)


_db_counter = iter(range(1_000_000))


@pytest.fixture
def pg_url(pg_server: PgServer) -> str:
    """A fresh, empty UTF8 database on the module's server for one test."""
    name = f"bi_{next(_db_counter)}"
    with psycopg.connect(pg_server.url(), autocommit=True) as conn:
        conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    return pg_server.url(name)


# ---------------------------------------------------------------- helpers


def duckdb_counts(built) -> dict[str, int]:
    """Every analyst table: marts and quality, without the reporting models (rpt_*) and the
    per-family rule evaluations (rule_eval_*: quality.rule_evaluations holds their rows)."""
    tables = built.query(
        """
        select table_schema, table_name from information_schema.tables
        where table_schema in ('marts', 'quality') order by 1, 2
        """
    )
    # they exist, and are not published
    assert any(t.startswith("rpt_") for _, t in tables)
    assert any(t.startswith("rule_eval_") for _, t in tables)
    return {
        f"{s}.{t}": built.scalar(f'select count(*) from "{s}"."{t}"')
        for s, t in tables
        if not t.startswith(("rpt_", "rule_eval_"))
    }


def pg_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        tables = conn.execute(
            """
            select table_schema, table_name from information_schema.tables
            where table_schema in ('marts', 'quality') order by 1, 2
            """
        ).fetchall()
        return {
            f"{s}.{t}": conn.execute(
                sql.SQL("select count(*) from {}.{}").format(sql.Identifier(s), sql.Identifier(t))
            ).fetchone()[0]
            for s, t in tables
        }


# ---------------------------------------------------------------- tests


def test_publish_copies_every_table_with_types_text_and_comments(built, pg_url):
    expected = duckdb_counts(built)
    assert "marts.fct_indicator_value" in expected and "quality.rule_results" in expected

    summary = publish(built.warehouse, pg_url, manifest=MANIFEST)

    assert pg_counts(pg_url) == expected
    assert set(summary.tables) == set(expected)
    assert summary.rows == sum(expected.values())
    assert summary.comments > 0
    assert "127.0.0.1" in summary.target
    with psycopg.connect(pg_url) as conn:
        value = conn.execute(
            "select value_numeric, raw_indicator_text from marts.fct_indicator_value "
            "where raw_value_text = '65.454'"
        ).fetchall()
        assert value and all(v == 65454 for v, _ in value)
        expected_text = built.scalar(
            "select raw_indicator_text from marts.fct_indicator_value "
            "where raw_value_text = '65.454' limit 1"
        )
        assert expected_text in {t for _, t in value}
        assert any(ch in expected_text for ch in "ổồấđ")  # really Vietnamese

        types = dict(
            conn.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = 'marts' and table_name = 'fct_indicator_value'"
            ).fetchall()
        )
        assert types["value_numeric"] == "double precision"
        assert types["raw_value_text"] == "text"
        nested = conn.execute(
            "select count(*) from information_schema.columns "
            "where table_schema in ('marts', 'quality') and data_type = 'jsonb'"
        ).fetchone()[0]
        assert nested >= 1  # the warehouse's lists/maps arrive as jsonb

        column_comment = conn.execute(
            "select col_description('marts.fct_indicator_value'::regclass, attnum) "
            "from pg_attribute where attrelid = 'marts.fct_indicator_value'::regclass "
            "and attname = 'value_numeric'"
        ).fetchone()[0]
        assert column_comment and "Giá trị" in column_comment
        table_comment = conn.execute(
            "select obj_description('marts.fct_indicator_value'::regclass, 'pg_class')"
        ).fetchone()[0]
        assert table_comment


def test_jsonb_columns_hold_valid_json(built, pg_url):
    publish(built.warehouse, pg_url, manifest=None)
    with psycopg.connect(pg_url) as conn:
        columns = conn.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where table_schema in ('marts', 'quality') and data_type = 'jsonb'"
        ).fetchall()
        for schema, table, column in columns:
            kinds = conn.execute(
                sql.SQL(
                    "select distinct jsonb_typeof({c}) from {s}.{t} where {c} is not null"
                ).format(
                    c=sql.Identifier(column), s=sql.Identifier(schema), t=sql.Identifier(table)
                )
            ).fetchall()
            assert all(k in ("array", "object") for (k,) in kinds), (table, column, kinds)


def test_without_manifest_publishes_without_comments(built, pg_url, tmp_path):
    summary = publish(built.warehouse, pg_url, manifest=tmp_path / "missing.json")
    assert summary.comments == 0
    assert pg_counts(pg_url) == duckdb_counts(built)


def test_analyst_role_can_read_but_not_create(built, pg_url):
    publish(built.warehouse, pg_url, manifest=MANIFEST)
    with psycopg.connect(pg_url, autocommit=True) as conn:
        login = conn.execute(
            "select rolcanlogin from pg_roles where rolname = %s", [ANALYST_ROLE]
        ).fetchone()
        assert login == (False,)
        conn.execute(sql.SQL("set role {}").format(sql.Identifier(ANALYST_ROLE)))
        for schema, table in (("marts", "fct_indicator_value"), ("quality", "rule_results")):
            conn.execute(
                sql.SQL("select count(*) from {}.{}").format(
                    sql.Identifier(schema), sql.Identifier(table)
                )
            ).fetchone()
        for schema in ("marts", "quality"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(
                    sql.SQL("create table {}.analyst_scratch (x int)").format(
                        sql.Identifier(schema)
                    )
                )
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("delete from marts.dim_unit")
        conn.execute("reset role")


def test_second_publish_replaces_rather_than_appends(built, pg_url):
    expected = duckdb_counts(built)
    publish(built.warehouse, pg_url, manifest=MANIFEST)
    with psycopg.connect(pg_url, autocommit=True) as conn:  # a stale table from an old run
        conn.execute("create table marts.mart_retired (x int)")
    summary = publish(built.warehouse, pg_url, manifest=MANIFEST)
    assert pg_counts(pg_url) == expected
    assert summary.dropped == ("marts.mart_retired",)
    with psycopg.connect(pg_url, autocommit=True) as conn:  # grants survive the re-create
        conn.execute(sql.SQL("set role {}").format(sql.Identifier(ANALYST_ROLE)))
        conn.execute("select count(*) from marts.fct_indicator_value").fetchone()


def test_failure_midway_leaves_previous_publish_intact(built, pg_url, monkeypatch):
    publish(built.warehouse, pg_url, manifest=MANIFEST)
    before = pg_counts(pg_url)
    with psycopg.connect(pg_url, autocommit=True) as conn:  # mark the old publish
        conn.execute("comment on table marts.dim_unit is 'previous publish'")

    real_copy = publish_module._copy_table
    copied: list[str] = []

    def copy_then_fail(cur, con, table):
        rows = real_copy(cur, con, table)
        copied.append(table.qualified)
        if table.qualified == "marts.fct_indicator_value":
            raise psycopg.errors.DataError("simulated bad value while copying")
        return rows

    monkeypatch.setattr(publish_module, "_copy_table", copy_then_fail)
    with pytest.raises(PublishError, match=r"rolled back at marts\.fct_indicator_value"):
        publish(built.warehouse, pg_url, manifest=MANIFEST)
    assert len(copied) > 1  # it really failed midway, after replacing earlier tables

    assert pg_counts(pg_url) == before
    with psycopg.connect(pg_url) as conn:
        note = conn.execute("select obj_description('marts.dim_unit'::regclass, 'pg_class')")
        assert note.fetchone()[0] == "previous publish"


def test_unreachable_server_is_a_clear_error(built):
    port = _free_port()
    with pytest.raises(PublishError, match="cannot connect to PostgreSQL") as caught:
        publish(built.warehouse, f"postgresql://bi:secret@127.0.0.1:{port}/bi", manifest=None)
    assert "secret" not in str(caught.value)
    assert "running and reachable" in str(caught.value)


def test_missing_database_and_bad_url_are_clear_errors(built, pg_server):
    with pytest.raises(PublishError, match="createdb"):
        publish(built.warehouse, pg_server.url("no_such_db"), manifest=None)
    with pytest.raises(PublishError, match="not a PostgreSQL URL"):
        publish(built.warehouse, "mysql//nonsense", manifest=None)


def test_missing_warehouse_is_a_clear_error(pg_url, tmp_path):
    with pytest.raises(PublishError, match="no warehouse"):
        publish(tmp_path / "none.duckdb", pg_url, manifest=None)
