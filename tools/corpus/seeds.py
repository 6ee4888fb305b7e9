"""The project's reference data the generator draws on, read from ``seeds/``.

Everything the generator says about indicators, units, code scales, provinces and agency
names comes from here (never a copy of a seed); only layout vocabulary lives in
``reference``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"


@dataclass(frozen=True)
class Indicator:
    code: str
    bnv_code: str
    name_vi: str
    unit_code: str
    value_type: str  # count, percent, code, amount, text, '' (heading)
    scale_code: str
    parent_code: str
    numerator_code: str
    denominator_code: str
    is_heading: bool


@dataclass(frozen=True)
class CodeLabel:
    value: int
    label_vi: str


@dataclass(frozen=True)
class Province:
    code: str
    era: str  # '63' or '34'
    name_vi: str
    province_type: str  # province, city
    valid_from: str  # ISO dates
    valid_to: str  # '' while in force
    code_2025: str  # the unit it belongs to from 1 July 2025 (era 63 rows)


@dataclass(frozen=True)
class Seeds:
    indicators: dict[str, Indicator]
    aliases: dict[str, tuple[str, ...]]  # indicator code -> alias texts without a parent
    units: dict[str, str]  # unit code -> Vietnamese name
    unit_words: dict[str, tuple[str, ...]]  # unit code -> unit texts (aliases)
    scales: dict[str, tuple[CodeLabel, ...]]
    provinces: tuple[Province, ...]
    province_aliases: dict[tuple[str, str], tuple[str, ...]]  # (code, era) -> spellings
    agency_names: tuple[str, ...]
    sum_rules: tuple[tuple[str, tuple[str, ...]], ...]
    part_whole_rules: tuple[tuple[str, tuple[str, ...]], ...]
    # (scale, code) -> the other words reports write for it (seeds/code_words.csv)
    code_words: dict[tuple[str, int], tuple[str, ...]] = field(default_factory=dict)


def _rows(name: str) -> list[dict[str, str]]:
    with (SEEDS / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _rules(family: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    found = []
    for row in _rows("reporting_rules.csv"):
        if row["rule_family"] == family and not row["template_code"] and row["indicator_code"]:
            found.append((row["indicator_code"], tuple(row["related_codes"].split("|"))))
    return tuple(found)


def load_seeds() -> Seeds:
    indicators = {
        row["indicator_code"]: Indicator(
            code=row["indicator_code"],
            bnv_code=row["bnv_code"],
            name_vi=row["name_vi"],
            unit_code=row["unit_code"],
            value_type=row["value_type"],
            scale_code=row["scale_code"],
            parent_code=row["parent_code"],
            numerator_code=row["numerator_code"],
            denominator_code=row["denominator_code"],
            is_heading=row["is_heading"] == "true",
        )
        for row in _rows("indicator_catalog.csv")
    }
    aliases: dict[str, list[str]] = {}
    for row in _rows("indicator_aliases.csv"):
        # an alias that opens in lower case is a fragment of a wrapped template line
        if not row["parent_alias_text"] and row["alias_text"][:1].isupper():
            aliases.setdefault(row["indicator_code"], []).append(row["alias_text"])
    unit_words: dict[str, list[str]] = {}
    for row in _rows("unit_aliases.csv"):
        if row["is_doubtful"] != "true" and row["multiplier"] in ("1", ""):
            unit_words.setdefault(row["unit_code"], []).append(row["unit_text"])
    scales: dict[str, list[CodeLabel]] = {}
    for row in _rows("code_scales.csv"):
        scales.setdefault(row["scale_code"], []).append(
            CodeLabel(int(row["code_value"]), row["label_vi"])
        )
    provinces = tuple(
        Province(
            row["province_code"],
            row["era"],
            row["name_vi"],
            row["province_type"],
            row["valid_from"],
            row["valid_to"],
            row["province_2025_code"],
        )
        for row in _rows("provinces.csv")
    )
    spellings: dict[tuple[str, str], list[str]] = {}
    for row in _rows("province_aliases.csv"):
        spellings.setdefault((row["province_code"], row["era"]), []).append(row["alias"])
    return Seeds(
        indicators=indicators,
        aliases={code: tuple(texts) for code, texts in aliases.items()},
        units={row["unit_code"]: row["name_vi"] for row in _rows("units.csv")},
        unit_words={code: tuple(texts) for code, texts in unit_words.items()},
        scales={code: tuple(labels) for code, labels in scales.items()},
        provinces=provinces,
        province_aliases={key: tuple(names) for key, names in spellings.items()},
        agency_names=tuple(row["name_vi"] for row in _rows("agency_names.csv")),
        sum_rules=_rules("sum"),
        part_whole_rules=_rules("part_whole"),
        code_words=_code_words(),
    )


def _code_words() -> dict[tuple[str, int], tuple[str, ...]]:
    words: dict[tuple[str, int], list[str]] = {}
    for row in _rows("code_words.csv"):
        words.setdefault((row["scale_code"], int(row["code_value"])), []).append(row["word"])
    return {key: tuple(found) for key, found in words.items()}
