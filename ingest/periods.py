"""The period grammar: which reporting period a text states (a title, an appendix
caption, a sheet name, a file name), as ../shared/domain/DOCUMENTS.md describes how
reports write it.

Pure functions over text folded by ``ingest.markup.fold`` (lower case, no diacritics,
punctuation one space), so ``Quý 3/2024``, ``quy-3-2024`` and ``QUY 3 2024`` read alike.
The rules, in order:

1. Dates are not periods: ``ngày 15/6/2024``, ``ngày 15 tháng 6 năm 2024`` are removed.
2. The next period's plan is cut off: the text before ``phương hướng``, ``kế hoạch``,
   ``nhiệm vụ trọng tâm`` / ``… tiếp theo`` / ``và nhiệm vụ`` is read when it states a
   period; a year written only once, in the plan part, belongs to both parts.
3. The most specific statement wins: a plan span (``giai đoạn 2021 - 2025``), then
   nine months, six months, a quarter (Roman or Arabic, ``quý``/``Q``), a month range
   (``từ tháng 01 đến tháng 6``), then the year alone.
4. A year is ``năm YYYY``, a year written right next to the period's words
   (``Quý 3/2024``, ``2024_Q2``), or, where the text is a title or a name
   (``bare_year``), a year standing alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ingest.markup import fold

PeriodType = Literal["quarter", "half_year", "nine_months", "year", "plan"]
# where a period was read, weakest last (ingest.metadata tries them in this order)
PeriodSource = Literal[
    "title",
    "appendix_title",
    "caption",
    "reporting_sentence",
    "title_row",
    "sheet_name",
    "page_header",
    "page_footer",
    "properties",
    "file_name",
    "folder_name",
]

_Y = r"(?:19|20)\d{2}"
_DATES = re.compile(
    rf"\bngay\s+\d{{1,2}}\s+(?:thang\s+)?\d{{1,2}}\s+(?:nam\s+)?{_Y}\b|\b\d{{1,2}}\s+\d{{1,2}}\s+{_Y}\b"
)
# where the next period's plan begins (folded phrases)
PLAN_CLAUSE = re.compile(
    r"\b(?:phuong huong|ke hoach|nhiem vu trong tam|va nhiem vu"
    r"|nhiem vu(?:\s+\w+){0,3}\s+tiep theo)\b"
)
_SPAN = re.compile(rf"\b(?:giai doan\s+)?({_Y})\s+({_Y})\b")
_NINE = re.compile(r"\b(?:0?9\s*|chin\s+)thang\b|\b0?9t\b")
_HALF = re.compile(r"\b(?:0?6\s*|sau\s+)thang\b|\b0?6t\b")
_QUARTER = re.compile(r"\b(?:quy\s+|q)(iv|iii|ii|i|0?[1-4])\b")
_MONTHS = re.compile(
    rf"\btu\s+thang\s+0?1\s+(?:nam\s+{_Y}\s+)?den\s+(?:het\s+)?thang\s+(\d{{1,2}})\b"
)
_YEAR = re.compile(rf"\b(nam\s+)?({_Y})\b")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_MONTH_PERIODS: dict[int, tuple[PeriodType, int]] = {
    3: ("quarter", 1),
    6: ("half_year", 1),
    9: ("nine_months", 1),
    12: ("year", 1),
}
_MAX_SPAN_YEARS = 10  # a plan covers at most a decade; two years further apart are not a span


@dataclass(frozen=True)
class Period:
    """A reporting period: number is the quarter (1-4), 1 for the other periods of a
    year, None for a plan; end_year only for a plan span."""

    period_type: PeriodType
    year: int
    number: int | None
    end_year: int | None = None

    def label(self) -> str:
        """How a review lists it: ``quarter 2024-3``, ``year 2024``, ``plan 2021-2025``."""
        if self.period_type == "plan":
            return f"plan {self.year}-{self.end_year}"
        if self.period_type == "quarter":
            return f"quarter {self.year}-{self.number}"
        return f"{self.period_type} {self.year}"

    def as_fields(self) -> dict[str, int | str | None]:
        """The DocumentMeta fields this period fills."""
        return {
            "period_type": self.period_type,
            "period_year": self.year,
            "period_number": self.number,
            "period_end_year": self.end_year,
        }


@dataclass(frozen=True)
class PeriodReading:
    """A period, where it was read (found_by) and the words that stated it (rule)."""

    period: Period
    found_by: PeriodSource
    rule: str


def _reporting_part(folded: str) -> tuple[str, str]:
    """(the reporting period's part, the plan part) of a folded text."""
    for match in PLAN_CLAUSE.finditer(folded):
        head = folded[: match.start()]
        if match.start() > 0 and (_statement(head) is not None or _years(head, None, False)):
            return head, folded[match.start() :]
    return folded, ""


def _statement(text: str) -> tuple[PeriodType, int | None, re.Match[str]] | None:
    """The most specific period statement in a folded text (without its year)."""
    if match := _NINE.search(text):
        return "nine_months", 1, match
    if match := _HALF.search(text):
        return "half_year", 1, match
    if match := _QUARTER.search(text):
        return "quarter", _quarter(match), match
    if (match := _MONTHS.search(text)) and int(match.group(1)) in _MONTH_PERIODS:
        period_type, number = _MONTH_PERIODS[int(match.group(1))]
        return period_type, number, match
    return None


def _years(text: str, near: re.Match[str] | None, bare_year: bool) -> list[tuple[int, int]]:
    """(position, year) of each year the text states: ``năm YYYY``, a year right next to
    the period's words, or any year when bare years count."""
    found = []
    for match in _YEAR.finditer(text):
        adjacent = near is not None and (
            0 <= match.start() - near.end() <= 1 or 0 <= near.start() - match.end() <= 1
        )
        if match.group(1) or adjacent or bare_year:
            found.append((match.start(), int(match.group(2))))
    return found


def _year_for(head: str, tail: str, near: re.Match[str] | None, bare_year: bool) -> int | None:
    """The year after the period's words, else the last before them, else the plan
    part's first (a year written once at the end belongs to both parts)."""
    years = _years(head, near, bare_year)
    at = near.start() if near is not None else 0
    after = [y for pos, y in years if pos >= at]
    if after:
        return after[0]
    if years:
        return years[-1][1]
    tail_years = _years(tail, None, bare_year)
    if not tail_years:
        return None
    year = tail_years[0][1]
    # "quý IV, phương hướng … quý I năm 2025": the plan's quarter comes first in its
    # year, so the reporting quarter is in the year before
    planned, reported = _QUARTER.search(tail), _QUARTER.fullmatch(near.group(0)) if near else None
    if planned and reported and _quarter(planned) <= _quarter(reported):
        return year - 1
    return year


def _quarter(match: re.Match[str]) -> int:
    token = match.group(1).lstrip("0")
    return _ROMAN.get(token) or int(token)


def read_period(
    text: str, found_by: PeriodSource = "title", *, bare_year: bool = True
) -> PeriodReading | None:
    """The reporting period a text states, or None when it states none."""
    folded = _DATES.sub(" ", fold(text))
    head, tail = _reporting_part(folded)
    span = _SPAN.search(head)
    if span:
        start, end = int(span.group(1)), int(span.group(2))
        spelled = span.group(0).startswith("giai doan")
        if start < end <= start + _MAX_SPAN_YEARS and (spelled or _statement(head) is None):
            return PeriodReading(Period("plan", start, None, end), found_by, span.group(0))
    statement = _statement(head)
    if statement is not None:
        period_type, number, match = statement
        year = _year_for(head, tail, match, bare_year)
        if year is None:
            return None
        return PeriodReading(Period(period_type, year, number), found_by, match.group(0))
    year = _year_for(head, tail, None, bare_year)
    if year is None:
        return None
    return PeriodReading(Period("year", year, 1), found_by, f"year {year}")


def states_period_year(text: str) -> bool:
    """Whether a title line (with the lines before it) has reached the period's year:
    ``năm YYYY``, a span, or a year written next to the period (``Quý 3/2024``)."""
    folded = _DATES.sub(" ", fold(text))
    span = _SPAN.search(folded)
    if span and span.group(0).startswith("giai doan"):
        return True
    statement = _statement(folded)
    return bool(_years(folded, statement[2] if statement else None, bare_year=False))


def file_stem(file_name: str) -> str:
    """A file's name without its folders and its extension (``.xlsx``, ``.tar.gz``)."""
    name = re.split(r"[\\/]", file_name)[-1]
    return re.sub(r"(?:\.[A-Za-z][A-Za-z0-9]{0,4}){1,2}$", "", name)
