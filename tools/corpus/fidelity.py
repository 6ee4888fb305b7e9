"""The fidelity benchmark: run the product on a corpus and score it against the truth.

``run_product`` (I/O) runs ``cchc ingest`` and ``cchc build`` (or the whole ``cchc
run``) into a temporary warehouse; ``load_product`` reads what the product decided;
``score`` (pure) joins it to the truth and counts, per axis value, documents placed
right and figures right, wrong, in review, in a failed document, in a quarantined
document and unaccounted for.
"""

from __future__ import annotations

import os
import subprocess
import time
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tools.corpus.seeds import ROOT
from tools.corpus.spec import AXES

OUTCOMES = ("right", "wrong", "review", "failed_document", "quarantined", "unaccounted")


@dataclass(frozen=True)
class Product:
    """What the product decided, keyed by file (paths relative to the reports folder)."""

    documents: dict[str, dict[str, object]]
    errors: dict[str, list[str]]  # file -> its error messages
    facts: dict[tuple[str, str], list[dict[str, object]]]  # (file, source_line) -> table facts
    unmatched: dict[tuple[str, str], list[dict[str, object]]]
    built: bool  # whether the marts were there (False after an ingest alone)
    # files set aside by the build (quality.documents_quarantined) -> their reasons
    quarantined: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Tally:
    documents: int = 0
    placed: int = 0
    agency: int = 0
    agency_type: int = 0
    province: int = 0
    period: int = 0
    figures: int = 0
    outcomes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    right_in_placed: int = 0  # figures right whose document is also placed right
    extra_facts: int = 0  # facts at places of the corpus where the truth has no figure
    example_document: str = ""
    example_figure: str = ""


@dataclass(frozen=True)
class Scores:
    total: Tally
    by_axis: dict[str, dict[str, Tally]]
    seconds: float = 0.0


def fold(text: object) -> str:
    plain = str(text or "").replace("đ", "d").replace("Đ", "D")
    plain = "".join(
        c for c in unicodedata.normalize("NFD", plain) if unicodedata.category(c) != "Mn"
    ).lower()
    words = "".join(c if c.isalnum() else " " for c in plain).split()
    words = [
        {"ubnd": "uy ban nhan dan", "vp": "van phong", "tp": "thanh pho"}.get(w, w) for w in words
    ]
    return " ".join(words)


def _province_key(name: object) -> str:
    folded = fold(name)
    for prefix in ("thanh pho ", "tinh "):
        folded = folded.removeprefix(prefix)
    return folded


def agency_right(
    truth: dict[str, str], name: object, province_spellings: Iterable[str] = ()
) -> bool:
    """The product's agency name is the truth's, possibly followed by its province
    ("Sở Nội vụ tỉnh Lào Cai"), in any spelling the province aliases seed gives it
    ("Ủy ban nhân dân TPHCM"), or the bare level word ("… tỉnh"), and nothing else."""
    core, found = fold(truth["agency_core"]), fold(name)
    if not found.startswith(core):
        return False
    rest = _province_key(found[len(core) :].strip())
    provinces = {_province_key(truth["province"])} | {_province_key(s) for s in province_spellings}
    return rest in ("", "tinh", "thanh pho") or rest in provinces


def place_document(
    truth: dict[str, str],
    found: dict[str, object] | None,
    province_spellings: Iterable[str] = (),
) -> dict[str, bool]:
    """Which of agency, type, province and period the product placed right
    (province_spellings: the truth's province's other spellings in its era)."""
    if found is None:
        return dict.fromkeys(("agency", "agency_type", "province", "period"), False)
    same_period = (
        found.get("period_type") == truth["period_type"]
        and str(found.get("period_year")) == truth["period_year"]
        and (
            truth["period_type"] != "quarter"
            or str(found.get("period_number")) == truth["period_number"]
        )
    )
    return {
        "agency": agency_right(truth, found.get("agency_name"), province_spellings),
        "agency_type": found.get("agency_type") == truth["agency_type"],
        "province": _province_key(found.get("province_name")) == _province_key(truth["province"]),
        "period": same_period,
    }


def _value_right(truth: dict[str, str], fact: dict[str, object]) -> bool:
    want = float(truth["value"])
    if truth["value_type"] == "code":
        return fact.get("value_code") is not None and int(fact["value_code"]) == int(want)
    got = fact.get("value_numeric")
    if got is None:
        return False
    tolerance = 0.5 * 10 ** -int(truth["decimals"]) if truth["value_type"] == "percent" else 1e-9
    return abs(float(got) - want) <= tolerance + 1e-9


