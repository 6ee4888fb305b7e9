"""A Document as the rows of the raw tables (pure: no I/O).

The column lists here are the contract with dbt's sources (models/staging/raw/).
"""

from __future__ import annotations

import json
from typing import Any

from ingest.layout import sentence_scope
from ingest.model import Document, DocumentMeta, Scope, Table, TableRow
from ingest.windows import find_window

META_FIELDS = DocumentMeta.field_names()

APPENDIX_ROW_COLUMNS = (
    "document_id",
    "appendix_no",
    "appendix_title",
    "table_caption",
    "table_no",
    "table_kind",
    "row_no",
    "value_column_no",
    "source_line",
    "stt",
    "parent_stt",
    "parent_row_no",
    "depth",
    "indicator_text",
    "unit_text",
    "value_column",
    "value_text",
    "note_text",
    "is_bold",
    "is_italic",
    "is_continuation_merged",
    "scope",
    "window_text",
    "window_start",
    "window_end",
    "extra_cells",
)

NARRATIVE_COLUMNS = (
    "document_id",
    "fact_no",
    "source_line",
    "kind",
    "scope",
    "sentence",
    "figure_text",
    "unit_text",
    "subject_text",
    "breakdown_of",
    "breakdown_position",
    "whole_fact_no",
    "window_text",
    "window_start",
    "window_end",
    "comparator",
    "target_year",
    "section",
)


def document_record(doc: Document) -> dict[str, Any]:
    record: dict[str, Any] = {"file_path": doc.file_path, "file_format": doc.file_format}
    for name in META_FIELDS:
        found = getattr(doc.meta, name)
        record[name] = found.value
        record[f"{name}_found_by"] = found.how if found.value is not None else None
    return record


def _row_window(table: Table, row: TableRow) -> tuple[str | None, str | None, str | None]:
    for text in (row.note_text, row.indicator_text, table.caption or ""):
        window = find_window(text)
        if window:
            return window.text, window.start, window.end
    return None, None, None


def appendix_records(doc: Document, document_id: str) -> list[dict[str, Any]]:
    """One record per value cell (one per row for lists and rows of an indicator table)."""
    records = []
    for table in doc.tables:
        for row in table.rows:
            window_text, window_start, window_end = _row_window(table, row)
            base = {
                "document_id": document_id,
                "appendix_no": table.appendix_no,
                "appendix_title": table.appendix_title,
                "table_caption": table.caption,
                "table_no": table.table_no,
                "table_kind": table.table_kind,
                "row_no": row.row_no,
                "source_line": row.source_line,
                "stt": row.stt or None,
                "parent_stt": row.parent_stt,
                "parent_row_no": row.parent_row_no,
                "depth": row.depth,
                "indicator_text": row.indicator_text or None,
                "unit_text": row.unit_text or None,
                "note_text": row.note_text or None,
                "is_bold": row.is_bold,
                "is_italic": row.is_italic,
                "is_continuation_merged": row.is_continuation_merged,
                "scope": row.scope,
                "window_text": window_text,
                "window_start": window_start,
                "window_end": window_end,
                "extra_cells": json.dumps(row.extra_cells, ensure_ascii=False)
                if row.extra_cells
                else None,
            }
            cells = row.values or ()
            if not cells:
                records.append(
                    base | {"value_column_no": 0, "value_column": None, "value_text": None}
                )
            for number, cell in enumerate(cells, start=1):
                records.append(
                    base
                    | {
                        "value_column_no": number,
                        "value_column": cell.column,
                        "value_text": cell.text or None,
                    }
                )
    return [{name: r[name] for name in APPENDIX_ROW_COLUMNS} for r in records]


def narrative_records(doc: Document, document_id: str) -> list[dict[str, Any]]:
    document_scope: Scope = "province" if doc.meta.agency_type.value == "province" else "agency"
    return [
        {
            "document_id": document_id,
            "fact_no": number,
            "source_line": fact.source_line,
            "kind": fact.kind,
            "scope": sentence_scope(fact.sentence, document_scope),
            "sentence": fact.sentence,
            "figure_text": fact.figure_text,
            "unit_text": fact.unit_text,
            "subject_text": fact.subject_text,
            "breakdown_of": fact.breakdown_of,
            "breakdown_position": fact.breakdown_position,
            "whole_fact_no": fact.whole_fact_no,
            "window_text": fact.window_text,
            "window_start": fact.window_start,
            "window_end": fact.window_end,
            "comparator": fact.comparator,
            "target_year": fact.target_year,
            "section": fact.section,
        }
        for number, fact in enumerate(doc.narrative, start=1)
    ]
