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
import multiprocessing
import os
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from ingest import load
from ingest import reading as reading_module
from ingest.archive import ArchiveError, archive_bytes, archive_dir_for, read_archived
from ingest.document import file_format_of
from ingest.duckdb_settings import configure_duckdb
from ingest.errors import FileRefusedError, IngestError, ManifestError
from ingest.limits import Limits, exceeded
from ingest.manifest import MANIFEST_NAME, ManifestEntry, parse_manifest
from ingest.model import IngestIssue
from ingest.reader_version import READER_VERSION
from ingest.reading import ReadFailure, ReadRecords, unexpected_failure
from ingest.records import DocumentSightingRecord, IngestErrorRecord
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


@dataclass(frozen=True)
class _Reading:
    """What one run reads with: the seeds' reference data, the manifest, the limits, the
    archive, and whether every loaded document is to be read again."""

    reference: ReferenceData
    manifest: Mapping[str, ManifestEntry]
    limits: Limits
    archive_dir: Path
    reread: bool = False


@dataclass(frozen=True)
class _Pending:
    """A file handed to a reader: what its outcome is stored with."""

    future: Future[ReadRecords | ReadFailure]
    task: tuple[bytes, str, str, ManifestEntry | None]  # data, name, document_id, entry
    name: str
    document_id: str
    file_size_bytes: int
    archive_path: str
    previous: load.LoadedDocument | None


@dataclass
class _Batch:
    """Read documents and the run's rows waiting to be written together."""

    documents: list[tuple[load.DocumentRows, str, tuple[IngestIssue, ...]]] = field(
        default_factory=list
    )
    rows: int = 0
    errors: list[IngestErrorRecord] = field(default_factory=list)
    sightings: list[DocumentSightingRecord] = field(default_factory=list)


class _Readers:
    """Where files are read: in this process, or in a pool of reader processes started
    on first use (spawned: they share nothing with the writer's DuckDB connection).
    Outcomes are taken in the order files were handed over, at most ``in_flight`` ahead,
    so memory holds a few files' rows whatever the folder's size."""

    def __init__(self, reading: _Reading, workers: int) -> None:
        self.reading = reading
        self.workers = workers
        self.in_flight = 2 * workers + 1
        self._pool: ProcessPoolExecutor | None = None

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=reading_module.start_reader,
            initargs=(self.reading.reference, self.reading.limits),
        )

    def submit(
        self, task: tuple[bytes, str, str, ManifestEntry | None]
    ) -> Future[ReadRecords | ReadFailure]:
        if self.workers <= 1:
            future: Future[ReadRecords | ReadFailure] = Future()
            data, name, document_id, entry = task
            future.set_result(
                reading_module.read_records(
                    data,
                    name,
                    document_id,
                    reference=self.reading.reference,
                    manifest_entry=entry,
                    limits=self.reading.limits,
                )
            )
            return future
        if self._pool is None:
            self._pool = self._new_pool()
        return self._pool.submit(reading_module.read_in_reader, *task)

    def outcome(self, pending: _Pending) -> ReadRecords | ReadFailure:
        """The file's outcome; a reader process that died on it (killed when out of
        memory, say) is the file's failure once it also kills a fresh reader alone."""
        try:
            return pending.future.result()
        except BrokenProcessPool:
            pass
        self.close()  # every file in flight failed with the broken pool: each read again
        self._pool = self._new_pool()
        try:
            return self._pool.submit(reading_module.read_in_reader, *pending.task).result()
        except BrokenProcessPool:
            self.close()
            return ReadFailure(
                "reader_failure",
                "whole file",
                "a report the readers can read to the end",
                "the process reading it stopped (killed, most likely for using too much "
                "memory); the other files were loaded. Open the file and save it again, or "
                "lower the reading limits (CCHC_MAX_…) so it is refused with a reason",
            )

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


