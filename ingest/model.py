"""The format-neutral row model every reader produces.

Readers turn a file into *blocks* (paragraphs and raw table rows, each with its
place in the file). ``ingest.layout`` turns blocks into tables of rows, and
``ingest.metadata`` / ``ingest.narrative`` read the paragraphs. Everything here is
immutable; text is kept exactly as written except that markup tags become flags and
runs of whitespace are tidied.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Generic, Literal, TypeVar

from ingest.evidence import Evidence, Source

TableKind = Literal["indicators", "crosstab", "list"]
Scope = Literal["agency", "province"]
# how a metadata value was found: the place that stated it (ingest.evidence.Source, the
# manifest among them), "detected" (read by a rule of its own), or "default"
FoundBy = Source | Literal["detected", "default"]
#: how a text was read: from the file's own text, or from a picture of it by OCR
#: (ingest.readers.scan); an OCR text carries the confidence of its least sure word
ReadMethod = Literal["text", "ocr"]


@dataclass(frozen=True)
class SqlType:
    """The raw column type of a field whose Python type alone does not say it."""

    name: str


# a date kept as ISO text ("2023-03-15") in Python, a DATE column in raw.*
IsoDate = Annotated[str, SqlType("date")]
T = TypeVar("T")


@dataclass(frozen=True)
class RawCell:
    """One cell as a reader saw it: its text with markup removed, plus flags."""

    text: str
    is_bold: bool = False
    is_italic: bool = False
    read_method: ReadMethod = "text"
    ocr_confidence: float | None = None  # 0-100, the least sure word's; None: no word


@dataclass(frozen=True)
class Paragraph:
    """A line or paragraph of running text."""

    text: str
    source_line: str
    line_no: int
    is_footnote: bool = False  # starts with a footnote marker (text of a page's foot)
    # read by OCR: the confidence (0-100) of each word of ``text`` split on blanks
    word_confidences: tuple[float, ...] | None = None


@dataclass(frozen=True)
class RawRow:
    """One physical table row (a text line with tabs, a Word row, a sheet row)."""

    cells: tuple[RawCell, ...]
    source_line: str
    line_no: int
    after_break: bool = False  # a page break (blank line) came right before it
    table_hint: int | None = None  # the reader's own table number, where it has one


Block = Paragraph | RawRow


@dataclass(frozen=True)
class ValueCell:
    column: str
    text: str
    read_method: ReadMethod = "text"
    ocr_confidence: float | None = None
    kind: str | None = None  # what the text is, as written (ingest.cells.CellKind)


@dataclass(frozen=True)
class TableRow:
    """One logical row of a table (wrapped lines already joined)."""

    row_no: int
    source_line: str
    stt: str
    indicator_text: str
    unit_text: str
    note_text: str
    values: tuple[ValueCell, ...]
    is_bold: bool
    is_italic: bool
    is_continuation_merged: bool
    depth: int
    parent_stt: str | None
    parent_row_no: int | None
    scope: Scope
    extra_cells: dict[str, str] = field(default_factory=dict)
    # the kind (ingest.cells.CellKind) of each cell of extra_cells, by the same name: the
    # census of what the row holds outside its value columns
    extra_kinds: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Table:
    table_no: int
    appendix_no: str | None
    appendix_title: str | None
    caption: str | None
    table_kind: TableKind
    columns: tuple[str, ...]
    rows: tuple[TableRow, ...]
    source_line: str


@dataclass(frozen=True)
class Found(Generic[T]):
    """A metadata value and how it was found."""

    value: T | None
    how: FoundBy = "detected"


@dataclass(frozen=True)
class DocumentMeta:
    """What ingest finds out about a report. Each field is a column of raw.documents
    (of the type its ``Found[...]`` says) and one ``<field>_found_by``; each is also a
    column of the reports folder's manifest.csv."""

    agency_name: Found[str] = Found(None)
    agency_type: Found[str] = Found(None)
    province_name: Found[str] = Found(None)
    period_type: Found[str] = Found(None)
    period_year: Found[int] = Found(None)
    period_number: Found[int] = Found(None)
    period_end_year: Found[int] = Found(None)
    report_number: Found[str] = Found(None)
    report_date: Found[IsoDate] = Found(None)
    document_kind: Found[str] = Found(None)
    # how the report relates to an earlier one of the same agency, period and kind, as
    # its title, subject or number line writes it (ingest.metadata.find_revision_kind):
    # original, replacement (``thay thế``, ``lần 2``) or supplement (``bổ sung`` alone)
    revision_kind: Found[str] = Found(None)

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        """The metadata fields, in order: the manifest's columns and raw.documents'."""
        return tuple(cls.__dataclass_fields__)

    def missing_required(self) -> list[str]:
        required = ("agency_name", "province_name", "period_type", "period_year")
        return [name for name in required if getattr(self, name).value in (None, "")]


@dataclass(frozen=True)
class NarrativeFact:
    """A figure or target stated in a sentence. Every field is a column of
    raw.narrative_facts (ingest.raw_tables), so a field added here is loaded as is."""

    source_line: str
    sentence: str
    kind: Literal["figure", "target"]
    figure_text: str
    subject_text: str
    unit_text: str | None
    breakdown_of: str | None  # figure_text of the total this one breaks down ("trong đó")
    breakdown_position: int | None
    window_text: str | None
    window_start: IsoDate | None  # when the stated window parses
    window_end: IsoDate | None
    comparator: str | None = None
    target_year: int | None = None
    section: str | None = None
    # the fact_no of the whole a part breaks down (its number in the document's facts)
    whole_fact_no: int | None = None
    # how the sentence was read; for OCR the confidence (0-100) of the figure's word
    read_method: ReadMethod = "text"
    ocr_confidence: float | None = None
    # whose figure its clause says it is (ingest.narrative.scope); None: the document's
    stated_scope: str | None = None
    # the period its words or headings state when it ended before the report's own
    # (ingest.narrative.stated_periods): the figure is of that period, stated later
    stated_period_type: str | None = None
    stated_period_year: int | None = None
    stated_period_number: int | None = None
    stated_period_end_year: int | None = None
    stated_period_text: str | None = None
    is_stated_later: bool = False
    # a target's upper end when it is a range ('từ 6% - 10%': comparator 'between'), and
    # whether it is a change rather than a level ('giảm 10% biên chế': 'decrease')
    target_high_text: str | None = None
    target_change: str | None = None


@dataclass(frozen=True)
class IngestIssue:
    """A problem found while reading: it goes to raw.ingest_errors."""

    where: str
    expected: str
    what_to_do: str
    severity: Literal["error", "warning"] = "error"


@dataclass(frozen=True)
class Document:
    file_path: str
    file_format: str
    meta: DocumentMeta
    tables: tuple[Table, ...]
    narrative: tuple[NarrativeFact, ...]
    issues: tuple[IngestIssue, ...] = ()
    # every place that stated who and when, weighed (ingest.evidence)
    evidence: Evidence = field(default_factory=Evidence)
