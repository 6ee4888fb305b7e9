"""The units a count is written with in a sentence.

Two sources, one fact each: the aliases of count and amount units that
``seeds/unit_aliases.csv`` holds (read by ``ingest.reference``, passed in), and the count
nouns of running text that no seed holds (``vocabulary.SENTENCE_UNIT_WORDS``), less
the seed's aliases that running text writes as something else
(``vocabulary.SEED_UNITS_NOT_IN_SENTENCES``).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from ingest.narrative.matching import matchable
from ingest.narrative.vocabulary import SEED_UNITS_NOT_IN_SENTENCES, SENTENCE_UNIT_WORDS

Units = tuple[str, ...]  # as matched: normalised, longest first


def unit_words(unit_aliases: Sequence[str]) -> Units:
    """The units of sentences: the seed's ``unit_aliases`` and the sentence words."""
    return _unit_words(tuple(unit_aliases))


@lru_cache(maxsize=4)  # one set of seed units per run; pure, so memoised
def _unit_words(unit_aliases: tuple[str, ...]) -> Units:
    excluded = set(matchable(SEED_UNITS_NOT_IN_SENTENCES))
    return tuple(w for w in matchable((*unit_aliases, *SENTENCE_UNIT_WORDS)) if w not in excluded)
