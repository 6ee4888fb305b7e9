"""The fidelity scores as Markdown tables (for the terminal and docs/FIDELITY.md)."""

from __future__ import annotations

from tools.corpus.fidelity import Scores, Tally


def _ratio(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.0f} %)" if whole else "–"


def _line(label: str, t: Tally) -> str:
    o = t.outcomes
    return (
        f"| {label} | {_ratio(t.placed, t.documents)} | "
        f"{t.agency} · {t.agency_type} · {t.province} · {t.period} | "
        f"{_ratio(o['right'], t.figures)} | {_ratio(t.right_in_placed, t.figures)} | "
        f"{o['wrong']} | {o['review']} | "
        f"{o['failed_document']} | {o['quarantined']} | {o['unaccounted']} | {t.extra_facts} |"
    )


HEADER = (
    "| axis value | documents placed right | agency · type · province · period right | "
    "figures right | right in a placed document | wrong | in review | in failed document | "
    "in quarantined document | unaccounted | extra facts |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|"
)


def render(scores: Scores) -> str:
    parts = ["**All documents**", "", HEADER, _line("all", scores.total), ""]
    for axis, values in scores.by_axis.items():
        parts += [f"**{axis}**", "", HEADER]
        parts += [_line(value, tally) for value, tally in sorted(values.items())]
        parts.append("")
    return "\n".join(parts)


def worst(scores: Scores, count: int = 8) -> str:
    """The axis values with the lowest share of documents placed or figures right,
    each with one example of its typical failure."""
    rows = []
    for axis, values in scores.by_axis.items():
        for value, t in values.items():
            placed = t.placed / t.documents if t.documents else 1.0
            right = t.outcomes["right"] / t.figures if t.figures else 1.0
            rows.append((min(placed, right), axis, value, t, placed, right))
    rows.sort(key=lambda r: r[0])
    out = []
    for _, axis, value, t, placed, right in rows[:count]:
        example = t.example_document if placed <= right else t.example_figure
        out.append(
            f"- **{axis} = {value}**: {100 * placed:.0f} % placed, {100 * right:.0f} % of figures "
            f"right. Example: {example or t.example_figure or t.example_document}"
        )
    return "\n".join(out)
