"""Named errors of ingest. Each says where, what was expected and what to do."""

from __future__ import annotations


class IngestError(Exception):
    """A file could not be read or placed. It is recorded in raw.ingest_errors."""

    kind = "ingest_error"

    def __init__(self, *, where: str, expected: str, what_to_do: str) -> None:
        self.where = where
        self.expected = expected
        self.what_to_do = what_to_do
        super().__init__(f"{where}: expected {expected} — {what_to_do}")


class UnreadableFileError(IngestError):
    kind = "unreadable_file"


class UnsupportedFormatError(IngestError):
    kind = "unsupported_format"


class UnplacedDocumentError(IngestError):
    """Agency, province or period could not be determined and no manifest line says them."""

    kind = "unplaced_document"


class ManifestError(IngestError):
    kind = "manifest_error"


class LimitExceededError(IngestError):
    """A file goes past one of the bounds of ``ingest.limits.Limits`` (size, cells, pages…)."""

    kind = "limit_exceeded"


class ReaderFailureError(IngestError):
    """A reader failed in a way it does not name (a bug, or memory or recursion exhausted)."""

    kind = "reader_failure"


class FileRefusedError(IngestError):
    """A file the reports folder shows but that ingest will not read (a link leading outside)."""

    kind = "file_refused"


class MissingToolError(IngestError):
    """A system program a format needs (LibreOffice, tesseract, pdftoppm) is not installed."""

    kind = "missing_tool"
