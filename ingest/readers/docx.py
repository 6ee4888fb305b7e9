"""Reader for Word (.docx) reports.

The document body is walked in order, paragraphs and tables interleaved (content
controls are looked into). A paragraph becomes a ``Paragraph`` whose ``source_line``
is ``paragraph N`` (N counts every body paragraph, empty ones too, from 1). A table row
becomes a ``RawRow`` whose ``source_line`` is ``table N row M`` (both from 1), with one
``RawCell`` per grid column: a cell spanning several columns (``gridSpan``) gives its
text in the first and empty cells after it, and the lower parts of a vertically merged
cell (``vMerge`` continue) are empty, exactly as a text extraction writes them. Line
breaks and paragraphs inside a cell are joined with one space.

A table drawn without borders and without a header row (the letterhead "Số: …" | "…,
ngày … tháng … năm …", or the signature block) is page layout, not data: each of its
cell paragraphs becomes a ``Paragraph`` (``source_line`` ``table N row M``), as text
extractions of such reports print them.

Bold is any bold run (direct formatting, its character style or its paragraph style);
italic is every run italic. Runs that hold only spaces do not count.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from docx import Document as open_docx
from docx.oxml.ns import qn
from lxml import etree

from ingest.errors import UnreadableFileError
from ingest.layout import is_header_row
from ingest.markup import tidy
from ingest.model import Block, Paragraph, RawCell, RawRow

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_W_P = qn("w:p")
_W_TBL = qn("w:tbl")
_W_TR = qn("w:tr")
_W_TC = qn("w:tc")
_W_R = qn("w:r")
_W_T = qn("w:t")
_W_SDT = qn("w:sdt")
_W_SDT_CONTENT = qn("w:sdtContent")
_W_CUSTOM_XML = qn("w:customXml")
_W_VAL = qn("w:val")
_CONTAINERS = {_W_SDT, _W_SDT_CONTENT, _W_CUSTOM_XML}
_BREAKS = {qn("w:br"), qn("w:cr")}
_TABS = {qn("w:tab"), qn("w:ptab")}
_FALSE = {"0", "false", "off", "none"}
_NO_BORDER = {"nil", "none"}


@dataclass(frozen=True)
class CoreProperties:
    """What the file itself says about the document (File › Properties in Word)."""

    title: str
    author: str
    created: str | None
    modified: str | None


# ---------------------------------------------------------------- opening


def _damaged(what: str, kind: str) -> UnreadableFileError:
    return UnreadableFileError(
        where="whole file",
        expected=f"a {kind} file (an Office Open XML zip package)",
        what_to_do=what,
    )


def check_office_bytes(data: bytes, kind: str, extension: str) -> None:
    """Raise UnreadableFileError when ``data`` cannot be an Office Open XML package.

    ``kind`` names the format for the message ("Word .docx"), ``extension`` is the
    extension the agency should save as.
    """
    if not data.strip(b"\x00 \t\r\n"):
        raise _damaged("the file is empty; ask the agency to send the report again", kind)
    if data.startswith(OLE2_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise _damaged(
                "the file is encrypted (password-protected); ask the agency for an "
                f"unprotected copy, or open it with the password and save it again as {extension}",
                kind,
            )
        raise _damaged(
            "the file is an OLE2 compound file: either password-protected (encrypted) or an "
            f"old binary Office 97–2003 file renamed to {extension}; ask the agency for an "
            f"unprotected copy saved as {extension}",
            kind,
        )
    head = data[:1024].lstrip().lower()
    if head.startswith(b"%pdf"):
        raise _damaged(
            f"the file is a PDF renamed to {extension}; ingest it as .pdf or ask for the "
            "Office file",
            kind,
        )
    if head.startswith(b"{\\rtf"):
        raise _damaged(
            f"the file is RTF renamed to {extension}; open it in Word and save it as {extension}",
            kind,
        )
    if head.startswith((b"<html", b"<!doctype", b"<?xml", b"mime-version")):
        raise _damaged(
            f"the file is a web page or XML document renamed to {extension}; open it in "
            f"Office and save it as {extension}",
            kind,
        )
    if not data.startswith(b"PK"):
        raise _damaged(
            f"the file is not a zip package, so it is not really a {extension} file (a "
            f"renamed file of another kind?); open it in Office and save it as {extension}",
            kind,
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            bad = package.testzip()
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise _damaged(
            f"the zip package is truncated or damaged ({exc}); ask the agency to send "
            "the file again",
            kind,
        ) from exc
    if bad is not None:
        raise _damaged(
            f"the part '{bad}' of the zip package is damaged; ask the agency to send the "
            "file again",
            kind,
        )


def _open(fp: BinaryIO):  # -> docx.document.Document
    data = fp.read()
    check_office_bytes(data, "Word .docx", ".docx")
    try:
        return open_docx(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for a foreign package
        raise _damaged(
            f"the zip package is not a Word document ({type(exc).__name__}: {exc}); "
            "open it in Word and save it as .docx",
            "Word .docx",
        ) from exc


# ---------------------------------------------------------------- formatting


def _flag(rpr: etree._Element | None, tag: str) -> bool | None:
    if rpr is None:
        return None
    el = rpr.find(qn(tag))
    if el is None:
        return None
    return el.get(_W_VAL, "true").lower() not in _FALSE


class _Styles:
    """Bold and italic of paragraph and character styles, following ``basedOn``."""

    def __init__(self, styles_element: etree._Element | None) -> None:
        self._raw: dict[str, tuple[str | None, bool | None, bool | None]] = {}
        self._cache: dict[str, tuple[bool, bool]] = {}
        if styles_element is None:
            return
        for style in styles_element.iter(qn("w:style")):
            sid = style.get(qn("w:styleId"))
            if not sid:
                continue
            based = style.find(qn("w:basedOn"))
            rpr = style.find(qn("w:rPr"))
            self._raw[sid] = (
                based.get(_W_VAL) if based is not None else None,
                _flag(rpr, "w:b"),
                _flag(rpr, "w:i"),
            )

    def flags(self, sid: str | None) -> tuple[bool, bool]:
        if not sid:
            return False, False
        if sid in self._cache:
            return self._cache[sid]
        bold: bool | None = None
        italic: bool | None = None
        seen: set[str] = set()
        current: str | None = sid
        while current and current not in seen and (bold is None or italic is None):
            seen.add(current)
            based, b, i = self._raw.get(current, (None, None, None))
            bold = b if bold is None else bold
            italic = i if italic is None else italic
            current = based
        result = (bool(bold), bool(italic))
        self._cache[sid] = result
        return result


def _style_id(ppr_or_rpr: etree._Element | None, tag: str) -> str | None:
    if ppr_or_rpr is None:
        return None
    el = ppr_or_rpr.find(qn(tag))
    return el.get(_W_VAL) if el is not None else None


def _paragraph_runs(p: etree._Element, styles: _Styles) -> Iterator[tuple[str, bool, bool]]:
    """(text, bold, italic) of each run of a paragraph, hyperlinks and insertions included."""
    para_bold, para_italic = styles.flags(_style_id(p.find(qn("w:pPr")), "w:pStyle"))
    for run in p.iter(_W_R):
        # runs of a text box drawn inside this paragraph belong to their own paragraphs
        owner = run.getparent()
        while owner is not None and owner.tag != _W_P:
            owner = owner.getparent()
        if owner is not p:
            continue
        parts: list[str] = []
        for child in run:
            if child.tag == _W_T:
                parts.append(child.text or "")
            elif child.tag in _BREAKS:
                parts.append("\n")
            elif child.tag in _TABS:
                parts.append("\t")
        text = "".join(parts)
        if not text:
            continue
        rpr = run.find(qn("w:rPr"))
        char_bold, char_italic = styles.flags(_style_id(rpr, "w:rStyle"))
        bold = _flag(rpr, "w:b")
        italic = _flag(rpr, "w:i")
        yield (
            text,
            bold if bold is not None else (char_bold or para_bold),
            italic if italic is not None else (char_italic or para_italic),
        )


def _text_and_flags(paragraphs: list[etree._Element], styles: _Styles) -> RawCell:
    texts: list[str] = []
    bold = False
    italic_runs: list[bool] = []
    for p in paragraphs:
        runs = list(_paragraph_runs(p, styles))
        texts.append("".join(t for t, _, _ in runs))
        for text, b, i in runs:
            if text.strip():
                bold = bold or b
                italic_runs.append(i)
    return RawCell(
        text=tidy(" ".join(texts)),
        is_bold=bold,
        is_italic=bool(italic_runs) and all(italic_runs),
    )


# ---------------------------------------------------------------- walking


def _body_items(parent: etree._Element, tags: set[str]) -> Iterator[etree._Element]:
    """Children of ``parent`` with one of ``tags``, looking into content controls."""
    for child in parent:
        if child.tag in tags:
            yield child
        elif child.tag in _CONTAINERS:
            yield from _body_items(child, tags)


def _int_attr(el: etree._Element | None, default: int = 0) -> int:
    if el is None:
        return default
    try:
        return int(el.get(_W_VAL, default))
    except ValueError:
        return default


def _row_cells(tr: etree._Element, styles: _Styles) -> list[RawCell]:
    cells: list[RawCell] = []
    trpr = tr.find(qn("w:trPr"))
    if trpr is not None:
        cells.extend(RawCell("") for _ in range(_int_attr(trpr.find(qn("w:gridBefore")))))
    for tc in _body_items(tr, {_W_TC}):
        tcpr = tc.find(qn("w:tcPr"))
        span = max(1, _int_attr(tcpr.find(qn("w:gridSpan")) if tcpr is not None else None, 1))
        vmerge = tcpr.find(qn("w:vMerge")) if tcpr is not None else None
        if vmerge is not None and vmerge.get(_W_VAL, "continue") != "restart":
            cells.extend(RawCell("") for _ in range(span))
            continue
        cells.append(_text_and_flags(list(tc.iter(_W_P)), styles))
        cells.extend(RawCell("") for _ in range(span - 1))
    if trpr is not None:
        cells.extend(RawCell("") for _ in range(_int_attr(trpr.find(qn("w:gridAfter")))))
    return cells


def _has_border(borders: etree._Element | None) -> bool | None:
    """True/False when the element says, None when it has no border settings."""
    if borders is None or len(borders) == 0:
        return None
    return any(edge.get(_W_VAL, "nil") not in _NO_BORDER for edge in borders)


def _table_has_borders(tbl: etree._Element, style_borders: dict[str, bool | None]) -> bool:
    tblpr = tbl.find(qn("w:tblPr"))
    direct = _has_border(tblpr.find(qn("w:tblBorders")) if tblpr is not None else None)
    if direct is None:
        sid = _style_id(tblpr, "w:tblStyle")
        direct = style_borders.get(sid or "")
    if direct:
        return True
    for tcpr in tbl.iter(qn("w:tcPr")):
        if _has_border(tcpr.find(qn("w:tcBorders"))):
            return True
    return False


def _table_style_borders(styles_element: etree._Element | None) -> dict[str, bool | None]:
    if styles_element is None:
        return {}
    raw: dict[str, tuple[str | None, bool | None]] = {}
    for style in styles_element.iter(qn("w:style")):
        sid = style.get(qn("w:styleId"))
        if not sid or style.get(qn("w:type")) != "table":
            continue
        based = style.find(qn("w:basedOn"))
        tblpr = style.find(qn("w:tblPr"))
        borders = _has_border(tblpr.find(qn("w:tblBorders")) if tblpr is not None else None)
        raw[sid] = (based.get(_W_VAL) if based is not None else None, borders)
    result: dict[str, bool | None] = {}
    for sid in raw:
        seen: set[str] = set()
        current: str | None = sid
        value: bool | None = None
        while current and current not in seen and value is None:
            seen.add(current)
            current, value = raw.get(current, (None, None))
        result[sid] = value
    return result


def read_docx_blocks(fp: BinaryIO) -> list[Block]:
    """Paragraphs and table rows of a .docx body, in document order."""
    document = _open(fp)
    styles_element = document.styles.element
    styles = _Styles(styles_element)
    table_borders = _table_style_borders(styles_element)
    blocks: list[Block] = []
    line_no = 0
    paragraph_no = 0
    table_no = 0
    for item in _body_items(document.element.body, {_W_P, _W_TBL}):
        if item.tag == _W_P:
            paragraph_no += 1
            line_no += 1
            text = _text_and_flags([item], styles).text
            if text:
                blocks.append(Paragraph(text, f"paragraph {paragraph_no}", line_no))
            continue
        table_no += 1
        rows: list[RawRow] = []
        cell_paragraphs: list[Paragraph] = []
        for row_no, tr in enumerate(_body_items(item, {_W_TR}), start=1):
            line_no += 1
            where = f"table {table_no} row {row_no}"
            rows.append(
                RawRow(
                    cells=tuple(_row_cells(tr, styles)),
                    source_line=where,
                    line_no=line_no,
                    table_hint=table_no,
                )
            )
            for tc in _body_items(tr, {_W_TC}):
                for p in tc.iter(_W_P):
                    text = _text_and_flags([p], styles).text
                    if text:
                        cell_paragraphs.append(Paragraph(text, where, line_no))
        is_layout = not _table_has_borders(item, table_borders) and not any(
            is_header_row(r) for r in rows
        )
        blocks.extend(cell_paragraphs if is_layout else rows)
    return blocks


def read_docx_properties(fp: BinaryIO) -> CoreProperties:
    """Title, author and dates the file records (they are often a template's, not the report's)."""
    props = _open(fp).core_properties
    return CoreProperties(
        title=tidy(props.title or ""),
        author=tidy(props.author or ""),
        created=props.created.isoformat() if props.created else None,
        modified=props.modified.isoformat() if props.modified else None,
    )
