"""Whose report, which period: read off each sample's own words."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.metadata import detect_metadata, parse_period
from ingest.model import Paragraph
from ingest.readers.text import read_text_blocks, text_to_blocks
from ingest.reference import load_reference

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = load_reference(ROOT / "seeds")

EXPECTED = {
    "000_1bbab62c8031cf52": (
        "Sở Thông tin và Truyền thông",
        "provincial_department",
        "Tuyên Quang",
        "half_year",
        2022,
        1,
        None,
        None,
        "2022-06-14",
    ),
    "001_bbdb728f27fe408d": (
        "Sở Thông tin và Truyền thông",
        "provincial_department",
        "Sóc Trăng",
        "year",
        2023,
        1,
        None,
        "319/BC-STTTT",
        "2023-12-15",
    ),
    "002_04942a727d49f9a1": (
        "Văn phòng Ủy ban nhân dân tỉnh",
        "provincial_office",
        "Hà Giang",
        "quarter",
        2023,
        1,
        None,
        "415/BC-VP",
        "2023-03-15",
    ),
    "003_2b11a7ce68afaa58": (
        "Ủy ban nhân dân tỉnh Tuyên Quang",
        "province",
        "Tuyên Quang",
        "quarter",
        2023,
        1,
        None,
        None,
        None,
    ),
    "004_2a3aa1aff8d27176": (
        "Ủy ban nhân dân tỉnh Tuyên Quang",
        "province",
        "Tuyên Quang",
        "plan",
        2021,
        None,
        2025,
        "603/QĐ-UBND",
        "2021-09-30",
    ),
}


def _texts(blocks: list) -> list[str]:
    return [b.text for b in blocks if isinstance(b, Paragraph)]


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_each_sample_is_placed(stem: str) -> None:
    with (ROOT / "data" / "reports" / f"{stem}.txt").open("rb") as fp:
        meta = detect_metadata(_texts(read_text_blocks(fp)), REFERENCE)
    fields = (
        "agency_name",
        "agency_type",
        "province_name",
        "period_type",
        "period_year",
        "period_number",
        "period_end_year",
        "report_number",
        "report_date",
    )
    assert tuple(getattr(meta, f).value for f in fields) == EXPECTED[stem]
    # each field says the strongest place that stated it (ingest.evidence)
    how = (meta.agency_name.how, meta.province_name.how, meta.period_type.how)
    assert how == FOUND_BY[stem]


FOUND_BY = {
    "000_1bbab62c8031cf52": ("reporting_sentence", "place_date", "title"),
    "001_bbdb728f27fe408d": ("reporting_sentence", "caption", "title"),
    "002_04942a727d49f9a1": ("reporting_sentence", "place_date", "title"),
    "003_2b11a7ce68afaa58": ("reporting_sentence", "title", "title"),
    "004_2a3aa1aff8d27176": ("caption", "title", "title"),
}


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (
            "Kết quả thực hiện cải cách hành chính Quý I, phương hướng nhiệm vụ Quý II năm 2023",
            ("quarter", 2023, 1),
        ),
        ("Công tác cải cách hành chính 6 tháng đầu năm 2022", ("half_year", 2022, 1)),
        ("Kết quả cải cách hành chính 9 tháng năm 2024", ("nine_months", 2024, 1)),
        ("Tình hình, kết quả thực hiện cải cách hành chính năm 2023", ("year", 2023, 1)),
        ("báo cáo quý 3 năm 2021", ("quarter", 2021, 3)),
    ],
)
def test_period_from_title(title: str, expected: tuple) -> None:
    period = parse_period(title)
    assert period is not None
    assert (period["period_type"], period["period_year"], period["period_number"]) == expected


def test_a_report_cited_in_the_text_is_not_the_reports_number() -> None:
    text = "BÁO CÁO\nKết quả CCHC năm 2023\nThực hiện Quyết định số 876/QĐ-BNV của Bộ Nội vụ"
    meta = detect_metadata(_texts(text_to_blocks(text)), REFERENCE)
    assert meta.report_number.value is None


def test_nothing_is_guessed_when_the_text_does_not_say() -> None:
    meta = detect_metadata(["Một đoạn văn không nói gì về cơ quan hay kỳ báo cáo."], REFERENCE)
    assert meta.missing_required() == ["agency_name", "province_name", "period_type", "period_year"]
