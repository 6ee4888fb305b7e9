"""Make Great Expectations usable against DuckDB (duckdb-engine) SQL datasources.

:func:`enable_duckdb_persisted_connection` is the fix for the GX trap (it patches private GX
state, so it must be revisited whenever great-expectations is upgraded);
:func:`rollback_duckdb_transaction_on_error` deals with a side effect of that fix.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from great_expectations.execution_engine import SqlAlchemyExecutionEngine
    from sqlalchemy.engine import Engine, ExceptionContext

DUCKDB_DIALECT = "duckdb"


class _DialectName(str):
    """A dialect name that behaves like a member of GX's ``GXSqlDialect`` enum where it matters.

    GX looks the tuple up in two ways: ``dialect_name in _PERSISTED_CONNECTION_DIALECTS``
    (plain string equality, which ``str`` gives us) and
    ``connection_string.startswith(dialect.value)`` (which needs ``.value``).
    """

    __slots__ = ()

    @property
    def value(self) -> str:
        return str(self)


def _dialect_value(dialect: object) -> str:
    return str(getattr(dialect, "value", dialect)).lower()


def enable_duckdb_persisted_connection() -> None:
    """Register DuckDB as a dialect whose connection GX keeps open for the whole validation.

    The problem (GX issues #10738 and #11579): ``SqlAlchemyExecutionEngine.execute_query``
    runs ``with self.get_connection() as conn: result = conn.execute(query)`` and calls
    ``result.fetchall()`` only after the ``with`` block has handed the connection back to the
    pool. On the way back SQLAlchemy rolls the connection back, and DuckDB drops the
    statement's pending result, so ``fetchall()`` returns ``[]``. Every bundled metric then
    fails with ``IndexError: list index out of range`` (``res[0]``) inside
    ``resolve_metric_bundle``; GX stores that in each result's ``exception_info`` and a
    checkpoint only reports ``success=False``, so a broken run looks like failed data.

    GX already avoids this for SQLite, SQL Server, BigQuery and Databricks: for dialects in
    the private tuple ``_PERSISTED_CONNECTION_DIALECTS`` (module
    ``great_expectations.execution_engine.sqlalchemy_execution_engine``) the engine is built
    with a ``StaticPool`` and ``get_connection()`` keeps one connection open instead of
    returning it after each query. Appending ``"duckdb"`` to that tuple gives DuckDB the same
    treatment, and results are read while the connection is still open.

    Idempotent: calling it again is a no-op. It must run before the SQL datasource's execution
    engine is created (the pool class is chosen then). Raises ``RuntimeError`` if the installed
    GX no longer has the tuple, so an upgrade fails loudly instead of silently un-fixing this.
    """
    from great_expectations.execution_engine import sqlalchemy_execution_engine as engine_module

    current = getattr(engine_module, "_PERSISTED_CONNECTION_DIALECTS", None)
    if not isinstance(current, tuple):
        raise RuntimeError(
            "great_expectations.execution_engine.sqlalchemy_execution_engine no longer has a "
            "_PERSISTED_CONNECTION_DIALECTS tuple; the DuckDB connection fix in "
            "quality/duckdb_dialect.py must be revisited for this GX version."
        )
    if any(_dialect_value(dialect) == DUCKDB_DIALECT for dialect in current):
        return
    engine_module._PERSISTED_CONNECTION_DIALECTS = (*current, _DialectName(DUCKDB_DIALECT))


def duckdb_persisted_connection_enabled() -> bool:
    """Whether :func:`enable_duckdb_persisted_connection` is in effect (imports GX)."""
    from great_expectations.execution_engine import sqlalchemy_execution_engine as engine_module

    current = getattr(engine_module, "_PERSISTED_CONNECTION_DIALECTS", ())
    return any(_dialect_value(dialect) == DUCKDB_DIALECT for dialect in current)


def release_duckdb_compile_hooks_at_exit() -> None:
    """At interpreter exit, undo duckdb-engine's ``@compiles(TryCast, "duckdb")`` hook.

    duckdb-engine registers its TRY_CAST compiler on SQLAlchemy's ``TryCast`` class at import.
    With Great Expectations imported too, that registration keeps duckdb-engine's module
    globals (and through them DuckDB's type constants) alive past the point where DuckDB's
    nanobind bindings check for live objects, and every run ended with ~40 lines of
    "nanobind: leaked …" on stderr. Removing the hook (SQLAlchemy's documented
    ``sqlalchemy.ext.compiler.deregister``) when the program ends lets them be freed first.
    Registered once; nothing compiles SQL after exit handlers run.
    """
    global _release_registered
    if _release_registered:
        return
    import atexit

    atexit.register(_release_duckdb_compile_hooks)
    _release_registered = True


_release_registered = False


def _release_duckdb_compile_hooks() -> None:
    import sqlalchemy
    from sqlalchemy.ext.compiler import deregister

    try_cast = getattr(sqlalchemy, "TryCast", None)
    if try_cast is not None and hasattr(try_cast, "_compiler_dispatcher"):
        deregister(try_cast)


def close_persisted_connection(execution_engine: SqlAlchemyExecutionEngine) -> None:
    """Close the connection GX keeps open for DuckDB, then dispose the engine.

    The counterpart of :func:`enable_duckdb_persisted_connection`: GX opens the kept
    connection lazily (``get_connection()`` stores it in the private ``_connection``), but its
    ``close()`` closes that connection only for engines it created from a backup engine;
    otherwise it just disposes the engine, and the connection, its DuckDB connection and any
    pending result stay referenced for as long as the execution engine lives. Idempotent.
    """
    connection = getattr(execution_engine, "_connection", None)
    if connection is not None:
        connection.close()
        execution_engine._connection = None
    execution_engine.close()


def rollback_duckdb_transaction_on_error(engine: Engine) -> None:
    """Stop one failed query from failing every later query on the kept-open connection.

    A consequence of :func:`enable_duckdb_persisted_connection`: GX now runs every query of a
    validation on one connection and never ends SQLAlchemy's implicit ("autobegin")
    transaction. DuckDB, like PostgreSQL, aborts a transaction at its first error, so after
    one expectation cannot be evaluated (a bad rule query, a missing column) every later
    query fails with ``Current transaction is aborted (please ROLLBACK)`` and innocent
    expectations are reported as broken too. This ``handle_error`` listener rolls the DuckDB
    connection back as soon as a statement fails; later statements then run in DuckDB's
    autocommit mode, which is harmless for a read-only warehouse. Idempotent per engine.
    """
    import sqlalchemy as sa

    if not sa.event.contains(engine, "handle_error", _rollback_failed_duckdb_transaction):
        sa.event.listen(engine, "handle_error", _rollback_failed_duckdb_transaction)


def _rollback_failed_duckdb_transaction(context: ExceptionContext) -> None:
    if context.connection is None or context.dialect.name != DUCKDB_DIALECT:
        return
    dbapi_connection = context.connection.connection.dbapi_connection
    if dbapi_connection is None:
        return
    # Fails harmlessly ("no transaction is active") when there was nothing to roll back.
    with contextlib.suppress(Exception):
        dbapi_connection.rollback()
