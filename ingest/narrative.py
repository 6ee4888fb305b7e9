"""Figures a report states in sentences, and the targets a plan states.

Three pure functions over ``Paragraph`` blocks (``ingest.model``):

``join_wrapped``
    Text extracted from PDF is wrapped every ~80 characters, and a page's footnotes and
    links interrupt a sentence that runs on over the page break. A line that continues
    a paragraph is joined to it with one space; the joined paragraph keeps the range of
    its lines (``"389-392"``). Whether a text is wrapped is read from the text itself:
    many lines of about the same length that end before a line starting in lower case.
    Only then does a line starting in upper case continue a full-width line that does
    not end a sentence (``… tỉnh Tuyên`` / ``Quang năm 2022``). In any text, a line
    continues the one before it when it starts in lower case, with ``;``/``.`` where a
    footnote marker was dropped, or with a digit after a line left open.

``extract_figures`` (kind ``figure``)
    A figure is a number followed by a unit from ``UNIT_WORDS`` (or ``%``), or a number
    standing alone after a label and ``:``/``là`` (``số TTHC cấp tỉnh là 1.497``).

    * ``figure_text`` is the number as written (``1.855``, ``41,05%``, ``43.83%``).
    * A fraction ``41/47`` becomes two facts, ``41`` and ``47``: the whole (``47``) is
      an ordinary fact, the part (``41``) has ``breakdown_of='47'`` and
      ``breakdown_position=1``. What is broken down right after a fraction
      (``90/101 người (trong đó công chức: 52; …)``) breaks down the numerator.
    * A breakdown — ``trong đó``, ``gồm``, or a parenthesis of figures right after a
      count, also a ``Trong đó:`` that ends a paragraph followed by list items — gives
      each part ``breakdown_of`` = the total's ``figure_text`` and its 1-based place.
      A total broken down twice (by level, then by kind) numbers each breakdown from 1.
      A percentage is never a part of a count.
    * ``subject_text`` says what is counted, as written: the label before the figure
      when there is one (``tổng số TTHC thuộc thẩm quyền giải quyết tại địa phương``);
      otherwise the clause's words before and after the figure, with the figure cut
      out (``Sở đã thực hiện phần việc theo Kế hoạch CCHC năm 2023 của Sở``), or just
      the words before it when the words after are only its unit (``bổ nhiệm lại``,
      unit ``người``). A bare ratio (``…, đạt tỷ lệ 87,23%``) takes the statement it is
      a ratio of, as written (``Sở đã thực hiện 41/47 phần việc theo Kế hoạch CCHC năm
      2023 của Sở``).
    * ``source_line`` is the range of lines that hold the figure's sentence.
    * ``window_*``: the window (``ingest.windows.find_window``) stated in the sentence
      or in the closest sentence before it in the same paragraph.
    * ``comparator`` only where the text qualifies the figure (``trên 70%`` → ``>``).
    * ``section``: the heading number in force, as written. A one-level number under a
      Roman part is qualified by it (``I.4``), a deeper number is not (``2.2``), and a
      lettered heading is appended (``2.3 c)``). None for a footnote, whose text sits
      where its page ended rather than under its heading.

    Not figures: dates, years, document and item numbers (``876/QĐ-BNV``, ``Đề án
    06``, ``mức độ 3``, ``(1)``), footnote markers stuck to a word (``năm 20234``),
    thresholds inside a label (``từ 70% - dưới 100%``), changes against an earlier
    period (``tăng 404 văn bản so với cùng kỳ``) and counts of things outside the CCHC
    vocabulary (``tờ gấp``, ``buổi``, ``thuê bao``). Numbers under target headings are
    targets, and numbers under headings of plans and proposals (``Phương hướng, nhiệm
    vụ …``, ``Giải pháp``, ``Kiến nghị``) are neither figures nor targets.

``extract_targets`` (kind ``target``)
    Every figure under a heading whose title starts with ``Mục tiêu`` or ``Định hướng``
    (up to the next heading of the same or a higher level), with ``comparator``
    (``>=``, ``>``, ``=``, ``<=``, ``<``), ``target_year`` from the sentence's own
    ``Đến năm 2025,`` or the heading in force, and ``section`` (``2.2 a)``, ``2.6.1``).
    A range ``từ 6% - 10%`` gives two targets (``>=`` 6%, ``<=`` 10%). The subject is
    what the target is about, as written (the words after ``Tối thiểu 80%``, or the
    label before ``… đạt tối thiểu 50%``).

The words that recognise units, labels, comparators and non-figures are reference
vocabulary, kept in the constants below and matched case-insensitively with both tone
placements (``hoá``/``hóa``). They are matched with their diacritics: without them,
short words collide (``số``/``Sở``, ``đạt``/``đất``, ``từ``/``tư``).
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise

from ingest.model import NarrativeFact, Paragraph
from ingest.windows import Window, find_window

# ------------------------------------------------------------------ vocabulary

# Units written right after a count, as reports write them. They follow
# seeds/unit_aliases.csv and add the count nouns that sentences use.
UNIT_WORDS: tuple[str, ...] = (
    # procedures (TTHC)
    "thủ tục hành chính",
    "bộ thủ tục hành chính",
    "danh mục thủ tục hành chính",
    "danh mục TTHC",
    "TTHC",
    "thủ tục",
    "quy trình",
    # dossiers
    "hồ sơ, giấy tờ",
    "hồ sơ",
    # documents
    "văn bản quy phạm pháp luật",
    "văn bản QPPL",
    "VB QPPL",
    "VBQPPL",
    "lượt văn bản",
    "văn bản",
    "quyết định",
    "kế hoạch",
    "nghị quyết",
    "chỉ thị",
    "công văn",
    "báo cáo",
    "đề án",
    "dự thảo",
    "đề nghị",
    # tasks
    "nhiệm vụ",
    "phần việc",
    "chỉ tiêu",
    # feedback (PAKN)
    "phản ánh, kiến nghị",
    "phản ánh",
    "kiến nghị",
    "PAKN",
    "ý kiến",
    # public services (DVC, DVCTT)
    "dịch vụ công trực tuyến",
    "dịch vụ hành chính công",
    "dịch vụ công",
    "dịch vụ",
    "DVCTT",
    "DVC",
    # organisations
    "cơ quan, đơn vị",
    "phòng, ban, đơn vị",
    "phòng ban, đơn vị",
    "phòng, đơn vị",
    "sở, ban, ngành",
    "đơn vị sự nghiệp công lập",
    "đơn vị sự nghiệp",
    "ĐVSNCL",
    "đơn vị",
    "cơ quan",
    "phòng chuyên môn",
    "phòng ban",
    "phòng",
    "đầu mối",
    "tổ chức",
    # people and posts
    "cán bộ, công chức, viên chức",
    "cán bộ, công chức",
    "công chức, viên chức",
    "lãnh đạo, quản lý",
    "lãnh đạo quản lý",
    "công chức",
    "viên chức",
    "cán bộ",
    "biên chế",
    "hợp đồng",
    "lượt người",
    "người",
    "trường hợp",
    # media and events
    "tin, bài",
    "tin bài",
    "chuyên mục",
    "cuộc họp",
    "cuộc",
    "lớp",
    # inspections, surveys, e-government
    "vấn đề",
    "phiếu khảo sát",
    "phiếu",
    "phần mềm",
    "tài khoản",
    "chứng thư số",
    "sim ký số",
    "chữ ký số",
    "cơ sở dữ liệu",
    "dữ liệu mở",
    "hệ thống",
    "nền tảng số",
    "điểm cầu",
    # money
    "tỷ đồng",
    "triệu đồng",
    "nghìn đồng",
    "tr.đ",
    "trđ",
    "đồng",
)

# Words that start like a unit but name something else ("01 đồng chí" is a person).
UNIT_FALSE_FRIENDS: tuple[str, ...] = ("đồng chí", "đồng thời", "đồng bộ", "đồng ý")

# A label that starts with one of these names what is counted ("số TTHC cấp tỉnh").
SUBJECT_HEAD_WORDS: tuple[str, ...] = (
    "tổng số",
    "số lượng",
    "số",
    "tỷ lệ",
    "tổng",
    "chỉ số",
    "mức độ",
)

# Words between a label and its value ("… là 1.497", "… đạt 41,7%"): not in the subject.
LABEL_MARKERS: tuple[str, ...] = ("đạt tỷ lệ", "ước đạt", "đạt", "bằng", "là")

# Words that open a breakdown of the count just stated.
BREAKDOWN_WORDS: tuple[str, ...] = ("trong số đó", "trong đó", "bao gồm", "gồm")

# Words before a number that qualify it; the key is the comparator of the fact.
COMPARATOR_WORDS: dict[str, tuple[str, ...]] = {
    ">=": ("tối thiểu", "ít nhất", "không dưới", "không thấp hơn", "từ"),
    ">": ("trên", "hơn"),
    "<=": ("tối đa", "không quá", "không vượt quá"),
    "<": ("dưới", "chưa đạt"),
}
# ... and after it ("đạt từ 86% trở lên").
COMPARATOR_AFTER_WORDS: dict[str, tuple[str, ...]] = {">=": ("trở lên",), "<=": ("trở xuống",)}

# Words between a label and its count, dropped when the subject is the label alone
# ("cấp tỉnh có 21 điểm cầu" → "cấp tỉnh").
LABEL_TRAILING_WORDS: tuple[str, ...] = ("hiện có", "đã có", "mới có", "có")

# Words that make a number approximate ("khoảng 1.760"): not in the subject, no comparator.
APPROXIMATE_WORDS: tuple[str, ...] = ("khoảng", "gần", "ước tính", "ước", "chỉ", "phấn đấu")

# A heading whose title starts with one of these opens a section of targets.
TARGET_HEADING_WORDS: tuple[str, ...] = ("mục tiêu", "định hướng")

# ... and one of these a section of plans and proposals (what will be done, not what
# was): its numbers are neither reported figures nor targets.
PLAN_HEADING_WORDS: tuple[str, ...] = (
    "phương hướng",
    "nhiệm vụ thực hiện",
    "giải pháp",
    "kiến nghị",
    "đề xuất",
)

# A number right after one of these (optionally followed by "số") is a date, a year, a
# document or item number, a level or a rank, never a count.
NOT_A_COUNT_AFTER: tuple[str, ...] = (
    "ngày",
    "tháng",
    "năm",
    "quý",
    "tuần",
    "giai đoạn",
    "nhiệm kỳ",
    "khóa",
    "lần thứ",
    "thứ",
    "mức độ",
    "cấp độ",
    "phiên bản",
    "điều",
    "khoản",
    "phụ lục",
    "iso",
    "tcvn",
    "cụm",
    "nhóm",
    "hạng",
    "nghị định",
    "quyết định",
    "nghị quyết",
    "thông tư",
    "chỉ thị",
    "công văn",
    "kế hoạch",
    "báo cáo",
    "văn bản",
    "tờ trình",
    "thông báo",
    "đề án",
    "chương trình",
    "luật",
    "hđlđ",
    "kh",
    "qđ",
)

# Phrases of time or purpose that open a sentence before the label of a figure
# ("Tính đến thời điểm báo cáo, Sở đã thực hiện …"): dropped up to their comma.
LEADING_CIRCUMSTANCE_WORDS: tuple[str, ...] = (
    "tính từ",
    "tính đến",
    "tính tới",
    "từ ngày",
    "đến ngày",
    "đến nay",
    "đến thời điểm",
    "đến hết",
    "đến năm",
    "trong quý",
    "trong kỳ",
    "trong năm",
    "trong 6 tháng",
    "năm",
    "quý",
    "hiện nay",
    "hiện tại",
    "tới cuối",
    "ước tính",
    "qua rà soát",
    "theo đó",
    "ngoài ra",
    "để",
)

# Words that end the phrase after a figure: the next clause starts there.
CLAUSE_BREAK_WORDS: tuple[str, ...] = (
    "trong số đó",
    "trong đó",
    "bao gồm",
    "gồm",
    "và",
    "khi",
    "đạt",
    "bằng",
    "tăng",
    "giảm",
)

# Connectors dropped from the start of a subject.
LEADING_CONNECTOR_WORDS: tuple[str, ...] = (
    "trong số đó",
    "trong đó",
    "bao gồm",
    "gồm",
    "và",
    "với",
    "khi",
    "còn",
    "có",
    "như vậy",
)

# "tăng 404 văn bản so với cùng kỳ": a change against an earlier period, not a figure.
CHANGE_WORDS: tuple[str, ...] = ("tăng", "giảm")
COMPARED_WITH_WORDS: tuple[str, ...] = ("so với",)

# Labels too generic to say what is counted ("Kết quả: 97/97 hồ sơ").
GENERIC_LABELS: tuple[str, ...] = ("kết quả", "cụ thể")

# A wrapped heading line that ends on one of these runs on to the next line.
RUN_ON_WORDS: tuple[str, ...] = (
    "của",
    "và",
    "các",
    "những",
    "về",
    "với",
    "theo",
    "tại",
    "trong",
    "cho",
    "để",
    "đến",
    "từ",
    "là",
    "được",
    "số",
    "thuộc",
    "hoặc",
    "trên",
    "giữa",
    "bằng",
    "do",
    "nhằm",
    "ngày",
    "tháng",
    "năm",
)

# ------------------------------------------------------------------ matching

_TONE_PLACEMENT = {
    "oá": "óa",
    "oà": "òa",
    "oả": "ỏa",
    "oã": "õa",
    "oạ": "ọa",
    "oé": "óe",
    "oè": "òe",
    "oẻ": "ỏe",
    "oẽ": "õe",
    "oẹ": "ọe",
    "uý": "úy",
    "uỳ": "ùy",
    "uỷ": "ủy",
    "uỹ": "ũy",
    "uỵ": "ụy",
}
_TONE_RE = re.compile("|".join(_TONE_PLACEMENT))


def norm(text: str) -> str:
    """Lower case, one tone placement (``hoá`` → ``hóa``), same length as ``text``
    (which is NFC, as readers leave it): offsets in the result are offsets in ``text``."""
    lowered = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
    return _TONE_RE.sub(lambda m: _TONE_PLACEMENT[m.group()], lowered)


def _words(words: Sequence[str]) -> tuple[str, ...]:
    """Vocabulary as matched: normalised, longest first."""
    return tuple(
        sorted({norm(unicodedata.normalize("NFC", w)) for w in words}, key=len, reverse=True)
    )


def _is_word_char(ch: str) -> bool:
    return ch.isalnum()


def _starts_with_word(text: str, words: Sequence[str]) -> str | None:
    """The first of ``words`` that normalised ``text`` starts with, as a whole word."""
    for word in words:
        if text.startswith(word) and (len(text) == len(word) or not _is_word_char(text[len(word)])):
            return word
    return None


def _ends_with_word(text: str, words: Sequence[str]) -> str | None:
    for word in words:
        if text.endswith(word):
            before = len(text) - len(word) - 1
            if before < 0 or not _is_word_char(text[before]):
                return word
    return None


_UNITS = _words(UNIT_WORDS)
_FALSE_FRIENDS = _words(UNIT_FALSE_FRIENDS)
_HEADS = _words(SUBJECT_HEAD_WORDS)
_MARKERS = _words(LABEL_MARKERS)
_BREAKDOWNS = _words(BREAKDOWN_WORDS)
_LIST_BREAKDOWNS = _words(("gồm", "bao gồm"))
_APPROXIMATE = _words(APPROXIMATE_WORDS)
_TRAILING = _words(LABEL_TRAILING_WORDS)
_TARGET_HEADINGS = _words(TARGET_HEADING_WORDS)
_PLAN_HEADINGS = _words(PLAN_HEADING_WORDS)
_NOT_COUNT = _words(NOT_A_COUNT_AFTER)
_CIRCUMSTANCES = _words(LEADING_CIRCUMSTANCE_WORDS)
_CLAUSE_BREAKS = _words(CLAUSE_BREAK_WORDS)
_CONNECTORS = _words(LEADING_CONNECTOR_WORDS)
_SPLITTERS = tuple(w for w in _CONNECTORS if w not in _words(("với", "có")))  # 'đối với'…
_CHANGES = _words(CHANGE_WORDS)
_COMPARED = _words(COMPARED_WITH_WORDS)
_GENERIC = _words(GENERIC_LABELS)
_RUN_ON = _words(RUN_ON_WORDS)
_COMPARATOR_OF = {norm(w): op for op, words in COMPARATOR_WORDS.items() for w in words}
_COMPARATORS = _words(tuple(_COMPARATOR_OF))
_COMPARATORS_AFTER = tuple((norm(w), op) for op, ws in COMPARATOR_AFTER_WORDS.items() for w in ws)

# ------------------------------------------------------------------ line shapes

_URL = re.compile(r"^(?:https?://|www\.)\S*$", re.IGNORECASE)
_SEPARATOR = re.compile(r"^[-_=*·.…]{3,}$")
_ROMAN_HEADING = re.compile(r"^([IVXLC]+)\.\s+\S")
_NUMBER_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2})+)\.?\s+\S|^(\d{1,2})\.\s+\S")
_LETTER_HEADING = re.compile(r"^([a-zđ])[).]\s+\S")
_PART_HEADING = re.compile(r"^phần\s+[IVXLC]+\b", re.IGNORECASE)
_BULLET = re.compile(r"^[-+•*–]\s*")
_BULLETS = re.compile(r"^\s*(?:[-+•*–]\s+)+")
_DIGIT_FOOTNOTE = re.compile(r"^(\d{1,2})\s+(\S)")
_HARD_END = ".!?…:;"
_SOFT_END = ":;,"


def _is_open(text: str) -> bool:
    """Whether a line stops mid-sentence (no final '.', ':', ';', '!', '?')."""
    stripped = text.rstrip(" \"'”’»)]")
    return bool(stripped) and stripped[-1] not in _HARD_END


def _is_heading(text: str) -> bool:
    return bool(
        _ROMAN_HEADING.match(text)
        or _NUMBER_HEADING.match(text)
        or _LETTER_HEADING.match(text)
        or _PART_HEADING.match(text)
    )


def _runs_on(text: str) -> bool:
    """A line ending on a word that cannot end a title runs on to the next line."""
    normed = norm(text.rstrip())
    return normed.endswith(",") or _ends_with_word(normed, _RUN_ON) is not None


# ------------------------------------------------------------------ join_wrapped

_ASIDES = ("footnote", "link")


@dataclass
class _Group:
    """Lines that make one paragraph: main text, a heading, a list item, a footnote or
    a link (an aside, which a page break puts in the middle of running text)."""

    kind: str
    lines: list[Paragraph] = field(default_factory=list)

    @property
    def last_text(self) -> str:
        return self.lines[-1].text

    @property
    def is_open(self) -> bool:
        """Mid-sentence at its last line, or inside a parenthesis still open."""
        if _is_open(self.last_text):
            return True
        text = " ".join(p.text for p in self.lines)
        return text.count("(") > text.count(")")

    def source_lines(self, start: int, end: int) -> str:
        """The lines that hold text[start:end] of the joined paragraph ('388-392')."""
        held: list[Paragraph] = []
        offset = 0
        for line in self.lines:
            if offset < end and offset + len(line.text) > start:
                held.append(line)
            offset += len(line.text) + 1
        held = held or self.lines
        first = held[0].source_line.split("-")[0]
        last = held[-1].source_line.split("-")[-1]
        return first if first == last else f"{first}-{last}"

    def to_paragraph(self) -> Paragraph:
        first, last = self.lines[0], self.lines[-1]
        start = first.source_line.split("-")[0]
        end = last.source_line.split("-")[-1]
        return Paragraph(
            text=" ".join(p.text for p in self.lines),
            source_line=start if start == end else f"{start}-{end}",
            line_no=first.line_no,
            is_footnote=first.is_footnote or self.kind == "footnote",
        )


@dataclass(frozen=True)
class _Layout:
    """How the lines were wrapped: the wrap width, or None if they were not."""

    width: float | None

    def is_full(self, text: str) -> bool:
        return self.width is not None and len(text) >= 0.8 * self.width


def _layout(paragraphs: Sequence[Paragraph]) -> _Layout:
    lengths = [len(a.text) for a, b in pairwise(paragraphs) if b.text[:1].islower()]
    if len(lengths) < 8:
        return _Layout(None)
    q1, median, q3 = statistics.quantiles(lengths, n=4)
    return _Layout(median if q3 - q1 <= 0.25 * median else None)


def _line_kind(p: Paragraph, layout: _Layout, next_footnote: int) -> str:
    text = p.text
    if p.is_footnote or text.startswith("\ufffd"):
        return "footnote"
    if _URL.match(text):
        return "link"
    if _SEPARATOR.match(text):
        return "separator"
    if _is_heading(text):
        return "heading"
    if _BULLET.match(text):
        return "bullet"
    marker = _DIGIT_FOOTNOTE.match(text)
    if (
        layout.width is not None
        and marker
        and int(marker.group(1)) == next_footnote
        and marker.group(2)[0].isupper()
    ):
        return "footnote"  # footnotes are numbered 1, 2, 3 … through a document
    first = text[0]
    if first.islower():
        return "lower"
    if first in ";,.)":
        return "punct"
    if first.isdigit():
        return "digit"
    return "other"


def _open_before_aside(groups: list[_Group]) -> _Group | None:
    """The paragraph a footnote or a link interrupted, if it was left open."""
    for group in reversed(groups):
        if group.kind in _ASIDES:
            continue
        return group if group.kind != "heading" and group.is_open else None
    return None


def _open_before_list(groups: list[_Group]) -> _Group | None:
    """The paragraph left open before a run of list items (a footnote's list)."""
    for group in reversed(groups[:-1]):
        if group.kind in (*_ASIDES, "bullet"):
            continue
        return group if group.kind == "main" and group.is_open else None
    return None


def _continuation_target(groups: list[_Group], layout: _Layout) -> _Group | None:
    """The group a continuing line belongs to: the last one, a footnote that ran to
    full width, or the paragraph a footnote or link interrupted at a page break."""
    last = groups[-1]
    if last.kind not in _ASIDES:
        return last
    if last.kind == "footnote" and last.is_open and layout.is_full(last.last_text):
        return last
    return _open_before_aside(groups)


def _join_target(groups: list[_Group], kind: str, layout: _Layout) -> _Group | None:
    last = groups[-1]
    wrapped = layout.width is not None
    if kind in ("lower", "punct", "digit"):
        if last.kind in _ASIDES:
            target = _continuation_target(groups, layout) if wrapped else _open_before_aside(groups)
            if kind == "digit" and target is not None and target.kind not in _ASIDES:
                # a number resumes a paragraph across footnotes only after a word that
                # needs one ("… Kế hoạch số 84/KH-UBND ngày" / "19/5/2022 của …")
                target = target if _runs_on(target.last_text) else None
            if kind != "digit":
                target = target or last
        elif last.is_open or (kind != "digit" and last.last_text.rstrip()[-1:] in _SOFT_END):
            target = last
        elif kind != "digit":
            target = _open_before_list(groups) or last
        else:
            target = None
        return target if target is not None and (kind != "digit" or target.is_open) else None
    # a line starting in upper case continues only a wrapped line that ran to full width
    if not wrapped:
        return None
    target = _continuation_target(groups, layout)
    if target is None or not target.is_open or not layout.is_full(target.last_text):
        return None
    if target.kind == "heading" and not _runs_on(target.last_text):
        return None
    return target


def join_wrapped(paragraphs: Sequence[Paragraph]) -> list[Paragraph]:
    """Join the lines of wrapped text into paragraphs (see the module docstring).
    Joining joined paragraphs again changes nothing."""
    return [group.to_paragraph() for group in _join(paragraphs)]


def _join(paragraphs: Sequence[Paragraph]) -> list[_Group]:
    layout = _layout(paragraphs)
    groups: list[_Group] = []
    in_aside = False  # inside a page's footnotes (after a separator or a footnote)
    next_footnote = 1
    for p in paragraphs:
        kind = _line_kind(p, layout, next_footnote)
        if kind == "footnote":
            marker = _DIGIT_FOOTNOTE.match(p.text)
            if marker and layout.width is not None:
                next_footnote = int(marker.group(1)) + 1
            groups.append(_Group("footnote", [p]))
            in_aside = True
        elif kind in ("link", "separator"):
            groups.append(_Group("link", [p]))
            in_aside = in_aside or kind == "separator"
        elif kind == "heading":
            groups.append(_Group("heading", [p]))
            in_aside = False
        elif kind == "bullet":
            groups.append(_Group("footnote" if in_aside else "bullet", [p]))
        else:
            target = _join_target(groups, kind, layout) if groups else None
            if target is None:
                groups.append(_Group("main", [p]))
                in_aside = False
                continue
            target.lines.append(p)
            in_aside = in_aside and target.kind in _ASIDES
            if target is not groups[-1]:  # back from a page's footnotes
                groups.remove(target)
                groups.append(target)
    groups.sort(key=lambda g: g.lines[0].line_no)
    return groups


# ------------------------------------------------------------------ sentences

_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)]*\s+")
_ABBREVIATIONS = frozenset({"tp", "ts", "ths", "p", "v.v"})


