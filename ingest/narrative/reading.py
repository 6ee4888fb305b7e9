"""Reading paragraphs in their place: joined lines, the outline in force, sentences with
their lines, and a breakdown carried from one paragraph to the next."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ingest.model import Paragraph
from ingest.narrative.breakdowns import Opener
from ingest.narrative.facts import Fact
from ingest.narrative.lines import BULLET, DIGIT_FOOTNOTE, is_heading
from ingest.narrative.outline import Outline, parse_heading, split_sentences
from ingest.narrative.stated_periods import StatedPeriod
from ingest.narrative.unwrap import group_lines


@dataclass
class Carry:
    """A breakdown announced at the end of a paragraph ('…, trong đó:'), continued by
    the paragraph after it, or by the list items after it ('- …', nested '+ …')."""

    total: Fact
    count: int = 0
    marker: str | None = None
    nested_total: Fact | None = None
    nested_marker: str | None = None
    nested_count: int = 0


def _body(paragraph: Paragraph) -> str:
    """The paragraph's text without a leading footnote marker (a suffix of its text)."""
    text = paragraph.text
    if text.startswith("\ufffd"):
        return text.lstrip("\ufffd ")
    if paragraph.is_footnote:
        match = DIGIT_FOOTNOTE.match(text)
        if match:
            return text[match.start(2) :]
    return text


@dataclass(frozen=True)
class Sentence:
    text: str
    source_line: str


@dataclass(frozen=True)
class Reading:
    """A paragraph as read in its place in the document."""

    paragraph: Paragraph
    text: str
    sentences: tuple[Sentence, ...]
    section: str | None
    in_targets: bool
    in_plans: bool
    target_year: int | None
    is_target_heading: bool
    heading_period: StatedPeriod | None = None  # the period the headings in force state
    periods_seen: tuple[StatedPeriod, ...] = ()  # every heading's period so far


def read_paragraphs(paragraphs: Sequence[Paragraph]) -> Iterator[Reading]:
    """Join wrapped lines, follow the headings, split sentences (with their lines)."""
    outline = Outline()
    for group in group_lines(paragraphs):
        paragraph = group.to_paragraph()
        text = unicodedata.normalize("NFC", _body(paragraph))
        shift = len(paragraph.text) - len(text)  # a footnote marker cut from the start
        heading = parse_heading(text)
        if heading is not None:
            outline.enter(heading)
        else:
            outline.read_part_title(text)
        sentences = tuple(
            Sentence(sentence, group.source_lines(start + shift, start + shift + len(sentence)))
            for start, sentence in split_sentences(text)
        )
        yield Reading(
            paragraph,
            text,
            sentences,
            None if paragraph.is_footnote else outline.section,
            outline.in_targets,
            outline.in_plans,
            outline.target_year,
            heading is not None and heading.is_target,
            outline.period,
            tuple(outline.periods_seen),
        )


def carried_opener(text: str, carry: Carry | None) -> tuple[Carry | None, Opener | None, str]:
    """Whether this paragraph continues a breakdown announced before it; returns the
    carry to keep, the breakdown its first sentence continues, and its role."""
    if carry is None or is_heading(text):
        return None, None, "none"
    bullet = BULLET.match(text)
    marker = text[0] if bullet else None
    end = len(split_sentences(text)[0][1]) if text.strip() else 0
    if carry.marker is None and marker is None:
        return None, Opener(carry.total, -1, end, count=carry.count), "single"
    if carry.marker is None:
        carry.marker = marker
    if marker == carry.marker:
        return carry, Opener(carry.total, -1, end, count=carry.count), "part"
    if marker is not None and carry.nested_total is not None:
        carry.nested_marker = carry.nested_marker or marker
        if marker == carry.nested_marker:
            opener = Opener(carry.nested_total, -1, end, count=carry.nested_count)
            return carry, opener, "nested"
    return None, None, "none"
