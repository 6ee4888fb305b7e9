"""Reading one file's bytes into the records ingest stores: pure, no database.

``read_records`` runs in ingest's reader processes (``ingest.folder`` keeps a pool of
them, one per core, and one writer to DuckDB in its own process) or in-process for a
handful of files. Whatever goes wrong is returned, never raised, as a ``ReadFailure``
holding the IngestError's fields (an exception with keyword arguments does not cross a
process boundary intact), so the writer records it exactly as if it had read the file
itself.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from ingest.document import read_document
from ingest.errors import IngestError, ReaderFailureError
from ingest.limits import Limits
from ingest.manifest import ManifestEntry
from ingest.model import IngestIssue
from ingest.records import appendix_records, document_record, narrative_records
from ingest.reference import ReferenceData


@dataclass(frozen=True)
class ReadRecords:
    """A file read: its document record (without the load's own fields), its rows."""

    document: dict[str, Any]
    appendix_rows: list[dict[str, Any]]
    narrative_facts: list[dict[str, Any]]
    issues: tuple[IngestIssue, ...]


@dataclass(frozen=True)
class ReadFailure:
    """A file that could not be read: the fields of the IngestError that says why."""

    kind: str
    where: str
    expected: str
    what_to_do: str

    def error(self) -> IngestError:
        error = IngestError(where=self.where, expected=self.expected, what_to_do=self.what_to_do)
        error.kind = self.kind  # the subclass's kind, as the reader raised it
        return error


def unexpected_failure(exc: BaseException) -> ReaderFailureError:
    """An ingest_errors entry for a failure no reader names."""
    if isinstance(exc, MemoryError):
        what = "reading it needed more memory than ingest has"
    elif isinstance(exc, RecursionError):
        what = "it is nested too deeply to read"
    else:
        what = f"a reader failed on it ({type(exc).__name__}: {exc})"
    return ReaderFailureError(
        where="whole file",
        expected="a report the readers can read to the end",
        what_to_do=f"{what}; the other files were loaded. Open the file and save it again "
        "(or ask the agency to send it again); if it still fails, report it to the "
        "maintainers with the file",
    )


def failure_of(exc: BaseException) -> ReadFailure:
    error = exc if isinstance(exc, IngestError) else unexpected_failure(exc)
    return ReadFailure(error.kind, error.where, error.expected, error.what_to_do)


def read_records(
    data: bytes,
    name: str,
    document_id: str,
    *,
    reference: ReferenceData,
    manifest_entry: ManifestEntry | None,
    limits: Limits,
) -> ReadRecords | ReadFailure:
    """One file's records, or why it cannot be read (any failure: that file's)."""
    try:
        doc = read_document(
            io.BytesIO(data),
            source_name=name,
            reference=reference,
            manifest_entry=manifest_entry,
            limits=limits,
        )
        return ReadRecords(
            document_record(doc),
            appendix_records(doc, document_id),
            narrative_records(doc, document_id),
            tuple(doc.issues),
        )
    except Exception as exc:  # any failure of one file is that file's, never the run's
        return failure_of(exc)


# ---------------------------------------------------------------- in a reader process

_context: tuple[ReferenceData, Limits] | None = None


def start_reader(reference: ReferenceData, limits: Limits) -> None:
    """A reader process's initializer: the run's reference data and limits, once."""
    global _context
    _context = (reference, limits)


def read_in_reader(
    data: bytes, name: str, document_id: str, manifest_entry: ManifestEntry | None
) -> ReadRecords | ReadFailure:
    if _context is None:  # pragma: no cover (a pool started without its initializer)
        raise RuntimeError("ingest.reading: start_reader was not called in this process")
    reference, limits = _context
    return read_records(
        data,
        name,
        document_id,
        reference=reference,
        manifest_entry=manifest_entry,
        limits=limits,
    )
