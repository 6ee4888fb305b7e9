"""Marts and quality tables → exports/ as Parquet, CSV (UTF-8 with BOM) and one XLSX."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

EXPORTED_SCHEMAS = ("marts", "quality")
_EXCEL_MAX_ROWS = 1_048_575


DUCKDB1_STORAGE = "v1.4.0"  # tools embedding DuckDB 1.x cannot open 2.0's format


@dataclass(frozen=True)
class ExportSummary:
    tables: tuple[str, ...]
    rows: int
    workbook: Path
    duckdb1_copy: Path


def export_duckdb1_copy(warehouse: Path, target: Path) -> Path:
    """A copy of the whole warehouse in a storage format DuckDB 1.x opens."""
    target.unlink(missing_ok=True)
    with duckdb.connect() as con:
        con.execute("attach ? as live (read_only)", [str(warehouse)])
        con.execute(f"attach ? as copy_v1 (storage_version '{DUCKDB1_STORAGE}')", [str(target)])
        con.execute("copy from database live to copy_v1")
    return target


def exported_tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    return con.execute(
        """
        select table_schema, table_name from information_schema.tables
        where table_schema in ('marts', 'quality')
        order by table_schema, table_name
        """
    ).fetchall()


def export_warehouse(warehouse: Path, exports_dir: Path) -> ExportSummary:
    import pandas as pd  # heavy; only this command needs it

    parquet_dir = exports_dir / "parquet"
    csv_dir = exports_dir / "csv"
    for folder in (parquet_dir, csv_dir):
        folder.mkdir(parents=True, exist_ok=True)
    workbook = exports_dir / "cchc_marts.xlsx"
    names: list[str] = []
    total = 0
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = exported_tables(con)
        with pd.ExcelWriter(workbook, engine="openpyxl") as excel:
            for schema, table in tables:
                name = f"{schema}.{table}"
                frame = con.execute(f'select * from "{schema}"."{table}"').df()
                con.execute(
                    f'copy (select * from "{schema}"."{table}") '
                    f"to '{parquet_dir / f'{name}.parquet'}' (format parquet)"
                )
                frame.to_csv(csv_dir / f"{name}.csv", index=False, encoding="utf-8-sig")
                sheet = f"{schema[0]}_{table}"[:31]
                frame.head(_EXCEL_MAX_ROWS).to_excel(excel, sheet_name=sheet, index=False)
                excel.sheets[sheet].freeze_panes = "A2"
                names.append(name)
                total += len(frame)
    copy = export_duckdb1_copy(warehouse, exports_dir / "cchc_duckdb1.duckdb")
    return ExportSummary(tables=tuple(names), rows=total, workbook=workbook, duckdb1_copy=copy)
