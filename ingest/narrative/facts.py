"""The facts of one sentence: its figures with their unit, label, subject and comparator."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from ingest.narrative.clauses import Label, find_label, find_phrase_end, split_point
from ingest.narrative.matching import (
    AUXILIARIES,
    CHANGES,
    COMPARATORS_AFTER,
    COMPARED,
    CONNECTORS,
    HEADS,
    LIST_HEADS,
    TRAILING,
    WHEN,
    ends_with_word,
    is_word_char,
    norm,
    starts_with_word,
)
from ingest.narrative.numbers import (
    VALUE_END,
    Number,
    find_numbers,
    find_ranges,
    is_year,
    unit_after,
)
from ingest.narrative.stated_periods import StatedPeriod, without_periods
from ingest.narrative.units import Units


@dataclass
class Fact:
    number: Number
    unit: str | None
    label: Label
    phrase: str
    phrase_end: int
    comparator: str | None = None
    subject: str = ""
    breakdown_of: str | None = None
    breakdown_position: int | None = None
    whole: Whole | None = None  # what it is a part of, when it is a breakdown's part
    fact_no: int | None = None  # its number in the document, once emitted (a fraction: b's)
    clause_start: int = 0  # where its words start: after the figure before it
    scope: str | None = None  # the scope its words state (ingest.narrative.scope)
    period: StatedPeriod | None = None  # the period its words state
    range_high: Fact | None = None  # the upper end of a range 'từ 6% - 10%' it starts

    @property
    def subject_start(self) -> int:
        return self.label.start if self.label.text else self.number.start

    @property
    def is_count(self) -> bool:
        return self.unit != "%"


@dataclass(frozen=True, eq=False)  # a link to one fact, not a value
class Whole:
    """The fact a breakdown's part breaks down, and which of its numbers: for a fraction
    ``a/b``, ``a`` ('41/47 người, trong đó …' breaks down 41) unless the part is itself
    a fraction of a fraction's breakdown, which breaks down ``b`` (``denominator``)."""

    fact: Fact
    denominator: bool = False

    @property
    def fact_no(self) -> int | None:
        """The whole's number in the document (a fraction's numerator comes just before
        its denominator)."""
        if self.fact.fact_no is None:
            return None
        if self.fact.number.numerator is not None and not self.denominator:
            return self.fact.fact_no - 1
        return self.fact.fact_no


def _accepted_numbers(
    sentence: str, normed: str, *, targets: bool, units: Units
) -> list[tuple[Number, str | None, int]]:
    """The numbers of a sentence that are figures, with their unit."""
    ranges = find_ranges(sentence)
    lowers = {lower for lower, _ in ranges}
    in_range = lowers | {upper for _, upper in ranges}
    out = []
    candidates = list(find_numbers(sentence, normed))
    for i, number in enumerate(candidates):
        unit, unit_end = unit_after(sentence, normed, number, units)
        if number.start in lowers and unit is None:
            rest = sentence[number.end : number.end + 12]
            unit = "%" if "%" in rest else None
        if number.start in in_range and not targets:
            continue  # a threshold in a label: 'từ 70% - dưới 100% chi thường xuyên'
        if unit is None:
            before = normed[: number.start].rstrip()
            valued = before.endswith(":") or ends_with_word(before, ("là",)) is not None
            if targets or not valued or not VALUE_END.match(sentence[number.end :]):
                continue
            if is_year(number.text):
                continue
        next_start = candidates[i + 1].start if i + 1 < len(candidates) else len(sentence)
        if not targets and _is_change(normed, number, next_start):
            continue
        out.append((number, unit, unit_end))
    return out


def _is_change(normed: str, number: Number, next_start: int) -> bool:
    """'tăng 404 văn bản so với cùng kỳ năm 2022'."""
    if not ends_with_word(normed[: number.start].rstrip(), CHANGES):
        return False
    clause = re.split(r"[;(]", normed[number.end : max(next_start, number.end + 60)], maxsplit=1)[0]
    return any(word in clause for word in COMPARED)


