"""Reader for PDF reports that carry a text layer (a Word file saved or printed as PDF).

Every page is read in order, top to bottom. A table on the page (found from its ruling
lines; a page without ruled tables is tried once more by text alignment, and such a
table is kept only when it has a header row) becomes one ``RawRow`` per physical row,
with cells that a spanning cell covers left empty, exactly as the text extractions
write them. Text outside the tables becomes one ``Paragraph`` per printed line. Every
block's ``source_line`` is ``p. N`` (the 1-based page); ``line_no`` counts blocks
through the whole file. The first row of each table on a page after the first has
``after_break`` set: a page break came right before it.

Bold and italic come from the font name (``…Bold``, ``…Italic`` / ``…Oblique``).
A PDF without any text (a scan) is not read: OCR is not done.
"""

from __future__ import annotations

import io
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.page import Page
from pdfplumber.table import Table as PlumberTable
from pdfplumber.utils import extract_text
from pdfplumber.utils.exceptions import PdfminerException

from ingest.errors import UnreadableFileError
from ingest.layout import HEADER_WORDS, is_header_row
from ingest.markup import fold, tidy
from ingest.model import Block, Paragraph, RawCell, RawRow

LINE_SETTINGS: dict[str, Any] = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
}
TEXT_SETTINGS: dict[str, Any] = {
    "vertical_strategy": "text",
    "horizontal_strategy": "text",
    "min_words_vertical": 3,
    "min_words_horizontal": 2,
}
_BOLD_WORDS = ("bold", "black", "heavy", "semibold", "demibold")
_ITALIC_WORDS = ("italic", "oblique")
_ASK_AGAIN = (
    "ask the agency to send the report again (the Word file .docx, or a PDF saved from "
    "Word), then replace this file"
)

Char = dict[str, Any]


# ---------------------------------------------------------------- fonts


def _font_has(char: Char, words: Iterable[str]) -> bool:
    name = str(char.get("fontname", "")).lower()
    return any(word in name for word in words)


def _flags(chars: Sequence[Char]) -> tuple[bool, bool]:
    """(bold, italic): true when most printed characters are set in such a font."""
    printed = [c for c in chars if c.get("text", "").strip()]
    if not printed:
        return False, False
    bold = sum(_font_has(c, _BOLD_WORDS) for c in printed)
    italic = sum(_font_has(c, _ITALIC_WORDS) for c in printed)
    return 2 * bold > len(printed), 2 * italic > len(printed)


# ---------------------------------------------------------------- tables


