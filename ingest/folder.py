"""Ingest a folder of reports into the warehouse's raw schema (the I/O edge).

Every file found is recorded as seen in this run (raw.document_sightings: dbt flags a
document whose file left the folder "source missing") and its bytes are kept in the
archive beside the warehouse (ingest.archive) before it is read. A document already
loaded is read again, into fresh rows for the same document_id, when the reading code
that wrote its rows is older than ingest.reader_version.READER_VERSION or when asked
(``reread``); documents no longer in the folder are re-read from their archived bytes.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from ingest import load
from ingest.archive import ArchiveError, archive_bytes, archive_dir_for, read_archived
from ingest.document import file_format_of, read_document
from ingest.errors import IngestError, ManifestError
from ingest.manifest import MANIFEST_NAME, ManifestEntry, parse_manifest
from ingest.model import IngestIssue
from ingest.reader_version import READER_VERSION
from ingest.records import appendix_records, document_record, narrative_records
from ingest.reference import ReferenceData, load_reference

IGNORED_NAMES = {MANIFEST_NAME, "README.md", "readme.md", ".gitkeep"}


@dataclass
class IngestSummary:
    run_id: str
    files_seen: int = 0
    documents_loaded: int = 0
    documents_unchanged: int = 0
    files_failed: int = 0
    appendix_rows_loaded: int = 0
    narrative_facts_loaded: int = 0
    files_sighted: int = 0
    documents_reread: int = 0
    failures: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "files_seen": self.files_seen,
            "documents_loaded": self.documents_loaded,
            "documents_unchanged": self.documents_unchanged,
            "files_failed": self.files_failed,
            "appendix_rows_loaded": self.appendix_rows_loaded,
            "narrative_facts_loaded": self.narrative_facts_loaded,
            "files_sighted": self.files_sighted,
            "documents_reread": self.documents_reread,
        }


def report_files(reports_dir: Path) -> Iterator[Path]:
    for path in sorted(reports_dir.rglob("*")):
        if path.is_file() and not path.name.startswith(".") and path.name not in IGNORED_NAMES:
            yield path


def read_manifest(reports_dir: Path) -> dict[str, ManifestEntry]:
    path = reports_dir / MANIFEST_NAME
    if not path.exists():
        return {}
    return parse_manifest(path.read_text(encoding="utf-8-sig"), source_name=str(path))


@dataclass(frozen=True)
class _Reading:
    """What one run reads with: the seeds' reference data, the manifest, the archive."""

    reference: ReferenceData
    manifest: dict[str, ManifestEntry]
    archive_dir: Path


@dataclass(frozen=True)
class _ReadResult:
    document: dict[str, object]
    appendix_rows: list[dict[str, object]]
    narrative_facts: list[dict[str, object]]
    issues: tuple


def _read(data: bytes, relative: str, reading: _Reading, *, archive_path: str) -> _ReadResult:
    """Read one file's bytes into the records of raw.* (IngestError when it cannot be)."""
    document_id = hashlib.sha256(data).hexdigest()
    doc = read_document(
        io.BytesIO(data),
        source_name=relative,
        reference=reading.reference,
        manifest_entry=reading.manifest.get(relative),
    )
    record = document_record(doc) | {
        "document_id": document_id,
        "file_size_bytes": len(data),
        "archive_path": archive_path,
        "reader_version": READER_VERSION,
    }
    return _ReadResult(
        record,
        appendix_records(doc, document_id),
        narrative_records(doc, document_id),
        doc.issues,
    )


