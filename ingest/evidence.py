"""Metadata as weighted evidence: every place a document states who and when.

A report says whose it is and for which period in many places (see
../shared/domain/DOCUMENTS.md): the letterhead's two bodies (the superior above, the
issuing body below: the issuer is the agency), the number and symbol (``127/BC-SNV``),
the place-and-date line, the title, appendix titles and their ``(Kèm theo …)``
captions, sheet names and title rows, page headers and footers, the file's properties,
the sentence in which the agency reports, and the file and folder names. Each place
that states a field gives a ``Candidate`` with its source (``found_by``); ``decide``
weighs them:

* each source has a weight (``WEIGHTS``, below: the one table of them), how far its
  statement is trusted on its own;
* candidates that state the same value (the same ``key``) agree: their weights combine
  as independent witnesses, ``score = 1 − Π (1 − weight)`` (each source counted once);
* the value with the highest score wins (ties: the strongest single source, then the
  first stated); its ``confidence`` is its score less half the best rival's, so agreement
  raises it and disagreement lowers it;
* every candidate stating another value is kept as a conflict, for review.

Pure: no I/O. ``ingest.metadata`` finds the candidates; ``ingest.records`` writes the
decisions to raw.documents (value, found_by, confidence, conflicts).
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

Source = Literal[
    "manifest",
    "letterhead_issuer",
    "letterhead_superior",
    "number_symbol",
    "place_date",
    "title",
    "appendix_title",
    "caption",
    "reporting_sentence",
    "title_row",
    "sheet_name",
    "page_header",
    "page_footer",
    "properties",
    "text_mention",
    "file_name",
    "folder_name",
]

#: How far one statement of a field is trusted on its own, by where it is written.
#: The document's own formal parts first (Decree 30/2020/NĐ-CP), then the places that
#: repeat them, then what the file system and the file's properties say (often a
#: template's), then a province merely named in the text.
WEIGHTS: dict[Source, float] = {
    "manifest": 1.0,  # the user's manifest.csv line: always overrides
    "letterhead_issuer": 0.9,  # the issuing body, second line of the letterhead
    "title": 0.9,  # the kind and subject under "BÁO CÁO" (the period)
    "reporting_sentence": 0.85,  # "Sở Nội vụ tỉnh X báo cáo …"
    "caption": 0.8,  # "(Kèm theo Báo cáo số … ngày … của …)"
    "appendix_title": 0.75,  # "Phụ lục 02 … quý III năm 2024"
    "letterhead_superior": 0.7,  # "UBND TỈNH X" above the issuer: the province only
    "title_row": 0.65,  # a workbook's title row naming the agency
    "page_header": 0.6,
    "place_date": 0.6,  # "Lào Cai, ngày …": the place is usually the province
    "sheet_name": 0.55,
    "page_footer": 0.5,
    "number_symbol": 0.5,  # "/BC-SNV": the issuer's abbreviation
    "properties": 0.4,  # File › Properties: often the template's
    "file_name": 0.35,
    "text_mention": 0.3,  # the province most named in the text ("tỉnh X")
    "folder_name": 0.25,
}

#: Where one source is the definitive statement of a field, it outweighs the others.
FIELD_WEIGHTS: dict[tuple[str, Source], float] = {
    ("report_number", "number_symbol"): 0.95,
    ("report_date", "place_date"): 0.95,
}

#: A statement whose value the report's own date contradicts (a report dated long
#: before its period ends) counts for this share of its weight.
IMPLAUSIBLE_FACTOR = 0.5

Json = str | int | float | None


@dataclass(frozen=True)
class Candidate:
    """One place's statement of one field."""

    field: str  # agency_name, province_name, period, report_number, report_date, …
    value: object  # the value as the field holds it (a name as written, a Period, …)
    key: Hashable  # what makes two statements the same value
    found_by: Source
    text: str  # the words as written there (shortened)
    note: str = ""  # why its weight was lowered, if it was
    factor: float = 1.0

    @property
    def weight(self) -> float:
        base = FIELD_WEIGHTS.get((self.field, self.found_by), WEIGHTS[self.found_by])
        return round(base * self.factor, 4)

    def as_json(self, shown: Json) -> dict[str, Json]:
        out: dict[str, Json] = {
            "value": shown,
            "found_by": self.found_by,
            "weight": self.weight,
            "text": self.text,
        }
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class Decision:
    """The value a field takes: from the strongest agreeing sources, with the rest."""

    field: str
    winner: Candidate
    supporters: tuple[Candidate, ...]  # the candidates stating the winner's value
    conflicts: tuple[Candidate, ...]  # the candidates stating another value
    score: float
    confidence: float

    @property
    def value(self) -> object:
        return self.winner.value

    @property
    def found_by(self) -> Source:
        return self.winner.found_by

    @property
    def sources(self) -> tuple[Source, ...]:
        return tuple(dict.fromkeys(c.found_by for c in self.supporters))


