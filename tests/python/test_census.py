"""The census of table figures (issue 13): every figure ingest saw in a table is a fact,
in review, or in a quarantined document; a document whose census does not balance is
quarantined with the reason, and a loss no document explains fails the night's check."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
from conftest import Built, cchc


def test_the_samples_census_balances_and_counts_non_figures_by_kind(built: Built) -> None:
    rows = built.query(
        "select file_path, figures_seen, figures_in_facts, figures_unaccounted, "
        "non_figures_by_kind, is_balanced from quality.table_census order by file_path"
    )
    assert len(rows) == 5
    assert all(r[3] == 0 and r[5] for r in rows)
    assert sum(r[1] for r in rows) == sum(r[2] for r in rows) > 250
    by_file = {r[0][:3]: r for r in rows}
    # 000's Phụ lục 03 lists directive documents: numbers and dates, not figures
    assert "date: 16" in by_file["000"][4] and "document_number: 16" in by_file["000"][4]
    assert (
        built.scalar(
            "select count(*) from raw.appendix_rows where value_column_no > 0 and value_text "
            "is not null and value_kind is null"
        )
        == 0
    )


def _copy_live(built: Built, tmp_path: Path) -> Path:
    warehouse = tmp_path / "cchc.duckdb"
    shutil.copyfile(built.warehouse.resolve(), warehouse)
    return warehouse


def test_a_figure_outside_a_value_column_quarantines_its_document(
    built: Built, tmp_path: Path
) -> None:
    warehouse = _copy_live(built, tmp_path)
    with duckdb.connect(str(warehouse)) as con:
        (bad,) = con.execute(
            "select min(document_id) from raw.appendix_rows where table_kind = 'indicators'"
        ).fetchone()
        # a column ingest did not read as values, holding a figure (a reader fault)
        con.execute(
            """
            update raw.appendix_rows
            set extra_cells = '{"Cùng kỳ": "37"}', extra_cell_kinds = '{"Cùng kỳ": "number"}'
            where document_id = ? and table_kind = 'indicators' and row_no = (
                select min(row_no) from raw.appendix_rows
                where document_id = ? and table_kind = 'indicators' and value_text is not null
            )
            """,
            [bad, bad],
        )
    env = {"CCHC_OUTPUT_DIR": str(tmp_path / "out")}
    built_again = cchc("build", "--warehouse", str(warehouse), env=env)
    assert built_again.returncode == 0, built_again.stdout + built_again.stderr
    checked = cchc("check", "--warehouse", str(warehouse), env=env)
    assert checked.returncode == 0, checked.stdout + checked.stderr  # explained: quarantined

    with duckdb.connect(str(warehouse)) as con:
        quarantined = con.execute(
            "select document_id, reason_code, detail from quality.documents_quarantined"
        ).fetchall()
        assert [(d, r) for d, r, _ in quarantined] == [(bad, "census_does_not_balance")]
        assert "Cùng kỳ" in quarantined[0][2] and "37" in quarantined[0][2]
        census = con.execute(
            "select figures_outside_value_cells, figures_in_quarantined_document, "
            "figures_unaccounted, quarantine_reasons from quality.table_census "
            "where document_id = ?",
            [bad],
        ).fetchone()
        assert census[0] == 1 and census[1] > 0 and census[2] == 0
        assert census[3] == "census_does_not_balance"

        # a loss no document explains: a figure of another document dropped after the build
        con.execute(
            """
            delete from marts.fct_indicator_value
            where (document_id, source_ref) in (
                select document_id, source_ref from marts.fct_indicator_value
                where source_kind = 'table' and document_id <> ? and not is_empty
                limit 1
            )
            """,
            [bad],
        )
    failed = cchc("check", "--warehouse", str(warehouse), env=env)
    assert failed.returncode != 0, failed.stdout + failed.stderr
    assert "integrity_fct_indicator_value unexpected_rows_expectation" in failed.stderr
    with duckdb.connect(str(warehouse), read_only=True) as con:
        (meta, unexpected) = con.execute(
            "select meta_json, unexpected_count from quality.expectation_results "
            "where not success and kind = 'integrity' "
            "and check_run_id = (select check_run_id from quality.expectation_results "
            "order by checked_at desc limit 1)"
        ).fetchone()
    assert "no table figure is lost" in meta and unexpected == 1
