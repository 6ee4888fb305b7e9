"""The layout of a reply letter (:class:`cchc.letters.Letter`) as a Word document, with
python-docx, in the administrative format of Decree 30/2020/NĐ-CP: A4, Times New Roman,
the names of the superior and the sending body with the number line and the subject on
the left, the national motto with place and date on the right (a borderless two-column
table, as Word letters of state bodies are), ``Kính gửi``, the body, the findings as a
table (the rule and what was found, the figures reported, what they should be, the file
and line), the missing items, the closing, ``Nơi nhận`` and the signature block.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from cchc.letters import (
    NUMBER_LINE,
    SENDER,
    Letter,
    LetterItem,
    figure_vi,
    item_text,
    source_vi,
)

FONT = "Times New Roman"
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_LINE = "Độc lập - Tự do - Hạnh phúc"
FINDINGS_HEADERS = (
    "STT",
    "Nội dung cần rà soát",
    "Số liệu báo cáo",
    "Số liệu đúng theo quy tắc",
    "Nguồn (tệp, dòng)",
)
_FINDINGS_WIDTHS_CM = (1.2, 7.6, 2.4, 2.6, 3.2)
RECIPIENTS = (
    "- Như trên;",
    "- UBND tỉnh (để báo cáo);",
    "- Giám đốc Sở (để báo cáo);",
    "- Lưu: VT, CCHC.",
)


def subject_vi(letter: Letter) -> str:
    return f"V/v rà soát, bổ sung số liệu báo cáo CCHC {letter.period_label_vi}"


def superior_vi(letter: Letter) -> str:
    """The superior body's line: ``UBND TỈNH …`` / ``UBND THÀNH PHỐ …``."""
    return f"UBND {letter.province_title_vi.upper()}"


def date_line_vi(letter: Letter, today: dt.date) -> str:
    """Place and date; the day and month are left for the signer (a draft's habit)."""
    return f"{letter.province_name_vi}, ngày      tháng      năm {today.year}"


def _font(document: Any) -> None:
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(13)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(3)


def _paragraph(
    container: Any,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    size: float | None = None,
    align: Any = None,
    indent: bool = False,
) -> Any:
    paragraph = container.add_paragraph()
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
        if size:
            run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1)
    return paragraph


def _first_paragraph(cell: Any, text: str, **style: Any) -> None:
    """Write into a table cell's own (empty) first paragraph."""
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold = style.get("bold", False)
    run.italic = style.get("italic", False)
    if style.get("size"):
        run.font.size = Pt(style["size"])
    if style.get("align") is not None:
        paragraph.alignment = style["align"]


def _letterhead(document: Any, letter: Letter, today: dt.date) -> None:
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.width, right.width = Cm(6.5), Cm(10.0)
    center = WD_ALIGN_PARAGRAPH.CENTER
    _first_paragraph(left, superior_vi(letter), size=12, align=center)
    _paragraph(left, SENDER, bold=True, underline=True, size=12, align=center)
    _paragraph(left, NUMBER_LINE, size=13, align=center)
    _paragraph(left, subject_vi(letter), size=12, align=center)
    _first_paragraph(right, MOTTO, bold=True, size=12, align=center)
    _paragraph(right, MOTTO_LINE, bold=True, underline=True, size=13, align=center)
    _paragraph(right, "")
    _paragraph(right, date_line_vi(letter, today), italic=True, size=13, align=center)


