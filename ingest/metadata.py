"""Whose report it is, for which period: found in the report's own text.

Every rule reads places that Vietnamese administrative documents share: the number
line ("Số: 415 /BC-VP"), the place-and-date line ("Hà Giang, ngày 15 tháng 3 năm
2023"), the title under "BÁO CÁO" / "ĐỀ ÁN", the sentence in which the agency reports
("Văn phòng Ủy ban nhân dân tỉnh … báo cáo …"), and the appendix caption ("Kèm theo
Báo cáo số … ngày … của Sở … tỉnh …").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from ingest.evidence import IMPLAUSIBLE_FACTOR, Candidate, Decision, Evidence, Source, decide
from ingest.markup import fold
from ingest.model import DocumentMeta, Found, Scope
from ingest.periods import Period, PeriodReading, file_stem, read_period, states_period_year
from ingest.reference import ProvinceAlias, ReferenceData

_HEAD_PARAGRAPHS = 40  # the letterhead, title and opening sentence are near the top
_NAME_WORDS = 12  # a line this short that starts like an agency is the agency's name

_NUMBER = re.compile(r"^số\s*:\s*(.*?/\s*[A-ZĐ][\w.\-]*)", re.IGNORECASE)
_NUMBER_IN_CAPTION = re.compile(
    r"(?:báo cáo|văn bản|quyết định|kế hoạch)\s+số\s*:?\s*(\d+\s*/\s*[A-ZĐ][\w.\-]*)",
    re.IGNORECASE,
)
_PLACE_DATE = re.compile(
    r"^(?P<place>[^,]{2,40}),\s*ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})",
    re.IGNORECASE,
)
_DATE_IN_CAPTION = re.compile(r"ngày\s+(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})", re.IGNORECASE)
_KIND_HEADINGS = {"bao cao": "periodic_report", "de an": "plan", "ke hoach": "plan"}
_REPORTS = re.compile(r"\s(?:trân trọng\s+)?báo cáo\s", re.IGNORECASE)
_OF_AGENCY = re.compile(r"\bcủa\s+(.+?)\)?$", re.IGNORECASE)
_PARENTHETICAL = re.compile(r"\s*\([^)]*\)")
_PROVINCE_AFTER = re.compile(r"\b(?:tỉnh|thành phố|tp\.)\s+(.+)$", re.IGNORECASE)


def document_scope(meta: DocumentMeta) -> Scope:
    """The one scope rule for a whole document: a report of the province itself (UBND
    tỉnh) covers the province; any other agency's report covers its own work, except
    where a table or sentence says it covers the whole province (ingest.layout)."""
    return "province" if meta.agency_type.value == "province" else "agency"


def _iso(d: str, m: str, y: str) -> str | None:
    try:
        return date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def find_report_number(head: Sequence[str], captions: Sequence[str]) -> str | None:
    """From the number line at the top ("Số: 415 /BC-VP"), else from an appendix caption
    ("Kèm theo Báo cáo số: 319/BC-STTTT"). Numbers of other documents cited in the text
    are never taken."""
    candidates = [_NUMBER.match(text) for text in head]
    candidates += [_NUMBER_IN_CAPTION.search(text) for text in captions]
    for match in candidates:
        if match:
            number = re.sub(r"\s*/\s*", "/", match.group(1).strip())
            return number if re.match(r"\d", number) else None
    return None


def find_place_and_date(texts: Sequence[str]) -> tuple[str | None, str | None]:
    for text in texts:
        match = _PLACE_DATE.match(text)
        if match:
            return match.group("place").strip(), _iso(match["d"], match["m"], match["y"])
    return None, None


def find_caption_date(texts: Sequence[str]) -> str | None:
    for text in texts:
        if "kèm theo" in text.lower():
            match = _DATE_IN_CAPTION.search(text)
            if match:
                return _iso(*match.groups())
    return None


_BODY_STARTS = ("Kính gửi", "Thực hiện", "Căn cứ")
_TITLE_LINES = 6  # the title lines and a parenthesis under them
_TITLE_WORDS = 40  # a longer line is a sentence of the body


def _title_start(texts: Sequence[str]) -> int | None:
    for i, text in enumerate(texts):
        folded = fold(text)
        if folded in _KIND_HEADINGS or any(folded.startswith(h + " ") for h in _KIND_HEADINGS):
            return i
    return None


def revision_lines(head: Sequence[str]) -> list[str]:
    """The lines where a report says how it relates to an earlier one: its number line,
    its subject line (``V/v …``), and its title block: the heading, the title lines down
    to the one naming the period's year (as find_title reads them), and any parenthesis
    right under them (``(Thay thế Báo cáo số … ngày …)``). The body is never read: its
    sentences cite other documents ("sửa đổi, bổ sung một số điều …")."""
    lines = [
        text for text in head if _NUMBER.match(text) or fold(text).startswith(("v v ", "ve viec "))
    ]
    start = _title_start(head)
    if start is None:
        return lines
    lines.append(head[start])
    title: list[str] = []
    for text in head[start + 1 : start + 1 + _TITLE_LINES]:
        if text.startswith(_BODY_STARTS) or len(text.split()) > _TITLE_WORDS:
            break
        if text.startswith("("):
            lines.append(text)
            continue
        if title and states_period_year(" ".join(title)):
            break  # the title is complete; only a parenthesis may follow it
        title.append(text)
        lines.append(text)
    return lines


def find_revision_kind(head: Sequence[str], reference: ReferenceData) -> Found[str]:
    """original, replacement or supplement, from the phrases of seeds/revision_wording.csv
    written in the revision lines (whole words, folded; the lowest priority wins, so
    ``bổ sung`` counts only where no replacement phrase is written). A report that writes
    none is an original (found by default): dbt still treats a later one as a new version."""
    folded = [f" {fold(text)} " for text in revision_lines(head)]
    hits = [
        phrase
        for phrase in reference.revision_phrases
        if any(f" {phrase.phrase} " in line for line in folded)
    ]
    if not hits:
        return Found("original", "default")
    return Found(min(hits, key=lambda p: (p.priority, p.phrase)).revision_kind)


def find_title(texts: Sequence[str]) -> tuple[str | None, str | None]:
    """(document kind, title) from the heading word and the lines right under it."""
    for i, text in enumerate(texts):
        kind = _KIND_HEADINGS.get(fold(text))
        if kind is None:
            for heading, heading_kind in _KIND_HEADINGS.items():
                if fold(text).startswith(heading + " "):
                    kind, title_lines = heading_kind, [text[len(heading) :].strip()]
                    break
            else:
                continue
        else:
            title_lines = []
        for follower in texts[i + 1 : i + 4]:
            if follower.startswith(("Kính gửi", "(", "Thực hiện", "Căn cứ")):
                break
            title_lines.append(follower)
            if states_period_year(" ".join(title_lines)):
                break
        return kind, " ".join(t for t in title_lines if t) or None
    return None, None


def parse_period(title: str) -> dict[str, int | str | None] | None:
    """Period type, year, number (and end year for plans) from a report's title."""
    reading = read_period(title, "title")
    return reading.period.as_fields() if reading else None


