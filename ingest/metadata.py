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
from collections.abc import Sequence
from datetime import date

from ingest.markup import fold
from ingest.model import DocumentMeta, Found, Scope
from ingest.periods import Period, PeriodReading, file_stem, read_period, states_period_year
from ingest.reference import ReferenceData

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


def detect_metadata(
    texts: Sequence[str],
    reference: ReferenceData,
    *,
    sheet_names: Sequence[str] = (),
    file_name: str | None = None,
) -> DocumentMeta:
    """Everything that can be read off the document's own words (and, for the period
    only, its sheet names and file name when its words say none); gaps stay None."""
    head = list(texts[:_HEAD_PARAGRAPHS])
    captions = _captions(texts)
    kind, title = find_title(head)
    reading = find_period(title, texts, captions, sheet_names, file_name)
    period = reading.period.as_fields() if reading else None
    place, place_date = find_place_and_date(head)
    agency = find_agency(head + captions, reference)
    province = find_province(head + captions, place, agency, reference)
    found = {
        "agency_name": agency,
        "agency_type": reference.agency_type_of(agency) if agency else None,
        "province_name": province,
        "report_number": find_report_number(head, captions),
        "report_date": place_date or find_caption_date(captions),
        "document_kind": kind,
        **(period or {}),
    }
    found_values = {k: Found(v) for k, v in found.items() if v is not None}
    return DocumentMeta(**found_values, revision_kind=find_revision_kind(head, reference))


def report_period(meta: DocumentMeta) -> Period | None:
    """The report's own period, as its metadata states it (None while unknown)."""
    period_type, year = meta.period_type.value, meta.period_year.value
    if period_type is None or year is None:
        return None
    return Period(period_type, year, meta.period_number.value, meta.period_end_year.value)  # type: ignore[arg-type]
