"""The period grammar (ingest.periods) as a table of phrasings with expected periods,
and the order in which ingest.metadata falls back from the title to other places."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from ingest.metadata import detect_metadata, find_period
from ingest.periods import file_stem, read_period, states_period_year
from ingest.reference import load_reference
from tools.corpus import periods as corpus_periods

REFERENCE = load_reference(Path(__file__).resolve().parents[2] / "seeds")

Q, H, N, Y, P = "quarter", "half_year", "nine_months", "year", "plan"

# (text, expected (period_type, year, number, end_year) or None)
PHRASINGS: list[tuple[str, tuple[str, int, int | None, int | None] | None]] = [
    # the reporting period, not the next period's plan
    (
        "Kết quả thực hiện công tác cải cách hành chính năm 2025, phương hướng, nhiệm vụ năm 2026",
        (Y, 2025, 1, None),
    ),
    ("Kết quả CCHC năm 2024 và nhiệm vụ trọng tâm năm 2025", (Y, 2024, 1, None)),
    ("Tổng kết năm 2023, kế hoạch năm 2024", (Y, 2023, 1, None)),
    (
        "Kết quả CCHC 9 tháng đầu năm 2024, phương hướng nhiệm vụ quý IV năm 2024",
        (N, 2024, 1, None),
    ),
    ("Kết quả CCHC quý I, phương hướng nhiệm vụ quý II năm 2023", (Q, 2023, 1, None)),
    (
        "Công tác CCHC 6 tháng đầu năm 2024, nhiệm vụ 6 tháng cuối năm tiếp theo",
        (H, 2024, 1, None),
    ),
    ("quý III năm 2024 và nhiệm vụ quý IV năm 2024", (Q, 2024, 3, None)),
    # a year written once, in the plan: the plan's quarter I is in the next year
    ("Kết quả CCHC quý IV, phương hướng, nhiệm vụ quý I năm 2025", (Q, 2024, 4, None)),
    # the most specific statement: nine months is never a quarter
    ("Báo cáo quý III và 9 tháng năm 2024", (N, 2024, 1, None)),
    ("Kết quả cải cách hành chính 9 tháng năm 2024", (N, 2024, 1, None)),
    ("chín tháng đầu năm 2022", (N, 2022, 1, None)),
    ("09 tháng năm 2021", (N, 2021, 1, None)),
    ("9T-2024", (N, 2024, 1, None)),
    # six months
    ("Công tác cải cách hành chính 6 tháng đầu năm 2022", (H, 2022, 1, None)),
    ("6 tháng năm 2023", (H, 2023, 1, None)),
    ("sáu tháng đầu năm 2023", (H, 2023, 1, None)),
    ("06 tháng năm 2020", (H, 2020, 1, None)),
    ("6T/2023", (H, 2023, 1, None)),
    ("từ tháng 01 đến tháng 6 năm 2024", (H, 2024, 1, None)),
    # quarters, Roman and Arabic
    ("báo cáo quý 3 năm 2021", (Q, 2021, 3, None)),
    ("Quý IV năm 2024", (Q, 2024, 4, None)),
    ("QUÝ II NĂM 2025", (Q, 2025, 2, None)),
    ("Quý 3/2024", (Q, 2024, 3, None)),
    ("quý III/2024", (Q, 2024, 3, None)),
    ("Q3-2024", (Q, 2024, 3, None)),
    ("Q3/2024", (Q, 2024, 3, None)),
    ("QIII.2024", (Q, 2024, 3, None)),
    ("Q1_2024", (Q, 2024, 1, None)),
    ("quy-1-2024", (Q, 2024, 1, None)),
    # years
    ("Tình hình, kết quả thực hiện cải cách hành chính năm 2023", (Y, 2023, 1, None)),
    ("cả năm 2024", (Y, 2024, 1, None)),
    ("TỔNG KẾT NĂM 2024", (Y, 2024, 1, None)),
    # plan spans
    ("Kế hoạch cải cách hành chính giai đoạn 2021 - 2025", (P, 2021, None, 2025)),
    ("giai đoạn 2021–2025", (P, 2021, None, 2025)),
    ("Chương trình CCHC 2021 - 2025", (P, 2021, None, 2025)),
    # no diacritics
    ("bao cao quy 3 nam 2024", (Q, 2024, 3, None)),
    ("6 thang dau nam 2023", (H, 2023, 1, None)),
    ("ket qua cchc nam 2025, phuong huong nhiem vu nam 2026", (Y, 2025, 1, None)),
    ("BAO CAO 9 THANG 2023", (N, 2023, 1, None)),
    # file-name forms
    ("BC_Q3_2024", (Q, 2024, 3, None)),
    ("bao-cao-9-thang-2023", (N, 2023, 1, None)),
    ("2024_Q2", (Q, 2024, 2, None)),
    ("Bao cao CCHC Q2.2024 - SYT", (Q, 2024, 2, None)),
    ("SNV_BC_CCHC_nam_2023", (Y, 2023, 1, None)),
    ("phu-luc-02-so-noi-vu-6-thang-2023", (H, 2023, 1, None)),
    ("lao-cai_so-xay-dung_9T-2025", (N, 2025, 1, None)),
    ("BC CCHC 2024", (Y, 2024, 1, None)),
    ("SNV_6thang_2024", (H, 2024, 1, None)),
    # texts that state no period
    ("Số: 123/BC-UBND", None),
    ("318-BC-UBND", None),
    ("ngày 15/6/2024", None),
    ("Hà Giang, ngày 15 tháng 3 năm 2023", None),
    ("Quý I", None),
    ("Một đoạn văn không nói gì về kỳ báo cáo.", None),
    ("Quy trình giải quyết thủ tục hành chính", None),
    ("", None),
]


@pytest.mark.parametrize(("text", "expected"), PHRASINGS)
def test_period_phrasing(text: str, expected: tuple | None) -> None:
    reading = read_period(text)
    if expected is None:
        assert reading is None, f"{text!r} states no period, read {reading}"
        return
    assert reading is not None, f"{text!r} states {expected}"
    period = reading.period
    assert (period.period_type, period.year, period.number, period.end_year) == expected


def test_every_phrasing_the_corpus_generator_writes() -> None:
    """The variation corpus (tools.corpus.periods) writes each period in every style,
    case and file-name form; each reads back to its period."""
    styles, cases, forms = corpus_periods.STYLES, corpus_periods.CASES, corpus_periods.FILE_FORMS
    wrong = []
    for period_type, type_styles in styles.items():
        for year, number in itertools.product((2019, 2025), (1, 2, 3, 4)):
            if period_type != Q and number > 1:
                continue
            period = corpus_periods.Period(period_type, year, number)
            texts = [
                corpus_periods.apply_case(
                    corpus_periods.subject_line(period, style, with_plan=with_plan), case
                )
                for style, case, with_plan in itertools.product(type_styles, cases, (True, False))
            ]
            texts += [
                f"SNV_BC_{corpus_periods.file_form(period, k)}"
                for k in range(len(forms[period_type]))
            ]
            for text in texts:
                reading = read_period(text)
                got = reading and (reading.period.period_type, reading.period.year)
                if got != (period_type, year) or reading.period.number != number:
                    wrong.append((text, got))
    assert not wrong


def test_the_table_is_large_enough() -> None:
    assert len(PHRASINGS) >= 40


def test_a_caption_year_must_be_written_as_such() -> None:
    # a bare year counts in a title or a name, not in a caption's running text
    assert read_period("Phụ lục 02 Bảng số 2024", "caption", bare_year=False) is None
    reading = read_period("(Kèm theo Báo cáo quý 3/2024 của Sở Nội vụ)", "caption", bare_year=False)
    assert reading is not None
    assert (reading.period.period_type, reading.period.year, reading.found_by) == (
        Q,
        2024,
        "caption",
    )


def test_a_title_line_reaches_its_year() -> None:
    assert states_period_year("quý III/2024")
    assert states_period_year("công tác CCHC năm 2024")
    assert not states_period_year("Kết quả thực hiện cải cách hành chính quý I")
    assert not states_period_year("ngày 15/6/2024")


def test_file_stem() -> None:
    assert file_stem("reports/2024/BC_Q2.2024.xlsx") == "BC_Q2.2024"
    assert file_stem("C:\\bao cao\\bao-cao-9-thang-2023.docx") == "bao-cao-9-thang-2023"
    assert file_stem("SNV_BC_CCHC_nam_2023.tar.gz") == "SNV_BC_CCHC_nam_2023"


def test_fallback_order_title_caption_sheet_file() -> None:
    texts = ["PHỤ LỤC 02", "Thống kê số liệu CCHC 6 tháng đầu năm 2024"]
    by_title = find_period("CCHC quý I năm 2024", texts, [], ["9 tháng 2024"], "2024_Q3.xlsx")
    assert by_title is not None and by_title.found_by == "title"
    assert by_title.period.period_type == Q
    by_caption = find_period(None, texts, [], ["9 tháng 2024"], "2024_Q3.xlsx")
    assert by_caption is not None and by_caption.found_by == "caption"
    assert by_caption.period.period_type == H
    by_sheet = find_period(None, ["Bảng số liệu"], [], ["9 tháng 2024"], "2024_Q3.xlsx")
    assert by_sheet is not None and by_sheet.found_by == "sheet_name"
    assert by_sheet.period.period_type == N
    by_file = find_period(None, ["Bảng số liệu"], [], ["Sheet1"], "2024_Q3.xlsx")
    assert by_file is not None and by_file.found_by == "file_name"
    assert (by_file.period.period_type, by_file.period.number) == (Q, 3)
    assert find_period(None, ["Bảng số liệu"], [], ["Sheet1"], "318-BC-UBND.pdf") is None


def test_an_appendix_sent_alone_is_dated_by_its_caption() -> None:
    texts = [
        "Phụ lục I",
        "THỐNG KÊ SỐ LIỆU CẢI CÁCH HÀNH CHÍNH",
        "(Kèm theo Báo cáo số 127/BC-SNV ngày 10/10/2024 của Sở Nội vụ tỉnh Lào Cai về "
        "kết quả CCHC 9 tháng đầu năm 2024)",
    ]
    meta = detect_metadata(texts, REFERENCE)
    assert (meta.period_type.value, meta.period_year.value) == (N, 2024)


def test_the_file_name_places_a_document_whose_words_say_no_period() -> None:
    meta = detect_metadata(["Bảng số liệu"], REFERENCE, file_name="SNV_BC_Q2_2025.xlsx")
    assert (meta.period_type.value, meta.period_year.value, meta.period_number.value) == (
        Q,
        2025,
        2,
    )
    assert detect_metadata(["Bảng số liệu"], REFERENCE).period_type.value is None
