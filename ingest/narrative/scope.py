"""Whose figure a sentence states: the agency's own work or the whole province's.

The scope is read from the clause that holds the figure, not from the whole sentence
(``stated_scope``), in this order:

1. The figure's own words (its clause: the words between the figure before it and the
   end of its phrase). The owner named nearest before the figure decides (``tổng số
   TTHC của Sở 41 thủ tục …`` is the department's, whatever the rest of the sentence
   says); then the owner named after it, in its phrase.
2. A part of a breakdown (``trong đó``) is of its whole's scope.
3. A clause that speaks of "the system" without naming it (``hệ thống đã cung cấp
   1.870 dịch vụ công``, ``qua hệ thống là 75.639 hồ sơ``) is of the scope of the
   system the paragraph named last (``Hệ thống thông tin giải quyết TTHC tỉnh Tuyên
   Quang``: the province's); a clause whose subject is a system named with its province
   is the province's. A clause that only posts something on such a system (``Sở đã
   cập nhật 20 TTHC lên Hệ thống … tỉnh``) is not.
4. The sentence: a sentence that says it covers the province (``toàn tỉnh``, ``trên địa
   bàn tỉnh``, ``của tỉnh``: ``ingest.layout.PROVINCE_SCOPE_WORDS``) covers it.
5. Otherwise the text states no scope (None): the document's applies
   (``ingest.metadata.document_scope``).

The province's words are those of tables (``ingest.layout.PROVINCE_SCOPE_WORDS``), the
owners and systems reference vocabulary (``ingest.narrative.vocabulary``).
"""

from __future__ import annotations

import re
from typing import Literal

from ingest.layout import says_province
from ingest.narrative.vocabulary import AGENCY_OWNER_WORDS, AGENCY_WORDS, SYSTEM_WORDS

Scope = Literal["agency", "province"]


def _alternatives(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# an owner: 'của Sở', 'tại đơn vị' (not 'Sở, ban, ngành': every department; not
# 'của đơn vị sự nghiệp': the public service units)
_AGENCY = re.compile(
    rf"\b(?:{_alternatives(AGENCY_OWNER_WORDS)})\s+(?:{_alternatives(AGENCY_WORDS)})\b"
    r"(?![ ,]+(?:ban|ngành|Ban|Ngành|sự nghiệp))"
)
# a system named with its province: 'Hệ thống thông tin giải quyết TTHC tỉnh Tuyên Quang'
_SYSTEM = rf"(?:{_alternatives(SYSTEM_WORDS)})"
_NAMED_SYSTEM = re.compile(rf"\b{_SYSTEM}(?=\s+\w)[^,;.()]{{0,100}}", re.IGNORECASE)
# 'the system' without its name: 'hệ thống đã …', 'qua hệ thống là …'
_BARE_SYSTEM = re.compile(
    rf"\b{_SYSTEM}(?=\s*(?:(?:này|đã|đang|được|là)\b|[,;.)]|$))", re.IGNORECASE
)
_LEADING = re.compile(r"^[\s,:;\-–+•]*")


def owner_in(text: str) -> Scope | None:
    """The owner a piece of text names last: 'của Sở' (agency), 'toàn tỉnh', 'của tỉnh'
    (province); None when it names none."""
    agency = [m.end() for m in _AGENCY.finditer(text)]
    if agency:
        return "province" if says_province(text[agency[-1] :]) else "agency"
    return "province" if says_province(text) else None


def system_scope(name: str) -> Scope:
    """A system or portal named with 'tỉnh' (and not 'của Sở') is the province's."""
    if _AGENCY.search(name):
        return "agency"
    return "province" if re.search(r"\btỉnh\b", name, re.IGNORECASE) else "agency"


def system_named_last(text: str) -> Scope | None:
    """The scope of the last system a text names with more than the word itself."""
    named = [m.group(0) for m in _NAMED_SYSTEM.finditer(text) if not _BARE_SYSTEM.match(m.group(0))]
    return system_scope(named[-1]) if named else None


def stated_scope(
    before: str,
    after: str,
    sentence: str,
    *,
    whole: Scope | None = None,
    system_in_focus: Scope | None = None,
) -> Scope | None:
    """The scope a figure's text states (see the module's rules). ``before``: its
    clause's words before it; ``after``: its phrase after it; ``whole``: the scope of
    the figure it breaks down; ``system_in_focus``: the scope of the system the
    paragraph named last."""
    own = owner_in(before) or owner_in(after)
    if own is not None:
        return own
    if whole is not None:
        return whole
    clause = f"{before} {after}"
    if system_in_focus is not None and _BARE_SYSTEM.search(clause):
        return system_in_focus
    subject = _NAMED_SYSTEM.match(_LEADING.sub("", before))
    if subject is not None and not _BARE_SYSTEM.match(subject.group(0)):
        return system_scope(subject.group(0))  # 'Hệ thống … tỉnh đã tiếp nhận 75 hồ sơ'
    return "province" if says_province(sentence) else None
