"""Scans: image-only PDF pages, TIFF (every frame), JPEG and PNG, read by tesseract OCR
into the same blocks as every other reader (``Paragraph`` lines and ``RawRow`` table
rows), so layout, metadata and matching are shared.

Each page is prepared before it is read:

* **grey, without the seal**: a colour page is read from its red channel, in which red
  ink (the seal over the signature, red headings) is as light as the paper while black
  and blue text stays dark; a grey page is read as it is. PDF pages are rendered at
  ``DPI`` by pdfium (which applies the page's ``/Rotate``).
* **upright**: tesseract's orientation detection (``--psm 0``) turns a page lying on its
  side or upside down (a landscape appendix scanned sideways, a phone photo);
* **straight**: the skew is the angle whose rows of dark pixels are the sharpest
  (a projection profile over ±``MAX_SKEW`` degrees), and the page is turned back by it.

Then tesseract reads it in page segmentation mode 4 (one column of lines of variable
sizes, which keeps a table row on one OCR line), giving words with their boxes and
confidences (``tsv``). Tables come from the page itself:

* **ruled tables**: the long horizontal and vertical lines of the page form a grid;
  each band between two horizontal rulings that vertical rulings cross is one
  ``RawRow``, each column between two crossing rulings one cell (a column whose left
  ruling does not cross the band is covered by the cell before it and left empty, as
  the PDF reader leaves spanned cells);
* **tables without rulings**: from a header line (the words of at least two header
  roles, ``ingest.layout.HEADER_WORDS``) down to the first wide vertical gap, columns
  are the runs of x that the words of the rows below the header cover (the white
  "rivers" between them are the column gaps); every OCR line is one ``RawRow``.

Every other OCR line becomes a ``Paragraph`` (a line of two blocks standing apart, as a
letterhead, gives one each). A cell's ``ocr_confidence`` is its least sure word's; a
paragraph keeps each word's (``word_confidences``), and ``attach_ocr_confidence``
gives a sentence's figure the confidence of the word that holds it. ``source_line`` is
``p. N`` (the page, or the image's frame).

Bounds: at most ``Limits.scan_pages`` pages and ``Limits.scan_page_pixels`` pixels a
page (checked before a page is rendered or decoded); tesseract stops after
``Limits.ocr_page_seconds`` a page. Pages are read in a pool of one tesseract process
per core (each single-threaded). Without tesseract the file is refused with the Debian
packages to install (``MissingToolError``).
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import tempfile
import warnings
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from ingest.errors import LimitExceededError, UnreadableFileError
from ingest.layout import HEADER_WORDS
from ingest.limits import DEFAULT_LIMITS, Limits, exceeded
from ingest.markup import fold, tidy
from ingest.model import Block, NarrativeFact, Paragraph, RawCell, RawRow
from ingest.readers.tools import require

IMAGE_FORMATS = ("tif", "tiff", "jpg", "jpeg", "png")
DPI = 300
PSM = 4  # one column of text lines of variable sizes: keeps a table row on one line
LANGUAGE = "vie"
MAX_SKEW = 5.0  # degrees
REREAD_BELOW = 90  # a short or numeric table cell read less surely is read again alone
_DARK = 160  # a grey level under this is ink
_SPECK_CONFIDENCE = 60  # a word of signs only, read less surely than this, is a speck
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
_ASK_AGAIN = "ask the agency for the Word file (.docx) or a sharper scan (300 dpi, grey)"


# ---------------------------------------------------------------- words


@dataclass(frozen=True)
class Word:
    text: str
    confidence: float
    left: int
    top: int
    right: int
    bottom: int
    line_key: tuple[int, int, int]  # tesseract's (block, paragraph, line)

    @property
    def x(self) -> float:
        return (self.left + self.right) / 2

    @property
    def y(self) -> float:
        return (self.top + self.bottom) / 2


def parse_tsv(tsv: str) -> list[Word]:
    """The words of tesseract's ``tsv`` output (level 5 rows with text)."""
    words = []
    for line in tsv.splitlines()[1:]:
        parts = line.split("\t")
        if len(parts) < 12 or parts[0] != "5" or not parts[11].strip():
            continue
        left, top, width, height = (int(p) for p in parts[6:10])
        text = tidy(parts[11].strip("|¦"))
        confidence = max(0.0, float(parts[10]))
        if not text or (confidence < _SPECK_CONFIDENCE and not _LETTER_OR_DIGIT.search(text)):
            continue  # a ruling read as a bar, a speck read as a dash
        words.append(
            Word(
                text=text,
                confidence=confidence,
                left=left,
                top=top,
                right=left + width,
                bottom=top + height,
                line_key=(int(parts[2]), int(parts[3]), int(parts[4])),
            )
        )
    return words


