"""One writer per format: ``write(spec, seeds, path) -> {(table_no, row_index): place}``,
the place where each figure's value landed, as the product names places (a line
number, ``table N row M``, ``Sheet!A12``, ``p. N``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tools.corpus.seeds import Seeds
from tools.corpus.spec import ReportSpec

Places = dict[tuple[int, int], str]
Writer = Callable[[ReportSpec, Seeds, Path], Places]


def writer_for(fmt: str) -> Writer:
    from tools.corpus.writers import docx_writer, pdf_writer, text_writer, xlsx_writer

    return {
        "txt": text_writer.write,
        "docx": docx_writer.write,
        "xlsx": xlsx_writer.write,
        "pdf": pdf_writer.write,
    }[fmt]
