"""Golden test: every narrative fact of every sample report, compared in full with the
facts recorded in tests/golden/narrative/ (tests/golden/README.md, "Narrative facts")."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from ingest.document import read_document
from ingest.model import Document
from ingest.records import narrative_records
from ingest.reference import load_reference

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ROOT / "data" / "reports"
GOLDEN = ROOT / "tests" / "golden" / "narrative"
SAMPLES = sorted(p.stem for p in GOLDEN.glob("*.csv"))


@cache
def document(stem: str) -> Document:
    path = REPORTS / f"{stem}.txt"
    with path.open("rb") as fp:
        return read_document(fp, source_name=path.name, reference=load_reference(ROOT / "seeds"))


def as_text(value: Any) -> str:
    return "" if value is None else str(value)


def test_the_five_samples_are_recorded() -> None:
    assert len(SAMPLES) == 5  # so the parametrised test below cannot pass on no files


@pytest.mark.parametrize("stem", SAMPLES)
def test_narrative_facts_match_golden(stem: str) -> None:
    with (GOLDEN / f"{stem}.csv").open(encoding="utf-8", newline="") as fp:
        reader = csv.DictReader(fp)
        expected = [tuple(row.values()) for row in reader]
        recorded = tuple(reader.fieldnames or ())
    records = narrative_records(document(stem), "doc")
    assert records and set(recorded) <= set(records[0])  # every recorded column is written
    actual = [tuple(as_text(r[c]) for c in recorded) for r in records]
    assert len(actual) == len(expected)
    for got, want in zip(actual, expected, strict=True):
        assert got == want