_APPENDIX = re.compile(r"^phu luc\b")
_APPENDIX_LINES = 3  # "PHỤ LỤC 02", its subtitle, and a caption under it


def _appendix_texts(texts: Sequence[str]) -> list[str]:
    """Each appendix title ("Phụ lục 02", "PHỤ LỤC I") with the lines right under it."""
    return [
        " ".join(texts[i : i + _APPENDIX_LINES])
        for i, text in enumerate(texts)
        if _APPENDIX.match(fold(text))
    ]


def find_period(
    title: str | None,
    texts: Sequence[str],
    captions: Sequence[str],
    sheet_names: Sequence[str] = (),
    file_name: str | None = None,
) -> PeriodReading | None:
    """The reporting period from the strongest place that states one: the title, then
    appendix titles and "(Kèm theo …)" captions, then sheet names, then the file name."""
    if title and (reading := read_period(title, "title")):
        return reading
    for text in [*_appendix_texts(texts), *captions]:
        if reading := read_period(text, "caption", bare_year=False):
            return reading
    for name in sheet_names:
        if reading := read_period(name, "sheet_name"):
            return reading
    if file_name:
        return read_period(file_stem(file_name), "file_name")
    return None


def _clean_agency(text: str) -> str:
    text = _PARENTHETICAL.sub("", text).strip(" ,;:.")
    return re.sub(r"\s+", " ", text)


def find_agency(texts: Sequence[str], reference: ReferenceData) -> str | None:
    """The agency in the sentence where it reports, or in a 'kèm theo … của …' caption."""
    for text in texts:
        padded = " " + text + " "
        for match in _REPORTS.finditer(padded):
            subject = re.split(r"[,;:]|\.\s", padded[: match.start()])[-1]
            subject = _clean_agency(subject)
            if subject and reference.starts_with_agency(subject):
                return subject
    for text in texts:
        if "kèm theo" not in text.lower():
            continue
        match = _OF_AGENCY.search(text.rstrip(")").rstrip() + ")")
        if match:
            candidate = _clean_agency(match.group(1))
            if reference.starts_with_agency(candidate):
                return candidate
    # a line that is only an agency's name: a letterhead, or the file's author property
    for text in texts:
        candidate = _clean_agency(text)
        if len(candidate.split()) <= _NAME_WORDS and reference.starts_with_agency(candidate):
            return candidate
    return None


def _province_of_name(name: str, reference: ReferenceData) -> str | None:
    folded = fold(name).strip(" .,")
    for alias in sorted(reference.province_aliases, key=lambda a: -len(a.alias)):
        if folded == alias.alias:
            return alias.name
    return None


