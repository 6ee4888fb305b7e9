"""Control characters in a report: raw keeps them as written and flags the row.

Staging's removal is pinned by the dbt unit test test_staging_removes_control_characters
(models/staging/raw/_raw__models.yml, run by every build) and end to end, with a
PostgreSQL publish, in tests/python/test_publish.py."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from ingest.document import read_document
from ingest.records import (
    CONTROL_CHARS_CLASS,
    appendix_records,
    document_record,
    has_control_chars,
    narrative_records,
)
from ingest.reference import load_reference

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "reports" / "001_bbdb728f27fe408d.txt"
INDICATOR = "Số nhiệm vụ đề ra trong kế hoạch"
PLANTED_INDICATOR = "Số nhiệm\x00 vụ đề\x07 ra trong kế hoạch"


def planted_report() -> bytes:
    """Sample 001 with a NUL and a BEL in one indicator row."""
    text = SAMPLE.read_text(encoding="utf-8")
    assert text.count(f"\t{INDICATOR}\t") == 1
    return text.replace(f"\t{INDICATOR}\t", f"\t{PLANTED_INDICATOR}\t").encode("utf-8")


def test_the_macro_removes_the_class_ingest_flags() -> None:
    macro = (ROOT / "macros" / "strip_control_chars.sql").read_text(encoding="utf-8")
    assert f"'{CONTROL_CHARS_CLASS}'" in macro


@pytest.mark.parametrize("char", [chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F)])
def test_every_control_character_but_tab_and_line_feed_is_flagged(char: str) -> None:
    assert has_control_chars([f"a{char}b"])


@pytest.mark.parametrize("text", ["a\tb", "a\nb", "Số liệu – “đúng”", "\u00a0", ""])
def test_tab_line_feed_and_ordinary_text_are_not_flagged(text: str) -> None:
    assert not has_control_chars([text, None, 5])


def test_raw_records_keep_the_text_and_flag_its_row() -> None:
    reference = load_reference(ROOT / "seeds")
    doc = read_document(io.BytesIO(planted_report()), source_name=SAMPLE.name, reference=reference)
    rows = appendix_records(doc, "d")
    flagged = [r for r in rows if r["has_control_chars"]]
    assert [r["indicator_text"] for r in flagged] == [PLANTED_INDICATOR]
    assert len(rows) > 10 and all(r["has_control_chars"] is False for r in rows if r not in flagged)
    assert document_record(doc)["has_control_chars"] is False
    facts = narrative_records(doc, "d")
    assert facts and not any(f["has_control_chars"] for f in facts)


def test_a_stated_figure_with_a_control_character_is_flagged() -> None:
    reference = load_reference(ROOT / "seeds")
    with SAMPLE.open("rb") as fp:
        clean = narrative_records(
            read_document(fp, source_name=SAMPLE.name, reference=reference), "d"
        )
    sentence = clean[0]["sentence"]
    text = SAMPLE.read_text(encoding="utf-8")
    word = sentence.split()[0]
    position = text.index(sentence[:40])
    planted = text[:position] + word + "\x07" + text[position + len(word) :]
    doc = read_document(
        io.BytesIO(planted.encode("utf-8")), source_name=SAMPLE.name, reference=reference
    )
    facts = narrative_records(doc, "d")
    assert any(f["has_control_chars"] and "\x07" in f["sentence"] for f in facts)