def sentence_facts(sentence: str, *, targets: bool, units: Units) -> list[Fact]:
    normed = norm(sentence)
    accepted = _accepted_numbers(sentence, normed, targets=targets, units=units)
    facts: list[Fact] = []
    lo = 0
    for i, (number, unit, unit_end) in enumerate(accepted):
        previous = facts[-1] if facts else None
        after_count = (
            previous is not None
            and previous.is_count
            and sentence.find(";", previous.number.end, number.start) < 0
        )
        lo_before = lo
        label = find_label(sentence, normed, lo, number.start, after_count=after_count)
        tail = max(number.end, unit_end)
        split = None
        stop = len(sentence)
        if i + 1 < len(accepted):
            stop = accepted[i + 1][0].start
            split = split_point(sentence, normed, tail, stop)
            if split is None:  # nothing between: the words before the next figure are its own
                split = tail
        end = find_phrase_end(
            sentence, normed, number.end, split or stop, long=targets, units=units
        )
        lo = split if split is not None else end
        if split is not None and end == split and _shares_when(sentence, normed, split, stop):
            end = stop  # '7.532 hồ sơ, giấy tờ khi tiếp nhận 18.346 TTHC': both figures'
        phrase = sentence[number.end : end].strip(" ,;:-–")
        if targets:
            phrase = _strip_trailing_connectors(phrase)
        comparator = label.comparator
        after = normed[number.end :].lstrip()
        for word, op in COMPARATORS_AFTER:
            if after.startswith(word):
                comparator = op
                phrase = (
                    phrase[len(word) :].strip(" ,;") if norm(phrase).startswith(word) else phrase
                )
        fact = Fact(number, unit, label, phrase, end, comparator, clause_start=lo_before)
        fact.subject = _subject(fact, facts)
        if previous is not None:
            fact.subject = _parallel_subject(fact, previous)
            fact.subject = _same_actor_subject(fact, facts)
        facts.append(fact)
    _join_ranges(sentence, facts)
    _period_only_subjects(sentence, facts)
    _list_head_subjects(sentence, facts)
    return facts


def _list_head_subjects(sentence: str, facts: list[Fact]) -> None:
    """Items of a list after its head ('… đối với Văn phòng HĐND tỉnh, 20/20 cơ quan
    chuyên môn; 10/10 đơn vị sự nghiệp …'): an item after a ';' with no label of its own
    is under the head (its subject begins with it)."""
    if not facts or not facts[0].label.text:
        return
    normed = norm(facts[0].label.text)
    at = max((normed.rfind(w) + len(w) for w in LIST_HEADS if w in normed), default=-1)
    if at < 0:
        return
    head = facts[0].label.text[:at].strip()
    for fact in facts[1:]:
        if fact.label.text or ";" not in sentence[facts[0].number.end : fact.number.start]:
            continue
        if fact.breakdown_of is None and not fact.subject.startswith(head):
            fact.subject = f"{head} {fact.subject}"


def _period_only_subjects(sentence: str, facts: list[Fact]) -> None:
    """A figure whose label is only a period ('Chỉ số hài lòng … tỉnh Tuyên Quang: Năm
    2014: 61,52%, năm 2015: 64,15%'; '… năm 2015: 1.727,53 tỷ đồng, năm 2020: 1.701,31
    tỷ đồng') is of what the words before the first one name: its subject is those words
    with its own period."""
    head: str | None = None
    for fact in facts:
        if not fact.label.text:
            continue
        if without_periods(fact.label.text):
            head = without_periods(fact.subject) or None
            continue
        if head is None:
            head = sentence[fact.clause_start : fact.label.start].strip(" ,:;-–") or None
        if head is not None:
            fact.subject = f"{head} {fact.subject}"


_PARALLEL_LABEL_WORDS = 3  # 'quá hạn:', 'đúng hạn:': a sub-label, not a label of its own


def _parallel_subject(fact: Fact, previous: Fact) -> str:
    """'Số hồ sơ đã giải quyết: trước hạn và đúng hạn: 54.618 hồ sơ; quá hạn: 671 hồ
    sơ': a short sub-label after the figure of a 'head: sub-label' is under the same
    head ('Số hồ sơ đã giải quyết: quá hạn')."""
    label, before = fact.label, previous.label
    words = norm(label.text).split()
    if not (label.marked and 0 < len(words) <= _PARALLEL_LABEL_WORDS) or ":" in label.text:
        return fact.subject
    if ":" not in before.text or starts_with_word(norm(label.text), HEADS):
        return fact.subject
    head = before.text.split(":", 1)[0].strip()
    return f"{head}: {fact.subject}"


def _same_actor_subject(fact: Fact, earlier: list[Fact]) -> str:
    """'dịch vụ Bưu chính công ích đã thực hiện tiếp nhận: 4.749 hồ sơ, …, trả kết quả:
    65.376 hồ sơ': a short item marked by ':' after an earlier figure whose ':'-marked
    label names an actor and what it did is done by the same actor ('dịch vụ Bưu chính
    công ích đã thực hiện trả kết quả')."""
    label = fact.label
    words = norm(label.text).split()
    if not (label.marked and 0 < len(words) <= _PARALLEL_LABEL_WORDS) or fact.subject != label.text:
        return fact.subject
    normed = norm(label.text)
    if any(_word_at(normed, w) >= 0 for w in AUXILIARIES) or starts_with_word(normed, HEADS):
        return fact.subject
    before = next((f.label for f in reversed(earlier) if f.label.text), None)
    if before is None or not before.marked:
        return fact.subject
    before_normed = norm(before.text)
    ats = [(_word_at(before_normed, w), w) for w in AUXILIARIES]
    at = max((i + len(w) for i, w in ats if i > 0), default=-1)
    if at < 0 or at >= len(before_normed):
        return fact.subject
    return f"{before.text[:at].strip()} {fact.subject}"


