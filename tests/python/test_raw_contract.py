"""One border contract: the raw tables are declared once, by the records ingest writes
(ingest/raw_tables.py), and dbt's sources list exactly those tables and columns."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
import yaml

from ingest import load
from ingest.document import read_document
from ingest.model import IsoDate
from ingest.raw_tables import RAW_TABLES, UndeclaredTypeError, columns_of
from ingest.records import appendix_records, document_record, narrative_records
from ingest.reference import load_reference

ROOT = Path(__file__).resolve().parents[2]
SOURCES_YML = ROOT / "models" / "staging" / "raw" / "_raw__sources.yml"
SAMPLE = ROOT / "data" / "reports" / "002_04942a727d49f9a1.txt"


def _source_tables() -> dict[str, list[dict]]:
    document = yaml.safe_load(SOURCES_YML.read_text(encoding="utf-8"))
    [raw] = [s for s in document["sources"] if s["name"] == "raw"]
    return {t["name"]: t.get("columns", []) for t in raw["tables"]}


def test_the_sources_declare_exactly_the_raw_tables() -> None:
    assert sorted(_source_tables()) == sorted(t.name for t in RAW_TABLES)


@pytest.mark.parametrize("table", RAW_TABLES, ids=[t.name for t in RAW_TABLES])
def test_the_sources_list_every_column_in_order_with_its_type(table) -> None:
    listed = [(c["name"], c.get("data_type")) for c in _source_tables()[table.name]]
    declared = [(c.name, c.sql_type) for c in table.columns]
    assert listed == declared, (
        f"{SOURCES_YML.relative_to(ROOT)}, source table raw.{table.name}: the columns differ "
        f"from what ingest writes — run `.venv/bin/python -m ingest.raw_tables {table.name}` "
        "and copy its columns (with descriptions) into the YAML"
    )
    undescribed = [
        c["name"]
        for c in _source_tables()[table.name]
        if not c.get("description") or c["description"].startswith("TODO")
    ]
    assert undescribed == []


def test_the_printed_columns_are_what_the_check_wants(capsys) -> None:
    from ingest import raw_tables

    assert raw_tables.main(["narrative_facts"]) == 0
    printed = yaml.safe_load("tables:\n" + capsys.readouterr().out)["tables"]
    [table] = printed
    assert [(c["name"], c["data_type"]) for c in table["columns"]] == [
        (c.name, c.sql_type) for c in raw_tables.NARRATIVE_FACTS.columns
    ]
    assert [c["description"] for c in table["columns"]] == [
        c["description"] for c in _source_tables()["narrative_facts"]
    ]


def test_the_ddl_creates_the_declared_columns() -> None:
    with duckdb.connect() as con:
        load.ensure_schema(con)
        for table in RAW_TABLES:
            found = con.execute(
                "select column_name, lower(data_type), is_nullable = 'YES' "
                "from information_schema.columns where table_schema = 'raw' and table_name = ? "
                "order by ordinal_position",
                [table.name],
            ).fetchall()
            assert found == [(c.name, c.sql_type, c.nullable) for c in table.columns]


def test_the_records_ingest_writes_have_the_declared_columns() -> None:
    reference = load_reference(ROOT / "seeds")
    with SAMPLE.open("rb") as fp:
        doc = read_document(fp, source_name=SAMPLE.name, reference=reference)
    by_name = {t.name: t.column_names for t in RAW_TABLES}
    rows = appendix_records(doc, "d")
    facts = narrative_records(doc, "d")
    assert rows and facts
    assert all(tuple(r) == by_name["appendix_rows"] for r in rows)
    assert all(tuple(f) == by_name["narrative_facts"] for f in facts)
    loaded_by = {
        "document_id",
        "file_size_bytes",
        "archive_path",
        "ingest_run_id",
        "ingested_at",
        "reader_version",
        "read_at",
    }
    assert set(document_record(doc)) | loaded_by == set(by_name["documents"])


def test_ingest_writes_the_source_ref_of_the_fact_key() -> None:
    reference = load_reference(ROOT / "seeds")
    with SAMPLE.open("rb") as fp:
        doc = read_document(fp, source_name=SAMPLE.name, reference=reference)
    for row in appendix_records(doc, "d"):
        expected = f"table {row['table_no']} row {row['row_no']} col {row['value_column_no']}"
        assert row["source_ref"] == expected
    for fact in narrative_records(doc, "d"):
        assert fact["source_ref"] == f"fact {fact['fact_no']}"


def test_a_new_field_of_a_record_becomes_a_column() -> None:
    @dataclass(frozen=True)
    class Extended:
        document_id: str
        breakdown_of_fact_no: int | None
        stated_on: IsoDate | None

    assert [(c.name, c.sql_type, c.nullable) for c in columns_of(Extended)] == [
        ("document_id", "varchar", False),
        ("breakdown_of_fact_no", "integer", True),
        ("stated_on", "date", True),
    ]


def test_a_field_without_a_column_type_is_refused() -> None:
    @dataclass(frozen=True)
    class Odd:
        cells: list[str]

    with pytest.raises(UndeclaredTypeError, match=r"Odd\.cells"):
        columns_of(Odd)


def test_a_record_that_does_not_match_its_table_is_refused() -> None:
    with duckdb.connect() as con:
        load.ensure_schema(con)
        with pytest.raises(load.RecordMismatchError, match=r"raw\.documents.*missing"):
            load.load_document(
                con, document={"document_id": "d"}, appendix_rows=[], narrative_facts=[]
            )
        assert con.execute("select count(*) from raw.documents").fetchall() == [(0,)]


def test_an_older_warehouse_gets_the_new_columns_and_its_source_refs(tmp_path: Path) -> None:
    warehouse = tmp_path / "old.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema raw")
        con.execute(
            "create table raw.appendix_rows (document_id varchar, table_no integer, "
            "row_no integer, value_column_no integer)"
        )
        con.execute("insert into raw.appendix_rows values ('d', 2, 14, 1)")
        con.execute("create table raw.narrative_facts (document_id varchar, fact_no integer)")
        con.execute("insert into raw.narrative_facts values ('d', 7)")
        load.ensure_schema(con)
        assert con.execute("select source_ref from raw.appendix_rows").fetchall() == [
            ("table 2 row 14 col 1",)
        ]
        assert con.execute("select source_ref from raw.narrative_facts").fetchall() == [("fact 7",)]


def test_no_model_rebuilds_source_ref() -> None:
    """source_ref is written once by ingest; SQL (models, and the GX suites' queries in
    quality/) only passes it on."""
    rebuilt = re.compile(r"'(table|fact) '\s*\|\|")
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("models", "macros", "analyses", "quality")
        for path in (ROOT / folder).rglob("*")
        if path.suffix in {".sql", ".py"}
        if any(
            "source_ref" in line or "row_no" in line or "fact_no" in line
            for line in path.read_text(encoding="utf-8").splitlines()
            if rebuilt.search(line)
        )
    ]
    assert offenders == []
