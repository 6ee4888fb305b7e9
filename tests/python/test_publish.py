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

    summary = publish(built.warehouse, pg_url, manifest=built.manifest)

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
    publish(built.warehouse, pg_url, manifest=built.manifest)
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
    publish(built.warehouse, pg_url, manifest=built.manifest)
    with psycopg.connect(pg_url, autocommit=True) as conn:  # a stale table from an old run
        conn.execute("create table marts.mart_retired (x int)")
    summary = publish(built.warehouse, pg_url, manifest=built.manifest)
    assert pg_counts(pg_url) == expected
    assert summary.dropped == ("marts.mart_retired",)
    with psycopg.connect(pg_url, autocommit=True) as conn:  # grants survive the re-create
        conn.execute(sql.SQL("set role {}").format(sql.Identifier(ANALYST_ROLE)))
        conn.execute("select count(*) from marts.fct_indicator_value").fetchone()


def test_failure_midway_leaves_previous_publish_intact(built, pg_url, monkeypatch):
    publish(built.warehouse, pg_url, manifest=built.manifest)
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
        publish(built.warehouse, pg_url, manifest=built.manifest)
    assert len(copied) > 1  # it really failed midway, after replacing earlier tables

    assert pg_counts(pg_url) == before
    with psycopg.connect(pg_url) as conn:
        note = conn.execute("select obj_description('marts.dim_unit'::regclass, 'pg_class')")
        assert note.fetchone()[0] == "previous publish"


def test_unreachable_server_is_a_clear_error(built, monkeypatch):
    port = _free_port()
    monkeypatch.setenv("PGPASSWORD", "secret")
    with pytest.raises(PublishError, match="cannot connect to PostgreSQL") as caught:
        publish(built.warehouse, f"postgresql://bi@127.0.0.1:{port}/bi", manifest=None)
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


# ---------------------------------------------------------------- refused values


def _small_warehouse(path: Path, marts_sql: list[str]) -> Path:
    """A warehouse of a few hand-made marts tables (publish needs one in marts)."""
    import duckdb

    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute("create schema quality")
        for statement in marts_sql:
            con.execute(statement)
    return path


def test_a_nul_is_named_by_table_column_file_and_line(pg_url, tmp_path):
    warehouse = _small_warehouse(
        tmp_path / "w.duckdb",
        [
            "create table marts.fct_x (file_path varchar, source_line varchar, note varchar)",
            "insert into marts.fct_x values ('a.txt', '3', 'fine'), "
            "('bao-cao.txt', '17', 'x' || chr(0) || 'y')",
        ],
    )
    with pytest.raises(PublishError) as caught:
        publish(warehouse, pg_url, manifest=None)
    message = str(caught.value)
    assert "marts.fct_x, column note, file bao-cao.txt, line 17" in message
    assert "NUL" in message and "rolled back" in message
    assert pg_counts(pg_url) == {}  # nothing was published


def test_a_value_postgresql_refuses_is_named_by_its_row(pg_url, tmp_path):
    # jsonb cannot hold \u0000: PostgreSQL's own refusal, traced back to the row
    warehouse = _small_warehouse(
        tmp_path / "w.duckdb",
        [
            "create table marts.fct_y (document_id varchar, source_ref varchar, cells json)",
            """insert into marts.fct_y values ('d1', 'table 1 row 1 col 1', '{"a": "b"}'),
            ('d2', 'table 2 row 5 col 1', '{"a": "b\\u0000c"}')""",
        ],
    )
    with pytest.raises(PublishError) as caught:
        publish(warehouse, pg_url, manifest=None)
    message = str(caught.value)
    assert "marts.fct_y, column cells, document_id d2, source_ref table 2 row 5 col 1" in message
    assert pg_counts(pg_url) == {}