def _same_text(a: object, b: object) -> bool:
    return " ".join(str(a or "").split()) == " ".join(str(b or "").split())


def _pick(truth: dict[str, str], candidates: list[dict[str, object]]) -> dict[str, object] | None:
    if not candidates:
        return None
    for test in (
        # several figures at one place (a cross-tab row, a PDF page): indicator and text
        lambda c: (
            c.get("indicator_code") == truth["indicator_code"]
            and _same_text(c.get("raw_value_text"), truth["raw_text"])
        ),
        lambda c: c.get("indicator_code") == truth["indicator_code"],
        lambda c: _same_text(c.get("raw_value_text"), truth["raw_text"]),
    ):
        chosen = [c for c in candidates if test(c)]
        if chosen:
            return chosen[0]
    return candidates[0] if len({id(c) for c in candidates}) == 1 else None


def judge_figure(truth: dict[str, str], product: Product) -> tuple[str, str]:
    """The figure's outcome and, when it is not right, what the product did instead."""
    key = (truth["file"], truth["source_place"])
    if truth["file"] not in product.documents:
        reason = "; ".join(product.errors.get(truth["file"], ["not loaded"]))[:160]
        return "failed_document", reason
    review = [
        u
        for u in product.unmatched.get(key, [])
        if _same_text(u.get("raw_value_text"), truth["raw_text"])
        or len(product.unmatched[key]) == 1
    ]
    fact = _pick(truth, product.facts.get(key, []))
    if fact is not None and fact.get("indicator_code") is None and review:
        return "review", str(review[0].get("unmatched_reason"))
    if fact is not None:
        problems = []
        if fact.get("indicator_code") != truth["indicator_code"]:
            problems.append(f"indicator {fact.get('indicator_code')} ({fact.get('match_method')})")
        if fact.get("scope") != truth["scope"]:
            problems.append(f"scope {fact.get('scope')}")
        if not _value_right(truth, fact):
            problems.append(f"value {fact.get('value_numeric')}/{fact.get('value_code')}")
        return ("wrong", ", ".join(problems)) if problems else ("right", "")
    if review:
        return "review", str(review[0].get("unmatched_reason"))
    if truth["file"] in product.quarantined:
        return "quarantined", ", ".join(product.quarantined[truth["file"]])
    return "unaccounted", "in neither the facts nor the review mart"


def score(
    truth_documents: list[dict[str, str]],
    truth_figures: list[dict[str, str]],
    product: Product,
    province_spellings: dict[tuple[str, str], tuple[str, ...]] | None = None,
) -> Scores:
    """province_spellings: (province code, era) -> its spellings (Seeds.province_aliases)."""
    spellings = province_spellings or {}
    total = Tally()
    by_axis: dict[str, dict[str, Tally]] = {axis: defaultdict(Tally) for axis in AXES}
    docs = {row["file"]: row for row in truth_documents}

    def tallies(doc: dict[str, str]) -> Iterable[Tally]:
        yield total
        for axis in AXES:
            yield by_axis[axis][doc[axis]]

    placed_right: set[str] = set()
    for doc in truth_documents:
        found = product.documents.get(doc["file"])
        placed = place_document(
            doc, found, spellings.get((doc.get("province_code", ""), doc.get("era", "")), ())
        )
        if all(placed.values()):
            placed_right.add(doc["file"])
        for tally in tallies(doc):
            tally.documents += 1
            for part, ok in placed.items():
                setattr(tally, part, getattr(tally, part) + ok)
            tally.placed += all(placed.values())
            if not all(placed.values()) and not tally.example_document:
                tally.example_document = _document_example(doc, found, product)
    places = defaultdict(set)
    for fig in truth_figures:
        places[fig["file"]].add(fig["source_place"])
        outcome, why = judge_figure(fig, product)
        for tally in tallies(docs[fig["file"]]):
            tally.figures += 1
            tally.outcomes[outcome] += 1
            tally.right_in_placed += outcome == "right" and fig["file"] in placed_right
            if outcome != "right" and not tally.example_figure:
                tally.example_figure = (
                    f"{fig['file']} {fig['source_place']}: {fig['indicator_code']} "
                    f"'{fig['indicator_text'][:50]}' = '{fig['raw_text']}' → {outcome} ({why})"
                )
    for (file, place), facts in product.facts.items():
        if file in docs and place not in places[file]:
            written = [f for f in facts if not f.get("is_empty")]
            for tally in tallies(docs[file]):
                tally.extra_facts += len(written)
    return Scores(total, {axis: dict(values) for axis, values in by_axis.items()})


