"""Reference data that ingest needs to place a report: read from the dbt seeds.

The seeds are the one place for these facts; dbt loads the same files into the
warehouse. Ingest only reads how agency names show their type, how reports write
province names, how they write the units of counts and amounts (for figures stated in
sentences), how a report says it replaces or supplements an earlier one, and the words
a value cell may hold instead of a code.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ingest.markup import fold


@dataclass(frozen=True)
class AgencyPattern:
    pattern: str  # folded prefix
    agency_type: str
    priority: int


@dataclass(frozen=True)
class ProvinceAlias:
    alias: str  # folded
    name: str  # as written in the seed
    province_code: str
    era: str


@dataclass(frozen=True)
class RevisionPhrase:
    """A phrase of a report's title, subject or number line that says how it relates to
    an earlier report (seeds/revision_wording.csv)."""

    phrase: str  # folded
    revision_kind: str  # replacement or supplement
    priority: int  # the lowest wins when several are written


@dataclass(frozen=True)
class ReferenceData:
    agency_patterns: tuple[AgencyPattern, ...]
    province_aliases: tuple[ProvinceAlias, ...]
    count_unit_aliases: tuple[str, ...] = ()  # as written; units whose value is a count or amount
    revision_phrases: tuple[RevisionPhrase, ...] = ()
    # folded words a value cell may hold instead of a code (every scale's labels and
    # their variants, seeds/code_scales.csv, and seeds/code_words.csv): layout counts a
    # cell written so as a figure; dbt decodes it by its item's own scale
    code_words: frozenset[str] = frozenset()
    # the standard agencies' names (seeds/agency_names.csv) and the symbols they print in
    # their numbers (seeds/agency_symbols.csv, folded symbol -> name)
    agency_names: tuple[str, ...] = ()
    agency_symbols: tuple[tuple[str, str], ...] = ()
    # the first day of the 34 provinces (provinces.csv, the earliest valid_from of era 34):
    # a report dated from then on names its province as of the 34
    merger_date: str | None = None
    # the provinces' official names (provinces.csv name_vi), the spelling a value takes
    # when several places spell one province differently ("Đắc Lắc", "Đắk Lắk")
    province_names: tuple[str, ...] = ()
    # (code, era) -> the official name (the latest row of provinces.csv for them)
    official_provinces: tuple[tuple[str, str, str], ...] = ()

    def official_province(self, code: str, era: str) -> str | None:
        found = [name for c, e, name in self.official_provinces if (c, e) == (code, era)]
        return found[-1] if found else None

    def era_on(self, day: str | None) -> str | None:
        """The provinces' era ("63" or "34") on an ISO day (None when either is unknown)."""
        if day is None or self.merger_date is None:
            return None
        return "34" if day >= self.merger_date else "63"

    def symbol_agency(self, symbol: str) -> str | None:
        folded = fold(symbol)
        return next((name for sym, name in self.agency_symbols if sym == folded), None)

    def agency_type_of(self, name: str) -> str | None:
        folded = _spelled_out(fold(name))
        # a pattern is whole words ("sở " folds to "so": not the start of "Sơn La"), and
        # UBND / VP / TP match their words written out ("ỦY BAN NHÂN DÂN TPHCM")
        hits = [
            p
            for p in self.agency_patterns
            if folded == (pattern := _spelled_out(p.pattern)) or folded.startswith(pattern + " ")
        ]
        return min(hits, key=lambda p: (p.priority, -len(p.pattern))).agency_type if hits else None

    def starts_with_agency(self, text: str) -> bool:
        return self.agency_type_of(text) is not None


# the abbreviations of agency names, written out (seeds/abbreviations.csv has them too)
_AGENCY_WORDS = {"ubnd": "uy ban nhan dan", "vp": "van phong", "tp": "thanh pho"}


@lru_cache(maxsize=4096)
def _spelled_out(folded: str) -> str:
    return " ".join(_AGENCY_WORDS.get(w, w) for w in folded.split())


# the value types of units written after a number in a sentence ("12 hồ sơ", "5 tỷ đồng")
_COUNTED_VALUE_TYPES = ("count", "amount")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fp:
        return list(csv.DictReader(fp))


def load_reference(seeds_dir: Path) -> ReferenceData:
    patterns = tuple(
        AgencyPattern(fold(r["pattern"]), r["agency_type_code"], int(r["priority"] or 100))
        for r in _rows(seeds_dir / "agency_type_patterns.csv")
    )
    aliases = tuple(
        ProvinceAlias(fold(r["alias"]), r["alias"].strip(), r["province_code"], r["era"])
        for r in _rows(seeds_dir / "province_aliases.csv")
    )
    value_types = {r["unit_code"]: r["value_type"] for r in _rows(seeds_dir / "units.csv")}
    count_units = tuple(
        r["unit_text"].strip()
        for r in _rows(seeds_dir / "unit_aliases.csv")
        if value_types.get(r["unit_code"]) in _COUNTED_VALUE_TYPES
    )
    revision_phrases = tuple(
        RevisionPhrase(fold(r["phrase"]), r["revision_kind"].strip(), int(r["priority"] or 100))
        for r in _rows(seeds_dir / "revision_wording.csv")
    )
    scale_words = [
        word
        for r in _rows(seeds_dir / "code_scales.csv")
        for word in [r["label_vi"], *(r.get("label_variants") or "").split("|")]
    ]
    scale_words += [r["word"] for r in _rows(seeds_dir / "code_words.csv")]
    code_words = frozenset(fold(w) for w in scale_words if w.strip())
    names = tuple(r["name_vi"].strip() for r in _rows(seeds_dir / "agency_names.csv"))
    symbols_path = seeds_dir / "agency_symbols.csv"
    symbols = tuple(
        (fold(r["symbol"]), r["name_vi"].strip())
        for r in (_rows(symbols_path) if symbols_path.exists() else [])
    )
    provinces_path = seeds_dir / "provinces.csv"
    provinces = _rows(provinces_path) if provinces_path.exists() else []
    merger = min((r["valid_from"] for r in provinces if r["era"] == "34"), default=None)
    official = tuple(dict.fromkeys(r["name_vi"].strip() for r in provinces))
    by_code = tuple(
        (r["province_code"], r["era"], r["name_vi"].strip())
        for r in sorted(provinces, key=lambda r: r["valid_from"])
    )
    return ReferenceData(
        patterns,
        aliases,
        count_units,
        revision_phrases,
        code_words=code_words,
        agency_names=names,
        agency_symbols=symbols,
        merger_date=merger,
        province_names=official,
        official_provinces=by_code,
    )
