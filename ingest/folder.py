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
from ingest.document import read_document
from ingest.errors import FileRefusedError, IngestError, ManifestError, ReaderFailureError
from ingest.limits import Limits, exceeded
from ingest.manifest import MANIFEST_NAME, ManifestEntry, parse_manifest
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
    failures: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "files_seen": self.files_seen,
            "documents_loaded": self.documents_loaded,
            "documents_unchanged": self.documents_unchanged,
            "files_failed": self.files_failed,
            "appendix_rows_loaded": self.appendix_rows_loaded,
            "narrative_facts_loaded": self.narrative_facts_loaded,
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


@dataclass
class _Run:
    con: duckdb.DuckDBPyConnection
    summary: IngestSummary
    now: Callable[[], datetime]

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


def _load_file(
    run: _Run,
    path: Path,
    relative: str,
    *,
    known: set[str],
    reference: ReferenceData,
    manifest: Mapping[str, ManifestEntry],
    limits: Limits,
) -> None:
    """Read and load one file; IngestError (or anything else) when it cannot be."""
    summary = run.summary
    data = read_capped(path, limits)
    document_id = hashlib.sha256(data).hexdigest()
    if document_id in known:
        summary.documents_unchanged += 1
        return
    try:
        doc = read_document(
            io.BytesIO(data),
            source_name=relative,
            reference=reference,
            manifest_entry=manifest.get(relative),
            limits=limits,
        )
        record = document_record(doc) | {
            "document_id": document_id,
            "file_size_bytes": len(data),
            "ingest_run_id": summary.run_id,
            "ingested_at": run.now(),
        }
        rows = appendix_records(doc, document_id)
        facts = narrative_records(doc, document_id)
        load.load_document(run.con, document=record, appendix_rows=rows, narrative_facts=facts)
    except IngestError as exc:
        run.failed(relative, exc, document_id)
        return
    except Exception as exc:  # any failure of one file is that file's, never the run's
        run.failed(relative, unexpected_failure(exc), document_id)
        return
    known.add(document_id)
    for issue in doc.issues:
        load.record_error(
            run.con,
            run_id=summary.run_id,
            file_path=relative,
            document_id=document_id,
            error_kind="layout",
            severity=issue.severity,
            location=issue.where,
            expected=issue.expected,
            what_to_do=issue.what_to_do,
            at=run.now(),
        )
    summary.documents_loaded += 1
    summary.appendix_rows_loaded += len(rows)
    summary.narrative_facts_loaded += len(facts)


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
) -> IngestSummary:
    """Read every report under ``reports_dir`` into ``raw.*`` of ``warehouse``.

    A file that cannot be read or placed, for any reason, is recorded in
    raw.ingest_errors and the run goes on. An unreadable manifest stops the run before
    it starts (nothing could be placed reliably). ``limits`` default to
    ``Limits.from_env(os.environ)`` (the ``CCHC_MAX_…`` variables).
    """
    limits = limits or Limits.from_env(os.environ)
    reference = load_reference(seeds_dir)
    manifest = read_manifest(reports_dir)
    summary = IngestSummary(run_id=uuid.uuid4().hex)
    scan = scan_folder(reports_dir)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(warehouse)) as con:
        load.ensure_schema(con)
        load.start_run(con, summary.run_id, safe_text(str(reports_dir)), now())
        run = _Run(con, summary, now)
        try:
            for path, refusal in scan.refused:
                run.failed(display_name(path.relative_to(reports_dir).as_posix()), refusal, None)
            known = load.known_document_ids(con)
            for path in scan.files:
                summary.files_seen += 1
                raw_relative = path.relative_to(reports_dir).as_posix()
                relative = display_name(raw_relative)
                if relative != raw_relative:
                    run.record(relative, _bad_name_warning(), severity="warning", kind="file_name")
                try:
                    _load_file(
                        run,
                        path,
                        relative,
                        known=known,
                        reference=reference,
                        manifest=manifest,
                        limits=limits,
                    )
                except IngestError as exc:
                    run.failed(relative, exc, None)
                except Exception as exc:  # e.g. the file vanished or cannot be opened
                    run.failed(relative, unexpected_failure(exc), None)
                if on_file:
                    on_file(path)
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
