"""Sentences of a paragraph, and the headings in force while a document is read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from ingest.narrative.lines import (
    BULLETS,
    LETTER_HEADING,
    NUMBER_HEADING,
    PART_HEADING,
    ROMAN_HEADING,
)
from ingest.narrative.matching import PLAN_HEADINGS, TARGET_HEADINGS, norm, starts_with_word
from ingest.narrative.stated_periods import StatedPeriod, period_in

_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)]*\s+")
_ABBREVIATIONS = frozenset({"tp", "ts", "ths", "p", "v.v"})


def split_sentences(text: str) -> list[tuple[int, str]]:
    """Sentences of a paragraph, with where each starts: a final '.', '!', '?' followed
    by a capital or a digit ends one."""
    cuts = [0]
    for match in _SENTENCE_END.finditer(text):
        after = text[match.end() : match.end() + 1]
        if not (after.isupper() or after.isdigit() or after in ("-", "+", "“", '"', "(")):
            continue
        if text[: match.start()].rsplit(" ", 1)[-1].lower() in _ABBREVIATIONS:
            continue
        cuts.append(match.end())
    cuts.append(len(text))
    out = []
    for start, end in pairwise(cuts):
        piece = text[start:end]
        bullet = BULLETS.match(piece)  # '- ', '+ ', '- + ': list marks, not the sentence's
        skip = bullet.end() if bullet else len(piece) - len(piece.lstrip())
        if piece[skip:].strip():
            out.append((start + skip, piece[skip:].strip()))
    return out


# headings

_YEAR = re.compile(r"\bnăm\s+((?:19|20)\d{2})\b", re.IGNORECASE)


@dataclass(frozen=True)
class _Heading:
    level: int
    number: str
    kind: str  # part, roman, number, letter
    is_target: bool
    year: int | None
    is_plan: bool = False
    period: StatedPeriod | None = None  # the period its title states ('… giai đoạn 2011-2020')


def parse_heading(text: str) -> _Heading | None:
    if PART_HEADING.match(text):
        return _Heading(0, "", "part", False, None)
    match = ROMAN_HEADING.match(text)
    if match:
        return _make_heading(1, match.group(1), "roman", text[match.end(1) :])
    match = NUMBER_HEADING.match(text)
    if match:
        number = match.group(1) or match.group(2)
        return _make_heading(2 + number.count("."), number, "number", text[len(number) :])
    match = LETTER_HEADING.match(text)
    if match:
        return _make_heading(10, match.group(1), "letter", text[2:])
    return None


def _make_heading(level: int, number: str, kind: str, title: str) -> _Heading:
    as_written = title.lstrip(". )").strip()
    title = norm(as_written)
    is_target = starts_with_word(title, TARGET_HEADINGS) is not None
    is_plan = starts_with_word(title, PLAN_HEADINGS) is not None
    years = {int(y) for y in _YEAR.findall(title)}
    year = years.pop() if is_target and len(years) == 1 else None
    # a run-in heading ('c) Tình hình sử dụng biên chế: Năm 2023, …'): its title only
    heading_title = re.split(r":|\.\s", as_written, maxsplit=1)[0]
    period = None if is_target or is_plan else period_in(heading_title)
    return _Heading(level, number, kind, is_target, year, is_plan, period)


@dataclass
class Outline:
    """The headings in force while a document is read from top to bottom."""

    stack: list[_Heading] = field(default_factory=list)
    periods_seen: list[StatedPeriod] = field(default_factory=list)  # headings' periods, in order
    _part_open: bool = False  # a part heading ('Phần II') whose title is still to come
    _part_title: str = ""

    def enter(self, heading: _Heading) -> None:
        while self.stack and self.stack[-1].level >= heading.level:
            self.stack.pop()
        self.stack.append(heading)
        self._part_open = heading.kind == "part"
        self._part_title = ""
        if heading.period is not None:
            self.periods_seen.append(heading.period)

    def read_part_title(self, text: str) -> None:
        """A part's title is the upper-case paragraphs right after 'Phần II' ('THỰC
        TRẠNG …', '… TỈNH TUYÊN QUANG', 'GIAI ĐOẠN 2011-2020'); its period is the
        part's."""
        if not self._part_open or not self.stack:
            return
        letters = [ch for ch in text if ch.isalpha()]
        if not letters or not all(ch.isupper() for ch in letters):
            self._part_open = False
            return
        self._part_title = f"{self._part_title} {text}".strip()
        if starts_with_word(norm(self._part_title), (*TARGET_HEADINGS, *PLAN_HEADINGS)):
            return  # 'MỤC TIÊU, NHIỆM VỤ, GIẢI PHÁP …': the years of targets
        period = period_in(self._part_title)
        part = self.stack[-1]
        if period is None or period == part.period:
            return
        self.stack[-1] = _Heading(
            part.level, part.number, part.kind, part.is_target, part.year, part.is_plan, period
        )
        self.periods_seen.append(period)

    @property
    def period(self) -> StatedPeriod | None:
        """The period the innermost heading that states one states."""
        return next((h.period for h in reversed(self.stack) if h.period is not None), None)

    def _last(self, kind: str) -> str | None:
        return next((h.number for h in reversed(self.stack) if h.kind == kind), None)

    @property
    def section(self) -> str | None:
        roman, number, letter = self._last("roman"), self._last("number"), self._last("letter")
        base = number
        if number and "." not in number and roman:
            base = f"{roman}.{number}"
        elif not number:
            base = roman
        if letter:
            return f"{base} {letter})" if base else f"{letter})"
        return base

    @property
    def in_targets(self) -> bool:
        return any(h.is_target for h in self.stack)

    @property
    def in_plans(self) -> bool:
        return any(h.is_plan for h in self.stack)

    @property
    def target_year(self) -> int | None:
        return next((h.year for h in reversed(self.stack) if h.year is not None), None)
