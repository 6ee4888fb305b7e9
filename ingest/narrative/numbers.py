"""The numbers of a sentence that may be figures, and the unit written after one."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ingest.narrative.matching import (
    FALSE_FRIENDS,
    NOT_COUNT,
    ends_with_word,
    starts_with_word,
)
from ingest.narrative.units import Units

_NUM = r"\d+(?:[.,]\d+)*"
_TOKEN = re.compile(rf"(?<![\w/.,\-–])({_NUM})(?:/({_NUM}))?(?:/({_NUM}))?(\s?%)?(?![\w/]|[.,]\d)")
_VALID = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$|^\d+(?:,\d+)?$")
_DOT_DECIMAL = re.compile(r"^\d{1,3}\.\d{1,2}$")  # '43.83%': a decimal point before '%'
_ID_AFTER = re.compile(r"^\s?/\s?[^\W\d]|^[-–]\w")
_RANGE = re.compile(
    rf"\btừ\s+({_NUM})(\s?%)?\s*(?:-|–|đến)\s*(?:dưới|trên)?\s*({_NUM})(\s?%)?", re.IGNORECASE
)
VALUE_END = re.compile(r"^\s*(?:[;,.)]|$|và\b)")


@dataclass(frozen=True)
class Number:
    """A number in a sentence that may be a figure: a/b for a fraction."""

    start: int
    end: int  # '%' included
    text: str  # as written; for a fraction a/b, 'b'
    numerator: str | None
    percent: bool

    @property
    def total_text(self) -> str:
        """What a breakdown right after this number breaks down."""
        return self.numerator if self.numerator is not None else self.text


def is_year(text: str) -> bool:
    return len(text) == 4 and text.isdigit() and 1900 <= int(text) <= 2099


def _valid(text: str, percent: bool) -> bool:
    return bool(_VALID.match(text)) or (percent and bool(_DOT_DECIMAL.match(text)))


def find_numbers(sentence: str, normed: str) -> Iterator[Number]:
    """Numbers that may be figures: dates, years, ids and list markers left out."""
    for match in _TOKEN.finditer(sentence):
        first, second, third, sign = match.groups()
        after = sentence[match.end() :]
        before = normed[: match.start()].rstrip()
        if third is not None or _ID_AFTER.match(after):
            continue  # a date d/m/yyyy, '876/QĐ-BNV', '18-NQ/TW', '2021-2025'
        if before.endswith("(") and after.startswith(")"):
            continue  # a list marker '(1)'
        if any(
            ends_with_word(b, NOT_COUNT)
            for b in (before, before.removesuffix(" số"), before.removesuffix(" số:"))
        ):
            continue
        percent = sign is not None
        if second is not None:
            if is_year(second) or not (_valid(first, False) and _valid(second, percent)):
                continue  # '5/2022' is a month
            yield Number(match.start(), match.end(), second, first, percent)
        elif _valid(first, percent):
            text = sentence[match.start() : match.end()] if percent else first
            yield Number(match.start(), match.end(), text, None, percent)


def unit_after(sentence: str, normed: str, number: Number, units: Units) -> tuple[str | None, int]:
    """The unit written right after a number (``%`` included), and where it ends."""
    if number.percent:
        return "%", number.end
    rest = normed[number.end :]
    if not rest[:1].isspace():
        return None, number.end
    offset = number.end + len(rest) - len(rest.lstrip())
    unit = starts_with_word(normed[offset:], units)
    if unit is None or starts_with_word(normed[offset:], FALSE_FRIENDS):
        return None, number.end
    return sentence[offset : offset + len(unit)], offset + len(unit)


def find_ranges(sentence: str) -> list[tuple[int, int]]:
    """Where the two numbers of each range start: 'từ 6% - 10%', 'từ 70% - dưới 100%'."""
    return [(m.start(1), m.start(3)) for m in _RANGE.finditer(sentence)]
