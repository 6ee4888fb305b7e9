"""Whether a cell *looks* like a figure. Layout only: the value itself is parsed in dbt."""

from __future__ import annotations

import re

_NUMBER = re.compile(
    r"^[<>≤≥~]?\s*\d{1,3}(?:[.,\s]\d{3})*(?:[.,]\d+)?\s*%?$|^\d+(?:[.,]\d+)?\s*%?$"
)


def looks_numeric(text: str) -> bool:
    return bool(_NUMBER.match(text.strip())) if text else False
