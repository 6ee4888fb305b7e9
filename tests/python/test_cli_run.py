"""`cchc run` end to end on the bundled sample reports, through the real entry point."""

from __future__ import annotations

from pathlib import Path

from conftest import Built, build_warehouse

SCHEMAS = ("raw", "staging", "intermediate", "marts", "quality")


def test_run_populates_every_schema(built: Built) -> None:
    counts = dict(
        built.query("select table_schema, count(*) from information_schema.tables group by 1")
    )
    for schema in SCHEMAS:
        assert counts.get(schema, 0) > 0, f"schema {schema} is empty: {counts}"
    assert not [s for s in counts if s.startswith("main_")]


def test_run_loads_all_five_sample_reports(built: Built) -> None:
    assert built.scalar("select count(*) from raw.documents") == 5
    assert built.scalar("select count(*) from raw.ingest_errors where severity = 'error'") == 0


def test_every_table_figure_reaches_the_fact_table(built: Built) -> None:
    raw_cells = built.scalar(
        "select count(*) from raw.appendix_rows where table_kind in ('indicators', 'crosstab')"
    )
    stated = built.scalar("select count(*) from raw.narrative_facts")
    facts = built.scalar("select count(*) from marts.fct_indicator_value")
    assert raw_cells > 500
    assert facts == raw_cells + stated


def test_phu_luc_08_counts_are_read_as_thousands(built: Built) -> None:
    value = built.scalar(
        """
        select value_numeric from marts.fct_indicator_value
        where raw_value_text = '65.454' and stt = '5.4.1'
        """
    )
    assert value == 65454


def test_run_publishes_data_docs_and_exports(built: Built) -> None:
    docs = built.output_dir / "reports" / "quality" / "index.html"
    assert docs.exists()
    exports = built.output_dir / "exports"
    assert (exports / "parquet" / "marts.fct_indicator_value.parquet").exists()
    csv_bytes = (exports / "csv" / "marts.fct_indicator_value.csv").read_bytes()
    assert csv_bytes.startswith(b"\xef\xbb\xbf"), "CSV must carry a BOM so Excel reads UTF-8"
    assert "Sở Thông tin và Truyền thông".encode() in csv_bytes
    assert (exports / "cchc_marts.xlsx").exists()


def test_check_results_are_kept(built: Built) -> None:
    assert built.scalar("select count(*) from quality.expectation_results") > 0
    assert (
        built.scalar(
            "select count(*) from quality.expectation_results where exception_message is not null"
        )
        == 0
    )


def test_a_second_run_adds_nothing_and_keeps_the_previous_warehouse(tmp_path: Path) -> None:
    first = build_warehouse(tmp_path)
    assert first.result.returncode == 0, first.result.stderr
    again = build_warehouse(tmp_path)
    assert again.result.returncode == 0, again.result.stderr
    assert "0 loaded, 5 unchanged" in again.result.stdout
    assert again.scalar("select count(*) from raw.documents") == 5
    assert first.warehouse.with_name("cchc.duckdb.previous").exists()


def test_a_failed_run_leaves_the_live_warehouse_unchanged(
    tmp_path: Path, reports_copy: Path
) -> None:
    live = build_warehouse(tmp_path)
    assert live.result.returncode == 0
    before = live.warehouse.read_bytes()
    (reports_copy / "manifest.csv").write_text("file,colour\nx.txt,red\n", encoding="utf-8")
    failed = build_warehouse(tmp_path, reports=reports_copy)
    assert failed.result.returncode != 0
    assert "manifest" in failed.result.stderr
    assert "unchanged" in failed.result.stderr
    assert live.warehouse.read_bytes() == before