def _sentences(text: str) -> list[tuple[int, str]]:
    """Sentences of a paragraph, with where each starts: a final '.', '!', '?' followed
    by a capital or a digit ends one."""
    cuts = [0]
    for match in _SENTENCE_END.finditer(text):
        after = text[match.end() : match.end() + 1]
        if not (after.isupper() or after.isdigit() or after in ("-", "+", "“", '"', "(")):
            continue
        if text[: match.start()].rsplit(" ", 1)[-1].lower() in _ABBREVIATIONS:
            continue
        cuts.append(match.end())
    cuts.append(len(text))
    out = []
    for start, end in pairwise(cuts):
        piece = text[start:end]
        bullet = _BULLETS.match(piece)  # '- ', '+ ', '- + ': list marks, not the sentence's
        skip = bullet.end() if bullet else len(piece) - len(piece.lstrip())
        if piece[skip:].strip():
            out.append((start + skip, piece[skip:].strip()))
    return out


# ------------------------------------------------------------------ headings

_YEAR = re.compile(r"\bnăm\s+((?:19|20)\d{2})\b", re.IGNORECASE)


@dataclass(frozen=True)
class _Heading:
    level: int
    number: str
    kind: str  # part, roman, number, letter
    is_target: bool
    year: int | None
    is_plan: bool = False


