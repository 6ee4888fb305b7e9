"""The words around a figure: where its clause starts, its label, the phrase after it,
and where one figure's words give way to the next one's."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ingest.narrative.matching import (
    APPROXIMATE,
    BREAKDOWNS,
    CIRCUMSTANCES,
    CLAUSE_BREAKS,
    COMPARATOR_OF,
    COMPARATORS,
    CONNECTORS,
    GENERIC,
    HEADS,
    MARKERS,
    ORGANS,
    RUN_ON,
    SPLITTERS,
    ends_with_word,
    is_word_char,
    norm,
    starts_with_word,
)
from ingest.narrative.units import Units
from ingest.windows import window_end_at


def depth_scan(text: str, lo: int, hi: int) -> Iterator[tuple[int, str, int]]:
    """(index, char, parenthesis depth relative to ``lo``) for text[lo:hi]."""
    depth = 0
    for i in range(lo, hi):
        ch = text[i]
        if ch == "(":
            yield i, ch, depth
            depth += 1
        elif ch == ")":
            depth -= 1
            yield i, ch, depth
        else:
            yield i, ch, depth


def _clause_start(sentence: str, lo: int, hi: int, *, after_count: bool) -> tuple[int, int]:
    """Where the clause of a figure at ``hi`` starts (after a ';', a ')' closing
    something opened before ``lo``, or the '(' the figure stands in), and where it
    ends (``hi``, or the '(' when the figure is the first thing in a parenthesis)."""
    stack: list[tuple[int, int]] = []  # (index of '(', clause start outside it)
    start = lo
    for i, ch, _ in depth_scan(sentence, lo, hi):
        if ch == "(":
            stack.append((i, start))
            start = i + 1
        elif ch == ")":
            start = stack.pop()[1] if stack else i + 1
        elif ch == ";":
            start = i + 1
    if stack and not sentence[start:hi].strip() and not after_count:
        paren, outside = stack[-1]
        return outside, paren  # '… năm 2023 (258 người)': the words before the '('
    return start, hi


def _label_start(sentence: str, normed: str, lo: int, hi: int) -> int:
    """Cut a label after a breakdown word, or after a ':' or ',' that is followed by
    words naming what is counted ('Đến ngày 14/03/2023, tổng số TTHC …')."""
    cut = lo
    for i, ch, depth in depth_scan(sentence, lo, hi):
        if depth != 0:
            continue
        if ch in ":,":
            rest = _strip_connectors(normed, i + 1, hi)
            if starts_with_word(normed[rest:hi], HEADS) or (
                ch == ":" and sentence[rest : rest + 1].isupper()
            ):
                cut = rest
        elif (i == 0 or not is_word_char(normed[i - 1])) and ch.isalpha():
            word = starts_with_word(normed[i:hi], BREAKDOWNS)
            if word:
                cut = i + len(word)
    return cut


def _strip_connectors(normed: str, lo: int, hi: int) -> int:
    """Skip spaces, bullets, punctuation and connectors at the start of normed[lo:hi]."""
    while lo < hi:
        if normed[lo] in " ,:;-+*•–\t":
            lo += 1
            continue
        word = starts_with_word(normed[lo:hi], CONNECTORS)
        if not word:
            break
        lo += len(word)
    return lo


@dataclass(frozen=True)
class Label:
    start: int
    end: int
    text: str
    marked: bool  # ended with ':' or a label marker ('là', 'đạt')
    comparator: str | None


def find_label(sentence: str, normed: str, lo: int, hi: int, *, after_count: bool = False) -> Label:
    """The words before a figure that belong to it, trimmed to what is counted.
    ``after_count``: a count stands just before, so a '(' opening here is its breakdown."""
    figure_at = hi
    lo, hi = _clause_start(sentence, lo, hi, after_count=after_count)
    in_parenthesis = hi != figure_at  # '… năm 2023 (258 người)': the label is before it
    lo = _label_start(sentence, normed, lo, hi)
    lo = _strip_connectors(normed, lo, hi)
    while starts_with_word(normed[lo:hi], CIRCUMSTANCES) and "," in sentence[lo:hi]:
        lo = _strip_connectors(normed, sentence.index(",", lo, hi) + 1, hi)
    window_end = window_end_at(sentence, lo, hi)
    if window_end is not None:
        # 'Từ ngày 15/12/2021 đến 17/5/2022 tổng số hồ sơ …': the window says when, not
        # what is counted, with or without a comma after it
        lo = _strip_connectors(normed, window_end, hi)
    marked = False
    comparator = None
    while hi > lo:
        segment = normed[lo:hi]
        trimmed = segment.rstrip(" :,;-–=\t")
        if len(trimmed) != len(segment):
            marked = marked or ":" in segment[len(trimmed) :]
            hi = lo + len(trimmed)
            continue
        word = ends_with_word(segment, COMPARATORS)
        if word:
            comparator = comparator or COMPARATOR_OF[word]
            hi -= len(word)
            continue
        word = ends_with_word(segment, APPROXIMATE)
        if word:
            hi -= len(word)
            continue
        word = ends_with_word(segment, MARKERS)
        if word:
            marked = True
            hi -= len(word)
            continue
        break
    text = sentence[lo:hi].strip()
    words = norm(text).split()
    if (starts_with_word(norm(text), GENERIC) and len(words) <= 2) or all(
        w in RUN_ON for w in words
    ):
        text = ""  # 'Kết quả: 97/97 hồ sơ', '… của 17 sở, ban, ngành'
    return Label(lo, hi, text, marked or in_parenthesis, comparator)


def find_phrase_end(
    sentence: str, normed: str, start: int, stop: int, *, long: bool, units: Units
) -> int:
    """Where the phrase after a figure ends: the first mark or word that starts another
    clause (for a target, only ';', '(' or 'trong đó'), or ``stop``."""
    segment = normed[start:stop]
    i = start + len(segment) - len(segment.lstrip())
    unit = starts_with_word(normed[i:stop], units)
    i += len(unit) if unit else 0
    while i < stop:
        ch = sentence[i]
        if ch == "," and _joins_organs(normed, i):
            i += 1
            continue  # '… do HĐND, UBND tỉnh ban hành': one subject
        if ch in ";()" or (ch in ":," and not long):
            return i
        if ch in ".!?" and not (i + 1 < len(sentence) and sentence[i + 1].isdigit()):
            return i
        if ch.isalpha() and not is_word_char(normed[i - 1]):
            breaks = BREAKDOWNS if long else CLAUSE_BREAKS
            if starts_with_word(normed[i:stop], breaks):
                return i
        i += 1
    return stop


def _joins_organs(normed: str, comma: int) -> bool:
    """Whether the ',' at ``comma`` stands between two organs ('HĐND, UBND')."""
    return (
        ends_with_word(normed[:comma].rstrip(), ORGANS) is not None
        and starts_with_word(normed[comma + 1 :].lstrip(), ORGANS) is not None
    )


def split_point(sentence: str, normed: str, lo: int, hi: int) -> int | None:
    """Between two figures: where the first one's phrase gives way to the second one's
    label — after the last ';'; else before a breakdown word ('trong đó'); else after
    the last ',', '(' or ')' (a ':' counts only with words after it: a ':' right before
    a figure is its label's); else before the first connector ('và', 'khi'); else
    None."""
    semicolon = sentence.rfind(";", lo, hi)
    if semicolon >= 0:
        return semicolon + 1
    mark = connector = breakdown = None
    for i, ch, _ in depth_scan(sentence, lo, hi):
        if ch in ",()" or (ch == ":" and sentence[i + 1 : hi].strip(" ,;:(")[:1].isalpha()):
            mark = i + 1
        elif ch.isalpha() and (i == lo or not is_word_char(normed[i - 1])):
            if breakdown is None and starts_with_word(normed[i:hi], BREAKDOWNS):
                breakdown = i
            elif connector is None and starts_with_word(normed[i:hi], SPLITTERS):
                connector = i
    return next((p for p in (breakdown, mark, connector) if p is not None), None)
