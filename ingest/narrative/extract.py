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
from ingest.narrative.matching import BREAKDOWNS, ends_with_word, matchable, norm, starts_with_word
from ingest.narrative.reading import Carry, Reading, Sentence, carried_opener, read_paragraphs
from ingest.narrative.scope import Scope, stated_scope, system_named_last
from ingest.narrative.stated_periods import before, earlier, period_in
from ingest.narrative.units import unit_words
from ingest.narrative.vocabulary import (
    CHANGE_SIZE_WORDS,
    DEFAULT_TARGET_COMPARATOR,
    TARGET_CHANGE_WORDS,
)
from ingest.periods import Period
from ingest.windows import Window, find_window


def _to_fact(
    sentence: Sentence, fact: Fact, figure_text: str, window: Window | None, section: str | None
) -> NarrativeFact:
    stated = fact.period
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
        stated_scope=fact.scope,
        stated_period_type=stated.period.period_type if stated else None,
        stated_period_year=stated.period.year if stated else None,
        stated_period_number=stated.period.number if stated else None,
        stated_period_end_year=stated.period.end_year if stated else None,
        stated_period_text=stated.text if stated else None,
        is_stated_later=stated is not None,
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
    paragraphs: Sequence[Paragraph],
    *,
    unit_aliases: Sequence[str],
    report_period: Period | None = None,
) -> list[NarrativeFact]:
    """The figures stated in sentences (see ``ingest.narrative`` for conventions).
    ``unit_aliases``: the seed's units of counts and amounts, as written
    (``ReferenceData.count_unit_aliases``). Wrapped lines are joined first
    (``join_wrapped``; joined text is left as it is); ``source_line`` is the range of
    lines of the figure's sentence. ``report_period``: the report's own period; a figure
    whose words or headings state one that ended before it is of that period, stated
    later (``ingest.narrative.stated_periods``)."""
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
        focus: Scope | None = None  # the system the paragraph named last
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
            _state_scopes(text, facts, focus)
            _state_periods(text, facts, reading, report_period)
            focus = system_named_last(text) or focus
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


def _state_scopes(sentence: str, facts: list[Fact], focus: Scope | None) -> None:
    """Each fact's scope, from its own clause (``ingest.narrative.scope``)."""
    for fact in facts:
        whole = fact.whole.fact.scope if fact.whole is not None else None
        before = sentence[fact.clause_start : fact.number.start]
        after = sentence[fact.number.end : fact.phrase_end]
        fact.scope = stated_scope(before, after, sentence, whole=whole, system_in_focus=focus)


_OPENING_WORDS = 8  # 'Giai đoạn 2011-2020,', 'Trong quý I năm 2023,': a short opening


def _state_periods(
    sentence: str, facts: list[Fact], reading: Reading, report: Period | None
) -> None:
    """Each fact's period when it ended before the report's: its label's, else the
    sentence's opening ('Giai đoạn 2011-2020, …'), else the headings' in force; a
    footnote (no heading of its own) takes the last heading period that ended before
    the report's began (the past it explains). A part of a breakdown is of its whole's period."""
    opening = sentence.split(",", 1)[0] if "," in sentence else ""
    if len(opening.split()) > _OPENING_WORDS:
        opening = ""
    sentence_period = period_in(opening, report=report) if opening else None
    if reading.section is None and reading.paragraph.is_footnote:
        past = [p for p in reading.periods_seen if before(p.period, report)]
        heading = past[-1] if past else None
    else:
        heading = reading.heading_period
    for fact in facts:
        if fact.whole is not None:
            fact.period = fact.whole.fact.period
            continue
        own = period_in(sentence[fact.label.start : fact.number.start], report=report)
        stated = next((p for p in (own, sentence_period, heading) if p is not None), None)
        fact.period = stated if stated is not None and earlier(stated.period, report) else None


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

DEFAULT_COMPARATOR = DEFAULT_TARGET_COMPARATOR
CHANGE_SIZES = matchable(CHANGE_SIZE_WORDS)
TARGET_CHANGES = tuple((kind, matchable(words)) for kind, words in TARGET_CHANGE_WORDS.items())

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
            facts = sentence_facts(sentence.text, targets=True, units=units)
            uppers = {id(f.range_high) for f in facts if f.range_high is not None}
            for fact in facts:
                if id(fact) in uppers:
                    continue  # the upper end of a range: its lower end's target holds it
                figure = _to_fact(sentence, fact, fact.number.text, None, reading.section)
                high = fact.range_high
                out.append(
                    replace(
                        figure,
                        kind="target",
                        comparator="between" if high else fact.comparator or DEFAULT_COMPARATOR,
                        target_year=year,
                        target_high_text=high.number.text if high else None,
                        target_change=target_change(sentence.text, fact),
                    )
                )
    return out


def target_change(sentence: str, fact: Fact) -> str | None:
    """'decrease' or 'increase' when a target is the size of a change ('giảm 10% biên
    chế', 'Giảm bình quân 15% chi …', 'giảm từ 6% - 10% số lượng …'), else None."""
    before = norm(sentence[: fact.number.start]).rstrip(" :,")
    word = ends_with_word(before, CHANGE_SIZES)
    while word:
        before = before[: len(before) - len(word)].rstrip(" :,")
        word = ends_with_word(before, CHANGE_SIZES)
    return next((kind for kind, words in TARGET_CHANGES if ends_with_word(before, words)), None)
