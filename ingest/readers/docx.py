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
extractions of such reports print them. So is a letterhead drawn with borders (body
names | motto, number | place and date: ingest.layout.unfold_letterheads).

Word's automatic numbering ("1.", "1.2", "II" drawn by a numbered list, often in the
STT column) is not in the text runs; its labels are counted and put before the
paragraph's text, so an auto-numbered STT cell reads as if typed. Bullets give nothing.

Bold is any bold run (direct formatting, its character style or its paragraph style);
italic is every run italic. Runs that hold only spaces do not count.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import BinaryIO

from docx import Document as open_docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from ingest.errors import UnreadableFileError
from ingest.layout import is_header_row, unfold_letterheads
from ingest.limits import DEFAULT_LIMITS, Limits
from ingest.markup import tidy
from ingest.model import Block, Paragraph, RawCell, RawRow
from ingest.readers.package import check_package, check_part_count, scan_xml_parts

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
_W_NB_HYPHEN = qn("w:noBreakHyphen")
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
        expected=f"{kind} file (an Office Open XML zip package)",
        what_to_do=what,
    )


def _truncated(exc: BaseException, kind: str) -> UnreadableFileError:
    return _damaged(
        f"the zip package is truncated or damaged ({exc}); ask the agency to send the file again",
        kind,
    )


