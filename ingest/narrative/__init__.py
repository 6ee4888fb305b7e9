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
    A figure is a number followed by a unit (or ``%``), or a number standing alone after
    a label and ``:``/``là`` (``số TTHC cấp tỉnh là 1.497``). The units are the aliases
    of count and amount units in ``seeds/unit_aliases.csv`` (passed in as
    ``unit_aliases``) and the count nouns of running text in ``SENTENCE_UNIT_WORDS``.

    * ``figure_text`` is the number as written (``1.855``, ``41,05%``, ``43.83%``).
    * A fraction ``41/47`` becomes two facts, ``41`` and ``47``: the whole (``47``) is
      an ordinary fact, the part (``41``) has ``breakdown_of='47'`` and
      ``breakdown_position=1``. What is broken down right after a fraction
      (``90/101 người (trong đó công chức: 52; …)``) breaks down the numerator.
    * A breakdown — ``trong đó``, ``gồm``, or a parenthesis of figures right after a
      count, also a ``Trong đó:`` that ends a paragraph followed by list items — gives
      each part ``breakdown_of`` = the total's ``figure_text`` and its 1-based place.
      A total broken down twice (by level, then by kind) numbers each breakdown from 1.
      ``whole_fact_no`` links each part to the fact it breaks down by that fact's number
      (``fact_no``: its 1-based place in the list ``extract_figures`` returns, which
      ``read_document`` puts before the targets), so no one needs to find the whole
      again by its text; a fraction's part links to its denominator the same way.
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

The package's parts, in the order a text is read: ``vocabulary`` (the reference words
no seed holds), ``units`` (those and the seed's units),
``matching`` (normalised text, whole-word tests), ``lines`` (line shapes), ``unwrap``
(``join_wrapped``), ``outline`` (sentences, headings), ``numbers``, ``clauses`` (labels
and phrases around a figure), ``facts`` (the facts of one sentence), ``breakdowns``
(``trong đó``), ``reading`` (paragraphs in their place) and ``extract`` (the API).
"""

from __future__ import annotations

from ingest.narrative.extract import extract_figures, extract_targets
from ingest.narrative.matching import norm
from ingest.narrative.units import unit_words
from ingest.narrative.unwrap import join_wrapped
from ingest.narrative.vocabulary import (
    APPROXIMATE_WORDS,
    BREAKDOWN_WORDS,
    CHANGE_WORDS,
    CLAUSE_BREAK_WORDS,
    COMPARATOR_AFTER_WORDS,
    COMPARATOR_WORDS,
    COMPARED_WITH_WORDS,
    GENERIC_LABELS,
    LABEL_MARKERS,
    LABEL_TRAILING_WORDS,
    LEADING_CIRCUMSTANCE_WORDS,
    LEADING_CONNECTOR_WORDS,
    NOT_A_COUNT_AFTER,
    PLAN_HEADING_WORDS,
    RUN_ON_WORDS,
    SEED_UNITS_NOT_IN_SENTENCES,
    SENTENCE_UNIT_WORDS,
    SUBJECT_HEAD_WORDS,
    TARGET_HEADING_WORDS,
    UNIT_FALSE_FRIENDS,
)

__all__ = [
    "APPROXIMATE_WORDS",
    "BREAKDOWN_WORDS",
    "CHANGE_WORDS",
    "CLAUSE_BREAK_WORDS",
    "COMPARATOR_AFTER_WORDS",
    "COMPARATOR_WORDS",
    "COMPARED_WITH_WORDS",
    "GENERIC_LABELS",
    "LABEL_MARKERS",
    "LABEL_TRAILING_WORDS",
    "LEADING_CIRCUMSTANCE_WORDS",
    "LEADING_CONNECTOR_WORDS",
    "NOT_A_COUNT_AFTER",
    "PLAN_HEADING_WORDS",
    "RUN_ON_WORDS",
    "SEED_UNITS_NOT_IN_SENTENCES",
    "SENTENCE_UNIT_WORDS",
    "SUBJECT_HEAD_WORDS",
    "TARGET_HEADING_WORDS",
    "UNIT_FALSE_FRIENDS",
    "extract_figures",
    "extract_targets",
    "join_wrapped",
    "norm",
    "unit_words",
]
