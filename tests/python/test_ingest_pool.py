"""Ingest over a pool of reader processes with batched writes: the same raw rows as one
process writing one document at a time; the pool's settings checked."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from ingest import folder
from ingest.folder import IngestSettingError, ingest_folder, ingest_workers
from tools.corpus.generate import generate

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
# what differs between two runs of the same folder: the run, and when
VOLATILE = {
    "documents": "* exclude (ingest_run_id, ingested_at, read_at)",
    "appendix_rows": "*",
    "narrative_facts": "*",
    "ingest_errors": "* exclude (ingest_run_id, recorded_at)",
    "document_sightings": "* exclude (ingest_run_id, seen_at)",
}


def _rows(warehouse: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {
            table: sorted(con.execute(f"select {columns} from raw.{table}").fetchall(), key=repr)
            for table, columns in VOLATILE.items()
        }


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pool")
    generate(out, folder.POOL_MIN_FILES + 4, 5, ("txt", "xlsx", "docx"), national=True)
    (out / "reports" / "broken.docx").write_bytes(b"PK\x03\x04 not a zip")
    return out / "reports"


def test_a_pool_of_readers_loads_what_one_process_loads(
    tmp_path: Path, reports: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CCHC_INGEST_WORKERS", "1")
    one = ingest_folder(reports, tmp_path / "a" / "w.duckdb", seeds_dir=SEEDS, now=datetime.now)
    monkeypatch.setenv("CCHC_INGEST_WORKERS", "2")
    monkeypatch.setattr(folder, "BATCH_DOCUMENTS", 3)  # several batches
    two = ingest_folder(reports, tmp_path / "b" / "w.duckdb", seeds_dir=SEEDS, now=datetime.now)
    assert one.counts() == two.counts()
    assert two.documents_loaded >= folder.POOL_MIN_FILES // 2 and two.files_failed >= 1
    assert sorted(one.failures) == sorted(two.failures)
    assert _rows(tmp_path / "a" / "w.duckdb") == _rows(tmp_path / "b" / "w.duckdb")
    # the same folder again: nothing read, every file sighted once more
    again = ingest_folder(reports, tmp_path / "b" / "w.duckdb", seeds_dir=SEEDS, now=datetime.now)
    assert again.documents_loaded == 0 and again.files_sighted == two.files_sighted


def test_the_number_of_readers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CCHC_INGEST_WORKERS", "3")
    assert ingest_workers() == 3
    monkeypatch.delenv("CCHC_INGEST_WORKERS")
    assert ingest_workers() >= 1
    monkeypatch.setenv("CCHC_INGEST_WORKERS", "two")
    with pytest.raises(IngestSettingError, match="CCHC_INGEST_WORKERS"):
        ingest_workers()