def _centre_in(char: Char, bbox: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = bbox
    h = (char["x0"] + char["x1"]) / 2
    v = (char["top"] + char["bottom"]) / 2
    return x0 <= h < x1 and top <= v < bottom


@dataclass(frozen=True)
class _PageTable:
    top: float
    bbox: tuple[float, float, float, float]
    rows: list[tuple[RawCell, ...]]


class _CharIndex:
    """The page's characters sorted by their vertical centre, for quick cell look-ups."""

    def __init__(self, chars: Sequence[Char]) -> None:
        self.chars = sorted(chars, key=lambda c: (c["top"] + c["bottom"]) / 2)
        self.keys = [(c["top"] + c["bottom"]) / 2 for c in self.chars]

    def within(self, bbox: tuple[float, float, float, float]) -> list[Char]:
        lo = bisect_left(self.keys, bbox[1])
        hi = bisect_right(self.keys, bbox[3])
        return [c for c in self.chars[lo:hi] if _centre_in(c, bbox)]


def _cell(chars: list[Char]) -> RawCell:
    if not chars:
        return RawCell("")
    text = tidy(extract_text(chars))
    bold, italic = _flags(chars)
    return RawCell(text=text, is_bold=bold and bool(text), is_italic=italic and bool(text))


def _table_rows(
    table: PlumberTable, index: _CharIndex, widen_to: tuple[float, float] | None = None
) -> list[tuple[RawCell, ...]]:
    """One tuple of cells per row; a cell a spanning cell covers is empty. With
    ``widen_to`` the outer columns reach the page's edges (a borderless table's edges
    are guessed from its words and can cut the longest one)."""
    rows: list[tuple[RawCell, ...]] = []
    left, right = table.bbox[0], table.bbox[2]
    for row in table.rows:
        cells = []
        for bbox in row.cells:
            if bbox is None:
                cells.append(RawCell(""))
                continue
            if widen_to is not None:
                x0 = widen_to[0] if bbox[0] <= left else bbox[0]
                x1 = widen_to[1] if bbox[2] >= right else bbox[2]
                bbox = (x0, bbox[1], x1, bbox[3])
            cells.append(_cell(index.within(bbox)))
        rows.append(tuple(cells))
    return rows


def _raw(cells: tuple[RawCell, ...]) -> RawRow:
    return RawRow(cells=cells, source_line="", line_no=0)


def _text_aligned_tables(page: Page, index: _CharIndex) -> list[_PageTable]:
    """Borderless tables: kept from their header row on, only when they have one."""
    found: list[_PageTable] = []
    edges = (page.bbox[0], page.bbox[2])
    for table in page.find_tables(TEXT_SETTINGS):
        rows = _table_rows(table, index, widen_to=edges)
        start = next((i for i, r in enumerate(rows) if is_header_row(_raw(r))), None)
        if start is None:
            continue
        top = min(b[1] for b in table.rows[start].cells if b is not None)
        bbox = (edges[0], top, edges[1], table.bbox[3])
        kept = [r for r in rows[start:] if any(c.text for c in r)]  # gaps between lines
        found.append(_PageTable(top=top, bbox=bbox, rows=kept))
    return found


def _may_hold_header(chars: Sequence[Char]) -> bool:
    """Cheap test before looking for a borderless table: the page's text has the words
    of at least two header roles (spaces ignored, as some PDFs print none)."""
    text = fold("".join(c.get("text", "") for c in chars)).replace(" ", "")
    roles = {
        role
        for role, words in HEADER_WORDS.items()
        for word in words
        if len(word.strip()) > 3 and word.replace(" ", "") in text
    }
    return len(roles) >= 2


def _page_tables(page: Page, index: _CharIndex) -> list[_PageTable]:
    tables = [
        _PageTable(top=t.bbox[1], bbox=t.bbox, rows=_table_rows(t, index))
        for t in page.find_tables(LINE_SETTINGS)
    ]
    tables = [t for t in tables if any(c.text for row in t.rows for c in row)]
    if not tables and _may_hold_header(index.chars):
        tables = _text_aligned_tables(page, index)
    return sorted(tables, key=lambda t: t.top)


# ---------------------------------------------------------------- text lines


def _is_footnote_line(chars: Sequence[Char]) -> bool:
    """A line opening with a raised, smaller marker (¹ or a small digit): a footnote."""
    printed = [c for c in chars if c.get("text", "").strip()]
    if len(printed) < 2:
        return False
    first, rest = printed[0], printed[1:]
    if first["text"] in "¹²³⁴⁵⁶⁷⁸⁹⁰":
        return True
    body = max(c.get("size", 0) for c in rest)
    return first["text"].isdigit() and first.get("size", 0) < 0.8 * body


def _text_lines(page: Page, tables: Sequence[_PageTable]) -> list[tuple[float, str, bool]]:
    boxes = [t.bbox for t in tables]

    def outside(obj: dict[str, Any]) -> bool:
        return obj.get("object_type") != "char" or not any(_centre_in(obj, b) for b in boxes)

    region = page.filter(outside) if boxes else page
    lines = []
    for line in region.extract_text_lines(return_chars=True):
        text = tidy(line["text"])
        if text:
            lines.append((line["top"], text, _is_footnote_line(line["chars"])))
    return lines


# ---------------------------------------------------------------- the file


def _check_bytes(data: bytes) -> None:
    if not data.strip():
        raise UnreadableFileError(
            where="whole file",
            expected="a PDF report",
            what_to_do="the file is empty (0 bytes of content); " + _ASK_AGAIN,
        )
    if b"%PDF-" not in data[:1024]:
        raise UnreadableFileError(
            where="start of the file",
            expected="a PDF file (it starts with '%PDF-')",
            what_to_do="this file is not a PDF although its name ends in .pdf; give it the "
            "right extension (.docx, .xlsx, .txt) or " + _ASK_AGAIN,
        )
    if b"%%EOF" not in data[-4096:]:
        raise UnreadableFileError(
            where="end of the file",
            expected="a complete PDF file (it ends with '%%EOF')",
            what_to_do=f"the PDF is cut off after {len(data)} bytes (an interrupted download "
            "or copy); " + _ASK_AGAIN,
        )


def _open(data: bytes) -> pdfplumber.PDF:
    try:
        return pdfplumber.open(io.BytesIO(data))
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise _encrypted() from exc
    except PdfminerException as exc:
        if isinstance(exc.args[0] if exc.args else None, PDFPasswordIncorrect | PDFEncryptionError):
            raise _encrypted() from exc
        raise _damaged(exc) from exc


def _encrypted() -> UnreadableFileError:
    return UnreadableFileError(
        where="whole file",
        expected="a PDF that opens without a password",
        what_to_do="the PDF is protected by a password; ask the agency for an unprotected copy "
        "(or the Word file), or open it with the password and save it again without one",
    )


def _damaged(exc: BaseException) -> UnreadableFileError:
    return UnreadableFileError(
        where="whole file",
        expected="a well-formed PDF",
        what_to_do=f"the PDF is damaged and cannot be read ({type(exc).__name__}: {exc}); "
        + _ASK_AGAIN,
    )


def _scanned(pages: int, images: int) -> UnreadableFileError:
    if images:
        what = (
            f"this is a scanned PDF without text ({pages} page(s) of images, no text layer) "
            "and OCR is not done; ask the agency for the Word file (.docx) or a PDF saved "
            "from Word (one whose text can be selected)"
        )
    else:
        what = (
            f"the PDF has {pages} page(s) but no text and no images; ask the agency for the "
            "Word file (.docx) or a PDF saved from Word"
        )
    return UnreadableFileError(
        where="whole document", expected="a PDF with a text layer", what_to_do=what
    )


def read_pdf_blocks(fp: BinaryIO) -> list[Block]:
    """Blocks of a text PDF in reading order. Raises UnreadableFileError for empty,
    non-PDF, truncated, damaged, password-protected and scanned (text-less) files."""
    data = fp.read()
    _check_bytes(data)
    pdf = _open(data)
    with pdf:
        try:
            return _read_pages(pdf)
        except UnreadableFileError:
            raise
        except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
            raise _encrypted() from exc
        except Exception as exc:  # pdfminer raises many kinds on a broken file
            raise _damaged(exc) from exc


def _read_pages(pdf: pdfplumber.PDF) -> list[Block]:
    pages = pdf.pages
    if not pages:
        raise UnreadableFileError(
            where="whole document",
            expected="a PDF with at least one page",
            what_to_do="the PDF has no pages; " + _ASK_AGAIN,
        )
    blocks: list[Block] = []
    text_chars = images = 0
    for page_no, page in enumerate(pages, start=1):
        where = f"p. {page_no}"
        text_chars += len(page.chars)
        images += len(page.images)
        index = _CharIndex(page.chars)
        tables = _page_tables(page, index) if page.chars else []
        items: list[tuple[float, int, Any]] = [(t.top, 1, t) for t in tables]
        items += [(top, 0, (text, note)) for top, text, note in _text_lines(page, tables)]
        items.sort(key=lambda item: (item[0], item[1]))
        first_table = True
        for _, kind, item in items:
            if kind == 0:
                text, note = item
                blocks.append(Paragraph(text, where, len(blocks) + 1, is_footnote=note))
                continue
            for i, cells in enumerate(item.rows):
                blocks.append(
                    RawRow(
                        cells=cells,
                        source_line=where,
                        line_no=len(blocks) + 1,
                        after_break=page_no > 1 and first_table and i == 0,
                    )
                )
            first_table = False
        page.flush_cache()
    if not text_chars:
        raise _scanned(len(pages), images)
    return blocks
