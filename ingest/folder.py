"""Ingest a folder of reports into the warehouse's raw schema (the I/O edge)."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from ingest import load
from ingest.document import read_document
from ingest.errors import IngestError, ManifestError
from ingest.manifest import MANIFEST_NAME, ManifestEntry, parse_manifest
from ingest.records import appendix_records, document_record, narrative_records
from ingest.reference import load_reference

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


def report_files(reports_dir: Path) -> Iterator[Path]:
    for path in sorted(reports_dir.rglob("*")):
        if path.is_file() and not path.name.startswith(".") and path.name not in IGNORED_NAMES:
            yield path


def read_manifest(reports_dir: Path) -> dict[str, ManifestEntry]:
    path = reports_dir / MANIFEST_NAME
    if not path.exists():
        return {}
    return parse_manifest(path.read_text(encoding="utf-8-sig"), source_name=str(path))


def ingest_folder(
    reports_dir: Path,
    warehouse: Path,
    *,
    seeds_dir: Path,
    now: Callable[[], datetime],
    on_file: Callable[[Path], None] | None = None,
) -> IngestSummary:
    """Read every report under ``reports_dir`` into ``raw.*`` of ``warehouse``.

    A file that cannot be read or placed is recorded in raw.ingest_errors and the run
    goes on. An unreadable manifest stops the run (nothing could be placed reliably).
    """
    reference = load_reference(seeds_dir)
    manifest = read_manifest(reports_dir)
    summary = IngestSummary(run_id=uuid.uuid4().hex)
    files = list(report_files(reports_dir))
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(warehouse)) as con:
        load.ensure_schema(con)
        load.start_run(con, summary.run_id, str(reports_dir), now())
        known = load.known_document_ids(con)
        for path in files:
            summary.files_seen += 1
            relative = path.relative_to(reports_dir).as_posix()
            data = path.read_bytes()
            document_id = hashlib.sha256(data).hexdigest()
            if document_id in known:
                summary.documents_unchanged += 1
                if on_file:
                    on_file(path)
                continue
            try:
                with path.open("rb") as fp:
                    doc = read_document(
                        fp,
                        source_name=relative,
                        reference=reference,
                        manifest_entry=manifest.get(relative),
                    )
            except IngestError as exc:
                summary.files_failed += 1
                summary.failures.append(f"{relative}: {exc}")
                load.record_error(
                    con,
                    run_id=summary.run_id,
                    file_path=relative,
                    document_id=document_id,
                    error_kind=exc.kind,
                    severity="error",
                    location=exc.where,
                    expected=exc.expected,
                    what_to_do=exc.what_to_do,
                    at=now(),
                )
            else:
                record = document_record(doc) | {
                    "document_id": document_id,
                    "file_size_bytes": len(data),
                    "ingest_run_id": summary.run_id,
                    "ingested_at": now(),
                }
                rows = appendix_records(doc, document_id)
                facts = narrative_records(doc, document_id)
                load.load_document(con, document=record, appendix_rows=rows, narrative_facts=facts)
                known.add(document_id)
                for issue in doc.issues:
                    load.record_error(
                        con,
                        run_id=summary.run_id,
                        file_path=relative,
                        document_id=document_id,
                        error_kind="layout",
                        severity=issue.severity,
                        location=issue.where,
                        expected=issue.expected,
                        what_to_do=issue.what_to_do,
                        at=now(),
                    )
                summary.documents_loaded += 1
                summary.appendix_rows_loaded += len(rows)
                summary.narrative_facts_loaded += len(facts)
            if on_file:
                on_file(path)
        status = "failed_files" if summary.files_failed else "ok"
        load.finish_run(con, summary.run_id, now(), summary.counts(), status)
    return summary


__all__ = ["IngestSummary", "ManifestError", "ingest_folder", "report_files"]
