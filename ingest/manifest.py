"""``manifest.csv`` in the reports folder: states or overrides metadata per file.

One row per file; the ``file`` column is the path relative to the reports folder.
Empty cells mean "detect it". Lines starting with ``#`` are comments.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from ingest.errors import ManifestError
from ingest.model import DocumentMeta

MANIFEST_NAME = "manifest.csv"
FIELDS = DocumentMeta.field_names()
PERIOD_TYPES = ("quarter", "half_year", "nine_months", "year", "plan")
DOCUMENT_KINDS = ("periodic_report", "plan")
REVISION_KINDS = ("original", "replacement", "supplement")
_INTEGERS = ("period_year", "period_number", "period_end_year")


@dataclass(frozen=True)
class ManifestEntry:
    file: str
    line_no: int
    values: dict[str, str | int]


def parse_manifest(text: str, *, source_name: str = MANIFEST_NAME) -> dict[str, ManifestEntry]:
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    header = reader.fieldnames or []
    unknown = [name for name in header if name not in ("file", *FIELDS)]
    if "file" not in header or unknown:
        raise ManifestError(
            where=f"{source_name}, header",
            expected=f"columns file, {', '.join(FIELDS)}",
            what_to_do=f"rename or remove the columns {unknown or ['(file is missing)']}",
        )
    entries: dict[str, ManifestEntry] = {}
    for line_no, row in enumerate(reader, start=2):
        file = (row.get("file") or "").strip()
        if not file:
            continue
        values: dict[str, str | int] = {}
        for name in FIELDS:
            raw = (row.get(name) or "").strip()
            if raw:
                values[name] = _check(name, raw, f"{source_name}, line {line_no}")
        entries[file] = ManifestEntry(file, line_no, values)
    return entries


def _check(name: str, raw: str, where: str) -> str | int:
    if name in _INTEGERS:
        if not raw.isdigit():
            raise ManifestError(
                where=f"{where}, column {name}",
                expected="a whole number",
                what_to_do=f"write {name} as digits, e.g. 2023 (found {raw!r})",
            )
        return int(raw)
    if name == "period_type" and raw not in PERIOD_TYPES:
        raise ManifestError(
            where=f"{where}, column period_type",
            expected=" / ".join(PERIOD_TYPES),
            what_to_do=f"use one of these (found {raw!r})",
        )
    if name == "document_kind" and raw not in DOCUMENT_KINDS:
        raise ManifestError(
            where=f"{where}, column document_kind",
            expected=" / ".join(DOCUMENT_KINDS),
            what_to_do=f"use one of these (found {raw!r})",
        )
    if name == "revision_kind" and raw not in REVISION_KINDS:
        raise ManifestError(
            where=f"{where}, column revision_kind",
            expected=" / ".join(REVISION_KINDS),
            what_to_do=f"use one of these (found {raw!r})",
        )
    if name == "report_date":
        try:
            date.fromisoformat(raw)
        except ValueError as exc:
            raise ManifestError(
                where=f"{where}, column report_date",
                expected="an ISO date YYYY-MM-DD",
                what_to_do=f"write the date as e.g. 2023-03-15 (found {raw!r})",
            ) from exc
    return raw


def manifest_line(file: str, missing: list[str]) -> str:
    """The line a user adds to manifest.csv for a file whose metadata is missing."""
    cells = [file] + [f"<{name}>" if name in missing else "" for name in FIELDS]
    return ",".join(cells)
