"""A report's full content as data: who, when, which axes, what it states where.

``build_specs`` is pure: a seed, a size and the seeds' reference data give the same
specs every time. Every axis value is drawn from a shuffled deck per axis (and per
format where an axis depends on it), so a corpus of a few dozen reports shows every
value of every axis.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from tools.corpus import reference as ref
from tools.corpus.figures import Figure, Row, Style, build_rows
from tools.corpus.periods import (
    CASES,
    FILE_FORMS,
    STYLES,
    Period,
    apply_case,
    file_form,
    period_phrase,
    report_date,
    strip_diacritics,
    subject_line,
)
from tools.corpus.seeds import Province, Seeds

FORMATS = ("txt", "docx", "xlsx", "pdf")
DEFAULT_FORMAT_MIX = ("txt",) * 3 + ("docx",) * 3 + ("xlsx",) * 3 + ("pdf",)
PLACES = {
    "txt": ("title", "caption", "file_name"),
    "docx": ("title", "caption", "file_name", "properties", "page_header"),
    "xlsx": ("title", "caption", "file_name", "properties", "sheet_name"),
    "pdf": ("title", "caption", "file_name", "properties", "page_header"),
}
NUMBER_FORMATS = {
    "txt": ("grouped", "ungrouped"),
    "docx": ("grouped", "ungrouped"),
    "pdf": ("grouped", "ungrouped"),
    "xlsx": ("grouped", "ungrouped", "numeric_cells"),
}
AGENCY_TYPES = ("provincial_department", "provincial_office", "province", "district", "commune")
VERSIONS = ("original", "lan_2", "thay_the", "bo_sung")
VERSION_MIX = ("original",) * 7 + VERSIONS[1:]
CONSISTENCY = ("consistent", "consistent", "consistent", "ratio_break", "sum_break")
AREAS = ("1", "2", "3", "4", "5", "6", "7", "8")
CUTOVER = dt.date(2025, 7, 1)

# Every axis the truth records per document, in column order.
AXES = (
    "format",
    "metadata_place",
    "letterhead",
    "period_type",
    "period_phrasing",
    "period_case",
    "value_header",
    "unit_placement",
    "code_wording",
    "number_format",
    "indicator_wording",
    "agency_type",
    "era",
    "province_spelling",
    "former_province",
    "version",
    "consistency",
    "agency_sentence",
    "folder",
    "crosstab",
    "table_count",
)
# The axes added after the first measurement draw from a generator of their own per
# report (``_extra_rng``), so the reports of a seed keep every earlier axis value.
AGENCY_SENTENCE = ("stated", "letterhead_only")  # title reports: who the body says reports
FOLDERS = ("none", "province_agency")  # file-name reports: folders naming province, agency
UNIT_PLACEMENTS = ("unit_column", "in_value", "in_indicator", "in_header", "none")
CODE_WORDINGS = ("numbers", "words", "other_words")
CROSSTABS = ("none", "measures")


@dataclass(frozen=True)
class Agency:
    agency_type: str
    name: str  # the agency's name as the truth states it ("Sở Nội vụ", "Ủy ban nhân dân xã …")
    core: str  # what a right placement's name must contain (folded by the scorer)
    superior: str | None  # the superior body's line, upper case (None: a People's Committee)
    issuer: tuple[str, ...]  # the issuer's lines, upper case
    symbol: str  # "SNV", "UBND", "VP"
    province: Province
    place: str  # the place of the place-and-date line
    in_sentence: str  # how the body names it ("Sở Nội vụ tỉnh …")
    slug: str  # for file names


@dataclass(frozen=True)
class TableSpec:
    appendix_no: str
    title: str
    caption: str | None
    headers: tuple[str, ...]  # stt, indicator, [unit], value, note
    rows: tuple[Row, ...]
    # a cross-tab: its value columns are these catalog indicators (by their names), its
    # rows are breakdowns (sectors), each with one figure per measure
    measures: tuple[str, ...] = ()
    value_unit: str = ""  # the unit written in the value header ('%'), unit in_header


@dataclass(frozen=True)
class Scale:
    """How much a report states: how many of the form's areas, and what share of their
    items (the national corpus, tools/corpus/national.py, writes fuller reports)."""

    areas: tuple[int, int] = (2, 3)
    share: tuple[float, float] = (0.25, 0.45)


@dataclass(frozen=True)
class Origin:
    """Who reports for which period, when a roster decides it (tools/corpus/national.py)."""

    agency: Agency
    period: Period
    spelling: str
    former: str


#: a roster's choice of agency and period for an agency type and a period type
Roster = Callable[[random.Random, str, str], Origin]


@dataclass(frozen=True)
class ReportSpec:
    index: int
    file_name: str
    axes: dict[str, str]
    agency: Agency
    period: Period
    date: dt.date
    number: str  # "127/BC-SNV"
    kind: str  # report, appendix
    version: int
    supersedes: str  # the file this one replaces ('' for an original)
    style: Style
    title_lines: tuple[str, ...]  # "BÁO CÁO", the subject (empty for an appendix alone)
    body: tuple[str, ...]
    tables: tuple[TableSpec, ...]
    page_header: str = ""
    properties: dict[str, str] = field(default_factory=dict)
    sheet_name: str = ""
    sheet_title: str = ""  # a title row naming the agency (sheet_name place)


class Decks:
    """Shuffled decks of axis values: each value comes round once per pass."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._decks: dict[tuple[str, ...], list[str]] = {}

    def draw(self, key: tuple[str, ...], values: tuple[str, ...]) -> str:
        deck = self._decks.get(key)
        if not deck:
            deck = list(values)
            self._rng.shuffle(deck)
            self._decks[key] = deck
        return deck.pop()


