"""Numbers and dates the way Vietnamese reports write them (pure functions).

The page's script (``dashboard.js``) formats what it draws with the same rules; the
tests compare both with the warehouse's values.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

MONTHS_VI = (
    "tháng 1",
    "tháng 2",
    "tháng 3",
    "tháng 4",
    "tháng 5",
    "tháng 6",
    "tháng 7",
    "tháng 8",
    "tháng 9",
    "tháng 10",
    "tháng 11",
    "tháng 12",
)


def format_number(value: float | None) -> str:
    """'1.855', '92,09', '1.234.567,89' (two decimals at most, trailing zeros dropped);
    '—' for no value. Never rounds a whole number."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    number = float(value)
    if number.is_integer():
        return f"{int(number):,}".replace(",", ".")
    # the float's exact value, a tie rounded away from zero: what JavaScript's toFixed(2)
    # does, so the page's script writes the same text (0,125 → 0,13)
    rounded = Decimal(number).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def format_value(value: float | None, unit_code: str | None = None) -> str:
    """A figure with its unit's sign: '45,44%' for a percent, '1.855' for a count."""
    text = format_number(value)
    return f"{text}%" if unit_code == "percent" and text != "—" else text


def format_date(day: date | datetime | str | None) -> str:
    """dd/mm/yyyy; '' for no date."""
    if day is None or day == "":
        return ""
    if isinstance(day, str):
        day = date.fromisoformat(day[:10])
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def format_date_words(day: date | datetime) -> str:
    """'ngày 2 tháng 12 năm 2026', as the place-and-date line of a document writes it."""
    return f"ngày {day.day} {MONTHS_VI[day.month - 1]} năm {day.year}"