def _heading(text: str) -> _Heading | None:
    if _PART_HEADING.match(text):
        return _Heading(0, "", "part", False, None)
    match = _ROMAN_HEADING.match(text)
    if match:
        return _make_heading(1, match.group(1), "roman", text[match.end(1) :])
    match = _NUMBER_HEADING.match(text)
    if match:
        number = match.group(1) or match.group(2)
        return _make_heading(2 + number.count("."), number, "number", text[len(number) :])
    match = _LETTER_HEADING.match(text)
    if match:
        return _make_heading(10, match.group(1), "letter", text[2:])
    return None


def _make_heading(level: int, number: str, kind: str, title: str) -> _Heading:
    title = norm(title.lstrip(". )").strip())
    is_target = _starts_with_word(title, _TARGET_HEADINGS) is not None
    is_plan = _starts_with_word(title, _PLAN_HEADINGS) is not None
    years = {int(y) for y in _YEAR.findall(title)}
    year = years.pop() if is_target and len(years) == 1 else None
    return _Heading(level, number, kind, is_target, year, is_plan)


@dataclass
class _Outline:
    """The headings in force while a document is read from top to bottom."""

    stack: list[_Heading] = field(default_factory=list)

    def enter(self, heading: _Heading) -> None:
        while self.stack and self.stack[-1].level >= heading.level:
            self.stack.pop()
        self.stack.append(heading)

    def _last(self, kind: str) -> str | None:
        return next((h.number for h in reversed(self.stack) if h.kind == kind), None)

    @property
    def section(self) -> str | None:
        roman, number, letter = self._last("roman"), self._last("number"), self._last("letter")
        base = number
        if number and "." not in number and roman:
            base = f"{roman}.{number}"
        elif not number:
            base = roman
        if letter:
            return f"{base} {letter})" if base else f"{letter})"
        return base

    @property
    def in_targets(self) -> bool:
        return any(h.is_target for h in self.stack)

    @property
    def in_plans(self) -> bool:
        return any(h.is_plan for h in self.stack)

    @property
    def target_year(self) -> int | None:
        return next((h.year for h in reversed(self.stack) if h.year is not None), None)


