"""A Document as the rows of the raw tables (pure: no I/O).

The record dataclasses here (with ``DocumentMeta`` and ``NarrativeFact`` of
ingest.model) are the one declaration of the raw tables: ingest.raw_tables turns them
into the DDL, and tests/python/test_raw_contract.py checks dbt's sources
(models/staging/raw/_raw__sources.yml) against them. Add a column by adding a field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from typing import Annotated, Any

from ingest.evidence import candidates_json, conflicts_json
from ingest.metadata import document_scope
from ingest.model import (
    Document,
    IsoDate,
    ReadMethod,
    Scope,
    SqlType,
    Table,
    TableRow,
    ValueCell,
)
from ingest.windows import find_window

BigInt = Annotated[int, SqlType("bigint")]
JsonText = Annotated[str, SqlType("json")]

#: The control characters a report may hold and nothing downstream wants: C0 controls
#: except tab and line feed, and DEL. Raw keeps them as written and flags the row
#: (``has_control_chars``); staging removes exactly these (macros/strip_control_chars.sql
#: holds the same class; tests/python/test_control_chars.py checks they agree).
CONTROL_CHARS_CLASS = r"[\x00-\x08\x0B-\x1F\x7F]"
CONTROL_CHARS = re.compile(CONTROL_CHARS_CLASS)


def has_control_chars(values: Iterable[object]) -> bool:
    """True if any of the text values holds a control character (CONTROL_CHARS)."""
    return any(isinstance(v, str) and CONTROL_CHARS.search(v) for v in values)


def table_source_ref(table_no: int, row_no: int, value_column_no: int) -> str:
    """Where a value cell is in its document: part of the fact key (source_ref)."""
    return f"table {table_no} row {row_no} col {value_column_no}"


def fact_source_ref(fact_no: int) -> str:
    """Where a stated figure is in its document: part of the fact key (source_ref)."""
    return f"fact {fact_no}"


@dataclass(frozen=True)
class DocumentFileRecord:
    """raw.documents, the columns before the metadata: the file itself."""

    document_id: str  # SHA-256 of the bytes
    file_path: str
    file_format: str
    file_size_bytes: BigInt
    has_control_chars: bool  # a metadata text holds a control character (CONTROL_CHARS)
    # where the bytes are kept beside the warehouse (ingest.archive), relative to the
    # warehouse's folder; null for documents loaded before the archive existed
    archive_path: str | None


@dataclass(frozen=True)
class DocumentEvidenceRecord:
    """raw.documents, after the metadata: how sure each placement is (ingest.evidence).
    A confidence is the winning value's combined weight less half its best rival's
    (0-1; 1 for a manifest line); conflicts are the places that stated another value,
    a JSON array of {value, found_by, weight, text, note}; null where none disagrees.
    Null for documents loaded before ingest weighed its evidence."""

    agency_name_confidence: float | None
    agency_name_conflicts: JsonText | None
    province_name_confidence: float | None
    province_name_conflicts: JsonText | None
    period_confidence: float | None
    period_conflicts: JsonText | None
    # a former province the report names ("thuộc tỉnh X (cũ)"), never its own province
    former_province_name: str | None
    # every candidate of every field, a JSON array of {field, value, found_by, weight, text}
    metadata_candidates: JsonText | None


@dataclass(frozen=True)
class DocumentLoadRecord:
    """raw.documents, the columns after the metadata: the load."""

    ingest_run_id: str
    ingested_at: datetime
    # the reading code that produced this document's rows (ingest.reader_version) and
    # when it read them: a re-read replaces the rows, ingested_at stays the first load
    reader_version: int | None
    read_at: datetime | None


@dataclass(frozen=True)
class DocumentSightingRecord:
    """raw.document_sightings: one file found in one run's scan of the reports folder
    (whether or not it was new), so dbt can tell which documents left the folder."""

    ingest_run_id: str
    file_path: str
    document_id: str
    seen_at: datetime


@dataclass(frozen=True)
class AppendixRowRecord:
    """raw.appendix_rows: one value cell of a table row (lists: one row)."""

    document_id: str
    source_ref: str
    appendix_no: str | None
    appendix_title: str | None
    table_caption: str | None
    table_no: int
    table_kind: str
    row_no: int
    value_column_no: int
    source_line: str
    stt: str | None
    parent_stt: str | None
    parent_row_no: int | None
    depth: int
    indicator_text: str | None
    unit_text: str | None
    value_column: str | None
    value_text: str | None
    note_text: str | None
    is_bold: bool
    is_italic: bool
    is_continuation_merged: bool
    scope: Scope
    window_text: str | None
    window_start: IsoDate | None
    window_end: IsoDate | None
    extra_cells: JsonText | None
    has_control_chars: bool  # a text of the row holds one (CONTROL_CHARS)
    # how the value was read ('text', or 'ocr' from a scan) and, for OCR, the
    # confidence 0-100 of its least sure word (null: no word was read in the cell)
    read_method: ReadMethod = "text"
    ocr_confidence: float | None = None
    # the census (ingest.cells): what value_text is as written (number, percent,
    # number_with_unit, code_word — figures — or stt, year, date, document_number,
    # legal_reference, phone, page, text); null for an empty cell
    value_kind: str | None = None
    # the kind of each cell of extra_cells, by the same names (the row's cells outside
    # its value columns, so a figure there is seen, not lost)
    extra_cell_kinds: JsonText | None = None


@dataclass(frozen=True)
class NarrativeFactKey:
    """raw.narrative_facts, the columns before the NarrativeFact's own fields."""

    document_id: str
    source_ref: str
    fact_no: int
    scope: Scope


