"""The national corpus: every province of both eras with a standing roster of
reporting agencies — departments, the People's Committee's office, the province itself,
districts (the 63 provinces, before 1 July 2025) and communes (the 34, from then on) —
each reporting quarters, halves, nine months and years 2022–2026, with resubmissions.

The same agency reports many periods (a series, as in a real year), and a report states
most of the form (``NATIONAL_SCALE``), in the formats agencies send (``NATIONAL_FORMAT_MIX``:
mostly Word and Excel, some text, a few text PDFs). Pure: a ``random.Random`` and the
seeds in, the roster out.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from tools.corpus.periods import Period
from tools.corpus.seeds import Province, Seeds
from tools.corpus.spec import (
    CUTOVER,
    Agency,
    Origin,
    Scale,
    _period_for,
    build_agency,
)

#: 45 % .docx, 40 % .xlsx, 10 % text, 5 % text PDF
NATIONAL_FORMAT_MIX = ("docx",) * 9 + ("xlsx",) * 8 + ("txt",) * 2 + ("pdf",)
#: six to eight of the form's eight areas, 70–100 % of their items (about 80–128 figures)
NATIONAL_SCALE = Scale(areas=(6, 8), share=(0.7, 1.0))
#: the agencies of one province that report (a province has 15–20 departments; a sample)
DEPARTMENTS_PER_PROVINCE = 8
DISTRICTS_PER_PROVINCE = 4
COMMUNES_PER_PROVINCE = 6


@dataclass(frozen=True)
class Member:
    agency: Agency
    spelling: str  # the province_spelling axis: seed_name or alias
    former: str  # the former_province axis: none or mentioned


def _members(rng: random.Random, seeds: Seeds, province: Province) -> list[Member]:
    on = dt.date.fromisoformat(province.valid_from) if province.valid_from else CUTOVER
    if province.era == "34":
        on = max(on, CUTOVER)
    kinds = [
        ("provincial_department", DEPARTMENTS_PER_PROVINCE),
        ("provincial_office", 1),
        ("province", 1),
        ("district" if province.era == "63" else "commune", 0),
    ]
    local = DISTRICTS_PER_PROVINCE if province.era == "63" else COMMUNES_PER_PROVINCE
    kinds[-1] = (kinds[-1][0], local)
    members: dict[str, Member] = {}
    for agency_type, count in kinds:
        for _ in range(count * 3):  # names drawn until enough distinct ones
            if sum(m.agency.agency_type == agency_type for m in members.values()) >= count:
                break
            spelling = rng.choice(("seed_name", "alias"))
            former = rng.choice(("none", "mentioned")) if agency_type == "commune" else "none"
            agency = build_agency(
                rng, seeds, agency_type, province.era, on, spelling, former, province
            )
            if agency.name not in members:
                members[agency.name] = Member(agency, spelling, former)
    return list(members.values())


@dataclass
class NationalRoster:
    """Every province's agencies; ``__call__`` is a ``spec.Roster``: an agency of the type
    asked and a period of the type asked that this agency has not reported yet."""

    members: dict[str, list[Member]]  # agency type -> members
    reported: set[tuple[str, str, Period]] = field(default_factory=set)

    @classmethod
    def build(cls, rng: random.Random, seeds: Seeds) -> NationalRoster:
        by_type: dict[str, list[Member]] = {}
        for province in seeds.provinces:
            for member in _members(rng, seeds, province):
                by_type.setdefault(member.agency.agency_type, []).append(member)
        return cls(by_type)

    def __call__(self, rng: random.Random, agency_type: str, period_type: str) -> Origin:
        # an agency that has reported every period of the type (a district has three
        # years before the merger) gives its turn to another: one original per period
        for _ in range(50):
            member = rng.choice(self.members[agency_type])
            era = member.agency.province.era
            for _ in range(20):
                period = _period_for(rng, era, period_type)
                key = (member.agency.slug, member.agency.name, period)
                if key not in self.reported:
                    break
            else:
                continue
            break
        else:
            raise RuntimeError(
                f"every {agency_type} has reported every {period_type} period: the roster "
                "is too small for this corpus (raise its counts in tools/corpus/national.py)"
            )
        self.reported.add(key)
        return Origin(member.agency, period, member.spelling, member.former)
