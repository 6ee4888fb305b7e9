"""Reader for PDF reports that carry a text layer (a Word file saved or printed as PDF).

Every page is read in order, top to bottom. A table on the page (found from its ruling
lines; a page without ruled tables is tried once more by text alignment, and such a
table is kept only from a header row on) becomes one ``RawRow`` per physical row, with
the cells that a spanning cell covers left empty, as the text extractions write them.
Text outside the tables becomes one ``Paragraph`` per printed line (two blocks of text
standing side by side on a line, as in a letterhead, give one each). Every block's
``source_line`` is ``p. N`` (the 1-based page); ``line_no`` counts blocks through the
whole file. The first row of the first table on every page after the first has
``after_break`` set: a page break came right before it.

Bold and italic come from the font name (``…Bold``, ``…Italic`` / ``…Oblique``).
Footnote markers (digits raised above the text beside them) are left out of the text,
as the text reader leaves out ``<sup>``; a line that opens with one is a footnote.
A page without any text but with images (a scan, or a scanned page in a mixed PDF) is
read by OCR (``ingest.readers.scan``: its blocks are marked ``ocr`` with their
confidence); a PDF with neither text nor images is refused. Empty, non-PDF, cut off,
damaged and password-protected files each raise their own ``UnreadableFileError``.
A PDF of more pages than ``Limits.pdf_pages`` (as its page tree declares, or as it
really holds) is refused with a ``LimitExceededError`` before any page is read, and a
page whose drawing instructions (content streams and the forms it draws, decompressed
with a bound) exceed ``Limits.pdf_page_content_bytes`` before that page is laid out.
"""

from __future__ import annotations

import io
import re
import zlib
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, BinaryIO

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdftypes import PDFStream, resolve1
from pdfplumber.page import Page
from pdfplumber.table import Table as PlumberTable
from pdfplumber.utils import extract_text
from pdfplumber.utils.exceptions import PdfminerException

from ingest.errors import LimitExceededError, MissingToolError, UnreadableFileError
from ingest.layout import HEADER_WORDS, is_header_row, unfold_letterheads
from ingest.limits import DEFAULT_LIMITS, Limits, exceeded
from ingest.markup import fold, tidy
from ingest.model import Block, Paragraph, RawCell, RawRow
from ingest.readers.scan import numbered, read_pdf_scanned_pages

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
_COLUMN_GAP = 3  # a gap wider than 3 font sizes separates two blocks of text on a line
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


_NUMBER_PIECE = re.compile(r"[\d.,]+")


def _join_cell_lines(lines: list[str]) -> str:
    """A cell's printed lines joined with spaces, except a number or item number that
    a narrow column wrapped at a point or comma ("1.3.3" / ".1" is "1.3.3.1")."""
    pieces = [line.strip() for line in lines]
    numeric = len(pieces) > 1 and all(_NUMBER_PIECE.fullmatch(p) for p in pieces)
    if numeric and all(
        a.endswith((".", ",")) or b.startswith((".", ",")) for a, b in pairwise(pieces)
    ):
        return "".join(pieces)
    return " ".join(pieces)


def _cell(chars: list[Char]) -> RawCell:
    if not chars:
        return RawCell("")
    text = tidy(_join_cell_lines(extract_text(chars).split("\n")))
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


def _may_hold_header(page: Page) -> bool:
    """Cheap test before looking for a borderless table: one printed line has the words
    of at least two header roles (STT, Chỉ tiêu, Đơn vị tính, Số liệu, Ghi chú)."""
    for line in page.extract_text_lines(return_chars=False):
        text = f" {fold(line['text'])} "
        roles = {
            role
            for role, words in HEADER_WORDS.items()
            for word in words
            if f" {word.strip()} " in text
        }
        if len(roles) >= 2:
            return True
    return False


def _page_tables(page: Page, index: _CharIndex) -> list[_PageTable]:
    tables = [
        _PageTable(top=t.bbox[1], bbox=t.bbox, rows=_table_rows(t, index))
        for t in page.find_tables(LINE_SETTINGS)
    ]
    tables = [t for t in tables if any(c.text for row in t.rows for c in row)]
    if not tables and _may_hold_header(page):
        tables = _text_aligned_tables(page, index)
    return sorted(tables, key=lambda t: t.top)


