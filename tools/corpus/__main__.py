"""``python -m tools.corpus generate|fidelity`` — see ``--help``."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from tools.corpus.fidelity import load_product, run_product, score
from tools.corpus.generate import generate
from tools.corpus.national import NATIONAL_FORMAT_MIX
from tools.corpus.report import render, worst
from tools.corpus.seeds import load_seeds
from tools.corpus.spec import DEFAULT_FORMAT_MIX, FORMATS
from tools.corpus.truth import read_csv


def _formats(text: str | None, national: bool = False) -> tuple[str, ...]:
    if not text:
        return NATIONAL_FORMAT_MIX if national else DEFAULT_FORMAT_MIX
    chosen = tuple(part.strip() for part in text.split(","))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown:
        raise SystemExit(f"--formats: unknown {unknown}; choose from {', '.join(FORMATS)}")
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.corpus", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="write a variation corpus with its ground truth")
    gen.add_argument("--out", type=Path, required=True, help="new folder: reports/ and truth/")
    gen.add_argument("--n", type=int, default=100)
    gen.add_argument("--seed", type=int, default=7)
    gen.add_argument(
        "--formats",
        help="the format mix, one entry per share, e.g. txt,docx,xlsx or txt,txt,pdf "
        "(default: 3 txt, 3 docx, 3 xlsx, 1 pdf in every 10; with --national 9 docx, "
        "8 xlsx, 2 txt, 1 pdf in every 20)",
    )
    gen.add_argument(
        "--national",
        action="store_true",
        help="every province of both eras with a standing roster of agencies reporting "
        "2022–2026, reports stating most of the form (tools/corpus/national.py)",
    )
    gen.add_argument(
        "--jobs", type=int, default=1, help="processes writing the files (the same corpus)"
    )
    fid = sub.add_parser("fidelity", help="run the product on a corpus and score it per axis")
    fid.add_argument("--corpus", type=Path, required=True)
    fid.add_argument("--warehouse", type=Path, help="score this warehouse instead of running")
    fid.add_argument("--full-run", action="store_true", help="cchc run instead of ingest + build")
    fid.add_argument("--markdown", type=Path, help="also write the tables to this file")
    fid.add_argument("--keep", type=Path, help="build the warehouse in this new folder and keep it")
    args = parser.parse_args(argv)

    if args.command == "generate":
        started = time.monotonic()
        try:
            written = generate(
                args.out,
                args.n,
                args.seed,
                _formats(args.formats, args.national),
                national=args.national,
                jobs=args.jobs,
            )
        except FileExistsError as error:
            print(f"generate: {error}", file=sys.stderr)
            return 1
        print(
            f"{written.reports} reports, {written.figures} figures → {written.reports_dir} "
            f"(truth in {written.truth_dir}) in {time.monotonic() - started:.1f} s"
        )
        return 0

    truth_docs = read_csv(args.corpus / "truth" / "documents.csv")
    truth_figs = read_csv(args.corpus / "truth" / "figures.csv")
    seconds, notes = 0.0, ()
    with tempfile.TemporaryDirectory(prefix="cchc-fidelity-") as tmp:
        warehouse = args.warehouse
        if warehouse is None:
            work = args.keep or Path(tmp)
            work.mkdir(parents=True, exist_ok=True)
            warehouse = work / "cchc.duckdb"
            steps = ("run",) if args.full_run else ("ingest", "build")
            run = run_product(args.corpus / "reports", warehouse, steps=steps)
            seconds, notes = run.seconds, run.notes
        spellings = load_seeds().province_aliases
        scores = score(truth_docs, truth_figs, load_product(warehouse), spellings)
    text = render(scores)
    summary = (
        f"{len(truth_docs)} documents, {len(truth_figs)} figures; product run {seconds:.0f} s\n\n"
        + "".join(f"- {note}\n" for note in notes)
        + ("\n" if notes else "")
        + f"{text}\n**Worst axis values**\n\n{worst(scores)}\n"
    )
    print(summary)
    if args.markdown:
        args.markdown.write_text(summary, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
