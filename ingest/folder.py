"""Ingest a folder of reports into the warehouse's raw schema (the I/O edge).

No single file stops the night: whatever goes wrong with one file (a reader's bug,
memory or recursion exhausted, a damaged zip, a bound of ``ingest.limits`` passed) is
recorded in raw.ingest_errors for that file and the run goes on. The run's row in
raw.ingest_runs always ends ``ok``, ``failed_files`` (some files not loaded) or
``failed`` (the run itself stopped; the reason is an ingest_errors row for the file
``.``, the folder).

What is read: every regular file under the folder (hidden files and the manifest
excepted). A symbolic link is followed only when it leads to a file or folder inside the
reports folder, and a file reached more than once is read once; a link leading outside,
a broken link and anything that is not a regular file are refused with an ingest_errors
row. A file name that is not valid UTF-8 is stored with the bad bytes written ``\\xe1``
and a warning row says so.

Versions (DESIGN.md, "Versions and the current figure"): every file found is recorded as
seen in this run (raw.document_sightings: dbt flags a document whose file left the
folder "source missing") and its bytes are kept in the archive beside the warehouse
(ingest.archive) before it is read. A document already loaded is read again, into fresh
rows for the same document_id, when the reading code that wrote its rows is older than
ingest.reader_version.READER_VERSION or when asked (``reread``); documents no longer in
the folder are re-read from their archived bytes. A re-read that fails keeps the rows
the older reader wrote, with a warning.
"""

from __future__ import annotations

import hashlib
import io
import os
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from ingest import load
from ingest.archive import ArchiveError, archive_bytes, archive_dir_for, read_archived
from ingest.document import file_format_of, read_document
from ingest.errors import FileRefusedError, IngestError, ManifestError, ReaderFailureError
from ingest.limits import Limits, exceeded
from ingest.manifest import MANIFEST_NAME, ManifestEntry, parse_manifest
from ingest.model import IngestIssue
from ingest.reader_version import READER_VERSION
from ingest.records import appendix_records, document_record, narrative_records
from ingest.reference import ReferenceData, load_reference

IGNORED_NAMES = {MANIFEST_NAME, "README.md", "readme.md", ".gitkeep"}
#: the file_path of an ingest_errors row about the run itself, not one file
RUN_PATH = "."


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


# ---------------------------------------------------------------- the folder


@dataclass(frozen=True)
class FolderScan:
    """The files to read (in path order) and what was refused: (path, why)."""

    files: tuple[Path, ...]
    refused: tuple[tuple[Path, FileRefusedError], ...]


def display_name(relative: str) -> str:
    """A relative path as stored: bytes that are not UTF-8 written as ``\\xe1``."""
    return os.fsencode(relative).decode("utf-8", "backslashreplace")


