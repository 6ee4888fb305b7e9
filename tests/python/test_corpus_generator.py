"""The variation corpus generator (tools/corpus): deterministic, every axis value shown,
truth that agrees with the files written, ratios consistent; and the fidelity scorer's
document placement checked on a small ingest (no build)."""

from __future__ import annotations

import csv
import subprocess
from collections import defaultdict
from pathlib import Path

import duckdb
import pdfplumber
import pytest
from docx import Document
from openpyxl import load_workbook

from tools.corpus.fidelity import fold, load_product, place_document, score
from tools.corpus.generate import generate
from tools.corpus.periods import CASES, STYLES
from tools.corpus.reference import NO_HEADER, VALUE_HEADERS
from tools.corpus.seeds import load_seeds
from tools.corpus.spec import (
    AGENCY_TYPES,
    AXES,
    CODE_WORDINGS,
    CROSSTABS,
    FORMATS,
    PLACES,
    UNIT_PLACEMENTS,
    VERSIONS,
    build_specs,
)
from tools.corpus.truth import read_csv

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def seeds():
    return load_seeds()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, seeds) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    generate(out, 60, seed=11, formats=("txt", "docx", "xlsx", "pdf"))
    return out


def test_same_seed_same_specs_and_files(tmp_path, seeds):
    first = [(s.file_name, s.axes, s.tables) for s in build_specs(3, 25, seeds)]
    again = [(s.file_name, s.axes, s.tables) for s in build_specs(3, 25, seeds)]
    other = [(s.file_name, s.axes) for s in build_specs(4, 25, seeds)]
    assert first == again
    assert [f[:2] for f in first] != other
    generate(tmp_path / "a", 8, seed=5, formats=("txt", "xlsx"))
    generate(tmp_path / "b", 8, seed=5, formats=("txt", "xlsx"))
    for name in ("documents.csv", "figures.csv"):
        assert (tmp_path / "a/truth" / name).read_bytes() == (
            tmp_path / "b/truth" / name
        ).read_bytes()
    texts = sorted((tmp_path / "a/reports").glob("*.txt"))
    assert texts and all(
        t.read_bytes() == (tmp_path / "b/reports" / t.name).read_bytes() for t in texts
    )


def test_every_axis_value_appears(corpus):
    docs = read_csv(corpus / "truth" / "documents.csv")
    seen = defaultdict(set)
    for doc in docs:
        for axis in AXES:
            seen[axis].add(doc[axis])
    assert seen["format"] == set(FORMATS)
    assert seen["metadata_place"] == {p for places in PLACES.values() for p in places}
    assert seen["agency_type"] == set(AGENCY_TYPES)
    assert seen["version"] == set(VERSIONS)
    assert seen["period_type"] == set(STYLES)
    assert seen["period_case"] == set(CASES)
    assert {"two_column", "stacked"} <= seen["letterhead"]
    assert seen["unit_placement"] == set(UNIT_PLACEMENTS)
    assert seen["code_wording"] == set(CODE_WORDINGS)
    assert seen["crosstab"] == set(CROSSTABS)
    assert seen["value_header"] == {h or NO_HEADER for h in VALUE_HEADERS}
    assert len(seen["table_count"]) >= 3  # one table, and several per document
    assert seen["number_format"] == {"grouped", "ungrouped", "numeric_cells"}
    assert seen["era"] == {"63", "34"}
    assert seen["province_spelling"] == {"seed_name", "alias"}
    assert seen["former_province"] == {"none", "mentioned"}
    assert {"ratio_break", "sum_break", "consistent"} == seen["consistency"]
    phrasings = {p for p in seen["period_phrasing"] if not p.startswith("file:")}
    assert len(phrasings) >= 10


def test_districts_before_and_communes_after_the_reform(corpus):
    for doc in read_csv(corpus / "truth" / "documents.csv"):
        if doc["agency_type"] == "district":
            assert doc["era"] == "63" and doc["report_date"] < "2025-07-01"
        if doc["agency_type"] == "commune":
            assert doc["era"] == "34" and doc["report_date"] >= "2025-07-01"
        else:
            assert doc["former_province"] == "none"
        if doc["version_no"] == "2":
            assert doc["supersedes_file"]


