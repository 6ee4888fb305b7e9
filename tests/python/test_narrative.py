"""Figures stated in sentences and targets stated in a plan (ingest.narrative), on the
sample reports and on small made-up texts."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from ingest.layout import extract_tables
from ingest.model import NarrativeFact, Paragraph
from ingest.narrative import (
    COMPARATOR_WORDS,
    SENTENCE_UNIT_WORDS,
    SUBJECT_HEAD_WORDS,
    extract_figures,
    extract_targets,
    join_wrapped,
    norm,
    unit_words,
)
from ingest.readers.text import text_to_blocks
from ingest.reference import load_reference

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ROOT / "data" / "reports"
UNITS = load_reference(ROOT / "seeds").count_unit_aliases  # the seed's units
SAMPLES = {
    "000": "000_1bbab62c8031cf52.txt",
    "001": "001_bbdb728f27fe408d.txt",
    "002": "002_04942a727d49f9a1.txt",
    "003": "003_2b11a7ce68afaa58.txt",
    "004": "004_2a3aa1aff8d27176.txt",
}
WITH_TABLES = ("000", "001", "002")  # their running text comes from extract_tables


@cache
def paragraphs(sample: str) -> tuple[Paragraph, ...]:
    blocks = text_to_blocks((REPORTS / SAMPLES[sample]).read_text(encoding="utf-8"))
    if sample in WITH_TABLES:
        _, running_text, _ = extract_tables(blocks)
        return tuple(running_text)
    return tuple(b for b in blocks if isinstance(b, Paragraph))


@cache
def figures(sample: str) -> tuple[NarrativeFact, ...]:
    return tuple(extract_figures(paragraphs(sample), unit_aliases=UNITS))


@cache
def targets(sample: str) -> tuple[NarrativeFact, ...]:
    return tuple(extract_targets(paragraphs(sample), unit_aliases=UNITS))


def one(facts: tuple[NarrativeFact, ...], figure_text: str, source_line: str) -> NarrativeFact:
    found = [f for f in facts if f.figure_text == figure_text and f.source_line == source_line]
    assert len(found) == 1, f"{figure_text} at {source_line}: {found}"
    return found[0]


def lines(*texts: str, start: int = 1) -> list[Paragraph]:
    """Made-up paragraphs, one per line, with a blank line between (as PDF text has)."""
    return [
        Paragraph(text=t, source_line=str(start + 2 * i), line_no=start + 2 * i)
        for i, t in enumerate(texts)
    ]


# ------------------------------------------------------------------ join_wrapped


def test_join_joins_a_line_that_starts_in_lower_case() -> None:
    joined = join_wrapped(
        lines(
            "Đến ngày 14/03/2023, tổng số TTHC thuộc thẩm quyền giải quyết tại",
            "địa phương: 1.855 TTHC (trong đó: số TTHC cấp tỉnh là 1.497; số TTHC cấp",
            "huyện là 243).",
            "2.3. Kết quả thực hiện cơ chế một cửa",
            start=388,
        )
    )
    assert [p.source_line for p in joined] == ["388-392", "394"]
    assert joined[0].text == (
        "Đến ngày 14/03/2023, tổng số TTHC thuộc thẩm quyền giải quyết tại địa phương: "
        "1.855 TTHC (trong đó: số TTHC cấp tỉnh là 1.497; số TTHC cấp huyện là 243)."
    )
    assert joined[0].line_no == 388


def test_join_continues_with_a_number_after_an_open_line() -> None:
    joined = join_wrapped(lines("Sở đã ban hành Kế hoạch số 84/KH-UBND ngày", "19/5/2022 về CCHC."))
    assert [(p.source_line, p.text) for p in joined] == [
        ("1-3", "Sở đã ban hành Kế hoạch số 84/KH-UBND ngày 19/5/2022 về CCHC.")
    ]


@pytest.mark.parametrize(
    "second",
    [
        "2.3. Kết quả thực hiện cơ chế một cửa",
        "a) Tình hình tổ chức và hoạt động",
        "- Số phản ánh, kiến nghị đang xử lý: 05",
        "+ Số lượng hồ sơ đang giải quyết 4.104 hồ sơ.",
        "II. KẾT QUẢ THỰC HIỆN",
    ],
)
def test_join_starts_a_paragraph_at_a_heading_or_list_item(second: str) -> None:
    joined = join_wrapped(lines("Các cơ quan, đơn vị đã chủ động triển khai thực hiện", second))
    assert [p.text for p in joined] == [
        "Các cơ quan, đơn vị đã chủ động triển khai thực hiện",
        second,
    ]


def test_join_does_not_run_whole_paragraphs_together() -> None:
    # unwrapped text: a paragraph that ends without a full stop is still a paragraph
    first = "Quyết định 40/QĐ-UBND ngày 17/1/2022 của Ủy ban nhân dân tỉnh Tuyên Quang"
    second = "Quyết định số 1804/QĐ-UBND ngày 18/11/2021 của Ủy ban nhân dân tỉnh"
    assert [p.text for p in join_wrapped(lines(first, second))] == [first, second]


def test_join_keeps_the_text_after_a_dropped_footnote_marker() -> None:
    joined = join_wrapped(
        lines(
            "Chỉ số cải cách hành chính năm 2020 đạt 83,81%",
            "; Chỉ số hài lòng (Sipas) năm 2020 đạt 82,25%",
            ". Thể chế hành chính tiếp tục được hoàn thiện.",
        )
    )
    assert [p.source_line for p in joined] == ["1-5"]


def wrapped_page() -> list[Paragraph]:
    """A page of PDF text wrapped at ~70 characters, with a footnote and a link where
    the page ended, and a sentence that runs on to the next page."""
    return lines(
        "Ủy ban nhân dân tỉnh ban hành Kế hoạch số 243/KH-UBND ngày 31/12/2022 về",
        "công tác xây dựng, kiểm tra, rà soát, hệ thống hóa văn bản quy phạm pháp",
        "luật trên địa bàn tỉnh Tuyên Quang năm 2023; công bố danh mục 57 văn bản",
        "quy phạm pháp luật do HĐND, UBND tỉnh ban hành hết hiệu lực toàn bộ và",
        "hết hiệu lực một phần, đăng tải trên Cổng thông tin điện tử tỉnh Tuyên",
        "Quang và trang thông tin điện tử của các cơ quan, đơn vị trên địa bàn",
        "tỉnh; tổ chức tập huấn nghiệp vụ cho cán bộ, công chức làm công tác pháp",
        "chế tại các sở, ban, ngành và Ủy ban nhân dân các huyện, thành phố trong",
        "quý I năm 2023 với sự tham gia của đại biểu các cơ quan, đơn vị liên quan",
        "theo đúng kế hoạch đề ra; kiểm tra 27 đề nghị xây dựng văn bản quy phạm",
        "1 Báo cáo số 26/BC-UBND ngày 23/02/2023",
        "https://tuyenquangtv.vn/",
        "pháp luật của HĐND, UBND tỉnh, đạt 100%.",
        "Giao Sở Tư pháp kiểm tra, rà soát văn bản.",
    )


def test_join_rejoins_a_sentence_across_a_footnote_and_a_link() -> None:
    joined = join_wrapped(wrapped_page())
    main, footnote, link, last = joined
    assert main.source_line == "1-25"
    assert "tỉnh Tuyên Quang và trang thông tin" in main.text  # upper case, wrapped line
    assert main.text.endswith(
        "kiểm tra 27 đề nghị xây dựng văn bản quy phạm pháp luật của HĐND, UBND tỉnh, đạt 100%."
    )
    assert (footnote.text, footnote.is_footnote) == (
        "1 Báo cáo số 26/BC-UBND ngày 23/02/2023",
        True,
    )
    assert link.text == "https://tuyenquangtv.vn/"
    assert last.text == "Giao Sở Tư pháp kiểm tra, rà soát văn bản."


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_join_is_idempotent(sample: str) -> None:
    once = join_wrapped(paragraphs(sample))
    assert join_wrapped(once) == once


@pytest.mark.parametrize("sample", ["000", "001", "002", "004"])
def test_join_is_harmless_on_unwrapped_files(sample: str) -> None:
    """In a file that is not wrapped, a line is only ever joined to what it plainly
    continues: it starts in lower case, with punctuation, or with a number."""
    by_line = {p.source_line: p for p in paragraphs(sample)}
    joined = join_wrapped(paragraphs(sample))
    assert len(joined) >= 0.9 * len(by_line)
    for paragraph in joined:
        if "-" not in paragraph.source_line:
            # unchanged (a list item inside a page's footnotes is flagged as footnote text)
            assert paragraph.text == by_line[paragraph.source_line].text
            continue
        first, last = (int(n) for n in paragraph.source_line.split("-"))
        parts = [by_line[str(n)] for n in range(first + 1, last + 1) if str(n) in by_line]
        assert paragraph.text.startswith(by_line[str(first)].text)
        assert any(p.text[0].islower() or p.text[0] in ";.,0123456789" for p in parts)


def test_join_on_the_wrapped_sample() -> None:
    joined = {p.source_line: p for p in join_wrapped(paragraphs("003"))}
    assert len(joined) < len(paragraphs("003")) / 3
    tthc = joined["370-392"].text
    assert "địa phương: 1.855 TTHC (trong đó: số TTHC cấp tỉnh là 1.497; số TTHC cấp " in tthc
    assert "huyện là 243; số TTHC cấp xã là 117)." in tthc
    # a sentence interrupted by footnote 1 and two links at a page break
    assert "hết hiệu lực một phần năm 2022 (22 văn bản hết hiệu lực toàn bộ" in (
        joined["186-205"].text
    )
    assert joined["199"].is_footnote
    assert joined["445-449"].text.startswith("Tính từ ngày 15/12/2022 đến ngày 14/3/2023,")


# ------------------------------------------------------------------ figures: 003


def test_003_tthc_total_and_its_three_parts() -> None:
    facts = figures("003")
    total = one(facts, "1.855", "388-392")
    assert (total.unit_text, total.breakdown_of, total.breakdown_position) == ("TTHC", None, None)
    assert total.subject_text == "tổng số TTHC thuộc thẩm quyền giải quyết tại địa phương"
    assert total.section == "2.2"
    assert total.kind == "figure"
    assert total.sentence.startswith("Đến ngày 14/03/2023, tổng số TTHC")
    assert total.sentence.endswith("số TTHC cấp xã là 117).")
    parts = [one(facts, text, "388-392") for text in ("1.497", "243", "117")]
    assert [(p.subject_text, p.breakdown_of, p.breakdown_position) for p in parts] == [
        ("số TTHC cấp tỉnh", "1.855", 1),
        ("số TTHC cấp huyện", "1.855", 2),
        ("số TTHC cấp xã", "1.855", 3),
    ]
    assert all(p.unit_text is None for p in parts)  # nothing written after the number


def test_003_dossiers_received_with_their_window() -> None:
    facts = figures("003")
    received = one(facts, "59.393", "445-449")
    assert received.subject_text == "tổng số hồ sơ TTHC toàn tỉnh đã tiếp nhận"
    assert received.unit_text == "hồ sơ"
    assert received.window_text == "Tính từ ngày 15/12/2022 đến ngày 14/3/2023"
    assert (received.window_start, received.window_end) == ("2022-12-15", "2023-03-14")
    assert received.section == "2.3 c)"
    new, carried = one(facts, "57.968", "445-449"), one(facts, "1.425", "445-449")
    assert (new.subject_text, new.breakdown_of, new.breakdown_position) == (
        "số mới tiếp nhận trong kỳ",
        "59.393",
        1,
    )
    assert (carried.subject_text, carried.breakdown_of, carried.breakdown_position) == (
        "số từ kỳ trước chuyển qua",
        "59.393",
        2,
    )
    assert new.window_start == carried.window_start == "2022-12-15"


def test_003_dossiers_resolved_and_in_progress() -> None:
    facts = figures("003")
    on_time, late = one(facts, "54.618", "451-455"), one(facts, "671", "451-455")
    assert on_time.subject_text == "Số lượng hồ sơ đã giải quyết: trước hạn và đúng hạn"
    assert late.subject_text == "Số lượng hồ sơ đã giải quyết: quá hạn"  # under the same head
    assert on_time.unit_text == late.unit_text == "hồ sơ"
    assert on_time.sentence.startswith("Số lượng hồ sơ đã giải quyết:")  # no '+ ' list mark
    in_progress = one(facts, "4.104", "457")
    assert (in_progress.subject_text, in_progress.unit_text) == (
        "Số lượng hồ sơ đang giải quyết",
        "hồ sơ",
    )
    assert in_progress.window_text is None  # this paragraph states no window


def test_003_digitisation_rate() -> None:
    facts = figures("003")
    rate = one(facts, "41,05%", "433-439")
    assert rate.unit_text == "%"
    assert rate.subject_text == (
        "thực hiện số hoá 7.532 hồ sơ, giấy tờ khi tiếp nhận 18.346 thủ tục hành chính"
    )
    assert (rate.window_start, rate.window_end) == ("2022-12-16", "2023-03-14")
    assert one(facts, "7.532", "433-439").unit_text == "hồ sơ, giấy tờ"
    assert one(facts, "18.346", "433-439").unit_text == "thủ tục hành chính"


def test_003_feedback_received_and_its_parts_in_list_items() -> None:
    facts = figures("003")
    received = one(facts, "16", "461-465")
    assert received.unit_text == "phản ánh, kiến nghị"
    done, pending = one(facts, "11", "467"), one(facts, "05", "469")
    assert (done.breakdown_of, done.breakdown_position) == ("16", 1)
    assert (pending.breakdown_of, pending.breakdown_position) == ("16", 2)
    assert pending.subject_text == "Số phản ánh, kiến nghị đang xử lý"


def test_003_tasks_documents_and_budget() -> None:
    facts = figures("003")
    tasks = one(facts, "47", "170-178")
    assert tasks.section == "I.4"
    assert (tasks.window_start, tasks.window_end) == ("2022-12-15", "2023-03-14")
    parts = [f for f in facts if f.breakdown_of == "47" and f.source_line == "170-178"]
    assert [(p.figure_text, p.breakdown_position) for p in parts] == [
        ("32", 1),
        ("15", 2),
        ("0", 3),
        ("0", 4),
    ]
    issued = [f for f in facts if f.source_line == "28-34"]
    assert [(f.figure_text, f.unit_text) for f in issued] == [
        ("27", "Quyết định"),
        ("12", "Kế hoạch"),
        ("11", "văn bản"),
    ]
    disbursed = one(facts, "1.547.813", "783-787")
    assert (disbursed.unit_text, disbursed.subject_text) == ("triệu đồng", "số vốn NSNN giải ngân")
    assert one(facts, "41,7%", "783-787").subject_text == "tỷ lệ giải ngân"


def test_003_a_total_broken_down_twice_numbers_each_breakdown_from_one() -> None:
    facts = figures("003")
    by_level = [f for f in facts if f.breakdown_of == "569" and f.source_line == "852-856"]
    assert [(f.figure_text, f.breakdown_position) for f in by_level] == [("102", 1), ("467", 2)]
    by_kind = [f for f in facts if f.breakdown_of == "569" and f.source_line != "852-856"]
    assert [(f.figure_text, f.breakdown_position) for f in by_kind] == [
        ("01", 1),
        ("33", 2),
        ("42", 3),
        ("493", 4),
    ]
    nested = [f for f in facts if f.breakdown_of == "42"]
    assert [f.figure_text for f in nested] == ["5", "14", "23"]


@pytest.mark.parametrize(
    "not_a_figure",
    [
        "876",  # Quyết định số 876/QĐ-BNV
        "11537",  # Công văn số 11537/BTC-QLCS
        "1058",  # Công văn số 1058/BNV-CCHC ngày 10/3/2023
        "2022",
        "2023",
        "20234",  # 'năm 2023' with footnote marker 4 stuck on
        "404",  # tăng 404 văn bản so với cùng kỳ: a change, not a figure
        "70%",  # 'từ 70% - dưới 100%': a threshold in a label
        "4.142",  # 4.142 buổi: not CCHC vocabulary
        "706.800",  # thuê bao
        "150822",  # AS150822
    ],
)
def test_003_numbers_that_are_not_figures(not_a_figure: str) -> None:
    assert [f for f in figures("003") if f.figure_text == not_a_figure] == []


def test_003_footnotes_and_dates_give_no_figure() -> None:
    facts = figures("003")
    assert [f for f in facts if f.source_line in ("36-61", "253-257", "199")] == []


# ------------------------------------------------------------------ figures: 000, 001, 002


def test_001_tasks_done_of_planned_and_the_rate() -> None:
    facts = figures("001")
    done, planned, rate = (one(facts, t, "17") for t in ("41", "47", "87,23%"))
    assert (done.breakdown_of, done.breakdown_position) == ("47", 1)
    assert (planned.breakdown_of, planned.breakdown_position) == (None, None)
    assert done.unit_text == planned.unit_text == "phần việc"
    assert planned.subject_text == "Sở đã thực hiện phần việc theo Kế hoạch CCHC năm 2023 của Sở"
    assert rate.unit_text == "%"
    assert rate.subject_text == "Sở đã thực hiện 41/47 phần việc theo Kế hoạch CCHC năm 2023 của Sở"
    assert rate.section == "1.1.1"
    assert rate.sentence == (
        "Tính đến thời điểm báo cáo, Sở đã thực hiện 41/47 phần việc theo Kế hoạch CCHC năm "
        "2023 của Sở, đạt tỷ lệ 87,23%."
    )


def test_000_services_and_dossiers_with_breakdowns() -> None:
    facts = figures("000")
    services = [f for f in facts if f.breakdown_of == "1.870" and f.source_line == "373"]
    assert [f.figure_text for f in services] == ["598", "228", "1.044"]
    dossiers = one(facts, "75.639", "373")
    assert (dossiers.window_start, dossiers.window_end) == ("2021-12-15", "2022-05-17")
    parts = [f for f in facts if f.breakdown_of == "75.639"]
    assert [f.figure_text for f in parts] == ["10.185", "37.270", "28.184"]
    # 'tăng 1.320 hồ sơ so với tháng 4/2022' is a change; the parts break down 4.749
    assert [f.figure_text for f in facts if f.breakdown_of == "4.749"] == ["4.506", "243"]
    assert [f for f in facts if f.figure_text == "1.320"] == []


def test_numbers_in_plans_and_people_are_not_figures() -> None:
    assert [f for f in figures("000") if f.source_line == "421"] == []  # Phương hướng
    assert [f for f in figures("002") if f.source_line == "198"] == []  # Phương hướng
    assert [f for f in figures("000") if f.source_line == "127"] == []  # 01 đồng chí


def test_002_tasks_of_the_government_and_a_label_with_a_bare_number() -> None:
    facts = figures("002")
    total = one(facts, "44", "49")
    assert (total.window_start, total.window_end) == ("2023-01-01", "2023-03-13")
    parts = [f for f in facts if f.breakdown_of == "44"]
    assert [(f.figure_text, f.breakdown_position) for f in parts] == [
        ("0", 1),
        ("0", 2),
        ("39", 3),
        ("05", 4),
    ]
    partial = one(facts, "1", "89")
    assert (partial.subject_text, partial.unit_text) == (
        "Số lượng dịch vụ công trực tuyến một phần",
        None,
    )


def test_002_a_breakdown_after_a_fraction_breaks_down_its_numerator() -> None:
    facts = figures("002")
    present = one(facts, "90", "102")
    assert (present.breakdown_of, present.unit_text) == ("101", "người")
    parts = [f for f in facts if f.breakdown_of == "90"]
    assert [(f.subject_text, f.figure_text) for f in parts] == [
        ("công chức", "52"),
        ("viên chức", "25"),
        ("HĐLĐ 68", "13"),
    ]


# ------------------------------------------------------------------ plan: 004


def test_004_general_target() -> None:
    target = one(targets("004"), "86%", "153")
    assert target.kind == "target"
    assert (target.comparator, target.target_year, target.unit_text) == (">=", 2025, "%")
    assert target.subject_text == "Chỉ số cải cách hành chính tỉnh Tuyên Quang"
    assert target.section == "I.1"


def test_004_targets_for_2025() -> None:
    facts = targets("004")
    moved = one(facts, "80%", "169")
    assert (moved.comparator, moved.target_year, moved.section) == (">=", 2025, "2.2 a)")
    assert moved.subject_text.startswith("hồ sơ giải quyết TTHC được luân chuyển trong nội bộ")
    online = [f for f in facts if f.source_line == "175"]
    assert [(f.figure_text, f.comparator) for f in online] == [
        ("80%", ">="),
        ("80%", ">="),
        ("50%", ">="),
    ]
    assert online[2].subject_text == (
        "Tỷ lệ hồ sơ giải quyết trực tuyến mức độ 3 và 4 trên tổng số hồ sơ"
    )
    assert {f.target_year for f in online} == {2025}


def test_004_targets_for_2030() -> None:
    facts = targets("004")
    payments = [f for f in facts if f.source_line == "183"]
    assert [(f.figure_text, f.comparator, f.target_year, f.section) for f in payments] == [
        ("100%", ">=", 2030, "2.2 b)"),  # a bare target is a level to reach at least
        ("50%", ">=", 2030, "2.2 b)"),
    ]
    assert payments[0].subject_text == (
        "thủ tục hành chính, có yêu cầu nghĩa vụ tài chính, được triển khai thanh toán trực tuyến"
    )
    assert payments[1].subject_text == "tỷ lệ giao dịch thanh toán trực tuyến"
    accounts = one(facts, "80%", "309")
    assert (accounts.comparator, accounts.target_year, accounts.section) == (">=", 2030, "2.6.2")
    satisfaction = one(facts, "95%", "189")
    assert (satisfaction.comparator, satisfaction.target_year) == (">=", 2030)


def test_004_a_range_is_one_target_and_a_reduction_is_a_change() -> None:
    facts = [f for f in targets("004") if f.source_line == "196"]
    assert [(f.figure_text, f.comparator, f.target_high_text, f.target_change) for f in facts] == [
        ("6%", "between", "10%", "decrease"),  # 'giảm từ 6% - 10% số lượng …'
        ("10%", ">=", None, "decrease"),  # 'giảm 10% biên chế': by 10, not '= 10'
    ]
    assert facts[1].subject_text == (
        "giảm biên chế sự nghiệp hưởng lương từ ngân sách nhà nước so với năm 2021"
    )
    cut = one(targets("004"), "15%", "240")  # 'Giảm tối thiểu 15% so với dự toán …'
    assert (cut.comparator, cut.target_change) == (">=", "decrease")
    bare = one(targets("004"), "90%", "178")  # '90% TTHC nội bộ … được công bố'
    assert (bare.comparator, bare.target_change) == (">=", None)
    over = one(targets("004"), "99%", "230")  # 'trên 99%'
    assert over.comparator == ">"


def test_004_targets_only_from_target_sections() -> None:
    facts = targets("004")
    assert len(facts) > 60
    assert {f.target_year for f in facts} == {2025, 2030}
    assert {f.comparator for f in facts} <= {">=", ">", "=", "<=", "<", "between"}
    # the assessment part's history is reported figures, not targets
    assert [f for f in facts if f.figure_text in ("82,25%", "83,81%")] == []
    sipas = [f for f in figures("004") if f.figure_text == "82,25%"]
    assert [(f.kind, f.source_line) for f in sipas] == [("figure", "23-25")]
    # and a plan's target sections give no figures
    assert [f for f in figures("004") if 153 <= int(f.source_line.split("-")[0]) <= 309] == []


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_joined_input_gives_the_same_facts(sample: str) -> None:
    """Paragraphs joined beforehand give the same facts; only source_line is coarser
    (the paragraph's lines instead of the sentence's)."""
    joined = join_wrapped(paragraphs(sample))

    def key(fact: NarrativeFact) -> tuple[object, ...]:
        return (fact.figure_text, fact.subject_text, fact.breakdown_of, fact.sentence)

    assert [key(f) for f in extract_figures(joined, unit_aliases=UNITS)] == [
        key(f) for f in figures(sample)
    ]
    assert [key(f) for f in extract_targets(joined, unit_aliases=UNITS)] == [
        key(f) for f in targets(sample)
    ]


def test_footnotes_have_no_section() -> None:
    footnote = one(figures("003"), "411", "269-273")  # footnote 3, at the foot of page 4
    assert footnote.section is None
    assert footnote.sentence.startswith("Rà soát 411 văn bản")  # marker '3 ' dropped


@pytest.mark.parametrize("sample", ["000", "001", "002", "003"])
def test_reports_state_no_targets(sample: str) -> None:
    assert extract_targets(paragraphs(sample), unit_aliases=UNITS) == []


# ------------------------------------------------------------------ made-up texts


def test_made_up_breakdown_fraction_and_rate() -> None:
    facts = extract_figures(
        lines(
            "1. Kết quả giải quyết hồ sơ",
            "Từ ngày 01/01/2024 đến ngày 31/3/2024, tổng số hồ sơ đã tiếp nhận: 120 hồ sơ "
            "(trong đó: trực tuyến: 80 hồ sơ; trực tiếp: 40 hồ sơ). Đã giải quyết đúng hạn "
            "90/100 hồ sơ, đạt tỷ lệ 90%.",
        ),
        unit_aliases=UNITS,
    )
    assert [(f.figure_text, f.breakdown_of, f.breakdown_position) for f in facts] == [
        ("120", None, None),
        ("80", "120", 1),
        ("40", "120", 2),
        ("90", "100", 1),
        ("100", None, None),
        ("90%", None, None),
    ]
    assert [f.whole_fact_no for f in facts] == [None, 1, 1, 5, None, None]
    assert {f.window_start for f in facts} == {"2024-01-01"}  # the second sentence too
    assert {f.section for f in facts} == {"1"}
    assert facts[-1].subject_text == "Đã giải quyết đúng hạn 90/100 hồ sơ"


def test_made_up_breakdowns_link_their_whole_by_its_number() -> None:
    facts = extract_figures(
        lines(
            "Đã tuyển dụng 90/101 người (trong đó công chức: 52 người; viên chức: 38 người); "
            "tiếp nhận 16 phản ánh, kiến nghị, trong đó:",
            "- 10 phản ánh về TTHC;",
            "- 06 phản ánh khác, trong đó 16 người.",
        ),
        unit_aliases=UNITS,
    )
    got = [(f.figure_text, f.breakdown_of, f.whole_fact_no) for f in facts]
    assert got == [
        ("90", "101", 2),  # a fraction's numerator is a part of its denominator
        ("101", None, None),
        ("52", "90", 1),  # what follows a fraction breaks down its numerator
        ("38", "90", 1),
        ("16", None, None),
        ("10", "16", 5),  # list items carry the breakdown announced before them
        ("06", "16", 5),
        ("16", "06", 7),  # the same text as another total: the number tells which
    ]


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_every_part_of_the_samples_links_to_its_whole(sample: str) -> None:
    facts = figures(sample)
    for no, fact in enumerate(facts, start=1):
        if fact.breakdown_of is None:
            assert fact.whole_fact_no is None
            continue
        assert fact.whole_fact_no is not None, f"fact {no}: {fact}"
        whole = facts[fact.whole_fact_no - 1]
        assert whole.figure_text == fact.breakdown_of, f"fact {no}"
        # the whole is stated before its parts; a fraction's numerator just before its whole
        fraction = fact.whole_fact_no == no + 1 and fact.breakdown_position == 1
        assert fact.whole_fact_no < no or fraction, f"fact {no}"


def test_made_up_numbers_that_are_not_figures() -> None:
    facts = extract_figures(
        lines(
            "Thực hiện Quyết định số 876/QĐ-BNV ngày 10/11/2022 của Bộ Nội vụ, giai đoạn "
            "2022-2030, năm 20234; Đề án 06 về (1) dữ liệu dân cư tại 08 tờ gấp."
        ),
        unit_aliases=UNITS,
    )
    assert facts == []


def test_made_up_tone_placement_and_case_do_not_matter() -> None:
    facts = extract_figures(
        lines("Đã số hoá 12 HỒ SƠ và 3 Thủ Tục Hành Chính."), unit_aliases=UNITS
    )
    assert [(f.figure_text, f.unit_text) for f in facts] == [
        ("12", "HỒ SƠ"),
        ("3", "Thủ Tục Hành Chính"),
    ]


def test_vocabulary_is_reference_data() -> None:
    assert "TTHC" in UNITS and "Hồ sơ" in UNITS  # read from seeds/unit_aliases.csv
    assert "cán bộ" in SENTENCE_UNIT_WORDS
    assert "tổng số" in SUBJECT_HEAD_WORDS
    assert "tối thiểu" in COMPARATOR_WORDS[">="]


# ------------------------------------------------------------------ norm


def norm_by_character(text: str) -> str:
    """The definition of ``norm`` as first written: one character at a time."""
    lowered = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
    return re.sub("|".join(TONE_PLACEMENT), lambda m: TONE_PLACEMENT[m.group()], lowered)


TONE_PLACEMENT = {"oá": "óa", "oà": "òa", "oả": "ỏa", "oã": "õa", "oạ": "ọa", "oé": "óe"}
TONE_PLACEMENT |= {"oè": "òe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe", "uý": "úy", "uỳ": "ùy"}
TONE_PLACEMENT |= {"uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy"}


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_norm_is_norm_by_character_on_every_line_of_the_samples(sample: str) -> None:
    text = (REPORTS / SAMPLES[sample]).read_text(encoding="utf-8")
    for line in text.splitlines():
        assert norm(line) == norm_by_character(line)
    assert norm(text) == norm_by_character(text)


@pytest.mark.parametrize(
    "text", ["Quận Hoà Bình", "İSTANBUL", "ΟΔΟΣ Σ", "ĐẠT 41,05%", "UỶ BAN", "ǅ", ""]
)
def test_norm_keeps_length_where_lower_case_would_not(text: str) -> None:
    assert norm(text) == norm_by_character(text)
    assert len(norm(text)) == len(text)


def test_units_come_from_the_seed_and_no_seed_word_is_repeated() -> None:
    seed = {norm(w) for w in UNITS}
    assert not seed & {norm(w) for w in SENTENCE_UNIT_WORDS}
    sentence_units = {norm(w) for w in SENTENCE_UNIT_WORDS}
    assert set(unit_words(UNITS)) == (seed | sentence_units) - {"triệu"}
    [fact] = extract_figures(lines("Tổng kinh phí 5 tỷ đồng."), unit_aliases=UNITS)
    assert fact.unit_text == "tỷ đồng"  # an amount unit of the seed
    assert extract_figures(lines("ủng hộ gần 900 triệu triệu đồng."), unit_aliases=UNITS) == []
    assert "%" not in seed and "tỷ lệ" not in seed  # percent units are not counts
    # a unit only the seed holds is a unit of sentences too
    facts = extract_figures(lines("Đã tiếp nhận 12 hồ sơ."), unit_aliases=())
    assert facts == []
    [fact] = extract_figures(lines("Đã tiếp nhận 12 hồ sơ."), unit_aliases=("Hồ sơ",))
    assert (fact.figure_text, fact.unit_text) == ("12", "hồ sơ")
