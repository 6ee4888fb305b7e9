"""Scans and legacy files: reports made here from known content (tools/scans.py) — a
copier's scan (red seal, skew, blur, speckles) stored as an image-only PDF lying
sideways under a /Rotate, a phone-style JPEG turned a quarter without any rotation
record, a mixed PDF of a text page and a scanned page — are read by OCR into the same
rows the text readers give, every figure marked ``ocr`` with its confidence; .doc and
.xls made by LibreOffice from a .docx / .xlsx give the same rows as their originals.

The system tools (tesseract with Vietnamese, pdftoppm, LibreOffice) are installed by
the set-up (``make ocr-tools``) when missing; nothing is skipped.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from ingest.document import read_document
from ingest.errors import LimitExceededError, MissingToolError
from ingest.limits import Limits
from ingest.model import NarrativeFact, Paragraph, RawCell, RawRow
from ingest.readers import scan
from ingest.readers.legacy import convert_legacy
from ingest.records import appendix_records, narrative_records
from ingest.reference import ReferenceData, load_reference
from tools import scans

ROOT = Path(__file__).resolve().parents[2]
CCHC = str(ROOT / ".venv" / "bin" / "cchc")
EXPECTED = {f.stt: f.value for f in scans.FIGURES if f.value}


@pytest.fixture(scope="module", autouse=True)
def _tools(ocr_tools: None) -> None:
    """Every test here needs the tools (conftest.ocr_tools installs them)."""


@pytest.fixture(scope="module")
def reference() -> ReferenceData:
    return load_reference(ROOT / "seeds")


@pytest.fixture(scope="module")
def copier_page() -> Any:
    return scans.copier(scans.rasterise(scans.report_pdf())[0])


def _rows(data: bytes, name: str, reference: ReferenceData) -> list[dict[str, Any]]:
    doc = read_document(io.BytesIO(data), source_name=name, reference=reference)
    assert doc.meta.period_type.value == "quarter" and doc.meta.period_number.value == 2
    assert doc.meta.report_number.value == "127/BC-SNV"
    return appendix_records(doc, "d")


def _score(rows: list[dict[str, Any]]) -> tuple[int, int, list[str]]:
    """(figures right and sure, figures to review, figures wrong yet sure)."""
    by_value = {}
    for r in rows:
        if r["value_text"]:
            by_value[r["indicator_text"]] = r
    right = review = 0
    wrong: list[str] = []
    for figure in scans.FIGURES:
        if not figure.value:
            continue
        row = next((r for k, r in by_value.items() if figure.indicator in k), None)
        assert row is not None, f"row {figure.stt} {figure.indicator!r} not read"
        assert row["read_method"] == "ocr"
        sure = row["ocr_confidence"] is not None and row["ocr_confidence"] >= 80
        if not sure:
            review += 1
        elif row["value_text"] == figure.value:
            right += 1
        else:
            wrong.append(f"{figure.stt}: {row['value_text']!r} for {figure.value!r}")
    return right, review, wrong


def test_a_copier_scan_stored_sideways_in_a_pdf_is_read_with_its_figures(
    reference: ReferenceData, copier_page: Any
) -> None:
    rows = _rows(scans.image_pdf([copier_page], rotate=90), "scan.pdf", reference)
    right, review, wrong = _score(rows)
    assert not wrong
    assert right >= 0.9 * len(EXPECTED) and review <= 1
    assert {r["source_line"] for r in rows} == {"p. 1"}


def test_a_photo_turned_a_quarter_is_made_upright_and_read(
    reference: ReferenceData, copier_page: Any
) -> None:
    photo = scans.image_bytes([copier_page.rotate(90, expand=True)], "JPEG")
    doc = read_document(io.BytesIO(photo), source_name="anh.jpg", reference=reference)
    right, _, wrong = _score(appendix_records(doc, "d"))
    assert not wrong and right >= 0.9 * len(EXPECTED)
    # the sentence's figures are OCR figures too, each with its word's confidence
    facts = narrative_records(doc, "d")
    stated = {f["figure_text"]: f for f in facts}
    assert {"14", "9"} <= set(stated)
    assert all(f["read_method"] == "ocr" and f["ocr_confidence"] > 80 for f in facts)


def test_every_page_of_a_tiff_is_read_the_upside_down_one_too(
    reference: ReferenceData, copier_page: Any
) -> None:
    frames = [copier_page, copier_page.rotate(180)]
    doc = read_document(
        io.BytesIO(scans.image_bytes(frames, "TIFF")), source_name="scan.tif", reference=reference
    )
    rows = appendix_records(doc, "d")
    for page in ("p. 1", "p. 2"):
        right, review, wrong = _score([r for r in rows if r["source_line"] == page])
        assert not wrong and right + review == len(EXPECTED) and right >= 0.9 * len(EXPECTED)


def test_in_a_mixed_pdf_only_the_scanned_page_is_read_by_ocr(
    reference: ReferenceData, copier_page: Any
) -> None:
    import pypdfium2 as pdfium

    text = pdfium.PdfDocument(scans.report_pdf())
    text.import_pages(pdfium.PdfDocument(scans.image_pdf([copier_page])))
    out = io.BytesIO()
    text.save(out)
    doc = read_document(io.BytesIO(out.getvalue()), source_name="mixed.pdf", reference=reference)
    rows = appendix_records(doc, "d")
    methods = {(r["source_line"], r["read_method"]) for r in rows}
    assert methods == {("p. 1", "text"), ("p. 2", "ocr")}
    text_values = {r["stt"]: r["value_text"] for r in rows if r["source_line"] == "p. 1"}
    assert {k: v for k, v in text_values.items() if v} == EXPECTED
    assert all(r["ocr_confidence"] is None for r in rows if r["read_method"] == "text")


@pytest.mark.parametrize(("fmt", "make"), [("doc", scans.report_docx), ("xls", scans.report_xlsx)])
def test_doc_and_xls_give_the_rows_of_their_docx_and_xlsx(
    reference: ReferenceData, fmt: str, make: Any
) -> None:
    modern = make()
    original = "docx" if fmt == "doc" else "xlsx"
    legacy = scans.to_legacy(modern, original)
    assert legacy[:4] == b"\xd0\xcf\x11\xe0"
    new = _rows(modern, f"bao-cao.{original}", reference)
    old = _rows(legacy, f"bao-cao.{fmt}", reference)
    assert old == new
    assert {r["stt"]: r["value_text"] for r in old if r["value_text"]} == EXPECTED


def test_a_file_that_is_not_an_office_97_document_is_refused_clearly() -> None:
    with pytest.raises(Exception, match="not an Office 97–2003 document"):
        convert_legacy(b"PK\x03\x04 not really", "doc")


def test_without_the_tools_the_file_is_refused_with_the_package_to_install(
    monkeypatch: pytest.MonkeyPatch, reference: ReferenceData
) -> None:
    monkeypatch.setattr(shutil, "which", lambda _: None)
    with pytest.raises(MissingToolError, match="apt-get install libreoffice-writer-nogui"):
        read_document(io.BytesIO(b"x"), source_name="a.doc", reference=reference)
    with pytest.raises(MissingToolError, match="apt-get install tesseract-ocr tesseract-ocr-vie"):
        scan.read_pages([(1, lambda: None)], Limits())  # type: ignore[list-item]


def test_pages_and_pixels_are_capped() -> None:
    with pytest.raises(LimitExceededError, match="CCHC_MAX_SCAN_PAGES"):
        scan.check_scan_pages(3, Limits(scan_pages=2))
    with pytest.raises(LimitExceededError, match="CCHC_MAX_SCAN_PAGE_PIXELS"):
        scan.check_page_pixels(3000, 4000, 2, Limits(scan_page_pixels=10_000_000))


def test_tsv_words_keep_their_box_and_confidence_and_drop_bars() -> None:
    tsv = (
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight"
        "\tconf\ttext\n"
        "5\t1\t1\t1\t1\t1\t10\t20\t30\t12\t96.5\t1.044\n"
        "5\t1\t1\t1\t1\t2\t50\t20\t5\t12\t40\t|\n"
        "4\t1\t1\t1\t1\t0\t10\t20\t45\t12\t-1\t\n"
    )
    (word,) = scan.parse_tsv(tsv)
    assert (word.text, word.confidence, word.left, word.right) == ("1.044", 96.5, 10, 40)


def test_a_sentence_figure_takes_the_confidence_of_its_word() -> None:
    line = Paragraph("đã ban hành 14 văn bản", "p. 1", 1, word_confidences=(97, 96, 95, 41, 90, 92))
    row = RawRow((RawCell("9", read_method="ocr", ocr_confidence=88.0),), "p. 1", 2)
    fact = NarrativeFact("p. 1", "…", "figure", "14", "văn bản", None, None, None, None, None, None)
    other = NarrativeFact("p. 3", "…", "figure", "7", "x", None, None, None, None, None, None)
    marked, untouched = scan.attach_ocr_confidence([fact, other], [line, row])
    assert (marked.read_method, marked.ocr_confidence) == ("ocr", 41)
    assert (untouched.read_method, untouched.ocr_confidence) == ("text", None)


def test_cchc_ingest_without_the_tools_records_the_package_and_goes_on(tmp_path: Path) -> None:
    """Through the real command, with a PATH that holds neither LibreOffice nor
    tesseract: each such file gets its row in raw.ingest_errors, no traceback."""
    import duckdb

    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "bao-cao.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    (reports / "anh.png").write_bytes(scans.image_bytes([scans.copier_blank()], "PNG"))
    (reports / "hong.jpg").write_bytes(b"\xff\xd8\xff not a whole jpeg")
    warehouse = tmp_path / "w.duckdb"
    done = subprocess.run(
        [CCHC, "ingest", "--reports", str(reports), "--warehouse", str(warehouse)],
        capture_output=True,
        text=True,
        env={"PATH": str(tmp_path / "no-tools"), "HOME": str(tmp_path)},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    con = duckdb.connect(str(warehouse), read_only=True)
    rows = dict(
        (f, (k, w))
        for f, k, w in con.execute(
            "select file_path, error_kind, what_to_do from raw.ingest_errors"
        ).fetchall()
    )
    con.close()
    assert rows["bao-cao.doc"][0] == "missing_tool"
    assert (
        "apt-get install libreoffice-writer-nogui libreoffice-calc-nogui" in rows["bao-cao.doc"][1]
    )
    assert rows["anh.png"][0] == "missing_tool"
    assert "apt-get install tesseract-ocr tesseract-ocr-vie" in rows["anh.png"][1]
    assert rows["hong.jpg"][0] == "unreadable_file"


def test_a_conversion_past_its_time_is_stopped_whole(tmp_path, monkeypatch) -> None:
    """A LibreOffice that hangs (and has started a child, as soffice starts soffice.bin)
    is stopped whole at CCHC_MAX_CONVERT_SECONDS. The hang is a stand-in `soffice` on
    PATH: a real one refuses this junk in well under a second on an idle machine."""
    fake = tmp_path / "bin" / "soffice"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\nsh -c 'sleep 30' hung \"$@\" &\nsleep 30\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}:{os.environ['PATH']}")
    junk = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
    with pytest.raises(LimitExceededError, match="CCHC_MAX_CONVERT_SECONDS"):
        convert_legacy(junk, "doc", limits=Limits(convert_seconds=1))
    left = subprocess.run(["pgrep", "-f", "cchc-convert-"], capture_output=True, text=True)
    assert left.stdout == ""  # no LibreOffice process of it is left running