# ---------------------------------------------------------------- text lines


_MARKERS = frozenset("0123456789*¹²³⁴⁵⁶⁷⁸⁹⁰")
_SUPERSCRIPT_DIGITS = frozenset("¹²³⁴⁵⁶⁷⁸⁹⁰")


def _is_marker(chars: Sequence[Char], i: int) -> bool:
    """Is ``chars[i]`` a footnote marker: a superscript digit, or a digit or '*' raised
    above the text beside it on the same line and no larger than it? The text beside
    it is found by walking away from it in drawing order, past the other characters of
    the same marker (``12``) and past blanks, while the characters stay adjacent."""
    char = chars[i]
    if char.get("text") in _SUPERSCRIPT_DIGITS:
        return True
    if char.get("text") not in _MARKERS:
        return False
    for step in (-1, 1):
        last, j = char, i + step
        while 0 <= j < len(chars) and abs(j - i) <= 6:
            ref = chars[j]
            j += step
            size = ref.get("size", 0) or (ref["bottom"] - ref["top"])
            gap = max(ref["x0"] - last["x1"], last["x0"] - ref["x1"])
            if gap > 1.5 * size or not (ref["top"] < char["bottom"] <= ref["bottom"] + 0.01):
                break  # not beside it on the same line
            last = ref
            text = ref.get("text", "")
            if not text.strip():
                continue
            if text in _MARKERS and abs(ref["bottom"] - char["bottom"]) < 0.05 * size:
                continue  # another character of the same marker, or of the same number
            raised = char["bottom"] < ref["bottom"] - 0.2 * size
            return raised and char.get("size", 0) <= size + 0.01
    return False


def _markers(chars: Sequence[Char]) -> list[Char]:
    """The page's footnote markers. They are left out of the text, as the text
    extractions leave out ``<sup>`` markers: a marker after a figure would change it
    (1.044² is not 10442)."""
    return [char for i, char in enumerate(chars) if _is_marker(chars, i)]


def _opens_with_marker(chars: Sequence[Char], markers: Sequence[Char]) -> bool:
    """Did a (removed) marker stand right before the first character of this text?"""
    if not chars or not markers:
        return False
    first = chars[0]
    size = first.get("size", 0) or (first["bottom"] - first["top"])
    return any(
        m["bottom"] > first["top"]
        and m["top"] < first["bottom"]
        and -0.5 <= first["x0"] - m["x1"] < 1.5 * size
        for m in markers
    )


def _is_footnote_line(chars: Sequence[Char]) -> bool:
    """A line opening with a smaller digit than the text after it (a marker not raised)."""
    printed = [c for c in chars if c.get("text", "").strip()]
    if len(printed) < 2:
        return False
    first, rest = printed[0], printed[1:]
    body = max(c.get("size", 0) for c in rest)
    return first["text"].isdigit() and first.get("size", 0) < 0.8 * body


def _text_lines(
    page: Page, tables: Sequence[_PageTable], markers: Sequence[Char]
) -> list[tuple[float, str, bool]]:
    """(top, text, is_footnote) of every printed line outside the tables; a line of two
    blocks side by side gives one entry per block."""
    boxes = [t.bbox for t in tables]

    def outside(obj: dict[str, Any]) -> bool:
        return obj.get("object_type") != "char" or not any(_centre_in(obj, b) for b in boxes)

    region = page.filter(outside) if boxes else page
    lines = []
    for line in region.extract_text_lines(return_chars=True):
        parts = _columns(line["chars"])
        texts = [line["text"]] if len(parts) == 1 else [extract_text(p) for p in parts]
        for part, raw in zip(parts, texts, strict=True):
            text = tidy(raw)
            if text:
                note = _opens_with_marker(part, markers) or _is_footnote_line(part)
                lines.append((line["top"], text, note))
    return lines