def test_control_characters_stay_in_raw_and_never_reach_postgresql(pg_url, tmp_path):
    """A NUL and a BEL in one indicator row: raw keeps them with the flag, staging and
    the marts do not have them, and the publish succeeds."""
    from conftest import Built, cchc
    from test_control_chars import INDICATOR, PLANTED_INDICATOR, SAMPLE, planted_report

    reports = tmp_path / "reports"  # the one planted report is enough
    reports.mkdir()
    (reports / SAMPLE.name).write_bytes(planted_report())
    warehouse = tmp_path / "cchc.duckdb"  # the marts are all a publish reads
    for step in (("ingest", "--reports", str(reports)), ("build",)):
        result = cchc(*step, "--warehouse", str(warehouse))
        assert result.returncode == 0, result.stderr + result.stdout
    planted = Built(warehouse, tmp_path, reports, result)

    flagged = planted.query("select indicator_text from raw.appendix_rows where has_control_chars")
    assert flagged == [(PLANTED_INDICATOR,)]
    assert planted.scalar("select count(*) from raw.appendix_rows where not has_control_chars")
    columns = planted.query(
        """
        select table_schema, table_name, column_name from information_schema.columns
        where table_schema in ('staging', 'intermediate', 'marts', 'quality')
          and data_type = 'VARCHAR'
        """
    )
    assert len(columns) > 50
    by_table: dict[tuple[str, str], list[str]] = {}
    for schema, table, column in columns:
        by_table.setdefault((schema, table), []).append(column)
    for (schema, table), names in by_table.items():  # one query per table
        counts = ", ".join(
            f"count(*) filter (where regexp_matches(\"{name}\", '[\\x00-\\x08\\x0B-\\x1F\\x7F]'))"
            for name in names
        )
        found = planted.query(f'select {counts} from "{schema}"."{table}"')[0]
        holding = [name for name, count in zip(names, found, strict=True) if count]
        assert holding == [], f"{schema}.{table} {holding} hold a control character"
    assert planted.scalar(
        "select count(*) from marts.fct_indicator_value where raw_indicator_text = ?", [INDICATOR]
    )

    summary = publish(planted.warehouse, pg_url, manifest=None)
    assert summary.rows > 0
    with psycopg.connect(pg_url) as conn:
        published = conn.execute(
            "select count(*) from marts.fct_indicator_value where raw_indicator_text = %s",
            [INDICATOR],
        ).fetchone()[0]
    assert published >= 1


# ---------------------------------------------------------------- secrets

SECRET = "Pw-7f3a9e-secret"
WRONG_SECRET = "Wrong-51c2d0-secret"


@dataclass(frozen=True)
class PasswordDb:
    server: PgServer
    dbname: str
    user: str = "cchc_pw"

    def url(self) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.server.port}/{self.dbname}"


