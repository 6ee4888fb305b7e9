"""Data windows stated in a report ("từ ngày 1/1/2022 đến ngày 10/6/2022")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_DATE = r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})"
_WINDOW = re.compile(
    r"(?:(?:tính\s+)?từ\s+(?:ngày\s+)?)?"
    + _DATE
    + r"\s*(?:-|–|đến(?:\s+hết)?(?:\s+ngày)?)\s*"
    + _DATE,
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Window:
    text: str
    start: str | None
    end: str | None


def _iso(day: str, month: str, year: str) -> str | None:
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def find_window(text: str) -> Window | None:
    """The first date range stated in ``text``, as written and as ISO dates."""
    match = _WINDOW.search(text)
    if not match:
        return None
    d1, m1, y1, d2, m2, y2 = match.groups()
    return Window(text=match.group(0).strip(), start=_iso(d1, m1, y1), end=_iso(d2, m2, y2))


def window_end_at(text: str, start: int, end: int) -> int | None:
    """Where a date range written at ``text[start]`` ends (not past ``end``), or None."""
    match = _WINDOW.match(text, start, end)
    return match.end() if match else None
