"""Golden tests: every row of every sample table, compared in full with an expected
table written by reading the documents (tests/golden/README.md)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ingest.layout import extract_tables
from ingest.readers.text import read_text_blocks

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"
COLUMNS = (
    "table_no",
    "source_line",
    "stt",
    "indicator_text",
    "unit_text",
    "value_column",
    "value_text",
    "note_text",
)


def parsed_rows(report: Path) -> list[tuple[str, ...]]:
    with report.open("rb") as fp:
        tables, _, _ = extract_tables(read_text_blocks(fp))
    rows = []
    for table in tables:
        for row in table.rows:
            cells = row.values or ()
            if table.table_kind == "list" or not cells:
                rows.append(
                    (
                        str(table.table_no),
                        row.source_line,
                        row.stt,
                        row.indicator_text,
                        row.unit_text,
                        "",
                        "",
                        row.note_text,
                    )
                )
            for cell in cells:
                rows.append(
                    (
                        str(table.table_no),
                        row.source_line,
                        row.stt,
                        row.indicator_text,
                        row.unit_text,
                        cell.column,
                        cell.text,
                        row.note_text,
                    )
                )
    return rows


def golden_rows(path: Path) -> list[tuple[str, ...]]:
    with path.open(encoding="utf-8", newline="") as fp:
        return [tuple(r[c] for c in COLUMNS) for r in csv.DictReader(fp)]


@pytest.mark.parametrize("golden", sorted(GOLDEN.glob("*.csv")), ids=lambda p: p.stem)
def test_every_table_row_matches_the_golden_table(golden: Path) -> None:
    expected = golden_rows(golden)
    actual = parsed_rows(ROOT / "data" / "reports" / f"{golden.stem}.txt")
    missing = [r for r in expected if r not in actual]
    unexpected = [r for r in actual if r not in expected]
    assert not missing and not unexpected, (
        f"missing {len(missing)}: {missing[:5]}\nunexpected {len(unexpected)}: {unexpected[:5]}"
    )
    assert actual == expected