# ------------------------------------------------------------------ numbers

_NUM = r"\d+(?:[.,]\d+)*"
_TOKEN = re.compile(rf"(?<![\w/.,\-–])({_NUM})(?:/({_NUM}))?(?:/({_NUM}))?(\s?%)?(?![\w/]|[.,]\d)")
_VALID = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$|^\d+(?:,\d+)?$")
_DOT_DECIMAL = re.compile(r"^\d{1,3}\.\d{1,2}$")  # '43.83%': a decimal point before '%'
_ID_AFTER = re.compile(r"^\s?/\s?[^\W\d]|^[-–]\w")
_RANGE = re.compile(
    rf"\btừ\s+({_NUM})(\s?%)?\s*(?:-|–|đến)\s*(?:dưới|trên)?\s*({_NUM})(\s?%)?", re.IGNORECASE
)
_VALUE_END = re.compile(r"^\s*(?:[;,.)]|$|và\b)")


@dataclass(frozen=True)
class _Number:
    """A number in a sentence that may be a figure: a/b for a fraction."""

    start: int
    end: int  # '%' included
    text: str  # as written; for a fraction a/b, 'b'
    numerator: str | None
    percent: bool

    @property
    def total_text(self) -> str:
        """What a breakdown right after this number breaks down."""
        return self.numerator if self.numerator is not None else self.text