def check_office_bytes(
    data: bytes, kind: str, extension: str, limits: Limits = DEFAULT_LIMITS
) -> None:
    """Raise UnreadableFileError when ``data`` cannot be an Office Open XML package, and
    LimitExceededError when it declares more than ``limits`` allow (see
    ``ingest.readers.package``; checked from the zip directory before anything is
    decompressed).

    ``kind`` names the format for the message ("a Word .docx"), ``extension`` is the
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
    check_part_count(data, limits)
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise _truncated(exc, kind) from exc
    with package:
        check_package(package, limits)
        try:
            bad = package.testzip()
        except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError) as exc:
            raise _truncated(exc, kind) from exc
        if bad is None:
            scan_xml_parts(package, limits)
    if bad is not None:
        raise _damaged(
            f"the part '{bad}' of the zip package is damaged; ask the agency to send the "
            "file again",
            kind,
        )


def _open(fp: BinaryIO, limits: Limits):  # -> docx.document.Document
    data = fp.read()
    check_office_bytes(data, "a Word .docx", ".docx", limits)
    try:
        return open_docx(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for a foreign package
        raise _damaged(
            f"the zip package is not a Word document ({type(exc).__name__}: {exc}); "
            "open it in Word and save it as .docx",
            "a Word .docx",
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
        self._numbering: dict[str, tuple[str | None, int | None]] = {}
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
            numpr = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            if numpr is not None:
                self._numbering[sid] = _num_pr(numpr)

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

    def numbering(self, sid: str | None) -> tuple[str | None, int | None]:
        """The list (numId, level) a paragraph style numbers its paragraphs with."""
        seen: set[str] = set()
        current = sid
        while current and current not in seen:
            seen.add(current)
            if current in self._numbering:
                return self._numbering[current]
            current = self._raw.get(current, (None, None, None))[0]
        return None, None


def _num_pr(numpr: etree._Element) -> tuple[str | None, int | None]:
    num_id = numpr.find(qn("w:numId"))
    ilvl = numpr.find(qn("w:ilvl"))
    return (
        num_id.get(_W_VAL) if num_id is not None else None,
        _int_attr(ilvl) if ilvl is not None else None,
    )


_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def _roman(n: int) -> str:
    out = []
    for value, letters in _ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _format_number(n: int, fmt: str) -> str:
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


@dataclass(frozen=True)
class _Level:
    start: int
    fmt: str
    text: str


class _Numbering:
    """The labels of Word's automatic numbering ("1.", "1.2.", "II."), which are not in
    the runs: an STT column numbered by Word would otherwise be empty. Counters run in
    document order per list; a level restarts when a higher level moves on. Bullets give
    no label."""

    def __init__(self, numbering_element: etree._Element | None) -> None:
        self._lists: dict[str, dict[int, _Level]] = {}
        self._counters: dict[str, dict[int, int]] = {}
        if numbering_element is None:
            return
        abstract: dict[str, dict[int, _Level]] = {}
        for node in numbering_element.findall(qn("w:abstractNum")):
            abstract[node.get(qn("w:abstractNumId"), "")] = self._levels(node)
        for node in numbering_element.findall(qn("w:num")):
            ref = node.find(qn("w:abstractNumId"))
            levels = dict(abstract.get(ref.get(_W_VAL, "") if ref is not None else "", {}))
            for override in node.findall(qn("w:lvlOverride")):
                ilvl = _int(override.get(qn("w:ilvl")), 0)
                lvl = override.find(qn("w:lvl"))
                if lvl is not None:
                    levels.update(self._levels(override))
                start = override.find(qn("w:startOverride"))
                if start is not None and ilvl in levels:
                    levels[ilvl] = replace(levels[ilvl], start=_int_attr(start, 1))
            self._lists[node.get(qn("w:numId"), "")] = levels

    @staticmethod
    def _levels(node: etree._Element) -> dict[int, _Level]:
        levels = {}
        for lvl in node.findall(qn("w:lvl")):
            fmt = lvl.find(qn("w:numFmt"))
            text = lvl.find(qn("w:lvlText"))
            levels[_int(lvl.get(qn("w:ilvl")), 0)] = _Level(
                start=_int_attr(lvl.find(qn("w:start")), 1),
                fmt=fmt.get(_W_VAL, "decimal") if fmt is not None else "decimal",
                text=text.get(_W_VAL, "") if text is not None else "",
            )
        return levels

    def label(self, num_id: str | None, ilvl: int) -> str:
        levels = self._lists.get(num_id or "")
        if not levels or ilvl not in levels or levels[ilvl].fmt in ("bullet", "none"):
            return ""
        counters = self._counters.setdefault(num_id or "", {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl].start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]

        def number(match: re.Match[str]) -> str:
            k = int(match.group(1)) - 1
            level = levels.get(k)
            if level is None:
                return ""
            return _format_number(counters.get(k, level.start), level.fmt)

        return tidy(re.sub(r"%(\d)", number, levels[ilvl].text))


def _style_id(ppr_or_rpr: etree._Element | None, tag: str) -> str | None:
    if ppr_or_rpr is None:
        return None
    el = ppr_or_rpr.find(qn(tag))
    return el.get(_W_VAL) if el is not None else None


Run = tuple[str, bool, bool]  # text, bold, italic


def _paragraph_runs(p: etree._Element, styles: _Styles) -> Iterator[Run]:
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
            elif child.tag == _W_NB_HYPHEN:
                parts.append("-")
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


@dataclass
class _Reading:
    styles: _Styles
    numbering: _Numbering

    def paragraph(self, p: etree._Element) -> tuple[str, list[Run]]:
        """A paragraph's text (its automatic number first, if any) and its runs.
        Call once per paragraph, in document order: numbering counts."""
        runs = list(_paragraph_runs(p, self.styles))
        text = "".join(t for t, _, _ in runs)
        ppr = p.find(qn("w:pPr"))
        numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
        num_id, ilvl = _num_pr(numpr) if numpr is not None else (None, None)
        if num_id is None:
            num_id, style_ilvl = self.styles.numbering(_style_id(ppr, "w:pStyle"))
            ilvl = style_ilvl if ilvl is None else ilvl
        if num_id not in (None, "0"):
            label = self.numbering.label(num_id, ilvl or 0)
            text = f"{label} {text}" if label else text
        return tidy(text), runs


def _cell(paragraphs: list[tuple[str, list[Run]]]) -> RawCell:
    """One cell from its paragraphs: texts joined with one space, any bold run makes it
    bold, all its runs italic make it italic (runs of spaces do not count)."""
    marks = [(b, i) for _, runs in paragraphs for t, b, i in runs if t.strip()]
    return RawCell(
        text=tidy(" ".join(text for text, _ in paragraphs)),
        is_bold=any(b for b, _ in marks),
        is_italic=bool(marks) and all(i for _, i in marks),
    )


# ---------------------------------------------------------------- walking


def _body_items(parent: etree._Element, tags: set[str]) -> Iterator[etree._Element]:
    """Children of ``parent`` with one of ``tags``, looking into content controls."""
    for child in parent:
        if child.tag in tags:
            yield child
        elif child.tag in _CONTAINERS:
            yield from _body_items(child, tags)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _int_attr(el: etree._Element | None, default: int = 0) -> int:
    return default if el is None else _int(el.get(_W_VAL), default)


def _row_cells(tr: etree._Element, reading: _Reading) -> tuple[list[RawCell], list[str]]:
    """One cell per grid column, and the texts of the row's paragraphs in order."""
    cells: list[RawCell] = []
    texts: list[str] = []
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
        paragraphs = [reading.paragraph(p) for p in tc.iter(_W_P)]
        texts.extend(text for text, _ in paragraphs if text)
        cells.append(_cell(paragraphs))
        cells.extend(RawCell("") for _ in range(span - 1))
    if trpr is not None:
        cells.extend(RawCell("") for _ in range(_int_attr(trpr.find(qn("w:gridAfter")))))
    return cells, texts


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
    return any(_has_border(tcpr.find(qn("w:tcBorders"))) for tcpr in tbl.iter(qn("w:tcPr")))


