"""The raw tables, declared once: from the records Python writes.

Each table's columns are the fields of its record dataclasses, in order, typed by their
annotations (``str`` → varchar, ``int`` → integer, ``bool`` → boolean, ``datetime`` →
timestamp, ``Annotated[..., SqlType(...)]`` → that type; ``X | None`` is nullable,
anything else not null; ``Found[T]`` of DocumentMeta gives a column of T and its
``<name>_found_by``). The loader creates the tables from this declaration, and
tests/python/test_raw_contract.py checks dbt's sources against it.

To print the ``columns:`` that models/staging/raw/_raw__sources.yml must list (with
the descriptions it already has; a new column says ``TODO: describe``), and paste them:

    .venv/bin/python -m ingest.raw_tables [TABLE ...]
"""

from __future__ import annotations

import json
import sys
import types
from dataclasses import dataclass, fields
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin, get_type_hints

from ingest.model import DocumentMeta, Found, NarrativeFact, SqlType
from ingest.records import (
    AppendixRowRecord,
    DocumentEvidenceRecord,
    DocumentFileRecord,
    DocumentLoadRecord,
    DocumentSightingRecord,
    IngestErrorRecord,
    IngestRunRecord,
    NarrativeFactKey,
    TextFlags,
)

SCHEMA = "raw"
_PLAIN_TYPES: dict[Any, str] = {
    str: "varchar",
    int: "integer",
    bool: "boolean",
    float: "double",
    datetime: "timestamp",
    date: "date",
}


class UndeclaredTypeError(TypeError):
    """A record field whose annotation has no raw column type."""


@dataclass(frozen=True)
class Column:
    name: str
    sql_type: str
    nullable: bool

    def ddl(self) -> str:
        return f"{self.name} {self.sql_type}" + ("" if self.nullable else " not null")


@dataclass(frozen=True)
class RawTable:
    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()

    @property
    def qualified_name(self) -> str:
        return f"{SCHEMA}.{self.name}"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def ddl(self) -> str:
        lines = [c.ddl() for c in self.columns]
        if self.primary_key:
            lines.append(f"primary key ({', '.join(self.primary_key)})")
        body = ",\n    ".join(lines)
        return f"create table if not exists {self.qualified_name} (\n    {body}\n);"


def _sql_type(owner: str, name: str, hint: Any) -> tuple[str, bool]:
    """(SQL type, nullable) of one annotation."""
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        inner = [a for a in get_args(hint) if a is not type(None)]
        if len(inner) != 1:
            raise UndeclaredTypeError(f"{owner}.{name}: a union other than `X | None`")
        return _sql_type(owner, name, inner[0])[0], True
    if origin is Annotated:
        declared = [m for m in hint.__metadata__ if isinstance(m, SqlType)]
        if declared:
            return declared[0].name, False
        return _sql_type(owner, name, get_args(hint)[0])
    if origin is Literal:
        return _sql_type(owner, name, type(get_args(hint)[0]))
    if hint in _PLAIN_TYPES:
        return _PLAIN_TYPES[hint], False
    raise UndeclaredTypeError(
        f"{owner}.{name}: no raw column type for {hint!r}; use str, int, bool, datetime or "
        "Annotated[..., SqlType('…')] (ingest.model)"
    )


def columns_of(record: type) -> tuple[Column, ...]:
    """The columns of a record dataclass, in field order."""
    hints = get_type_hints(record, include_extras=True)
    columns = []
    for f in fields(record):
        sql_type, nullable = _sql_type(record.__name__, f.name, hints[f.name])
        columns.append(Column(f.name, sql_type, nullable))
    return tuple(columns)


def meta_columns() -> tuple[Column, ...]:
    """Each DocumentMeta field ``Found[T]``: a nullable column of T and how it was found."""
    hints = get_type_hints(DocumentMeta, include_extras=True)
    columns = []
    for name in DocumentMeta.field_names():
        hint = hints[name]
        if get_origin(hint) is not Found:
            raise UndeclaredTypeError(f"DocumentMeta.{name}: expected Found[...], got {hint!r}")
        sql_type, _ = _sql_type("DocumentMeta", name, get_args(hint)[0])
        columns += [Column(name, sql_type, True), Column(f"{name}_found_by", "varchar", True)]
    return tuple(columns)


DOCUMENTS = RawTable(
    "documents",
    (
        *columns_of(DocumentFileRecord),
        *meta_columns(),
        *columns_of(DocumentEvidenceRecord),
        *columns_of(DocumentLoadRecord),
    ),
    ("document_id",),
)
APPENDIX_ROWS = RawTable(
    "appendix_rows",
    columns_of(AppendixRowRecord),
    ("document_id", "table_no", "row_no", "value_column_no"),
)
NARRATIVE_FACTS = RawTable(
    "narrative_facts",
    (*columns_of(NarrativeFactKey), *columns_of(NarrativeFact), *columns_of(TextFlags)),
    ("document_id", "fact_no"),
)
INGEST_ERRORS = RawTable("ingest_errors", columns_of(IngestErrorRecord))
INGEST_RUNS = RawTable("ingest_runs", columns_of(IngestRunRecord), ("ingest_run_id",))
DOCUMENT_SIGHTINGS = RawTable(
    "document_sightings", columns_of(DocumentSightingRecord), ("ingest_run_id", "file_path")
)

RAW_TABLES: tuple[RawTable, ...] = (
    INGEST_RUNS,
    DOCUMENTS,
    APPENDIX_ROWS,
    NARRATIVE_FACTS,
    INGEST_ERRORS,
    DOCUMENT_SIGHTINGS,
)


def ddl() -> str:
    """The whole raw schema, for ``create … if not exists``."""
    return "\n".join([f"create schema if not exists {SCHEMA};", *(t.ddl() for t in RAW_TABLES)])


SOURCES_YML = (
    Path(__file__).resolve().parents[1] / "models" / "staging" / "raw" / "_raw__sources.yml"
)


def sources_columns_yaml(table: RawTable, described: dict[str, str]) -> str:
    """The ``columns:`` block of one table in _raw__sources.yml; a column without a
    description yet gets ``TODO: describe`` (the contract test refuses it until written)."""
    lines = [f"      - name: {table.name}", "        columns:"]
    for column in table.columns:
        description = described.get(column.name, "TODO: describe")
        lines += [
            f"          - name: {column.name}",
            f"            data_type: {column.sql_type}",
            f"            description: {json.dumps(description, ensure_ascii=False)}",
        ]
    return "\n".join(lines)


def _descriptions(table_name: str) -> dict[str, str]:
    import yaml  # only for this command (dbt brings it)

    if not SOURCES_YML.exists():
        return {}
    document = yaml.safe_load(SOURCES_YML.read_text(encoding="utf-8"))
    for source in document.get("sources", []):
        for table in source.get("tables", []):
            if table["name"] == table_name:
                return {c["name"]: c.get("description", "") for c in table.get("columns", [])}
    return {}


def main(argv: list[str]) -> int:
    wanted = set(argv)
    for table in RAW_TABLES:
        if not wanted or table.name in wanted:
            print(sources_columns_yaml(table, _descriptions(table.name)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
