"""One file → one Document: read, place (metadata + manifest), lay out, narrate."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from pathlib import PurePath
from typing import BinaryIO, Protocol

from ingest.errors import UnplacedDocumentError, UnsupportedFormatError
from ingest.evidence import Candidate, Evidence, decide
from ingest.layout import extract_tables, is_header_row
from ingest.limits import DEFAULT_LIMITS, Limits
from ingest.manifest import ManifestEntry, manifest_line
from ingest.markup import fold
from ingest.metadata import FileTexts, agency_key, document_scope, report_period, weigh_metadata
from ingest.model import Block, Document, DocumentMeta, Found, Paragraph, RawRow
from ingest.narrative import extract_figures, extract_targets
from ingest.readers.docx import read_docx_blocks, read_docx_file_texts
from ingest.readers.legacy import CONVERSIONS, convert_legacy
from ingest.readers.pdf import read_pdf_blocks, read_pdf_property_texts
from ingest.readers.scan import IMAGE_FORMATS, attach_ocr_confidence, read_image_blocks
from ingest.readers.text import read_text_blocks
from ingest.readers.xlsx import read_xlsx_blocks, read_xlsx_file_texts
from ingest.reference import ReferenceData


class Reader(Protocol):
    def __call__(self, fp: BinaryIO, *, limits: Limits = ...) -> list[Block]: ...


_HEAD_BLOCKS = 40  # the letterhead is in the first blocks, above the first table

READERS: dict[str, Reader] = {
    "txt": read_text_blocks,
    "md": read_text_blocks,
    "docx": read_docx_blocks,
    "xlsx": read_xlsx_blocks,
    "pdf": read_pdf_blocks,
    **dict.fromkeys(IMAGE_FORMATS, read_image_blocks),
}


def file_format_of(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def letterhead_texts(blocks: list[Block]) -> list[str]:
    """The texts above the first table, each cell of a row its own text in order: a
    letterhead in two columns (a row "UBND TỈNH X | CỘNG HÒA …") reads as its lines."""
    texts: list[str] = []
    for block in blocks[:_HEAD_BLOCKS]:
        if isinstance(block, Paragraph):
            texts.append(block.text)
        elif is_header_row(block):
            break
        else:
            texts += [cell.text for cell in block.cells if cell.text]
    return texts


def pdf_page_lines(blocks: list[Block]) -> tuple[list[str], list[str]]:
    """(headers, footers) of a PDF: a line printed at the top (bottom) of two or more
    pages; on a document of one page, its first line when it is not a letterhead's or a
    heading's (capitals, the number, the motto)."""
    pages: dict[str, list[Block]] = {}
    for block in blocks:
        pages.setdefault(block.source_line, []).append(block)
    tops = [b[0].text for b in pages.values() if isinstance(b[0], Paragraph)]
    bottoms = [b[-1].text for b in pages.values() if isinstance(b[-1], Paragraph)]
    headers = sorted({t for t in tops if tops.count(t) > 1}, key=tops.index)
    footers = sorted({t for t in bottoms if bottoms.count(t) > 1}, key=bottoms.index)
    if not headers and len(pages) == 1 and tops:
        first = tops[0]
        letters = [c for c in first if c.isalpha()]
        capitals = letters and sum(c.isupper() for c in letters) >= 0.8 * len(letters)
        if not capitals and not first.lower().startswith(("số", "cộng hòa", "(")):
            headers = [first]
    return headers, footers


def file_texts(
    fp: BinaryIO, file_format: str, blocks: list[Block], source_name: str, limits: Limits
) -> FileTexts:
    """What the file states besides its paragraphs: letterhead cells, sheet names, page
    headers and footers, properties, and its name and folders."""
    sheet_names: list[str] = []
    headers: list[str] = []
    footers: list[str] = []
    properties: list[str] = []
    fp.seek(0)
    if file_format == "xlsx":
        sheet_names, properties = read_xlsx_file_texts(fp, limits=limits)
    elif file_format == "docx":
        headers, footers, properties = read_docx_file_texts(fp, limits=limits)
    elif file_format == "pdf":
        headers, footers = pdf_page_lines(blocks)
        properties = read_pdf_property_texts(fp, limits=limits)
    has_rows = any(isinstance(b, RawRow) for b in blocks[:_HEAD_BLOCKS])
    return FileTexts(
        letterhead=letterhead_texts(blocks) if has_rows else (),
        sheet_names=sheet_names,
        page_headers=headers,
        page_footers=footers,
        properties=properties,
        file_name=source_name,
    )


