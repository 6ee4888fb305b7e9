"""Hostile and broken report files, written on the fly (never committed: some are large
uncompressed). Each writer takes the folder and returns the file it wrote.

Run as a script to write all of them into a folder, for the memory benchmark:
    python tests/python/hostile_files.py /tmp/bombs
"""

from __future__ import annotations

import io
import os
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document as new_docx
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "reports" / "002_04942a727d49f9a1.txt"

_SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _template(kind: str) -> bytes:
    buffer = io.BytesIO()
    if kind == "xlsx":
        workbook = Workbook()
        workbook.active.title = "Sheet1"
        workbook.save(buffer)
    else:
        new_docx().save(buffer)
    return buffer.getvalue()


def _package(
    kind: str,
    replace: dict[str, Callable[[], Iterator[bytes]]],
    extra: dict[str, Callable[[], Iterator[bytes]]] | None = None,
) -> bytes:
    """An Office package from a fresh template with some parts replaced (streamed)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(_template(kind))) as template,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as package,
    ):
        for info in template.infolist():
            if info.filename in replace:
                with package.open(info.filename, "w", force_zip64=True) as part:
                    for chunk in replace[info.filename]():
                        part.write(chunk)
            else:
                package.writestr(info, template.read(info))
        for name, chunks in (extra or {}).items():
            with package.open(name, "w", force_zip64=True) as part:
                for chunk in chunks():
                    part.write(chunk)
    return out.getvalue()


def _report_lines() -> list[list[str]]:
    return [line.split("\t") for line in SAMPLE.read_text(encoding="utf-8").splitlines()]


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def _sheet(rows: Iterator[str], *, dimension: str, tail: str = "") -> Iterator[bytes]:
    yield (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_SHEET_NS}">'
        f'<dimension ref="{dimension}"/><sheetData>'
    ).encode()
    batch: list[str] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= 10_000:
            yield "".join(batch).encode()
            batch.clear()
    yield "".join(batch).encode()
    yield f"</sheetData>{tail}</worksheet>".encode()


def dimension_bomb_xlsx(folder: Path) -> Path:
    """A real report (a few KB) whose sheet declares A1:XFD1048576 as used, with a
    formatted empty cell in XFD1048576: read in full, that is 17 billion cells."""

    def rows() -> Iterator[str]:
        for number, cells in enumerate(_report_lines(), start=1):
            filled = "".join(
                _inline(f"{chr(ord('A') + i)}{number}", text)
                for i, text in enumerate(cells[:20])
                if text.strip()
            )
            yield f'<row r="{number}">{filled}</row>'
        yield '<row r="1048576"><c r="XFD1048576" s="0"/></row>'

    data = _package(
        "xlsx", {"xl/worksheets/sheet1.xml": lambda: _sheet(rows(), dimension="A1:XFD1048576")}
    )
    path = folder / "dimension_bomb.xlsx"
    path.write_bytes(data)
    return path


def million_rows_xlsx(folder: Path, rows: int = 1_000_000) -> Path:
    """A workbook of a million filled rows, one number each (a few MB compressed)."""

    def lines() -> Iterator[str]:
        for n in range(1, rows + 1):
            yield f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>'

    data = _package(
        "xlsx", {"xl/worksheets/sheet1.xml": lambda: _sheet(lines(), dimension=f"A1:A{rows}")}
    )
    path = folder / "million_rows.xlsx"
    path.write_bytes(data)
    return path


def _document(body: Callable[[], Iterator[str]]) -> Callable[[], Iterator[bytes]]:
    def chunks() -> Iterator[bytes]:
        yield (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:document xmlns:w="{_W_NS}"><w:body>'
        ).encode()
        yield from (part.encode() for part in body())
        yield b"</w:body></w:document>"

    return chunks


def million_paragraphs_docx(folder: Path, paragraphs: int = 1_000_000) -> Path:
    """A .docx of a million tiny paragraphs (about 135 KB compressed)."""

    def body() -> Iterator[str]:
        chunk = "<w:p><w:r><w:t>a</w:t></w:r></w:p>" * 10_000
        for _ in range(paragraphs // 10_000):
            yield chunk

    path = folder / "million_paragraphs.docx"
    path.write_bytes(_package("docx", {"word/document.xml": _document(body)}))
    return path


def deep_xml_docx(folder: Path, depth: int = 100_000) -> Path:
    """A .docx whose body nests content controls a hundred thousand deep."""

    def body() -> Iterator[str]:
        yield "<w:sdt><w:sdtContent>" * depth
        yield "<w:p><w:r><w:t>a</w:t></w:r></w:p>"
        yield "</w:sdtContent></w:sdt>" * depth

    path = folder / "deep_xml.docx"
    path.write_bytes(_package("docx", {"word/document.xml": _document(body)}))
    return path


def zip_bomb_docx(folder: Path, megabytes: int = 1024) -> Path:
    """A .docx carrying a part of ``megabytes`` MB of zeros (about a thousandth of that
    compressed)."""

    def zeros() -> Iterator[bytes]:
        block = bytes(1 << 20)
        for _ in range(megabytes):
            yield block

    path = folder / "zip_bomb.docx"
    path.write_bytes(_package("docx", {}, extra={"word/media/image1.bin": zeros}))
    return path


def long_line_txt(folder: Path, characters: int = 20_000_000) -> Path:
    """A text report of one line of twenty million characters."""
    path = folder / "long_line.txt"
    path.write_bytes(b"a" * characters)
    return path


def oversized_txt(folder: Path, size: int = 60_000_000) -> Path:
    """A 60 MB text file (sparse: no disk is used)."""
    path = folder / "oversized.txt"
    with path.open("wb") as fp:
        fp.truncate(size)
    return path


BOMBS: dict[str, Callable[[Path], Path]] = {
    "dimension_bomb.xlsx": dimension_bomb_xlsx,
    "million_rows.xlsx": million_rows_xlsx,
    "million_paragraphs.docx": million_paragraphs_docx,
    "deep_xml.docx": deep_xml_docx,
    "zip_bomb.docx": zip_bomb_docx,
    "long_line.txt": long_line_txt,
    "oversized.txt": oversized_txt,
}


def write_all(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return {name: write(folder) for name, write in BOMBS.items()}


if __name__ == "__main__":
    target = Path(sys.argv[1])
    for name, path in write_all(target).items():
        print(f"{os.path.getsize(path):>12,}  {name}")
