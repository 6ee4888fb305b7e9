"""Writing the raw schema. The only ingest module that touches DuckDB.

Loading is idempotent: a document is identified by the SHA-256 of its bytes, and the
same bytes twice add nothing. Every version of a report is kept; which one is current
is decided in dbt (int_documents_placed), not here. The tables are the ones
ingest.raw_tables declares.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import astuple, dataclass
from datetime import datetime
from typing import Any

import duckdb
import pandas as pd

from ingest.raw_tables import (
    APPENDIX_ROWS,
    DOCUMENT_SIGHTINGS,
    DOCUMENTS,
    INGEST_ERRORS,
    INGEST_RUNS,
    NARRATIVE_FACTS,
    RAW_TABLES,
    RawTable,
    ddl,
)
from ingest.records import (
    DocumentSightingRecord,
    IngestErrorRecord,
    fact_source_ref,
    table_source_ref,
)


class RecordMismatchError(ValueError):
    """A record whose fields are not its raw table's columns (a programming error)."""


def _existing_columns(con: duckdb.DuckDBPyConnection, table: RawTable) -> list[str]:
    return [
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = ? and table_name = ? order by ordinal_position",
            [table.qualified_name.split(".")[0], table.name],
        ).fetchall()
    ]


def _backfill_source_refs(con: duckdb.DuckDBPyConnection) -> None:
    """Rows loaded before raw tables had source_ref get it from the same functions."""
    keys = con.execute(
        "select document_id, table_no, row_no, value_column_no from raw.appendix_rows "
        "where source_ref is null"
    ).fetchall()
    if keys:
        refs = pd.DataFrame(  # noqa: F841 (read by SQL)
            [(d, t, r, c, table_source_ref(t, r, c)) for d, t, r, c in keys],
            columns=["document_id", "table_no", "row_no", "value_column_no", "source_ref"],
        )
        con.execute(
            "update raw.appendix_rows as a set source_ref = refs.source_ref from refs "
            "where a.document_id = refs.document_id and a.table_no = refs.table_no "
            "and a.row_no = refs.row_no and a.value_column_no = refs.value_column_no"
        )
    facts = con.execute(
        "select document_id, fact_no from raw.narrative_facts where source_ref is null"
    ).fetchall()
    if facts:
        fact_refs = pd.DataFrame(  # noqa: F841 (read by SQL)
            [(d, n, fact_source_ref(n)) for d, n in facts],
            columns=["document_id", "fact_no", "source_ref"],
        )
        con.execute(
            "update raw.narrative_facts as f set source_ref = fact_refs.source_ref "
            "from fact_refs where f.document_id = fact_refs.document_id "
            "and f.fact_no = fact_refs.fact_no"
        )


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw tables; bring a warehouse written by an older ingest up to the
    declared columns (a new column is added, nullable; source_ref is filled in)."""
    con.execute(ddl())
    for table in RAW_TABLES:
        existing = _existing_columns(con, table)
        for column in table.columns:
            if column.name not in existing:
                con.execute(
                    f"alter table {table.qualified_name} add column {column.name} {column.sql_type}"
                )
    _backfill_source_refs(con)


@dataclass(frozen=True)
class LoadedDocument:
    """What ingest needs to know of a document already loaded."""

    file_path: str
    archive_path: str | None
    reader_version: int | None
    ingest_run_id: str
    ingested_at: datetime


def loaded_documents(con: duckdb.DuckDBPyConnection) -> dict[str, LoadedDocument]:
    rows = con.execute(
        "select document_id, file_path, archive_path, reader_version, ingest_run_id, "
        "ingested_at from raw.documents"
    ).fetchall()
    return {row[0]: LoadedDocument(*row[1:]) for row in rows}


def _insert(
    con: duckdb.DuckDBPyConnection, table: RawTable, rows: Sequence[dict[str, Any]]
) -> None:
    """One INSERT of every record (a batch of documents' rows: one DataFrame, not one per
    document)."""
    if not rows:
        return
    columns = table.column_names
    expected = set(columns)
    for row in rows:
        if row.keys() != expected:
            missing = sorted(set(columns) - set(row))
            extra = sorted(set(row) - set(columns))
            raise RecordMismatchError(
                f"{table.qualified_name}: a record does not match the table's columns "
                f"(missing {missing}, not declared {extra}); declare the field in "
                "ingest/records.py or ingest/model.py, which ingest.raw_tables reads"
            )
    frame = pd.DataFrame.from_records(rows, columns=list(columns))  # noqa: F841 (read by SQL)
    column_list = ", ".join(columns)
    con.execute(
        f"insert into {table.qualified_name} ({column_list}) select {column_list} from frame"
    )


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Everything inside is committed together, or rolled back and the error raised."""
    con.execute("begin transaction")
    try:
        yield
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")


@dataclass(frozen=True)
class DocumentRows:
    """One document's records, as ingest stores them."""

    document: dict[str, Any]
    appendix_rows: Sequence[dict[str, Any]]
    narrative_facts: Sequence[dict[str, Any]]


