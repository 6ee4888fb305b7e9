"""Marts and quality tables → PostgreSQL for BI tools, in one transaction.

``publish(warehouse, url, manifest=...)`` mirrors every analyst table (and view,
materialised) of the DuckDB schemas ``marts`` and ``quality`` (all but the reporting
models, see :func:`cchc.export.analyst_tables`) into PostgreSQL schemas of the same names:

* one transaction per publish: the tables are dropped and re-created inside it, so a BI
  reader sees either the previous set or the new one, never a mix or a half-filled table;
  any error rolls the whole publish back;
* column types mapped from DuckDB (lists, structs, maps, unions and JSON become ``jsonb``);
* rows streamed with PostgreSQL's COPY from a read-only DuckDB connection;
* table and column comments from dbt's ``target/manifest.json`` (optional);
* a read-only role ``cchc_analyst`` (NOLOGIN; grant it to analysts' login roles) with
  USAGE on both schemas and SELECT on their tables, never CREATE.

The two PostgreSQL schemas are the publisher's: a base table there that the warehouse no
longer has is dropped. Talks to PostgreSQL with psycopg only (no DuckDB extension).

Secrets: the password comes from libpq's own means (``PGPASSWORD``, ``~/.pgpass`` or
``PGPASSFILE``, a service file) or the ``password`` argument (the CLI's prompt); a URL
that carries a password is refused, and every message passes through
:func:`cchc.secrets.redact`. A value PostgreSQL refuses while copying is named by
table, column and row key (file and line where the table has them).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from cchc.errors import StepFailed
from cchc.export import is_analyst_table
from cchc.secrets import redact, url_password

PUBLISHED_SCHEMAS = ("marts", "quality")
ANALYST_ROLE = "cchc_analyst"
_BATCH = 10_000
_PG_MAX_IDENTIFIER = 63


class PublishError(StepFailed):
    """Publishing did not happen (nothing was changed in PostgreSQL); says what to do."""


class PasswordNeeded(PublishError):
    """The server asks for a password and libpq found none (the CLI may prompt)."""


PASSWORD_SOURCES = (
    "PGPASSWORD, ~/.pgpass (or the file PGPASSFILE names), a service file "
    "(PGSERVICE / service=NAME) or --password-prompt"
)


@dataclass(frozen=True)
class Column:
    name: str
    duckdb_type: str
    pg_type: str
    select_expr: str  # DuckDB expression that yields a value psycopg can COPY


@dataclass(frozen=True)
class Table:
    schema: str
    name: str
    columns: tuple[Column, ...]

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"


@dataclass(frozen=True)
class PublishSummary:
    tables: tuple[str, ...]  # "schema.table", in publish order
    rows: int
    table_rows: dict[str, int] = field(default_factory=dict)
    comments: int = 0  # table + column comments written (0 without a manifest)
    dropped: tuple[str, ...] = ()  # stale tables removed from PostgreSQL
    target: str = ""  # where it went, without the password
    seconds: float = 0.0


# ---------------------------------------------------------------- type mapping

_SIMPLE_TYPES = {
    "VARCHAR": "text",
    "DOUBLE": "double precision",
    "FLOAT": "real",
    "BIGINT": "bigint",
    "INTEGER": "integer",
    "SMALLINT": "smallint",
    "TINYINT": "smallint",
    "UTINYINT": "smallint",
    "USMALLINT": "integer",
    "UINTEGER": "bigint",
    "UBIGINT": "numeric(20,0)",
    "HUGEINT": "numeric(39,0)",
    "UHUGEINT": "numeric(39,0)",
    "BOOLEAN": "boolean",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP_S": "timestamp",
    "TIMESTAMP_MS": "timestamp",
    "TIMESTAMP_NS": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "TIME": "time",
    "TIME WITH TIME ZONE": "timetz",
    "INTERVAL": "interval",
    "UUID": "uuid",
    "BLOB": "bytea",
}
_NESTED_PREFIXES = ("STRUCT(", "MAP(", "UNION(")
_DECIMAL = re.compile(r"DECIMAL\((\d+),\s*(\d+)\)")


def _quote_duck(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def map_column(name: str, duckdb_type: str) -> Column:
    """The PostgreSQL type for a DuckDB column, and how to read it for COPY."""
    kind = duckdb_type.strip().upper()
    ref = _quote_duck(name)
    if kind == "JSON":
        return Column(name, duckdb_type, "jsonb", f"{ref}::varchar")
    if kind.endswith("]") or kind.startswith(_NESTED_PREFIXES):
        return Column(name, duckdb_type, "jsonb", f"to_json({ref})::varchar")
    if kind in _SIMPLE_TYPES:
        return Column(name, duckdb_type, _SIMPLE_TYPES[kind], ref)
    if match := _DECIMAL.fullmatch(kind):
        return Column(name, duckdb_type, f"numeric({match[1]},{match[2]})", ref)
    # ENUM, BIT, VARINT and anything newer: as text, exactly as DuckDB renders it
    return Column(name, duckdb_type, "text", f"{ref}::varchar")


# ---------------------------------------------------------------- reading DuckDB


def read_tables(con: duckdb.DuckDBPyConnection) -> list[Table]:
    rows = con.execute(
        """
        select c.table_schema, c.table_name, c.column_name, c.data_type
        from information_schema.columns c
        join information_schema.tables t using (table_catalog, table_schema, table_name)
        where c.table_catalog = current_database()
          and c.table_schema in ('marts', 'quality')
        order by c.table_schema, c.table_name, c.ordinal_position
        """
    ).fetchall()
    grouped: dict[tuple[str, str], list[Column]] = {}
    for schema, table, column, data_type in rows:
        if not is_analyst_table(schema, table):
            continue  # the reporting models feed the dashboard and forms, not BI tools
        grouped.setdefault((schema, table), []).append(map_column(column, data_type))
    tables = [Table(s, t, tuple(cols)) for (s, t), cols in grouped.items()]
    for table in tables:
        for name in (table.name, *(c.name for c in table.columns)):
            if len(name.encode()) > _PG_MAX_IDENTIFIER:
                raise PublishError(
                    f"{table.qualified}: name {name!r} is longer than PostgreSQL's "
                    f"{_PG_MAX_IDENTIFIER}-byte limit — shorten it in the dbt model"
                )
    return tables


def _select(table: Table) -> str:
    select = ", ".join(c.select_expr for c in table.columns)
    return f"select {select} from {_quote_duck(table.schema)}.{_quote_duck(table.name)}"


def _rows(con: duckdb.DuckDBPyConnection, table: Table) -> Iterable[Sequence[Any]]:
    result = con.execute(_select(table))
    while batch := result.fetchmany(_BATCH):
        yield from batch


# the columns that say where a row came from, most telling first
_ROW_KEYS = (("file_path", "source_line"), ("document_id", "source_ref"), ("document_id",))


def row_key(table: Table, row: Sequence[Any], number: int) -> str:
    """Where a row came from, for messages: its file and line where the table has them."""
    names = [c.name for c in table.columns]
    for key in _ROW_KEYS:
        if all(name in names for name in key):
            values = [row[names.index(name)] for name in key]
            if key == ("file_path", "source_line"):
                return f"file {values[0]}, line {values[1]}"
            return ", ".join(f"{name} {value}" for name, value in zip(key, values, strict=True))
    first = ", ".join(f"{n}={v!r}" for n, v in zip(names[:2], row, strict=False))
    return f"row {number} ({first})"


def _refused(table: Table, column: str, where: str, why: str) -> PublishError:
    return PublishError(
        f"publish rolled back: PostgreSQL refuses a value of {table.qualified}, column "
        f"{column}, {where}: {why} — fix that report (or the model that writes the column) "
        "and run `cchc run`, then publish again; nothing was changed"
    )


def _checked(table: Table, row: Sequence[Any], number: int) -> Sequence[Any]:
    """The row, or a PublishError for text PostgreSQL cannot hold (a NUL character)."""
    for column, value in zip(table.columns, row, strict=True):
        if column.pg_type == "text" and isinstance(value, str) and "\x00" in value:
            where = row_key(table, row, number)
            raise _refused(table, column.name, where, "text holds a NUL character (0x00)")
    return row


# PostgreSQL's context of a COPY error: "COPY fct_x, line 12, column note: …" (other
# context lines, such as "JSON data, line 1", may come first)
_COPY_CONTEXT = re.compile(r"\bCOPY [^,\n]+, line (\d+)(?:, column (\w+))?")


def _row_at(con: duckdb.DuckDBPyConnection, table: Table, number: int) -> Sequence[Any] | None:
    """The row COPY sent as line ``number`` (DuckDB keeps a table's insertion order)."""
    return con.execute(f"{_select(table)} limit 1 offset {max(number - 1, 0)}").fetchone()


def _copy_table(cur: psycopg.Cursor[Any], con: duckdb.DuckDBPyConnection, table: Table) -> int:
    """COPY one table's rows from DuckDB into the (new, empty) PostgreSQL table; a value
    PostgreSQL refuses is named by table, column and row key."""
    statement = sql.SQL("copy {}.{} ({}) from stdin").format(
        sql.Identifier(table.schema),
        sql.Identifier(table.name),
        sql.SQL(", ").join(sql.Identifier(c.name) for c in table.columns),
    )
    count = 0
    try:
        with cur.copy(statement) as copy:
            for row in _rows(con, table):
                count += 1
                copy.write_row(_checked(table, row, count))
    except psycopg.errors.DataError as exc:
        context = _COPY_CONTEXT.search(exc.diag.context or "")
        if not context:
            raise
        number = int(context[1])
        row = _row_at(con, table, number)
        where = row_key(table, row, number) if row else f"row {number}"
        raise _refused(table, context[2] or "?", where, _first_line(exc)) from exc
    return count


# ---------------------------------------------------------------- dbt manifest


def read_comments(manifest: Path | None) -> dict[tuple[str, str], tuple[str, dict[str, str]]]:
    """(schema, table) → (table description, {column: description}) for dbt models, read
    through :mod:`cchc.manifest`; nothing without a manifest."""
    from cchc.manifest import ManifestUnreadable, load_optional

    try:
        docs = load_optional(manifest)
    except ManifestUnreadable as exc:
        raise PublishError(str(exc)) from exc
    return {key: value for key, value in docs.comments().items() if key[0] in PUBLISHED_SCHEMAS}


# ---------------------------------------------------------------- PostgreSQL


def describe_target(url: str) -> str:
    """host:port/dbname as user — the URL without its password, for messages."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "<unparseable URL>"
    if parts.get("service") and not parts.get("host"):
        return f"service {parts['service']}"
    host = parts.get("host") or parts.get("hostaddr") or "localhost"
    where = f"{host}:{parts.get('port') or 5432}/{parts.get('dbname') or '<default db>'}"
    return f"{where} as {parts['user']}" if parts.get("user") else where


def refuse_password_in_url(url: str) -> None:
    """A URL that carries a password is refused: a command line is visible in ``ps``."""
    if url_password(url):
        raise PublishError(
            f"--postgres {redact(url)!r} carries a password, which every user of this "
            "machine can read in the process list — remove it from the URL and give it "
            f"through {PASSWORD_SOURCES}"
        )


def _secrets(password: str | None) -> tuple[str | None, ...]:
    return (password, os.environ.get("PGPASSWORD"))


def _connect(url: str, target: str, password: str | None = None) -> psycopg.Connection[Any]:
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError as exc:
        raise PublishError(
            f"--postgres {redact(url.split('@')[-1])!r} is not a PostgreSQL URL "
            f"({redact(str(exc), _secrets(password))}) — expected "
            "postgresql://USER@HOST[:PORT]/DBNAME or service=NAME"
        ) from None
    if not parts and not os.environ.get("PGSERVICE"):
        raise PublishError(
            "--postgres needs a URL such as postgresql://USER@HOST:5432/DBNAME "
            "(an empty one would silently use libpq's defaults)"
        )
    extra: dict[str, Any] = {"application_name": "cchc publish", "client_encoding": "UTF8"}
    if "connect_timeout" not in parts:
        extra["connect_timeout"] = 10
    if password is not None:
        extra["password"] = password
    try:
        return psycopg.connect(url, autocommit=False, **extra)
    except psycopg.OperationalError as exc:
        reason = redact(" ".join(str(exc).split()), _secrets(password))
        if "no password supplied" in reason:
            raise PasswordNeeded(
                f"cannot connect to PostgreSQL at {target}: the server asks for a password "
                f"and none was found — give it through {PASSWORD_SOURCES}"
            ) from None
        if "password authentication failed" in reason:
            hint = f"check the user, and the password given through {PASSWORD_SOURCES}"
        elif "does not exist" in reason and "database" in reason:
            hint = "create the database first (createdb -E UTF8 NAME) or fix its name in the URL"
        else:
            hint = "check that the server is running and reachable at that host and port"
        raise PublishError(f"cannot connect to PostgreSQL at {target}: {reason} — {hint}") from None


def _ensure_analyst_role(cur: psycopg.Cursor[Any]) -> None:
    cur.execute("select 1 from pg_roles where rolname = %s", [ANALYST_ROLE])
    if cur.fetchone() is None:
        cur.execute(sql.SQL("create role {} nologin").format(sql.Identifier(ANALYST_ROLE)))


def _grant_read_only(cur: psycopg.Cursor[Any]) -> None:
    role = sql.Identifier(ANALYST_ROLE)
    schemas = sql.SQL(", ").join(sql.Identifier(s) for s in PUBLISHED_SCHEMAS)
    for statement in (
        "grant usage on schema {schemas} to {role}",
        "grant select on all tables in schema {schemas} to {role}",
        "alter default privileges in schema {schemas} grant select on tables to {role}",
        "revoke create on schema {schemas} from {role}, public",
    ):
        cur.execute(sql.SQL(statement).format(schemas=schemas, role=role))


def _stale_tables(cur: psycopg.Cursor[Any], keep: set[tuple[str, str]]) -> list[tuple[str, str]]:
    cur.execute(
        """
        select n.nspname, c.relname from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = any(%s) and c.relkind in ('r', 'p')
        order by 1, 2
        """,
        [list(PUBLISHED_SCHEMAS)],
    )
    return [(s, t) for s, t in cur.fetchall() if (s, t) not in keep]


def _create_table(cur: psycopg.Cursor[Any], table: Table) -> None:
    cur.execute(
        sql.SQL("create table {}.{} ({})").format(
            sql.Identifier(table.schema),
            sql.Identifier(table.name),
            sql.SQL(", ").join(
                sql.SQL("{} {}").format(sql.Identifier(c.name), sql.SQL(c.pg_type))
                for c in table.columns
            ),
        )
    )


def _comment(
    cur: psycopg.Cursor[Any],
    table: Table,
    comments: dict[tuple[str, str], tuple[str, dict[str, str]]],
) -> int:
    description, columns = comments.get((table.schema, table.name), ("", {}))
    written = 0
    name = sql.SQL("{}.{}").format(sql.Identifier(table.schema), sql.Identifier(table.name))
    if description:
        cur.execute(sql.SQL("comment on table {} is {}").format(name, sql.Literal(description)))
        written += 1
    for column in table.columns:
        if text := columns.get(column.name):
            cur.execute(
                sql.SQL("comment on column {}.{} is {}").format(
                    name, sql.Identifier(column.name), sql.Literal(text)
                )
            )
            written += 1
    return written


def _open_warehouse(warehouse: Path) -> duckdb.DuckDBPyConnection:
    if not warehouse.exists():
        raise PublishError(f"no warehouse at {warehouse} — run `cchc run` (or `cchc build`) first")
    try:
        return duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error as exc:
        raise PublishError(
            f"cannot open warehouse {warehouse} read-only ({exc}) — if a `cchc` step is "
            "writing it, retry when that step has finished"
        ) from exc


def publish(
    warehouse: Path,
    url: str,
    *,
    manifest: Path | None = None,
    lock_timeout_seconds: float = 60.0,
    password: str | None = None,
) -> PublishSummary:
    """Replace the PostgreSQL schemas ``marts`` and ``quality`` with the warehouse's, in
    one transaction. Raises ``PublishError`` (a ``StepFailed``) with what to do; on any
    error the transaction is rolled back and the previous publish stays as it was."""
    started = time.perf_counter()
    refuse_password_in_url(url)
    target = describe_target(url)
    comments = read_comments(manifest)
    with _open_warehouse(warehouse) as duck:
        tables = read_tables(duck)
        if not any(t.schema == "marts" for t in tables):
            raise PublishError(
                f"warehouse {warehouse} has no marts tables — run `cchc run` first "
                "(publishing it would empty the BI database)"
            )
        with _connect(url, target, password) as conn:
            table_rows, written, dropped = _publish_in_transaction(
                conn, duck, tables, comments, target, lock_timeout_seconds
            )
    return PublishSummary(
        tables=tuple(table_rows),
        rows=sum(table_rows.values()),
        table_rows=table_rows,
        comments=written,
        dropped=tuple(dropped),
        target=target,
        seconds=round(time.perf_counter() - started, 3),
    )


def _publish_in_transaction(
    conn: psycopg.Connection[Any],
    duck: duckdb.DuckDBPyConnection,
    tables: list[Table],
    comments: dict[tuple[str, str], tuple[str, dict[str, str]]],
    target: str,
    lock_timeout_seconds: float,
) -> tuple[dict[str, int], int, list[str]]:
    table_rows: dict[str, int] = {}
    written = 0
    dropped: list[str] = []
    current = "(setup)"
    try:
        with conn.transaction(), conn.cursor() as cur:
            encoding = cur.execute("show server_encoding").fetchone()
            if encoding and encoding[0] == "SQL_ASCII":
                raise PublishError(
                    f"database at {target} uses SQL_ASCII, which cannot hold Vietnamese text "
                    "reliably — publish into a UTF8 database (createdb -E UTF8 -T template0 NAME)"
                )
            cur.execute(
                sql.SQL("set local lock_timeout = {}").format(
                    sql.Literal(f"{int(lock_timeout_seconds * 1000)}ms")
                )
            )
            _ensure_analyst_role(cur)
            for schema in PUBLISHED_SCHEMAS:
                cur.execute(
                    sql.SQL("create schema if not exists {}").format(sql.Identifier(schema))
                )
            keep = {(t.schema, t.name) for t in tables}
            for schema, name in _stale_tables(cur, keep):
                current = f"{schema}.{name}"
                cur.execute(
                    sql.SQL("drop table {}.{}").format(sql.Identifier(schema), sql.Identifier(name))
                )
                dropped.append(current)
            for table in tables:
                current = table.qualified
                cur.execute(
                    sql.SQL("drop table if exists {}.{}").format(
                        sql.Identifier(table.schema), sql.Identifier(table.name)
                    )
                )
                _create_table(cur, table)
                table_rows[table.qualified] = _copy_table(cur, duck, table)
                written += _comment(cur, table, comments)
            current = "(grants)"
            _grant_read_only(cur)
    except psycopg.errors.DependentObjectsStillExist as exc:
        raise PublishError(
            f"publish to {target} rolled back: {current} cannot be replaced because other "
            f"objects depend on it ({_first_line(exc)}) — drop or move those views out of "
            f"the schemas {', '.join(PUBLISHED_SCHEMAS)}, which publish owns"
        ) from exc
    except psycopg.errors.LockNotAvailable as exc:
        raise PublishError(
            f"publish to {target} rolled back: {current} stayed locked by another session for "
            f"{lock_timeout_seconds:g} s — retry when long-running BI queries have finished"
        ) from exc
    except psycopg.errors.InsufficientPrivilege as exc:
        raise PublishError(
            f"publish to {target} rolled back: not allowed at {current} ({_first_line(exc)}) "
            f"— connect as the owner of schemas {', '.join(PUBLISHED_SCHEMAS)} with CREATE on "
            f"the database, or have an admin create role {ANALYST_ROLE} NOLOGIN"
        ) from exc
    except psycopg.Error as exc:
        raise PublishError(
            f"publish to {target} rolled back at {current}: {_first_line(exc)} — nothing was "
            "changed; fix the cause and run publish again"
        ) from exc
    return table_rows, written, dropped


def _first_line(exc: BaseException) -> str:
    text = redact(str(exc).strip(), (os.environ.get("PGPASSWORD"),))
    return text.splitlines()[0] if text else type(exc).__name__