def test_figures_are_where_the_truth_says(corpus):
    figures = read_csv(corpus / "truth" / "figures.csv")
    checked = defaultdict(int)
    docx_cache: dict[str, object] = {}
    pdf_cache: dict[str, list[str]] = {}
    book_cache: dict[str, object] = {}
    for fig in figures:
        path = corpus / "reports" / fig["file"]
        fmt = path.suffix[1:]
        if fmt == "txt":
            line = path.read_text(encoding="utf-8").splitlines()[int(fig["source_place"]) - 1]
            assert line.split("\t")[0] == fig["stt"]
            assert fig["raw_text"] in line.split("\t"), (fig, line)
        elif fmt == "xlsx":
            sheet, cell = fig["source_place"].split("!")
            if fig["file"] not in book_cache:
                book_cache[fig["file"]] = load_workbook(path)
            book = book_cache[fig["file"]]
            row = [c.value for c in book[sheet][int(cell[1:])]]
            assert str(row[0]) == fig["stt"]
            shown = [str(v) for v in row if v is not None]
            number = float(fig["value"])
            assert fig["raw_text"] in shown or any(
                (isinstance(v, int | float) and abs(v - number) < 1e-9)
                or abs(v * 100 - number) < 1e-6
                for v in row
                if isinstance(v, int | float)
            ), (fig, row)
        elif fmt == "docx":
            if fig["file"] not in docx_cache:
                docx_cache[fig["file"]] = Document(str(path))
            doc = docx_cache[fig["file"]]
            _, t_no, _, r_no = fig["source_place"].split()
            cells = [c.text for c in doc.tables[int(t_no) - 1].rows[int(r_no) - 1].cells]
            assert cells[0] == fig["stt"] and fig["raw_text"] in cells, (fig, cells)
        else:
            page = int(fig["source_place"].removeprefix("p. "))
            pages = pdf_cache.get(fig["file"])
            if pages is None:
                with pdfplumber.open(path) as pdf:
                    pages = pdf_cache[fig["file"]] = [p.extract_text() or "" for p in pdf.pages]
            # the row's first printed line: its STT, the top of the other cells, the value
            lines = [ln for ln in pages[page - 1].splitlines() if ln.startswith(f"{fig['stt']} ")]
            assert any(fig["raw_text"] in line for line in lines), (fig, page, lines)
        checked[fmt] += 1
    assert min(checked[f] for f in ("txt", "xlsx", "docx", "pdf")) > 20


def test_ratios_and_totals_in_the_truth_are_consistent(corpus, seeds):
    figures = read_csv(corpus / "truth" / "figures.csv")
    by_doc: dict[tuple[str, str], dict[str, dict[str, str]]] = defaultdict(dict)
    for fig in figures:
        by_doc[(fig["file"], fig["table_no"])][fig["indicator_code"]] = fig
    ratios = sums = 0
    for items in by_doc.values():
        for code, fig in items.items():
            ind = seeds.indicators[code]
            num, den = items.get(ind.numerator_code), items.get(ind.denominator_code)
            if fig["value_type"] == "percent" and num and den:
                expected = round(
                    100 * float(num["value"]) / float(den["value"]), int(fig["decimals"])
                )
                if fig["planted_break"] == "ratio_break":
                    assert abs(float(fig["value"]) - expected) > 1
                else:
                    assert float(fig["value"]) == pytest.approx(expected)
                    ratios += 1
        for total, parts in seeds.sum_rules:
            if total in items and all(p in items for p in parts):
                added = sum(float(items[p]["value"]) for p in parts)
                broken = items[total]["planted_break"] == "sum_break"
                assert (float(items[total]["value"]) != added) == broken
                sums += 1
        for whole, parts in seeds.part_whole_rules:
            for part in parts:
                if whole in items and part in items and not items[whole]["planted_break"]:
                    assert float(items[part]["value"]) <= float(items[whole]["value"])
    assert ratios > 10 and sums >= 1


