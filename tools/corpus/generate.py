"""Write a corpus: every report into ``DIR/reports/`` and its truth into ``DIR/truth/``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tools.corpus.seeds import load_seeds
from tools.corpus.spec import DEFAULT_FORMAT_MIX, build_specs
from tools.corpus.truth import (
    DOCUMENT_COLUMNS,
    FIGURE_COLUMNS,
    document_row,
    figure_rows,
    write_csv,
)
from tools.corpus.writers import writer_for


@dataclass(frozen=True)
class Written:
    reports: int
    figures: int
    reports_dir: Path
    truth_dir: Path


def generate(
    out: Path, n: int, seed: int, formats: tuple[str, ...] = DEFAULT_FORMAT_MIX
) -> Written:
    seeds = load_seeds()
    reports_dir, truth_dir = out / "reports", out / "truth"
    if reports_dir.exists() and any(reports_dir.iterdir()):
        raise FileExistsError(
            f"{reports_dir} is not empty: give a new --out folder (a corpus is written whole)"
        )
    reports_dir.mkdir(parents=True, exist_ok=True)
    documents, figures = [], []
    for spec in build_specs(seed, n, seeds, formats):
        path = reports_dir / spec.file_name
        path.parent.mkdir(parents=True, exist_ok=True)  # a report may sit in folders
        places = writer_for(spec.axes["format"])(spec, seeds, path)
        documents.append(document_row(spec))
        figures += figure_rows(spec, seeds, places)
    write_csv(truth_dir / "documents.csv", DOCUMENT_COLUMNS, documents)
    write_csv(truth_dir / "figures.csv", FIGURE_COLUMNS, figures)
    (truth_dir / "corpus.txt").write_text(
        f"seed={seed}\nn={n}\nformats={','.join(formats)}\n", encoding="utf-8"
    )
    return Written(len(documents), len(figures), reports_dir, truth_dir)
