"""The shapes of a line of running text: a heading, a bullet, a footnote marker, a
link, a separator; whether it is left open or runs on."""

from __future__ import annotations

import re

from ingest.narrative.matching import RUN_ON, ends_with_word, norm

URL = re.compile(r"^(?:https?://|www\.)\S*$", re.IGNORECASE)
SEPARATOR = re.compile(r"^[-_=*·.…]{3,}$")
ROMAN_HEADING = re.compile(r"^([IVXLC]+)\.\s+\S")
NUMBER_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2})+)\.?\s+\S|^(\d{1,2})\.\s+\S")
LETTER_HEADING = re.compile(r"^([a-zđ])[).]\s+\S")
PART_HEADING = re.compile(r"^phần\s+[IVXLC]+\b", re.IGNORECASE)
BULLET = re.compile(r"^[-+•*–]\s*")
BULLETS = re.compile(r"^\s*(?:[-+•*–]\s+)+")
DIGIT_FOOTNOTE = re.compile(r"^(\d{1,2})\s+(\S)")
_HARD_END = ".!?…:;"
SOFT_END = ":;,"


def is_open_line(text: str) -> bool:
    """Whether a line stops mid-sentence (no final '.', ':', ';', '!', '?')."""
    stripped = text.rstrip(" \"'”’»)]")
    return bool(stripped) and stripped[-1] not in _HARD_END


def is_heading(text: str) -> bool:
    return bool(
        ROMAN_HEADING.match(text)
        or NUMBER_HEADING.match(text)
        or LETTER_HEADING.match(text)
        or PART_HEADING.match(text)
    )


def runs_on(text: str) -> bool:
    """A line ending on a word that cannot end a title runs on to the next line."""
    normed = norm(text.rstrip())
    return normed.endswith(",") or ends_with_word(normed, RUN_ON) is not None