def find_province(
    texts: Sequence[str], place: str | None, agency: str | None, reference: ReferenceData
) -> str | None:
    """From the agency's name, the place line, or the province most named in the text."""
    if agency:
        match = _PROVINCE_AFTER.search(agency)
        if match:
            named = _province_of_name(match.group(1), reference)
            if named:
                return named
    if place:
        named = _province_of_name(place, reference)
        if named:
            return named
    counts: Counter[str] = Counter()
    aliases = sorted(reference.province_aliases, key=lambda a: -len(a.alias))
    for text in texts:
        folded = fold(text)
        for prefix in ("tinh ", "thanh pho ", "tp "):
            start = 0
            while (at := folded.find(prefix, start)) >= 0:
                rest = folded[at + len(prefix) :]
                for alias in aliases:
                    if rest.startswith(alias.alias) and (
                        len(rest) == len(alias.alias) or not rest[len(alias.alias)].isalnum()
                    ):
                        counts[alias.name] += 1
                        break
                start = at + len(prefix)
    return counts.most_common(1)[0][0] if counts else None


def _captions(texts: Sequence[str]) -> list[str]:
    """'(Kèm theo … của …)' captions, joined when they wrap over several lines."""
    captions = []
    for i, text in enumerate(texts):
        if "kèm theo" not in text.lower():
            continue
        joined = text
        for follower in texts[i + 1 : i + 3]:
            if ")" in joined[joined.lower().find("kèm theo") :]:
                break
            joined = f"{joined} {follower}"
        captions.append(joined)
    return captions


# ---------------------------------------------------------------- metadata as evidence
#
# Each function below reads one kind of place and yields ingest.evidence.Candidate's;
# detect_metadata weighs them (ingest.evidence.decide). Names of provinces are matched
# as of the report's date (the era of seeds/provinces.csv): a province named with
# "(cũ)", or one that no longer exists on the report's date, is the former province.


@dataclass(frozen=True)
class FileTexts:
    """What a file states besides its paragraphs, as its reader exposes it."""

    letterhead: Sequence[str] = ()  # the cells of the rows above the first table, in order
    sheet_names: Sequence[str] = ()
    page_headers: Sequence[str] = ()
    page_footers: Sequence[str] = ()
    properties: Sequence[str] = ()  # title, subject, author … (File › Properties)
    file_name: str | None = None  # the path under the reports folder (its folders too)


@dataclass(frozen=True)
class _Mention:
    """A province named somewhere, before the report's era decides which one it is."""

    written: str
    folded: str  # the alias it matched, folded
    found_by: Source
    text: str
    former: bool = False  # written "tỉnh X (cũ)"


_MOTTO = ("cong hoa xa hoi chu nghia", "doc lap tu do hanh phuc")
_FORMER = re.compile(
    r"\(?\s*(?:thuộc\s+)?((?:tỉnh|thành phố|tp\.?)\s+[^(),;]+?)\s*\(\s*cũ\s*\)\s*\)?",
    re.IGNORECASE,
)
_LEVEL_WORDS = (
    "tinh ",
    "thanh pho ",
    "huyen ",
    "quan ",
    "thi xa ",
    "thi tran ",
    "xa ",
    "phuong ",
    "dac khu ",
)
_BARE_BODIES = ("uy ban nhan dan", "ubnd", "van phong", "vp", "van phong ubnd", "vp ubnd")
_SEGMENTS = re.compile(r"\s+[-–—|:]\s+|_|;|\s*,\s*")
_SYMBOL_NUMBER = re.compile(r"/\s*([A-ZĐ][\w.]*)(?:\s*-\s*([A-ZĐa-zđ][\w.]*))?")
_TEXT_CHARS = 160  # how much of a place's words a candidate keeps
_IMPLAUSIBLE_DAYS = 45  # a report dated this long before its period ends is suspect