def _document_example(
    doc: dict[str, str], found: dict[str, object] | None, product: Product
) -> str:
    if found is None:
        errors = "; ".join(product.errors.get(doc["file"], ["not loaded"]))
        return f"{doc['file']}: not placed — {errors[:200]}"
    got = (
        f"{found.get('agency_name')} / {found.get('agency_type')} / {found.get('province_name')} / "
        f"{found.get('period_type')} {found.get('period_year')} {found.get('period_number')}"
    )
    want = (
        f"{doc['agency_name']} / {doc['agency_type']} / {doc['province']} / "
        f"{doc['period_type']} {doc['period_year']} {doc['period_number']}"
    )
    return f"{doc['file']}: found {got}; truth {want}"


# ---------------------------------------------------------------- the product (I/O)


def _query(con, sql: str) -> list[dict[str, object]]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _has(con, table: str) -> bool:
    schema, name = table.split(".")
    found = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, name],
    ).fetchone()
    return bool(found and found[0])


def load_product(warehouse: Path) -> Product:
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        documents = {
            str(row["file_path"]): row
            for row in _query(
                con,
                "select file_path, agency_name, agency_type, province_name, period_type, "
                "period_year, period_number from raw.documents",
            )
        }
        errors: dict[str, list[str]] = defaultdict(list)
        for row in _query(
            con, "select file_path, error_kind, location, expected from raw.ingest_errors"
        ):
            errors[str(row["file_path"])].append(f"{row['error_kind']}: {row['expected']}")
        facts: dict[tuple[str, str], list[dict[str, object]]] = defaultdict(list)
        unmatched: dict[tuple[str, str], list[dict[str, object]]] = defaultdict(list)
        built = _has(con, "marts.fct_indicator_value")
        if built:
            for row in _query(
                con,
                "select file_path, source_line, indicator_code, match_method, scope, "
                "value_numeric, value_code, raw_value_text, is_empty "
                "from marts.fct_indicator_value "
                "where source_kind = 'table' and not coalesce(is_derived, false)",
            ):
                facts[(str(row["file_path"]), str(row["source_line"]))].append(row)
            for row in _query(
                con,
                "select file_path, source_line, raw_value_text, unmatched_reason "
                "from marts.mart_unmatched_rows where source_kind = 'table'",
            ):
                unmatched[(str(row["file_path"]), str(row["source_line"]))].append(row)
        quarantined: dict[str, list[str]] = defaultdict(list)
        if _has(con, "quality.documents_quarantined"):
            for row in _query(
                con,
                "select file_path, reason_code, detail from quality.documents_quarantined",
            ):
                quarantined[str(row["file_path"])].append(
                    f"{row['reason_code']}: {str(row['detail'])[:120]}"
                )
    finally:
        con.close()
    return Product(documents, dict(errors), dict(facts), dict(unmatched), built, dict(quarantined))


@dataclass(frozen=True)
class ProductRun:
    seconds: float
    notes: tuple[str, ...]  # steps that failed, and what was done to score anyway


def run_product(
    reports: Path, warehouse: Path, *, steps: tuple[str, ...] = ("ingest", "build")
) -> ProductRun:
    """Run the product's steps on ``reports`` into ``warehouse``. When ``cchc build``
    fails (a dbt test), its models are built once more without tests (``dbt run``) so
    the marts can still be scored; the failure is kept as a note, as a finding."""
    from cchc.dbt import run_dbt

    cchc = ROOT / ".venv" / "bin" / "cchc"
    env = {**os.environ, "CCHC_OUTPUT_DIR": str(warehouse.parent / "out")}
    notes: list[str] = []
    started = time.monotonic()
    for step in steps:
        args = [str(cchc), step, "--warehouse", str(warehouse)]
        if step in ("ingest", "run"):
            args += ["--reports", str(reports)]
        done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        if done.returncode == 0:
            continue
        message = " ".join(done.stderr.strip().splitlines()[-1:])[:400]
        notes.append(f"`cchc {step}` exited {done.returncode}: {message}")
        if step == "ingest" or not warehouse.exists():
            raise RuntimeError(f"cchc {step} failed on {reports}: {done.stderr[-2000:]}")
        outcome = run_dbt(ROOT, warehouse, ["run"])
        notes.append(
            f"scored after `dbt run` (models only, no tests): {outcome.passed} built, "
            f"{outcome.failed} failed{': ' + outcome.errors[0][:200] if outcome.errors else ''}"
        )
    return ProductRun(time.monotonic() - started, tuple(notes))