def safe_text(text: str) -> str:
    """Text any database takes: lone surrogates (undecodable bytes) written as escapes."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _refusal(what: str) -> FileRefusedError:
    return FileRefusedError(
        where="file name",
        expected="a file or folder inside the reports folder",
        what_to_do=what,
    )


def _inside(real: str, root: str) -> bool:
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def scan_folder(reports_dir: Path) -> FolderScan:
    """Every report file under ``reports_dir``, links checked (see the module docstring)."""
    root = os.path.realpath(reports_dir)
    found: dict[str, Path] = {}  # real path -> the path it is read under
    refused: list[tuple[Path, FileRefusedError]] = []
    visited: set[str] = set()
    linked_dirs: list[Path] = []  # walked after every real folder, so each is met once

    def add(path: Path, real: str, is_link: bool) -> None:
        if real not in found or (not is_link and found[real].is_symlink()):
            found[real] = path

    def walk(directory: Path) -> None:
        visited.add(os.path.realpath(directory))
        try:
            entries = sorted(os.scandir(directory), key=lambda e: os.fsencode(e.name))
        except OSError as exc:
            refused.append((directory, _refusal(f"the folder cannot be listed ({exc})")))
            return
        for entry in entries:
            path = Path(entry.path)
            is_link = entry.is_symlink()
            real = os.path.realpath(path)
            if is_link and not os.path.exists(real):
                refused.append((path, _refusal("the link leads nowhere (broken); remove it")))
                continue
            if is_link and not _inside(real, root):
                refused.append(
                    (
                        path,
                        _refusal(
                            "the link leads outside the reports folder, which ingest does not "
                            "read; copy the report into the folder instead of linking to it"
                        ),
                    )
                )
                continue
            if os.path.isdir(real):
                if is_link:
                    linked_dirs.append(path)
                elif real not in visited:
                    walk(path)
                continue
            if entry.name.startswith(".") or entry.name in IGNORED_NAMES:
                continue
            if not os.path.isfile(real):
                refused.append(
                    (
                        path,
                        _refusal(
                            "this is not a regular file (a pipe, socket or device); remove it"
                        ),
                    )
                )
                continue
            add(path, real, is_link)

    walk(reports_dir)
    while linked_dirs:
        path = linked_dirs.pop(0)
        if os.path.realpath(path) not in visited:
            walk(path)
    return FolderScan(files=tuple(sorted(found.values())), refused=tuple(refused))


def report_files(reports_dir: Path) -> Iterator[Path]:
    """The files ingest reads, in path order (links checked, each file once)."""
    yield from scan_folder(reports_dir).files


def read_manifest(reports_dir: Path) -> dict[str, ManifestEntry]:
    path = reports_dir / MANIFEST_NAME
    if not path.exists():
        return {}
    return parse_manifest(path.read_text(encoding="utf-8-sig"), source_name=str(path))


# ---------------------------------------------------------------- one file


def read_capped(path: Path, limits: Limits) -> bytes:
    """The file's bytes, or LimitExceededError when it has more than ``limits.file_bytes``."""
    size = path.stat().st_size
    with path.open("rb") as fp:
        data = fp.read(limits.file_bytes + 1) if size <= limits.file_bytes else b""
    if size > limits.file_bytes or len(data) > limits.file_bytes:
        raise exceeded(
            "file_bytes",
            limits.file_bytes,
            where="whole file",
            found=f"{max(size, len(data)):,} bytes",
        )
    return data


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


@dataclass(frozen=True)
class _Reading:
    """What one run reads with: the seeds' reference data, the manifest, the limits, the
    archive, and whether every loaded document is to be read again."""

    reference: ReferenceData
    manifest: Mapping[str, ManifestEntry]
    limits: Limits
    archive_dir: Path
    reread: bool = False


@dataclass
class _Run:
    con: duckdb.DuckDBPyConnection
    summary: IngestSummary
    now: Callable[[], datetime]
    reading: _Reading
    loaded: dict[str, load.LoadedDocument] = field(default_factory=dict)
    tried: set[str] = field(default_factory=set)  # loaded, re-read or failed this run

    def record(
        self,
        file_path: str,
        exc: IngestError,
        *,
        document_id: str | None = None,
        severity: str = "error",
        kind: str | None = None,
    ) -> None:
        load.record_error(
            self.con,
            run_id=self.summary.run_id,
            file_path=safe_text(file_path),
            document_id=document_id,
            error_kind=kind or exc.kind,
            severity=severity,
            location=safe_text(exc.where),
            expected=safe_text(exc.expected),
            what_to_do=safe_text(exc.what_to_do),
            at=self.now(),
        )

    def failed(self, file_path: str, exc: IngestError, document_id: str | None) -> None:
        self.summary.files_failed += 1
        self.summary.failures.append(safe_text(f"{file_path}: {exc}"))
        self.record(file_path, exc, document_id=document_id)

    def stale(self, document_id: str) -> bool:
        """An older reader wrote this loaded document's rows (or a re-read was asked)."""
        version = self.loaded[document_id].reader_version
        return self.reading.reread or version is None or version < READER_VERSION


def _archive_failure(what: str) -> IngestError:
    return IngestError(
        where="archive",
        expected="the file's bytes kept in the archive beside the warehouse",
        what_to_do=what,
    )


