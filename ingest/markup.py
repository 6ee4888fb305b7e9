"""Markup left in extracted text: HTML tags in cells, markdown in paragraphs.

Tags become flags (bold, italic); footnote markers (``<sup>1</sup>``) are dropped
from the text; links keep their visible text. Nothing else in the text changes
except that runs of whitespace become one space.
"""

from __future__ import annotations

import re
import unicodedata

from ingest.model import RawCell

_SUP = re.compile(r"<sup>.*?</sup>", re.IGNORECASE | re.DOTALL)
_BOLD = re.compile(r"<(b|strong)>", re.IGNORECASE)
_ITALIC = re.compile(r"<(i|em)>", re.IGNORECASE)
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_BREAK = re.compile(r"<br\s*/?>|</p>", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_AUTOLINK = re.compile(r"<((?:https?|mailto|ftp):[^<>\s]+)>")
_MD_EMPHASIS = re.compile(r"(?<!\\)\*{1,3}|(?<![\w\\])_{1,3}(?!\w)")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*")
_MD_ESCAPE = re.compile(r"\\([*_#\\\[\]().!-])")


def tidy(text: str) -> str:
    """Unicode NFC and single spaces; nothing else."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def parse_cell(raw: str) -> RawCell:
    """A table cell as extracted (may hold <b>, <i>, <sup>, <a> tags)."""
    is_bold = bool(_BOLD.search(raw))
    is_italic = bool(_ITALIC.search(raw))
    text = _SUP.sub("", raw)
    text = _BREAK.sub(" ", text)
    text = _TAG.sub("", text)
    text = _MD_ESCAPE.sub(r"\1", text)
    return RawCell(text=tidy(text), is_bold=is_bold, is_italic=is_italic)


def paragraph_text(raw: str) -> str:
    """A line of running text with markdown and HTML markup removed."""
    text = _SUP.sub("", raw)
    text = _MD_AUTOLINK.sub(r"\1", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _BREAK.sub(" ", text)
    text = _TAG.sub("", text)
    text = _MD_HEADING.sub("", text)
    text = _MD_EMPHASIS.sub(" ", text)
    text = _MD_ESCAPE.sub(r"\1", text)
    return tidy(text)


# letters NFD does not decompose: đ/Đ, and Ð/ð (eth), which legacy encodings write for Đ
_FOLD_LETTERS = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})
_NOT_FOLDED = re.compile(r"[^a-z0-9%]+")


def fold(text: str) -> str:
    """Text folded for matching only, never stored as data: lower case, no diacritics
    (đ → d, so tone placements hoá/hóa agree), every run of other characters
    (punctuation, dashes – — -, dots as in ``TP.``, whitespace) one space, trimmed.

    The SQL macro ``fold_text`` (macros/fold_text.sql) folds the same way; both are
    tested on tests/cases/fold_cases.csv.
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_LETTERS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_FOLDED.sub(" ", stripped.lower()).strip()
