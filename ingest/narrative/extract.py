"""The public extractors: ``extract_figures`` and ``extract_targets`` (see
``ingest.narrative`` for the conventions)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ingest.model import NarrativeFact, Paragraph
from ingest.narrative.breakdowns import Opener, link_breakdowns, open_at_end
from ingest.narrative.facts import Fact, ratio_subjects, sentence_facts
from ingest.narrative.lines import is_heading
from ingest.narrative.matching import BREAKDOWNS, norm, starts_with_word
from ingest.narrative.reading import Carry, Sentence, carried_opener, read_paragraphs
from ingest.narrative.units import unit_words
from ingest.windows import Window, find_window


def _to_fact(
    sentence: Sentence, fact: Fact, figure_text: str, window: Window | None, section: str | None
) -> NarrativeFact:
    return NarrativeFact(
        source_line=sentence.source_line,
        sentence=sentence.text,
        kind="figure",
        figure_text=figure_text,
        subject_text=fact.subject,
        unit_text=fact.unit,
        breakdown_of=fact.breakdown_of,
        breakdown_position=fact.breakdown_position,
        window_text=window.text if window else None,
        window_start=window.start if window else None,
        window_end=window.end if window else None,
        comparator=fact.comparator,
        target_year=None,
        section=section,
    )


def _expand(
    sentence: Sentence, fact: Fact, window: Window | None, section: str | None, fact_no: int
) -> list[NarrativeFact]:
    """One fact per number; a fraction a/b gives a (a part of b), then b. ``fact_no``:
    the number the first of them has in the document; a part links to its whole's."""
    whole_no = fact.whole.fact_no if fact.whole is not None else None
    base = replace(
        _to_fact(sentence, fact, fact.number.text, window, section), whole_fact_no=whole_no
    )
    if fact.number.numerator is None:
        fact.fact_no = fact_no
        return [base]
    fact.fact_no = fact_no + 1
    numerator = replace(
        base,
        figure_text=fact.number.numerator,
        breakdown_of=fact.number.text,
        breakdown_position=1,
        whole_fact_no=fact.fact_no,
    )
    return [numerator, base]


# figure API


def extract_figures(
    paragraphs: Sequence[Paragraph], *, unit_aliases: Sequence[str]
) -> list[NarrativeFact]:
    """The figures stated in sentences (see ``ingest.narrative`` for conventions).
    ``unit_aliases``: the seed's units of counts and amounts, as written
    (``ReferenceData.count_unit_aliases``). Wrapped lines are joined first
    (``join_wrapped``; joined text is left as it is); ``source_line`` is the range of
    lines of the figure's sentence."""
    units = unit_words(unit_aliases)
    out: list[NarrativeFact] = []
    carry: Carry | None = None
    last_total: Fact | None = None  # the last count stated, for a 'Trong đó, …' after it
    for reading in read_paragraphs(paragraphs):
        if reading.in_targets or reading.in_plans:
            carry, last_total = None, None
            continue
        if is_heading(reading.text):
            last_total = None
        carry, carried, role = carried_opener(reading.text, carry)
        window: Window | None = None
        for index, sentence in enumerate(reading.sentences):
            text = sentence.text
            window = find_window(text) or window
            facts = sentence_facts(text, targets=False, units=units)
            opener = carried if index == 0 else None
            starts_breakdown = starts_with_word(norm(text), BREAKDOWNS) is not None
            if opener is None and starts_breakdown and last_total is not None:
                opener = Opener(last_total, -1, len(text))
            link_breakdowns(text, facts, opener)
            ratio_subjects(text, facts)
            for fact in facts:
                out.extend(_expand(sentence, fact, window, reading.section, len(out) + 1))
            if opener is not None and carry is not None and index == 0:
                _count_carried(carry, role, opener, facts)
            announced = open_at_end(text, facts)
            if announced is not None and not _parts_after(facts, announced.number.total_text):
                carry = Carry(announced)  # '… 16 phản ánh, kiến nghị, trong đó:'
            elif starts_breakdown and not facts and last_total is not None:
                carry = Carry(last_total)  # '… (Khối tỉnh: …). Trong đó:'
            elif role == "single":
                carry = None
            tops = [f for f in facts if f.is_count and f.breakdown_of is None]
            last_total = tops[-1] if tops else None
    return out


def _parts_after(facts: list[Fact], total: str) -> bool:
    return any(f.breakdown_of == total for f in facts)


def _count_carried(carry: Carry, role: str, opener: Opener, facts: list[Fact]) -> None:
    if role == "part":
        carry.count = opener.count
        part = next((f for f in facts if f.breakdown_of == opener.total_text), None)
        carry.nested_total = part
        carry.nested_marker, carry.nested_count = None, 0
    elif role == "nested":
        carry.nested_count = opener.count


# target API

_SENTENCE_YEAR = re.compile(r"^(?:đến|tới)\s+năm\s+((?:19|20)\d{2})\b", re.IGNORECASE)


def extract_targets(
    paragraphs: Sequence[Paragraph], *, unit_aliases: Sequence[str]
) -> list[NarrativeFact]:
    """The quantitative targets under a plan's 'Mục tiêu' / 'Định hướng' headings
    (see ``ingest.narrative``); ``unit_aliases`` as for ``extract_figures``. Wrapped
    lines are joined first."""
    units = unit_words(unit_aliases)
    out: list[NarrativeFact] = []
    for reading in read_paragraphs(paragraphs):
        if not reading.in_targets or reading.is_target_heading:
            continue
        for sentence in reading.sentences:
            own_year = _SENTENCE_YEAR.match(sentence.text.lstrip("-+ "))
            year = int(own_year.group(1)) if own_year else reading.target_year
            for fact in sentence_facts(sentence.text, targets=True, units=units):
                figure = _to_fact(sentence, fact, fact.number.text, None, reading.section)
                comparator = fact.comparator or "="
                out.append(replace(figure, kind="target", comparator=comparator, target_year=year))
    return out