def _slug(text: str) -> str:
    plain = strip_diacritics(text).lower()
    return "-".join("".join(c if c.isalnum() else " " for c in plain).split())


def _province_for(rng: random.Random, seeds: Seeds, era: str, on: dt.date) -> Province:
    day = on.isoformat()
    options = [
        p
        for p in seeds.provinces
        if p.era == era and p.valid_from <= day and (not p.valid_to or day <= p.valid_to)
    ]
    return rng.choice(options)


def _province_words(province: Province, spelling: str = "") -> str:
    name = spelling or province.name_vi
    if name.lower().startswith(("thành phố", "tỉnh", "tp", "thủ đô")):
        return name
    return f"{'thành phố' if province.province_type == 'city' else 'tỉnh'} {name}"


def _local_name(rng: random.Random) -> str:
    first, second = rng.sample(ref.PLACE_WORDS, 2)
    return f"{first} {second}"


def _department(rng: random.Random, seeds: Seeds, era: str) -> str:
    excluded = ref.DEPARTMENTS_AFTER_2025_ONLY if era == "63" else ref.DEPARTMENTS_BEFORE_2025_ONLY
    names = [
        n
        for n in seeds.agency_names
        if n.startswith(("Sở ", "Thanh tra", "Ban ")) and n not in excluded
    ]
    return rng.choice(names)


def _symbol(name: str) -> str:
    if name in ref.SYMBOLS:
        return ref.SYMBOLS[name]
    words = [w for w in strip_diacritics(name).split() if w[0].isupper()]
    return "".join(w[0] for w in words).upper()


def _spelling(rng: random.Random, seeds: Seeds, province: Province, how: str) -> str:
    """Another spelling of the province from ``province_aliases.csv`` ('' for the seed's)."""
    others = [
        a
        for a in seeds.province_aliases.get((province.code, province.era), ())
        if _slug(a) != _slug(province.name_vi)
    ]
    return rng.choice(others) if how == "alias" and others else ""


def _former(rng: random.Random, seeds: Seeds, province: Province) -> str:
    """A province of the 63 merged into this one of the 34 ('' if none)."""
    names = sorted(
        {
            p.name_vi
            for p in seeds.provinces
            if p.era == "63" and p.code_2025 == province.code and p.name_vi != province.name_vi
        }
    )
    return rng.choice(names) if names else ""


def _former_if(rng: random.Random, seeds: Seeds, province: Province, former: str) -> str:
    return _former(rng, seeds, province) if former == "mentioned" else ""