def combined(candidates: Iterable[Candidate]) -> float:
    """Independent witnesses: 1 − Π (1 − w), each source counted once (its best)."""
    best: dict[Source, float] = {}
    for c in candidates:
        best[c.found_by] = max(best.get(c.found_by, 0.0), c.weight)
    miss = 1.0
    for weight in best.values():
        miss *= 1.0 - weight
    return 1.0 - miss


def decide(candidates: Sequence[Candidate], *, prefer: Candidate | None = None) -> Decision | None:
    """The winning value of one field's candidates (None when there are none). ``prefer``
    (a manifest line) wins whatever the others say; they stay as conflicts if they differ."""
    if not candidates and prefer is None:
        return None
    groups: dict[Hashable, list[Candidate]] = {}
    for c in candidates:
        groups.setdefault(c.key, []).append(c)
    if prefer is not None:
        supporters = [prefer, *groups.pop(prefer.key, [])]
        conflicts = [c for group in groups.values() for c in group]
        return Decision(prefer.field, prefer, tuple(supporters), tuple(conflicts), 1.0, 1.0)
    order = {key: i for i, key in enumerate(groups)}
    ranked = sorted(
        groups.items(),
        key=lambda kv: (-combined(kv[1]), -max(c.weight for c in kv[1]), order[kv[0]]),
    )
    _key, supporters = ranked[0]
    score = combined(supporters)
    rival = combined(ranked[1][1]) if len(ranked) > 1 else 0.0
    winner = max(supporters, key=lambda c: c.weight)
    conflicts = [c for _, group in ranked[1:] for c in group]
    confidence = round(max(score - rival / 2, 0.0), 3)
    return Decision(
        winner.field, winner, tuple(supporters), tuple(conflicts), round(score, 3), confidence
    )


@dataclass(frozen=True)
class Evidence:
    """Every field's decision, and every candidate (for raw.documents)."""

    decisions: dict[str, Decision] = field(default_factory=dict)
    candidates: tuple[Candidate, ...] = ()

    def get(self, name: str) -> Decision | None:
        return self.decisions.get(name)

    def found(self) -> list[str]:
        """What was found, as a reader would list it: ``period 'quarter 2024-3' (file_name)``."""
        return [f"{name} {shown(d.winner)!r} ({d.found_by})" for name, d in self.decisions.items()]


def shown(candidate: Candidate) -> Json:
    """A candidate's value as JSON (a period as ``quarter 2024-3``)."""
    value = candidate.value
    if isinstance(value, str | int | float) or value is None:
        return value
    label = getattr(value, "label", None)
    return label() if callable(label) else str(value)


def conflicts_json(decision: Decision | None) -> str | None:
    """The candidates that disagree with a field's value, as a JSON array (None if none)."""
    if decision is None or not decision.conflicts:
        return None
    return json.dumps(
        [c.as_json(shown(c)) for c in decision.conflicts], ensure_ascii=False, sort_keys=True
    )


def candidates_json(candidates: Sequence[Candidate]) -> str | None:
    """Every candidate of every field, as a JSON array (None if none)."""
    if not candidates:
        return None
    return json.dumps(
        [{"field": c.field, **c.as_json(shown(c))} for c in candidates],
        ensure_ascii=False,
        sort_keys=True,
    )
