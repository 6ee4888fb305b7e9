"""Writing the raw schema. The only ingest module that touches DuckDB.

Loading is idempotent: a document is identified by the SHA-256 of its bytes, and the
same bytes twice add nothing. A new document of the same agency, period and kind
records which earlier one it supersedes; both are kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import duckdb
import pandas as pd

from ingest.records import APPENDIX_ROW_COLUMNS, NARRATIVE_COLUMNS

DDL = """
create schema if not exists raw;
create table if not exists raw.ingest_runs (
    ingest_run_id varchar primary key,
    reports_dir varchar not null,
    started_at timestamp not null,
    finished_at timestamp,
    status varchar not null,
    files_seen integer,
    documents_loaded integer,
    documents_unchanged integer,
    files_failed integer,
    appendix_rows_loaded integer,
    narrative_facts_loaded integer
);
create table if not exists raw.documents (
    document_id varchar primary key,
    file_path varchar not null,
    file_format varchar not null,
    file_size_bytes bigint not null,
    agency_name varchar, agency_name_found_by varchar,
    agency_type varchar, agency_type_found_by varchar,
    province_name varchar, province_name_found_by varchar,
    period_type varchar, period_type_found_by varchar,
    period_year integer, period_year_found_by varchar,
    period_number integer, period_number_found_by varchar,
    period_end_year integer, period_end_year_found_by varchar,
    report_number varchar, report_number_found_by varchar,
    report_date date, report_date_found_by varchar,
    document_kind varchar, document_kind_found_by varchar,
    supersedes_document_id varchar,
    ingest_run_id varchar not null,
    ingested_at timestamp not null
);
create table if not exists raw.appendix_rows (
    document_id varchar not null,
    appendix_no varchar,
    appendix_title varchar,
    table_caption varchar,
    table_no integer not null,
    table_kind varchar not null,
    row_no integer not null,
    value_column_no integer not null,
    source_line varchar not null,
    stt varchar,
    parent_stt varchar,
    parent_row_no integer,
    depth integer not null,
    indicator_text varchar,
    unit_text varchar,
    value_column varchar,
    value_text varchar,
    note_text varchar,
    is_bold boolean not null,
    is_italic boolean not null,
    is_continuation_merged boolean not null,
    scope varchar not null,
    window_text varchar,
    window_start date,
    window_end date,
    extra_cells json,
    primary key (document_id, table_no, row_no, value_column_no)
);
create table if not exists raw.narrative_facts (
    document_id varchar not null,
    fact_no integer not null,
    source_line varchar not null,
    kind varchar not null,
    scope varchar not null,
    sentence varchar not null,
    figure_text varchar not null,
    unit_text varchar,
    subject_text varchar,
    breakdown_of varchar,
    breakdown_position integer,
    whole_fact_no integer,
    window_text varchar,
    window_start date,
    window_end date,
    comparator varchar,
    target_year integer,
    section varchar,
    primary key (document_id, fact_no)
);
create table if not exists raw.ingest_errors (
    ingest_run_id varchar not null,
    file_path varchar not null,
    document_id varchar,
    error_kind varchar not null,
    severity varchar not null,
    location varchar not null,
    expected varchar not null,
    what_to_do varchar not null,
    recorded_at timestamp not null
);
"""

_SUPERSESSION_KEY = (
    "agency_name",
    "province_name",
    "period_type",
    "period_year",
    "period_number",
    "document_kind",
)


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(DDL)


def known_document_ids(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {row[0] for row in con.execute("select document_id from raw.documents").fetchall()}


def _insert(
    con: duckdb.DuckDBPyConnection,
    table: str,
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
) -> None:
    if not rows:
        return
    frame = pd.DataFrame.from_records(rows, columns=list(columns))  # noqa: F841 (read by SQL)
    column_list = ", ".join(columns)
    con.execute(f"insert into {table} ({column_list}) select {column_list} from frame")


def superseded_by_new(con: duckdb.DuckDBPyConnection, record: dict[str, Any]) -> str | None:
    """The latest earlier document of the same agency, period and kind, if any."""
    conditions = " and ".join(f"{name} is not distinct from ?" for name in _SUPERSESSION_KEY)
    found = con.execute(
        f"""
        select document_id from raw.documents
        where {conditions}
        order by report_date desc nulls last, ingested_at desc
        limit 1
        """,
        [record[name] for name in _SUPERSESSION_KEY],
    ).fetchone()
    return found[0] if found else None


def load_document(
    con: duckdb.DuckDBPyConnection,
    *,
    document: dict[str, Any],
    appendix_rows: Sequence[dict[str, Any]],
    narrative_facts: Sequence[dict[str, Any]],
) -> None:
    """Insert one document and its rows in one transaction."""
    con.execute("begin transaction")
    try:
        document = dict(document)
        document["supersedes_document_id"] = superseded_by_new(con, document)
        _insert(con, "raw.documents", [document], list(document))
        _insert(con, "raw.appendix_rows", appendix_rows, APPENDIX_ROW_COLUMNS)
        _insert(con, "raw.narrative_facts", narrative_facts, NARRATIVE_COLUMNS)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise


def record_error(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    file_path: str,
    document_id: str | None,
    error_kind: str,
    severity: str,
    location: str,
    expected: str,
    what_to_do: str,
    at: datetime,
) -> None:
    con.execute(
        "insert into raw.ingest_errors values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [run_id, file_path, document_id, error_kind, severity, location, expected, what_to_do, at],
    )


def start_run(con: duckdb.DuckDBPyConnection, run_id: str, reports_dir: str, at: datetime) -> None:
    con.execute(
        "insert into raw.ingest_runs (ingest_run_id, reports_dir, started_at, status) "
        "values (?, ?, ?, 'running')",
        [run_id, reports_dir, at],
    )


def finish_run(
    con: duckdb.DuckDBPyConnection, run_id: str, at: datetime, counts: dict[str, int], status: str
) -> None:
    con.execute(
        """
        update raw.ingest_runs set finished_at = ?, status = ?, files_seen = ?,
            documents_loaded = ?, documents_unchanged = ?, files_failed = ?,
            appendix_rows_loaded = ?, narrative_facts_loaded = ?
        where ingest_run_id = ?
        """,
        [
            at,
            status,
            counts["files_seen"],
            counts["documents_loaded"],
            counts["documents_unchanged"],
            counts["files_failed"],
            counts["appendix_rows_loaded"],
            counts["narrative_facts_loaded"],
            run_id,
        ],
    )
