"""Ingest's part of versions: every file's bytes archived by hash, which files each run
saw, the relation a report states to an earlier one, and re-reading by a newer reader.
Which version is current is dbt's (int_documents_placed and its unit tests)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from ingest import archive, folder, reader_version
from ingest.metadata import find_revision_kind
from ingest.reference import load_reference

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"


def report(title_extra: str = "", figure: str = "5") -> str:
    return (
        "Số: 5/BC-SNV\n\nTuyên Quang, ngày 10 tháng 3 năm 2023\n\nBÁO CÁO\n\n"
        "Kết quả cải cách hành chính Quý I năm 2023\n\n"
        f"{title_extra}"
        "Sở Nội vụ tỉnh Tuyên Quang báo cáo kết quả cải cách hành chính như sau:\n\n"
        f"Trong quý, Sở đã tiếp nhận {figure} hồ sơ trực tuyến.\n"
    )


def _now() -> datetime:
    return datetime(2026, 12, 2, 1, 0, 0)


def _ingest(reports: Path, warehouse: Path, **options) -> folder.IngestSummary:
    return folder.ingest_folder(reports, warehouse, seeds_dir=SEEDS, now=_now, **options)


def _rows(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    folder_ = tmp_path / "reports"
    folder_.mkdir()
    (folder_ / "snv.txt").write_text(report(), encoding="utf-8")
    return folder_


def test_every_ingested_file_is_archived_by_its_hash(tmp_path: Path, reports: Path) -> None:
    warehouse = tmp_path / "wh" / "cchc.duckdb"
    _ingest(reports, warehouse)
    data = (reports / "snv.txt").read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    [(document_id, archive_path)] = _rows(
        warehouse, "select document_id, archive_path from raw.documents"
    )
    assert (document_id, archive_path) == (sha, f"archive/{sha[:2]}/{sha}.txt")
    assert (warehouse.parent / archive_path).read_bytes() == data
    assert not list((warehouse.parent / "archive").rglob(".incoming-*"))


def test_an_archived_file_is_never_overwritten(tmp_path: Path) -> None:
    archive_dir = tmp_path / "archive"
    relative = archive.archive_bytes(archive_dir, b"the bytes", "txt")
    target = tmp_path / relative
    stat = target.stat()
    assert archive.archive_bytes(archive_dir, b"the bytes", "txt") == relative
    assert target.stat().st_mtime_ns == stat.st_mtime_ns and target.stat().st_ino == stat.st_ino


def test_archived_bytes_that_do_not_match_their_hash_are_refused(tmp_path: Path) -> None:
    archive_dir = tmp_path / "archive"
    relative = archive.archive_bytes(archive_dir, b"the bytes", "txt")
    (tmp_path / relative).write_bytes(b"changed")
    sha = hashlib.sha256(b"the bytes").hexdigest()
    with pytest.raises(archive.ArchiveError, match="hash differs"):
        archive.read_archived(archive_dir, relative, sha)


def test_a_file_changed_in_place_is_a_new_document_and_the_old_keeps_its_bytes(
    tmp_path: Path, reports: Path
) -> None:
    warehouse = tmp_path / "wh" / "cchc.duckdb"
    _ingest(reports, warehouse)
    old = (reports / "snv.txt").read_bytes()
    (reports / "snv.txt").write_text(report(figure="7"), encoding="utf-8")
    _ingest(reports, warehouse)
    documents = _rows(
        warehouse, "select document_id, file_path, archive_path from raw.documents order by 1"
    )
    assert len(documents) == 2 and {d[1] for d in documents} == {"snv.txt"}
    old_id = hashlib.sha256(old).hexdigest()
    [(old_archive,)] = [(d[2],) for d in documents if d[0] == old_id]
    assert (warehouse.parent / old_archive).read_bytes() == old


def test_each_run_records_the_files_it_saw(tmp_path: Path, reports: Path) -> None:
    warehouse = tmp_path / "wh" / "cchc.duckdb"
    (reports / "copy.txt").write_bytes((reports / "snv.txt").read_bytes())
    first = _ingest(reports, warehouse)
    (reports / "snv.txt").unlink()
    (reports / "copy.txt").unlink()
    second = _ingest(reports, warehouse)
    sightings = _rows(
        warehouse,
        "select ingest_run_id, file_path from raw.document_sightings order by 2",
    )
    assert sightings == [(first.run_id, "copy.txt"), (first.run_id, "snv.txt")]
    runs = _rows(warehouse, "select ingest_run_id, files_sighted from raw.ingest_runs order by 2")
    assert sorted(runs) == sorted([(first.run_id, 2), (second.run_id, 0)])
    # the document stays: only dbt's is_source_missing tells the file left
    assert _rows(warehouse, "select count(*) from raw.documents") == [(1,)]


@pytest.mark.parametrize(
    ("extra", "kind", "how"),
    [
        ("", "original", "default"),
        ("(Thay thế Báo cáo số 3/BC-SNV ngày 01/3/2023)\n\n", "replacement", "detected"),
        ("(Báo cáo bổ sung)\n\n", "supplement", "detected"),
        ("(Bổ sung và thay thế Báo cáo số 3/BC-SNV)\n\n", "replacement", "detected"),
        ("(Lần 2)\n\n", "replacement", "detected"),
    ],
)
def test_the_relation_a_report_states_is_recorded_as_written(
    tmp_path: Path, extra: str, kind: str, how: str
) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "r.txt").write_text(report(extra), encoding="utf-8")
    warehouse = tmp_path / "cchc.duckdb"
    _ingest(reports, warehouse)
    assert _rows(warehouse, "select revision_kind, revision_kind_found_by from raw.documents") == [
        (kind, how)
    ]


def test_bo_sung_in_the_body_is_not_a_supplement() -> None:
    reference = load_reference(SEEDS)
    head = [
        "BÁO CÁO",
        "Kết quả cải cách hành chính năm 2023",
        "Thực hiện Nghị định số 92/2017/NĐ-CP sửa đổi, bổ sung một số điều …",
    ]
    assert find_revision_kind(head, reference).value == "original"
    assert find_revision_kind(["V/v báo cáo bổ sung số liệu", *head], reference).value == (
        "supplement"
    )


def _set_reader_version(warehouse: Path, version: int | None) -> None:
    with duckdb.connect(str(warehouse)) as con:
        con.execute("update raw.documents set reader_version = ?", [version])
        con.execute("update raw.narrative_facts set sentence = 'written by an old reader'")


def test_a_document_an_older_reader_wrote_is_reread_into_the_same_document(
    tmp_path: Path, reports: Path
) -> None:
    warehouse = tmp_path / "wh" / "cchc.duckdb"
    _ingest(reports, warehouse)
    before = _rows(warehouse, "select document_id, ingested_at, ingest_run_id from raw.documents")
    facts = _rows(warehouse, "select count(*) from raw.narrative_facts")
    assert facts[0][0] > 0
    _set_reader_version(warehouse, reader_version.READER_VERSION - 1)
    summary = _ingest(reports, warehouse)
    assert (summary.documents_reread, summary.documents_loaded) == (1, 0)
    assert _rows(
        warehouse, "select document_id, ingested_at, ingest_run_id from raw.documents"
    ) == (before)
    assert _rows(warehouse, "select reader_version from raw.documents") == [
        (reader_version.READER_VERSION,)
    ]
    assert _rows(warehouse, "select count(*) from raw.narrative_facts") == facts
    assert _rows(
        warehouse, "select count(*) from raw.narrative_facts where sentence like '%old reader%'"
    ) == [(0,)]
    # the same reader again: nothing to do
    assert _ingest(reports, warehouse).documents_reread == 0


def test_reread_reads_the_archived_bytes_when_the_file_has_left_the_folder(
    tmp_path: Path, reports: Path
) -> None:
    warehouse = tmp_path / "wh" / "cchc.duckdb"
    _ingest(reports, warehouse)
    _set_reader_version(warehouse, reader_version.READER_VERSION)
    (reports / "snv.txt").unlink()
    summary = _ingest(reports, warehouse, reread=True)
    assert summary.documents_reread == 1
    assert _rows(
        warehouse, "select count(*) from raw.narrative_facts where sentence like '%old reader%'"
    ) == [(0,)]
    assert _rows(warehouse, "select count(*) from raw.documents") == [(1,)]


def test_a_document_without_an_archived_copy_stays_as_it_was_with_a_warning(
    tmp_path: Path, reports: Path
) -> None:
    warehouse = tmp_path / "wh" / "cchc.duckdb"
    _ingest(reports, warehouse)
    with duckdb.connect(str(warehouse)) as con:  # as loaded before the archive existed
        con.execute("update raw.documents set archive_path = null, reader_version = null")
    (reports / "snv.txt").unlink()
    summary = _ingest(reports, warehouse)
    assert summary.documents_reread == 0
    [(kind, severity, what)] = _rows(
        warehouse, "select error_kind, severity, what_to_do from raw.ingest_errors"
    )
    assert (kind, severity) == ("reread", "warning") and "Put the file back" in what


def test_the_reader_version_is_bumped_when_the_reading_code_changes() -> None:
    current = reader_version.reading_code_sha256()
    assert current == reader_version.READING_CODE_SHA256, (
        "the reading code (ingest/readers, ingest/narrative, layout, metadata, records …) "
        "changed: bump READER_VERSION in ingest/reader_version.py so the next ingest re-reads "
        f'the loaded documents, and set READING_CODE_SHA256 = "{current}" '
        "(`.venv/bin/python -m ingest.reader_version` prints both)"
    )


def test_the_reading_code_hash_sees_a_change(tmp_path: Path) -> None:
    package = tmp_path / "ingest"
    for name in reader_version.READING_CODE:
        path = package / name
        if name.endswith(".py"):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("x = 1\n")
        else:
            path.mkdir(parents=True, exist_ok=True)
            (path / "a.py").write_text("y = 1\n")
    before = reader_version.reading_code_sha256(package)
    (package / "narrative" / "a.py").write_text("y = 2\n")
    assert reader_version.reading_code_sha256(package) != before


def test_cchc_ingest_reread_reads_every_document_again(tmp_path: Path, reports: Path) -> None:
    from conftest import cchc

    warehouse = tmp_path / "wh" / "cchc.duckdb"
    args = ("ingest", "--warehouse", str(warehouse), "--reports", str(reports))
    assert cchc(*args).returncode == 0
    assert (warehouse.parent / "archive").is_dir()
    again = cchc(*args, "--reread")
    assert again.returncode == 0, again.stderr
    assert "0 loaded, 0 unchanged, 1 re-read" in again.stdout
    for command in ("ingest", "run"):
        assert "--reread" in cchc(command, "--help").stdout


def test_a_reread_that_fails_keeps_the_older_rows_with_one_warning(
    tmp_path: Path, reports: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ingest import reading
    from ingest.errors import UnreadableFileError

    warehouse = tmp_path / "wh" / "cchc.duckdb"
    _ingest(reports, warehouse)
    facts = _rows(warehouse, "select * from raw.narrative_facts order by fact_no")

    def failing_reader(*args, **kwargs):
        raise UnreadableFileError(where="whole file", expected="text", what_to_do="fix it")

    monkeypatch.setattr(reading, "read_document", failing_reader)  # a folder this small is
    # read in ingest's own process (ingest.folder.POOL_MIN_FILES)
    summary = _ingest(reports, warehouse, reread=True)
    assert (summary.files_failed, summary.documents_reread) == (0, 0)
    assert _rows(warehouse, "select * from raw.narrative_facts order by fact_no") == facts
    assert _rows(warehouse, "select error_kind, severity from raw.ingest_errors") == [
        ("reread", "warning")
    ]


def test_an_archived_copy_that_went_missing_is_written_again(tmp_path: Path, reports: Path) -> None:
    warehouse = tmp_path / "wh" / "cchc.duckdb"
    _ingest(reports, warehouse)
    [(archive_path,)] = _rows(warehouse, "select archive_path from raw.documents")
    (warehouse.parent / archive_path).unlink()
    assert _ingest(reports, warehouse).documents_unchanged == 1
    assert (warehouse.parent / archive_path).read_bytes() == (reports / "snv.txt").read_bytes()


def test_a_manifest_line_states_the_relation_the_text_does_not(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "r.txt").write_text(report(), encoding="utf-8")
    (reports / "manifest.csv").write_text("file,revision_kind\nr.txt,supplement\n")
    warehouse = tmp_path / "cchc.duckdb"
    _ingest(reports, warehouse)
    assert _rows(warehouse, "select revision_kind, revision_kind_found_by from raw.documents") == [
        ("supplement", "manifest")
    ]


def test_a_manifest_refuses_an_unknown_relation() -> None:
    from ingest.errors import ManifestError
    from ingest.manifest import parse_manifest

    with pytest.raises(ManifestError, match="original / replacement / supplement"):
        parse_manifest("file,revision_kind\nr.txt,erratum\n")