def _table_style_borders(styles_element: etree._Element | None) -> dict[str, bool | None]:
    if styles_element is None:
        return {}
    raw: dict[str, tuple[str | None, bool | None]] = {}
    default = ""
    for style in styles_element.iter(qn("w:style")):
        sid = style.get(qn("w:styleId"))
        if not sid or style.get(qn("w:type")) != "table":
            continue
        if style.get(qn("w:default")) in ("1", "true", "on"):
            default = sid
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
    result[""] = result.get(default)  # a table that names no style has the default one
    return result


def read_docx_blocks(fp: BinaryIO, *, limits: Limits = DEFAULT_LIMITS) -> list[Block]:
    """Paragraphs and table rows of a .docx body, in document order. Raises
    LimitExceededError for a package past ``limits`` (checked before parsing)."""
    document = _open(fp, limits)
    styles_element = document.styles.element
    reading = _Reading(_Styles(styles_element), _Numbering(_numbering_element(document)))
    table_borders = _table_style_borders(styles_element)
    blocks: list[Block] = []
    line_no = 0
    paragraph_no = 0
    table_no = 0
    for item in _body_items(document.element.body, {_W_P, _W_TBL}):
        line_no += 1
        if item.tag == _W_P:
            paragraph_no += 1
            text, _ = reading.paragraph(item)
            if text:
                blocks.append(Paragraph(text, f"paragraph {paragraph_no}", line_no))
            continue
        table_no += 1
        rows: list[RawRow] = []
        cell_paragraphs: list[Paragraph] = []
        for row_no, tr in enumerate(_body_items(item, {_W_TR}), start=1):
            line_no += 1
            where = f"table {table_no} row {row_no}"
            cells, texts = _row_cells(tr, reading)
            rows.append(RawRow(tuple(cells), where, line_no, table_hint=table_no))
            cell_paragraphs.extend(Paragraph(text, where, line_no) for text in texts)
        is_layout = not _table_has_borders(item, table_borders) and not any(
            is_header_row(r) for r in rows
        )
        blocks.extend(cell_paragraphs if is_layout else rows)
    return unfold_letterheads(blocks)  # a letterhead drawn with borders is layout too


def _numbering_element(document) -> etree._Element | None:
    try:
        return document.part.part_related_by(RT.NUMBERING).element
    except KeyError:  # no automatic numbering in this document
        return None


def read_docx_properties(fp: BinaryIO, *, limits: Limits = DEFAULT_LIMITS) -> CoreProperties:
    """Title, author and dates the file records (they are often a template's, not the report's)."""
    props = _open(fp, limits).core_properties
    return CoreProperties(
        title=tidy(props.title or ""),
        author=tidy(props.author or ""),
        created=props.created.isoformat() if props.created else None,
        modified=props.modified.isoformat() if props.modified else None,
    )


_SMALL_PART_BYTES = 2_000_000  # a page header, footer or the core properties is small
_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
_CORE_FIELDS = (
    "{http://purl.org/dc/elements/1.1/}title",
    "{http://purl.org/dc/elements/1.1/}creator",
)


def _part_paragraphs(xml: bytes) -> list[str]:
    root = etree.fromstring(xml, _SAFE_XML)
    texts = ("".join(t.text or "" for t in p.iter(_W_T)) for p in root.iter(_W_P))
    return [text for text in (tidy(t) for t in texts) if text]


def read_docx_file_texts(
    fp: BinaryIO, *, limits: Limits = DEFAULT_LIMITS
) -> tuple[list[str], list[str], list[str]]:
    """(headers, footers, properties): the paragraphs of the page headers and footers (a
    running "Báo cáo CCHC quý I năm 2024 - Sở Nội vụ …"), each once, in part order, and
    the title and author the file records. Only these small parts are parsed (without
    entities or DTDs), from a package whose zip directory is within ``limits``; a part
    past a couple of megabytes is left out."""
    data = fp.read()
    check_part_count(data, limits)
    headers: list[str] = []
    footers: list[str] = []
    properties: list[str] = []
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise _truncated(exc, "a Word .docx") from exc
    with package:
        check_package(package, limits)
        for info in sorted(package.infolist(), key=lambda i: i.filename):
            name = info.filename
            if info.file_size > _SMALL_PART_BYTES:
                continue
            if re.fullmatch(r"word/(header|footer)\d*\.xml", name):
                out = headers if "/header" in name else footers
                for text in _part_paragraphs(package.read(info)):
                    if text not in out:
                        out.append(text)
            elif name == "docProps/core.xml":
                root = etree.fromstring(package.read(info), _SAFE_XML)
                for tag in _CORE_FIELDS:
                    found = root.find(tag)
                    if found is not None and tidy(found.text or ""):
                        properties.append(tidy(found.text or ""))
    return headers, footers, properties
