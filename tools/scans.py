"""Scans and legacy files made from known content, the way offices make them: a report
written as a PDF (fpdf2, DejaVu Sans), rasterised with pdftoppm at 300 dpi, then turned
a little (the copier's skew), blurred, sprinkled with noise and stamped with a red seal
over the signature, saved as an image-only PDF, a multi-page TIFF, a JPEG or a PNG; and
the same report as .docx / .xlsx converted by LibreOffice to .doc / .xls. Every figure
of the report is known (``FIGURES``), so a test or ``python -m tools.scans OUT`` can say
which were read right (docs/FIDELITY.md, "Scans").
"""

from __future__ import annotations

import io
import random
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFilter

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

LETTERHEAD = (
    ("UBND TỈNH LÀO CAI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("SỞ NỘI VỤ", "Độc lập - Tự do - Hạnh phúc"),
    ("Số: 127/BC-SNV", "Lào Cai, ngày 10 tháng 6 năm 2024"),
)
TITLE = (
    "BÁO CÁO",
    "Kết quả thực hiện công tác cải cách hành chính quý II năm 2024",
)


def letterhead(year: int) -> tuple[tuple[str, str], ...]:
    return tuple((a, b.replace("2024", str(year))) for a, b in LETTERHEAD)


SENTENCE = (
    "Trong quý, Sở đã ban hành 14 văn bản chỉ đạo, điều hành về cải cách hành chính "
    "và kiểm tra 9 phòng, ban, đơn vị trực thuộc."
)


@dataclass(frozen=True)
class Figure:
    stt: str
    indicator: str
    unit: str
    value: str


FIGURES = (
    Figure("1", "Công tác Chỉ đạo điều hành CCHC", "", ""),
    Figure("1.1", "Số văn bản chỉ đạo CCHC đã ban hành", "Văn bản", "14"),
    Figure("1.2.1", "Số nhiệm vụ đề ra trong kế hoạch", "Nhiệm vụ", "47"),
    Figure("1.2.2", "Số nhiệm vụ đã hoàn thành", "Nhiệm vụ", "41"),
    Figure("1.3.1", "Số phòng, ban, đơn vị trực thuộc đã kiểm tra", "Cơ quan", "9"),
    Figure("1.3.3.1", "Số vấn đề phát hiện qua kiểm tra", "Vấn đề", "12"),
    Figure("1.3.3.2", "Số vấn đề phát hiện đã xử lý xong", "Vấn đề", "10"),
    Figure("1.5.1", "Tổng số nhiệm vụ được giao", "Nhiệm vụ", "1.044"),
    Figure("1.5.2", "Số nhiệm vụ đã hoàn thành đúng hạn", "Nhiệm vụ", "1.020"),
    Figure("1.6.1", "Số lượng phiếu khảo sát", "Phiếu", "356"),
    Figure("2.1", "Tổng số VBQPPL ban hành", "Văn bản", "25"),
    Figure("2.2.1", "Số VBQPPL đã kiểm tra theo thẩm quyền", "Văn bản", "38"),
)
HEADER = ("STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú")
WIDTHS = (16, 96, 26, 24, 18)


def title(year: int) -> tuple[str, str]:
    return (TITLE[0], TITLE[1].replace("2024", str(year)))


def report_pdf(
    *,
    ruled: bool = True,
    font_dir: Path = FONT_DIR,
    year: int = 2024,
    figures: tuple[Figure, ...] = FIGURES,
) -> bytes:
    """The report as the agency printed it: letterhead, title, a sentence, the appendix
    table (ruled, or without any lines), the signature."""
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(font_dir / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(font_dir / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(15, 15, 15)
    pdf.add_page()
    pdf.set_font("DejaVu", "", 10)
    for left, right in letterhead(year):
        pdf.cell(80, 6, left, align="C")
        pdf.cell(0, 6, right, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("DejaVu", "B", 12)
    for line in title(year):
        pdf.multi_cell(0, 7, line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("DejaVu", "", 11)
    pdf.multi_cell(0, 6, SENTENCE, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 11)
    pdf.multi_cell(0, 6, "Phụ lục 02", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(
        0, 6, "THỐNG KÊ SỐ LIỆU CẢI CÁCH HÀNH CHÍNH", align="C", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(3)
    border = 1 if ruled else 0
    pdf.set_font("DejaVu", "B", 10)
    for text, width in zip(HEADER, WIDTHS, strict=True):
        pdf.cell(width, 9, text, border=border, align="C")
    pdf.ln()
    pdf.set_font("DejaVu", "", 10)
    for figure in figures:
        cells = (figure.stt, figure.indicator, figure.unit, figure.value, "")
        for text, width, align in zip(cells, WIDTHS, "CLCCC", strict=True):
            pdf.cell(width, 9, text, border=border, align=align)
        pdf.ln()
    pdf.ln(8)
    pdf.cell(110, 6, "")
    pdf.set_font("DejaVu", "B", 10)
    pdf.cell(0, 6, "GIÁM ĐỐC", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(16)
    pdf.cell(110, 6, "")
    pdf.cell(0, 6, "Nguyễn Văn An", align="C", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def rasterise(pdf: bytes, *, dpi: int = 300) -> list[Image.Image]:
    """Every page of ``pdf`` as a colour image (pdftoppm)."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "report.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-tiff", str(source), str(Path(tmp) / "page")],
            check=True,
            capture_output=True,
        )
        return [Image.open(p).convert("RGB") for p in sorted(Path(tmp).glob("page*.tif"))]


def copier(page: Image.Image, *, skew: float = 1.2, seed: int = 7) -> Image.Image:
    """The page as an office copier gives it: a red seal over the signature, a slight
    skew, blur and speckles."""
    rng = random.Random(seed)
    page = page.copy()
    draw = ImageDraw.Draw(page)
    w, h = page.size
    cx, cy, r = int(w * 0.68), int(h * 0.78), int(w * 0.08)
    for k in range(3):
        draw.ellipse(
            (cx - r + 9 * k, cy - r + 9 * k, cx + r - 9 * k, cy + r - 9 * k),
            outline=(220, 30, 40),
            width=8,
        )
    draw.text((cx - r // 2, cy), "SỞ NỘI VỤ", fill=(220, 30, 40))
    page = page.rotate(skew, resample=Image.Resampling.BICUBIC, expand=True, fillcolor="white")
    page = page.filter(ImageFilter.GaussianBlur(0.8))
    pixels = page.load()
    for _ in range(w * h // 800):
        x, y = rng.randrange(page.width), rng.randrange(page.height)
        pixels[x, y] = (60, 60, 60)
    return page


def copier_blank() -> Image.Image:
    """A small white page with a few marks (for tests that never reach OCR)."""
    page = Image.new("RGB", (400, 560), "white")
    ImageDraw.Draw(page).rectangle((40, 40, 360, 80), outline="black", width=3)
    return page


def image_pdf(pages: list[Image.Image], *, rotate: int = 0) -> bytes:
    """An image-only PDF of the pages (each stored as JPEG), as a copier writes it;
    ``rotate`` sets each page's /Rotate (the image then lies turned the other way)."""
    pdf = FPDF(unit="pt")
    for page in pages:
        stored = page.rotate(rotate, expand=True) if rotate else page
        w, h = stored.width * 72 / 300, stored.height * 72 / 300
        pdf.add_page(format=(w, h))
        buffer = io.BytesIO()
        stored.convert("RGB").save(buffer, format="JPEG", quality=80)
        pdf.image(buffer, x=0, y=0, w=w, h=h)
    data = bytes(pdf.output())
    if not rotate:
        return data
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    for page in document:
        page.set_rotation(rotate)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def image_bytes(pages: list[Image.Image], fmt: str) -> bytes:
    buffer = io.BytesIO()
    if fmt == "TIFF":
        grey = [p.convert("L") for p in pages]
        grey[0].save(
            buffer, format="TIFF", save_all=True, append_images=grey[1:], compression="tiff_lzw"
        )
    else:
        pages[0].save(buffer, format=fmt, **({"quality": 85} if fmt == "JPEG" else {}))
    return buffer.getvalue()


def report_docx(*, year: int = 2024) -> bytes:
    """The same report as a Word file (python-docx): lines, then the appendix table."""
    import docx

    document = docx.Document()
    for left, right in letterhead(year):
        document.add_paragraph(f"{left}\t{right}")
    for line in (*title(year), SENTENCE, "Phụ lục 02", "THỐNG KÊ SỐ LIỆU CẢI CÁCH HÀNH CHÍNH"):
        document.add_paragraph(line)
    table = document.add_table(rows=1 + len(FIGURES), cols=len(HEADER))
    for cell, text in zip(table.rows[0].cells, HEADER, strict=True):
        cell.text = text
    for row, figure in zip(table.rows[1:], FIGURES, strict=True):
        texts = (figure.stt, figure.indicator, figure.unit, figure.value, "")
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def report_xlsx(*, year: int = 2024) -> bytes:
    """The same appendix as a workbook (openpyxl): title lines, then the table; figures
    stored as text as the agency typed them."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Phu luc 02"
    heading = [line for pair in letterhead(year) for line in pair]
    for line in (*heading, *title(year), "Phụ lục 02", "THỐNG KÊ SỐ LIỆU CẢI CÁCH HÀNH CHÍNH"):
        sheet.append([line])
    sheet.append(list(HEADER))
    for figure in FIGURES:
        sheet.append([figure.stt, figure.indicator, figure.unit, figure.value, None])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _soffice(source: Path, target: str) -> Path:
    folder = source.parent
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return source.with_suffix("." + target.split(":")[0])


def to_legacy(data: bytes, source_format: str) -> bytes:
    """A .docx / .xlsx saved by LibreOffice as Word / Excel 97–2003 (.doc / .xls). A
    .docx goes through .odt first: LibreOffice 7.4 saving python-docx's table (width
    "auto") straight to .doc writes its cells as one paragraph."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / f"report.{source_format}"
        source.write_bytes(data)
        if source_format == "docx":
            return _soffice(_soffice(source, "odt"), "doc:MS Word 97").read_bytes()
        return _soffice(source, "xls:MS Excel 97").read_bytes()


# ---------------------------------------------------------------- the fidelity run


@dataclass(frozen=True)
class Made:
    """One generated file: its name, the format it stands for, and its pages."""

    name: str
    kind: str
    data: bytes
    pages: int  # pages that hold the appendix table (its figures are counted per page)
    figures: tuple[Figure, ...] = FIGURES


def make_files(*, legacy: bool = True) -> list[Made]:
    """The files of the scan fidelity run, one year each (so none is a version of
    another): scans as copiers and phones make them, and legacy Office files."""
    made: list[Made] = []
    ruled = rasterise(report_pdf(year=2019))[0]
    made.append(
        Made(
            "scan-copier.pdf",
            "image-only PDF, /Rotate 90",
            image_pdf([copier(ruled)], rotate=90),
            1,
        )
    )
    page = rasterise(report_pdf(year=2020))[0]
    frames = [copier(page, skew=-1.5, seed=3), copier(page, seed=4).rotate(180, expand=True)]
    made.append(
        Made(
            "scan-2-pages.tif",
            "multi-page TIFF (2nd page upside down)",
            image_bytes(frames, "TIFF"),
            2,
        )
    )
    page = rasterise(report_pdf(year=2021))[0]
    photo = copier(page, skew=2.5, seed=5).rotate(90, expand=True)
    made.append(Made("photo.jpg", "JPEG photo turned a quarter", image_bytes([photo], "JPEG"), 1))
    page = rasterise(report_pdf(ruled=False, year=2022))[0]
    made.append(
        Made(
            "borderless.png",
            "PNG, table without rulings",
            image_bytes([copier(page, skew=-0.8, seed=6)], "PNG"),
            1,
        )
    )
    import pypdfium2 as pdfium

    text = pdfium.PdfDocument(report_pdf(year=2023))
    scanned = copier(rasterise(report_pdf(year=2023))[0], seed=8)
    text.import_pages(pdfium.PdfDocument(image_pdf([scanned])))
    out = io.BytesIO()
    text.save(out)
    made.append(Made("mixed.pdf", "mixed PDF (p. 1 text, p. 2 scanned)", out.getvalue(), 2))
    # a planted break (52 tasks done of 47 planned): the reporting rules run on OCR figures
    planted = tuple(
        Figure(f.stt, f.indicator, f.unit, "52") if f.stt == "1.2.2" else f for f in FIGURES
    )
    page = rasterise(report_pdf(year=2018, figures=planted))[0]
    made.append(
        Made(
            "planted-break.jpg",
            "JPEG, 1.2.2 = 52 > 1.2.1 = 47",
            image_bytes([copier(page, seed=12)], "JPEG"),
            1,
            planted,
        )
    )
    if not legacy:
        return made
    made.append(
        Made(
            "bao-cao.doc",
            ".doc (LibreOffice from .docx)",
            to_legacy(report_docx(year=2024), "docx"),
            1,
        )
    )
    made.append(
        Made(
            "phu-luc.xls",
            ".xls (LibreOffice from .xlsx)",
            to_legacy(report_xlsx(year=2025), "xlsx"),
            1,
        )
    )
    return made


def _number(text: str) -> float:
    return float(text.replace(".", "").replace(",", "."))


def indicator_code(figure: Figure) -> str:
    """The catalog code of a figure's row: its number in the Ministry's form."""
    return "bnv_" + figure.stt.replace(".", "_")


#: the sentence's figures (SENTENCE)
SENTENCE_FIGURES = ("14", "9")
Fact = tuple[object, ...]


def _judge(found: list[Fact], value: str, counts: dict[str, int]) -> str | None:
    """Count one expected figure; the description of a wrong one."""
    if not found:
        counts["missing"] += 1
    elif any(r[7] for r in found):
        counts["review"] += 1  # in doubt: đọc từ ảnh, độ tin cậy thấp
    elif any(r[3] is None for r in found):
        counts["unmatched"] += 1  # in review too, as every unmatched figure
    elif all(isinstance(r[5], float) and abs(r[5] - _number(value)) < 1e-9 for r in found):
        counts["right"] += 1
    else:
        counts["wrong"] += 1
        return f"{[r[4] for r in found]} for {value!r}"
    return None


def score_warehouse(warehouse: Path, made: list[Made]) -> list[dict[str, object]]:
    """Per file: figures right in the facts (the right indicator, the right value, not
    in doubt), to review (in doubt, or not matched: mart_unmatched_rows), wrong in the
    facts, and missing, against ``FIGURES`` on every page holding the table; and the
    sentence's two figures the same way."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    facts = con.execute(
        """
        select file_path, source_kind, source_line, indicator_code, raw_value_text,
               value_numeric, read_method, is_ocr_doubtful
        from marts.fct_indicator_value
        """
    ).fetchall()
    findings = con.execute(
        "select file_path, rule_id, is_on_doubtful_ocr_figure, message_vi from quality.rule_results"
    ).fetchall()
    con.close()
    out = []
    for m in made:
        rows = [f for f in facts if f[0] == m.name]
        table_counts = dict.fromkeys(("right", "review", "unmatched", "wrong", "missing"), 0)
        sentence_counts = dict(table_counts)
        wrong: list[str] = []
        for page in range(1, m.pages + 1):
            on_page = [r for r in rows if m.pages == 1 or r[2] == f"p. {page}"]
            table = [r for r in on_page if r[1] == "table"]
            for figure in m.figures:
                if not figure.value:
                    continue
                code = indicator_code(figure)
                found = [r for r in table if r[3] == code]
                if not found:  # not matched, or matched to another indicator
                    found = [r for r in table if r[4] == figure.value]
                bad = _judge(found, figure.value, table_counts)
                if bad:
                    wrong.append(f"p. {page} {figure.stt}: {bad}")
            said = [r for r in on_page if r[1] == "narrative"]
            for value in SENTENCE_FIGURES:
                bad = _judge([r for r in said if r[4] == value], value, sentence_counts)
                if bad:
                    wrong.append(f"p. {page} sentence: {bad}")
        methods = sorted({str(r[6]) for r in rows})
        out.append(
            {
                "file": m.name,
                "kind": m.kind,
                "read": "/".join(methods),
                "table": table_counts,
                "sentence": sentence_counts,
                "wrong": wrong,
                "findings": [f"{f[1]}: {f[3]}" for f in findings if f[0] == m.name],
            }
        )
    return out


def bench() -> None:
    """Seconds per step of reading one copier page (``python -m tools.scans --bench``)."""
    import time

    from ingest.limits import DEFAULT_LIMITS
    from ingest.readers import scan

    def timed(label: str, work):  # type: ignore[no-untyped-def]
        started = time.monotonic()
        result = work()
        print(f"{label}: {time.monotonic() - started:.2f} s")
        return result

    pdf = image_pdf([copier(rasterise(report_pdf())[0])], rotate=90)
    page = timed(
        "render (pdfium, 300 dpi, /Rotate applied)",
        lambda: scan.render_pdf_page(pdf, 1, DEFAULT_LIMITS),
    )
    grey = timed("grey without the seal", lambda: scan.to_grey(page))
    timed(
        "orientation (tesseract --psm 0, half size)", lambda: scan.orientation(grey, DEFAULT_LIMITS)
    )
    timed("skew (projection profile)", lambda: scan.skew_angle(grey))
    rulings = timed("rulings", lambda: scan.find_rulings(grey))
    clean = scan.without_rulings(grey, rulings)
    timed(
        "tesseract --psm 4 tsv",
        lambda: scan._run_tesseract(clean, ["--psm", "4", "-l", "vie", "tsv"], DEFAULT_LIMITS),
    )
    timed("whole page (scan.read_page)", lambda: scan.read_page(page, 1, DEFAULT_LIMITS))
    two = [(n, lambda: page) for n in (1, 2)]
    timed("two pages in the pool", lambda: scan.read_pages(two, DEFAULT_LIMITS))


def main(argv: list[str] | None = None) -> int:
    """``python -m tools.scans OUT [--score-only]``: write the files to OUT/reports,
    ingest and build into OUT/cchc.duckdb, print the score per file (markdown)."""
    import sys
    import time

    from tools.corpus.fidelity import run_product

    args = sys.argv[1:] if argv is None else argv
    if "--bench" in args:
        bench()
        return 0
    score_only = "--score-only" in args
    args = [a for a in args if a != "--score-only"]
    out = Path(args[0] if args else "/tmp/cchc-scans")
    reports = out / "reports"
    warehouse = out / "cchc.duckdb"
    started = time.monotonic()
    made = make_files()
    print(f"made {len(made)} files in {time.monotonic() - started:.0f} s")
    if not score_only:
        reports.mkdir(parents=True, exist_ok=True)
        for m in made:
            (reports / m.name).write_bytes(m.data)
        warehouse.unlink(missing_ok=True)
        run = run_product(reports, warehouse)
        print(f"cchc ingest + build: {run.seconds:.0f} s")
        for note in run.notes:
            print("note:", note)
    print(
        "| file | made as | read | table: right in facts / in doubt (review) / unmatched / "
        "wrong in facts / missing | sentence: same |"
    )
    print("|---|---|---|---|---|")
    scores = score_warehouse(warehouse, made)
    for s in scores:
        t, n = s["table"], s["sentence"]
        assert isinstance(t, dict) and isinstance(n, dict)
        print(
            f"| {s['file']} | {s['kind']} | {s['read']} | "
            + " / ".join(str(v) for v in t.values())
            + " | "
            + " / ".join(str(v) for v in n.values())
            + " |"
        )
        if s["wrong"]:
            print(f"<!-- wrong: {s['wrong']} -->")
    for s in scores:
        for finding in s["findings"]:  # type: ignore[attr-defined]
            print(f"- finding on {s['file']}: {finding}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