def _is_year(text: str) -> bool:
    return len(text) == 4 and text.isdigit() and 1900 <= int(text) <= 2099


def _valid(text: str, percent: bool) -> bool:
    return bool(_VALID.match(text)) or (percent and bool(_DOT_DECIMAL.match(text)))


def _numbers(sentence: str, normed: str) -> Iterator[_Number]:
    """Numbers that may be figures: dates, years, ids and list markers left out."""
    for match in _TOKEN.finditer(sentence):
        first, second, third, sign = match.groups()
        after = sentence[match.end() :]
        before = normed[: match.start()].rstrip()
        if third is not None or _ID_AFTER.match(after):
            continue  # a date d/m/yyyy, '876/QĐ-BNV', '18-NQ/TW', '2021-2025'
        if before.endswith("(") and after.startswith(")"):
            continue  # a list marker '(1)'
        if any(
            _ends_with_word(b, _NOT_COUNT)
            for b in (before, before.removesuffix(" số"), before.removesuffix(" số:"))
        ):
            continue
        percent = sign is not None
        if second is not None:
            if _is_year(second) or not (_valid(first, False) and _valid(second, percent)):
                continue  # '5/2022' is a month
            yield _Number(match.start(), match.end(), second, first, percent)
        elif _valid(first, percent):
            text = sentence[match.start() : match.end()] if percent else first
            yield _Number(match.start(), match.end(), text, None, percent)


def _unit_after(sentence: str, normed: str, number: _Number) -> tuple[str | None, int]:
    """The unit written right after a number (``%`` included), and where it ends."""
    if number.percent:
        return "%", number.end
    rest = normed[number.end :]
    if not rest[:1].isspace():
        return None, number.end
    offset = number.end + len(rest) - len(rest.lstrip())
    unit = _starts_with_word(normed[offset:], _UNITS)
    if unit is None or _starts_with_word(normed[offset:], _FALSE_FRIENDS):
        return None, number.end
    return sentence[offset : offset + len(unit)], offset + len(unit)


def _ranges(sentence: str) -> list[tuple[int, int]]:
    """Where the two numbers of each range start: 'từ 6% - 10%', 'từ 70% - dưới 100%'."""
    return [(m.start(1), m.start(3)) for m in _RANGE.finditer(sentence)]


# ------------------------------------------------------------------ clauses


def _depth_scan(text: str, lo: int, hi: int) -> Iterator[tuple[int, str, int]]:
    """(index, char, parenthesis depth relative to ``lo``) for text[lo:hi]."""
    depth = 0
    for i in range(lo, hi):
        ch = text[i]
        if ch == "(":
            yield i, ch, depth
            depth += 1
        elif ch == ")":
            depth -= 1
            yield i, ch, depth
        else:
            yield i, ch, depth


def _clause_start(sentence: str, lo: int, hi: int, *, after_count: bool) -> tuple[int, int]:
    """Where the clause of a figure at ``hi`` starts (after a ';', a ')' closing
    something opened before ``lo``, or the '(' the figure stands in), and where it
    ends (``hi``, or the '(' when the figure is the first thing in a parenthesis)."""
    stack: list[tuple[int, int]] = []  # (index of '(', clause start outside it)
    start = lo
    for i, ch, _ in _depth_scan(sentence, lo, hi):
        if ch == "(":
            stack.append((i, start))
            start = i + 1
        elif ch == ")":
            start = stack.pop()[1] if stack else i + 1
        elif ch == ";":
            start = i + 1
    if stack and not sentence[start:hi].strip() and not after_count:
        paren, outside = stack[-1]
        return outside, paren  # '… năm 2023 (258 người)': the words before the '('
    return start, hi


def _label_start(sentence: str, normed: str, lo: int, hi: int) -> int:
    """Cut a label after a breakdown word, or after a ':' or ',' that is followed by
    words naming what is counted ('Đến ngày 14/03/2023, tổng số TTHC …')."""
    cut = lo
    for i, ch, depth in _depth_scan(sentence, lo, hi):
        if depth != 0:
            continue
        if ch in ":,":
            rest = _strip_connectors(normed, i + 1, hi)
            if _starts_with_word(normed[rest:hi], _HEADS) or (
                ch == ":" and sentence[rest : rest + 1].isupper()
            ):
                cut = rest
        elif (i == 0 or not _is_word_char(normed[i - 1])) and ch.isalpha():
            word = _starts_with_word(normed[i:hi], _BREAKDOWNS)
            if word:
                cut = i + len(word)
    return cut


def _strip_connectors(normed: str, lo: int, hi: int) -> int:
    """Skip spaces, bullets, punctuation and connectors at the start of normed[lo:hi]."""
    while lo < hi:
        if normed[lo] in " ,:;-+*•–\t":
            lo += 1
            continue
        word = _starts_with_word(normed[lo:hi], _CONNECTORS)
        if not word:
            break
        lo += len(word)
    return lo


@dataclass(frozen=True)
class _Label:
    start: int
    end: int
    text: str
    marked: bool  # ended with ':' or a label marker ('là', 'đạt')
    comparator: str | None


def _label(sentence: str, normed: str, lo: int, hi: int, *, after_count: bool = False) -> _Label:
    """The words before a figure that belong to it, trimmed to what is counted.
    ``after_count``: a count stands just before, so a '(' opening here is its breakdown."""
    figure_at = hi
    lo, hi = _clause_start(sentence, lo, hi, after_count=after_count)
    in_parenthesis = hi != figure_at  # '… năm 2023 (258 người)': the label is before it
    lo = _label_start(sentence, normed, lo, hi)
    lo = _strip_connectors(normed, lo, hi)
    while _starts_with_word(normed[lo:hi], _CIRCUMSTANCES) and "," in sentence[lo:hi]:
        lo = _strip_connectors(normed, sentence.index(",", lo, hi) + 1, hi)
    marked = False
    comparator = None
    while hi > lo:
        segment = normed[lo:hi]
        trimmed = segment.rstrip(" :,;-–=\t")
        if len(trimmed) != len(segment):
            marked = marked or ":" in segment[len(trimmed) :]
            hi = lo + len(trimmed)
            continue
        word = _ends_with_word(segment, _COMPARATORS)
        if word:
            comparator = comparator or _COMPARATOR_OF[word]
            hi -= len(word)
            continue
        word = _ends_with_word(segment, _APPROXIMATE)
        if word:
            hi -= len(word)
            continue
        word = _ends_with_word(segment, _MARKERS)
        if word:
            marked = True
            hi -= len(word)
            continue
        break
    text = sentence[lo:hi].strip()
    words = norm(text).split()
    if (_starts_with_word(norm(text), _GENERIC) and len(words) <= 2) or all(
        w in _RUN_ON for w in words
    ):
        text = ""  # 'Kết quả: 97/97 hồ sơ', '… của 17 sở, ban, ngành'
    return _Label(lo, hi, text, marked or in_parenthesis, comparator)