def _short(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= _TEXT_CHARS else text[: _TEXT_CHARS - 1] + "…"


def _is_capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def without_former(text: str) -> tuple[str, list[str]]:
    """The text without its former-province clauses ("(thuộc tỉnh X (cũ))", "tỉnh X
    (cũ)"), and the provinces they name as written."""
    found = [m.group(1).strip() for m in _FORMER.finditer(text)]
    return (_FORMER.sub(" ", text).strip() if found else text), found


@lru_cache(maxsize=8)
def _sorted_aliases(aliases: tuple[ProvinceAlias, ...]) -> tuple[ProvinceAlias, ...]:
    return tuple(sorted(aliases, key=lambda a: -len(a.alias)))


@lru_cache(maxsize=8)
def _aliases_by_name(aliases: tuple[ProvinceAlias, ...]) -> dict[str, list[ProvinceAlias]]:
    by_alias: dict[str, list[ProvinceAlias]] = {}
    for alias in aliases:
        by_alias.setdefault(alias.alias, []).append(alias)
    return by_alias


@lru_cache(maxsize=8)
def _folded_names(names: tuple[str, ...]) -> dict[str, str]:
    """Folded name -> the name as the seed writes it (the first of those folding alike)."""
    out: dict[str, str] = {}
    for name in names:
        out.setdefault(fold(name), name)
    return out


def _aliases(reference: ReferenceData) -> tuple[ProvinceAlias, ...]:
    """The province aliases, longest first (a longer name is matched before its start)."""
    return _sorted_aliases(reference.province_aliases)


def _alias_at(rest: str, aliases: Sequence[ProvinceAlias]) -> ProvinceAlias | None:
    for alias in aliases:
        if rest.startswith(alias.alias) and (
            len(rest) == len(alias.alias) or not rest[len(alias.alias)].isalnum()
        ):
            return alias
    return None


_SELF_PREFIXED = ("tp", "thanh pho ", "tinh ", "thu do ")  # an alias that names its kind


def _named_provinces(text: str, aliases: Sequence[ProvinceAlias]) -> list[ProvinceAlias]:
    """The provinces a text names after "tỉnh" / "thành phố" / "tp", or by an alias that
    carries its kind ("TPHCM", "Thủ đô Hà Nội"), in order."""
    folded = fold(text)
    found: dict[int, ProvinceAlias] = {}
    for prefix in ("tinh ", "thanh pho ", "tp "):
        at = -1
        while (at := folded.find(prefix, at + 1)) >= 0:
            if at > 0 and folded[at - 1].isalnum():
                continue
            alias = _alias_at(folded[at + len(prefix) :], aliases)
            if alias is None and prefix == "thanh pho ":
                alias = _alias_at(folded[at:], aliases)  # "Thành phố Hà Nội" is an alias
            if alias is not None:
                found.setdefault(at, alias)
    for alias in aliases:
        if not alias.alias.startswith(_SELF_PREFIXED):
            continue
        at = -1
        while (at := folded.find(alias.alias, at + 1)) >= 0:
            end = at + len(alias.alias)
            bounded = (at == 0 or not folded[at - 1].isalnum()) and (
                end == len(folded) or not folded[end].isalnum()
            )
            if bounded and not any(a <= at < a + len(f.alias) + 10 for a, f in found.items()):
                found[at] = alias
    return [found[at] for at in sorted(found)]


def _exact_province(text: str, aliases: Sequence[ProvinceAlias]) -> ProvinceAlias | None:
    folded = fold(text)
    return next((a for a in aliases if a.alias == folded), None)


def _clean_name(text: str) -> str:
    """An agency's name as written, without what follows it (a parenthesis, a comma)."""
    text = text.split("(")[0].split(")")[0]
    return re.sub(r"\s+", " ", text).strip(" ,;:.-–")


def agency_key(name: str, reference: ReferenceData) -> str:
    """What two statements of the same agency share: its name folded, abbreviations
    written out (UBND, VP, TP), without its province ("Sở Nội vụ tỉnh Lào Cai",
    "VĂN PHÒNG UBND TPHCM" and "SỞ NỘI VỤ" agree with their names alone)."""
    words = [_AGENCY_WORDS.get(w, w) for w in fold(_clean_name(name)).split()]
    folded = " ".join(words)
    spelled = _spelled_aliases(reference.province_aliases)
    for at in range(1, len(words)):
        rest = " ".join(words[at:])
        # "tỉnh X"; a city only by its own alias ("thành phố Tuyên Quang" is a district's)
        of_province = words[at] == "tinh" and " ".join(words[at + 1 :]) in spelled
        if of_province or (
            rest in spelled and rest.startswith(("thanh pho ", "thu do ", "tinh ", "tp"))
        ):
            folded = " ".join(words[:at])
            break
    return re.sub(r" (?:tinh|thanh pho)$", "", folded)


@lru_cache(maxsize=8)
def _spelled_aliases(aliases: tuple[ProvinceAlias, ...]) -> frozenset[str]:
    return frozenset(" ".join(_AGENCY_WORDS.get(w, w) for w in a.alias.split()) for a in aliases)


def agency_type(name: str, reference: ReferenceData) -> str | None:
    """The agency's type from its name (seeds/agency_type_patterns.csv); a province's
    committee or office named with its province in short ("VĂN PHÒNG UBND TPHCM") is
    typed as the patterns type it with "tỉnh"."""
    found = reference.agency_type_of(name)
    if found is not None:
        return found
    key = agency_key(name, reference)
    if key != " ".join(_AGENCY_WORDS.get(w, w) for w in fold(_clean_name(name)).split()):
        return reference.agency_type_of(f"{key} tinh")
    return None


_AGENCY_WORDS = {"ubnd": "uy ban nhan dan", "vp": "van phong", "tp": "thanh pho"}


def _agency(
    name: str, found_by: Source, text: str, reference: ReferenceData, factor: float = 1.0
) -> Candidate | None:
    value = _clean_name(name)
    # "…XÃ TÂN YÊN, TỈNH ĐỒNG THÁP": the province after a comma is not part of the name
    # (a comma inside a name, "Sở Văn hóa, Thể thao và Du lịch", stays)
    parts = value.split(",")
    aliases = _aliases(reference)
    while len(parts) > 1 and fold(parts[-1]).startswith(("tinh ", "thanh pho ", "tp ")):
        if not _named_provinces(parts[-1], aliases):
            break
        parts.pop()
    value = _clean_name(",".join(parts))
    if not value or agency_type(value, reference) is None:
        return None
    return Candidate(
        "agency_name", value, agency_key(value, reference), found_by, _short(text), factor=factor
    )


def _mentions(
    aliases_named: Sequence[ProvinceAlias], found_by: Source, text: str, *, former: bool = False
) -> list[_Mention]:
    return [_Mention(a.name, a.alias, found_by, _short(text), former) for a in aliases_named]


def _formers(text: str, found_by: Source, aliases: Sequence[ProvinceAlias]) -> list[_Mention]:
    _, former = without_former(text)
    return [
        m
        for name in former
        for m in _mentions(_named_provinces(name, aliases), found_by, text, former=True)
    ]


def _head_end(lines: Sequence[str]) -> int:
    """Where the letterhead ends: at the kind heading ("BÁO CÁO") or an appendix title."""
    for i, text in enumerate(lines):
        folded = fold(text)
        if any(folded == h or folded.startswith(h + " ") for h in _KIND_HEADINGS):
            return i
        if _APPENDIX.match(folded):
            return i
    return len(lines)


def letterhead_candidates(
    lines: Sequence[str], reference: ReferenceData
) -> tuple[list[Candidate], list[_Mention]]:
    """The letterhead's bodies (DOCUMENTS.md): the superior body above names the province,
    the issuing body below is the agency. A People's Committee prints only its own name,
    often over two lines ("ỦY BAN NHÂN DÂN" / "HUYỆN HÒA QUANG"): one body. Lines of the
    motto, the number and the place and date are not bodies. Without a motto or a number
    line, the capitals above a table are a title row (a workbook's "SỞ NỘI VỤ TỈNH …")."""
    head = list(lines[: _head_end(lines)])
    formal = any(
        fold(t).startswith(_MOTTO) or _NUMBER.match(t) or _PLACE_DATE.match(t) for t in head
    )
    bodies: list[list[str]] = []
    for text in head:
        folded = fold(text)
        if (
            not folded
            or folded.startswith(_MOTTO)
            or _NUMBER.match(text)
            or _PLACE_DATE.match(text)
            or not _is_capitals(text)
        ):
            continue
        starts = reference.starts_with_agency(text) or folded in _BARE_BODIES
        if bodies and not starts:
            previous = fold(" ".join(bodies[-1]))
            if (
                previous in _BARE_BODIES
                or (len(bodies[-1]) < 3 and not folded.startswith(_LEVEL_WORDS[:2]))
                or folded.startswith(_LEVEL_WORDS)
            ):
                bodies[-1].append(text)
            continue
        if starts:
            bodies.append([text])
    names = [re.sub(r"\s+", " ", " ".join(b)).strip() for b in bodies]
    if not names:
        return [], []
    aliases = _aliases(reference)
    issuer_by: Source = "letterhead_issuer" if formal else "title_row"
    superior = names[0] if len(names) > 1 else None
    issuer = names[1] if superior else names[0]
    if superior and fold(issuer) in ("van phong", "vp"):
        issuer = f"{issuer} {superior}"  # "VĂN PHÒNG" under "UBND TỈNH X": its office
    candidates: list[Candidate] = []
    mentions: list[_Mention] = []
    if (found := _agency(issuer, issuer_by, issuer, reference)) is not None:
        candidates.append(found)
    mentions += _mentions(_named_provinces(issuer, aliases), issuer_by, issuer)
    if superior:
        superior_by: Source = "letterhead_superior" if formal else "title_row"
        mentions += _mentions(_named_provinces(superior, aliases), superior_by, superior)
    return candidates, mentions


def number_candidates(
    head: Sequence[str], captions: Sequence[str], reference: ReferenceData
) -> list[Candidate]:
    """The report's number ("Số: 127/BC-SNV"; a caption's "Báo cáo số …"), and the
    issuer its symbol names (SNV = Sở Nội vụ, seeds/agency_symbols.csv)."""
    found: list[tuple[str, Source, str]] = []
    found += [(m.group(1), "number_symbol", t) for t in head if (m := _NUMBER.match(t))]
    found += [(m.group(1), "caption", t) for t in captions if (m := _NUMBER_IN_CAPTION.search(t))]
    candidates: list[Candidate] = []
    for written, found_by, text in found:
        number = re.sub(r"\s*/\s*", "/", written.strip())
        if not re.match(r"\d", number):
            continue
        candidates.append(
            Candidate("report_number", number, number.upper(), found_by, _short(text))
        )
        symbol = _SYMBOL_NUMBER.search(number)
        issuer = symbol.group(2) if symbol and symbol.group(2) else None
        name = reference.symbol_agency(issuer) if issuer else None
        if name and (c := _agency(name, "number_symbol", text, reference)) is not None:
            candidates.append(c)
    return candidates


def sentence_candidates(
    texts: Sequence[str], reference: ReferenceData
) -> tuple[list[Candidate], list[_Mention]]:
    """The sentence in which the agency reports ("Ủy ban nhân dân huyện X, tỉnh Y báo
    cáo kết quả … 6 tháng đầu năm 2024 …"): the agency, its province, the period."""
    aliases = _aliases(reference)
    candidates: list[Candidate] = []
    mentions: list[_Mention] = []
    for text in texts:
        clean, _ = without_former(text)
        padded = f" {clean} "
        for match in _REPORTS.finditer(padded):
            before = re.split(r"[;:]|\.\s", padded[: match.start()])[-1]
            parts = [p for p in re.split(r",", before)]
            for at in range(len(parts) - 1, -1, -1):
                found = _agency(parts[at], "reporting_sentence", text, reference)
                if found is None:
                    continue
                candidates.append(found)
                tail = ", ".join(parts[at:])
                mentions += _mentions(_named_provinces(tail, aliases), "reporting_sentence", text)
                reading = read_period(padded[match.end() :], "reporting_sentence", bare_year=False)
                if reading:
                    candidates.append(_period(reading.period, "reporting_sentence", text))
                break
            if candidates:
                break
        mentions += _formers(text, "reporting_sentence", aliases) if candidates else []
        if candidates:
            break
    return candidates, mentions


def caption_candidates(
    captions: Sequence[str], reference: ReferenceData
) -> tuple[list[Candidate], list[_Mention]]:
    """ "(Kèm theo Báo cáo số … ngày … của <agency>, tỉnh …)": agency, province, date,
    period; what follows the caption's parenthesis ("(bổ sung)") is not the name."""
    aliases = _aliases(reference)
    candidates: list[Candidate] = []
    mentions: list[_Mention] = []
    for text in captions:
        mentions += _formers(text, "caption", aliases)
        clean, _ = without_former(text)
        lower = clean.lower()
        at = lower.find(" của ", lower.find("kèm theo"))
        if at >= 0:
            tail = re.split(r"[()]", clean[at + len(" của ") :])[0]
            parts = tail.split(",")
            if (found := _agency(parts[0], "caption", text, reference)) is not None:
                candidates.append(found)
                mentions += _mentions(_named_provinces(tail, aliases), "caption", text)
        match = _DATE_IN_CAPTION.search(clean)
        if match and (day := _iso(*match.groups())):
            candidates.append(Candidate("report_date", day, day, "caption", _short(text)))
        if reading := read_period(clean, "caption", bare_year=False):
            candidates.append(_period(reading.period, "caption", text))
    return candidates, mentions


def _period(period: Period, found_by: Source, text: str) -> Candidate:
    key = (period.period_type, period.year, period.number, period.end_year)
    return Candidate("period", period, key, found_by, _short(text))


def _standard_name(text: str, reference: ReferenceData) -> str:
    """A name written without diacritics ("so-noi-vu") as the seeds write it, if it is one."""
    return _folded_names(reference.agency_names).get(fold(text), text)


def _joined_name(
    parts: Sequence[str], at: int, aliases: Sequence[ProvinceAlias], reference: ReferenceData
) -> str:
    """A part with the parts after it that a dash cut from it: the rest of a standard
    name ("Sở Văn hóa - Thể thao và Du lịch") or of a province ("tỉnh Bà Rịa - Vũng Tàu")."""
    best = parts[at]

    def named(text: str) -> int:
        return sum(len(a.alias) for a in _named_provinces(text, aliases))

    for end in range(at + 1, len(parts)):
        joined = " - ".join(parts[at : end + 1])
        spans = named(joined) > named(best) + named(parts[end])  # named only across the cut
        if _standard_name(joined, reference) != joined or spans:
            best = joined
    return best


def name_text_candidates(
    text: str, found_by: Source, reference: ReferenceData, *, slug: bool = False
) -> tuple[list[Candidate], list[_Mention]]:
    """A short text that names the report: a sheet name, a page header or footer, a
    property, a file or folder name ("phu-luc_so-noi-vu_lao-cai_Q3.2024", "Báo cáo CCHC
    quý I năm 2024 - Sở Nội vụ tỉnh X", "SNV_BC_CCHC_nam_2023"). Its parts are cut at
    " - ", "_", ";", ","; in a file name a dash is a space."""
    aliases = _aliases(reference)
    candidates: list[Candidate] = []
    mentions = _formers(text, found_by, aliases)
    clean, _ = without_former(text)
    if reading := read_period(clean, found_by):
        candidates.append(_period(reading.period, found_by, text))
    parts = [p.strip() for p in _SEGMENTS.split(clean) if p and p.strip()]
    if slug:
        parts = [re.sub(r"(?<=\w)-(?=\w)", " ", p) for p in parts]
    # a province named across a cut ("tỉnh Bà Rịa - Vũng Tàu") is named in the whole text
    provinces: list[ProvinceAlias] = _named_provinces(clean, aliases)
    bare: list[str] = []
    for at, part in enumerate(parts):
        exact = _exact_province(part, aliases)
        if exact and exact not in provinces:
            provinces.append(exact)
        if fold(part) in _BARE_BODIES:
            bare.append(part)
            continue
        name = _standard_name(_joined_name(parts, at, aliases, reference), reference)
        if (found := _agency(name, found_by, text, reference)) is not None:
            candidates.append(found)
            continue
        for word in re.findall(r"[^\W_]+", part):
            name = reference.symbol_agency(word) if word.isupper() or slug else None
            if name and (found := _agency(name, found_by, text, reference, 0.8)) is not None:
                candidates.append(found)
    if bare and provinces and not any(c.field == "agency_name" for c in candidates):
        province = provinces[0]
        level = (
            "thành phố" if f"thanh pho {province.alias}" in {a.alias for a in aliases} else "tỉnh"
        )
        name = f"{bare[0].upper()} {level} {province.name}"
        if (found := _agency(name, found_by, text, reference)) is not None:
            candidates.append(found)
    mentions += _mentions(provinces, found_by, text)
    return candidates, mentions


def _file_parts(file_name: str) -> tuple[str, list[str]]:
    parts = [p for p in re.split(r"[\\/]", file_name) if p]
    return (file_stem(parts[-1]) if parts else ""), parts[:-1]


def _period_end(period: Period) -> date | None:
    month = {"quarter": 3 * (period.number or 1), "half_year": 6, "nine_months": 9, "year": 12}
    last = month.get(period.period_type)
    if last is None:
        return None
    following = date(period.year + (last == 12), last % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def _plausible(candidate: Candidate, report_date: str | None) -> Candidate:
    """A period whose end comes long after the report's own date is suspect."""
    if report_date is None or not isinstance(candidate.value, Period):
        return candidate
    end = _period_end(candidate.value)
    dated = date.fromisoformat(report_date)
    if end is None or (end - dated).days <= _IMPLAUSIBLE_DAYS:
        return candidate
    note = f"the report is dated {report_date}, before the period ends ({end.isoformat()})"
    return replace(candidate, factor=candidate.factor * IMPLAUSIBLE_FACTOR, note=note)


def _province_candidates(
    mentions: Sequence[_Mention], era: str | None, reference: ReferenceData
) -> tuple[list[Candidate], list[Candidate]]:
    """(province candidates, former-province candidates): each mention resolved in the
    report's era. One written "(cũ)" is a former province; so is a name that no longer
    exists on the report's date when another place names a province that does. Where
    none does (a late report of an old province), the old name stays the province, at
    a third of its weight and with a note."""
    by_alias = _aliases_by_name(reference.province_aliases)
    provinces: list[Candidate] = []
    stale: list[Candidate] = []
    formers: list[Candidate] = []
    for m in mentions:
        options = by_alias.get(m.folded, [])
        in_era = [a for a in options if a.era == era] if era else options
        if m.former:
            formers.append(
                Candidate("former_province_name", m.written, m.folded, m.found_by, m.text)
            )
            continue
        if era and not in_era:
            note = f"not a province on the report's date (era {era})"
            stale.append(
                Candidate("province_name", m.written, m.folded, m.found_by, m.text, note, 0.3)
            )
            continue
        key: Hashable = (in_era[0].province_code, era) if era else m.folded
        provinces.append(Candidate("province_name", m.written, key, m.found_by, m.text))
    if not provinces:
        return stale, formers
    formers += [
        Candidate("former_province_name", c.value, c.key, c.found_by, c.text) for c in stale
    ]
    return provinces, formers


def _without_own_seat(
    mentions: list[_Mention], place: str | None, agency: str, reference: ReferenceData
) -> list[_Mention]:
    """A district or commune dates its report at its own seat ("Hưng Yên, ngày …" from
    "UBND xã Hưng Yên"): that place names the unit, not its province, even where a
    province has the same name."""
    local = reference.agency_type_of(agency) in ("district", "commune")
    if not (place and local and fold(agency).endswith(" " + fold(place))):
        return mentions
    return [m for m in mentions if m.found_by != "place_date"]


def weigh_metadata(
    texts: Sequence[str], reference: ReferenceData, files: FileTexts = FileTexts()
) -> tuple[DocumentMeta, Evidence]:
    """Every place the document states who and when, weighed (ingest.evidence)."""
    head = list(texts[:_HEAD_PARAGRAPHS])
    letterhead_lines = list(files.letterhead) or head
    captions = _captions(texts)
    aliases = _aliases(reference)
    cands: list[Candidate] = []
    mentions: list[_Mention] = []

    found, named = letterhead_candidates(letterhead_lines, reference)
    cands += found
    mentions += named
    cands += number_candidates([*letterhead_lines, *head], captions, reference)
    place, place_date = find_place_and_date([*letterhead_lines, *head])
    if place_date:
        cands.append(Candidate("report_date", place_date, place_date, "place_date", place or ""))
    if place and (alias := _exact_province(place, aliases)) is not None:
        mentions += _mentions([alias], "place_date", place)
    kind, title = find_title(head)
    if title:
        clean_title, _ = without_former(title)
        if reading := read_period(clean_title, "title"):
            cands.append(_period(reading.period, "title", title))
        mentions += _mentions(_named_provinces(clean_title, aliases), "title", title)
    found, named = sentence_candidates(head, reference)
    cands += found
    mentions += named
    found, named = caption_candidates(captions, reference)
    cands += found
    mentions += named
    for text in _appendix_texts([t for t in texts if not t.startswith("(")]):
        if reading := read_period(text, "appendix_title", bare_year=False):
            cands.append(_period(reading.period, "appendix_title", text))
    places: list[tuple[str, Source, bool]] = [
        *((t, "sheet_name", False) for t in files.sheet_names),
        *((t, "page_header", False) for t in files.page_headers),
        *((t, "page_footer", False) for t in files.page_footers),
        *((t, "properties", False) for t in files.properties),
    ]
    if files.file_name:
        stem, folders = _file_parts(files.file_name)
        places.append((stem, "file_name", True))
        if folders:  # read together: "cao-bang/ubnd/…" is the province's committee
            places.append(("_".join(folders), "folder_name", True))
    for text, found_by, slug in places:
        found, named = name_text_candidates(text, found_by, reference, slug=slug)
        cands += found
        mentions += named
    # the province most named in the text ("tỉnh X"), former provinces left out
    counts: Counter[str] = Counter()
    first: dict[str, ProvinceAlias] = {}
    # the lines read as one text: a name wrapped over two lines ("tỉnh Thái" / "Nguyên")
    joined = " ".join([*head, *captions])
    clean, _ = without_former(joined)
    for alias in _named_provinces(clean, aliases):
        counts[alias.alias] += 1
        first.setdefault(alias.alias, alias)
    mentions += _formers(joined, "text_mention", aliases)
    if counts:
        top = first[counts.most_common(1)[0][0]]
        mentions += _mentions([top], "text_mention", f"{top.name} ×{counts[top.alias]}")

    def of(name: str) -> list[Candidate]:
        return [c for c in cands if c.field == name]

    decisions: dict[str, Decision] = {}
    for name in ("report_date", "report_number"):
        if d := decide(of(name)):
            decisions[name] = d
    report_date = decisions["report_date"].value if "report_date" in decisions else None
    periods = [_plausible(c, report_date) for c in of("period")]  # type: ignore[arg-type]
    if d := decide(periods):
        decisions["period"] = d
    era_day = report_date
    if era_day is None and "period" in decisions:
        end = _period_end(decisions["period"].value)  # type: ignore[arg-type]
        era_day = end.isoformat() if end else None
    if d := decide(of("agency_name")):
        decisions["agency_name"] = d
        mentions = _without_own_seat(mentions, place, str(d.value), reference)
    era = reference.era_on(era_day)  # type: ignore[arg-type]
    provinces, formers = _province_candidates(mentions, era, reference)
    if d := decide(provinces):
        decisions["province_name"] = d
    if d := decide(formers):
        decisions["former_province_name"] = d
    all_candidates = (*[c for c in cands if c.field != "period"], *periods, *provinces, *formers)
    meta = _meta(decisions, kind, head, reference)
    order = ("agency_name", "province_name", "period", "report_number", "report_date")
    ordered = {k: decisions[k] for k in (*order, "former_province_name") if k in decisions}
    return meta, Evidence(ordered, tuple(all_candidates))


def _representative(decision: Decision) -> str:
    """An agency's name as the strongest place writes it, preferring one not in capitals."""
    ranked = sorted(decision.supporters, key=lambda c: -c.weight)
    written = next((c for c in ranked if not _is_capitals(str(c.value))), ranked[0])
    return str(written.value)


def _meta(
    decisions: dict[str, Decision], kind: str | None, head: Sequence[str], reference: ReferenceData
) -> DocumentMeta:
    values: dict[str, Found] = {}
    if agency := decisions.get("agency_name"):
        name = _representative(agency)
        values["agency_name"] = Found(name, agency.found_by)
        if found_type := agency_type(name, reference):
            values["agency_type"] = Found(found_type, agency.found_by)
    if province := decisions.get("province_name"):
        official = _folded_names(reference.province_names)
        spelled = [str(c.value) for c in province.supporters if fold(str(c.value)) in official]
        key = province.winner.key
        named = reference.official_province(*key) if isinstance(key, tuple) else None
        # the official spelling where a place writes it, else the seed's official name
        name = spelled[0] if spelled else (named or str(province.value))
        values["province_name"] = Found(name, province.found_by)
    if period := decisions.get("period"):
        for name, value in period.value.as_fields().items():  # type: ignore[attr-defined]
            if value is not None:
                values[name] = Found(value, period.found_by)
    for name in ("report_number", "report_date"):
        if d := decisions.get(name):
            values[name] = Found(d.value, d.found_by)
    if kind:
        values["document_kind"] = Found(kind, "title")
    return DocumentMeta(**values, revision_kind=find_revision_kind(head, reference))


def detect_metadata(
    texts: Sequence[str],
    reference: ReferenceData,
    *,
    sheet_names: Sequence[str] = (),
    file_name: str | None = None,
    letterhead: Sequence[str] = (),
    page_headers: Sequence[str] = (),
    page_footers: Sequence[str] = (),
    properties: Sequence[str] = (),
) -> DocumentMeta:
    """The metadata weighed from every place (weigh_metadata), without the evidence."""
    files = FileTexts(letterhead, sheet_names, page_headers, page_footers, properties, file_name)
    return weigh_metadata(texts, reference, files)[0]


def report_period(meta: DocumentMeta) -> Period | None:
    """The report's own period, as its metadata states it (None while unknown)."""
    period_type, year = meta.period_type.value, meta.period_year.value
    if period_type is None or year is None:
        return None
    return Period(period_type, year, meta.period_number.value, meta.period_end_year.value)  # type: ignore[arg-type]