def ingest_folder(
    reports_dir: Path,
    warehouse: Path,
    *,
    seeds_dir: Path,
    now: Callable[[], datetime],
    on_file: Callable[[Path], None] | None = None,
    archive_dir: Path | None = None,
    reread: bool = False,
) -> IngestSummary:
    """Read every report under ``reports_dir`` into ``raw.*`` of ``warehouse``.

    A file that cannot be read or placed is recorded in raw.ingest_errors and the run
    goes on. An unreadable manifest stops the run (nothing could be placed reliably).
    Bytes are archived in ``archive_dir`` (default: ``archive/`` beside ``warehouse``;
    the nightly job passes the live warehouse's, since it ingests into a copy).
    ``reread`` re-reads every loaded document, whatever reader wrote it.
    """
    reading = _Reading(
        load_reference(seeds_dir),
        read_manifest(reports_dir),
        archive_dir or archive_dir_for(warehouse),
    )
    summary = IngestSummary(run_id=uuid.uuid4().hex)
    files = list(report_files(reports_dir))
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(warehouse)) as con:
        load.ensure_schema(con)
        load.start_run(con, summary.run_id, str(reports_dir), now())
        loaded = load.loaded_documents(con)
        tried: set[str] = set()  # documents this run loaded, re-read or failed to

        def stale(document_id: str) -> bool:
            version = loaded[document_id].reader_version
            return reread or version is None or version < READER_VERSION

        def failed(relative: str, document_id: str | None, exc: IngestError) -> None:
            summary.files_failed += 1
            summary.failures.append(f"{relative}: {exc}")
            _record(con, summary.run_id, relative, document_id, exc, now(), kind=exc.kind)

        def store(relative: str, result: _ReadResult, previous: load.LoadedDocument | None) -> None:
            document_id = str(result.document["document_id"])
            at = now()
            record = result.document | {
                "ingest_run_id": previous.ingest_run_id if previous else summary.run_id,
                "ingested_at": previous.ingested_at if previous else at,
                "read_at": at,
            }
            if previous is None:
                load.load_document(
                    con,
                    document=record,
                    appendix_rows=result.appendix_rows,
                    narrative_facts=result.narrative_facts,
                )
                summary.documents_loaded += 1
            else:
                load.replace_document(
                    con,
                    document=record,
                    appendix_rows=result.appendix_rows,
                    narrative_facts=result.narrative_facts,
                )
                summary.documents_reread += 1
            for issue in result.issues:
                _record(con, summary.run_id, relative, document_id, issue, at, kind="layout")
            summary.appendix_rows_loaded += len(result.appendix_rows)
            summary.narrative_facts_loaded += len(result.narrative_facts)

        for path in files:
            summary.files_seen += 1
            relative = path.relative_to(reports_dir).as_posix()
            data = path.read_bytes()
            document_id = hashlib.sha256(data).hexdigest()
            load.record_sighting(con, summary.run_id, relative, document_id, now())
            summary.files_sighted += 1
            previous = loaded.get(document_id)
            try:  # every file seen is archived (again, if its copy went missing)
                archive_path = archive_bytes(reading.archive_dir, data, file_format_of(relative))
            except ArchiveError as exc:
                failed(relative, document_id, _archive_failure(str(exc)))
                tried.add(document_id)
            else:
                if document_id in tried or (previous is not None and not stale(document_id)):
                    summary.documents_unchanged += 1
                else:
                    tried.add(document_id)
                    # a re-read keeps the name the document was first loaded under
                    name = previous.file_path if previous else relative
                    try:
                        result = _read(data, name, reading, archive_path=archive_path)
                    except IngestError as exc:
                        if previous is None:
                            failed(relative, document_id, exc)
                        else:  # the rows an older reader wrote stay
                            _record(
                                con,
                                summary.run_id,
                                name,
                                document_id,
                                exc,
                                now(),
                                kind="reread",
                                severity="warning",
                            )
                    else:
                        store(name, result, previous)
            if on_file:
                on_file(path)
        # documents whose files left the folder: re-read from their archived bytes
        for document_id, previous in sorted(loaded.items()):
            if document_id in tried or not stale(document_id):
                continue
            if previous.archive_path is None:
                _record(
                    con,
                    summary.run_id,
                    previous.file_path,
                    document_id,
                    _archive_failure(_NOT_ARCHIVED),
                    now(),
                    kind="reread",
                    severity="warning",
                )
                continue
            try:
                data = read_archived(reading.archive_dir, previous.archive_path, document_id)
                name, kept = previous.file_path, previous.archive_path
                result = _read(data, name, reading, archive_path=kept)
            except ArchiveError as exc:
                _record(
                    con,
                    summary.run_id,
                    previous.file_path,
                    document_id,
                    _archive_failure(str(exc)),
                    now(),
                    kind="reread",
                    severity="warning",
                )
            except IngestError as exc:
                _record(
                    con,
                    summary.run_id,
                    previous.file_path,
                    document_id,
                    exc,
                    now(),
                    kind="reread",
                    severity="warning",
                )
            else:
                store(previous.file_path, result, previous)
        status = "failed_files" if summary.files_failed else "ok"
        load.finish_run(con, summary.run_id, now(), summary.counts(), status)
    return summary


_NOT_ARCHIVED = (
    "it was loaded before ingest kept an archive, and its file is no longer in the reports "
    "folder; its rows stay as an older reader wrote them. Put the file back in the folder "
    "once to archive and re-read it"
)


def _archive_failure(what: str) -> IngestError:
    return IngestError(
        where="archive",
        expected="the file's bytes kept in the archive beside the warehouse",
        what_to_do=what,
    )


def _record(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    file_path: str,
    document_id: str | None,
    issue: IngestError | IngestIssue,
    at: datetime,
    *,
    kind: str,
    severity: str | None = None,
) -> None:
    load.record_error(
        con,
        run_id=run_id,
        file_path=file_path,
        document_id=document_id,
        error_kind=kind,
        severity=severity or getattr(issue, "severity", "error"),
        location=issue.where,
        expected=issue.expected,
        what_to_do=issue.what_to_do,
        at=at,
    )


__all__ = ["IngestSummary", "ManifestError", "ingest_folder", "report_files"]
