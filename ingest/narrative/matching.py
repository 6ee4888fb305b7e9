"""Matching vocabulary in a sentence: the normalised view of a text and whole-word tests.

``norm`` keeps a text's length, so an offset found in the normalised text is an offset
in the text as written; the subject and unit of a figure are cut from the text as
written at those offsets.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from ingest.narrative.vocabulary import (
    APPROXIMATE_WORDS,
    BREAKDOWN_WORDS,
    CHANGE_WORDS,
    CLAUSE_BREAK_WORDS,
    COMPARATOR_AFTER_WORDS,
    COMPARATOR_WORDS,
    COMPARED_WITH_WORDS,
    GENERIC_LABELS,
    LABEL_MARKERS,
    LABEL_TRAILING_WORDS,
    LEADING_CIRCUMSTANCE_WORDS,
    LEADING_CONNECTOR_WORDS,
    LIST_HEAD_WORDS,
    NOT_A_COUNT_AFTER,
    ORGAN_WORDS,
    PLAN_HEADING_WORDS,
    RUN_ON_WORDS,
    SUBJECT_AUXILIARY_WORDS,
    SUBJECT_HEAD_WORDS,
    TARGET_HEADING_WORDS,
    UNIT_FALSE_FRIENDS,
)

_TONE_PLACEMENT = {
    "oá": "óa",
    "oà": "òa",
    "oả": "ỏa",
    "oã": "õa",
    "oạ": "ọa",
    "oé": "óe",
    "oè": "òe",
    "oẻ": "ỏe",
    "oẽ": "õe",
    "oẹ": "ọe",
    "uý": "úy",
    "uỳ": "ùy",
    "uỷ": "ủy",
    "uỹ": "ũy",
    "uỵ": "ụy",
}
_TONE_RE = re.compile("|".join(_TONE_PLACEMENT))


def norm(text: str) -> str:
    """Lower case, one tone placement (``hoá`` → ``hóa``), same length as ``text``
    (which is NFC, as readers leave it): offsets in the result are offsets in ``text``.

    Not ``ingest.markup.fold``: folding drops diacritics and collapses spaces, so it
    changes a text's length (offsets would no longer point into the text as written)
    and merges the short words this vocabulary must tell apart (``số``/``Sở``,
    ``đạt``/``đất``, ``từ``/``tư``)."""
    return _TONE_RE.sub(_one_tone_placement, _lower_keeping_length(text))


def _one_tone_placement(match: re.Match[str]) -> str:
    return _TONE_PLACEMENT[match.group()]


def _lower_keeping_length(text: str) -> str:
    """Each character lower-cased on its own, kept as it is where its lower case is
    longer (``İ``). ``str.lower`` gives the same in one call unless a character's lower
    case is longer (the lengths differ) or a capital sigma is lowered by its context
    (``Σ`` → ``ς`` at a word's end); only then is the text lowered a character at a time."""
    lowered = text.lower()
    if len(lowered) == len(text) and "Σ" not in text:
        return lowered
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


def matchable(words: Sequence[str]) -> tuple[str, ...]:
    """Vocabulary as matched: normalised, longest first."""
    return tuple(
        sorted({norm(unicodedata.normalize("NFC", w)) for w in words}, key=len, reverse=True)
    )


def is_word_char(ch: str) -> bool:
    return ch.isalnum()


def starts_with_word(text: str, words: Sequence[str]) -> str | None:
    """The first of ``words`` that normalised ``text`` starts with, as a whole word."""
    for word in words:
        if text.startswith(word) and (len(text) == len(word) or not is_word_char(text[len(word)])):
            return word
    return None


def ends_with_word(text: str, words: Sequence[str]) -> str | None:
    for word in words:
        if text.endswith(word):
            before = len(text) - len(word) - 1
            if before < 0 or not is_word_char(text[before]):
                return word
    return None


FALSE_FRIENDS = matchable(UNIT_FALSE_FRIENDS)
HEADS = matchable(SUBJECT_HEAD_WORDS)
MARKERS = matchable(LABEL_MARKERS)
BREAKDOWNS = matchable(BREAKDOWN_WORDS)
LIST_BREAKDOWNS = matchable(("gồm", "bao gồm"))
APPROXIMATE = matchable(APPROXIMATE_WORDS)
TRAILING = matchable(LABEL_TRAILING_WORDS)
TARGET_HEADINGS = matchable(TARGET_HEADING_WORDS)
PLAN_HEADINGS = matchable(PLAN_HEADING_WORDS)
NOT_COUNT = matchable(NOT_A_COUNT_AFTER)
CIRCUMSTANCES = matchable(LEADING_CIRCUMSTANCE_WORDS)
CLAUSE_BREAKS = matchable(CLAUSE_BREAK_WORDS)
CONNECTORS = matchable(LEADING_CONNECTOR_WORDS)
SPLITTERS = tuple(w for w in CONNECTORS if w not in matchable(("với", "có")))  # 'đối với'…
CHANGES = matchable(CHANGE_WORDS)
COMPARED = matchable(COMPARED_WITH_WORDS)
GENERIC = matchable(GENERIC_LABELS)
RUN_ON = matchable(RUN_ON_WORDS)
COMPARATOR_OF = {norm(w): op for op, words in COMPARATOR_WORDS.items() for w in words}
COMPARATORS = matchable(tuple(COMPARATOR_OF))
COMPARATORS_AFTER = tuple((norm(w), op) for op, ws in COMPARATOR_AFTER_WORDS.items() for w in ws)
ORGANS = matchable(ORGAN_WORDS)
LIST_HEADS = matchable(LIST_HEAD_WORDS)
AUXILIARIES = matchable(SUBJECT_AUXILIARY_WORDS)
WHEN = matchable(("khi",))