def _word_at(normed: str, word: str) -> int:
    """Where ``word`` last stands as a whole word in ``normed``, or -1."""
    at = normed.rfind(word)
    while at >= 0:
        end = at + len(word)
        if (at == 0 or not is_word_char(normed[at - 1])) and (
            end == len(normed) or not is_word_char(normed[end])
        ):
            return at
        at = normed.rfind(word, 0, at)
    return -1


def _shares_when(sentence: str, normed: str, split: int, stop: int) -> bool:
    """'số hoá 7.532 hồ sơ khi tiếp nhận 18.346 TTHC': the words from 'khi' to the next
    figure say when the first figure was counted and what the next one counts; they are
    both figures' words (the next one's label still starts after 'khi')."""
    return starts_with_word(normed[split:stop], WHEN) is not None and not any(
        ch in ",;:()" for ch in sentence[split:stop]
    )


def _strip_trailing_connectors(phrase: str) -> str:
    normed = norm(phrase)
    changed = True
    while changed:
        changed = False
        word = ends_with_word(normed.rstrip(" ,;"), (*CONNECTORS, *CHANGES))
        if word:
            cut = len(normed.rstrip(" ,;")) - len(word)
            phrase, normed = phrase[:cut].rstrip(" ,;"), normed[:cut].rstrip(" ,;")
            changed = True
    return phrase


def _subject(fact: Fact, earlier: list[Fact]) -> str:
    label, phrase = fact.label, fact.phrase
    if label.text:
        if label.marked or starts_with_word(norm(label.text), HEADS):
            return f"{label.text} {phrase}".strip() if fact.unit == "%" else label.text
        if fact.unit is not None and norm(phrase) == norm(fact.unit):
            # '… bổ nhiệm lại 03 người', 'cấp tỉnh có 21 điểm cầu': the unit says the rest
            trailing = ends_with_word(norm(label.text), TRAILING)
            return (
                label.text[: len(label.text) - len(trailing)].rstrip() if trailing else label.text
            )
        return f"{label.text} {phrase}".strip()
    if fact.unit == "%" and phrase and earlier and earlier[-1].unit == "%":
        # '… đạt 18,5% dự toán …, đạt 14,8% mục tiêu …': the same label, another base
        previous = next((f.label for f in reversed(earlier) if f.label.text), None)
        if previous is not None and previous.marked:
            return f"{previous.text} {phrase}"
    return phrase or ""


def _join_ranges(sentence: str, facts: list[Fact]) -> None:
    """Both ends of a range 'từ 6% - 10% số lượng …' say the same thing."""
    for lower, upper in pairwise(facts):
        between = sentence[lower.number.end : upper.number.start]
        if norm(between).strip() in ("-", "–", "đến", "- dưới", "đến dưới", "– dưới"):
            subject = f"{lower.label.text} {upper.phrase}".strip()
            lower.subject = upper.subject = subject
            lower.comparator = ">="
            if upper.comparator is None or upper.comparator in (">=", ">"):
                upper.comparator = "<" if "dưới" in norm(between) else "<="
            lower.range_high = upper


def ratio_subjects(sentence: str, facts: list[Fact]) -> None:
    """A percentage with no label of its own ('…, đạt tỷ lệ 41,05%') is the ratio of
    the counts stated just before it in its clause, so its subject is that statement
    as written: a fraction, a part of a breakdown, or the last two counts."""
    for k, fact in enumerate(facts):
        if fact.is_count or fact.label.text:
            continue
        clause = _clause_begin(sentence, fact.number.start)
        depth = _depth_at(sentence, clause, fact.number.start)
        counts = [
            f
            for f in facts[:k]
            if f.is_count
            and f.number.start >= clause
            and _depth_at(sentence, clause, f.number.start) <= depth
        ]
        if counts:
            last = counts[-1]
            simple = last.number.numerator is not None or last.breakdown_of is not None
            tops = [f for f in counts if f.breakdown_of is None]
            group = [last] if simple or len(tops) < 2 else tops[-2:]
            span = sentence[group[0].subject_start : group[-1].phrase_end].strip(" ,;:-–")
            fact.subject = f"{span} {fact.phrase}".strip()
        elif not fact.subject and k:
            fact.subject = facts[k - 1].subject


def _clause_begin(sentence: str, at: int) -> int:
    """After the last ';' before ``at`` that is not inside a parenthesis closed before
    ``at`` ('(đạt 100%)' belongs to the clause around it)."""
    depth = 0
    for i in range(at - 1, -1, -1):
        ch = sentence[i]
        if ch == ")":
            depth += 1
        elif ch == "(":
            depth -= 1
        elif ch == ";" and depth <= 0:
            return i + 1
    return 0


def _depth_at(sentence: str, start: int, at: int) -> int:
    return sentence.count("(", start, at) - sentence.count(")", start, at)
