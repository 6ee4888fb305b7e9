"""Plain-text reports as text extractions print them: a table row is one line with
its cells separated by tabs, a letterhead in two columns is tab-separated too, and a
blank line is a page break. A figure's place is its 1-based line number."""

from __future__ import annotations

from pathlib import Path

from tools.corpus.seeds import Seeds
from tools.corpus.spec import ReportSpec
from tools.corpus.writers.cells import (
    RECIPIENTS,
    appendix_heading,
    letterhead_left,
    letterhead_right,
    table_cells,
)

Places = dict[tuple[int, int], str]


def letterhead_lines(spec: ReportSpec) -> list[str]:
    left, right = letterhead_left(spec), letterhead_right(spec)
    if spec.axes["letterhead"] == "two_column":
        width = max(len(left), len(right))
        left += [""] * (width - len(left))
        right = [""] * (width - len(right)) + right
        return [
            f"{a}\t{b}".rstrip("\t") if a else f"\t{b}" for a, b in zip(left, right, strict=True)
        ]
    return [*left, *right]


def render(spec: ReportSpec, seeds: Seeds) -> tuple[list[str], Places]:
    lines: list[str] = []
    places: Places = {}
    alone = spec.kind == "appendix"
    if not alone:
        lines += [
            *letterhead_lines(spec),
            "",
            *spec.title_lines,
            "",
            *spec.body,
            "",
            RECIPIENTS,
            "",
        ]
    for t_no, table in enumerate(spec.tables, start=1):
        lines += [*appendix_heading(table, alone), ""]
        lines.append("\t".join(table.headers))
        for r_no, (row, cells) in enumerate(
            zip(table.rows, table_cells(table, spec, seeds), strict=True)
        ):
            lines.append("\t".join(cells))
            if row.figure is not None:
                places[(t_no, r_no)] = str(len(lines))
        lines.append("")
    return lines, places


def write(spec: ReportSpec, seeds: Seeds, path: Path) -> Places:
    lines, places = render(spec, seeds)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return places