def build_agency(
    rng: random.Random,
    seeds: Seeds,
    agency_type: str,
    era: str,
    on: dt.date,
    spelling: str = "seed_name",
    former: str = "none",
    province: Province | None = None,
) -> Agency:
    province = province or _province_for(rng, seeds, era, on)
    pwords = _province_words(province)
    head = _province_words(province, _spelling(rng, seeds, province, spelling)).upper()
    superior = f"UBND {head}" if rng.random() < 0.5 else f"ỦY BAN NHÂN DÂN {head}"
    seat = province.name_vi.removeprefix("Thành phố ")
    slug_province = _slug(seat)
    if agency_type == "provincial_department":
        name = _department(rng, seeds, era)
        return Agency(
            agency_type,
            name,
            name,
            superior,
            (name.upper(),),
            _symbol(name),
            province,
            seat,
            f"{name} {pwords}",
            f"{_slug(name)}_{slug_province}",
        )
    if agency_type == "provincial_office":
        name = "Văn phòng Ủy ban nhân dân tỉnh"
        return Agency(
            agency_type,
            name,
            "Văn phòng Ủy ban nhân dân",
            superior,
            ("VĂN PHÒNG",),
            "VP",
            province,
            seat,
            f"Văn phòng Ủy ban nhân dân {pwords}",
            f"vp-ubnd_{slug_province}",
        )
    if agency_type == "province":
        name = f"Ủy ban nhân dân {pwords}"
        return Agency(
            agency_type,
            name,
            "Ủy ban nhân dân",
            None,
            ("ỦY BAN NHÂN DÂN", head),
            "UBND",
            province,
            seat,
            name,
            f"ubnd_{slug_province}",
        )
    local = _local_name(rng)
    level = "huyện" if agency_type == "district" else rng.choice(("xã", "phường"))
    name = f"Ủy ban nhân dân {level} {local}"
    return Agency(
        agency_type,
        name,
        name,
        None,
        ("ỦY BAN NHÂN DÂN", f"{level} {local}".upper()),
        "UBND",
        province,
        local,
        f"{name}, {pwords}"
        + (
            f" (thuộc tỉnh {old} (cũ))" if (old := _former_if(rng, seeds, province, former)) else ""
        ),
        f"ubnd-{_slug(level + ' ' + local)}_{slug_province}",
    )


def _era_for(agency_type: str, rng: random.Random) -> str:
    if agency_type == "district":
        return "63"
    if agency_type == "commune":
        return "34"
    return rng.choice(("63", "34"))


def _period_for(rng: random.Random, era: str, period_type: str) -> Period:
    while True:
        year = rng.choice((2022, 2023, 2024, 2025) if era == "63" else (2025, 2026))
        number = rng.choice((1, 2, 3, 4)) if period_type == "quarter" else 1
        period = Period(period_type, year, number)
        ends = period.end
        if (era == "63" and ends < CUTOVER) or (era == "34" and ends >= CUTOVER):
            return period


def _value_text_sample(decks: Decks) -> str:
    return decks.draw(("value_header",), ref.VALUE_HEADERS)


def _headers(rng: random.Random, value_header: str, with_unit: bool) -> tuple[str, ...]:
    head = [rng.choice(ref.STT_HEADERS), rng.choice(ref.INDICATOR_HEADERS)]
    if with_unit:
        head.append(rng.choice(ref.UNIT_HEADERS))
    return (*head, value_header, ref.NOTE_HEADER)


def _split_percents(rows: list[Row]) -> tuple[list[Row], list[Row]]:
    """Unit in the header: the percents go to a table of their own whose value header
    names the unit ('Kết quả (%)'); the other rows stay, their unit written nowhere."""
    percents = [r for r in rows if r.figure is not None and r.figure.value_type == "percent"]
    return [r for r in rows if r not in percents], percents


def _crosstab_rows(rng: random.Random, seeds: Seeds, measures: tuple[str, ...]) -> list[Row]:
    """Sectors, each with received ≥ resolved ≥ resolved late (the part-whole rules)."""
    rows = []
    for no, sector in enumerate(rng.sample(ref.SECTORS, rng.randint(2, 4)), start=1):
        received = rng.randint(5, 400)
        resolved = rng.randint(0, received)
        late = rng.randint(0, min(resolved, 9))
        figures = [
            Figure(code, "count", float(value), 0, "")
            for code, value in zip(measures, (received, resolved, late), strict=True)
        ]
        rows.append(
            Row(str(no), seeds.indicators[measures[0]], sector, figures[0], tuple(figures[1:]))
        )
    return rows


def _version_words(version: str, number: str, date: dt.date) -> str:
    return {
        "original": "",
        "lan_2": " (lần 2)",
        "thay_the": f" (thay thế Báo cáo số {number} ngày {date:%d/%m/%Y})",
        "bo_sung": " (bổ sung)",
    }[version]


def _extra_rng(seed: int, index: int) -> random.Random:
    return random.Random(f"{seed}-{index}-extra-axes")


