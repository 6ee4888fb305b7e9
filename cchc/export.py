"""Marts and quality tables → exports/: Parquet and CSV (UTF-8 with BOM) written by
DuckDB's own COPY, the officers' workbook (streamed, in Vietnamese), the Ministry's form
filled per agency and province, the reply letters to agencies, and a copy of the
warehouse for DuckDB 1.x.

The analyst tables are every table of ``marts`` and ``quality`` except the reporting
models (``rpt_*``), which only feed the dashboard, the filled forms and the letters; the
CSV/Parquet exports, the officers' workbook and the PostgreSQL publish all take them from
:func:`analyst_tables`.

Safe outputs: a CSV text cell that a spreadsheet would run as a formula (one starting
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading single quote
(OWASP's advice against CSV injection), unless it is a plain number written as text
("-5", "+3,5", "-1.234,5", "-12%"), which a spreadsheet reads as that number and
cannot run. The rule is :func:`csv_safe_text`; the CSV export applies the same rule in
the COPY's SQL (:func:`csv_safe_sql`), so no table passes through Python. DuckDB's CSV
writer writes no byte-order mark: :func:`write_csv` puts one in front (Excel then reads
the file as UTF-8). Parquet and the DuckDB copy keep the text exactly as the warehouse
has it; the workbooks write every text as a text cell (:func:`cchc.workbooks.put`).

Descriptions: each Parquet file carries the table's and its columns' descriptions (the
DuckDB comments that dbt's ``persist_docs`` writes from the models' YAML) as Parquet
key-value metadata: ``description`` for the table, ``description:<column>`` for each
described column (:func:`parquet_descriptions`).

Rewritten only for what changed: each filled form and letter has a content hash of what
it shows (and of the code that lays it out) in its folder's ``index.csv``; a file whose
hash is the one in the previous run's index is hard-linked from there (or kept) instead
of being written again (:class:`Reuse`).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

EXPORTED_SCHEMAS = ("marts", "quality")
REPORTING_PREFIX = "rpt_"  # dbt's models/marts/reporting: the tools' inputs, not exported
# quality.rule_eval_<family>: each family's checks, all of them in quality.rule_evaluations
FAMILY_EVALUATION_PREFIX = "rule_eval_"


DUCKDB1_STORAGE = "v1.4.0"  # tools embedding DuckDB 1.x cannot open 2.0's format

# what a spreadsheet takes for the start of a formula (OWASP: CSV injection)
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# a number written as text: sign, digits with . or , separators, optional percent sign
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d+)*|[.,]\d+)%?")

BOM = b"\xef\xbb\xbf"
_COPY_CHUNK = 1 << 20
INDEX_FILE = "index.csv"


def quiet(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """No progress bar: a COPY longer than 2 s would draw DuckDB's on the terminal (and
    in cron's mail)."""
    con.execute("set enable_progress_bar = false")
    return con


