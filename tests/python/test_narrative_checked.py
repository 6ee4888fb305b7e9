"""The hand-checked narrative figures (tests/cases/narrative_checked.csv, docs/PRECISION.md)
recomputed from the session's real warehouse: every figure recorded as right stays right,
and narrative precision and recall do not fall below what was recorded."""

from __future__ import annotations

from conftest import Built

from tools.narrative_checked import evaluate, read_cases, scores


def test_the_checked_list_covers_every_sample() -> None:
    cases = read_cases()
    assert len(cases) >= 60
    assert {c["file"] for c in cases} == {"000", "001", "002", "003", "004"}


def test_every_figure_recorded_right_stays_right(built: Built) -> None:
    cases = read_cases()
    now = evaluate(built.warehouse, cases)
    regressed = [
        f"{r['file']}:{r['line']} {r['figure']} ({r['verdict']}: now {r['now_indicator']} "
        f"{r['now_scope']} {r['now_period']} {r['now_value']})"
        for recorded, r in zip(cases, now, strict=True)
        if recorded["verdict"] == "right" and r["verdict"] != "right"
    ]
    assert regressed == []


def test_precision_and_recall_do_not_fall(built: Built) -> None:
    recorded = scores(read_cases())
    now = scores(evaluate(built.warehouse, read_cases()))
    assert now.precision >= recorded.precision
    assert now.recall >= recorded.recall
