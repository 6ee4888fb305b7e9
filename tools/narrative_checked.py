"""The hand-checked narrative figures (tests/cases/narrative_checked.csv) against a built
warehouse: what the product gives now for each, and narrative precision and recall.

Each case names a figure stated in a sentence of a sample report by its file, its lines
(as ingest records them: ``373``, ``433-439``), the figure as written and, where the same
figure is written more than once on those lines, its occurrence (``nth``, in reading
order). The expected indicator, scope, period and value were written by reading the
document; an empty expected indicator means the catalog has no indicator for the figure
(the right answer is to leave it unmatched).

A case is ``right`` when the product's figure (marts.fct_indicator_value) has the expected
indicator, scope, period and value — or, for a figure the catalog has no indicator for,
when it is unmatched. Precision: of the checked figures the product matched to an
indicator, the share that are right. Recall: of the checked figures the catalog has an
indicator for, the share that are right.

    .venv/bin/python -m tools.narrative_checked --warehouse warehouse/cchc.duckdb
    .venv/bin/python -m tools.narrative_checked --warehouse … --write   # record 'now'
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "cases" / "narrative_checked.csv"
CASE_COLUMNS = (
    "file",
    "line",
    "figure",
    "nth",
    "expected_indicator",
    "expected_scope",
    "expected_period",
    "expected_value",
    "note",
)
NOW_COLUMNS = ("now_indicator", "now_scope", "now_period", "now_value", "verdict")

_FIGURES = """
    select
        split_part(f.file_path, '_', 1) as file,
        f.source_line as line,
        f.raw_value_text as figure,
        row_number() over (
            partition by f.file_path, f.source_line, f.raw_value_text
            order by f.figure_position
        ) as nth,
        f.indicator_code,
        f.scope,
        f.period_key,
        f.value_numeric
    from marts.fct_indicator_value as f
    where f.source_kind = 'narrative' and f.figure_kind = 'actual'
"""


@dataclass(frozen=True)
class Now:
    indicator: str | None
    scope: str | None
    period: str | None
    value: float | None


def read_cases(path: Path = CASES) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fp:
        return list(csv.DictReader(fp))


def product_figures(warehouse: Path) -> dict[tuple[str, str, str, int], Now]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(_FIGURES).fetchall()
    return {
        (f, line, fig, nth): Now(ind, scope, period, value)
        for f, line, fig, nth, ind, scope, period, value in rows
    }


def verdict(case: dict[str, str], now: Now | None) -> str:
    """right, missed, false match, wrong indicator / scope / period / value, not read."""
    if now is None:
        return "not read"
    expected = case["expected_indicator"]
    if not expected:
        return "right" if now.indicator is None else "false match"
    if now.indicator is None:
        return "missed"
    if now.indicator != expected:
        return "wrong indicator"
    if now.scope != case["expected_scope"]:
        return "wrong scope"
    if now.period != case["expected_period"]:
        return "wrong period"
    value = float(case["expected_value"])
    if now.value is None or not math.isclose(now.value, value, rel_tol=1e-9, abs_tol=1e-9):
        return "wrong value"
    return "right"


def evaluate(warehouse: Path, cases: list[dict[str, str]]) -> list[dict[str, str]]:
    """Each case with what the product gives now and its verdict."""
    figures = product_figures(warehouse)
    out = []
    for case in cases:
        key = (case["file"], case["line"], case["figure"], int(case["nth"] or 1))
        now = figures.get(key)
        out.append(
            {
                **{c: case[c] for c in CASE_COLUMNS},
                "now_indicator": (now.indicator or "") if now else "",
                "now_scope": (now.scope or "") if now else "",
                "now_period": (now.period or "") if now else "",
                "now_value": "" if now is None or now.value is None else f"{now.value:g}",
                "verdict": verdict(case, now),
            }
        )
    return out


@dataclass(frozen=True)
class Scores:
    cases: int
    matched: int
    matched_right: int
    with_indicator: int
    found_right: int

    @property
    def precision(self) -> float:
        return self.matched_right / self.matched if self.matched else 1.0

    @property
    def recall(self) -> float:
        return self.found_right / self.with_indicator if self.with_indicator else 1.0


def scores(evaluated: list[dict[str, str]]) -> Scores:
    matched = [r for r in evaluated if r["now_indicator"]]
    with_indicator = [r for r in evaluated if r["expected_indicator"]]
    return Scores(
        cases=len(evaluated),
        matched=len(matched),
        matched_right=sum(r["verdict"] == "right" for r in matched),
        with_indicator=len(with_indicator),
        found_right=sum(r["verdict"] == "right" for r in with_indicator),
    )


def write_cases(evaluated: list[dict[str, str]], path: Path = CASES) -> None:
    with path.open("w", encoding="utf-8", newline="") as fp:
        writer = csv.DictWriter(fp, fieldnames=[*CASE_COLUMNS, *NOW_COLUMNS], lineterminator="\n")
        writer.writeheader()
        writer.writerows(evaluated)


def markdown(evaluated: list[dict[str, str]]) -> str:
    """The checked list as the table of docs/PRECISION.md."""
    lines = [
        "| file:line | figure | expected (indicator · scope · period · value) | now | verdict |",
        "|---|---|---|---|---|",
    ]
    for r in evaluated:
        expected = (
            " · ".join(
                (
                    r["expected_indicator"],
                    r["expected_scope"],
                    r["expected_period"],
                    r["expected_value"],
                )
            )
            if r["expected_indicator"]
            else "none in the catalog"
        )
        now = (
            " · ".join((r["now_indicator"], r["now_scope"], r["now_period"], r["now_value"]))
            if r["now_indicator"]
            else "unmatched"
        )
        note = f" — {r['note']}" if r["note"] else ""
        lines.append(
            f"| {r['file']}:{r['line']} | {r['figure']} | {expected}{note} | {now} | "
            f"{r['verdict']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--warehouse", type=Path, required=True, help="a built warehouse")
    parser.add_argument("--cases", type=Path, default=CASES)
    parser.add_argument("--write", action="store_true", help="record 'now' in the cases file")
    parser.add_argument("--markdown", action="store_true", help="print the table of PRECISION.md")
    args = parser.parse_args(argv)
    evaluated = evaluate(args.warehouse, read_cases(args.cases))
    s = scores(evaluated)
    for row in evaluated:
        if row["verdict"] != "right":
            expected = " ".join(
                (
                    row["expected_indicator"] or "(none)",
                    row["expected_scope"],
                    row["expected_period"],
                    row["expected_value"],
                )
            )
            now = " ".join(
                (
                    row["now_indicator"] or "(none)",
                    row["now_scope"],
                    row["now_period"],
                    row["now_value"],
                )
            )
            where = f"{row['file']}:{row['line']} {row['figure']}"
            print(f"{where} — {row['verdict']}: expected {expected}; now {now}")
    print(
        f"{s.cases} figures checked; precision {s.matched_right}/{s.matched} = {s.precision:.1%}, "
        f"recall {s.found_right}/{s.with_indicator} = {s.recall:.1%}"
    )
    if args.write:
        write_cases(evaluated, args.cases)
    if args.markdown:
        print(markdown(evaluated))
    return 0


if __name__ == "__main__":
    sys.exit(main())
