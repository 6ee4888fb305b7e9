"""The period a sentence states for a figure, when it is not the report's own.

A report states figures of other periods: a plan reviews the years before it
(``Chỉ số SIPAS năm 2020 đạt 82,25%``, ``Giai đoạn 2011-2020, … ban hành 08 Quyết
định``), a report recalls the same period a year earlier (``cùng kỳ năm 2022 là …``).
Such a figure belongs to the period it is stated for, flagged as stated later
(DESIGN.md, "Versions and the current figure").

``period_in`` reads the last period a piece of text states (the words of a figure,
a heading's title), in the forms reports write:

* a span: ``giai đoạn 2011-2020``, ``từ năm 2016 đến năm 2020`` (a plan span);
* nine or six months (``9 tháng``, ``6 tháng đầu năm 2022``), a quarter (``quý I``,
  ``quý II/2022``, ``quý 3 năm 2023``), a year (``năm 2020``, ``đến năm 2020``), the
  end of a period's last month (``đến tháng 12/2020``: the year 2020; ``tháng 6/2021``:
  its first half; ``tháng 5/2022`` is no period);
* the same period a year earlier: ``cùng kỳ``, ``cùng kỳ năm trước``, ``cùng kỳ năm
  2022`` (the report's own kind of period).

Not periods: dates (``ngày 14/3/2023``), a year that names a document or programme
(``Kế hoạch CCHC năm 2023``, ``Nghị quyết … nhiệm kỳ 2020-2025``), the base of a
comparison (``so với năm 2015``, ``so với cùng kỳ``) and the start of a running total
(``từ năm 2011 đến nay``). A period written without its year takes the report's.

``earlier`` says whether a stated period ended before the report's own: only then is a
figure stated later; a period that holds the report's (the year of a quarter's report)
or is the report's leaves the figure in the report's period.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.narrative.matching import norm
from ingest.narrative.vocabulary import NAMED_BY_YEAR_WORDS
from ingest.periods import Period

_Y = r"((?:19|20)\d{2})"
_DATES = re.compile(
    r"\b\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*(?:19|20)\d{2}\b"
    r"|\bngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+(?:19|20)\d{2}\b"
)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def _compiled(source: str) -> re.Pattern[str]:
    """A pattern over ``norm``-ed text: its words normalised as the text is (one tone
    placement: 'đoạn' is matched as norm('đoạn'))."""
    return re.compile(norm(source))


_FORMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("span", _compiled(rf"\bgiai đoạn\s+{_Y}\s*[-–]\s*{_Y}\b")),
    ("span", _compiled(rf"\b(?:từ\s+)?năm\s+{_Y}\s+(?:đến|tới)\s+(?:hết\s+)?(?:năm\s+)?{_Y}\b")),
    ("nine", _compiled(rf"\b(?:09|9|chín)\s+tháng(?:\s+đầu)?(?:\s+năm)?(?:\s*/?\s*{_Y})?")),
    ("half", _compiled(rf"\b(?:06|6|sáu)\s+tháng\s+đầu(?:\s+năm)?(?:\s*/?\s*{_Y})?")),
    ("quarter", _compiled(rf"\bquý\s+(iv|iii|ii|i|0?[1-4])\b(?:\s*(?:/|năm)\s*{_Y})?")),
    ("same", _compiled(rf"\bcùng\s+kỳ(?:\s+năm\s+(?:{_Y}|trước))?")),
    ("month", _compiled(rf"\btháng\s+(0?[1-9]|1[0-2])\s*/\s*{_Y}\b")),
    ("year", _compiled(rf"\bnăm\s+{_Y}\b")),
)
# a month's end that ends a reporting period (another month's end is no period)
_MONTH_ENDS = {
    3: lambda year: Period("quarter", year, 1),
    6: lambda year: Period("half_year", year, 1),
    9: lambda year: Period("nine_months", year, 1),
    12: lambda year: Period("year", year, 1),
}
_COMPARED = _compiled(r"\bso\s+với\s*$")
_RUNNING_TOTAL = _compiled(r"^\s*(?:đến|tới)\s+nay\b")
_STARTS = _compiled(r"\btừ\s*$")
_NAMED_BY_YEAR = _compiled(
    r"\b(?:" + "|".join(re.escape(w) for w in NAMED_BY_YEAR_WORDS) + r")\b[^,;:.()]*$"
)


@dataclass(frozen=True)
class StatedPeriod:
    """A period a text states and the words that state it, as written."""

    period: Period
    text: str


def _masked_dates(normed: str) -> str:
    return _DATES.sub(lambda m: " " * len(m.group(0)), normed)


def _clause_before(normed: str, at: int) -> str:
    cut = max(normed.rfind(mark, 0, at) for mark in ",;:.()")
    return normed[cut + 1 : at]


def _period(kind: str, match: re.Match[str], report: Period | None) -> Period | None:
    years = [int(g) for g in match.groups() if g and g.isdigit() and len(g) == 4]
    year = years[-1] if years else (report.year if report else None)
    if kind == "span":
        start, end = years
        return Period("plan", start, None, end) if start < end else None
    if kind == "same":
        if report is None or report.period_type == "plan":
            return None
        year = years[0] if years else report.year - 1
        return Period(report.period_type, year, report.number)
    if year is None:
        return None
    if kind == "quarter":
        token = match.group(1).lstrip("0")
        return Period("quarter", year, _ROMAN.get(token) or int(token))
    if kind == "nine":
        return Period("nine_months", year, 1)
    if kind == "half":
        return Period("half_year", year, 1)
    if kind == "month":  # 'đến tháng 6/2021': the end of the first half of 2021
        return _MONTH_ENDS.get(int(match.group(1)), lambda _: None)(year)
    return Period("year", year, 1)


def period_in(text: str, *, report: Period | None = None) -> StatedPeriod | None:
    """The last period ``text`` states (see the module's rules); ``report``: the
    report's own period, for a period written without its year and for 'cùng kỳ'."""
    normed = _masked_dates(norm(text))
    found: list[tuple[int, int, str, re.Match[str]]] = []
    for kind, pattern in _FORMS:
        for match in pattern.finditer(normed):
            if any(s <= match.start() < e for s, e, _, _ in found):
                continue  # a year inside a span or a quarter already read
            found.append((match.start(), match.end(), kind, match))
    for start, end, kind, match in sorted(found, reverse=True):
        before = normed[:start]
        if _COMPARED.search(before):
            continue  # 'so với năm 2015': the base of a comparison
        if _STARTS.search(before) and _RUNNING_TOTAL.match(normed[end:]):
            continue  # 'từ năm 2011 đến nay'
        if kind in ("year", "span") and _NAMED_BY_YEAR.search(_clause_before(normed, start)):
            continue  # 'Kế hoạch CCHC năm 2023': the year names the plan
        period = _period(kind, match, report)
        if period is not None:
            return StatedPeriod(period, text[start:end])
    return None


def without_periods(text: str) -> str:
    """The text with the periods it states cut out ('Số kinh phí … năm 2015' → 'Số
    kinh phí …'; 'Năm 2014' → '')."""
    normed = _masked_dates(norm(text))
    spans = sorted(m.span() for _, pattern in _FORMS for m in pattern.finditer(normed))
    out, at = [], 0
    for start, end in spans:
        if start >= at:
            out.append(text[at:start])
            at = end
    out.append(text[at:])
    return re.sub(r"\s+", " ", "".join(out)).strip(" ,:;")


def _end(period: Period) -> tuple[int, int]:
    """(year, month) of a period's nominal end."""
    if period.period_type == "plan":
        return (period.end_year or period.year, 12)
    if period.period_type == "quarter":
        return (period.year, 3 * (period.number or 4))
    months = {"half_year": 6, "nine_months": 9}
    return (period.year, months.get(period.period_type, 12))


def _start(period: Period) -> tuple[int, int]:
    """(year, month) of a period's nominal start."""
    if period.period_type == "quarter":
        return (period.year, 3 * (period.number or 1) - 2)
    return (period.year, 1)


def before(stated: Period, report: Period | None) -> bool:
    """Whether a stated period ended before the report's own period began (a past
    period, not a part of the report's)."""
    return report is not None and _end(stated) < _start(report)


def earlier(stated: Period, report: Period | None) -> bool:
    """Whether a stated period ended before the report's own period ends."""
    if report is None or stated == report:
        return False
    return _end(stated) < _end(report)
