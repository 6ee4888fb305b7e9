"""Scope from the clause that holds a figure, and the period a sentence states for it
(ingest.narrative.scope, ingest.narrative.stated_periods): pure functions, and the
sample lines issue 15 names, read through the real document reader."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from ingest.document import read_document
from ingest.model import Document
from ingest.narrative.scope import owner_in, stated_scope, system_named_last
from ingest.narrative.stated_periods import before, earlier, period_in
from ingest.periods import Period
from ingest.records import narrative_records
from ingest.reference import load_reference

ROOT = Path(__file__).resolve().parents[2]
PLAN = Period("plan", 2021, None, 2025)
Q1_2023 = Period("quarter", 2023, 1)


@cache
def document(prefix: str) -> Document:
    path = next((ROOT / "data" / "reports").glob(f"{prefix}_*.txt"))
    with path.open("rb") as fp:
        return read_document(fp, source_name=path.name, reference=load_reference(ROOT / "seeds"))


def records(prefix: str, line: str) -> dict[str, dict]:
    return {
        r["figure_text"]: r
        for r in narrative_records(document(prefix), "doc")
        if r["source_line"] == line and r["kind"] == "figure"
    }


# scope


@pytest.mark.parametrize(
    ("text", "owner"),
    [
        ("tổng số TTHC của Sở", "agency"),
        ("kết quả của đơn vị", "agency"),
        ("tổng số TTHC trên địa bàn tỉnh", "province"),
        ("của Sở, sau đó toàn tỉnh", "province"),  # the owner named last
        ("của các sở, ban, ngành", None),
        ("tỷ lệ của đơn vị sự nghiệp công lập", None),  # public service units, not the agency
        ("Sở đã thực hiện", None),
    ],
)
def test_the_owner_a_clause_names(text: str, owner: str | None) -> None:
    assert owner_in(text) == owner


def test_the_clause_decides_not_the_sentence() -> None:
    sentence = (
        "Hiện nay, tổng số TTHC của Sở 41 thủ tục đăng tải trên Cổng thông tin điện tử "
        "của Sở, Hệ thống thông tin giải quyết TTHC của tỉnh."
    )
    assert stated_scope("Hiện nay, tổng số TTHC của Sở ", " thủ tục", sentence) == "agency"
    # a clause naming no owner: the sentence's words still say province
    assert stated_scope("tỷ lệ văn bản đạt ", "", "…, của tỉnh") == "province"
    assert stated_scope("Sở đã cấp ", " chứng thư số", "Sở đã cấp 10 chứng thư số.") is None


def test_the_system_a_paragraph_named_is_the_one_a_later_clause_means() -> None:
    named = "Tiếp tục hoàn thiện Hệ thống thông tin giải quyết thủ tục hành chính tỉnh Tuyên Quang"
    assert system_named_last(named) == "province"
    assert system_named_last("Cổng thông tin điện tử của Sở đã đăng") == "agency"
    focus = system_named_last(named)
    assert stated_scope("hệ thống đã cung cấp ", " dịch vụ công", "…", system_in_focus=focus) == (
        "province"
    )
    assert stated_scope("qua hệ thống là ", " hồ sơ", "…", system_in_focus=focus) == "province"
    # a part of a breakdown is of its whole's scope
    assert stated_scope("", " dịch vụ công mức độ 2", "…", whole="province") == "province"


def test_000_the_provincial_system_and_001_the_departments_procedures() -> None:
    services = records("000", "373")
    for figure in ("1.870", "598", "228", "1.044", "75.639"):
        assert services[figure]["scope"] == "province", figure
    assert records("001", "109")["41"]["scope"] == "agency"
    assert records("000", "363")["98%"]["scope"] == "province"  # the sentence says 'của tỉnh'


# periods


@pytest.mark.parametrize(
    ("text", "period", "words"),
    [
        ("Chỉ số SIPAS năm 2020 đạt ", Period("year", 2020, 1), "năm 2020"),
        (
            "Giai đoạn 2011-2020, Ủy ban nhân dân tỉnh ban hành ",
            Period("plan", 2011, None, 2020),
            "Giai đoạn 2011-2020",
        ),
        (
            "từ năm 2016 đến năm 2020 đã tuyển ",
            Period("plan", 2016, None, 2020),
            "từ năm 2016 đến năm 2020",
        ),
        ("trong quý IV/2022 đã giải quyết ", Period("quarter", 2022, 4), "quý IV/2022"),
        ("cùng kỳ năm trước là ", Period("quarter", 2022, 1), "cùng kỳ năm trước"),
        ("cùng kỳ năm 2021 là ", Period("quarter", 2021, 1), "cùng kỳ năm 2021"),
        ("6 tháng đầu năm 2022 đã ", Period("half_year", 2022, 1), "6 tháng đầu năm 2022"),
        ("Đến tháng 12/2020, ban hành ", Period("year", 2020, 1), "tháng 12/2020"),
        ("trong quý I đã ", Period("quarter", 2023, 1), "quý I"),  # the report's year
    ],
)
def test_the_period_a_sentence_states(text: str, period: Period, words: str) -> None:
    stated = period_in(text, report=Q1_2023)
    assert stated is not None and (stated.period, stated.text) == (period, words)


@pytest.mark.parametrize(
    "text",
    [
        "Sở đã thực hiện phần việc theo Kế hoạch CCHC năm 2023 của Sở, đạt ",  # names a plan
        "tổng biên chế được giao năm 2022 là ",  # when it was assigned
        "tỷ lệ giảm chi so với năm 2015 đạt ",  # the base of a comparison
        "bằng 76% so với cùng kỳ năm trước, ",
        "Từ năm 2011 đến nay, đã tuyển dụng ",  # a running total
        "Đến ngày 14/3/2023, hoàn thành ",  # a date
        "Tính đến tháng 05/2022, Sở đã cấp ",  # a month that ends no period
    ],
)
def test_what_is_not_a_figures_period(text: str) -> None:
    assert period_in(text, report=Q1_2023) is None


def test_only_a_period_that_ended_before_the_reports_is_stated_later() -> None:
    assert earlier(Period("year", 2020, 1), PLAN)
    assert earlier(Period("plan", 2011, None, 2020), PLAN)
    assert not earlier(Period("year", 2023, 1), Q1_2023)  # holds the report's quarter
    assert not earlier(Q1_2023, Q1_2023)
    assert earlier(Period("quarter", 2023, 1), Period("year", 2023, 1))  # a part, already over
    assert before(Period("plan", 2011, None, 2020), PLAN)
    assert not before(Period("plan", 2021, None, 2023), PLAN)  # a part of the plan


def test_004_the_review_of_2011_2020_is_stated_later() -> None:
    review = records("004", "23-25")
    assert review["82,25%"]["stated_period_year"] == 2020
    assert review["82,25%"]["stated_period_type"] == "year"
    assert review["82,25%"]["is_stated_later"] is True
    decisions = records("004", "71")["08"]
    assert (decisions["stated_period_type"], decisions["stated_period_year"]) == ("plan", 2011)
    assert decisions["stated_period_end_year"] == 2020
    # a footnote of the review: the span its part's title states (Phần II … GIAI ĐOẠN 2011-2020)
    bcci = records("004", "606")["1,78%"]
    assert (bcci["stated_period_type"], bcci["stated_period_end_year"]) == ("plan", 2020)
    budget = records("004", "654")["1.727,53"]
    assert (budget["stated_period_type"], budget["stated_period_year"]) == ("year", 2015)
    # a figure of the report's own period is not stated later
    assert not records("003", "93-95")["61"]["is_stated_later"]


# the words of a figure


def test_a_comma_between_two_organs_does_not_end_the_phrase() -> None:
    reviewed = records("003", "223-233")["414"]
    assert reviewed["subject_text"].startswith(
        "Rà soát lượt văn bản quy phạm pháp luật do HĐND, UBND tỉnh ban hành"
    )


def test_fraction_parts_by_position() -> None:
    """'50,4/50,4 triệu đồng': the numerator comes first and points at its whole by its
    number, never by its (equal) value text."""
    facts = [r for r in narrative_records(document("003"), "doc") if r["source_line"] == "809"]
    numerator, whole = facts[0], facts[1]
    assert (numerator["figure_text"], whole["figure_text"]) == ("50,4", "50,4")
    assert numerator["breakdown_position"] == 1
    assert numerator["whole_fact_no"] == whole["fact_no"]
    assert whole["whole_fact_no"] is None
    checked = [
        r
        for r in narrative_records(document("003"), "doc")
        if r["source_line"] == "207-223" and r["subject_text"].startswith("kiểm tra theo thẩm")
    ]
    # 'kiểm tra theo thẩm quyền 02/02 Quyết định': the part, then its whole, then the ratio
    assert [(r["figure_text"], r["breakdown_position"]) for r in checked][:2] == [
        ("02", 1),
        ("02", None),
    ]
    assert checked[0]["whole_fact_no"] == checked[1]["fact_no"]
