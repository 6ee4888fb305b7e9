"""Turning the bytes of a text file into Unicode (NFC).

UTF-8 (with or without BOM) and UTF-16 with BOM are decoded directly. Bytes that are not
valid UTF-8 are tried as the legacy Vietnamese encodings TCVN3, VNI and Windows-1258
(tables and decoders in ``ingest.legacy_encodings``) and the decoding that reads most
like Vietnamese is kept, if it reads well enough (see ``detect_legacy_encoding``).
Nothing beyond NFC is normalised: both tone placements (hoá / hóa) stay as written.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from ingest.errors import UnreadableFileError
from ingest.legacy_encodings import LEGACY_DECODERS, TextScore, score_vietnamese

#: A legacy decoding is accepted only if at least this share of the evidence (words with
#: non-ASCII letters, plus improbable characters) is Vietnamese syllables.
MIN_QUALITY = 0.85
#: ... and only if no other encoding, giving a different text, comes this close to it.
MIN_MARGIN = 0.10

_EXPECTED = "UTF-8 or UTF-16 text, or Vietnamese text in TCVN3 (ABC), VNI or Windows-1258"
_SAVE_AS_UNICODE = (
    "open the file in Word (or UniKey's converter) with the font it was written in, save "
    "it as Unicode text (UTF-8) and ingest it again"
)


@dataclass(frozen=True)
class Decoded:
    """A decoded file: its NFC text, the encoding read, and for legacy encodings the score
    of every candidate (encoding name -> TextScore)."""

    text: str
    encoding: str
    candidates: dict[str, TextScore]


@dataclass(frozen=True)
class LegacyGuess:
    encoding: str
    text: str
    score: TextScore


def decode_text(data: bytes) -> str:
    """Decode a text file to NFC; see ``decode_bytes``."""
    return decode_bytes(data).text


def decode_bytes(data: bytes) -> Decoded:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, or legacy Vietnamese.

    Raises UnreadableFileError for an empty file and for bytes that are not UTF-8 and do
    not read as Vietnamese in any legacy encoding.
    """
    if not data.strip():
        raise UnreadableFileError(
            where="whole file",
            expected="text with at least one line",
            what_to_do="the file is empty; ask the agency to send the report again",
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Decoded(unicodedata.normalize("NFC", data.decode("utf-16")), "UTF-16", {})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        guess, ranked = detect_legacy_encoding(data, first_bad_byte=exc.start)
        return Decoded(guess.text, guess.encoding, {g.encoding: g.score for g in ranked})
    return Decoded(unicodedata.normalize("NFC", text), "UTF-8", {})


def detect_legacy_encoding(
    data: bytes, *, first_bad_byte: int = 0
) -> tuple[LegacyGuess, list[LegacyGuess]]:
    """Choose among TCVN3, VNI and Windows-1258 by evidence.

    Every decoder runs; each text is scored with ``score_vietnamese``. The best quality
    wins if it is at least ``MIN_QUALITY`` and every candidate that gives a different text
    scores at least ``MIN_MARGIN`` lower. Otherwise UnreadableFileError says which
    encodings were tried, how each scored, and to save the file as UTF-8.
    Returns the winner and all candidates, best first.
    """
    ranked = sorted(
        (
            LegacyGuess(name, text, score_vietnamese(text))
            for name, decode in LEGACY_DECODERS.items()
            for text in (decode(data),)
        ),
        key=lambda g: g.score.quality,
        reverse=True,
    )
    best = ranked[0]
    tried = ", ".join(f"{g.encoding} {g.score.quality:.0%}" for g in ranked)
    where = f"byte {first_bad_byte} (not UTF-8)"
    if best.score.quality < MIN_QUALITY:
        raise UnreadableFileError(
            where=where,
            expected=_EXPECTED,
            what_to_do=(
                f"no encoding reads as Vietnamese (share of Vietnamese words when read as "
                f"{tried}); {_SAVE_AS_UNICODE}"
            ),
        )
    rivals = [
        g
        for g in ranked[1:]
        if g.text != best.text and best.score.quality - g.score.quality < MIN_MARGIN
    ]
    if rivals:
        names = " and ".join([best.encoding, *(g.encoding for g in rivals)])
        raise UnreadableFileError(
            where=where,
            expected=_EXPECTED,
            what_to_do=(
                f"the file reads as Vietnamese in {names} alike ({tried}), so which one it "
                f"is cannot be told; {_SAVE_AS_UNICODE}"
            ),
        )
    return best, ranked
