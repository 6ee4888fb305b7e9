"""The appendix tables of a generated report: items of the Ministry's form (the
``bnv_`` lines of ``seeds/indicator_catalog.csv``) with values that satisfy the
reporting rules (``seeds/reporting_rules.csv``: parts within their whole, listed parts
summing to their total; ratios = numerator / denominator with the decimals written),
unless a planted break says otherwise. Pure: a ``random.Random`` and the seeds in,
rows out.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from tools.corpus.seeds import Indicator, Seeds

WRITTEN_TYPES = ("count", "percent", "code", "amount")


@dataclass(frozen=True)
class Figure:
    indicator_code: str
    value_type: str  # count, percent, code, amount
    value: float  # canonical: the number, the percent (41.05), or the code
    decimals: int
    code_label: str  # the scale's label of a code value ('' otherwise)
    planted: str = ""  # '' or the break planted on this figure (ratio_break, sum_break)


@dataclass(frozen=True)
class Row:
    stt: str
    indicator: Indicator
    indicator_text: str
    figure: Figure | None  # None: a heading row
    # a cross-tab row: the figures of its measure columns after the first (``figure``)
    more: tuple[Figure, ...] = ()


@dataclass(frozen=True)
class Style:
    unit_placement: str  # unit_column, in_value, in_indicator, in_header, none
    code_wording: str  # numbers, words (the scale's labels), other_words (code_words.csv)
    number_format: str  # grouped, ungrouped, numeric_cells
    indicator_wording: str  # catalog_name, alias


def _ancestors(code: str, seeds: Seeds) -> list[str]:
    chain = []
    parent = seeds.indicators[code].parent_code
    while parent:
        chain.append(parent)
        parent = seeds.indicators[parent].parent_code
    return chain[::-1]


def _order_key(ind: Indicator) -> tuple[int, ...]:
    return tuple(int(part) for part in ind.bnv_code.split("."))


def choose_items(rng: random.Random, seeds: Seeds, areas: list[str], share: float) -> list[str]:
    """Form items of the given top-level areas: a random share of the written ones,
    with their ancestors (headings) and the parts of any ratio chosen."""
    written = [
        ind
        for ind in seeds.indicators.values()
        if ind.code.startswith("bnv_")
        and ind.value_type in WRITTEN_TYPES
        and ind.bnv_code.split(".")[0] in areas
    ]
    picked = {ind.code for ind in written if rng.random() < share}
    for code in list(picked):
        picked.update(_ancestors(code, seeds))
    for code in list(picked):
        ind = seeds.indicators[code]
        for part in (ind.numerator_code, ind.denominator_code):
            if part.startswith("bnv_"):
                picked.add(part)
                picked.update(_ancestors(part, seeds))
    return sorted(picked, key=lambda c: _order_key(seeds.indicators[c]))


def _draw(rng: random.Random, ind: Indicator, seeds: Seeds) -> float:
    if ind.value_type == "code":
        return float(rng.choice(seeds.scales[ind.scale_code]).value)
    if ind.value_type == "percent":
        return round(rng.uniform(0, 100), rng.choice((0, 2)))
    if ind.value_type == "amount":
        return float(rng.randint(10, 90000))
    top = rng.choice((20, 200, 5000))
    return float(rng.randint(0, top))


def assign_values(
    rng: random.Random, seeds: Seeds, codes: list[str], planted: str
) -> dict[str, Figure]:
    """Values for the written items among ``codes``, consistent by the rules' seeds;
    ``planted`` (ratio_break, sum_break) breaks one ratio or one total on purpose."""
    chosen = set(codes)
    values = {
        code: _draw(rng, seeds.indicators[code], seeds)
        for code in codes
        if seeds.indicators[code].value_type in WRITTEN_TYPES
    }
    for _ in range(3):  # chains of parts settle in a few passes
        for whole, parts in seeds.part_whole_rules:
            for part in parts:
                if whole in values and part in values and values[part] > values[whole]:
                    values[part] = float(rng.randint(0, int(values[whole])))
        for total, parts in seeds.sum_rules:
            if total in values and all(p in values for p in parts):
                values[total] = float(sum(values[p] for p in parts))
    decimals = {code: 0 for code in values}
    for code in values:
        ind = seeds.indicators[code]
        if ind.value_type != "percent" or not (
            ind.numerator_code in chosen and ind.denominator_code in chosen
        ):
            if ind.value_type == "percent":
                decimals[code] = 0 if values[code] == int(values[code]) else 2
            continue
        num, den = values[ind.numerator_code], values[ind.denominator_code]
        if den == 0:
            values[ind.denominator_code] = den = num + rng.randint(1, 30)
        if num > den:
            values[ind.numerator_code] = num = float(rng.randint(0, int(den)))
        decimals[code] = rng.choice((0, 2))
        values[code] = round(100 * num / den, decimals[code])
    breaks: dict[str, str] = {}
    if planted == "ratio_break":
        ratios = [c for c in values if seeds.indicators[c].numerator_code in values]
        if ratios:
            code = rng.choice(ratios)
            values[code] = round(min(values[code] + 7, 100) if values[code] < 93 else 50.0, 0)
            decimals[code], breaks[code] = 0, planted
    if planted == "sum_break":
        totals = [
            t for t, parts in seeds.sum_rules if t in values and all(p in values for p in parts)
        ]
        if totals:
            code = rng.choice(totals)
            values[code] += 3
            breaks[code] = planted
    figures = {}
    for code, value in values.items():
        ind = seeds.indicators[code]
        label = ""
        if ind.value_type == "code":
            label = next(lab.label_vi for lab in seeds.scales[ind.scale_code] if lab.value == value)
        figures[code] = Figure(
            code, ind.value_type, value, decimals[code], label, breaks.get(code, "")
        )
    return figures


def build_rows(
    rng: random.Random,
    seeds: Seeds,
    areas: list[str],
    style: Style,
    planted: str,
    share: tuple[float, float] = (0.25, 0.45),
) -> list[Row]:
    codes = choose_items(rng, seeds, areas, share=rng.uniform(*share))
    figures = assign_values(rng, seeds, codes, planted)
    rows = []
    for code in codes:
        ind = seeds.indicators[code]
        text = ind.name_vi
        if style.indicator_wording == "alias" and seeds.aliases.get(code):
            text = rng.choice(seeds.aliases[code])
        rows.append(Row(ind.bnv_code, ind, text, figures.get(code)))
    return rows


def with_planted(figure: Figure, planted: str) -> Figure:
    return replace(figure, planted=planted)
