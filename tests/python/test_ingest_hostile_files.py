"""No single file stops ingest: bombs, reader failures of any kind, file names in any
bytes and links leading outside the folder each become an ingest_errors row for their
file, the other files still load, and the run's ingest_runs row always ends."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

import duckdb
import pytest
from conftest import CCHC, ROOT, SAMPLE_REPORTS
from hostile_files import BOMBS, SAMPLE, zip_bomb_docx

from ingest import document
from ingest.folder import ingest_folder, scan_folder
from ingest.limits import Limits
from ingest.model import Block

SEEDS = ROOT / "seeds"
GIGABYTE_KB = 1024 * 1024  # ru_maxrss is in kilobytes on Linux


def _ingest(reports: Path, warehouse: Path, **kwargs: object):
    return ingest_folder(reports, warehouse, seeds_dir=SEEDS, now=datetime.now, **kwargs)


def _rows(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def _errors(warehouse: Path) -> dict[str, tuple]:
    return {
        row[0]: row[1:]
        for row in _rows(
            warehouse,
            "select file_path, error_kind, severity, location, expected, what_to_do "
            "from raw.ingest_errors",
        )
    }


def _run_row(warehouse: Path) -> tuple:
    [row] = _rows(
        warehouse, "select status, finished_at is not null, files_failed from raw.ingest_runs"
    )
    return row


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / SAMPLE.name)
    return folder


# ---------------------------------------------------------------- any failure of a file


def _failing_reader(exc: BaseException) -> Callable:
    original = document.READERS["txt"]

    def reader(fp: BinaryIO, *, limits: Limits) -> list[Block]:
        data = fp.read()
        if b"BOOM" in data:
            raise exc
        fp.seek(0)
        return original(fp, limits=limits)

    return reader


@pytest.mark.parametrize(
    ("exc", "said"),
    [
        (MemoryError(), "more memory"),
        (RecursionError("maximum recursion depth exceeded"), "nested too deeply"),
        (zipfile.BadZipFile("Bad CRC-32"), "BadZipFile: Bad CRC-32"),
        (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"), "UnicodeDecodeError"),
        (KeyError("w:tbl"), "KeyError"),
        (AssertionError(), "AssertionError"),
    ],
)
def test_any_failure_of_one_file_is_recorded_and_the_run_goes_on(
    reports: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exc: BaseException, said: str
) -> None:
    (reports / "a_broken.txt").write_text("BOOM", encoding="utf-8")
    monkeypatch.setitem(document.READERS, "txt", _failing_reader(exc))
    warehouse = tmp_path / "w.duckdb"
    summary = _ingest(reports, warehouse)
    assert summary.documents_loaded == 1 and summary.files_failed == 1
    assert _rows(warehouse, "select file_path from raw.documents") == [(SAMPLE.name,)]
    kind, severity, where, expected, what_to_do = _errors(warehouse)["a_broken.txt"]
    assert (kind, severity, where) == ("reader_failure", "error", "whole file")
    assert said in what_to_do and "other files were loaded" in what_to_do
    assert expected
    assert _run_row(warehouse) == ("failed_files", True, 1)


def test_a_run_that_stops_ends_failed_with_its_reason(reports: Path, tmp_path: Path) -> None:
    def interrupt(_path: Path) -> None:
        raise KeyboardInterrupt

    warehouse = tmp_path / "w.duckdb"
    with pytest.raises(KeyboardInterrupt):
        _ingest(reports, warehouse, on_file=interrupt)
    assert _run_row(warehouse) == ("failed", True, 0)
    kind, _, where, _, what_to_do = _errors(warehouse)["."]
    assert (kind, where) == ("run_failed", "ingest run")
    assert "KeyboardInterrupt" in what_to_do


def test_a_limit_set_in_the_environment_applies(
    reports: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CCHC_MAX_LINE_CHARS", "20")
    warehouse = tmp_path / "w.duckdb"
    _ingest(reports, warehouse)
    kind, _, where, expected, _ = _errors(warehouse)[SAMPLE.name]
    assert (
        kind == "limit_exceeded" and where.startswith("line ") and "CCHC_MAX_LINE_CHARS" in expected
    )


# ---------------------------------------------------------------- file names and links


def test_a_file_name_that_is_not_utf8_is_loaded_under_an_escaped_name(
    reports: Path, tmp_path: Path
) -> None:
    name = os.path.join(os.fsencode(reports), b"b\xe1o c\xe1o.txt")
    with open(name, "wb") as fp:
        fp.write(SAMPLE.read_bytes().replace("BÁO CÁO".encode(), "BÁO CÁO ".encode()))
    warehouse = tmp_path / "w.duckdb"
    summary = _ingest(reports, warehouse)
    assert summary.documents_loaded == 2
    paths = {p for (p,) in _rows(warehouse, "select file_path from raw.documents")}
    assert paths == {SAMPLE.name, "b\\xe1o c\\xe1o.txt"}
    kind, severity, where, expected, _ = _errors(warehouse)["b\\xe1o c\\xe1o.txt"]
    assert (kind, severity, where) == ("file_name", "warning", "file name")
    assert "UTF-8" in expected
    assert _run_row(warehouse) == ("ok", True, 0)


def test_links_leading_outside_the_folder_are_refused(reports: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(SAMPLE_REPORTS / "000_1bbab62c8031cf52.txt", outside / "secret.txt")
    (reports / "passwd.txt").symlink_to("/etc/passwd")
    (reports / "elsewhere").symlink_to(outside, target_is_directory=True)
    (reports / "broken.txt").symlink_to(tmp_path / "nothing.txt")
    # links inside the folder are fine, and each file is read once
    (reports / "again.txt").symlink_to(reports / SAMPLE.name)
    (reports / "sub").mkdir()
    (reports / "sub_link").symlink_to(reports / "sub", target_is_directory=True)
    shutil.copy(SAMPLE_REPORTS / "001_bbdb728f27fe408d.txt", reports / "sub" / "001.txt")

    scan = scan_folder(reports)
    assert [p.relative_to(reports).as_posix() for p in scan.files] == [SAMPLE.name, "sub/001.txt"]
    warehouse = tmp_path / "w.duckdb"
    summary = _ingest(reports, warehouse)
    assert summary.documents_loaded == 2 and summary.files_failed == 3
    errors = _errors(warehouse)
    assert set(errors) == {"passwd.txt", "elsewhere", "broken.txt"}
    assert all(e[0] == "file_refused" for e in errors.values())
    assert "outside the reports folder" in errors["passwd.txt"][4]
    assert "outside the reports folder" in errors["elsewhere"][4]
    assert "broken" in errors["broken.txt"][4]
    assert _rows(
        warehouse, "select count(*) from raw.documents where file_path like '%secret%'"
    ) == [(0,)]
    assert _run_row(warehouse) == ("failed_files", True, 3)


def test_a_pipe_in_the_folder_is_refused_not_waited_on(reports: Path, tmp_path: Path) -> None:
    os.mkfifo(reports / "pipe.txt")
    warehouse = tmp_path / "w.duckdb"
    summary = _ingest(reports, warehouse)
    assert summary.documents_loaded == 1
    assert "not a regular file" in _errors(warehouse)["pipe.txt"][4]


# ---------------------------------------------------------------- the bombs, end to end

EXPECTED = {  # file -> (error_kind, what the message names)
    "million_rows.xlsx": ("limit_exceeded", "CCHC_MAX_XLSX_CELLS"),
    "million_paragraphs.docx": ("limit_exceeded", "CCHC_MAX_ZIP_RATIO"),
    "deep_xml.docx": ("limit_exceeded", "CCHC_MAX_ZIP_RATIO"),
    "zip_bomb.docx": ("limit_exceeded", "CCHC_MAX_ZIP_MEMBER_BYTES"),
    "long_line.txt": ("limit_exceeded", "CCHC_MAX_LINE_CHARS"),
    "oversized.txt": ("limit_exceeded", "CCHC_MAX_FILE_BYTES"),
}


def _peak_rss_kb(command: list[str]) -> tuple[subprocess.CompletedProcess[str], int]:
    """Run ``command`` from a fresh interpreter whose only child it is: the peak resident
    memory of that child (and its own children), in KB."""
    probe = (
        "import resource, subprocess, sys, json;"
        "r = subprocess.run(sys.argv[1:], capture_output=True, text=True);"
        "print(json.dumps([r.returncode, r.stdout, r.stderr,"
        " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *command], capture_output=True, text=True, check=True
    )
    code, stdout, stderr, peak = json.loads(done.stdout)
    return subprocess.CompletedProcess(command, code, stdout, stderr), peak


def test_cchc_ingest_of_a_folder_of_bombs_stays_under_1_gb(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    for name, write in BOMBS.items():
        if name == "zip_bomb.docx":
            zip_bomb_docx(reports, megabytes=200)  # the benchmark uses 1 GB; same bound
        else:
            write(reports)
    shutil.copy(SAMPLE_REPORTS / "000_1bbab62c8031cf52.txt", reports)
    warehouse = tmp_path / "w.duckdb"
    result, peak_kb = _peak_rss_kb(
        [str(CCHC), "ingest", "--warehouse", str(warehouse), "--reports", str(reports)]
    )
    assert result.returncode == 0, result.stderr
    assert "8 files, 2 loaded" in result.stdout and "6 failed" in result.stdout
    assert peak_kb < GIGABYTE_KB, f"ingest peaked at {peak_kb / 1024:.0f} MB"
    loaded = {p for (p,) in _rows(warehouse, "select file_path from raw.documents")}
    assert loaded == {"000_1bbab62c8031cf52.txt", "dimension_bomb.xlsx"}
    errors = _errors(warehouse)
    assert {name: e[0] for name, e in errors.items()} == {
        name: kind for name, (kind, _) in EXPECTED.items()
    }
    for name, (_kind, variable) in EXPECTED.items():
        assert variable in errors[name][3] and "not read" in errors[name][4]
    assert _run_row(warehouse) == ("failed_files", True, 6)