def _phrase_end(sentence: str, normed: str, start: int, stop: int, *, long: bool) -> int:
    """Where the phrase after a figure ends: the first mark or word that starts another
    clause (for a target, only ';', '(' or 'trong đó'), or ``stop``."""
    segment = normed[start:stop]
    i = start + len(segment) - len(segment.lstrip())
    unit = _starts_with_word(normed[i:stop], _UNITS)
    i += len(unit) if unit else 0
    while i < stop:
        ch = sentence[i]
        if ch in ";()" or (ch in ":," and not long):
            return i
        if ch in ".!?" and not (i + 1 < len(sentence) and sentence[i + 1].isdigit()):
            return i
        if ch.isalpha() and not _is_word_char(normed[i - 1]):
            breaks = _BREAKDOWNS if long else _CLAUSE_BREAKS
            if _starts_with_word(normed[i:stop], breaks):
                return i
        i += 1
    return stop


def _split_point(sentence: str, normed: str, lo: int, hi: int) -> int | None:
    """Between two figures: where the first one's phrase gives way to the second one's
    label — after the last ';'; else before a breakdown word ('trong đó'); else after
    the last ',', '(' or ')' (a ':' counts only with words after it: a ':' right before
    a figure is its label's); else before the first connector ('và', 'khi'); else
    None."""
    semicolon = sentence.rfind(";", lo, hi)
    if semicolon >= 0:
        return semicolon + 1
    mark = connector = breakdown = None
    for i, ch, _ in _depth_scan(sentence, lo, hi):
        if ch in ",()" or (ch == ":" and sentence[i + 1 : hi].strip(" ,;:(")[:1].isalpha()):
            mark = i + 1
        elif ch.isalpha() and (i == lo or not _is_word_char(normed[i - 1])):
            if breakdown is None and _starts_with_word(normed[i:hi], _BREAKDOWNS):
                breakdown = i
            elif connector is None and _starts_with_word(normed[i:hi], _SPLITTERS):
                connector = i
    return next((p for p in (breakdown, mark, connector) if p is not None), None)


# ------------------------------------------------------------------ facts in a sentence


@dataclass
class _Fact:
    number: _Number
    unit: str | None
    label: _Label
    phrase: str
    phrase_end: int
    comparator: str | None = None
    subject: str = ""
    breakdown_of: str | None = None
    breakdown_position: int | None = None

    @property
    def subject_start(self) -> int:
        return self.label.start if self.label.text else self.number.start

    @property
    def is_count(self) -> bool:
        return self.unit != "%"


def _accepted_numbers(
    sentence: str, normed: str, *, targets: bool
) -> list[tuple[_Number, str | None, int]]:
    """The numbers of a sentence that are figures, with their unit."""
    ranges = _ranges(sentence)
    lowers = {lower for lower, _ in ranges}
    in_range = lowers | {upper for _, upper in ranges}
    out = []
    candidates = list(_numbers(sentence, normed))
    for i, number in enumerate(candidates):
        unit, unit_end = _unit_after(sentence, normed, number)
        if number.start in lowers and unit is None:
            rest = sentence[number.end : number.end + 12]
            unit = "%" if "%" in rest else None
        if number.start in in_range and not targets:
            continue  # a threshold in a label: 'từ 70% - dưới 100% chi thường xuyên'
        if unit is None:
            before = normed[: number.start].rstrip()
            valued = before.endswith(":") or _ends_with_word(before, ("là",)) is not None
            if targets or not valued or not _VALUE_END.match(sentence[number.end :]):
                continue
            if _is_year(number.text):
                continue
        next_start = candidates[i + 1].start if i + 1 < len(candidates) else len(sentence)
        if not targets and _is_change(normed, number, next_start):
            continue
        out.append((number, unit, unit_end))
    return out


def _is_change(normed: str, number: _Number, next_start: int) -> bool:
    """'tăng 404 văn bản so với cùng kỳ năm 2022'."""
    if not _ends_with_word(normed[: number.start].rstrip(), _CHANGES):
        return False
    clause = re.split(r"[;(]", normed[number.end : max(next_start, number.end + 60)], maxsplit=1)[0]
    return any(word in clause for word in _COMPARED)


def _sentence_facts(sentence: str, *, targets: bool) -> list[_Fact]:
    normed = norm(sentence)
    accepted = _accepted_numbers(sentence, normed, targets=targets)
    facts: list[_Fact] = []
    lo = 0
    for i, (number, unit, unit_end) in enumerate(accepted):
        previous = facts[-1] if facts else None
        after_count = (
            previous is not None
            and previous.is_count
            and sentence.find(";", previous.number.end, number.start) < 0
        )
        label = _label(sentence, normed, lo, number.start, after_count=after_count)
        tail = max(number.end, unit_end)
        split = None
        stop = len(sentence)
        if i + 1 < len(accepted):
            stop = accepted[i + 1][0].start
            split = _split_point(sentence, normed, tail, stop)
            if split is None:  # nothing between: the words before the next figure are its own
                split = tail
        end = _phrase_end(sentence, normed, number.end, split or stop, long=targets)
        lo = split if split is not None else end
        phrase = sentence[number.end : end].strip(" ,;:-–")
        if targets:
            phrase = _strip_trailing_connectors(phrase)
        comparator = label.comparator
        after = normed[number.end :].lstrip()
        for word, op in _COMPARATORS_AFTER:
            if after.startswith(word):
                comparator = op
                phrase = (
                    phrase[len(word) :].strip(" ,;") if norm(phrase).startswith(word) else phrase
                )
        fact = _Fact(number, unit, label, phrase, end, comparator)
        fact.subject = _subject(fact, facts)
        facts.append(fact)
    _join_ranges(sentence, facts)
    return facts


def _strip_trailing_connectors(phrase: str) -> str:
    normed = norm(phrase)
    changed = True
    while changed:
        changed = False
        word = _ends_with_word(normed.rstrip(" ,;"), (*_CONNECTORS, *_CHANGES))
        if word:
            cut = len(normed.rstrip(" ,;")) - len(word)
            phrase, normed = phrase[:cut].rstrip(" ,;"), normed[:cut].rstrip(" ,;")
            changed = True
    return phrase