@pytest.fixture(scope="module")
def password_server(pg_server: PgServer) -> PgServer:
    """The module's server, asking role cchc_pw for its password (SCRAM) on loopback."""
    hba = pg_server.datadir / "pg_hba.conf"
    rule = "host all cchc_pw 127.0.0.1/32 scram-sha-256\n"
    hba.write_text(rule + hba.read_text())
    reload = [str(pg_server.bindir / "pg_ctl"), "-D", str(pg_server.datadir), "reload"]
    done = subprocess.run(_as_server_user(reload), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    with psycopg.connect(pg_server.url(), autocommit=True) as conn:
        conn.execute(
            sql.SQL("create role cchc_pw login createrole password {}").format(sql.Literal(SECRET))
        )
    time.sleep(0.5)  # the reload is signalled; give the postmaster a moment
    return pg_server


@pytest.fixture
def password_db(password_server: PgServer) -> PasswordDb:
    name = f"bi_pw_{next(_db_counter)}"
    with psycopg.connect(password_server.url(), autocommit=True) as conn:
        conn.execute(sql.SQL("create database {} owner cchc_pw").format(sql.Identifier(name)))
    return PasswordDb(password_server, name)


def _clean_env(**extra: str) -> dict[str, str]:
    """The environment without any PostgreSQL setting of the caller, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    return {**env, "PGCONNECT_TIMEOUT": "5", **extra}


def _run_publish(built, *args: str, env: dict[str, str]):
    from conftest import CCHC

    return subprocess.run(
        [str(CCHC), "publish", "--warehouse", str(built.warehouse), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )


def _assert_no_secret(built, *texts: str) -> None:
    """Neither password in the outputs, the run journal or quality.pipeline_runs."""
    from cchc.runlog import journal_path

    journal = journal_path(built.warehouse)
    assert journal.exists()  # the session's `cchc run` wrote it
    runs = built.query("select * from quality.pipeline_runs")
    assert runs
    for secret in (SECRET, WRONG_SECRET):
        for text in (*texts, journal.read_text(encoding="utf-8"), repr(runs)):
            assert secret not in text


def test_a_password_in_the_url_is_refused_and_never_shown(built, password_db):
    url = password_db.url().replace("cchc_pw@", f"cchc_pw:{SECRET}@")
    done = _run_publish(built, "--postgres", url, env=_clean_env())
    assert done.returncode == 1
    assert "PGPASSWORD" in done.stderr and ".pgpass" in done.stderr
    assert "cchc_pw:***@" in done.stderr
    _assert_no_secret(built, done.stdout, done.stderr)
    # and the library refuses it too, before it connects
    with pytest.raises(PublishError, match="carries a password") as caught:
        publish(built.warehouse, url, manifest=None)
    assert SECRET not in str(caught.value)


def test_password_from_pgpassword(built, password_db):
    env = _clean_env(PGPASSWORD=SECRET)
    done = _run_publish(built, "--postgres", password_db.url(), env=env)
    assert done.returncode == 0, done.stderr
    assert "publish:" in done.stdout
    _assert_no_secret(built, done.stdout, done.stderr)
    with psycopg.connect(password_db.url(), password=SECRET) as conn:
        assert conn.execute("select count(*) from marts.fct_indicator_value").fetchone()[0]


def test_password_from_a_pgpass_file(built, password_db, tmp_path):
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(
        f"127.0.0.1:{password_db.server.port}:{password_db.dbname}:cchc_pw:{SECRET}\n"
    )
    pgpass.chmod(0o600)
    done = _run_publish(
        built, "--postgres", password_db.url(), env=_clean_env(PGPASSFILE=str(pgpass))
    )
    assert done.returncode == 0, done.stderr
    _assert_no_secret(built, done.stdout, done.stderr)


def test_password_from_a_service_file(built, password_db, tmp_path):
    services = tmp_path / "pg_service.conf"
    services.write_text(
        "[cchc_bi]\nhost=127.0.0.1\n"
        f"port={password_db.server.port}\ndbname={password_db.dbname}\n"
        f"user=cchc_pw\npassword={SECRET}\n"
    )
    env = _clean_env(PGSERVICEFILE=str(services))
    done = _run_publish(built, "--postgres", "service=cchc_bi", env=env)
    assert done.returncode == 0, done.stderr
    assert "service cchc_bi" in done.stdout
    _assert_no_secret(built, done.stdout, done.stderr)
    done = _run_publish(built, "--postgres", "postgresql://", env={**env, "PGSERVICE": "cchc_bi"})
    assert done.returncode == 0, done.stderr


def test_a_wrong_password_is_a_clear_error_that_shows_no_password(built, password_db):
    done = _run_publish(
        built, "--postgres", password_db.url(), env=_clean_env(PGPASSWORD=WRONG_SECRET)
    )
    assert done.returncode == 1
    assert "password authentication failed" in done.stderr
    _assert_no_secret(built, done.stdout, done.stderr)


def test_an_unreachable_host_shows_no_password(built):
    url = f"postgresql://cchc_pw@127.0.0.1:{_free_port()}/bi"
    done = _run_publish(built, "--postgres", url, env=_clean_env(PGPASSWORD=SECRET))
    assert done.returncode == 1
    assert "cannot connect to PostgreSQL" in done.stderr
    _assert_no_secret(built, done.stdout, done.stderr)


def test_no_password_and_no_terminal_says_where_it_may_come_from(built, password_db):
    done = _run_publish(
        built, "--postgres", password_db.url(), env=_clean_env(PGPASSFILE="/nonexistent")
    )
    assert done.returncode == 1
    assert "asks for a password" in done.stderr and "PGPASSWORD" in done.stderr
    done = _run_publish(
        built, "--postgres", password_db.url(), "--password-prompt", env=_clean_env()
    )
    assert done.returncode == 1 and "needs a terminal" in done.stderr


def _publish_on_a_terminal(built, url: str, *args: str, answer: str):
    """`cchc publish` with a terminal as stdin: answer its password prompt."""
    import select

    from conftest import CCHC

    controller, terminal = os.openpty()
    proc = subprocess.Popen(
        [str(CCHC), "publish", "--warehouse", str(built.warehouse), "--postgres", url, *args],
        stdin=terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_clean_env(PGPASSFILE="/nonexistent"),
        cwd=ROOT,
        start_new_session=True,
    )
    os.close(terminal)
    seen = b""
    deadline = time.monotonic() + 120
    try:
        while b"password:" not in seen:
            assert time.monotonic() < deadline, seen
            ready, _, _ = select.select([proc.stderr], [], [], 1)
            if ready:
                chunk = os.read(proc.stderr.fileno(), 4096)
                assert chunk, f"cchc ended before asking: {seen!r}"
                seen += chunk
        os.write(controller, answer.encode() + b"\n")
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        os.close(controller)
        if proc.poll() is None:
            proc.kill()
    return proc.returncode, stdout.decode(), (seen + stderr).decode()


@pytest.mark.parametrize("args", [("--password-prompt",), ()], ids=["asked-for", "automatic"])
def test_password_from_the_prompt(built, password_db, args):
    code, stdout, stderr = _publish_on_a_terminal(built, password_db.url(), *args, answer=SECRET)
    assert code == 0, stderr
    assert "PostgreSQL password:" in stderr and "publish:" in stdout
    _assert_no_secret(built, stdout, stderr)
