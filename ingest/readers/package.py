"""Bounds of an Office Open XML package (.docx, .xlsx), checked before any parser sees it.

``check_package`` reads only the zip directory: the number of parts, each part's and the
total uncompressed size, and each part's compression ratio (a zip bomb). The sizes it
checks are the ones the zip directory declares; Python's zipfile never yields more than
a part declares (a lying part fails its CRC), so the parsers behind it are bounded too.
``scan_xml_parts`` then streams every XML part once through expat, without building a
tree, and refuses nesting deeper than ``Limits.xml_depth``, a DOCTYPE (Office never
writes one; entity tricks need it) and, for Word, more paragraphs or table cells than
the limits allow.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from xml.parsers import expat

from ingest.errors import UnreadableFileError
from ingest.limits import Limits, exceeded

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_PARAGRAPH = f"{_W_NS} p"
_TABLE_CELL = f"{_W_NS} tc"
_CHUNK = 1 << 16
#: a part smaller than this is not judged by its compression ratio (small XML parts
#: compress very well and hold nothing dangerous)
RATIO_FLOOR_BYTES = 1 << 20


def check_part_count(data: bytes, limits: Limits) -> None:
    """Refuse a package whose end-of-directory record declares more parts than allowed,
    before zipfile builds an entry for each of them (a million entries fit in 50 MB)."""
    try:
        end = zipfile._EndRecData(io.BytesIO(data))  # the record zipfile itself reads first
    except (OSError, ValueError, zipfile.BadZipFile):
        return  # zipfile names the damage when it opens the package
    if not end:
        return
    parts = end[zipfile._ECD_ENTRIES_TOTAL]
    if isinstance(parts, int) and parts > limits.zip_members:
        raise exceeded(
            "zip_members", limits.zip_members, where="whole file", found=f"{parts:,} parts"
        )


def check_package(package: zipfile.ZipFile, limits: Limits) -> None:
    """Raise LimitExceededError when the zip directory declares too much."""
    infos = package.infolist()
    if len(infos) > limits.zip_members:
        raise exceeded(
            "zip_members", limits.zip_members, where="whole file", found=f"{len(infos):,} parts"
        )
    total = 0
    for info in infos:
        where = f"part {info.filename}"
        if info.file_size > limits.zip_member_bytes:
            raise exceeded(
                "zip_member_bytes",
                limits.zip_member_bytes,
                where=where,
                found=f"a part of {info.file_size:,} bytes uncompressed",
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= RATIO_FLOOR_BYTES and ratio > limits.zip_ratio:
            raise exceeded(
                "zip_ratio",
                limits.zip_ratio,
                where=where,
                found=f"a part of {info.file_size:,} bytes compressed {ratio:,.0f} times "
                f"(into {info.compress_size:,} bytes)",
            )
        total += info.file_size
    if total > limits.zip_total_bytes:
        raise exceeded(
            "zip_total_bytes",
            limits.zip_total_bytes,
            where="whole file",
            found=f"{total:,} bytes uncompressed in all",
        )


@dataclass
class _Scan:
    limits: Limits
    part: str
    depth: int = 0
    paragraphs: int = 0
    table_cells: int = 0

    def start(self, name: str, _attributes: object) -> None:
        self.depth += 1
        if self.depth > self.limits.xml_depth:
            raise exceeded(
                "xml_depth",
                self.limits.xml_depth,
                where=f"part {self.part}",
                found=f"XML elements nested more than {self.limits.xml_depth} deep",
            )
        if name == _PARAGRAPH:
            self.paragraphs += 1
            if self.paragraphs > self.limits.paragraphs:
                raise exceeded(
                    "paragraphs",
                    self.limits.paragraphs,
                    where=f"part {self.part}",
                    found=f"more than {self.limits.paragraphs:,} paragraphs",
                )
        elif name == _TABLE_CELL:
            self.table_cells += 1
            if self.table_cells > self.limits.table_cells:
                raise exceeded(
                    "table_cells",
                    self.limits.table_cells,
                    where=f"part {self.part}",
                    found=f"more than {self.limits.table_cells:,} table cells",
                )

    def end(self, _name: str) -> None:
        self.depth -= 1

    def doctype(self, *_args: object) -> None:
        raise UnreadableFileError(
            where=f"part {self.part}",
            expected="Office XML without a DOCTYPE declaration (Office never writes one)",
            what_to_do="the package was not written by Office and may be hostile; open it in "
            "Office, save it again and ingest the saved file",
        )


def scan_xml_parts(package: zipfile.ZipFile, limits: Limits) -> None:
    """Stream every XML part once: depth, DOCTYPE, and Word's paragraphs and cells.

    Paragraphs and cells are counted over the whole package (body, headers, notes).
    A part that is not well-formed XML is left to the reader, which names it.
    """
    scan = _Scan(limits, part="")
    for info in package.infolist():
        if not info.filename.endswith((".xml", ".rels")):
            continue
        scan.part = info.filename
        scan.depth = 0
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartElementHandler = scan.start
        parser.EndElementHandler = scan.end
        parser.StartDoctypeDeclHandler = scan.doctype
        try:
            with package.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except expat.ExpatError:
            continue