def _subject(fact: _Fact, earlier: list[_Fact]) -> str:
    label, phrase = fact.label, fact.phrase
    if label.text:
        if label.marked or _starts_with_word(norm(label.text), _HEADS):
            return f"{label.text} {phrase}".strip() if fact.unit == "%" else label.text
        if fact.unit is not None and norm(phrase) == norm(fact.unit):
            # '… bổ nhiệm lại 03 người', 'cấp tỉnh có 21 điểm cầu': the unit says the rest
            trailing = _ends_with_word(norm(label.text), _TRAILING)
            return (
                label.text[: len(label.text) - len(trailing)].rstrip() if trailing else label.text
            )
        return f"{label.text} {phrase}".strip()
    if fact.unit == "%" and phrase and earlier and earlier[-1].unit == "%":
        # '… đạt 18,5% dự toán …, đạt 14,8% mục tiêu …': the same label, another base
        previous = next((f.label for f in reversed(earlier) if f.label.text), None)
        if previous is not None and previous.marked:
            return f"{previous.text} {phrase}"
    return phrase or ""


def _join_ranges(sentence: str, facts: list[_Fact]) -> None:
    """Both ends of a range 'từ 6% - 10% số lượng …' say the same thing."""
    for lower, upper in pairwise(facts):
        between = sentence[lower.number.end : upper.number.start]
        if norm(between).strip() in ("-", "–", "đến", "- dưới", "đến dưới", "– dưới"):
            subject = f"{lower.label.text} {upper.phrase}".strip()
            lower.subject = upper.subject = subject
            lower.comparator = ">="
            if upper.comparator is None or upper.comparator in (">=", ">"):
                upper.comparator = "<" if "dưới" in norm(between) else "<="


def _ratio_subjects(sentence: str, facts: list[_Fact]) -> None:
    """A percentage with no label of its own ('…, đạt tỷ lệ 41,05%') is the ratio of
    the counts stated just before it in its clause, so its subject is that statement
    as written: a fraction, a part of a breakdown, or the last two counts."""
    for k, fact in enumerate(facts):
        if fact.is_count or fact.label.text:
            continue
        clause = _clause_begin(sentence, fact.number.start)
        depth = _depth_at(sentence, clause, fact.number.start)
        counts = [
            f
            for f in facts[:k]
            if f.is_count
            and f.number.start >= clause
            and _depth_at(sentence, clause, f.number.start) <= depth
        ]
        if counts:
            last = counts[-1]
            simple = last.number.numerator is not None or last.breakdown_of is not None
            tops = [f for f in counts if f.breakdown_of is None]
            group = [last] if simple or len(tops) < 2 else tops[-2:]
            span = sentence[group[0].subject_start : group[-1].phrase_end].strip(" ,;:-–")
            fact.subject = f"{span} {fact.phrase}".strip()
        elif not fact.subject and k:
            fact.subject = facts[k - 1].subject


def _clause_begin(sentence: str, at: int) -> int:
    """After the last ';' before ``at`` that is not inside a parenthesis closed before
    ``at`` ('(đạt 100%)' belongs to the clause around it)."""
    depth = 0
    for i in range(at - 1, -1, -1):
        ch = sentence[i]
        if ch == ")":
            depth += 1
        elif ch == "(":
            depth -= 1
        elif ch == ";" and depth <= 0:
            return i + 1
    return 0


def _depth_at(sentence: str, start: int, at: int) -> int:
    return sentence.count("(", start, at) - sentence.count(")", start, at)


# ------------------------------------------------------------------ breakdowns


@dataclass
class _Opener:
    """A breakdown: its total, where its parts stand (after ``start``, up to ``end``)."""

    total: str
    start: int
    end: int
    whole: str | None = None  # the total's denominator, when the total is a fraction's part
    count: int = 0


def _matching_paren(text: str, start: int) -> int:
    for i, ch, depth in _depth_scan(text, start, len(text)):
        if ch == ")" and depth == 0:
            return i
    return len(text)