def _run_tesseract(image: Image.Image, args: list[str], limits: Limits) -> str:
    tesseract = require("tesseract", needed_for="a scanned page")
    with tempfile.TemporaryDirectory(prefix="cchc-ocr-") as tmp:
        path = Path(tmp) / "page.png"
        image.save(path, compress_level=1)
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # one core each: the pool uses both
        try:
            done = subprocess.run(
                [tesseract, str(path), "stdout", *args],
                capture_output=True,
                timeout=limits.ocr_page_seconds,
                check=False,
                env=env,
            )
        except subprocess.TimeoutExpired as exc:
            raise exceeded(
                "ocr_page_seconds",
                limits.ocr_page_seconds,
                where="whole file",
                found=f"a page tesseract had not read after {limits.ocr_page_seconds} s",
            ) from exc
    said = done.stderr.decode("utf-8", "replace")
    if done.returncode != 0 and ("Too few characters" in said or "Empty page" in said):
        return ""  # a page without text (its orientation cannot be told either)
    if done.returncode != 0 and args[:2] == ["--psm", "0"]:
        return ""  # orientation not detectable: read as it is
    if done.returncode != 0:
        raise UnreadableFileError(
            where="whole file",
            expected="a page image tesseract can read",
            what_to_do=f"tesseract failed (exit {done.returncode}: {said.strip()[:300]}); "
            + _ASK_AGAIN,
        )
    return done.stdout.decode("utf-8", "replace")