def _same_name(field: str, a: str, b: str, reference: ReferenceData) -> bool:
    if field == "agency_name":
        return agency_key(a, reference) == agency_key(b, reference)

    def bare(name: str) -> str:
        return re.sub(r"^(?:tinh|thanh pho|tp) ", "", fold(name))

    return bare(a) == bare(b)


def apply_manifest(
    meta: DocumentMeta,
    evidence: Evidence,
    entry: ManifestEntry | None,
    reference: ReferenceData,
) -> tuple[DocumentMeta, Evidence]:
    """The manifest's values override; what the document stated otherwise stays as conflicts."""
    if entry is None:
        return meta, evidence
    meta = replace(meta, **{k: Found(v, "manifest") for k, v in entry.values.items()})
    decisions = dict(evidence.decisions)
    for name in ("agency_name", "province_name"):
        if name in entry.values:
            value = str(entry.values[name])
            stated = [c for c in evidence.candidates if c.field == name]
            keys = {c.key for c in stated if _same_name(name, str(c.value), value, reference)}
            key = next(iter(keys), ("manifest", fold(value)))
            prefer = Candidate(name, value, key, "manifest", "manifest.csv")
            decisions[name] = decide(stated, prefer=prefer)  # type: ignore[assignment]
    if "period_type" in entry.values or "period_year" in entry.values:
        stated = [c for c in evidence.candidates if c.field == "period"]
        fields = (meta.period_type, meta.period_year, meta.period_number, meta.period_end_year)
        key = tuple(f.value for f in fields)
        label = " ".join(str(v) for v in key if v is not None)
        prefer = Candidate("period", label, key, "manifest", "manifest.csv")
        decisions["period"] = decide(stated, prefer=prefer)  # type: ignore[assignment]
    return meta, Evidence(decisions, evidence.candidates)


def unplaced_message(evidence: Evidence) -> str:
    """What the document did state (with where), for the error that asks for the rest."""
    found = evidence.found()
    return "found " + "; ".join(found) if found else "found nothing that names the report"


def read_document(
    fp: BinaryIO,
    *,
    source_name: str,
    reference: ReferenceData,
    manifest_entry: ManifestEntry | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Document:
    """Read one report. Raises an IngestError subclass when it cannot be read or placed
    (LimitExceededError when it goes past ``limits``)."""
    file_format = file_format_of(source_name)
    read_as = CONVERSIONS.get(file_format, file_format)  # .doc/.xls: converted first
    reader = READERS.get(read_as)
    if reader is None:
        raise UnsupportedFormatError(
            where="file name",
            expected=f"one of the formats {', '.join(sorted([*READERS, *CONVERSIONS]))}",
            what_to_do=f"'.{file_format}' files cannot be read yet; save the report as one "
            "of these formats or remove it from the reports folder",
        )
    if read_as != file_format:
        fp = io.BytesIO(convert_legacy(fp.read(), file_format, limits=limits))
    blocks = reader(fp, limits=limits)
    texts = [b.text for b in blocks if isinstance(b, Paragraph)]
    files = file_texts(fp, read_as, blocks, source_name, limits)
    meta, evidence = weigh_metadata(texts, reference, files)
    meta, evidence = apply_manifest(meta, evidence, manifest_entry, reference)
    missing = meta.missing_required()
    if missing:
        raise UnplacedDocumentError(
            where="whole document",
            expected=f"the report's {', '.join(missing)}: no place states "
            + ("it" if len(missing) == 1 else "them")
            + " (letterhead, number, place and date, title, captions, sheet names, page "
            "headers, properties, the reporting sentence, file and folder names); "
            + unplaced_message(evidence),
            what_to_do="add this line to manifest.csv in the reports folder: "
            + manifest_line(source_name, missing),
        )
    tables, paragraphs, issues = extract_tables(
        blocks, document_scope=document_scope(meta), code_words=reference.code_words
    )
    # the extractors join wrapped lines themselves and keep each sentence's own lines
    units = reference.count_unit_aliases
    narrative = extract_figures(paragraphs, unit_aliases=units, report_period=report_period(meta))
    if meta.document_kind.value == "plan":
        narrative += extract_targets(paragraphs, unit_aliases=units)
    narrative = attach_ocr_confidence(narrative, blocks)
    return Document(
        file_path=source_name,
        file_format=file_format,
        meta=meta,
        tables=tuple(tables),
        narrative=tuple(narrative),
        issues=tuple(issues),
        evidence=evidence,
    )
