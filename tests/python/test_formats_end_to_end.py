"""A report sent as Word, Excel or PDF (and the text extraction of the same report)
ingests and builds to the same facts: the readers differ, everything after them is
shared."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT, Built, build_warehouse
from test_docx_xlsx_readers import PL1_002, PL4_002, R002, read, write_docx, write_xlsx
from test_pdf_reader import FONT_DIRS, FONT_FILES, report_pdf

from ingest.readers.text import read_text_blocks

FACTS = """
    select facts.indicator_code, facts.stt, facts.raw_value_text, facts.value_numeric,
        facts.value_code, facts.scope
    from marts.fct_indicator_value as facts
    inner join raw.appendix_rows as raw_rows
        on facts.document_id = raw_rows.document_id
        and facts.source_ref = raw_rows.source_ref
    where facts.file_path = ? and raw_rows.appendix_no in ('1', '4')
    order by all
"""


@pytest.fixture(scope="module")
def formats(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("formats")
    reports = folder / "reports"
    reports.mkdir()
    shutil.copy(R002, reports / "002.txt")
    opening = [b.text for b in read(read_text_blocks, R002) if 9 <= b.line_no <= 11]
    write_docx(reports / "002.docx", [PL1_002, PL4_002], opening=opening)
    write_xlsx(reports / "002.xlsx", [PL1_002, PL4_002])
    fonts = next(d for d in FONT_DIRS if all((d / f).is_file() for f in FONT_FILES.values()))
    (reports / "002.pdf").write_bytes(report_pdf(fonts, read(read_text_blocks, R002)))
    # a workbook carries no letterhead: its manifest line says whose report it is
    (reports / "manifest.csv").write_text(
        "file,agency_name,agency_type,province_name,period_type,period_year,period_number\n"
        "002.xlsx,Văn phòng Ủy ban nhân dân tỉnh,provincial_office,Hà Giang,quarter,2023,1\n",
        encoding="utf-8",
    )
    built = build_warehouse(folder, reports=reports)
    assert built.result.returncode == 0, built.result.stderr
    return built


@pytest.mark.parametrize("name", ["002.docx", "002.xlsx", "002.pdf"])
def test_same_facts_as_the_text_version(formats: Built, name: str) -> None:
    expected = formats.query(FACTS, ["002.txt"])
    assert len(expected) == 57  # Phụ lục 1 (36 rows) and 4 (21 rows)
    assert formats.query(FACTS, [name]) == expected


def test_word_and_excel_places_are_kept(formats: Built) -> None:
    lines = dict(
        formats.query(
            "select file_format, min(source_line) from raw.appendix_rows "
            "join raw.documents using (document_id) group by 1"
        )
    )
    assert lines["docx"].startswith("table ") and " row " in lines["docx"]
    assert "!A" in lines["xlsx"]
    assert lines["pdf"].startswith("p. ")


def test_document_properties_fill_what_the_text_does_not_say(tmp_path: Path) -> None:
    import docx

    from ingest.document import read_document
    from ingest.reference import load_reference

    document = docx.Document()
    document.core_properties.title = "Báo cáo kết quả cải cách hành chính 6 tháng đầu năm 2024"
    document.core_properties.author = "Sở Nội vụ tỉnh Tuyên Quang"
    document.add_paragraph("Một báo cáo không ghi tiêu đề trong văn bản.")
    path = tmp_path / "no_title.docx"
    document.save(path)
    with path.open("rb") as fp:
        doc = read_document(fp, source_name=path.name, reference=load_reference(ROOT / "seeds"))
    assert (doc.meta.period_type.value, doc.meta.period_year.value) == ("half_year", 2024)
    assert doc.meta.province_name.value == "Tuyên Quang"
