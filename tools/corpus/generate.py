"""Write a corpus: every report into ``DIR/reports/`` and its truth into ``DIR/truth/``.

The specs are drawn in one process (one random stream: the same seed gives the same
corpus); the files are written by ``jobs`` processes, in order, so the truth files are
the same whatever the number of processes.
"""

from __future__ import annotations

import multiprocessing
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tools.corpus.seeds import Seeds, load_seeds
from tools.corpus.spec import DEFAULT_FORMAT_MIX, ReportSpec, build_specs
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


Truth = tuple[dict[str, str], list[dict[str, str]]]
_worker: tuple[Seeds, Path] | None = None  # a writing process's seeds and folder


def _write_one(spec: ReportSpec, seeds: Seeds, reports_dir: Path) -> Truth:
    path = reports_dir / spec.file_name
    path.parent.mkdir(parents=True, exist_ok=True)  # a report may sit in folders
    places = writer_for(spec.axes["format"])(spec, seeds, path)
    return document_row(spec), figure_rows(spec, seeds, places)


def _start_worker(reports_dir: Path) -> None:
    global _worker
    _worker = (load_seeds(), reports_dir)


def _write_in_worker(spec: ReportSpec) -> Truth:
    assert _worker is not None
    return _write_one(spec, *_worker)


def _written(
    specs: list[ReportSpec], seeds: Seeds, reports_dir: Path, jobs: int
) -> Iterator[Truth]:
    if jobs <= 1:
        for spec in specs:
            yield _write_one(spec, seeds, reports_dir)
        return
    # spawn: each writer starts clean, whatever the parent has imported or opened
    context = multiprocessing.get_context("spawn")
    with context.Pool(jobs, initializer=_start_worker, initargs=(reports_dir,)) as pool:
        yield from pool.imap(_write_in_worker, specs, chunksize=8)


def generate(
    out: Path,
    n: int,
    seed: int,
    formats: tuple[str, ...] = DEFAULT_FORMAT_MIX,
    *,
    national: bool = False,
    jobs: int = 1,
) -> Written:
    """``national``: the roster of every province's agencies and fuller reports
    (tools/corpus/national.py), in its own format mix unless ``formats`` is given."""
    seeds = load_seeds()
    reports_dir, truth_dir = out / "reports", out / "truth"
    if reports_dir.exists() and any(reports_dir.iterdir()):
        raise FileExistsError(
            f"{reports_dir} is not empty: give a new --out folder (a corpus is written whole)"
        )
    reports_dir.mkdir(parents=True, exist_ok=True)
    if national:
        from tools.corpus.national import NATIONAL_SCALE, NationalRoster

        roster = NationalRoster.build(random.Random(seed * 7919 + 1), seeds)
        specs = build_specs(seed, n, seeds, formats, NATIONAL_SCALE, roster)
    else:
        specs = build_specs(seed, n, seeds, formats)
    documents, figures = _collect(_written(specs, seeds, reports_dir, jobs))
    write_csv(truth_dir / "documents.csv", DOCUMENT_COLUMNS, documents)
    write_csv(truth_dir / "figures.csv", FIGURE_COLUMNS, figures)
    (truth_dir / "corpus.txt").write_text(
        f"seed={seed}\nn={n}\nformats={','.join(formats)}\nnational={national}\n",
        encoding="utf-8",
    )
    return Written(len(documents), len(figures), reports_dir, truth_dir)


def _collect(written: Iterable[Truth]) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    documents: list[dict[str, str]] = []
    figures: list[dict[str, str]] = []
    for document, rows in written:
        documents.append(document)
        figures += rows
    return documents, figures
