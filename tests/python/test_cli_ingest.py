"""`cchc ingest`: idempotent, every version kept, bad files recorded."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from conftest import SAMPLE_REPORTS, cchc

UNPLACED = "BÁO CÁO\n\nMột văn bản không nói cơ quan nào, kỳ nào.\n"


def _ingest(warehouse: Path, reports: Path, *extra: str):
    return cchc("ingest", "--warehouse", str(warehouse), "--reports", str(reports), *extra)


def _rows(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_the_same_bytes_twice_add_nothing(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    assert _ingest(warehouse, SAMPLE_REPORTS).returncode == 0
    second = _ingest(warehouse, SAMPLE_REPORTS)
    assert second.returncode == 0
    assert "0 loaded, 5 unchanged" in second.stdout
    assert _rows(warehouse, "select count(*) from raw.documents") == [(5,)]
    assert _rows(warehouse, "select count(*) from raw.ingest_runs") == [(2,)]


def test_a_resubmitted_report_is_kept_beside_the_earlier_one(
    tmp_path: Path, reports_copy: Path
) -> None:
    """Ingest keeps every version; which one is current is decided in dbt only
    (int_documents_placed, proven by its unit test), so raw has no supersession column."""
    warehouse = tmp_path / "w.duckdb"
    assert _ingest(warehouse, reports_copy).returncode == 0
    original = reports_copy / "002_04942a727d49f9a1.txt"
    corrected = original.read_text(encoding="utf-8").replace(
        "2.2\tSố nhiệm vụ đã hoàn thành\tNhiệm vụ\t10",
        "2.2\tSố nhiệm vụ đã hoàn thành\tNhiệm vụ\t12",
    )
    (reports_copy / "002_resubmitted.txt").write_text(corrected, encoding="utf-8")
    assert _ingest(warehouse, reports_copy).returncode == 0
    rows = _rows(
        warehouse,
        """
        select file_path, agency_name, period_type, period_year, period_number
        from raw.documents where agency_type = 'provincial_office' order by ingested_at
    """,
    )
    assert [r[0] for r in rows] == ["002_04942a727d49f9a1.txt", "002_resubmitted.txt"]
    assert rows[0][1:] == rows[1][1:]
    columns = _rows(
        warehouse,
        "select column_name from information_schema.columns "
        "where table_schema = 'raw' and table_name = 'documents'",
    )
    assert ("supersedes_document_id",) not in columns


def test_an_unplaced_report_is_recorded_with_the_manifest_line_to_add(
    tmp_path: Path, reports_copy: Path
) -> None:
    (reports_copy / "unknown.txt").write_text(UNPLACED, encoding="utf-8")
    warehouse = tmp_path / "w.duckdb"
    result = _ingest(warehouse, reports_copy)
    assert result.returncode == 0
    assert "5 loaded" in result.stdout and "1 failed" in result.stdout
    [(kind, _where, expected, what_to_do)] = _rows(
        warehouse, "select error_kind, location, expected, what_to_do from raw.ingest_errors"
    )
    assert kind == "unplaced_document"
    assert "agency_name" in expected and "period_type" in expected
    assert "manifest.csv" in what_to_do and "unknown.txt,<agency_name>" in what_to_do


def test_strict_exits_non_zero_when_a_file_failed(tmp_path: Path, reports_copy: Path) -> None:
    (reports_copy / "empty.txt").write_bytes(b"")
    result = _ingest(tmp_path / "w.duckdb", reports_copy, "--strict")
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1].startswith("error:")


def test_a_manifest_line_places_a_report_the_text_cannot(
    tmp_path: Path, reports_copy: Path
) -> None:
    (reports_copy / "unknown.txt").write_text(UNPLACED, encoding="utf-8")
    (reports_copy / "manifest.csv").write_text(
        "file,agency_name,agency_type,province_name,period_type,period_year,period_number\n"
        "unknown.txt,Sở Nội vụ,provincial_department,Tuyên Quang,quarter,2023,2\n",
        encoding="utf-8",
    )
    warehouse = tmp_path / "w.duckdb"
    assert _ingest(warehouse, reports_copy).returncode == 0
    assert _rows(
        warehouse,
        """
        select agency_name, agency_name_found_by, period_number from raw.documents
        where file_path = 'unknown.txt'
    """,
    ) == [("Sở Nội vụ", "manifest", 2)]


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("empty.txt", b"", "unreadable_file"),
        ("legacy.txt", "Báo cáo".encode("cp1258") + b"\xd2\xde", "unreadable_file"),
        ("scan.bmp", b"BM\x00\x00", "unsupported_format"),
    ],
)
def test_bad_files_get_their_own_message_and_the_run_goes_on(
    tmp_path: Path, reports_copy: Path, name: str, content: bytes, kind: str
) -> None:
    (reports_copy / name).write_bytes(content)
    warehouse = tmp_path / "w.duckdb"
    result = _ingest(warehouse, reports_copy)
    assert result.returncode == 0
    assert _rows(warehouse, "select count(*) from raw.documents") == [(5,)]
    assert _rows(warehouse, "select file_path, error_kind from raw.ingest_errors") == [(name, kind)]


def test_a_table_without_a_recognisable_header_is_kept_and_reported(
    tmp_path: Path, reports_copy: Path
) -> None:
    text = (
        "Số: 5/BC-SNV\n\nTuyên Quang, ngày 10 tháng 3 năm 2023\n\nBÁO CÁO\n\n"
        "Kết quả cải cách hành chính Quý I năm 2023\n\n"
        "Sở Nội vụ báo cáo kết quả cải cách hành chính như sau:\n\n"
        # no header at all (a header of other words over figures is read by its content:
        # tests/python/test_tables_by_content.py)
        "1\tMột dòng\t5\n2\tDòng khác\t7\n"
    )
    (reports_copy / "headerless.txt").write_text(text, encoding="utf-8")
    warehouse = tmp_path / "w.duckdb"
    assert _ingest(warehouse, reports_copy).returncode == 0
    [(kind, severity, location, what_to_do)] = _rows(
        warehouse,
        "select error_kind, severity, location, what_to_do from raw.ingest_errors "
        "where file_path = 'headerless.txt'",
    )
    assert (kind, severity) == ("layout", "warning")
    assert location.startswith("line ") and "HEADER_WORDS" in what_to_do
    kept = _rows(
        warehouse,
        "select table_kind, count(*) from raw.appendix_rows join raw.documents "
        "using (document_id) where file_path = 'headerless.txt' group by 1",
    )
    assert kept == [("list", 2)]  # nothing lost: the rows are kept as a list
    census = _rows(
        warehouse,
        "select extra_cell_kinds from raw.appendix_rows join raw.documents "
        "using (document_id) where file_path = 'headerless.txt' order by row_no",
    )
    # and its figures are seen by the census, so the build quarantines the document
    assert [json.loads(k) for (k,) in census] == [
        {"column 2": "text", "column 3": "number"},
        {"column 2": "text", "column 3": "number"},
    ]


def test_a_bad_limit_setting_is_one_line_that_names_the_variable(tmp_path: Path) -> None:
    result = cchc(
        "ingest",
        "--warehouse",
        str(tmp_path / "cchc.duckdb"),
        env={"CCHC_MAX_FILE_BYTES": "lots"},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [line] = [line for line in result.stderr.splitlines() if line.strip()]
    assert "CCHC_MAX_FILE_BYTES" in line and "positive whole number" in line