def _columns(chars: Sequence[Char]) -> list[Sequence[Char]]:
    """A printed line cut where a wide gap separates two blocks of text standing side by
    side (the letterhead's number on the left, place and date on the right)."""
    parts: list[Sequence[Char]] = []
    start = 0
    for i in range(1, len(chars)):
        prev, char = chars[i - 1], chars[i]
        if char["x0"] - prev["x1"] > _COLUMN_GAP * max(prev.get("size", 0), 1):
            parts.append(chars[start:i])
            start = i
    parts.append(chars[start:])
    return parts


_PAGE_NUMBER = re.compile(r"^[-–—\s]*(?:trang\s*)?\d{1,4}(?:\s*/\s*\d{1,4})?[-–—\s]*$", re.I)


def _without_page_number(items: list[tuple[float, int, Any]]) -> list[tuple[float, int, Any]]:
    """The page's items without its printed page number ("2", "- 2 -", "Trang 2/5"): a
    line holding only a number, above or below everything else on the page. The text
    extractions have none either (a blank line stands for the page break), and one
    between two parts of a table would cut the table in two."""
    kept = list(items)
    for end in (0, -1):
        if kept and kept[end][1] == 0 and _PAGE_NUMBER.match(kept[end][2][0]):
            del kept[end]
    return kept


# ---------------------------------------------------------------- the file


