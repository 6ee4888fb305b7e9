"""Reader for plain-text and markdown extractions of Word/PDF reports.

Table rows are tab-separated lines; a blank line between two table lines is where
a page broke. Every other non-blank line is a paragraph. Line numbers are 1-based.
"""

from __future__ import annotations

from typing import BinaryIO

from ingest.encoding import decode_text
from ingest.markup import paragraph_text, parse_cell
from ingest.model import Block, Paragraph, RawRow


def read_text_blocks(fp: BinaryIO) -> list[Block]:
    text = decode_text(fp.read())
    return text_to_blocks(text)


def text_to_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    blank_since_row = False
    for line_no, line in enumerate(text.splitlines(), start=1):
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
    return blocks