@dataclass(frozen=True)
class TextFlags:
    """raw.narrative_facts, the columns after the NarrativeFact's own fields."""

    has_control_chars: bool  # a text of the fact holds one (CONTROL_CHARS)


@dataclass(frozen=True)
class IngestErrorRecord:
    """raw.ingest_errors: one problem ingest met."""

    ingest_run_id: str
    file_path: str
    document_id: str | None
    error_kind: str
    severity: str
    location: str
    expected: str
    what_to_do: str
    recorded_at: datetime


@dataclass(frozen=True)
class IngestRunRecord:
    """raw.ingest_runs: one ``cchc ingest`` run (counts filled when it finishes)."""

    ingest_run_id: str
    reports_dir: str
    started_at: datetime
    finished_at: datetime | None
    status: str
    files_seen: int | None
    documents_loaded: int | None
    documents_unchanged: int | None
    files_failed: int | None
    appendix_rows_loaded: int | None
    narrative_facts_loaded: int | None
    # null for runs before sightings and re-reading existed
    files_sighted: int | None
    documents_reread: int | None


def document_record(doc: Document) -> dict[str, Any]:
    """The metadata columns of raw.documents (and file_path, file_format); the loader
    adds document_id, file_size_bytes, archive_path, ingest_run_id, ingested_at,
    reader_version and read_at."""
    record: dict[str, Any] = {"file_path": doc.file_path, "file_format": doc.file_format}
    for name in doc.meta.field_names():
        found = getattr(doc.meta, name)
        record[name] = found.value
        record[f"{name}_found_by"] = found.how if found.value is not None else None
    meta = [getattr(doc.meta, name).value for name in doc.meta.field_names()]
    record["has_control_chars"] = has_control_chars(meta)
    return record | evidence_record(doc)


def evidence_record(doc: Document) -> dict[str, Any]:
    """The DocumentEvidenceRecord columns of a document."""
    evidence = doc.evidence
    record: dict[str, Any] = {}
    for name in ("agency_name", "province_name", "period"):
        decision = evidence.get(name)
        record[f"{name}_confidence"] = decision.confidence if decision else None
        record[f"{name}_conflicts"] = conflicts_json(decision)
    former = evidence.get("former_province_name")
    record["former_province_name"] = str(former.value) if former else None
    record["metadata_candidates"] = candidates_json(evidence.candidates)
    return record


def _row_window(table: Table, row: TableRow) -> tuple[str | None, str | None, str | None]:
    for text in (row.note_text, row.indicator_text, table.caption or ""):
        window = find_window(text)
        if window:
            return window.text, window.start, window.end
    return None, None, None


def _appendix_row(
    document_id: str, table: Table, row: TableRow, number: int, cell: ValueCell | None
) -> AppendixRowRecord:
    column, text = (cell.column, cell.text) if cell is not None else (None, "")
    window_text, window_start, window_end = _row_window(table, row)
    record = AppendixRowRecord(
        document_id=document_id,
        source_ref=table_source_ref(table.table_no, row.row_no, number),
        appendix_no=table.appendix_no,
        appendix_title=table.appendix_title,
        table_caption=table.caption,
        table_no=table.table_no,
        table_kind=table.table_kind,
        row_no=row.row_no,
        value_column_no=number,
        source_line=row.source_line,
        stt=row.stt or None,
        parent_stt=row.parent_stt,
        parent_row_no=row.parent_row_no,
        depth=row.depth,
        indicator_text=row.indicator_text or None,
        unit_text=row.unit_text or None,
        value_column=column,
        value_text=text or None,
        note_text=row.note_text or None,
        is_bold=row.is_bold,
        is_italic=row.is_italic,
        is_continuation_merged=row.is_continuation_merged,
        scope=row.scope,
        window_text=window_text,
        window_start=window_start,
        window_end=window_end,
        extra_cells=json.dumps(row.extra_cells, ensure_ascii=False) if row.extra_cells else None,
        has_control_chars=False,  # set below, from every text of the record
        read_method=cell.read_method if cell is not None else "text",
        ocr_confidence=cell.ocr_confidence if cell is not None else None,
        value_kind=cell.kind if cell is not None else None,
        extra_cell_kinds=json.dumps(row.extra_kinds, ensure_ascii=False)
        if row.extra_kinds
        else None,
    )
    texts = [*asdict(record).values(), *row.extra_cells.keys(), *row.extra_cells.values()]
    return replace(record, has_control_chars=has_control_chars(texts))


def appendix_records(doc: Document, document_id: str) -> list[dict[str, Any]]:
    """One record per value cell (one per row for lists and rows of an indicator table
    without value cells: value_column_no 0)."""
    records = []
    for table in doc.tables:
        for row in table.rows:
            cells = row.values or ()
            if not cells:
                records.append(_appendix_row(document_id, table, row, 0, None))
            for number, cell in enumerate(cells, start=1):
                records.append(_appendix_row(document_id, table, row, number, cell))
    return [asdict(r) for r in records]


def narrative_records(doc: Document, document_id: str) -> list[dict[str, Any]]:
    """One record per stated figure or target: its key, its scope, then every field of
    the NarrativeFact as it is."""
    scope = document_scope(doc.meta)
    return [
        asdict(
            NarrativeFactKey(
                document_id=document_id,
                source_ref=fact_source_ref(number),
                fact_no=number,
                scope="province" if scope == "province" else fact.stated_scope or scope,
            )
        )
        | asdict(fact)
        | asdict(TextFlags(has_control_chars=has_control_chars(asdict(fact).values())))
        for number, fact in enumerate(doc.narrative, start=1)
    ]
