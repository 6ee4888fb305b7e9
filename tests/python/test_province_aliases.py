"""Every spelling of province_aliases resolves to exactly one province per era, for all
63 and all 34 units, and spellings that differ only in folding need no rows of their
own (issue 12: a report from Thừa Thiên Huế or Bà Rịa–Vũng Tàu duplicated its
document). dbt proves the same on int_province_aliases_resolved
(tests/assert_province_aliases_resolve_to_one_province.sql and its model's tests)."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from ingest.markup import fold
from ingest.metadata import find_province
from ingest.reference import load_reference

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"


def _rows(name: str) -> list[dict[str, str]]:
    with (SEEDS / name).open(encoding="utf-8", newline="") as fp:
        return list(csv.DictReader(fp))


ALIASES = _rows("province_aliases.csv")
PROVINCES = _rows("provinces.csv")


def _resolved() -> dict[tuple[str, str], set[str]]:
    codes: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in ALIASES:
        codes[(fold(row["alias"]), row["era"])].add(row["province_code"])
    return codes


def test_every_spelling_means_one_province_in_each_era() -> None:
    ambiguous = {key: codes for key, codes in _resolved().items() if len(codes) > 1}
    assert ambiguous == {}


def test_no_two_rows_differ_only_in_folding() -> None:
    seen: dict[tuple[str, str], str] = {}
    duplicates = []
    for row in ALIASES:
        key = (fold(row["alias"]), row["era"])
        if key in seen:
            duplicates.append((seen[key], row["alias"], row["era"]))
        seen[key] = row["alias"]
    assert duplicates == [], "these rows fold alike: keep one of each"


@pytest.mark.parametrize(("era", "units"), [("63", 63), ("34", 34)])
def test_all_units_of_each_era_are_reachable(era: str, units: int) -> None:
    official = {p["province_code"] for p in PROVINCES if p["era"] == era}
    reachable = {codes.pop() for (_, e), codes in _resolved().items() if e == era}
    assert len(official) == units
    assert reachable == official


@pytest.mark.parametrize(
    "province", PROVINCES, ids=[f"{p['era']}-{p['name_vi']}-{p['valid_from']}" for p in PROVINCES]
)
def test_each_official_name_resolves_to_its_province(province: dict[str, str]) -> None:
    assert _resolved()[(fold(province["name_vi"]), province["era"])] == {province["province_code"]}


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Thừa Thiên - Huế", "46"),
        ("Thừa Thiên – Huế", "46"),
        ("Thừa Thiên-Huế", "46"),
        ("Bà Rịa – Vũng Tàu", "77"),
        ("Bà Rịa-Vũng Tàu", "77"),
        ("Bà Rịa — Vũng Tàu", "77"),
        ("TP HCM", "79"),
        ("TP.HCM", "79"),
        ("TP Đà Nẵng", "48"),
        ("tp. hồ chí minh", "79"),
    ],
)
def test_spellings_that_only_fold_differently_still_resolve(written: str, code: str) -> None:
    assert _resolved()[(fold(written), "63")] == {code}
    reference = load_reference(SEEDS)
    named = find_province([], written, None, reference)
    assert named is not None
    assert _resolved()[(fold(named), "63")] == {code}


def test_the_merger_date_is_written_only_in_the_seeds() -> None:
    """The eras' days come from provinces.csv (valid_from / valid_to), never a literal."""
    merger = min(p["valid_from"] for p in PROVINCES if p["era"] == "34")
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("models", "macros", "ingest", "quality", "cchc")
        for path in (ROOT / folder).rglob("*")
        if path.suffix in {".sql", ".py"}
        and any(
            merger in line and not line.lstrip().startswith(("--", "#"))
            for line in path.read_text(encoding="utf-8").splitlines()
        )
    ]
    assert offenders == []
