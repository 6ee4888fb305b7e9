"""Reply letters: one .docx per agency and period with findings or missing items, asking
it to review and complete its report (công văn đề nghị rà soát, bổ sung số liệu).

What goes into a letter is decided in dbt (``marts.rpt_letter_items``: open findings of
``quality.rule_results``, required items left out, reports not sent); this module groups
those rows into letters, words each item (:func:`item_text`, Vietnamese numbers by
:func:`format_number_vi`) and writes them under
``letters/<province>/<period>/<agency>.docx`` with ``letters/index.csv`` (one row per
letter: province, period, agency, how many findings and missing items, the file and its
content hash). The layout of a letter is :mod:`cchc.letters_docx`.

The letter is the province's Department of Home Affairs' (Sở Nội vụ), in the
administrative document format of Decree 30/2020/NĐ-CP (shared/domain/DOCUMENTS.md): the
superior body and the sending body, the national motto, the number line
``Số: …/SNV-CCHC``, place and date (day and month left for the signer, as drafts are),
the subject ``V/v rà soát, bổ sung số liệu báo cáo CCHC <kỳ>``, ``Kính gửi: <agency>``,
the findings with their figures and source, the missing items, the closing, the
recipients (``Nơi nhận``) and the signature block. The warehouse is only read.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import duckdb

from cchc.errors import StepFailed
from cchc.export import INDEX_FILE, Reuse, code_hash, content_hash, read_warehouse, write_index
from cchc.workbooks import slugify

LETTER_MODEL = "rpt_letter_items"
SENDER = "SỞ NỘI VỤ"
NUMBER_LINE = "Số:        /SNV-CCHC"
INDEX_COLUMNS = (
    "province_name_vi",
    "period_key",
    "period_label_vi",
    "agency_name_vi",
    "agency_key",
    "findings",
    "missing_items",
    "file",
    "content_hash",
)


@dataclass(frozen=True)
class LetterItem:
    """One row of ``marts.rpt_letter_items``."""

    item_kind: str  # finding, missing_item, missing_report
    rule_id: str
    rule_text_vi: str
    rule_family_vi: str | None
    severity_vi: str | None
    bnv_code: str | None
    indicator_name_vi: str | None
    value_type: str | None
    reported_value: float | None
    expected_value: float | None
    file_path: str | None
    source_lines: str | None
    message_vi: str | None


@dataclass(frozen=True)
class Letter:
    """One letter: to one agency about one period, from its province's Sở Nội vụ."""

    province_key: str
    province_name_vi: str
    province_title_vi: str
    period_key: str
    period_label_vi: str
    due_date: dt.date | None
    agency_key: str | None
    agency_name_vi: str
    items: tuple[LetterItem, ...]

    @property
    def findings(self) -> tuple[LetterItem, ...]:
        return tuple(i for i in self.items if i.item_kind == "finding")

    @property
    def missing(self) -> tuple[LetterItem, ...]:
        return tuple(i for i in self.items if i.item_kind != "finding")

    @property
    def relative_path(self) -> str:
        return (
            f"{slugify(self.province_name_vi)}/{self.period_key}/"
            f"{slugify(self.agency_name_vi)}.docx"
        )


# ------------------------------------------------------------------------- wording