def read_warehouse(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """The warehouse opened read-only, without a progress bar."""
    return quiet(duckdb.connect(str(warehouse), read_only=True))


@dataclass(frozen=True)
class ExportSummary:
    tables: tuple[str, ...]
    rows: int
    workbook: Path
    duckdb1_copy: Path
    forms: tuple[Path, ...] = ()
    letters: tuple[Path, ...] = ()
    written: int = 0  # forms and letters written this time
    reused: int = 0  # forms and letters unchanged since the previous run (linked or kept)


def csv_safe_text(value: str) -> str:
    """The text as a CSV cell no spreadsheet runs: a leading ``'`` before text that
    starts like a formula and is not a plain number."""
    if value.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _sql_char(char: str) -> str:
    return _sql_text(char) if char.isprintable() else f"chr({ord(char)})"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def csv_safe_sql(column_sql: str) -> str:
    """:func:`csv_safe_text` as a SQL expression over a text column."""
    triggers = ", ".join(_sql_char(char) for char in FORMULA_TRIGGERS)
    number = _sql_text(_PLAIN_NUMBER.pattern)
    quote = _sql_text("'")
    return (
        f"case when left({column_sql}, 1) in ({triggers}) "
        f"and not regexp_full_match({column_sql}, {number}) "
        f"then {quote} || {column_sql} else {column_sql} end"
    )


def csv_select(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> str:
    """The query a table's CSV is copied from: every column, its text made safe."""
    columns = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_catalog = current_database() and table_schema = ? and table_name = ? "
        "order by ordinal_position",
        [schema, table],
    ).fetchall()
    parts = [
        f"{csv_safe_sql(_ident(name))} as {_ident(name)}" if kind == "VARCHAR" else _ident(name)
        for name, kind in columns
    ]
    return f"select {', '.join(parts) or '*'} from {_ident(schema)}.{_ident(table)}"


def write_csv(con: duckdb.DuckDBPyConnection, schema: str, table: str, out_file: Path) -> int:
    """A table as CSV by DuckDB's COPY (a header, commas, double quotes), its text made
    safe, with a UTF-8 byte-order mark put in front; returns the rows written."""
    part = out_file.with_name(out_file.name + ".part")
    ((rows,),) = con.execute(
        f"copy ({csv_select(con, schema, table)}) to ? (format csv, header true)", [str(part)]
    ).fetchall()
    with out_file.open("wb") as target, part.open("rb") as source:
        target.write(BOM)
        shutil.copyfileobj(source, target, _COPY_CHUNK)
    part.unlink()
    return int(rows)


TABLE_DESCRIPTION_KEY = "description"
COLUMN_DESCRIPTION_PREFIX = "description:"


def parquet_descriptions(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> dict[str, str]:
    """The Parquet key-value metadata of a table: its comment and its columns' comments."""
    found: dict[str, str] = {}
    table_comment = con.execute(
        "select comment from duckdb_tables() where database_name = current_database() "
        "and schema_name = ? and table_name = ?",
        [schema, table],
    ).fetchone()
    if table_comment and table_comment[0]:
        found[TABLE_DESCRIPTION_KEY] = table_comment[0]
    for column, comment in con.execute(
        "select column_name, comment from duckdb_columns() where database_name = "
        "current_database() and schema_name = ? and table_name = ? and comment is not null "
        "and comment <> '' order by column_index",
        [schema, table],
    ).fetchall():
        found[COLUMN_DESCRIPTION_PREFIX + column] = comment
    return found


def parquet_copy_options(metadata: dict[str, str]) -> str:
    """COPY options for a Parquet file with ``metadata`` as its key-value metadata."""
    if not metadata:
        return "format parquet"
    pairs = ", ".join(f"{_sql_text(key)}: {_sql_text(value)}" for key, value in metadata.items())
    return f"format parquet, kv_metadata {{{pairs}}}"


# ------------------------------------------------------------- rewrite what changed


def content_hash(*parts: Any) -> str:
    """SHA-256 of what a file shows: its data (as JSON, keys sorted) and its layout."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def code_hash(*files: str | Path) -> str:
    """SHA-256 of the source files that lay a kind of file out: changing them rewrites
    every file of that kind."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def read_index(path: Path) -> dict[str, str]:
    """file → content_hash of an ``index.csv`` (empty when there is none)."""
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as fp:
        return {
            row["file"]: row.get("content_hash") or ""
            for row in csv.DictReader(fp)
            if row.get("file")
        }


def write_index(path: Path, rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> None:
    """An ``index.csv`` (UTF-8 with BOM, text made safe) of the files in a folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    with part.open("w", encoding="utf-8-sig", newline="") as fp:
        writer = csv.DictWriter(fp, fieldnames=list(columns))
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {key: csv_safe_text(v) if isinstance(v, str) else v for key, v in row.items()}
            )
    part.replace(path)


@dataclass
class Reuse:
    """The previous run's files of one output folder and their hashes (its index.csv):
    a file whose hash is unchanged is hard-linked from there (copied across file
    systems), or kept when the folder is the same one; any other is written."""

    folder: Path
    previous_folder: Path | None
    previous: Mapping[str, str] = field(default_factory=dict)
    written: int = 0
    reused: int = 0

    @classmethod
    def of(cls, folder: Path, previous_folder: Path | None = None) -> Reuse:
        folder = Path(folder)
        source = Path(previous_folder) if previous_folder is not None else folder
        return cls(folder, source, read_index(source / INDEX_FILE))

    def place(self, relative: str, digest: str, write: Callable[[Path], None]) -> Path:
        """``folder/relative``: reused when its hash is ``digest`` in the previous
        index, else written by ``write(path)`` (to a part file, then renamed)."""
        target = self.folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        before = self.previous_folder / relative if self.previous_folder else None
        if before is not None and self.previous.get(relative) == digest and before.is_file():
            if before.resolve() != target.resolve():
                target.unlink(missing_ok=True)
                try:
                    os.link(before, target)
                except OSError:
                    shutil.copy2(before, target)
            self.reused += 1
            return target
        part = target.with_name(target.name + ".part")
        write(part)
        part.replace(target)
        self.written += 1
        return target

    def remove_stale(self, kept: set[str]) -> None:
        """In a folder rewritten in place: the files its old index listed that this run
        did not produce (a finding corrected, a form no longer filled)."""
        if self.previous_folder is None or not self.folder.exists():
            return
        if self.previous_folder.resolve() != self.folder.resolve():
            return
        for relative in self.previous:
            if relative not in kept:
                (self.folder / relative).unlink(missing_ok=True)


# ------------------------------------------------------------------------- exports


def export_duckdb1_copy(warehouse: Path, target: Path) -> Path:
    """A copy of the whole warehouse in a storage format DuckDB 1.x opens."""
    target.unlink(missing_ok=True)
    with quiet(duckdb.connect()) as con:
        con.execute("attach ? as live (read_only)", [str(warehouse)])
        con.execute(f"attach ? as copy_v1 (storage_version '{DUCKDB1_STORAGE}')", [str(target)])
        con.execute("copy from database live to copy_v1")
    return target


def is_analyst_table(schema: str, table: str) -> bool:
    """Exported, in the workbook and published: the marts and quality tables, except the
    reporting models and the per-family evaluations (rule_evaluations holds every row)."""
    return schema in EXPORTED_SCHEMAS and not table.startswith(
        (REPORTING_PREFIX, FAMILY_EVALUATION_PREFIX)
    )


def analyst_tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(schema, table) of every analyst table, in schema and name order."""
    rows = con.execute(
        """
        select table_schema, table_name from information_schema.tables
        where table_catalog = current_database() and table_schema in ('marts', 'quality')
        order by table_schema, table_name
        """
    ).fetchall()
    return [(schema, table) for schema, table in rows if is_analyst_table(schema, table)]


def export_warehouse(
    warehouse: Path,
    exports_dir: Path,
    *,
    project_dir: Path,
    manifest: Path | None = None,
    letters: bool = True,
    previous_exports: Path | None = None,
    today: dt.date | None = None,
    max_sheet_rows: int | None = None,
) -> ExportSummary:
    """Every export of the warehouse into ``exports_dir``. ``previous_exports`` is the
    previous run's exports folder (default ``exports_dir`` itself): the forms and
    letters whose content has not changed are taken from there. ``today`` dates the
    letters (default: the system's date)."""
    from cchc.forms import write_form_workbooks
    from cchc.letters import write_letters
    from cchc.manifest import load_project
    from cchc.workbooks import EXCEL_MAX_ROWS, officer_descriptions, write_officer_workbook

    exports_dir = Path(exports_dir)
    previous = Path(previous_exports) if previous_exports is not None else exports_dir
    parquet_dir = exports_dir / "parquet"
    csv_dir = exports_dir / "csv"
    for folder in (parquet_dir, csv_dir):
        folder.mkdir(parents=True, exist_ok=True)
    names: list[str] = []
    total = 0
    with read_warehouse(warehouse) as con:
        for schema, table in analyst_tables(con):
            name = f"{schema}.{table}"
            relation = f"{_ident(schema)}.{_ident(table)}"
            options = parquet_copy_options(parquet_descriptions(con, schema, table))
            con.execute(
                f"copy (select * from {relation}) to ? ({options})",
                [str(parquet_dir / f"{name}.parquet")],
            )
            total += write_csv(con, schema, table, csv_dir / f"{name}.csv")
            names.append(name)
    docs = load_project(project_dir, manifest)
    workbook = exports_dir / "cchc_marts.xlsx"
    write_officer_workbook(
        warehouse,
        workbook,
        column_labels=docs.labels("vi"),
        descriptions=officer_descriptions(docs),
        max_rows=max_sheet_rows or EXCEL_MAX_ROWS,
    )
    form_reuse = Reuse.of(exports_dir / "forms", previous / "forms")
    forms = write_form_workbooks(warehouse, exports_dir, reuse=form_reuse)
    letter_reuse = Reuse.of(exports_dir / "letters", previous / "letters")
    letter_paths: list[Path] = []
    if letters:
        letter_paths = write_letters(
            warehouse,
            exports_dir / "letters",
            today=today or dt.date.today(),
            reuse=letter_reuse,
        )
    copy = export_duckdb1_copy(warehouse, exports_dir / "cchc_duckdb1.duckdb")
    return ExportSummary(
        tables=tuple(names),
        rows=total,
        workbook=workbook,
        duckdb1_copy=copy,
        forms=tuple(forms),
        letters=tuple(letter_paths),
        written=form_reuse.written + letter_reuse.written,
        reused=form_reuse.reused + letter_reuse.reused,
    )