def test_placement_rule():
    truth = {
        "agency_core": "Sở Nội vụ",
        "agency_type": "provincial_department",
        "province": "Thành phố Hồ Chí Minh",
        "period_type": "quarter",
        "period_year": "2024",
        "period_number": "3",
    }
    found = {
        "agency_name": "SỞ NỘI VỤ",
        "agency_type": "provincial_department",
        "province_name": "Hồ Chí Minh",
        "period_type": "quarter",
        "period_year": 2024,
        "period_number": 3,
    }
    assert all(place_document(truth, found).values())
    assert not place_document(truth, {**found, "period_number": 4})["period"]
    assert not place_document(truth, {**found, "agency_name": "UBND thành phố"})["agency"]
    assert place_document(truth, {**found, "agency_name": "Sở Nội vụ Thành phố Hồ Chí Minh"})[
        "agency"
    ]
    # a province written in short after the agency is the province in another spelling
    short = {**found, "agency_name": "SỞ NỘI VỤ TPHCM"}
    assert not place_document(truth, short)["agency"]
    assert place_document(truth, short, ("TPHCM", "TP. HCM"))["agency"]
    assert not place_document(truth, {**short, "agency_name": "SỞ NỘI VỤ TPHN"}, ("TPHCM",))[
        "agency"
    ]
    polluted = "Sở Nội vụ thành phố Hồ Chí Minh) (bổ sung"
    assert not place_document(truth, {**found, "agency_name": polluted})["agency"]
    assert fold("UBND xã Tân An") == "uy ban nhan dan xa tan an"


def _province_mentions(province: str) -> tuple[str, ...]:
    bare = fold(province).removeprefix("thanh pho ").removeprefix("tinh ")
    return (bare, f"tinh {bare}", f"thanh pho {bare}")


def test_scorer_on_a_real_ingest(tmp_path):
    """`cchc ingest` (no build) on six generated reports: the scorer's document counts
    are the truth compared field by field with raw.documents."""
    out = tmp_path / "corpus"
    generate(out, 6, seed=2, formats=("txt", "docx", "xlsx"))
    warehouse = tmp_path / "wh.duckdb"
    subprocess.run(
        [
            str(ROOT / ".venv/bin/cchc"),
            "ingest",
            "--reports",
            str(out / "reports"),
            "--warehouse",
            str(warehouse),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    truth = read_csv(out / "truth" / "documents.csv")
    product = load_product(warehouse)
    assert not product.built and not product.facts
    scores = score(truth, read_csv(out / "truth" / "figures.csv"), product)
    con = duckdb.connect(str(warehouse), read_only=True)
    rows = con.execute(
        "select file_path, agency_name, agency_type, province_name, period_type, period_year, "
        "period_number from raw.documents"
    ).fetchall()
    con.close()
    found = {r[0]: r for r in rows}
    expected = defaultdict(int)
    for doc in truth:
        row = found.get(doc["file"])
        ok = {
            "agency": bool(row and row[1])
            and fold(row[1]).removeprefix(fold(doc["agency_core"])).strip()
            in ("", "tinh", "thanh pho", *_province_mentions(doc["province"]))
            and fold(row[1]).startswith(fold(doc["agency_core"])),
            "agency_type": bool(row) and row[2] == doc["agency_type"],
            "province": bool(row)
            and fold(row[3]).removeprefix("tinh ").removeprefix("thanh pho ")
            == fold(doc["province"]).removeprefix("tinh ").removeprefix("thanh pho "),
            "period": bool(row)
            and (row[4], str(row[5])) == (doc["period_type"], doc["period_year"])
            and (doc["period_type"] != "quarter" or str(row[6]) == doc["period_number"]),
        }
        for key, value in ok.items():
            expected[key] += value
        expected["placed"] += all(ok.values())
    total = scores.total
    assert total.documents == 6
    assert (total.agency, total.agency_type, total.province, total.period, total.placed) == (
        expected["agency"],
        expected["agency_type"],
        expected["province"],
        expected["period"],
        expected["placed"],
    )
    # without a build no figure can be right: each is in a failed document or unaccounted
    assert total.outcomes["right"] == total.outcomes["wrong"] == 0
    unplaced = sum(1 for doc in truth if doc["file"] not in found)
    with (out / "truth" / "figures.csv").open(encoding="utf-8") as handle:
        in_failed = sum(1 for fig in csv.DictReader(handle) if fig["file"] not in found)
    assert total.outcomes["failed_document"] == in_failed
    assert (unplaced == 0) == (in_failed == 0)
