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