def _check_bytes(data: bytes) -> None:
    if not data.strip():
        raise UnreadableFileError(
            where="whole file",
            expected="a PDF report",
            what_to_do=f"the file is empty ({len(data)} bytes, no content); " + _ASK_AGAIN,
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


def _blank(pages: int) -> UnreadableFileError:
    """A PDF with neither text nor images (pages of images are read by OCR)."""
    return UnreadableFileError(
        where="whole document",
        expected="a PDF with a text layer or scanned pages",
        what_to_do=f"the PDF has {pages} page(s) but no text and no images; ask the agency "
        "for the Word file (.docx) or a PDF saved from Word",
    )


def _declared_pages(pdf: pdfplumber.PDF) -> int:
    """The page count the PDF's page tree declares (0 when it declares none)."""
    try:
        count = resolve1(resolve1(pdf.doc.catalog.get("Pages")).get("Count"))
    except Exception:  # a broken page tree: pdfminer names it when the pages are read
        return 0
    return count if isinstance(count, int) else 0


def _check_pages(pages: int, limits: Limits, how: str) -> None:
    if pages > limits.pdf_pages:
        raise exceeded(
            "pdf_pages", limits.pdf_pages, where="whole file", found=f"{pages:,} pages {how}"
        )


def _decoded_size(obj: object, cap: int) -> int:
    """A stream's size once its first filter is undone, never decompressing past ``cap``."""
    stream = resolve1(obj)
    if not isinstance(stream, PDFStream):
        return 0
    raw = stream.rawdata if stream.rawdata is not None else (stream.data or b"")
    filters = stream.get_filters()
    name = getattr(filters[0][0], "name", filters[0][0]) if filters else None
    if name not in ("FlateDecode", "Fl"):
        return len(raw)
    try:
        return len(zlib.decompressobj().decompress(raw, cap + 1))
    except zlib.error:  # enciphered or damaged: pdfminer names it when it reads the page
        return len(raw)


def _check_page_content(page: Page, page_no: int, limits: Limits) -> None:
    cap = limits.pdf_page_content_bytes
    page_obj = page.page_obj
    streams: list[object] = list(page_obj.contents or [])
    resources = resolve1(page_obj.resources) or {}
    xobjects = resolve1(resources.get("XObject")) if isinstance(resources, dict) else None
    if isinstance(xobjects, dict):
        streams += [
            x
            for x in xobjects.values()
            if isinstance(resolve1(x), PDFStream)
            and getattr(resolve1(x).get("Subtype"), "name", None) == "Form"
        ]
    total = 0
    for stream in streams:
        total += _decoded_size(stream, cap - total)
        if total > cap:
            raise exceeded(
                "pdf_page_content_bytes",
                cap,
                where=f"p. {page_no}",
                found=f"more than {cap:,} bytes of drawing instructions on one page",
            )


def read_pdf_blocks(fp: BinaryIO, *, limits: Limits = DEFAULT_LIMITS) -> list[Block]:
    """Blocks of a text PDF in reading order. Raises UnreadableFileError for empty,
    non-PDF, truncated, damaged, password-protected and scanned (text-less) files, and
    LimitExceededError for more pages than ``limits`` allow."""
    data = fp.read()
    _check_bytes(data)
    pdf = _open(data)
    with pdf:
        try:
            _check_pages(_declared_pages(pdf), limits, "declared in its page tree")
            _check_pages(len(pdf.pages), limits, "in its page tree")
            return unfold_letterheads(_read_pages(pdf, limits, data))  # any left in rows
        except (UnreadableFileError, LimitExceededError, MissingToolError):
            raise
        except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
            raise _encrypted() from exc
        except Exception as exc:  # pdfminer raises many kinds on a broken file
            raise _damaged(exc) from exc


def _read_pages(pdf: pdfplumber.PDF, limits: Limits, data: bytes) -> list[Block]:
    pages = pdf.pages
    if not pages:
        raise UnreadableFileError(
            where="whole document",
            expected="a PDF with at least one page",
            what_to_do="the PDF has no pages; " + _ASK_AGAIN,
        )
    blocks: list[Block] = []
    text_chars = 0
    scanned: list[int] = []  # pages of images without text: read by OCR
    for page_no, page in enumerate(pages, start=1):
        _check_page_content(page, page_no, limits)
        where = f"p. {page_no}"
        page_chars = sum(1 for c in page.chars if c.get("text", "").strip())
        text_chars += page_chars
        if not page_chars and page.images:
            scanned.append(page_no)
            blocks.append(Paragraph("", where, 0))  # where its OCR blocks will go
            pages[page_no - 1].flush_cache()
            continue
        markers = _markers(page.chars)
        if markers:
            dropped = {id(m) for m in markers}
            page = page.filter(lambda obj, dropped=dropped: id(obj) not in dropped)
        index = _CharIndex(page.chars)
        tables = _page_tables(page, index) if page.chars else []
        items: list[tuple[float, int, Any]] = [(t.top, 1, t) for t in tables]
        lines = _text_lines(page, tables, markers)
        items += [(top, 0, (text, note)) for top, text, note in lines]
        items.sort(key=lambda item: (item[0], item[1]))
        items = _without_page_number(items)
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
        pages[page_no - 1].flush_cache()
    if not text_chars and not scanned:
        raise _blank(len(pages))
    if not scanned:
        return blocks
    read = read_pdf_scanned_pages(data, scanned, limits)
    spliced: list[Block] = []
    for block in blocks:
        placeholder = isinstance(block, Paragraph) and not block.text
        spliced += read[int(block.source_line[3:])] if placeholder else [block]
    if not spliced:
        raise UnreadableFileError(
            where="whole document",
            expected="a PDF with a text layer, or scanned pages OCR can read",
            what_to_do=f"this is a scanned PDF ({len(scanned)} page(s) of images, no text "
            "layer) and OCR found no text on them; ask the agency for the Word file (.docx), "
            "a PDF saved from Word, or a sharper scan (300 dpi)",
        )
    return numbered(spliced)


def read_pdf_property_texts(fp: BinaryIO, *, limits: Limits = DEFAULT_LIMITS) -> list[str]:
    """The PDF's own title, subject and author (its document information), as texts."""
    data = fp.read()
    _check_bytes(data)
    try:
        with _open(data) as pdf:
            info = pdf.metadata or {}
    except (UnreadableFileError, LimitExceededError):
        raise
    except Exception as exc:  # pdfminer raises many kinds on a broken file
        raise _damaged(exc) from exc
    texts = [info.get(key) for key in ("Title", "Subject", "Author")]
    return [tidy(t) for t in texts if isinstance(t, str) and tidy(t)]
