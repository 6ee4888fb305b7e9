"""The version of the reading code, recorded on every document (raw.documents).

When the code that turns a file into raw rows changes (the readers, the layout, the
narrative extractors, the metadata rules, the records), bump ``READER_VERSION``: the
next ingest re-reads every archived document whose rows an older version wrote, into
fresh rows for the same document_id (ingest.folder), so a better reader reaches the
reports already loaded. ``READING_CODE_SHA256`` is the hash of that code when the
version was last bumped; tests/python/test_reader_version.py fails when the code no
longer has that hash, to remind whoever changed it. Print both values to paste with

    .venv/bin/python -m ingest.reader_version

The seeds ingest reads (agency patterns, province and unit aliases, revision wording)
are data, not code: a change there is re-read with ``cchc ingest --reread``.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

READER_VERSION = 5
READING_CODE_SHA256 = "3622ac8894fa3dad48f6b5ca3659ea69e96a511f78349e9b642a400bfd8cb8a3"

PACKAGE_DIR = Path(__file__).resolve().parent
# the code that decides what a file's raw rows are; the I/O edge (folder, load,
# archive, raw_tables), the manifest's syntax and the errors are not reading code
READING_CODE = (
    "readers",
    "narrative",
    "document.py",
    "layout.py",
    "metadata.py",
    "evidence.py",
    "periods.py",
    "model.py",
    "records.py",
    "reference.py",
    "markup.py",
    "encoding.py",
    "legacy_encodings.py",
    "windows.py",
    "numbers.py",
    "cells.py",
)


def reading_code_files(package_dir: Path = PACKAGE_DIR) -> list[Path]:
    files: list[Path] = []
    for name in READING_CODE:
        path = package_dir / name
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return sorted(files)


def reading_code_sha256(package_dir: Path = PACKAGE_DIR) -> str:
    """SHA-256 over the reading code's files (path and text, line endings unified)."""
    digest = hashlib.sha256()
    for path in reading_code_files(package_dir):
        digest.update(path.relative_to(package_dir).as_posix().encode() + b"\0")
        digest.update(path.read_bytes().replace(b"\r\n", b"\n") + b"\0")
    return digest.hexdigest()


def main() -> int:
    current = reading_code_sha256()
    if current == READING_CODE_SHA256:
        print(f"READER_VERSION = {READER_VERSION} is up to date with the reading code")
        return 0
    print(
        "the reading code changed since READER_VERSION was bumped; set in ingest/reader_version.py:"
    )
    print(f"READER_VERSION = {READER_VERSION + 1}")
    print(f'READING_CODE_SHA256 = "{current}"')
    return 1


if __name__ == "__main__":
    sys.exit(main())
