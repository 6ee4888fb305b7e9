"""How much of one report file ingest will read: the bounds that keep a hostile or broken
file from exhausting memory or time (a zip bomb, a workbook declaring A1:XFD1048576, a
million tiny paragraphs, a text file of one endless line).

Every bound is one field of ``Limits`` with its default here, overridable by the
environment variable ``CCHC_MAX_<FIELD>`` (``CCHC_MAX_FILE_BYTES=200000000``). A file
that goes past a bound is refused with a ``LimitExceededError`` naming the file's place,
the bound and the variable to raise it; the other files of the folder still load. The
limits are passed in (``Limits.from_env(os.environ)`` at the edge), never read globally.

Workbooks are read streaming: a sheet stops at a run of ``xlsx_empty_rows`` rows
without text, and a row at a run of ``xlsx_empty_columns`` columns without text
(what follows such a run is not read); the declared used range is ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

from ingest.errors import LimitExceededError

ENV_PREFIX = "CCHC_MAX_"


class LimitSettingError(ValueError):
    """A ``CCHC_MAX_…`` variable that is not a positive whole number."""


@dataclass(frozen=True)
class Limits:
    #: bytes of one report file
    file_bytes: int = 50_000_000
    #: uncompressed bytes of all members of an Office (.docx/.xlsx) zip package
    zip_total_bytes: int = 200_000_000
    #: uncompressed bytes of one member of an Office zip package
    zip_member_bytes: int = 60_000_000
    #: uncompressed / compressed size of one member (zip bombs compress 1000:1 and more)
    zip_ratio: int = 200
    #: members of an Office zip package
    zip_members: int = 10_000
    #: nesting depth of XML elements in an Office part
    xml_depth: int = 200
    #: paragraphs of a Word document (body, tables and text boxes together); lines of a text file
    paragraphs: int = 100_000
    #: table cells of a Word document
    table_cells: int = 500_000
    #: cells (filled or formatted) read from one worksheet
    xlsx_cells: int = 200_000
    #: cells read from all the sheets of a workbook together
    xlsx_workbook_cells: int = 1_000_000
    #: rows without text after which the rest of a sheet is not read
    xlsx_empty_rows: int = 10_000
    #: columns without text after which the rest of a row is not read
    xlsx_empty_columns: int = 1_000
    #: pages of a PDF
    pdf_pages: int = 2_000
    #: bytes of one PDF page's drawing instructions (its content streams and the forms it
    #: draws), decompressed; a page of a report needs some 10-200 KB
    pdf_page_content_bytes: int = 1_000_000
    #: bytes of a text file that is not Unicode (the legacy Vietnamese encodings are
    #: detected by decoding it every way and scoring each text: costly for a big file)
    legacy_text_bytes: int = 5_000_000
    #: characters of one line of a text file
    line_chars: int = 1_000_000
    #: seconds one LibreOffice conversion of a .doc/.xls may take
    convert_seconds: int = 120
    #: pages of one file read by OCR (scanned PDF pages, TIFF frames)
    scan_pages: int = 60
    #: pixels of one page image read by OCR (an A4 page at 300 dpi has 8.7 million; A3 17.4)
    scan_page_pixels: int = 40_000_000
    #: seconds tesseract may take over one page
    ocr_page_seconds: int = 180

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Limits:
        """The defaults, with each ``CCHC_MAX_<FIELD>`` found in ``environ`` applied.

        Raises LimitSettingError naming the variable when a value is not a positive
        whole number.
        """
        changes: dict[str, int] = {}
        for f in fields(cls):
            name = env_name(f.name)
            if name not in environ:
                continue
            text = environ[name].strip().replace("_", "")
            if not text.isdigit() or int(text) <= 0:
                raise LimitSettingError(
                    f"{name}={environ[name]!r}: expected a positive whole number "
                    f"(default {getattr(cls, f.name)}) — fix or unset the variable"
                )
            changes[f.name] = int(text)
        return replace(cls(), **changes)


def env_name(field_name: str) -> str:
    return ENV_PREFIX + field_name.upper()


def exceeded(field_name: str, limit: int, *, where: str, found: str) -> LimitExceededError:
    """The error for a file that goes past ``limit`` (the value of ``Limits.<field_name>``).

    ``found`` says what the file holds ("1048576 rows declared", "a member of 4 GB").
    """
    return LimitExceededError(
        where=where,
        expected=f"at most {limit:,} {_UNITS[field_name]} (limit {env_name(field_name)})",
        what_to_do=f"the file has {found}, so it was not read; if the report really is "
        f"that large, set {env_name(field_name)} above {limit} and ingest again, otherwise "
        "ask the agency to send the report again (a damaged or hostile file)",
    )


_UNITS = {
    "file_bytes": "bytes per file",
    "zip_total_bytes": "uncompressed bytes in the Office package",
    "zip_member_bytes": "uncompressed bytes per part of the Office package",
    "zip_ratio": "times compression of a part of the Office package",
    "zip_members": "parts in the Office package",
    "xml_depth": "levels of nested XML elements",
    "paragraphs": "paragraphs (lines)",
    "table_cells": "table cells",
    "xlsx_cells": "cells per sheet",
    "xlsx_workbook_cells": "cells in all sheets",
    "xlsx_empty_rows": "empty rows in a row",
    "xlsx_empty_columns": "empty columns in a row",
    "pdf_pages": "pages",
    "pdf_page_content_bytes": "bytes of drawing instructions per page",
    "legacy_text_bytes": "bytes of text that is not Unicode",
    "line_chars": "characters per line",
    "convert_seconds": "seconds per LibreOffice conversion",
    "scan_pages": "scanned pages per file",
    "scan_page_pixels": "pixels per scanned page",
    "ocr_page_seconds": "seconds of OCR per page",
}

DEFAULT_LIMITS = Limits()
