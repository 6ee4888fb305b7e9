"""Marts and quality tables → exports/: Parquet, CSV (UTF-8 with BOM), the officers'
workbook (Vietnamese headers), the Ministry's form filled per agency and province, and a
copy of the warehouse for DuckDB 1.x.

The analyst tables are every table of ``marts`` and ``quality`` except the reporting
models (``rpt_*``), which only feed the dashboard and the filled forms; the CSV/Parquet
exports, the officers' workbook and the PostgreSQL publish all take them from
:func:`analyst_tables`.

Safe outputs: a CSV text cell that a spreadsheet would run as a formula (one starting
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading single quote
(OWASP's advice against CSV injection), unless it is a plain number written as text
("-5", "+3,5", "-1.234,5", "-12%"), which a spreadsheet reads as that number and
cannot run. Parquet and the DuckDB copy keep the text exactly as the warehouse has it;
the workbooks write every text as a text cell (:func:`cchc.workbooks.put`).

Descriptions: each Parquet file carries the table's and its columns' descriptions (the
DuckDB comments that dbt's ``persist_docs`` writes from the models' YAML) as Parquet
key-value metadata: ``description`` for the table, ``description:<column>`` for each
described column (:func:`parquet_descriptions`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

EXPORTED_SCHEMAS = ("marts", "quality")
REPORTING_PREFIX = "rpt_"  # dbt's models/marts/reporting: the tools' inputs, not exported
# quality.rule_eval_<family>: each family's checks, all of them in quality.rule_evaluations
FAMILY_EVALUATION_PREFIX = "rule_eval_"


DUCKDB1_STORAGE = "v1.4.0"  # tools embedding DuckDB 1.x cannot open 2.0's format

# what a spreadsheet takes for the start of a formula (OWASP: CSV injection)
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# a number written as text: sign, digits with . or , separators, optional percent sign
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d+)*|[.,]\d+)%?")


@dataclass(frozen=True)
class ExportSummary:
    tables: tuple[str, ...]
    rows: int
    workbook: Path
    duckdb1_copy: Path
    forms: tuple[Path, ...] = ()


def csv_safe_text(value: str) -> str:
    """The text as a CSV cell no spreadsheet runs: a leading ``'`` before text that
    starts like a formula and is not a plain number."""
    if value.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def _csv_safe_value(value: Any) -> Any:
    return csv_safe_text(value) if isinstance(value, str) else value


def csv_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells are :func:`csv_safe_text`."""
    safe = frame.copy()
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]) and not (
            pd.api.types.is_datetime64_any_dtype(safe[column])
        ):
            safe[column] = safe[column].map(_csv_safe_value)
    return safe


TABLE_DESCRIPTION_KEY = "description"
COLUMN_DESCRIPTION_PREFIX = "description:"


def parquet_descriptions(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> dict[str, str]:
    """The Parquet key-value metadata of a table: its comment and its columns' comments."""
    found: dict[str, str] = {}
    table_comment = con.execute(
        "select comment from duckdb_tables() where database_name = current_database() "
        "and schema_name = ? and table_name = ?",
        [schema, table],
    ).fetchone()
    if table_comment and table_comment[0]:
        found[TABLE_DESCRIPTION_KEY] = table_comment[0]
    for column, comment in con.execute(
        "select column_name, comment from duckdb_columns() where database_name = "
        "current_database() and schema_name = ? and table_name = ? and comment is not null "
        "and comment <> '' order by column_index",
        [schema, table],
    ).fetchall():
        found[COLUMN_DESCRIPTION_PREFIX + column] = comment
    return found


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def parquet_copy_options(metadata: dict[str, str]) -> str:
    """COPY options for a Parquet file with ``metadata`` as its key-value metadata."""
    if not metadata:
        return "format parquet"
    pairs = ", ".join(f"{_sql_text(key)}: {_sql_text(value)}" for key, value in metadata.items())
    return f"format parquet, kv_metadata {{{pairs}}}"


def export_duckdb1_copy(warehouse: Path, target: Path) -> Path:
    """A copy of the whole warehouse in a storage format DuckDB 1.x opens."""
    target.unlink(missing_ok=True)
    with duckdb.connect() as con:
        con.execute("attach ? as live (read_only)", [str(warehouse)])
        con.execute(f"attach ? as copy_v1 (storage_version '{DUCKDB1_STORAGE}')", [str(target)])
        con.execute("copy from database live to copy_v1")
    return target


def is_analyst_table(schema: str, table: str) -> bool:
    """Exported, in the workbook and published: the marts and quality tables, except the
    reporting models and the per-family evaluations (rule_evaluations holds every row)."""
    return schema in EXPORTED_SCHEMAS and not table.startswith(
        (REPORTING_PREFIX, FAMILY_EVALUATION_PREFIX)
    )


def analyst_tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(schema, table) of every analyst table, in schema and name order."""
    rows = con.execute(
        """
        select table_schema, table_name from information_schema.tables
        where table_catalog = current_database() and table_schema in ('marts', 'quality')
        order by table_schema, table_name
        """
    ).fetchall()
    return [(schema, table) for schema, table in rows if is_analyst_table(schema, table)]


def column_labels(project_dir: Path, manifest: Path | None = None) -> dict[str, dict[str, str]]:
    """Vietnamese column labels (dbt column meta.label_vi) through cchc.manifest."""
    from cchc.manifest import load_project

    return load_project(project_dir, manifest).labels("vi")


def export_warehouse(
    warehouse: Path, exports_dir: Path, *, project_dir: Path, manifest: Path | None = None
) -> ExportSummary:
    from cchc.forms import write_form_workbooks
    from cchc.workbooks import write_officer_workbook

    parquet_dir = exports_dir / "parquet"
    csv_dir = exports_dir / "csv"
    for folder in (parquet_dir, csv_dir):
        folder.mkdir(parents=True, exist_ok=True)
    names: list[str] = []
    total = 0
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for schema, table in analyst_tables(con):
            name = f"{schema}.{table}"
            relation = f'"{schema}"."{table}"'
            options = parquet_copy_options(parquet_descriptions(con, schema, table))
            con.execute(
                f"copy (select * from {relation}) to ? ({options})",
                [str(parquet_dir / f"{name}.parquet")],
            )
            frame = con.execute(f"select * from {relation}").df()
            csv_safe_frame(frame).to_csv(csv_dir / f"{name}.csv", index=False, encoding="utf-8-sig")
            names.append(name)
            total += len(frame)
    workbook = exports_dir / "cchc_marts.xlsx"
    write_officer_workbook(warehouse, workbook, column_labels=column_labels(project_dir, manifest))
    forms = write_form_workbooks(warehouse, exports_dir)
    copy = export_duckdb1_copy(warehouse, exports_dir / "cchc_duckdb1.duckdb")
    return ExportSummary(
        tables=tuple(names),
        rows=total,
        workbook=workbook,
        duckdb1_copy=copy,
        forms=tuple(forms),
    )
