"""What kind of thing a table cell holds, as written: the census of value cells.

Layout only (what a cell *looks like*); dbt reads its meaning. A *figure* is a number,
a percent, a count written with its unit ("1.234 thủ tục") or a code (a digit code or a
word of a code scale, ``code_words``); item numbers, years, dates, document numbers,
legal references, page and phone numbers, and running text are not figures and are
recorded with their kind so that a census can say why a cell was not counted.
"""

from __future__ import annotations

import re
from typing import Literal

from ingest.markup import fold
from ingest.numbers import looks_numeric

CellKind = Literal[
    # figures
    "number",
    "percent",
    "number_with_unit",
    "code_word",
    # not figures
    "stt",
    "year",
    "date",
    "document_number",
    "legal_reference",
    "phone",
    "page",
    "text",
]
FIGURE_KINDS: frozenset[str] = frozenset({"number", "percent", "number_with_unit", "code_word"})

_DATE = re.compile(r"^\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}$|^\d{1,2}\s*/\s*\d{4}$")
_DATE_WORDS = re.compile(r"^(?:ngay\s+)?\d{1,2}\s+thang\s+\d{1,2}(?:\s+nam\s+\d{4})?$")
_YEAR = re.compile(r"^(?:nam\s+)?(?:19[5-9]\d|20[0-4]\d)$")
# "63/QĐ-UBND", "127/BC-SNV", "30/2020/NĐ-CP": a number, a slash, a symbol with a dash
_DOCUMENT_NUMBER = re.compile(
    r"^(?:số\s*:?\s*)?\d+(?:\s*/\s*\d{4})?\s*/\s*[^\W\d_]+(?:\s*[-–]\s*\w+)*$", re.I
)
_LEGAL = re.compile(
    r"^(?:luat|nghi dinh|nghi quyet|thong tu|quyet dinh|chi thi|ke hoach|cong van|"
    r"thong bao|huong dan|bao cao)\b.*\d"
)
_PHONE = re.compile(r"^(?:\+84|0)\d[\d .-]{7,14}\d$")
_PAGE = re.compile(r"^(?:trang|tr)\s*\.?\s*\d+(?:\s*/\s*\d+)?$")
_STT = re.compile(r"^(?:[ivxlc]+|\d+(?:\.\d+)+|[a-z])\.?$")
# a number then a few words of its unit: "1.234 thủ tục", "9 phòng ban, đơn vị", "12 người"
_NUMBER_WITH_UNIT = re.compile(
    r"^[<>≤≥~]?\s*(\d{1,3}(?:[.,\s]\d{3})*(?:[.,]\d+)?|\d+(?:[.,]\d+)?)\s*%?\s+"
    r"([^\W\d_][\w\s,./-]{0,40})$"
)
_MAX_UNIT_WORDS = 5


def cell_kind(text: str, code_words: frozenset[str] = frozenset()) -> CellKind | None:
    """The kind of a cell's text (None for an empty cell). ``code_words``: folded words
    of the code scales (ingest.reference); a year-like number is a year here, a
    figure only where its column is one of figures (``value_cell_kind``)."""
    stripped = text.strip()
    if not stripped:
        return None
    folded = fold(stripped)
    if folded in code_words:
        return "code_word"
    if _PHONE.match(stripped) and 10 <= sum(c.isdigit() for c in stripped) <= 11:
        return "phone"
    if looks_numeric(stripped):
        if "%" in stripped:
            return "percent"
        if _YEAR.match(folded) and re.fullmatch(r"\d{4}", stripped):
            return "year"
        return "number"
    if _YEAR.match(folded):
        return "year"
    if _DATE.match(stripped) or _DATE_WORDS.match(folded):
        return "date"
    if _PAGE.match(folded):
        return "page"
    if _DOCUMENT_NUMBER.match(stripped):
        return "document_number"
    if _LEGAL.match(folded):
        return "legal_reference"
    if _STT.match(folded) and len(stripped) <= 6:
        return "stt"
    unit = _NUMBER_WITH_UNIT.match(stripped)
    if unit and len(unit.group(2).split()) <= _MAX_UNIT_WORDS:
        return "number_with_unit"
    return "text"


def value_cell_kind(text: str, code_words: frozenset[str] = frozenset()) -> CellKind | None:
    """The kind of a cell in a column of figures: a four-digit number there is a count
    (2024 dossiers), not a year."""
    kind = cell_kind(text, code_words)
    return "number" if kind == "year" and text.strip().isdigit() else kind


def is_figure(kind: str | None) -> bool:
    return kind in FIGURE_KINDS