@dataclass
class _Run:
    con: duckdb.DuckDBPyConnection
    summary: IngestSummary
    now: Callable[[], datetime]
    reading: _Reading
    loaded: dict[str, load.LoadedDocument] = field(default_factory=dict)
    tried: set[str] = field(default_factory=set)  # loaded, re-read or failed this run
    readers: _Readers | None = None
    pending: deque[_Pending] = field(default_factory=deque)
    batch: _Batch = field(default_factory=_Batch)

    def record(
        self,
        file_path: str,
        exc: IngestError,
        *,
        document_id: str | None = None,
        severity: str = "error",
        kind: str | None = None,
    ) -> None:
        self.batch.errors.append(
            IngestErrorRecord(
                ingest_run_id=self.summary.run_id,
                file_path=safe_text(file_path),
                document_id=document_id,
                error_kind=kind or exc.kind,
                severity=severity,
                location=safe_text(exc.where),
                expected=safe_text(exc.expected),
                what_to_do=safe_text(exc.what_to_do),
                recorded_at=self.now(),
            )
        )

    def failed(self, file_path: str, exc: IngestError, document_id: str | None) -> None:
        self.summary.files_failed += 1
        self.summary.failures.append(safe_text(f"{file_path}: {exc}"))
        self.record(file_path, exc, document_id=document_id)

    def stale(self, document_id: str) -> bool:
        """An older reader wrote this loaded document's rows (or a re-read was asked)."""
        version = self.loaded[document_id].reader_version
        return self.reading.reread or version is None or version < READER_VERSION

    def sighted(self, file_path: str, document_id: str) -> None:
        self.batch.sightings.append(
            DocumentSightingRecord(
                ingest_run_id=self.summary.run_id,
                file_path=file_path,
                document_id=document_id,
                seen_at=self.now(),
            )
        )
        self.summary.files_sighted += 1

    # -------------------------------------------------------- reading and writing

    def submit(
        self, data: bytes, name: str, *, archive_path: str, previous: load.LoadedDocument | None
    ) -> None:
        """Hand one file's bytes to a reader; its outcome is stored in turn."""
        assert self.readers is not None
        document_id = hashlib.sha256(data).hexdigest()
        task = (data, name, document_id, self.reading.manifest.get(name))
        future = self.readers.submit(task)
        self.pending.append(
            _Pending(future, task, name, document_id, len(data), archive_path, previous)
        )
        while len(self.pending) > self.readers.in_flight:
            self._settle(self.pending.popleft())

    def drain(self) -> None:
        """Every file in flight settled and everything written."""
        while self.pending:
            self._settle(self.pending.popleft())
        self.flush()

    def _settle(self, pending: _Pending) -> None:
        assert self.readers is not None
        outcome = self.readers.outcome(pending)
        if isinstance(outcome, ReadFailure):
            error = outcome.error()
            if pending.previous is not None:
                _reread_failed(self, pending.name, pending.document_id, error)
            else:
                self.failed(pending.name, error, pending.document_id)
            return
        at = self.now()
        previous = pending.previous
        record = outcome.document | {
            "document_id": pending.document_id,
            "file_size_bytes": pending.file_size_bytes,
            "archive_path": pending.archive_path,
            # a re-read keeps the first load's run and time: the version's place in its report
            "ingest_run_id": previous.ingest_run_id if previous else self.summary.run_id,
            "ingested_at": previous.ingested_at if previous else at,
            "reader_version": READER_VERSION,
            "read_at": at,
        }
        rows = load.DocumentRows(record, outcome.appendix_rows, outcome.narrative_facts)
        if previous is not None:  # a re-read: rare, replaced at once
            try:
                load.replace_document(
                    self.con,
                    document=rows.document,
                    appendix_rows=rows.appendix_rows,
                    narrative_facts=rows.narrative_facts,
                )
            except Exception as exc:  # the older rows stay
                _reread_failed(self, pending.name, pending.document_id, exc)
                return
            self._stored(rows, pending.name, outcome.issues, reread=True)
            return
        self.batch.documents.append((rows, pending.name, outcome.issues))
        self.batch.rows += 1 + len(rows.appendix_rows) + len(rows.narrative_facts)
        if len(self.batch.documents) >= BATCH_DOCUMENTS or self.batch.rows >= BATCH_ROWS:
            self.flush()

    def _stored(
        self, rows: load.DocumentRows, name: str, issues: tuple[IngestIssue, ...], *, reread: bool
    ) -> None:
        if reread:
            self.summary.documents_reread += 1
        else:
            self.summary.documents_loaded += 1
        document_id = rows.document["document_id"]
        for issue in issues:
            _record_issue(self, name, document_id, issue)
        self.summary.appendix_rows_loaded += len(rows.appendix_rows)
        self.summary.narrative_facts_loaded += len(rows.narrative_facts)

    def flush(self) -> None:
        """Write the batch: its documents in one transaction (one at a time when that
        fails, so only the file at fault fails), then its sightings and error rows."""
        batch, self.batch = self.batch, _Batch()
        stored = batch.documents
        if batch.documents:
            try:
                load.load_documents(self.con, [rows for rows, _, _ in batch.documents])
            except Exception:
                stored = []
                for rows, name, issues in batch.documents:
                    try:
                        load.load_documents(self.con, [rows])
                    except Exception as exc:
                        self.failed(name, unexpected_failure(exc), rows.document["document_id"])
                        continue
                    stored.append((rows, name, issues))
        for rows, name, issues in stored:
            self._stored(rows, name, issues, reread=False)
        load.record_sightings(self.con, batch.sightings)
        errors, self.batch.errors = batch.errors + self.batch.errors, []
        load.record_errors(self.con, errors)