def _findings_table(document: Any, letter: Letter, items: tuple[LetterItem, ...]) -> None:
    table = document.add_table(rows=1, cols=len(FINDINGS_HEADERS))
    table.style = "Table Grid"
    for cell, text, width in zip(
        table.rows[0].cells, FINDINGS_HEADERS, _FINDINGS_WIDTHS_CM, strict=True
    ):
        cell.width = Cm(width)
        _first_paragraph(cell, text, bold=True, size=12, align=WD_ALIGN_PARAGRAPH.CENTER)
    for number, item in enumerate(items, start=1):
        cells = table.add_row().cells
        rule = item.rule_text_vi
        if item.severity_vi:
            rule = f"{rule} ({item.severity_vi.lower()})"
        values = (
            str(number),
            f"{item_text(item, letter)}\nQuy tắc: {rule}",
            figure_vi(item.reported_value, item.value_type),
            figure_vi(item.expected_value, item.value_type),
            source_vi(item),
        )
        for cell, text, width in zip(cells, values, _FINDINGS_WIDTHS_CM, strict=True):
            cell.width = Cm(width)
            _first_paragraph(cell, text, size=12)


def _signature(document: Any) -> None:
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.width, right.width = Cm(8.0), Cm(8.5)
    _first_paragraph(left, "Nơi nhận:", bold=True, italic=True, size=12)
    for line in RECIPIENTS:
        _paragraph(left, line, size=11)
    center = WD_ALIGN_PARAGRAPH.CENTER
    _first_paragraph(right, "KT. GIÁM ĐỐC", bold=True, size=13, align=center)
    _paragraph(right, "PHÓ GIÁM ĐỐC", bold=True, size=13, align=center)
    for _ in range(3):
        _paragraph(right, "")
    _paragraph(right, "(Ký, ghi rõ họ tên, đóng dấu)", italic=True, size=12, align=center)


def render_letter(letter: Letter, *, today: dt.date) -> Any:
    """The letter as a python-docx ``Document`` (save it with ``.save(path)``)."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    section.left_margin, section.right_margin = Cm(3.0), Cm(1.5)
    _font(document)
    core = document.core_properties
    core.title = subject_vi(letter)
    core.author = f"{SENDER.title()} {letter.province_title_vi}"
    core.created = dt.datetime(today.year, today.month, today.day)  # the hash covers the year

    _letterhead(document, letter, today)
    _paragraph(document, "")
    _paragraph(
        document, f"Kính gửi: {letter.agency_name_vi}.", size=14, align=WD_ALIGN_PARAGRAPH.CENTER
    )
    files = sorted({i.file_path for i in letter.items if i.file_path})
    sent = f" (tệp {', '.join(files)})" if files else ""
    _paragraph(
        document,
        f"Thực hiện chế độ báo cáo định kỳ về công tác cải cách hành chính, Sở Nội vụ đã rà "
        f"soát báo cáo kết quả thực hiện công tác cải cách hành chính {letter.period_label_vi} "
        f"của {letter.agency_name_vi}{sent}. Qua rà soát, Sở Nội vụ đề nghị Quý cơ quan rà "
        "soát, chỉnh sửa, bổ sung các nội dung sau:",
        indent=True,
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    )
    number = 0
    if letter.findings:
        number += 1
        _paragraph(document, f"{number}. Số liệu cần rà soát, chỉnh sửa", bold=True, indent=True)
        _findings_table(document, letter, letter.findings)
    if letter.missing:
        number += 1
        _paragraph(document, f"{number}. Nội dung còn thiếu", bold=True, indent=True)
        for item in letter.missing:
            text = item_text(item, letter)
            if item.item_kind == "missing_item" and item.file_path:
                text = f"{text} ({source_vi(item)})"
            _paragraph(document, f"- {text}", indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _paragraph(
        document,
        f"Đề nghị {letter.agency_name_vi} rà soát, chỉnh sửa, bổ sung và gửi lại báo cáo "
        "(bản có chữ ký, đóng dấu và bản điện tử) về Sở Nội vụ trong thời hạn 05 ngày làm "
        "việc kể từ ngày nhận được văn bản này để tổng hợp, báo cáo Ủy ban nhân dân tỉnh "
        "và Bộ Nội vụ theo quy định./.",
        indent=True,
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    )
    _paragraph(document, "")
    _signature(document)
    return document
