"""Every ingested file's bytes, kept beside the warehouse by their hash (the I/O edge).

``<archive dir>/<sha256[:2]>/<sha256>.<ext>``, the archive dir being ``archive/`` beside
the live warehouse. A file is written once, atomically (a temporary file in the same
folder, flushed, then renamed), and never overwritten: the same hash is the same
bytes. So every document's source lines can be opened again, and re-read by a newer
reader, whatever later happens to the reports folder (a file changed in place is a new
document with a new hash; the old version keeps its archived bytes).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path, PurePosixPath

ARCHIVE_DIR_NAME = "archive"


class ArchiveError(OSError):
    """The archive cannot keep or give back a file's bytes."""


def archive_dir_for(warehouse: Path) -> Path:
    """The archive beside a (live) warehouse file."""
    return warehouse.parent / ARCHIVE_DIR_NAME


def relative_path(document_id: str, file_format: str) -> str:
    """Where a document's bytes are, relative to the archive's parent (the warehouse's
    folder): what raw.documents.archive_path stores."""
    suffix = f".{file_format}" if file_format else ""
    return str(PurePosixPath(ARCHIVE_DIR_NAME, document_id[:2], document_id + suffix))


def archive_bytes(archive_dir: Path, data: bytes, file_format: str) -> str:
    """Keep ``data`` in the archive (if it is not there already); its archive_path."""
    document_id = hashlib.sha256(data).hexdigest()
    relative = relative_path(document_id, file_format)
    target = archive_dir.parent / relative
    if target.exists() and target.stat().st_size == len(data):
        return relative
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=".incoming-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fp:
            fp.write(data)
            fp.flush()
            os.fsync(fp.fileno())
        if target.exists() and target.stat().st_size == len(data):
            return relative  # another writer finished it first: same hash, same bytes
        os.replace(temporary, target)
    except OSError as exc:
        raise ArchiveError(
            f"cannot keep a copy of the file in the archive {archive_dir} ({exc}); free "
            "space there or make it writable, then run ingest again"
        ) from exc
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return relative


def read_archived(archive_dir: Path, archive_path: str, document_id: str) -> bytes:
    """The archived bytes of a document, checked against its hash."""
    path = archive_dir.parent / archive_path
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ArchiveError(
            f"the archived copy {path} of document {document_id[:12]}… cannot be read ({exc})"
        ) from exc
    if hashlib.sha256(data).hexdigest() != document_id:
        raise ArchiveError(
            f"the archived copy {path} does not hold the bytes of document "
            f"{document_id[:12]}… (its hash differs); restore it from a backup"
        )
    return data