_NOT_ARCHIVED = (
    "it was loaded before ingest kept an archive, and its file is no longer in the reports "
    "folder; its rows stay as an older reader wrote them. Put the file back in the folder "
    "once to archive and re-read it"
)


def _read_and_store(
    run: _Run,
    data: bytes,
    name: str,
    *,
    archive_path: str,
    previous: load.LoadedDocument | None,
) -> None:
    """Read one file's bytes and load them: a new document, or (``previous``) fresh rows
    for a loaded one. IngestError (or anything else) when they cannot be read."""
    summary = run.summary
    document_id = hashlib.sha256(data).hexdigest()
    doc = read_document(
        io.BytesIO(data),
        source_name=name,
        reference=run.reading.reference,
        manifest_entry=run.reading.manifest.get(name),
        limits=run.reading.limits,
    )
    at = run.now()
    record = document_record(doc) | {
        "document_id": document_id,
        "file_size_bytes": len(data),
        "archive_path": archive_path,
        # a re-read keeps the first load's run and time: the version's place in its report
        "ingest_run_id": previous.ingest_run_id if previous else summary.run_id,
        "ingested_at": previous.ingested_at if previous else at,
        "reader_version": READER_VERSION,
        "read_at": at,
    }
    rows = appendix_records(doc, document_id)
    facts = narrative_records(doc, document_id)
    store = load.replace_document if previous else load.load_document
    store(run.con, document=record, appendix_rows=rows, narrative_facts=facts)
    if previous:
        summary.documents_reread += 1
    else:
        summary.documents_loaded += 1
    for issue in doc.issues:
        _record_issue(run, name, document_id, issue)
    summary.appendix_rows_loaded += len(rows)
    summary.narrative_facts_loaded += len(facts)


def _record_issue(run: _Run, name: str, document_id: str, issue: IngestIssue) -> None:
    load.record_error(
        run.con,
        run_id=run.summary.run_id,
        file_path=name,
        document_id=document_id,
        error_kind="layout",
        severity=issue.severity,
        location=issue.where,
        expected=issue.expected,
        what_to_do=issue.what_to_do,
        at=run.now(),
    )


def _reread_failed(run: _Run, name: str, document_id: str, exc: BaseException) -> None:
    """A re-read that fails keeps the rows the older reader wrote: a warning, not a
    failed file."""
    error = exc if isinstance(exc, IngestError) else unexpected_failure(exc)
    run.record(name, error, document_id=document_id, severity="warning", kind="reread")


def _load_file(run: _Run, path: Path, relative: str) -> None:
    """Record, archive, and (when new, or read by an older reader) read one file;
    IngestError (or anything else) when it cannot be."""
    summary = run.summary
    data = read_capped(path, run.reading.limits)
    document_id = hashlib.sha256(data).hexdigest()
    load.record_sighting(run.con, summary.run_id, safe_text(relative), document_id, run.now())
    summary.files_sighted += 1
    previous = run.loaded.get(document_id)
    try:  # every file seen is archived (again, if its copy went missing)
        archive_path = archive_bytes(run.reading.archive_dir, data, file_format_of(relative))
    except ArchiveError as exc:
        run.tried.add(document_id)
        run.failed(relative, _archive_failure(str(exc)), document_id)
        return
    if document_id in run.tried or (previous is not None and not run.stale(document_id)):
        summary.documents_unchanged += 1
        return
    run.tried.add(document_id)
    # a re-read keeps the name the document was first loaded under
    name = previous.file_path if previous else relative
    try:
        _read_and_store(run, data, name, archive_path=archive_path, previous=previous)
    except Exception as exc:  # any failure of one file is that file's, never the run's
        if previous is not None:
            _reread_failed(run, name, document_id, exc)
        elif isinstance(exc, IngestError):
            run.failed(relative, exc, document_id)
        else:
            run.failed(relative, unexpected_failure(exc), document_id)