#: a batch is written when it holds this many documents or rows (bounded memory)
BATCH_DOCUMENTS = 200
BATCH_ROWS = 20_000


def ingest_workers() -> int:
    """Reader processes (env CCHC_INGEST_WORKERS; default: the cores this process may use)."""
    value = os.environ.get("CCHC_INGEST_WORKERS", "").strip()
    if value:
        if not value.isdigit() or int(value) < 1:
            raise IngestSettingError(
                f"CCHC_INGEST_WORKERS={value!r}: expected a whole number of processes ≥ 1"
            )
        return int(value)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class IngestSettingError(ValueError):
    """CCHC_INGEST_WORKERS that is not a whole number ≥ 1."""


#: below this many files a folder is read in the writer's process (a pool's start-up,
#: ~1 s per reader, would cost more than it saves)
POOL_MIN_FILES = 16


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


def _record_issue(run: _Run, name: str, document_id: str, issue: IngestIssue) -> None:
    run.batch.errors.append(
        IngestErrorRecord(
            ingest_run_id=run.summary.run_id,
            file_path=name,
            document_id=document_id,
            error_kind="layout",
            severity=issue.severity,
            location=issue.where,
            expected=issue.expected,
            what_to_do=issue.what_to_do,
            recorded_at=run.now(),
        )
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
    run.sighted(safe_text(relative), document_id)
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
    run.submit(data, name, archive_path=archive_path, previous=previous)


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
        except ArchiveError as exc:
            _reread_failed(run, name, document_id, _archive_failure(str(exc)))
            continue
        except Exception as exc:  # the older rows stay
            _reread_failed(run, name, document_id, exc)
            continue
        run.submit(data, name, archive_path=previous.archive_path, previous=previous)


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
    workers = ingest_workers() if len(scan.files) >= POOL_MIN_FILES else 1
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(warehouse)) as con, closing(_Readers(reading, workers)) as readers:
        configure_duckdb(con, warehouse)
        load.ensure_schema(con)
        load.start_run(con, summary.run_id, safe_text(str(reports_dir)), now())
        run = _Run(con, summary, now, reading, load.loaded_documents(con), readers=readers)
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
            run.drain()
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
        run.flush()  # what was read before the stop is kept
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