def load_documents(con: duckdb.DuckDBPyConnection, documents: Sequence[DocumentRows]) -> None:
    """Insert documents and all their rows in one transaction: one INSERT per table for
    the whole batch. Nothing is inserted when any of them fails."""
    with _transaction(con):
        _insert(con, DOCUMENTS, [d.document for d in documents])
        _insert(con, APPENDIX_ROWS, [r for d in documents for r in d.appendix_rows])
        _insert(con, NARRATIVE_FACTS, [f for d in documents for f in d.narrative_facts])


def load_document(
    con: duckdb.DuckDBPyConnection,
    *,
    document: dict[str, Any],
    appendix_rows: Sequence[dict[str, Any]],
    narrative_facts: Sequence[dict[str, Any]],
) -> None:
    """Insert one document and its rows in one transaction."""
    load_documents(con, [DocumentRows(document, appendix_rows, narrative_facts)])


def replace_document(
    con: duckdb.DuckDBPyConnection,
    *,
    document: dict[str, Any],
    appendix_rows: Sequence[dict[str, Any]],
    narrative_facts: Sequence[dict[str, Any]],
) -> None:
    """A re-read: the document's row and all its rows replaced, in one transaction (the
    same document_id: not a new version)."""
    document_id = document["document_id"]
    with _transaction(con):
        for table in (NARRATIVE_FACTS, APPENDIX_ROWS):
            con.execute(f"delete from {table.qualified_name} where document_id = ?", [document_id])
        columns = [c for c in DOCUMENTS.column_names if c != "document_id"]
        if set(document) != set(DOCUMENTS.column_names):
            raise RecordMismatchError(
                f"{DOCUMENTS.qualified_name}: a re-read record does not match the table's "
                f"columns ({sorted(set(document) ^ set(DOCUMENTS.column_names))})"
            )
        con.execute(
            f"update {DOCUMENTS.qualified_name} set "
            + ", ".join(f"{c} = ?" for c in columns)
            + " where document_id = ?",
            [document[c] for c in columns] + [document_id],
        )
        _insert(con, APPENDIX_ROWS, appendix_rows)
        _insert(con, NARRATIVE_FACTS, narrative_facts)


def _insert_records(
    con: duckdb.DuckDBPyConnection, table: RawTable, records: Sequence[Any], verb: str = "insert"
) -> None:
    if not records:
        return
    columns = list(table.column_names)
    frame = pd.DataFrame([astuple(r) for r in records], columns=columns)  # noqa: F841
    column_list = ", ".join(columns)
    con.execute(
        f"{verb} into {table.qualified_name} ({column_list}) select {column_list} from frame"
    )


def record_sightings(
    con: duckdb.DuckDBPyConnection, records: Sequence[DocumentSightingRecord]
) -> None:
    """Files found by this run's folder scan, in one INSERT (a path twice: once)."""
    unique = list({(r.ingest_run_id, r.file_path): r for r in records}.values())
    _insert_records(con, DOCUMENT_SIGHTINGS, unique, "insert or ignore")


def record_errors(con: duckdb.DuckDBPyConnection, records: Sequence[IngestErrorRecord]) -> None:
    """ingest_errors rows, in one INSERT."""
    _insert_records(con, INGEST_ERRORS, records)


def record_sighting(
    con: duckdb.DuckDBPyConnection, run_id: str, file_path: str, document_id: str, at: datetime
) -> None:
    """One file found by this run's folder scan (the same path twice in a run: once)."""
    record = DocumentSightingRecord(
        ingest_run_id=run_id, file_path=file_path, document_id=document_id, seen_at=at
    )
    columns = DOCUMENT_SIGHTINGS.column_names
    con.execute(
        f"insert or ignore into {DOCUMENT_SIGHTINGS.qualified_name} ({', '.join(columns)}) "
        f"values ({', '.join('?' for _ in columns)})",
        list(astuple(record)),
    )


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
    record = IngestErrorRecord(
        ingest_run_id=run_id,
        file_path=file_path,
        document_id=document_id,
        error_kind=error_kind,
        severity=severity,
        location=location,
        expected=expected,
        what_to_do=what_to_do,
        recorded_at=at,
    )
    columns = INGEST_ERRORS.column_names
    con.execute(
        f"insert into {INGEST_ERRORS.qualified_name} ({', '.join(columns)}) "
        f"values ({', '.join('?' for _ in columns)})",
        list(astuple(record)),
    )


def start_run(con: duckdb.DuckDBPyConnection, run_id: str, reports_dir: str, at: datetime) -> None:
    con.execute(
        f"insert into {INGEST_RUNS.qualified_name} "
        "(ingest_run_id, reports_dir, started_at, status) "
        "values (?, ?, ?, 'running')",
        [run_id, reports_dir, at],
    )


def finish_run(
    con: duckdb.DuckDBPyConnection, run_id: str, at: datetime, counts: dict[str, int], status: str
) -> None:
    con.execute(
        f"""
        update {INGEST_RUNS.qualified_name} set finished_at = ?, status = ?, files_seen = ?,
            documents_loaded = ?, documents_unchanged = ?, files_failed = ?,
            appendix_rows_loaded = ?, narrative_facts_loaded = ?, files_sighted = ?,
            documents_reread = ?
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
            counts.get("files_sighted"),
            counts.get("documents_reread"),
            run_id,
        ],
    )
