"""Reader for plain-text and markdown extractions of Word/PDF reports.

Table rows are tab-separated lines; a blank line between two table lines is where
a page broke. Every other non-blank line is a paragraph, and so is each cell of a
letterhead printed in two columns (ingest.layout.unfold_letterheads). Line numbers
are 1-based.

A file that is not Unicode (so its legacy encoding must be detected) and larger than
``Limits.legacy_text_bytes``, a file of more lines than ``Limits.paragraphs``, and one
with a line longer than ``Limits.line_chars`` characters are refused
(``LimitExceededError``) before they are laid out.
"""

from __future__ import annotations

import codecs
from typing import BinaryIO

from ingest.encoding import decode_text
from ingest.layout import unfold_letterheads
from ingest.limits import DEFAULT_LIMITS, Limits, exceeded
from ingest.markup import paragraph_text, parse_cell
from ingest.model import Block, Paragraph, RawRow


def read_text_blocks(fp: BinaryIO, *, limits: Limits = DEFAULT_LIMITS) -> list[Block]:
    data = fp.read()
    if len(data) > limits.legacy_text_bytes and not _is_unicode(data):
        raise exceeded(
            "legacy_text_bytes",
            limits.legacy_text_bytes,
            where="whole file",
            found=f"{len(data):,} bytes that are not UTF-8 or UTF-16 (a legacy encoding?)",
        )
    text = decode_text(data)
    return text_to_blocks(text, limits=limits)


def _is_unicode(data: bytes) -> bool:
    """UTF-16 with a byte-order mark, or valid UTF-8 (checked in pieces, nothing kept)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    decoder = codecs.getincrementaldecoder("utf-8")()
    step = 1 << 20
    try:
        for start in range(0, len(data), step):
            decoder.decode(data[start : start + step])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def check_lines(lines: list[str], limits: Limits) -> None:
    """Raise LimitExceededError for too many lines or a line too long."""
    if len(lines) > limits.paragraphs:
        raise exceeded(
            "paragraphs", limits.paragraphs, where="whole file", found=f"{len(lines):,} lines"
        )
    for line_no, line in enumerate(lines, start=1):
        if len(line) > limits.line_chars:
            raise exceeded(
                "line_chars",
                limits.line_chars,
                where=f"line {line_no}",
                found=f"a line of {len(line):,} characters",
            )


def text_to_blocks(text: str, *, limits: Limits = DEFAULT_LIMITS) -> list[Block]:
    blocks: list[Block] = []
    blank_since_row = False
    lines = text.splitlines()
    check_lines(lines, limits)
    for line_no, line in enumerate(lines, start=1):
        if not line.strip():
            blank_since_row = True
            continue
        if "\t" in line:
            cells = tuple(parse_cell(part) for part in line.split("\t"))
            blocks.append(
                RawRow(
                    cells=cells,
                    source_line=str(line_no),
                    line_no=line_no,
                    after_break=blank_since_row,
                )
            )
        else:
            tidy = paragraph_text(line)
            if tidy:
                blocks.append(
                    Paragraph(
                        text=tidy,
                        source_line=str(line_no),
                        line_no=line_no,
                        is_footnote=line.lstrip().lower().startswith("<sup>"),
                    )
                )
        blank_since_row = False
    return unfold_letterheads(blocks)