def _reread_archived(run: _Run) -> None:
    """Documents whose files left the folder, read by an older reader (or all, on
    ``reread``): read again from their archived bytes."""
    for document_id, previous in sorted(run.loaded.items()):
        if document_id in run.tried or not run.stale(document_id):
            continue
        run.tried.add(document_id)
        name = previous.file_path
        if previous.archive_path is None:
            run.record(
                name,
                _archive_failure(_NOT_ARCHIVED),
                document_id=document_id,
                severity="warning",
                kind="reread",
            )
            continue
        try:
            data = read_archived(run.reading.archive_dir, previous.archive_path, document_id)
            _read_and_store(run, data, name, archive_path=previous.archive_path, previous=previous)
        except ArchiveError as exc:
            _reread_failed(run, name, document_id, _archive_failure(str(exc)))
        except Exception as exc:  # the older rows stay
            _reread_failed(run, name, document_id, exc)


def _bad_name_warning() -> IngestError:
    return IngestError(
        where="file name",
        expected="a file name in UTF-8 (Unicode)",
        what_to_do="the name holds bytes of another encoding, stored here as \\x… escapes; "
        "rename the file with its proper Vietnamese name",
    )


# ---------------------------------------------------------------- the run


def ingest_folder(
    reports_dir: Path,
    warehouse: Path,
    *,
    seeds_dir: Path,
    now: Callable[[], datetime],
    on_file: Callable[[Path], None] | None = None,
    limits: Limits | None = None,
    archive_dir: Path | None = None,
    reread: bool = False,
) -> IngestSummary:
    """Read every report under ``reports_dir`` into ``raw.*`` of ``warehouse``.

    A file that cannot be read or placed, for any reason, is recorded in
    raw.ingest_errors and the run goes on. An unreadable manifest stops the run before
    it starts (nothing could be placed reliably). ``limits`` default to
    ``Limits.from_env(os.environ)`` (the ``CCHC_MAX_…`` variables). Bytes are archived
    in ``archive_dir`` (default: ``archive/`` beside ``warehouse``; the nightly job
    passes the live warehouse's, since it ingests into a copy). ``reread`` reads every
    loaded document again, whatever reader wrote it.
    """
    reading = _Reading(
        load_reference(seeds_dir),
        read_manifest(reports_dir),
        limits or Limits.from_env(os.environ),
        archive_dir or archive_dir_for(warehouse),
        reread,
    )
    summary = IngestSummary(run_id=uuid.uuid4().hex)
    scan = scan_folder(reports_dir)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(warehouse)) as con:
        load.ensure_schema(con)
        load.start_run(con, summary.run_id, safe_text(str(reports_dir)), now())
        run = _Run(con, summary, now, reading, load.loaded_documents(con))
        try:
            for path, refusal in scan.refused:
                run.failed(display_name(path.relative_to(reports_dir).as_posix()), refusal, None)
            for path in scan.files:
                summary.files_seen += 1
                raw_relative = path.relative_to(reports_dir).as_posix()
                relative = display_name(raw_relative)
                if relative != raw_relative:
                    run.record(relative, _bad_name_warning(), severity="warning", kind="file_name")
                try:
                    _load_file(run, path, relative)
                except IngestError as exc:
                    run.failed(relative, exc, None)
                except Exception as exc:  # e.g. the file vanished or cannot be opened
                    run.failed(relative, unexpected_failure(exc), None)
                if on_file:
                    on_file(path)
            _reread_archived(run)
        except BaseException as exc:  # the run itself stopped: say why, then stop
            _finish_failed(run, exc)
            raise
        status = "failed_files" if summary.files_failed else "ok"
        load.finish_run(con, summary.run_id, now(), summary.counts(), status)
    return summary


def _finish_failed(run: _Run, exc: BaseException) -> None:
    reason = IngestError(
        where="ingest run",
        expected="the run to read every file of the folder",
        what_to_do=f"the run stopped ({type(exc).__name__}: {exc}); files before it were "
        "loaded, later ones were not; fix the cause and run ingest again",
    )
    try:
        run.record(RUN_PATH, reason, kind="run_failed")
    finally:
        load.finish_run(run.con, run.summary.run_id, run.now(), run.summary.counts(), "failed")


__all__ = [
    "FolderScan",
    "IngestSummary",
    "ManifestError",
    "ingest_folder",
    "report_files",
    "scan_folder",
]