def _enclosing_end(text: str, at: int) -> int:
    """The end of the parenthesis ``at`` stands in, or of the sentence."""
    depth = 0
    for i in range(at, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            if depth == 0:
                return i
            depth -= 1
    return len(text)


def _next_semicolon(text: str, start: int, limit: int) -> int:
    for i, ch, depth in _depth_scan(text, start, limit):
        if depth < 0:
            return i
        if ch == ";" and depth == 0:
            return i
    return limit


def _openers(sentence: str, facts: list[_Fact]) -> list[_Opener]:
    """Breakdowns opened in a sentence: '(' holding figures right after a count, or
    'trong đó' / 'gồm' after one, with nothing but words and percentages between."""
    normed = norm(sentence)
    out: list[_Opener] = []
    for i, ch in enumerate(sentence):
        if ch == "(":
            end = _matching_paren(sentence, i)
            if not any(i < f.number.start < end for f in facts):
                continue
        elif ch.isalpha() and (i == 0 or not _is_word_char(normed[i - 1])):
            word = _starts_with_word(normed[i:], _BREAKDOWNS)
            if word is None or normed[:i].rstrip().endswith("("):
                continue  # '(trong đó: …' is the parenthesis's breakdown
            if word in _LIST_BREAKDOWNS:  # 'gồm' lists the parts up to the next ';'
                end = _next_semicolon(sentence, i, _enclosing_end(sentence, i))
            else:
                end = _enclosing_end(sentence, i)
        else:
            continue
        total = _total_before(sentence, facts, i)
        if total is not None:
            number = total.number
            whole = number.text if number.numerator is not None else None
            out.append(_Opener(number.total_text, i, end, whole))
    return out


def _total_before(sentence: str, facts: list[_Fact], at: int) -> _Fact | None:
    """The count a breakdown at ``at`` breaks down: the last one before it, with no ';'
    between them."""
    before = [f for f in facts if f.number.end <= at]
    counts = [f for f in before if f.is_count]
    if not counts:
        return None
    total = counts[-1]
    gap = sentence[total.phrase_end : at]
    if gap.strip(" ,;:") and _next_semicolon(sentence, total.number.end, at) < at:
        return None
    return total


def _link_breakdowns(sentence: str, facts: list[_Fact], carried: _Opener | None) -> None:
    """Give each part of a breakdown its total and place (innermost breakdown wins)."""
    openers = _openers(sentence, facts)
    if carried is not None:
        openers.insert(0, carried)
    for fact in facts:
        inside = [o for o in openers if o.start < fact.number.start <= o.end]
        if not inside or not fact.is_count:
            continue
        opener = max(inside, key=lambda o: o.start)
        opener.count += 1
        fraction_part = fact.number.numerator is not None and opener.whole is not None
        fact.breakdown_of = opener.whole if fraction_part else opener.total
        fact.breakdown_position = opener.count


def _open_at_end(sentence: str, facts: list[_Fact]) -> str | None:
    """'… 16 phản ánh, kiến nghị, trong đó:' — a breakdown announced, its parts to come."""
    stripped = norm(sentence).rstrip(" :.,")
    if not _ends_with_word(stripped, _BREAKDOWNS):
        return None
    counts = [f for f in facts if f.is_count]
    return counts[-1].number.total_text if counts else None


# ------------------------------------------------------------------ paragraphs


@dataclass
class _Carry:
    """A breakdown announced at the end of a paragraph ('…, trong đó:'), continued by
    the paragraph after it, or by the list items after it ('- …', nested '+ …')."""

    total: str
    count: int = 0
    marker: str | None = None
    nested_total: str | None = None
    nested_marker: str | None = None
    nested_count: int = 0


def _body(paragraph: Paragraph) -> str:
    """The paragraph's text without a leading footnote marker (a suffix of its text)."""
    text = paragraph.text
    if text.startswith("\ufffd"):
        return text.lstrip("\ufffd ")
    if paragraph.is_footnote:
        match = _DIGIT_FOOTNOTE.match(text)
        if match:
            return text[match.start(2) :]
    return text


@dataclass(frozen=True)
class _Sentence:
    text: str
    source_line: str


@dataclass(frozen=True)
class _Reading:
    """A paragraph as read in its place in the document."""

    paragraph: Paragraph
    text: str
    sentences: tuple[_Sentence, ...]
    section: str | None
    in_targets: bool
    in_plans: bool
    target_year: int | None
    is_target_heading: bool


def _read(paragraphs: Sequence[Paragraph]) -> Iterator[_Reading]:
    """Join wrapped lines, follow the headings, split sentences (with their lines)."""
    outline = _Outline()
    for group in _join(paragraphs):
        paragraph = group.to_paragraph()
        text = unicodedata.normalize("NFC", _body(paragraph))
        shift = len(paragraph.text) - len(text)  # a footnote marker cut from the start
        heading = _heading(text)
        if heading is not None:
            outline.enter(heading)
        sentences = tuple(
            _Sentence(sentence, group.source_lines(start + shift, start + shift + len(sentence)))
            for start, sentence in _sentences(text)
        )
        yield _Reading(
            paragraph,
            text,
            sentences,
            None if paragraph.is_footnote else outline.section,
            outline.in_targets,
            outline.in_plans,
            outline.target_year,
            heading is not None and heading.is_target,
        )


def _carried_opener(text: str, carry: _Carry | None) -> tuple[_Carry | None, _Opener | None, str]:
    """Whether this paragraph continues a breakdown announced before it; returns the
    carry to keep, the breakdown its first sentence continues, and its role."""
    if carry is None or _is_heading(text):
        return None, None, "none"
    bullet = _BULLET.match(text)
    marker = text[0] if bullet else None
    end = len(_sentences(text)[0][1]) if text.strip() else 0
    if carry.marker is None and marker is None:
        return None, _Opener(carry.total, -1, end, count=carry.count), "single"
    if carry.marker is None:
        carry.marker = marker
    if marker == carry.marker:
        return carry, _Opener(carry.total, -1, end, count=carry.count), "part"
    if marker is not None and carry.nested_total is not None:
        carry.nested_marker = carry.nested_marker or marker
        if marker == carry.nested_marker:
            opener = _Opener(carry.nested_total, -1, end, count=carry.nested_count)
            return carry, opener, "nested"
    return None, None, "none"


def _to_fact(
    sentence: _Sentence, fact: _Fact, figure_text: str, window: Window | None, section: str | None
) -> NarrativeFact:
    return NarrativeFact(
        source_line=sentence.source_line,
        sentence=sentence.text,
        kind="figure",
        figure_text=figure_text,
        subject_text=fact.subject,
        unit_text=fact.unit,
        breakdown_of=fact.breakdown_of,
        breakdown_position=fact.breakdown_position,
        window_text=window.text if window else None,
        window_start=window.start if window else None,
        window_end=window.end if window else None,
        comparator=fact.comparator,
        target_year=None,
        section=section,
    )


def _expand(
    sentence: _Sentence, fact: _Fact, window: Window | None, section: str | None
) -> Iterator[NarrativeFact]:
    """One fact per number; a fraction a/b gives a (a part of b), then b."""
    base = _to_fact(sentence, fact, fact.number.text, window, section)
    if fact.number.numerator is not None:
        yield replace(
            base,
            figure_text=fact.number.numerator,
            breakdown_of=fact.number.text,
            breakdown_position=1,
        )
    yield base


# ------------------------------------------------------------------ figure API


def extract_figures(paragraphs: Sequence[Paragraph]) -> list[NarrativeFact]:
    """The figures stated in sentences (see the module docstring for conventions).
    Wrapped lines are joined first (``join_wrapped``; joined text is left as it is);
    ``source_line`` is the range of lines of the figure's sentence."""
    out: list[NarrativeFact] = []
    carry: _Carry | None = None
    last_total: str | None = None  # the last count stated, for a 'Trong đó, …' after it
    for reading in _read(paragraphs):
        if reading.in_targets or reading.in_plans:
            carry, last_total = None, None
            continue
        if _is_heading(reading.text):
            last_total = None
        carry, carried, role = _carried_opener(reading.text, carry)
        window: Window | None = None
        for index, sentence in enumerate(reading.sentences):
            text = sentence.text
            window = find_window(text) or window
            facts = _sentence_facts(text, targets=False)
            opener = carried if index == 0 else None
            starts_breakdown = _starts_with_word(norm(text), _BREAKDOWNS) is not None
            if opener is None and starts_breakdown and last_total is not None:
                opener = _Opener(last_total, -1, len(text))
            _link_breakdowns(text, facts, opener)
            _ratio_subjects(text, facts)
            for fact in facts:
                out.extend(_expand(sentence, fact, window, reading.section))
            if opener is not None and carry is not None and index == 0:
                _count_carried(carry, role, opener, facts)
            announced = _open_at_end(text, facts)
            if announced is not None and not _parts_after(facts, announced):
                carry = _Carry(announced)  # '… 16 phản ánh, kiến nghị, trong đó:'
            elif starts_breakdown and not facts and last_total is not None:
                carry = _Carry(last_total)  # '… (Khối tỉnh: …). Trong đó:'
            elif role == "single":
                carry = None
            tops = [f for f in facts if f.is_count and f.breakdown_of is None]
            last_total = tops[-1].number.total_text if tops else None
    return out


def _parts_after(facts: list[_Fact], total: str) -> bool:
    return any(f.breakdown_of == total for f in facts)


def _count_carried(carry: _Carry, role: str, opener: _Opener, facts: list[_Fact]) -> None:
    if role == "part":
        carry.count = opener.count
        part = next((f for f in facts if f.breakdown_of == opener.total), None)
        carry.nested_total = part.number.total_text if part else None
        carry.nested_marker, carry.nested_count = None, 0
    elif role == "nested":
        carry.nested_count = opener.count


# ------------------------------------------------------------------ target API

_SENTENCE_YEAR = re.compile(r"^(?:đến|tới)\s+năm\s+((?:19|20)\d{2})\b", re.IGNORECASE)


def extract_targets(paragraphs: Sequence[Paragraph]) -> list[NarrativeFact]:
    """The quantitative targets under a plan's 'Mục tiêu' / 'Định hướng' headings
    (see the module docstring). Wrapped lines are joined first."""
    out: list[NarrativeFact] = []
    for reading in _read(paragraphs):
        if not reading.in_targets or reading.is_target_heading:
            continue
        for sentence in reading.sentences:
            own_year = _SENTENCE_YEAR.match(sentence.text.lstrip("-+ "))
            year = int(own_year.group(1)) if own_year else reading.target_year
            for fact in _sentence_facts(sentence.text, targets=True):
                figure = _to_fact(sentence, fact, fact.number.text, None, reading.section)
                comparator = fact.comparator or "="
                out.append(replace(figure, kind="target", comparator=comparator, target_year=year))
    return out
