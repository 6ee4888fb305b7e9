"""From blocks to tables: headers, appendices, wrapped rows, hierarchy and scope.

Every rule here is about layout and is general: it names no sample file. The words
that identify header cells live in ``HEADER_WORDS``; the words that mark a table or a
row as covering the whole province or sector live in ``PROVINCE_SCOPE_WORDS``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from ingest.cells import cell_kind, is_figure, value_cell_kind
from ingest.markup import fold
from ingest.model import (
    Block,
    IngestIssue,
    Paragraph,
    RawCell,
    RawRow,
    ReadMethod,
    Scope,
    Table,
    TableKind,
    TableRow,
    ValueCell,
)
from ingest.numbers import looks_numeric

# Folded words that identify the role of a header cell, most specific first.
HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "stt": ("stt", "st t", "tt", "so tt", "so thu tu"),
    "unit": ("don vi tinh", "dvt"),
    "note": ("ghi chu",),
    "value": ("so lieu", "ket qua thuc hien", "gia tri", "thuc hien ky"),
    "indicator": ("chi tieu", "noi dung", "nhiem vu", "ten ", "tieu chi"),
}
# Folded words in a table's title or a row's note saying the figures cover the whole
# province or the agency's whole sector rather than the agency's own work.
PROVINCE_SCOPE_WORDS = (
    "toan tinh",
    "linh vuc phu trach",
    "tren dia ban tinh",
    "toan nganh",
    "cua tinh",
)

_APPENDIX = re.compile(r"^ph[uụ]\s*l[uụ]c\b\s*(?:số\s*)?(\d+|[IVXLC]+\b)?\s*(.*)$", re.I)
_CAPTION = re.compile(r"\(\s*kèm theo", re.I)
_ROMAN = re.compile(r"^[IVXLC]+$")
_DECIMAL = re.compile(r"^\d+(?:\.\d+)*$")
_SCALE_ENTRY = re.compile(r"([^=]+?)\s*=\s*(\d+)")
_BULLET = re.compile(r"^[-+•]\s")
_SCOPE_ITEMS = re.compile(r"mục\s+([\d,\s và]+?)\s*\(\s*toàn tỉnh\s*\)", re.I)


# ---------------------------------------------------------------- header cells


def _role_of(name: str) -> str | None:
    folded = fold(name)
    if not folded:
        return None
    for role, words in HEADER_WORDS.items():
        for word in words:
            if role == "stt":
                if folded == word or folded.startswith(word + " "):
                    return role
            elif folded.startswith(word) or f" {word}" in f" {folded}":
                return role
    return None


def is_header_row(row: RawRow) -> bool:
    roles = [_role_of(cell.text) for cell in row.cells]
    has_stt = any(r == "stt" for r in roles[:2])
    others = len({r for r in roles if r in {"indicator", "unit", "value", "note"}})
    first = normalise_stt(row.cells[0].text) if row.cells else ""
    if _ROMAN.match(first) or _DECIMAL.match(first):
        return False
    if any(looks_numeric(c.text) for c in row.cells):
        return False
    return (has_stt and others >= 1) or others >= 2


def _is_subheader(first: RawRow, row: RawRow) -> bool:
    """The second line of a two-level header: under a spanning cell of the first."""
    cells = row.cells
    if not cells or cells[0].text or any(looks_numeric(c.text) for c in cells):
        return False
    top = [c.text for c in first.cells]
    for i, cell in enumerate(cells):
        if not cell.text:
            continue
        if _role_of(cell.text) in {"unit", "value", "note"}:
            return True
        if i < len(top) and not top[i]:
            return True
    return False


def _header_key(rows: Sequence[RawRow]) -> tuple[str, ...]:
    texts = [fold(c.text) for c in rows[0].cells]
    while texts and not texts[-1]:
        texts.pop()
    return tuple(texts)


def column_names(header: Sequence[RawRow], width: int) -> list[str]:
    """One name per column, a spanning parent joined to its children with ' / '."""
    top = [c.text for c in header[0].cells] + [""] * width
    sub = [c.text for c in header[1].cells] + [""] * width if len(header) > 1 else [""] * width
    names: list[str] = []
    parent = ""
    for i in range(width):
        if top[i]:
            parent = top[i]
            names.append(f"{top[i]} / {sub[i]}" if sub[i] else top[i])
        elif sub[i] and parent:
            names.append(f"{parent} / {sub[i]}")
        else:
            names.append(sub[i])
    return names


@dataclass(frozen=True)
class ColumnRoles:
    stt: int | None
    indicator: int
    label: int | None
    unit: int | None
    note: int | None
    values: tuple[int, ...]


def assign_roles(
    names: Sequence[str],
    data: Sequence[Sequence[RawCell]],
    code_words: frozenset[str] = frozenset(),
) -> ColumnRoles:
    """Each column's role: by its header words (HEADER_WORDS) and, where no header word
    names it, by its content: a column whose cells are mostly figures (numbers,
    percents, counts with their unit, code words) is a value column whatever other roles
    the table has, each read under its own header (the measure, or "Cùng kỳ")."""
    roles: list[str | None] = []
    for name in names:
        parts = [p for p in name.split(" / ") if p]
        role = None
        for part in reversed(parts):
            role = _role_of(part)
            if role:
                break
        roles.append(role)
    stt = next((i for i, r in enumerate(roles) if r == "stt"), None)
    indicator = next((i for i, r in enumerate(roles) if r == "indicator"), None)
    if indicator is None:
        indicator = next(
            (i for i in range(len(names)) if i != stt and not _mostly_figures(data, i, code_words)),
            next(i for i in range(len(names)) if i != stt),
        )
    roles[indicator] = "indicator"
    label = None
    if (
        indicator + 1 < len(names)
        and not names[indicator + 1]
        and roles[indicator + 1] is None
        and not _mostly_figures(data, indicator + 1, code_words)
    ):
        label = indicator + 1
        roles[label] = "label"
    unit = next((i for i, r in enumerate(roles) if r == "unit"), None)
    note = next((i for i, r in enumerate(roles) if r == "note"), None)
    numeric = [
        i
        for i, r in enumerate(roles)
        if r is None and i > indicator and _mostly_figures(data, i, code_words)
    ]
    groups = {_parent(names[i]) for i in numeric} - {""}
    values = tuple(
        i
        for i, r in enumerate(roles)
        if r == "value"
        or i in numeric
        or (r is None and i > indicator and _parent(names[i]) in groups and _empty(data, i))
    )
    return ColumnRoles(stt, indicator, label, unit, note, values)


def _parent(name: str) -> str:
    return name.rpartition(" / ")[0]


def _empty(rows: Sequence[Sequence[RawCell]], col: int) -> bool:
    """No data in the column: a figure nobody reported, beside reported siblings."""
    return not any(col < len(r) and r[col].text for r in rows)


def _mostly_figures(
    rows: Sequence[Sequence[RawCell]], col: int, code_words: frozenset[str] = frozenset()
) -> bool:
    """At least 80 % of the column's written cells are figures (ingest.cells). A cell
    that reads as a year counts for neither side, so a column of years alone is not
    one of figures, and a count of 2024 among counts does not spoil its column."""
    kinds = [cell_kind(r[col].text, code_words) for r in rows if col < len(r) and r[col].text]
    kinds = [k for k in kinds if k != "year"]
    return bool(kinds) and sum(map(is_figure, kinds)) >= 0.8 * len(kinds)


# ---------------------------------------------------------------- rows


@dataclass
class _Row:
    """A table row being assembled (mutable until the table is finished)."""

    source_line: str
    line_no: int
    stt: str
    indicator: str
    group: str
    unit: str
    note: str
    values: list[str]
    extra: dict[str, str]
    is_bold: bool
    is_italic: bool
    merged: bool = False
    # each value's (read_method, ocr_confidence), as the value cells were read
    readings: list[tuple[ReadMethod, float | None]] = field(default_factory=list)


def _text(cells: Sequence[RawCell], i: int | None) -> str:
    return cells[i].text if i is not None and i < len(cells) else ""


def _reading(cells: Sequence[RawCell], i: int) -> tuple[ReadMethod, float | None]:
    if i >= len(cells):
        return "text", None
    return cells[i].read_method, cells[i].ocr_confidence


def _least_sure(
    a: tuple[ReadMethod, float | None], b: tuple[ReadMethod, float | None]
) -> tuple[ReadMethod, float | None]:
    """The reading of a value joined from two: OCR if either was, the lower confidence."""
    method: ReadMethod = "ocr" if "ocr" in (a[0], b[0]) else "text"
    known = [c for c in (a[1], b[1]) if c is not None]
    return method, min(known) if known else None


def _to_row(raw: RawRow, names: Sequence[str], roles: ColumnRoles, group: str) -> _Row:
    cells = raw.cells
    used = {roles.stt, roles.indicator, roles.label, roles.unit, roles.note, *roles.values}
    extra = {}
    for i, cell in enumerate(cells):
        if i not in used and cell.text:
            key = names[i] if i < len(names) and names[i] else f"column {i + 1}"
            extra[key] = cell.text
    indicator = _text(cells, roles.indicator)
    label = _text(cells, roles.label)
    if roles.label is not None and label:
        group = indicator or group
        indicator = label
    elif roles.label is not None:
        group = ""
    flagged = [c for i, c in enumerate(cells) if i in (roles.stt, roles.indicator, roles.label)]
    return _Row(
        source_line=raw.source_line,
        line_no=raw.line_no,
        stt=_text(cells, roles.stt),
        indicator=indicator,
        group=group if roles.label is not None else "",
        unit=_text(cells, roles.unit),
        note=_text(cells, roles.note),
        values=[_text(cells, i) for i in roles.values],
        readings=[_reading(cells, i) for i in roles.values],
        extra=extra,
        is_bold=any(c.is_bold for c in flagged if c.text),
        is_italic=bool([c for c in flagged if c.text])
        and all(c.is_italic for c in flagged if c.text),
    )


def _scale_codes(unit: str) -> list[int]:
    return [int(code) for _, code in _SCALE_ENTRY.findall(unit)]


def _continues(prev: _Row, row: _Row) -> bool:
    """Is ``row`` the rest of ``prev``, wrapped onto another line?"""
    if row.stt:
        return False
    values_free = not any(row.values) or not any(prev.values)
    # a code scale written over several lines: one "label = n" entry per line
    row_codes = _scale_codes(row.unit)
    if len(row_codes) == 1 and prev.unit and values_free:
        prev_codes = _scale_codes(prev.unit)
        return bool(prev_codes) and row_codes[0] not in prev_codes
    if row.unit or not values_free:
        return False
    text = row.indicator
    if not text:
        return bool(row.note or row.extra) and not any(row.values)
    first = text[0]
    if first.islower():
        return True
    return first == "(" and not any(row.values)


def _continues_row(kind: TableKind, prev: _Row, row: _Row) -> bool:
    if kind == "list":  # a list row wrapped: only later cells continue
        return not row.stt and not row.indicator and bool(row.extra)
    return _continues(prev, row)


def _join(a: str, b: str) -> str:
    return f"{a} {b}" if a and b else a or b


def _merge(prev: _Row, row: _Row) -> _Row:
    extra = dict(prev.extra)
    for key, text in row.extra.items():
        extra[key] = _join(extra.get(key, ""), text)
    return replace(
        prev,
        indicator=_join(prev.indicator, row.indicator),
        unit=_join(prev.unit, row.unit),
        note=_join(prev.note, row.note),
        values=[_join(a, b) for a, b in zip(prev.values, row.values, strict=True)],
        readings=[_least_sure(a, b) for a, b in zip(prev.readings, row.readings, strict=True)],
        extra=extra,
        merged=True,
    )


def normalise_stt(stt: str) -> str:
    """'2.1.2.' → '2.1.2', ' I ' → 'I'; other text is kept."""
    return re.sub(r"\s+", "", stt).rstrip(".")


def _depths(rows: Sequence[_Row]) -> list[int]:
    has_roman = any(_ROMAN.match(normalise_stt(r.stt)) for r in rows)
    offset = 1 if has_roman else 0
    depths: list[int] = []
    last_numbered = 0
    last_plain: int | None = None
    for row in rows:
        stt = normalise_stt(row.stt)
        if _ROMAN.match(stt):
            depth = 1
        elif _DECIMAL.match(stt):
            depth = stt.count(".") + 1 + offset
        elif stt:
            depth = last_numbered + 1
        elif _BULLET.match(row.indicator) and last_plain is not None:
            depth = last_plain + 1
        else:
            depth = last_numbered + 1
        if stt:
            last_numbered = depth
            last_plain = None
        elif not _BULLET.match(row.indicator):
            last_plain = depth
        depths.append(depth)
    return depths


# ---------------------------------------------------------------- tables


@dataclass
class _TableBuilder:
    header: list[RawRow]
    appendix_no: str | None
    appendix_title: str | None
    caption: str | None
    data: list[RawRow] = field(default_factory=list)
    trailing: list[Paragraph] = field(default_factory=list)
    expecting_subheader: bool = True

    @property
    def width(self) -> int:
        return max(len(r.cells) for r in [*self.header, *self.data])


def _scope_items(paragraphs: Iterable[Paragraph]) -> set[str]:
    items: set[str] = set()
    for para in paragraphs:
        for match in _SCOPE_ITEMS.finditer(para.text):
            items.update(re.findall(r"\d+", match.group(1)))
    return items


def says_province(text: str | None) -> bool:
    """Whether a text says it covers the province (``PROVINCE_SCOPE_WORDS``)."""
    folded = fold(text or "")
    return any(word in folded for word in PROVINCE_SCOPE_WORDS)


def build_table(
    builder: _TableBuilder,
    table_no: int,
    document_scope: Scope,
    code_words: frozenset[str] = frozenset(),
) -> tuple[Table, list[IngestIssue]]:
    issues: list[IngestIssue] = []
    width = builder.width
    if builder.header:
        names = column_names(builder.header, width)
    else:
        names = [f"column {i + 1}" for i in range(width)]
    data_cells = [r.cells for r in builder.data]
    roles = assign_roles(names, data_cells, code_words)
    kind: TableKind
    if not builder.header:
        kind = "list"
        roles = ColumnRoles(None, 0, None, None, None, ())
    elif roles.values and (roles.unit is not None or len(roles.values) == 1):
        kind = "indicators"
    elif roles.values:
        kind = "crosstab"
    else:
        kind = "list"

    rows: list[_Row] = []
    group = ""
    for raw in builder.data:
        row = _to_row(raw, names, roles, group)
        group = row.group
        if rows and _continues_row(kind, rows[-1], row):
            rows[-1] = _merge(rows[-1], row)
        else:
            rows.append(row)

    depths = _depths(rows)
    table_scope: Scope = (
        "province"
        if document_scope == "province" or says_province(builder.appendix_title)
        else "agency"
    )
    province_items = _scope_items(builder.trailing)
    stack: list[tuple[int, int]] = []  # (depth, index) of the open ancestors
    out: list[TableRow] = []
    noted_province: list[bool] = []  # the row's or an ancestor's note says "toàn tỉnh"
    for index, (row, depth) in enumerate(zip(rows, depths, strict=True)):
        while stack and stack[-1][0] >= depth:
            stack.pop()
        parent = stack[-1][1] if stack else None
        stack.append((depth, index))
        top_item = normalise_stt(rows[stack[0][1]].stt).split(".")[0]
        noted_province.append(
            says_province(row.note) or (parent is not None and noted_province[parent])
        )
        scope: Scope = (
            "province"
            if table_scope == "province" or top_item in province_items or noted_province[-1]
            else "agency"
        )
        value_columns = [names[i] for i in roles.values]
        extra = dict(row.extra)
        kinds = {
            name: seen for name, text in row.extra.items() if (seen := cell_kind(text, code_words))
        }
        if row.group:
            extra[names[roles.indicator]] = row.group
        out.append(
            TableRow(
                row_no=index + 1,
                source_line=row.source_line,
                stt=row.stt,
                indicator_text=row.indicator,
                unit_text=row.unit,
                note_text=row.note,
                values=tuple(
                    ValueCell(
                        column=c,
                        text=v,
                        kind=value_cell_kind(v, code_words),
                        read_method=m,
                        ocr_confidence=p,
                    )
                    for c, v, (m, p) in zip(value_columns, row.values, row.readings, strict=True)
                ),
                is_bold=row.is_bold,
                is_italic=row.is_italic,
                is_continuation_merged=row.merged,
                depth=depth,
                parent_stt=(normalise_stt(rows[parent].stt) or None)
                if parent is not None
                else None,
                parent_row_no=parent + 1 if parent is not None else None,
                scope=scope,
                extra_cells=extra,
                extra_kinds=kinds,
            )
        )
    first_line = (builder.header or builder.data)[0].source_line
    if not builder.header:
        issues.append(
            IngestIssue(
                where=f"line {first_line}",
                expected="a table header (STT, Chỉ tiêu, Đơn vị tính, Số liệu, Ghi chú)",
                what_to_do=(
                    "the table was kept as a list of cells; if it holds figures, add its "
                    "header words to ingest.layout.HEADER_WORDS"
                ),
                severity="warning",
            )
        )
    table = Table(
        table_no=table_no,
        appendix_no=builder.appendix_no,
        appendix_title=builder.appendix_title,
        caption=builder.caption,
        table_kind=kind,
        columns=tuple(names),
        rows=tuple(out),
        source_line=first_line,
    )
    return table, issues


@dataclass
class _Appendix:
    number: str | None
    title_parts: list[str] = field(default_factory=list)
    caption: str | None = None
    collecting: bool = True

    @property
    def title(self) -> str | None:
        return " ".join(self.title_parts) or None


def appendix_heading(text: str) -> tuple[str | None, str] | None:
    """('02', 'rest of line') when a paragraph opens an appendix ("Phụ lục 02 …")."""
    match = _APPENDIX.match(text)
    if not match:
        return None
    return match.group(1), match.group(2).strip()


def _add_title(appendix: _Appendix, text: str) -> None:
    if appendix.caption is not None and appendix.caption.count("(") > appendix.caption.count(")"):
        appendix.caption = f"{appendix.caption} {text}"  # a caption printed over two lines
        return
    caption_at = _CAPTION.search(text)
    if caption_at:
        before = text[: caption_at.start()].strip()
        if before:
            appendix.title_parts.append(before)
        appendix.caption = text[caption_at.start() :].strip()
    elif appendix.caption is None:
        appendix.title_parts.append(text)


def _only_text_rows(rows: Sequence[RawRow]) -> bool:
    return all(sum(1 for c in r.cells if c.text) <= 1 for r in rows)


def extract_tables(
    blocks: Sequence[Block],
    *,
    document_scope: Scope = "agency",
    code_words: frozenset[str] = frozenset(),
) -> tuple[list[Table], list[Paragraph], list[IngestIssue]]:
    """Tables found in ``blocks``, the paragraphs that are running text, and issues.
    ``code_words``: the folded words of the code scales (ingest.reference), figures
    when a value cell is written with them. Letterhead rows are paragraphs
    (``unfold_letterheads``), whatever reader gave them."""
    blocks = unfold_letterheads(blocks)
    tables: list[Table] = []
    paragraphs: list[Paragraph] = []
    issues: list[IngestIssue] = []
    current: _TableBuilder | None = None
    appendix: _Appendix | None = None
    since_row: list[Paragraph] = []
    headerless: list[RawRow] = []

    def finish() -> None:
        nonlocal current
        if current is not None and current.data:
            table, table_issues = build_table(current, len(tables) + 1, document_scope, code_words)
            tables.append(table)
            issues.extend(table_issues)
        current = None

    def flush_headerless() -> None:
        nonlocal current
        if not headerless:
            return
        if _only_text_rows(headerless):
            for row in headerless:
                text = " ".join(c.text for c in row.cells if c.text)
                paragraphs.append(Paragraph(text, row.source_line, row.line_no))
        elif _header_by_content(headerless, code_words):
            # a header of measures no header word names ("Số hồ sơ tiếp nhận" …) over
            # rows of figures
            caption = appendix.caption if appendix and appendix.collecting else None
            current = _TableBuilder(
                [headerless[0]], _appendix_no(), _appendix_title(), caption, list(headerless[1:])
            )
            if appendix is not None:
                appendix.collecting = False
            finish()
        else:
            current = _TableBuilder([], _appendix_no(), _appendix_title(), None, list(headerless))
            finish()
        headerless.clear()

    def _appendix_no() -> str | None:
        return appendix.number if appendix else None

    def _appendix_title() -> str | None:
        return appendix.title if appendix else None

    for block in blocks:
        if isinstance(block, Paragraph):
            flush_headerless()
            heading = appendix_heading(block.text)
            if heading is not None:
                finish()
                number, rest = heading
                appendix = _Appendix(number=number)
                if rest:
                    _add_title(appendix, rest)
                since_row = []
                continue
            if appendix is not None and appendix.collecting and current is None:
                _add_title(appendix, block.text)
                continue
            paragraphs.append(block)
            since_row.append(block)
            if current is not None:
                current.trailing.append(block)
            continue

        row = block
        if current is not None and current.expecting_subheader:
            current.expecting_subheader = False
            if _is_subheader(current.header[0], row):
                if len(current.header) == 1:
                    current.header.append(row)
                continue
        if is_header_row(row):
            flush_headerless()
            if current is not None and _header_key([row]) == _header_key(current.header):
                current.expecting_subheader = True  # the header repeated after a page break
                since_row = []
                continue
            finish()
            caption = None
            if appendix is None or not appendix.collecting:
                caption = since_row[-1].text if since_row else None
            current = _TableBuilder(
                [row],
                _appendix_no(),
                _appendix_title(),
                appendix.caption if appendix and appendix.collecting else caption,
            )
            if appendix is not None:
                appendix.collecting = False
            since_row = []
            continue
        if current is not None and _may_continue(current, since_row, row):
            current.data.append(row)
            current.trailing.clear()
            since_row = []
            continue
        finish()
        headerless.append(row)
    flush_headerless()
    finish()
    return tables, paragraphs, issues


def _may_continue(current: _TableBuilder, between: Sequence[Paragraph], row: RawRow) -> bool:
    """A data row after paragraphs still belongs to the table when the paragraphs are a
    footnote that a page break put in the middle of it."""
    if not between:
        return True
    return between[0].is_footnote and len(between) <= 6 and len(row.cells) >= 3


def _header_by_content(rows: Sequence[RawRow], code_words: frozenset[str]) -> bool:
    """The first of headerless rows is a header when all its cells are words (no
    figure, no item number) and under at least one of them the rows are figures."""
    if len(rows) < 2:
        return False
    head, data = rows[0], [r.cells for r in rows[1:]]
    texts = [c.text for c in head.cells]
    if sum(1 for t in texts if t) < 3:
        return False
    if any(t and cell_kind(t, code_words) != "text" and _role_of(t) != "stt" for t in texts):
        return False
    figure_columns = [
        i for i, t in enumerate(texts) if i > 0 and t and _mostly_figures(data, i, code_words)
    ]
    words_column = any(
        t and not _mostly_figures(data, i, code_words) and _role_of(t) != "stt"
        for i, t in enumerate(texts)
    )
    return bool(figure_columns) and words_column


# ---------------------------------------------------------------- letterheads

# folded openings of the national motto's two lines (DOCUMENTS.md: never an agency)
_MOTTO = ("cong hoa xa hoi chu nghia viet nam", "doc lap tu do hanh phuc")
_PLACE_DATE = re.compile(r"\bngay\s+\d{1,2}\s+thang\s+\d{1,2}\s+nam\s+\d{4}\b")
_LETTERHEAD_ROWS = 8


def _letterhead_cell(text: str) -> bool:
    folded = fold(text)
    return folded.startswith(_MOTTO) or bool(_PLACE_DATE.search(folded))


def _plain_row(row: RawRow) -> bool:
    written = [c.text for c in row.cells if c.text]
    return len(written) <= 2 and not is_header_row(row) and not any(map(looks_numeric, written))


def _letterhead_length(rows: Sequence[RawRow]) -> int:
    """How many of ``rows``, from the first, are a letterhead in two columns (body names
    | motto, number | place and date): rows of at most two written cells, no figure, no
    header, among them the motto or a place-and-date line; 0 if they are not one."""
    length = 0
    while length < min(len(rows), _LETTERHEAD_ROWS) and _plain_row(rows[length]):
        length += 1
    head = rows[:length]
    found = any(_letterhead_cell(c.text) for r in head for c in r.cells if c.text)
    return length if found else 0


def unfold_letterheads(blocks: Sequence[Block]) -> list[Block]:
    """Blocks with every letterhead block of rows (``_letterhead_length``) turned into
    paragraphs, column by column (the bodies' names and the number, then the motto and
    the place and date), each keeping its row's place: page layout, read as text by the
    metadata reader, never a table. Pure; any reader's blocks."""
    out: list[Block] = []
    run: list[RawRow] = []

    def flush() -> None:
        length = _letterhead_length(run)
        head = run[:length]
        width = max((len(r.cells) for r in head), default=0)
        for col in range(width):
            for row in head:
                if col < len(row.cells) and row.cells[col].text:
                    out.append(Paragraph(row.cells[col].text, row.source_line, row.line_no))
        out.extend(run[length:])
        run.clear()

    for block in blocks:
        if isinstance(block, RawRow):
            if run and block.table_hint != run[-1].table_hint:
                flush()
            run.append(block)
            continue
        flush()
        out.append(block)
    flush()
    return out
