"""int_indicator_texts_matched is incremental: each distinct text is matched once and
kept across builds; a new document matches only its new texts; a change of the reference
data (here a catalog alias) matches every text again; and the incremental table is what a
full refresh computes. Real ingest, real dbt on a real DuckDB file."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from cchc.dbt import run_dbt
from ingest.folder import ingest_folder

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "reports" / "001_bbdb728f27fe408d.txt"
MODEL = "intermediate.int_indicator_texts_matched"
UPSTREAM = ["--select", "+int_indicator_texts_matched", "--resource-type", "seed"]
RESULT_COLUMNS = "* exclude (matched_invocation_id)"


def _dbt(warehouse: Path, tmp: Path, *args: str) -> None:
    outcome = run_dbt(ROOT, warehouse, args, target_path=tmp / "target", log_path=tmp / "logs")
    assert outcome.failed == 0, outcome.errors


def _build(warehouse: Path, tmp: Path, *extra: str) -> None:
    _dbt(warehouse, tmp, "build", *UPSTREAM, "--resource-type", "model", *extra)


def _query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def _results(warehouse: Path) -> dict[str, dict]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute(f"select {RESULT_COLUMNS} from {MODEL}")
        names = [d[0] for d in cursor.description]
        return {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}


def _by_invocation(warehouse: Path) -> dict[str, set[str]]:
    rows = _query(warehouse, f"select matched_invocation_id, text_id from {MODEL}")
    grouped: dict[str, set[str]] = {}
    for invocation, text_id in rows:
        grouped.setdefault(invocation, set()).add(text_id)
    return grouped


def test_texts_are_matched_once_and_again_when_the_reference_changes(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(SAMPLE, reports / SAMPLE.name)
    warehouse = tmp_path / "w" / "cchc.duckdb"
    ingest = dict(seeds_dir=ROOT / "seeds", now=datetime.now)
    ingest_folder(reports, warehouse, **ingest)
    _build(warehouse, tmp_path)
    [first] = _by_invocation(warehouse).values()

    # a second report: the sample with one row's words changed (one new text)
    text = SAMPLE.read_text(encoding="utf-8")
    lines = text.splitlines()
    row = next(i for i, line in enumerate(lines) if "\tSố lượng hồ sơ TTHC do cơ quan" in line)
    lines[row] = lines[row].replace("hồ sơ TTHC", "hồ sơ TTHC trực tuyến toàn trình", 1)
    (reports / "second.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ingest_folder(reports, warehouse, **ingest)
    _build(warehouse, tmp_path)
    after = _by_invocation(warehouse)
    assert len(after) == 2
    [new] = [texts for texts in after.values() if texts != first]
    all_texts = {
        t for (t,) in _query(warehouse, "select text_id from intermediate.int_indicator_texts")
    }
    assert new == all_texts - first and new  # only the texts no build had matched yet
    incremental = _results(warehouse)

    # the same as matching everything from scratch
    _dbt(warehouse, tmp_path, "run", "--select", "int_indicator_texts_matched", "--full-refresh")
    full = _results(warehouse)
    assert incremental.keys() == full.keys()
    # (a float sum's last bits depend on the order DuckDB's threads add in, either way)
    differing = {
        (text_id, column): (value, full[text_id][column])
        for text_id, row in incremental.items()
        for column, value in row.items()
        if value != full[text_id][column]
        and not (isinstance(value, float) and value == pytest.approx(full[text_id][column]))
    }
    assert not differing

    # a catalog alias changes: every text is matched again (not only new ones)
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "update raw.indicator_aliases set alias_text = alias_text || ' (sửa)' "
            "where rowid = (select min(rowid) from raw.indicator_aliases)"
        )
    _dbt(warehouse, tmp_path, "run", "--select", "int_indicator_candidates+1")
    [again] = _by_invocation(warehouse).values()
    assert again == all_texts
