"""The national corpus (tools/corpus/national.py): a standing roster of every
province's agencies, each era's agency types and periods, series of reports by the same
agency, resubmissions, the stated format mix; the files the same with two writers."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from tools.corpus.generate import generate
from tools.corpus.national import NATIONAL_FORMAT_MIX, NATIONAL_SCALE, NationalRoster
from tools.corpus.seeds import load_seeds
from tools.corpus.spec import CUTOVER, build_specs


@pytest.fixture(scope="module")
def specs():
    seeds = load_seeds()
    roster = NationalRoster.build(random.Random(1), seeds)
    return build_specs(7, 400, seeds, NATIONAL_FORMAT_MIX, NATIONAL_SCALE, roster)


def test_the_roster_covers_every_province_of_both_eras():
    seeds = load_seeds()
    roster = NationalRoster.build(random.Random(1), seeds)
    for agency_type, era in (("district", "63"), ("commune", "34")):
        members = roster.members[agency_type]
        assert {m.agency.province.era for m in members} == {era}
        provinces = {p.code for p in seeds.provinces if p.era == era}
        assert {m.agency.province.code for m in members} == provinces
    departments = {m.agency.province.era for m in roster.members["provincial_department"]}
    assert departments == {"63", "34"}


def test_eras_periods_and_series(specs):
    for spec in specs:
        ends_before = spec.period.end < CUTOVER
        assert ends_before == (spec.agency.province.era == "63"), spec.file_name
        assert 2022 <= spec.period.year <= 2026
        if spec.agency.agency_type == "district":
            assert ends_before
        if spec.agency.agency_type == "commune":
            assert not ends_before
    originals = [s for s in specs if s.version == 1]
    cells = Counter((s.agency.province.code, s.agency.name, s.period) for s in originals)
    assert max(cells.values()) == 1  # an agency reports a period once; resubmissions aside
    series = Counter((s.agency.province.code, s.agency.name) for s in originals)
    assert max(series.values()) >= 2  # the same agency reports several periods
    assert sum(s.version == 2 for s in specs) >= len(specs) // 5
    formats = Counter(s.axes["format"] for s in specs)
    assert formats["docx"] + formats["xlsx"] >= 0.8 * len(specs) and formats["pdf"] > 0
    figures = [sum(r.figure is not None for t in s.tables for r in t.rows) for s in specs]
    assert sum(figures) / len(figures) >= 80  # most of the form, as real reports


def test_two_writers_write_the_same_corpus(tmp_path: Path):
    generate(tmp_path / "a", 6, 3, ("txt", "xlsx"), national=True, jobs=1)
    generate(tmp_path / "b", 6, 3, ("txt", "xlsx"), national=True, jobs=2)
    for name in ("documents.csv", "figures.csv"):
        assert (tmp_path / "a/truth" / name).read_bytes() == (
            tmp_path / "b/truth" / name
        ).read_bytes()
    texts = sorted((tmp_path / "a/reports").glob("*.txt"))
    assert texts and all(
        t.read_bytes() == (tmp_path / "b/reports" / t.name).read_bytes() for t in texts
    )