def format_number_vi(value: float | int | None, *, decimals: int = 2) -> str:
    """A number as Vietnamese write it: ``.`` between thousands, ``,`` before decimals,
    at most ``decimals`` places and no trailing zeros (1855 → 1.855; 83.333 → 83,33)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def figure_vi(value: float | None, value_type: str | None) -> str:
    """A figure with its percent sign when it is a percentage."""
    text = format_number_vi(value)
    return f"{text}%" if value is not None and value_type == "percent" else text


def source_vi(item: LetterItem) -> str:
    """Where the figures are: the file and its lines."""
    if not item.file_path:
        return "—"
    lines = f", dòng {item.source_lines}" if item.source_lines else ""
    return f"Tệp {item.file_path}{lines}"


def indicator_vi(item: LetterItem) -> str:
    if item.bnv_code and item.indicator_name_vi:
        return f"Chỉ tiêu {item.bnv_code} “{item.indicator_name_vi}”"
    if item.indicator_name_vi:
        return f"Chỉ tiêu “{item.indicator_name_vi}”"
    return ""


def item_text(item: LetterItem, letter: Letter) -> str:
    """One item in words: the rule, the figures and what they should be, the source."""
    if item.item_kind == "missing_report":
        due = f" (hạn gửi {letter.due_date:%d/%m/%Y})" if letter.due_date else ""
        return (
            f"Chưa nhận được báo cáo kết quả công tác cải cách hành chính "
            f"{letter.period_label_vi}{due}."
        )
    parts = [p for p in (indicator_vi(item), item.message_vi) if p]
    return ". ".join(part.rstrip(".") for part in parts) + "."


def letters_from_rows(rows: Iterable[Mapping[str, Any]]) -> list[Letter]:
    """Group ``rpt_letter_items`` rows (ordered by letter and item) into letters."""
    grouped: dict[str, tuple[Mapping[str, Any], list[LetterItem]]] = {}
    for row in rows:
        entry = grouped.setdefault(row["letter_key"], (row, []))
        entry[1].append(
            LetterItem(**{name: row.get(name) for name in LetterItem.__dataclass_fields__})
        )
    letters = []
    for first, items in grouped.values():
        letters.append(
            Letter(
                province_key=first["province_key"],
                province_name_vi=first["province_name_vi"] or first["province_key"],
                province_title_vi=first["province_title_vi"] or first["province_key"],
                period_key=first["period_key"],
                period_label_vi=first["period_label_vi"] or first["period_key"],
                due_date=first["due_date"],
                agency_key=first["agency_key"],
                agency_name_vi=first["agency_name_vi"],
                items=tuple(items),
            )
        )
    return letters


def read_letters(con: duckdb.DuckDBPyConnection, warehouse: Path) -> list[Letter]:
    present = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'marts' and table_name = ?",
        [LETTER_MODEL],
    ).fetchone()[0]
    if not present:
        raise StepFailed(
            f"{warehouse}: no marts.{LETTER_MODEL} — the reply letters read it; run "
            "`cchc build` first (or `cchc export --no-letters`)"
        )
    cursor = con.execute(
        f"select * from marts.{LETTER_MODEL} "
        "order by province_name_vi, period_key, agency_name_vi, letter_key, item_order"
    )
    names = [d[0] for d in cursor.description]
    return letters_from_rows(dict(zip(names, row, strict=True)) for row in cursor.fetchall())


# ------------------------------------------------------------------------- writing

_LAYOUT_FILES = (__file__, str(Path(__file__).with_name("letters_docx.py")))


def letter_hash(letter: Letter, today: dt.date) -> str:
    """What one letter shows (its items, its year) and the code that lays it out."""
    return content_hash(code_hash(*_LAYOUT_FILES), asdict(letter), today.year)


def write_letters(
    warehouse: Path,
    letters_dir: Path,
    *,
    today: dt.date,
    reuse: Reuse | None = None,
) -> list[Path]:
    """Every letter of the warehouse under ``letters_dir`` and ``letters_dir/index.csv``;
    a letter whose content hash is the one ``reuse`` has from the previous run is not
    written again. Returns the letters' paths."""
    from cchc.letters_docx import render_letter

    letters_dir = Path(letters_dir)
    letters_dir.mkdir(parents=True, exist_ok=True)
    reuse = reuse or Reuse.of(letters_dir)
    with read_warehouse(warehouse) as con:
        letters = read_letters(con, warehouse)
    paths: list[Path] = []
    index: list[dict[str, Any]] = []
    used: set[str] = set()
    for letter in letters:
        relative = letter.relative_path
        if relative in used:  # two agencies whose names fold alike
            relative = (
                relative.removesuffix(".docx") + f"_{content_hash(letter.agency_key)[:8]}.docx"
            )
        used.add(relative)
        digest = letter_hash(letter, today)
        paths.append(
            reuse.place(
                relative,
                digest,
                lambda target, letter=letter: render_letter(letter, today=today).save(str(target)),
            )
        )
        index.append(
            {
                "province_name_vi": letter.province_name_vi,
                "period_key": letter.period_key,
                "period_label_vi": letter.period_label_vi,
                "agency_name_vi": letter.agency_name_vi,
                "agency_key": letter.agency_key or "",
                "findings": len(letter.findings),
                "missing_items": len(letter.missing),
                "file": relative,
                "content_hash": digest,
            }
        )
    write_index(letters_dir / INDEX_FILE, index, INDEX_COLUMNS)
    reuse.remove_stale(set(used))
    return paths


def summary_counts(letters: Sequence[Letter]) -> tuple[int, int]:
    """(findings, missing items) over ``letters``."""
    return (
        sum(len(letter.findings) for letter in letters),
        sum(len(letter.missing) for letter in letters),
    )