def orientation(image: Image.Image, limits: Limits) -> int:
    """Degrees (0, 90, 180, 270) to turn the page clockwise to make it upright, from
    tesseract's orientation detection on a half-size copy; 0 when it cannot tell."""
    small = image.resize((max(1, image.width // 2), max(1, image.height // 2)))
    out = _run_tesseract(small, ["--psm", "0", "-l", "osd"], limits)
    rotate = re.search(r"Rotate:\s*(\d+)", out)
    confident = re.search(r"Orientation confidence:\s*([\d.]+)", out)
    if not rotate or not confident or float(confident.group(1)) < 1.0:
        return 0
    return int(rotate.group(1)) % 360


# ---------------------------------------------------------------- page images


def to_grey(image: Image.Image) -> Image.Image:
    """A page in grey for OCR. A colour page is read from its red channel, in which red
    ink (seals) is light, and what is still reddish there (a seal's ink darkened by JPEG
    or blur) is painted white."""
    if image.mode not in ("RGB", "RGBA", "P", "CMYK", "YCbCr"):
        return image.convert("L")
    rgb = np.asarray(image.convert("RGB"), dtype=np.int16)
    red, green, blue = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    grey = red.copy()
    reddish = (red > 110) & (red - green > 50) & (red - blue > 40)
    grey[reddish] = 255
    return Image.fromarray(grey.astype(np.uint8))


def skew_angle(image: Image.Image) -> float:
    """Degrees (counter-clockwise) by which the text lines of ``image`` are tilted."""
    small = image.copy()
    small.thumbnail((900, 900))
    ink = ImageOps.invert(small.point(lambda v: 255 if v >= _DARK else 0))

    def sharpness(angle: float) -> float:
        turned = np.asarray(ink.rotate(angle, resample=Image.Resampling.NEAREST), dtype=float)
        rows = turned.sum(axis=1)
        return float(np.square(np.diff(rows)).sum())

    best = max(np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 0.5), key=sharpness)
    fine = np.arange(best - 0.5, best + 0.51, 0.1)
    return float(max(fine, key=sharpness))


def prepare(image: Image.Image, limits: Limits) -> Image.Image:
    """Grey, upright and straight (see the module's description)."""
    grey = to_grey(image)
    turn = orientation(grey, limits)
    if turn:
        grey = grey.rotate(-turn, expand=True)
    angle = skew_angle(grey)
    if abs(angle) >= 0.1:
        grey = grey.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    return grey


# ---------------------------------------------------------------- ruled tables


@dataclass(frozen=True)
class Rulings:
    """The page's long lines: y of each horizontal one with its x-extent, x of each
    vertical one with its y-extent, and the mask of their pixels (to erase them
    before OCR, which would read a ruling as ``|``)."""

    horizontal: tuple[tuple[int, int, int], ...]  # (y, x0, x1)
    vertical: tuple[tuple[int, int, int], ...]  # (x, y0, y1)
    mask: np.ndarray | None = None

    def vertical_at(self, y: float) -> list[int]:
        return sorted(x for x, y0, y1 in self.vertical if y0 - 3 <= y <= y1 + 3)


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of every run of True in a 1-D array."""
    padded = np.concatenate(([False], flags, [False]))
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def find_rulings(image: Image.Image) -> Rulings:
    """Horizontal and vertical lines at least ``4 %`` of the page long, found on a copy
    of half the size (a ruling stays a line at 150 dpi; four times less to look at)."""
    small = image.reduce(2)
    found = _find_rulings(np.asarray(small) < _DARK)
    assert found.mask is not None
    mask = np.repeat(np.repeat(found.mask, 2, axis=0), 2, axis=1)
    full = np.zeros((image.height, image.width), dtype=bool)
    full[: mask.shape[0], : mask.shape[1]] = mask[: image.height, : image.width]

    def double(lines: tuple[tuple[int, int, int], ...]) -> tuple[tuple[int, int, int], ...]:
        return tuple((2 * a, 2 * b, 2 * c) for a, b, c in lines)

    return Rulings(double(found.horizontal), double(found.vertical), full)


def _find_rulings(ink: np.ndarray) -> Rulings:
    height, width = ink.shape
    found: list[tuple[tuple[int, int, int], ...]] = []
    mask = np.zeros_like(ink)
    for axis, (axis_ink, length) in enumerate(((ink, width), (ink.T, height))):
        span = max(20, length // 25)
        # a line 0.2° off level drifts a few pixels: look through a band of 3 rows
        band = axis_ink.copy()
        for shift in (1,):
            band[shift:] |= axis_ink[:-shift]
            band[:-shift] |= axis_ink[shift:]
        sums = np.cumsum(band, axis=1, dtype=np.int32)
        window = sums[:, span:] - sums[:, :-span]
        full = window >= span  # a run of ``span`` inked pixels starts here
        # window j covers pixels j+1 … j+span: pixel p is on a line when a full window
        # j in [p-span, p-1] covers it (counted with a cumulative sum, padded both ends)
        starts = np.cumsum(full, axis=1, dtype=np.int32)
        rows_n = starts.shape[0]
        padded = np.concatenate(
            (
                np.zeros((rows_n, span + 1), np.int32),
                starts,
                np.repeat(starts[:, -1:], span, axis=1),
            ),
            axis=1,
        )
        columns = np.arange(band.shape[1])
        on_line = (padded[:, columns + span] - padded[:, columns]) > 0
        on_line &= axis_ink
        mask |= on_line if axis == 0 else on_line.T
        line_rows = np.flatnonzero(full.sum(axis=1) >= 1)
        lines = []
        for start, end in _runs(np.isin(np.arange(band.shape[0]), line_rows)):
            rows = full[start:end].any(axis=0)
            cols = np.flatnonzero(rows)
            lines.append(((start + end) // 2, int(cols.min()), int(cols.max()) + span))
        found.append(tuple(lines))
    horizontal, vertical = _table_lines(found[0], found[1])
    return Rulings(horizontal=horizontal, vertical=vertical, mask=mask)


def _crosses(a: tuple[int, int, int], b: tuple[int, int, int], slack: int = 8) -> bool:
    """Does line ``a`` (at position a[0], from a[1] to a[2]) cross line ``b`` running
    the other way?"""
    return b[1] - slack <= a[0] <= b[2] + slack and a[1] - slack <= b[0] <= a[2] + slack


def _table_lines(
    horizontal: tuple[tuple[int, int, int], ...], vertical: tuple[tuple[int, int, int], ...]
) -> tuple[tuple[tuple[int, int, int], ...], tuple[tuple[int, int, int], ...]]:
    """Only the lines of a grid: each crossing at least two of the other direction (an
    underline, a seal's ring or a signature's stroke crosses none or one)."""
    for _ in range(3):
        vertical = tuple(v for v in vertical if sum(_crosses(v, h) for h in horizontal) >= 2)
        horizontal = tuple(h for h in horizontal if sum(_crosses(h, v) for v in vertical) >= 2)
    return horizontal, vertical


def without_rulings(image: Image.Image, rulings: Rulings) -> Image.Image:
    """The page with its rulings' pixels (and a pixel round them) painted white."""
    if rulings.mask is None or not rulings.mask.any():
        return image
    grown = rulings.mask.copy()
    grown[1:] |= rulings.mask[:-1]
    grown[:-1] |= rulings.mask[1:]
    grown[:, 1:] |= rulings.mask[:, :-1]
    grown[:, :-1] |= rulings.mask[:, 1:]
    pixels = np.asarray(image).copy()
    pixels[grown] = 255
    return Image.fromarray(pixels)


def _grid_rows(rulings: Rulings) -> list[tuple[int, int, list[int]]]:
    """(top, bottom, vertical rulings crossing it) of every band between two horizontal
    rulings that at least two vertical rulings cross: one table row each."""
    ys = sorted({y for y, _, _ in rulings.horizontal})
    rows = []
    for top, bottom in pairwise(ys):
        if bottom - top < 12:
            continue
        crossing = rulings.vertical_at((top + bottom) / 2)
        if len(crossing) >= 2:
            rows.append((top, bottom, crossing))
    return rows


def _merge_close(xs: Iterable[int], gap: int) -> list[int]:
    merged: list[int] = []
    for x in sorted(xs):
        if merged and x - merged[-1] <= gap:
            continue
        merged.append(x)
    return merged


def _cell_of(words: Sequence[Word]) -> RawCell:
    if not words:
        return RawCell("", read_method="ocr")
    ordered = sorted(words, key=lambda w: (w.line_key, w.left))
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for word in ordered:
        lines.setdefault(word.line_key, []).append(word)
    text = " ".join(" ".join(w.text for w in line) for line in lines.values())
    return RawCell(tidy(text), read_method="ocr", ocr_confidence=min(w.confidence for w in words))


Box = tuple[int, int, int, int]  # left, top, right, bottom
TableRows = list[tuple[float, tuple[RawCell, ...], tuple[Box, ...]]]


def ruled_table_rows(words: Sequence[Word], rulings: Rulings) -> tuple[TableRows, set[int]]:
    """The rows of the page's ruled tables as (top, cells, cell boxes), and the ids of
    the words they hold (the rest is running text)."""
    bands = _grid_rows(rulings)
    if not bands:
        return [], set()
    columns = _merge_close((x for _, _, xs in bands for x in xs), gap=12)
    used: set[int] = set()
    rows = []
    for top, bottom, crossing in bands:
        inside = [w for w in words if top <= w.y < bottom]
        cells: list[list[Word]] = [[] for _ in columns[:-1]]
        owner = list(range(len(cells)))
        for i, left in enumerate(columns[:-1]):
            opens = any(abs(left - x) <= 12 for x in crossing)
            if i and not opens:
                owner[i] = owner[i - 1]  # spanned: the cell before covers it
        for word in inside:
            if not columns[0] <= word.x < columns[-1]:
                continue
            i = max(j for j, x in enumerate(columns[:-1]) if x <= word.x)
            cells[owner[i]].append(word)
            used.add(id(word))
        boxes = []
        for i in range(len(cells)):
            right = next((k for k in range(i + 1, len(cells)) if owner[k] == k), len(cells))
            boxes.append((columns[i], top, columns[right], bottom))
        rows.append((float(top), tuple(_cell_of(c) for c in cells), tuple(boxes)))
    return rows, used


# ---------------------------------------------------------------- borderless tables


def _header_roles(text: str) -> set[str]:
    folded = f" {fold(text)} "
    return {
        role
        for role, words in HEADER_WORDS.items()
        for word in words
        if f" {word.strip()} " in folded
    }


def _lines(words: Sequence[Word]) -> list[list[Word]]:
    """OCR lines, top to bottom, each left to right."""
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        lines.setdefault(word.line_key, []).append(word)
    ordered = [sorted(line, key=lambda w: w.left) for line in lines.values()]
    return sorted(ordered, key=lambda line: min(w.top for w in line))


def aligned_table_rows(words: Sequence[Word]) -> tuple[TableRows, set[int]]:
    """A table without rulings: from its header line to the first wide gap between
    lines, with columns where the rows' words leave white rivers (module description)."""
    lines = _lines(words)
    start = next(
        (
            i
            for i, line in enumerate(lines)
            if len(_header_roles(" ".join(w.text for w in line))) >= 2
        ),
        None,
    )
    if start is None:
        return [], set()
    heights = sorted(w.bottom - w.top for w in words)
    line_height = heights[len(heights) // 2] if heights else 30
    end = start + 1
    while end < len(lines):
        gap = min(w.top for w in lines[end]) - max(w.bottom for w in lines[end - 1])
        if gap > 2.5 * line_height:
            break
        end += 1
    body = lines[start + 1 : end]
    if not body:
        return [], set()
    left = min(w.left for line in lines[start:end] for w in line)
    right = max(w.right for line in lines[start:end] for w in line)
    covered = np.zeros(right - left + 1, dtype=np.int32)
    for line in body:
        for w in line:
            covered[w.left - left : w.right - left + 1] += 1
    gaps = [
        (a + left, b + left)
        for a, b in _runs(covered <= len(body) // 10)  # a speck in a row or two
        if b - a >= line_height // 2  # a gap of half a line height in every row
    ]
    bounds = [left, *((a + b) // 2 for a, b in gaps), right + 1]
    rows = []
    used: set[int] = set()
    for line in lines[start:end]:
        cells: list[list[Word]] = [[] for _ in bounds[:-1]]
        for w in line:
            i = max(j for j, x in enumerate(bounds[:-1]) if x <= w.x)
            cells[i].append(w)
            used.add(id(w))
        top = min(w.top for w in line)
        bottom = max(w.bottom for w in line)
        pad = line_height // 4
        # a cell's box is its words' (a header's words may reach past the column's river)
        boxes = tuple(
            (
                min((w.left for w in c), default=bounds[i]) - pad,
                top - pad,
                max((w.right for w in c), default=bounds[i + 1]) + pad,
                bottom + pad,
            )
            for i, c in enumerate(cells)
        )
        rows.append((float(top), tuple(_cell_of(c) for c in cells), boxes))
    return rows, used


# ---------------------------------------------------------------- the page


def _text_parts(line: Sequence[Word]) -> list[list[Word]]:
    """A line cut where a gap of three line heights separates two blocks of text."""
    height = max(w.bottom - w.top for w in line)
    parts: list[list[Word]] = [[line[0]]]
    for prev, word in pairwise(line):
        if word.left - prev.right > 3 * height:
            parts.append([])
        parts[-1].append(word)
    return parts


Reread = Callable[[RawCell, Box], RawCell]


def page_blocks(
    words: Sequence[Word], rulings: Rulings, page_no: int, reread: Reread | None = None
) -> list[Block]:
    """The blocks of one OCR'd page in reading order (line_no to be numbered by the
    caller); the first table row of a page after the first has ``after_break``. With
    ``reread`` every table cell is given to it with its box, for a second reading."""
    rows, used = ruled_table_rows(words, rulings)
    if not rows:
        rows, used = aligned_table_rows(words)
    where = f"p. {page_no}"
    items: list[tuple[float, int, Block]] = []
    for top, cells, boxes in rows:
        if reread is not None:
            cells = tuple(reread(c, b) for c, b in zip(cells, boxes, strict=True))
        items.append((top, 1, RawRow(cells=cells, source_line=where, line_no=0)))
    for line in _lines([w for w in words if id(w) not in used]):
        for part in _text_parts(line):
            text = " ".join(w.text for w in part)
            if text.strip():
                confidences = tuple(w.confidence for w in part for _ in w.text.split())
                items.append(
                    (
                        float(min(w.top for w in part)),
                        0,
                        Paragraph(text, where, 0, word_confidences=confidences),
                    )
                )
    items.sort(key=lambda item: (item[0], item[1]))
    blocks: list[Block] = []
    first_row = True
    for _, kind, block in items:
        if kind == 1 and isinstance(block, RawRow):
            block = replace(block, after_break=page_no > 1 and first_row)
            first_row = False
        blocks.append(block)
    return blocks


def read_page(image: Image.Image, page_no: int, limits: Limits) -> list[Block]:
    """One page image → its blocks (prepared, OCR'd, laid out)."""
    page = prepare(image, limits)
    rulings = find_rulings(page)
    clean = without_rulings(page, rulings)
    tsv = _run_tesseract(clean, ["--psm", str(PSM), "-l", LANGUAGE, "tsv"], limits)
    return page_blocks(parse_tsv(tsv), rulings, page_no, reread=_cell_rereader(clean, limits))


def _unsure(cell: RawCell) -> bool:
    """A short or numeric cell read with less than ``REREAD_BELOW`` confidence."""
    if not cell.text or cell.ocr_confidence is None or cell.ocr_confidence >= REREAD_BELOW:
        return False
    return len(cell.text) <= 8 or any(ch.isdigit() for ch in cell.text)


def _cell_rereader(page: Image.Image, limits: Limits) -> Reread:
    """A second reading of an unsure cell (``_unsure``) alone, cut out of the page and
    read as one line (``--psm 7``); it replaces the first only when tesseract is surer
    of it. Short numbers in narrow centred columns, misread on the page as a whole
    (``25`` → ``VA=``), are read right this way."""

    def reread(cell: RawCell, box: Box) -> RawCell:
        if not _unsure(cell):
            return cell
        left, top, right, bottom = box
        crop = page.crop((left + 4, top + 4, right - 4, bottom - 4))
        framed = ImageOps.expand(crop, border=20, fill=255)
        tsv = _run_tesseract(framed, ["--psm", "7", "-l", LANGUAGE, "tsv"], limits)
        second = _cell_of(parse_tsv(tsv))
        if second.text and (second.ocr_confidence or 0) > (cell.ocr_confidence or 0):
            return second
        return cell

    return reread


def read_pages(
    pages: Sequence[tuple[int, Callable[[], Image.Image]]], limits: Limits
) -> dict[int, list[Block]]:
    """Blocks of each (page_no, load the page's image), read in a pool of one worker per
    core. The images are loaded one by one in this thread (pdfium is not thread-safe),
    and no more than two a worker wait in memory (a 300 dpi A4 page is 26 MB in RGB)."""
    require("tesseract", needed_for="a scanned page")
    workers = max(1, min(len(pages), os.cpu_count() or 1))
    results: dict[int, list[Block]] = {}
    pending: list[tuple[int, Future[list[Block]]]] = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for page_no, load in pages:
            if len(pending) >= 2 * workers:
                done_no, done = pending.pop(0)
                results[done_no] = done.result()
            pending.append((page_no, pool.submit(read_page, load(), page_no, limits)))
        for page_no, future in pending:
            results[page_no] = future.result()
    return results


def numbered(blocks: Iterable[Block]) -> list[Block]:
    """The blocks with ``line_no`` counting them through the file."""
    return [replace(b, line_no=i) for i, b in enumerate(blocks, start=1)]


def check_scan_pages(pages: int, limits: Limits) -> None:
    if pages > limits.scan_pages:
        raise exceeded(
            "scan_pages",
            limits.scan_pages,
            where="whole file",
            found=f"{pages:,} pages to read by OCR",
        )


def check_page_pixels(width: int, height: int, page_no: int, limits: Limits) -> None:
    if width * height > limits.scan_page_pixels:
        raise exceeded(
            "scan_page_pixels",
            limits.scan_page_pixels,
            where=f"p. {page_no}",
            found=f"a page of {width} × {height} pixels",
        )


# ---------------------------------------------------------------- image files


def read_image_blocks(fp: BinaryIO, *, limits: Limits = DEFAULT_LIMITS) -> list[Block]:
    """Blocks of a TIFF (every frame a page), JPEG or PNG read by OCR."""
    data = fp.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            frames = getattr(image, "n_frames", 1)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombWarning) as exc:
        raise UnreadableFileError(
            where="whole file",
            expected="an image (TIFF, JPEG or PNG)",
            what_to_do=f"the file cannot be opened as an image ({exc}); {_ASK_AGAIN}",
        ) from exc
    check_scan_pages(frames, limits)
    pages: list[tuple[int, Callable[[], Image.Image]]] = []
    for page_no, frame in enumerate(ImageSequence.Iterator(image), start=1):
        check_page_pixels(frame.width, frame.height, page_no, limits)
        try:
            copy = ImageOps.exif_transpose(frame.copy())  # a phone photo's own rotation
        except (OSError, ValueError) as exc:
            raise UnreadableFileError(
                where=f"p. {page_no}",
                expected="a complete image",
                what_to_do=f"the image is damaged or cut off ({exc}); {_ASK_AGAIN}",
            ) from exc
        pages.append((page_no, lambda copy=copy: copy))
    read = read_pages(pages, limits)
    blocks = numbered(b for page_no in sorted(read) for b in read[page_no])
    if not any(isinstance(b, (Paragraph, RawRow)) for b in blocks):
        raise UnreadableFileError(
            where="whole file",
            expected="a page with text",
            what_to_do=f"OCR found no text in the image ({frames} page(s)); {_ASK_AGAIN}",
        )
    return blocks


# ---------------------------------------------------------------- scanned PDF pages


def render_pdf_page(data: bytes, page_no: int, limits: Limits) -> Image.Image:
    """One page of a PDF rendered at ``DPI`` (its /Rotate applied), after checking that
    its picture stays within ``limits.scan_page_pixels``."""
    import pypdfium2 as pdfium  # only for scanned pages

    pdf = pdfium.PdfDocument(data)
    try:
        page = pdf[page_no - 1]
        width, height = page.get_size()
        scale = DPI / 72
        check_page_pixels(round(width * scale), round(height * scale), page_no, limits)
        bitmap = page.render(scale=scale)
        return bitmap.to_pil().copy()
    finally:
        pdf.close()


def read_pdf_scanned_pages(
    data: bytes, page_numbers: Sequence[int], limits: Limits
) -> dict[int, list[Block]]:
    """The blocks of the given (text-less) pages of a PDF, read by OCR."""
    check_scan_pages(len(page_numbers), limits)
    pages: list[tuple[int, Callable[[], Image.Image]]] = [
        (n, lambda n=n: render_pdf_page(data, n, limits)) for n in page_numbers
    ]
    try:
        return read_pages(pages, limits)
    except (LimitExceededError, UnreadableFileError):
        raise


# ---------------------------------------------------------------- sentences


_PAGE = re.compile(r"p\. (\d+)")


def _figure_in(figure: str, word: str) -> bool:
    return re.search(rf"(?<!\d){re.escape(figure)}(?!\d)", word) is not None


def attach_ocr_confidence(
    facts: Sequence[NarrativeFact], blocks: Sequence[Block]
) -> list[NarrativeFact]:
    """Facts stated on an OCR'd page marked ``ocr``, with the confidence of the least
    sure word on their pages that holds the figure (None when no word holds it)."""
    words: dict[str, list[tuple[str, float | None]]] = {}
    for block in blocks:
        if isinstance(block, Paragraph) and block.word_confidences is not None:
            page = words.setdefault(block.source_line, [])
            page += list(zip(block.text.split(), block.word_confidences, strict=False))
        elif isinstance(block, RawRow):
            for cell in block.cells:
                if cell.read_method == "ocr":
                    page = words.setdefault(block.source_line, [])
                    page += [(w, cell.ocr_confidence) for w in cell.text.split()]
    if not words:
        return list(facts)
    out = []
    for fact in facts:
        pages = [f"p. {n}" for n in _PAGE.findall(fact.source_line)]
        if not any(p in words for p in pages):
            out.append(fact)
            continue
        held = [
            conf for p in pages for w, conf in words.get(p, []) if _figure_in(fact.figure_text, w)
        ]
        known = [c for c in held if c is not None]
        confidence = min(known) if known and len(known) == len(held) else None
        out.append(replace(fact, read_method="ocr", ocr_confidence=confidence))
    return out
