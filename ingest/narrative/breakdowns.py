"""'Trong đó' breakdowns: which count a part breaks down, and its place in the breakdown."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.narrative.clauses import depth_scan
from ingest.narrative.facts import Fact, Whole
from ingest.narrative.matching import (
    BREAKDOWNS,
    LIST_BREAKDOWNS,
    ends_with_word,
    is_word_char,
    norm,
    starts_with_word,
)


@dataclass
class Opener:
    """A breakdown: its total, where its parts stand (after ``start``, up to ``end``)."""

    total: Fact  # the count broken down (a fraction's numerator, when it is a fraction)
    start: int
    end: int
    whole: str | None = None  # the total's denominator, when the total is a fraction's part
    count: int = 0

    @property
    def total_text(self) -> str:
        return self.total.number.total_text


def _matching_paren(text: str, start: int) -> int:
    for i, ch, depth in depth_scan(text, start, len(text)):
        if ch == ")" and depth == 0:
            return i
    return len(text)


def _enclosing_end(text: str, at: int) -> int:
    """The end of the parenthesis ``at`` stands in, or of the sentence."""
    depth = 0
    for i in range(at, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            if depth == 0:
                return i
            depth -= 1
    return len(text)


def _next_semicolon(text: str, start: int, limit: int) -> int:
    for i, ch, depth in depth_scan(text, start, limit):
        if depth < 0:
            return i
        if ch == ";" and depth == 0:
            return i
    return limit


def _openers(sentence: str, facts: list[Fact]) -> list[Opener]:
    """Breakdowns opened in a sentence: '(' holding figures right after a count, or
    'trong đó' / 'gồm' after one, with nothing but words and percentages between."""
    normed = norm(sentence)
    out: list[Opener] = []
    for i, ch in enumerate(sentence):
        if ch == "(":
            end = _matching_paren(sentence, i)
            if not any(i < f.number.start < end for f in facts):
                continue
        elif ch.isalpha() and (i == 0 or not is_word_char(normed[i - 1])):
            word = starts_with_word(normed[i:], BREAKDOWNS)
            if word is None or normed[:i].rstrip().endswith("("):
                continue  # '(trong đó: …' is the parenthesis's breakdown
            if word in LIST_BREAKDOWNS:  # 'gồm' lists the parts up to the next ';'
                end = _next_semicolon(sentence, i, _enclosing_end(sentence, i))
            else:
                end = _enclosing_end(sentence, i)
        else:
            continue
        total = _total_before(sentence, facts, i)
        if total is not None:
            number = total.number
            whole = number.text if number.numerator is not None else None
            out.append(Opener(total, i, end, whole))
    return out


def _total_before(sentence: str, facts: list[Fact], at: int) -> Fact | None:
    """The count a breakdown at ``at`` breaks down: the last one before it, with no ';'
    between them."""
    before = [f for f in facts if f.number.end <= at]
    counts = [f for f in before if f.is_count]
    if not counts:
        return None
    total = counts[-1]
    gap = sentence[total.phrase_end : at]
    if gap.strip(" ,;:") and _next_semicolon(sentence, total.number.end, at) < at:
        return None
    return total


def link_breakdowns(sentence: str, facts: list[Fact], carried: Opener | None) -> None:
    """Give each part of a breakdown its total and place (innermost breakdown wins)."""
    openers = _openers(sentence, facts)
    if carried is not None:
        openers.insert(0, carried)
    for fact in facts:
        inside = [o for o in openers if o.start < fact.number.start <= o.end]
        if not inside or not fact.is_count:
            continue
        opener = max(inside, key=lambda o: o.start)
        opener.count += 1
        fraction_part = fact.number.numerator is not None and opener.whole is not None
        fact.breakdown_of = opener.whole if fraction_part else opener.total_text
        fact.whole = Whole(opener.total, denominator=fraction_part)
        fact.breakdown_position = opener.count


def open_at_end(sentence: str, facts: list[Fact]) -> Fact | None:
    """'… 16 phản ánh, kiến nghị, trong đó:' — a breakdown announced, its parts to come."""
    stripped = norm(sentence).rstrip(" :.,")
    if not ends_with_word(stripped, BREAKDOWNS):
        return None
    counts = [f for f in facts if f.is_count]
    return counts[-1] if counts else None
