"""One file → one Document: read, place (metadata + manifest), lay out, narrate."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import PurePath
from typing import BinaryIO, Protocol

from ingest.errors import UnplacedDocumentError, UnsupportedFormatError
from ingest.layout import extract_tables
from ingest.limits import DEFAULT_LIMITS, Limits
from ingest.manifest import ManifestEntry, manifest_line
from ingest.metadata import detect_metadata, document_scope, report_period
from ingest.model import Block, Document, DocumentMeta, Found, Paragraph
from ingest.narrative import extract_figures, extract_targets
from ingest.readers.docx import read_docx_blocks, read_docx_property_texts
from ingest.readers.legacy import CONVERSIONS, convert_legacy
from ingest.readers.pdf import read_pdf_blocks
from ingest.readers.scan import IMAGE_FORMATS, attach_ocr_confidence, read_image_blocks
from ingest.readers.text import read_text_blocks
from ingest.readers.xlsx import read_xlsx_blocks, read_xlsx_property_texts
from ingest.reference import ReferenceData


class Reader(Protocol):
    def __call__(self, fp: BinaryIO, *, limits: Limits = ...) -> list[Block]: ...


class PropertyReader(Protocol):
    def __call__(self, fp: BinaryIO, *, limits: Limits = ...) -> list[str]: ...


# what a format records about the document itself (File › Properties): read only for
# what the document's own text does not say
PROPERTY_READERS: dict[str, PropertyReader] = {
    "docx": read_docx_property_texts,
    "xlsx": read_xlsx_property_texts,
}

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


def fill_gaps(meta: DocumentMeta, fallback: DocumentMeta) -> DocumentMeta:
    """Fields ``meta`` lacks, taken from ``fallback``."""
    gaps = {
        name: getattr(fallback, name)
        for name in DocumentMeta.__dataclass_fields__
        if getattr(meta, name).value is None and getattr(fallback, name).value is not None
    }
    return replace(meta, **gaps)


def apply_manifest(meta: DocumentMeta, entry: ManifestEntry | None) -> DocumentMeta:
    if entry is None:
        return meta
    return replace(meta, **{k: Found(v, "manifest") for k, v in entry.values.items()})


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
    meta = detect_metadata(texts, reference)
    property_reader = PROPERTY_READERS.get(read_as)
    if meta.missing_required() and property_reader is not None:
        fp.seek(0)
        meta = fill_gaps(meta, detect_metadata(property_reader(fp, limits=limits), reference))
    meta = apply_manifest(meta, manifest_entry)
    missing = meta.missing_required()
    if missing:
        raise UnplacedDocumentError(
            where="whole document",
            expected=f"the report's {', '.join(missing)} (from its title, letterhead or caption)",
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
    )
