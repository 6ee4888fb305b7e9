"""One document whose data would break a key of the marts is set aside with its reason;
the rest of the night builds and checks, and its figures are accounted for."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
from conftest import Built, cchc


def _copy_live(built: Built, tmp_path: Path) -> Path:
    warehouse = tmp_path / "cchc.duckdb"
    shutil.copyfile(built.warehouse.resolve(), warehouse)
    return warehouse


def test_a_document_that_would_break_the_fact_key_is_quarantined(
    built: Built, tmp_path: Path
) -> None:
    warehouse = _copy_live(built, tmp_path)
    with duckdb.connect(str(warehouse)) as con:
        (bad,) = con.execute("select min(document_id) from raw.appendix_rows").fetchone()
        # a second value cell claiming the place of an existing one (a reader fault)
        con.execute(
            """
            insert into raw.appendix_rows
            select * replace (row_no + 100000 as row_no)
            from raw.appendix_rows
            where document_id = ? and table_kind = 'indicators'
            order by table_no, row_no, value_column_no
            limit 1
            """,
            [bad],
        )
    env = {"CCHC_OUTPUT_DIR": str(tmp_path / "out")}
    built_again = cchc("build", "--warehouse", str(warehouse), env=env)
    assert built_again.returncode == 0, built_again.stdout + built_again.stderr
    checked = cchc("check", "--warehouse", str(warehouse), env=env)
    assert checked.returncode == 0, checked.stdout + checked.stderr  # nothing lost unexplained

    with duckdb.connect(str(warehouse), read_only=True) as con:
        quarantined = con.execute(
            "select document_id, reason_code, reason_vi, detail from quality.documents_quarantined"
        ).fetchall()
        assert [(d, r) for d, r, _, _ in quarantined] == [(bad, "figures_share_a_place")]
        assert quarantined[0][2] and "table " in quarantined[0][3]
        assert con.execute(
            "select count(*) from marts.fct_indicator_value where document_id = ?", [bad]
        ).fetchone() == (0,)
        (documents_in_facts,) = con.execute(
            "select count(distinct document_id) from marts.fct_indicator_value"
        ).fetchone()
    before = built.scalar("select count(distinct document_id) from marts.fct_indicator_value")
    assert documents_in_facts == before - 1  # the rest of the night is built


def test_the_samples_quarantine_nothing(built: Built) -> None:
    assert built.scalar("select count(*) from quality.documents_quarantined") == 0
