"""Joining wrapped lines into paragraphs (``join_wrapped``; see ``ingest.narrative``)."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from ingest.model import Paragraph
from ingest.narrative.lines import (
    BULLET,
    DIGIT_FOOTNOTE,
    SEPARATOR,
    SOFT_END,
    URL,
    is_heading,
    is_open_line,
    runs_on,
)

_ASIDES = ("footnote", "link")


@dataclass
class Group:
    """Lines that make one paragraph: main text, a heading, a list item, a footnote or
    a link (an aside, which a page break puts in the middle of running text)."""

    kind: str
    lines: list[Paragraph] = field(default_factory=list)

    @property
    def last_text(self) -> str:
        return self.lines[-1].text

    @property
    def is_open(self) -> bool:
        """Mid-sentence at its last line, or inside a parenthesis still open."""
        if is_open_line(self.last_text):
            return True
        text = " ".join(p.text for p in self.lines)
        return text.count("(") > text.count(")")

    def source_lines(self, start: int, end: int) -> str:
        """The lines that hold text[start:end] of the joined paragraph ('388-392')."""
        held: list[Paragraph] = []
        offset = 0
        for line in self.lines:
            if offset < end and offset + len(line.text) > start:
                held.append(line)
            offset += len(line.text) + 1
        held = held or self.lines
        first = held[0].source_line.split("-")[0]
        last = held[-1].source_line.split("-")[-1]
        return first if first == last else f"{first}-{last}"

    def to_paragraph(self) -> Paragraph:
        first, last = self.lines[0], self.lines[-1]
        start = first.source_line.split("-")[0]
        end = last.source_line.split("-")[-1]
        return Paragraph(
            text=" ".join(p.text for p in self.lines),
            source_line=start if start == end else f"{start}-{end}",
            line_no=first.line_no,
            is_footnote=first.is_footnote or self.kind == "footnote",
        )


@dataclass(frozen=True)
class _Layout:
    """How the lines were wrapped: the wrap width, or None if they were not."""

    width: float | None

    def is_full(self, text: str) -> bool:
        return self.width is not None and len(text) >= 0.8 * self.width


def _layout(paragraphs: Sequence[Paragraph]) -> _Layout:
    lengths = [len(a.text) for a, b in pairwise(paragraphs) if b.text[:1].islower()]
    if len(lengths) < 8:
        return _Layout(None)
    q1, median, q3 = statistics.quantiles(lengths, n=4)
    return _Layout(median if q3 - q1 <= 0.25 * median else None)


def _line_kind(p: Paragraph, layout: _Layout, next_footnote: int) -> str:
    text = p.text
    if p.is_footnote or text.startswith("\ufffd"):
        return "footnote"
    if URL.match(text):
        return "link"
    if SEPARATOR.match(text):
        return "separator"
    if is_heading(text):
        return "heading"
    if BULLET.match(text):
        return "bullet"
    marker = DIGIT_FOOTNOTE.match(text)
    if (
        layout.width is not None
        and marker
        and int(marker.group(1)) == next_footnote
        and marker.group(2)[0].isupper()
    ):
        return "footnote"  # footnotes are numbered 1, 2, 3 … through a document
    first = text[0]
    if first.islower():
        return "lower"
    if first in ";,.)":
        return "punct"
    if first.isdigit():
        return "digit"
    return "other"


def _open_before_aside(groups: list[Group]) -> Group | None:
    """The paragraph a footnote or a link interrupted, if it was left open."""
    for group in reversed(groups):
        if group.kind in _ASIDES:
            continue
        return group if group.kind != "heading" and group.is_open else None
    return None


def _open_before_list(groups: list[Group]) -> Group | None:
    """The paragraph left open before a run of list items (a footnote's list)."""
    for group in reversed(groups[:-1]):
        if group.kind in (*_ASIDES, "bullet"):
            continue
        return group if group.kind == "main" and group.is_open else None
    return None


def _continuation_target(groups: list[Group], layout: _Layout) -> Group | None:
    """The group a continuing line belongs to: the last one, a footnote that ran to
    full width, or the paragraph a footnote or link interrupted at a page break."""
    last = groups[-1]
    if last.kind not in _ASIDES:
        return last
    if last.kind == "footnote" and last.is_open and layout.is_full(last.last_text):
        return last
    return _open_before_aside(groups)


def _join_target(groups: list[Group], kind: str, layout: _Layout) -> Group | None:
    last = groups[-1]
    wrapped = layout.width is not None
    if kind in ("lower", "punct", "digit"):
        if last.kind in _ASIDES:
            target = _continuation_target(groups, layout) if wrapped else _open_before_aside(groups)
            if kind == "digit" and target is not None and target.kind not in _ASIDES:
                # a number resumes a paragraph across footnotes only after a word that
                # needs one ("… Kế hoạch số 84/KH-UBND ngày" / "19/5/2022 của …")
                target = target if runs_on(target.last_text) else None
            if kind != "digit":
                target = target or last
        elif last.is_open or (kind != "digit" and last.last_text.rstrip()[-1:] in SOFT_END):
            target = last
        elif kind != "digit":
            target = _open_before_list(groups) or last
        else:
            target = None
        return target if target is not None and (kind != "digit" or target.is_open) else None
    # a line starting in upper case continues only a wrapped line that ran to full width
    if not wrapped:
        return None
    target = _continuation_target(groups, layout)
    if target is None or not target.is_open or not layout.is_full(target.last_text):
        return None
    if target.kind == "heading" and not runs_on(target.last_text):
        return None
    return target


def join_wrapped(paragraphs: Sequence[Paragraph]) -> list[Paragraph]:
    """Join the lines of wrapped text into paragraphs (see ``ingest.narrative``).
    Joining joined paragraphs again changes nothing."""
    return [group.to_paragraph() for group in group_lines(paragraphs)]


def group_lines(paragraphs: Sequence[Paragraph]) -> list[Group]:
    layout = _layout(paragraphs)
    groups: list[Group] = []
    in_aside = False  # inside a page's footnotes (after a separator or a footnote)
    next_footnote = 1
    for p in paragraphs:
        kind = _line_kind(p, layout, next_footnote)
        if kind == "footnote":
            marker = DIGIT_FOOTNOTE.match(p.text)
            if marker and layout.width is not None:
                next_footnote = int(marker.group(1)) + 1
            groups.append(Group("footnote", [p]))
            in_aside = True
        elif kind in ("link", "separator"):
            groups.append(Group("link", [p]))
            in_aside = in_aside or kind == "separator"
        elif kind == "heading":
            groups.append(Group("heading", [p]))
            in_aside = False
        elif kind == "bullet":
            groups.append(Group("footnote" if in_aside else "bullet", [p]))
        else:
            target = _join_target(groups, kind, layout) if groups else None
            if target is None:
                groups.append(Group("main", [p]))
                in_aside = False
                continue
            target.lines.append(p)
            in_aside = in_aside and target.kind in _ASIDES
            if target is not groups[-1]:  # back from a page's footnotes
                groups.remove(target)
                groups.append(target)
    groups.sort(key=lambda g: g.lines[0].line_no)
    return groups