def build_spec(
    index: int,
    rng: random.Random,
    decks: Decks,
    seeds: Seeds,
    fmt: str,
    earlier: list[ReportSpec],
    seed: int = 0,
    scale: Scale = Scale(),
    roster: Roster | None = None,
) -> ReportSpec:
    version = decks.draw(("version",), VERSION_MIX)
    originals = [s for s in earlier if s.version == 1]
    base = rng.choice(originals) if version != "original" and originals else None
    if base is None:
        version = "original"
        agency_type = decks.draw(("agency_type",), AGENCY_TYPES)
        era = _era_for(agency_type, rng)
        period_type = decks.draw(("period_type", era), tuple(STYLES))
        period = _period_for(rng, era, period_type)
        date = report_date(period, rng.randint(8, 20))
        spelling = decks.draw(("province_spelling",), ("seed_name", "alias"))
        former = decks.draw(("former_province",), ("none", "mentioned"))
        if agency_type != "commune":
            former = "none"
        if roster is None:
            agency = build_agency(rng, seeds, agency_type, era, date, spelling, former)
        else:
            origin = roster(rng, agency_type, period_type)
            agency, period, spelling, former = (
                origin.agency,
                origin.period,
                origin.spelling,
                origin.former,
            )
            era, date = agency.province.era, report_date(period, rng.randint(8, 20))
    else:
        agency, period, era = base.agency, base.period, base.axes["era"]
        spelling, former = base.axes["province_spelling"], base.axes["former_province"]
        date = base.date + dt.timedelta(days=rng.randint(3, 12))
    others = PLACES[fmt][1:]
    place = decks.draw(("metadata_place", fmt), ("title",) * len(others) + others)
    letterhead = (
        decks.draw(("letterhead",), ("two_column", "stacked")) if place == "title" else "none"
    )
    phrasing = decks.draw(("period_phrasing", period.period_type), STYLES[period.period_type])
    case = decks.draw(("period_case",), CASES)
    value_header = _value_text_sample(decks)
    style = Style(
        unit_placement=decks.draw(("unit_placement",), UNIT_PLACEMENTS),
        code_wording=decks.draw(("code_wording",), CODE_WORDINGS),
        number_format=decks.draw(("number_format", fmt), NUMBER_FORMATS[fmt]),
        indicator_wording=decks.draw(("indicator_wording",), ("catalog_name", "alias")),
    )
    consistency = decks.draw(("consistency",), CONSISTENCY)
    crosstab = decks.draw(("crosstab",), CROSSTABS)
    extra = _extra_rng(seed, index)
    agency_sentence = "stated"
    if place == "title" and extra.random() < 0.4:
        agency_sentence = "letterhead_only"  # the letterhead's issuer alone names the agency
    folder = "none"
    if place == "file_name" and extra.random() < 0.5:
        folder = "province_agency"
    number_no = rng.randint(5, 900)
    number = f"{number_no}/BC-{agency.symbol}"
    kind = "report" if place == "title" else "appendix"
    marker = _version_words(version, base.number if base else "", base.date if base else date)
    phrase = apply_case(period_phrase(period, phrasing), case)
    # a place that states the period alone (an appendix title, a header, a sheet name)
    # writes its year: "quý II" shares its year with the subject's plan only in a title
    alone = phrase
    if phrasing == "shared_year":
        alone = apply_case(f"{period_phrase(period, phrasing)} năm {period.year}", case)
    subject = apply_case(subject_line(period, phrasing, with_plan=rng.random() < 0.7), case)

    areas = sorted(rng.sample(AREAS, rng.randint(*scale.areas)))
    split = len(areas) > 2 and rng.random() < 0.5  # two appendices, one per part of the form
    groups = [areas[:1], areas[1:]] if split else [areas]
    caption_of = f"{agency.in_sentence}"
    tables = []
    for no, group in enumerate(groups, start=1):
        rows = build_rows(
            rng,
            seeds,
            group,
            style,
            consistency if no == len(groups) else "consistent",
            share=scale.share,
        )
        caption = None
        if place in ("title", "caption"):
            of = f" của {caption_of}" if agency_sentence == "stated" else ""
            caption = f"(Kèm theo Báo cáo số {number} ngày {date:%d/%m/%Y}{of}){marker}"
        title = "Thống kê số liệu cải cách hành chính"
        if place in ("title", "caption"):
            title = f"{title} {alone}"
        percents: list[Row] = []
        if style.unit_placement == "in_header":
            rows, percents = _split_percents(rows)
        tables.append(
            TableSpec(
                appendix_no=f"{len(tables) + 1:02d}",
                title=title,
                caption=caption,
                headers=_headers(rng, value_header, style.unit_placement == "unit_column"),
                rows=tuple(rows),
            )
        )
        if percents:
            tables.append(
                TableSpec(
                    appendix_no=f"{len(tables) + 1:02d}",
                    title=f"Các tỷ lệ {phrase}" if place in ("title", "caption") else "Các tỷ lệ",
                    caption=caption,
                    headers=_headers(rng, f"{value_header} (%)".strip(), False),
                    rows=tuple(percents),
                    value_unit="%",
                )
            )
    if crosstab == "measures":
        measures = ref.CROSSTAB_MEASURES
        tables.append(
            TableSpec(
                appendix_no=f"{len(tables) + 1:02d}",
                title="Tình hình giải quyết hồ sơ thủ tục hành chính theo lĩnh vực",
                caption=tables[0].caption,
                headers=(
                    rng.choice(ref.STT_HEADERS),
                    rng.choice(ref.SECTOR_HEADERS),
                    *(seeds.indicators[code].name_vi for code in measures),
                    ref.NOTE_HEADER,
                ),
                rows=tuple(_crosstab_rows(rng, seeds, measures)),
                measures=measures,
            )
        )
    title_lines: tuple[str, ...] = ()
    body: tuple[str, ...] = ()
    if place == "title":
        kind_line = "BÁO CÁO" + (" BỔ SUNG" if version == "bo_sung" else "")
        title_lines = (kind_line, subject + (marker if version != "bo_sung" else ""))
        who, where = agency.in_sentence, ""
        if agency_sentence == "letterhead_only":  # the body names only the province
            who, where = "Đơn vị", f" trên địa bàn {_province_words(agency.province)}"
        opening = (
            f"{who} báo cáo kết quả thực hiện công tác cải cách hành chính {phrase}{where} như sau:"
        )
        body = (opening, *rng.sample(ref.BODY_SENTENCES, 2))
    digest = hashlib.sha1(f"{index}-{agency.name}-{period}".encode()).hexdigest()[:8]
    file_name = f"r{index:04d}_{digest}.{fmt}"
    if place == "file_name":
        forms = FILE_FORMS[period.period_type]
        phrasing = f"file:{forms[index % len(forms)]}"
        tag = {"original": "", "lan_2": "_lan-2", "thay_the": "_thay-the", "bo_sung": "_bo-sung"}[
            version
        ]
        file_name = f"phu-luc_{agency.slug}_{file_form(period, index)}{tag}_{index:04d}.{fmt}"
        if folder == "province_agency":  # "lao-cai/so-noi-vu/phu-luc_Q3.2024_0005.xlsx"
            who_slug, province_slug = agency.slug.rsplit("_", 1)
            stem = f"phu-luc_{file_form(period, index)}{tag}_{index:04d}.{fmt}"
            file_name = f"{province_slug}/{who_slug}/{stem}"
    about = f"Báo cáo CCHC {alone} - {agency.in_sentence}{marker}"
    axes = {
        "format": fmt,
        "metadata_place": place,
        "letterhead": letterhead,
        "period_type": period.period_type,
        "period_phrasing": phrasing,
        "period_case": case,
        "value_header": value_header or ref.NO_HEADER,
        "unit_placement": style.unit_placement,
        "code_wording": style.code_wording,
        "number_format": style.number_format,
        "indicator_wording": style.indicator_wording,
        "agency_type": agency.agency_type,
        "era": era,
        "province_spelling": spelling,
        "former_province": former,
        "version": version,
        "consistency": consistency,
        "crosstab": crosstab,
        "table_count": str(len(tables)),
        "agency_sentence": agency_sentence,
        "folder": folder,
    }
    return ReportSpec(
        index=index,
        file_name=file_name,
        axes=axes,
        agency=agency,
        period=period,
        date=date,
        number=number,
        kind=kind,
        version=1 if version == "original" else 2,
        supersedes=base.file_name if base else "",
        style=style,
        title_lines=title_lines,
        body=body,
        tables=tuple(tables),
        page_header=about if place == "page_header" else "",
        properties={"title": about, "author": agency.in_sentence} if place == "properties" else {},
        sheet_name=f"PL {alone}".replace("/", "-")[:31] if place == "sheet_name" else "",
        sheet_title=agency.in_sentence.upper() if place == "sheet_name" else "",
    )


def build_specs(
    seed: int,
    n: int,
    seeds: Seeds,
    formats: tuple[str, ...] = DEFAULT_FORMAT_MIX,
    scale: Scale = Scale(),
    roster: Roster | None = None,
) -> list[ReportSpec]:
    rng = random.Random(seed)
    decks = Decks(rng)
    specs: list[ReportSpec] = []
    originals: list[ReportSpec] = []  # what a resubmission is drawn from
    for index in range(1, n + 1):
        fmt = decks.draw(("format",), formats)
        spec = build_spec(index, rng, decks, seeds, fmt, originals, seed, scale, roster)
        specs.append(spec)
        if spec.version == 1:
            originals.append(spec)
    return specs
