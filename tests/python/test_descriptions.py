"""Descriptions reach analysts: the models' YAML descriptions are DuckDB comments in the
warehouse (dbt persist_docs) and key-value metadata in the Parquet exports."""

from __future__ import annotations

import json

import pyarrow.parquet as pq

from cchc.export import COLUMN_DESCRIPTION_PREFIX, TABLE_DESCRIPTION_KEY, parquet_copy_options


def _model(built, name: str) -> dict:
    nodes = json.loads(built.manifest.read_text(encoding="utf-8"))["nodes"]
    return nodes[f"model.cchc.{name}"]


def test_column_comment_is_the_yaml_description(built):
    expected = _model(built, "fct_indicator_value")["columns"]["value_numeric"]["description"]
    assert expected.strip()
    comment = built.scalar(
        "select comment from duckdb_columns() where schema_name = 'marts' "
        "and table_name = 'fct_indicator_value' and column_name = 'value_numeric'"
    )
    assert comment == expected


def test_table_comment_is_the_yaml_description(built):
    expected = _model(built, "fct_indicator_value")["description"]
    assert expected.strip()
    comment = built.scalar(
        "select comment from duckdb_tables() where schema_name = 'marts' "
        "and table_name = 'fct_indicator_value'"
    )
    assert comment == expected


def test_quality_tables_are_described(built):
    undescribed = built.query(
        "select table_name from duckdb_tables() where schema_name = 'quality' "
        "and table_name = 'rule_results' and coalesce(comment, '') = ''"
    )
    assert undescribed == []
    described_columns = built.scalar(
        "select count(*) from duckdb_columns() where schema_name = 'quality' "
        "and table_name = 'rule_results' and coalesce(comment, '') <> ''"
    )
    assert described_columns > 0


def test_parquet_export_carries_the_descriptions(built):
    model = _model(built, "fct_indicator_value")
    path = built.output_dir / "exports" / "parquet" / "marts.fct_indicator_value.parquet"
    metadata = {
        key.decode(): value.decode() for key, value in pq.read_schema(path).metadata.items()
    }
    assert metadata[TABLE_DESCRIPTION_KEY] == model["description"]
    column = model["columns"]["value_numeric"]["description"]
    assert metadata[COLUMN_DESCRIPTION_PREFIX + "value_numeric"] == column


def test_copy_options_escape_quotes():
    assert parquet_copy_options({}) == "format parquet"
    assert parquet_copy_options({"description": "it's"}) == (
        "format parquet, kv_metadata {'description': 'it''s'}"
    )
