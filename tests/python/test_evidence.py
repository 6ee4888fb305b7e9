"""Metadata as evidence: every place a report states who and when, weighed.

tests/cases/metadata_cases.csv is the table of cases: a document's lines (`` | ``
between lines, ``;`` for a comma), its file name (with folders), sheet names, page
headers and properties, and the fields expected with the place each was found by."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook

from ingest import folder
from ingest.document import read_document
from ingest.errors import UnplacedDocumentError
from ingest.evidence import Candidate, combined, decide
from ingest.metadata import FileTexts, weigh_metadata
from ingest.records import document_record
from ingest.reference import load_reference

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = load_reference(ROOT / "seeds")
CASES = list(
    csv.DictReader((ROOT / "tests" / "cases" / "metadata_cases.csv").open(encoding="utf-8"))
)


def _list(cell: str) -> list[str]:
    return [part.strip().replace(";", ",") for part in cell.split(" | ") if part.strip()]


@pytest.mark.parametrize("case", CASES, ids=[c["case_name"] for c in CASES])
def test_each_place_states_the_metadata(case: dict[str, str]) -> None:
    files = FileTexts(
        sheet_names=_list(case["sheet_names"]),
        page_headers=_list(case["page_headers"]),
        properties=_list(case["properties"]),
        file_name=case["file_name"] or None,
    )
    meta, evidence = weigh_metadata(_list(case["lines"]), REFERENCE, files)
    period = evidence.get("period")
    assert (
        meta.agency_name.value,
        meta.agency_type.value,
        meta.province_name.value,
        period.value.label() if period else None,
    ) == (case["agency_name"], case["agency_type"], case["province_name"], case["period"])
    assert (meta.agency_name.how, meta.province_name.how, meta.period_type.how) == (
        case["agency_found_by"],
        case["province_found_by"],
        case["period_found_by"],
    )
    former = evidence.get("former_province_name")
    assert (str(former.value) if former else "") == case["former_province"]
    conflicting = sorted(name for name, d in evidence.decisions.items() if d.conflicts)
    assert conflicting == _list(case["conflicting"])


def _candidate(value: str, found_by: str) -> Candidate:
    return Candidate("agency_name", value, value, found_by, value)  # type: ignore[arg-type]


def test_agreeing_places_raise_confidence_and_the_strongest_wins() -> None:
    alone = decide([_candidate("a", "file_name")])
    agreed = decide([_candidate("a", "file_name"), _candidate("a", "sheet_name")])
    assert alone is not None and agreed is not None
    assert agreed.confidence > alone.confidence
    assert combined(agreed.supporters) == pytest.approx(1 - (1 - 0.35) * (1 - 0.55))
    # one strong place outweighs two weak ones that agree with each other
    split = decide(
        [_candidate("b", "file_name"), _candidate("b", "folder_name"), _candidate("a", "caption")]
    )
    assert split is not None and split.value == "a"
    assert [c.found_by for c in split.conflicts] == ["file_name", "folder_name"]
    assert split.confidence < decide([_candidate("a", "caption")]).confidence  # type: ignore[union-attr]


def test_the_manifest_wins_and_keeps_what_the_document_said() -> None:
    manifest = _candidate("m", "manifest")
    decision = decide([_candidate("a", "letterhead_issuer")], prefer=manifest)
    assert decision is not None
    assert (decision.value, decision.found_by, decision.confidence) == ("m", "manifest", 1.0)
    assert [c.value for c in decision.conflicts] == ["a"]


def test_a_report_dated_long_before_its_period_ends_is_less_sure() -> None:
    lines = [
        "SỞ NỘI VỤ",
        "Số: 5/BC-SNV",
        "Lào Cai, ngày 10 tháng 3 năm 2025",
        "BÁO CÁO",
        "Kết quả thực hiện công tác cải cách hành chính năm 2025",
    ]
    _, evidence = weigh_metadata(lines, REFERENCE)
    period = evidence.get("period")
    assert period is not None and period.value.label() == "year 2025"
    assert period.confidence < 0.5 and "before the period ends" in period.winner.note


def test_the_evidence_reaches_the_raw_record() -> None:
    text = (
        "UBND TỈNH LÀO CAI\nSỞ NỘI VỤ\nSố: 127/BC-SNV\nLào Cai, ngày 10 tháng 6 năm 2024\n\n"
        "BÁO CÁO\nKết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2024\n"
    )
    doc = read_document(
        io.BytesIO(text.encode()),
        source_name="phu-luc_so-tu-phap_lao-cai_6T-2024.txt",
        reference=REFERENCE,
    )
    record = document_record(doc)
    # the name as the symbol's seed writes it (agreeing with the letterhead's capitals)
    assert (record["agency_name"], record["agency_name_found_by"]) == (
        "Sở Nội vụ",
        "letterhead_issuer",
    )
    [conflict] = json.loads(record["agency_name_conflicts"])
    assert (conflict["value"], conflict["found_by"]) == ("Sở Tư pháp", "file_name")
    assert record["period_conflicts"] is None and 0 < record["period_confidence"] <= 1
    fields = {c["field"] for c in json.loads(record["metadata_candidates"])}
    assert {"agency_name", "province_name", "period", "report_number", "report_date"} <= fields


APPENDIX_ALONE = "PHỤ LỤC 01\nThống kê số liệu\n\nSTT\tChỉ tiêu\tSố liệu\n1\tSố TTHC\t12\n"


def test_a_report_named_only_by_its_file_is_placed() -> None:
    doc = read_document(
        io.BytesIO(APPENDIX_ALONE.encode()),
        source_name="2024/phu-luc_so-noi-vu_lao-cai_Q3.2024.txt",
        reference=REFERENCE,
    )
    meta = doc.meta
    assert (meta.agency_name.value, meta.province_name.value, meta.period_type.value) == (
        "Sở Nội vụ",
        "Lào Cai",
        "quarter",
    )
    assert (meta.period_year.value, meta.period_number.value, meta.period_type.how) == (
        2024,
        3,
        "file_name",
    )


def test_a_workbook_named_by_its_sheet_and_title_row_is_placed() -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "PL 9 tháng năm 2025"
    sheet.append(["SỞ Y TẾ TỈNH GIA LAI"])
    sheet.append([])
    sheet.append(["STT", "Chỉ tiêu", "Số liệu"])
    sheet.append(["1", "Số TTHC", 12])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    doc = read_document(data, source_name="book.xlsx", reference=REFERENCE)
    meta = doc.meta
    assert (meta.agency_name.value, meta.province_name.value, meta.period_type.value) == (
        "SỞ Y TẾ TỈNH GIA LAI",
        "Gia Lai",
        "nine_months",
    )
    assert (meta.agency_name.how, meta.period_type.how) == ("title_row", "sheet_name")


def test_an_unplaced_report_says_what_it_found_and_the_line_to_add() -> None:
    with pytest.raises(UnplacedDocumentError) as raised:
        read_document(
            io.BytesIO(APPENDIX_ALONE.encode()),
            source_name="bao-cao_Q3.2024.txt",
            reference=REFERENCE,
        )
    error = raised.value
    assert "agency_name, province_name" in error.expected
    assert "no place states them" in error.expected
    assert "found period 'quarter 2024-3' (file_name)" in error.expected
    assert error.what_to_do.endswith("bao-cao_Q3.2024.txt,<agency_name>,,<province_name>,,,,,,,,")


def test_ingest_places_reports_named_by_file_folder_and_sheet(tmp_path: Path) -> None:
    """Through the folder ingest into a real DuckDB: raw.documents records where each
    field was found, how sure, what disagreed, and the former province."""
    reports = tmp_path / "reports"
    (reports / "lao-cai" / "so-noi-vu").mkdir(parents=True)
    (reports / "lao-cai" / "so-noi-vu" / "phu-luc_Q3.2024.txt").write_text(
        APPENDIX_ALONE, encoding="utf-8"
    )
    book = Workbook()
    book.active.title = "PL 9 tháng năm 2025"
    book.active.append(["ỦY BAN NHÂN DÂN XÃ TÂN YÊN, TỈNH ĐỒNG THÁP (THUỘC TỈNH TIỀN GIANG (CŨ))"])
    book.active.append([])
    book.active.append(["STT", "Chỉ tiêu", "Số liệu"])
    book.active.append(["1", "Số TTHC", 12])
    book.save(reports / "book.xlsx")
    warehouse = tmp_path / "cchc.duckdb"
    summary = folder.ingest_folder(
        reports, warehouse, seeds_dir=ROOT / "seeds", now=lambda: datetime(2026, 12, 2, 1)
    )
    assert summary.files_failed == 0
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            """
            select file_path, agency_name, agency_name_found_by, province_name,
                province_name_found_by, period_type, period_type_found_by,
                former_province_name, period_confidence > 0
            from raw.documents order by file_path
            """
        ).fetchall()
    assert rows == [
        (
            "book.xlsx",
            "ỦY BAN NHÂN DÂN XÃ TÂN YÊN",
            "title_row",
            "Đồng Tháp",
            "title_row",
            "nine_months",
            "sheet_name",
            "Tiền Giang",
            True,
        ),
        (
            "lao-cai/so-noi-vu/phu-luc_Q3.2024.txt",
            "Sở Nội vụ",
            "folder_name",
            "Lào Cai",
            "folder_name",
            "quarter",
            "file_name",
            None,
            True,
        ),
    ]


def test_word_headers_and_footers_are_read_as_evidence() -> None:
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Báo cáo CCHC quý II năm 2024"
    document.sections[0].footer.paragraphs[0].text = "Sở Tư pháp tỉnh Lai Châu"
    document.add_paragraph("PHỤ LỤC 01")
    data = io.BytesIO()
    document.save(data)
    data.seek(0)
    doc = read_document(data, source_name="pl.docx", reference=REFERENCE)
    meta = doc.meta
    assert (meta.agency_name.value, meta.agency_name.how) == (
        "Sở Tư pháp tỉnh Lai Châu",
        "page_footer",
    )
    assert (meta.province_name.value, meta.province_name.how) == ("Lai Châu", "page_footer")
    assert (meta.period_type.value, meta.period_number.value, meta.period_type.how) == (
        "quarter",
        2,
        "page_header",
    )


def test_a_pdf_line_at_the_top_of_every_page_is_its_page_header() -> None:
    from ingest.document import pdf_page_lines
    from ingest.model import Paragraph

    blocks = [
        Paragraph("Báo cáo CCHC năm 2024 - Sở Y tế", "p. 1", 1),
        Paragraph("PHỤ LỤC 01", "p. 1", 2),
        Paragraph("Trang 1", "p. 1", 3),
        Paragraph("Báo cáo CCHC năm 2024 - Sở Y tế", "p. 2", 4),
        Paragraph("tiếp theo", "p. 2", 5),
        Paragraph("Trang 1", "p. 2", 6),
    ]
    assert pdf_page_lines(blocks) == (["Báo cáo CCHC năm 2024 - Sở Y tế"], ["Trang 1"])
    # one page: its first line, unless it is a letterhead's (capitals, the number)
    assert pdf_page_lines(blocks[:2]) == (["Báo cáo CCHC năm 2024 - Sở Y tế"], [])
    assert pdf_page_lines([Paragraph("UBND TỈNH LÀO CAI", "p. 1", 1)]) == ([], [])


def test_a_manifest_line_overrides_and_keeps_what_the_document_said() -> None:
    from ingest.manifest import parse_manifest

    text = (
        "UBND TỈNH LÀO CAI\nSỞ NỘI VỤ\nSố: 127/BC-SNV\nLào Cai, ngày 10 tháng 6 năm 2024\n\n"
        "BÁO CÁO\nKết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2024\n"
    )
    manifest = parse_manifest(
        "file,agency_name,province_name\nr.txt,Sở Tư pháp,Tỉnh Lào Cai\n", source_name="m.csv"
    )
    doc = read_document(
        io.BytesIO(text.encode()),
        source_name="r.txt",
        reference=REFERENCE,
        manifest_entry=manifest["r.txt"],
    )
    record = document_record(doc)
    assert (record["agency_name"], record["agency_name_found_by"]) == ("Sở Tư pháp", "manifest")
    assert record["agency_name_confidence"] == 1.0
    said = {c["value"] for c in json.loads(record["agency_name_conflicts"])}
    assert said == {"SỞ NỘI VỤ", "Sở Nội vụ"}  # the letterhead and the number's symbol
    # the province the manifest writes is the one the document states: no conflict
    assert record["province_name_conflicts"] is None
