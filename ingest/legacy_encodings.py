"""Legacy 8-bit Vietnamese encodings: code tables, decoders and a Vietnamese-text score.

Three encodings are understood; each has one pure decoder ``bytes -> str`` (NFC):

* ``TCVN3`` (also "ABC", TCVN 5712:1993 VN3; fonts ``.VnTime``): one byte per letter,
  lowercase letters only (``.VnTimeH`` fonts show the same bytes as capitals).
* ``VNI`` (VNI-Windows; fonts ``VNI-Times``): an ASCII base letter followed by a byte
  for its diacritic and/or tone, plus a few one-byte letters (đ, ơ, ư, toned i, ỵ).
* ``Windows-1258`` (cp1258): precomposed base letters plus combining tone marks.

Sources of the tables (transcribed by hand, not generated):

* TCVN3: the TCVN-5712 table ``tcvn_2uni_2`` of XFree86/libiconv
  (``xc/lib/X11/lcUniConv/tcvn.h``, positions 0xA0-0xFF) restricted to the 75 characters
  VN3 defines (NBSP, 7 capital and 7 small base letters Ă Â Ê Ô Ơ Ư Đ / ă â ê ô ơ ư đ and
  the 60 small toned letters); cross-checked with ``tcvn.h`` of xvnkb (Dao Hai Lam, 2002).
  VN1/VN2 put capital toned letters at 16 further positions and combining marks at
  0xB0-0xB4; VN3 leaves those empty, and so does this table.
* VNI: ``vni.h`` of xvnkb (Dao Hai Lam, 2002), which lists every Vietnamese letter as
  its VNI-Windows byte string; cross-checked with the README example of the npm package
  vietnamese-conversion ("Xin chào các bạn" -> "Xin chaøo caùc baïn").
* Windows-1258: Python's own ``cp1258`` codec (Microsoft's published table).

Bytes 0x80-0x9F that Windows programs write for typographic punctuation (… ‘ ’ “ ” • – —)
are read as that punctuation in TCVN3 and VNI files too, because those files were typed
on Windows with the ANSI code page; every other byte the tables do not define becomes
U+FFFD, which the score counts against the encoding.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

REPLACEMENT = "\ufffd"

# --- code tables (data only) -------------------------------------------------------------

#: Windows ANSI punctuation kept in TCVN3 and VNI files (cp1252 positions).
WINDOWS_PUNCTUATION: dict[int, str] = {
    0x85: "…",
    0x91: "‘",
    0x92: "’",
    0x93: "“",
    0x94: "”",
    0x95: "•",
    0x96: "–",
    0x97: "—",
}

#: TCVN3 (VN3) bytes 0xA0-0xFF -> Unicode. Source: libiconv/XFree86 tcvn.h (see module doc).
TCVN3_TABLE: dict[int, str] = {
    0xA0: "\u00a0",
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ",
    0xC6: "ặ", 0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ", 0xCC: "è",
    0xCE: "ẻ", 0xCF: "ẽ",
    0xD0: "é", 0xD1: "ẹ", 0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ", 0xD7: "ì",
    0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị", 0xDF: "ò",
    0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ", 0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ",
    0xE8: "ố", 0xE9: "ộ", 0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ", 0xEF: "ù",
    0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ", 0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ",
    0xF8: "ứ", 0xF9: "ự", 0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}  # fmt: skip

#: VNI one-byte letters. Source: xvnkb vni.h (see module doc).
VNI_LETTERS: dict[int, str] = {
    0xD1: "Đ", 0xF1: "đ",
    0xD4: "Ơ", 0xF4: "ơ",
    0xD6: "Ư", 0xF6: "ư",
    0xCD: "Í", 0xED: "í",
    0xCC: "Ì", 0xEC: "ì",
    0xC6: "Ỉ", 0xE6: "ỉ",
    0xD3: "Ĩ", 0xF3: "ĩ",
    0xD2: "Ị", 0xF2: "ị",
    0xCE: "Ỵ", 0xEE: "ỵ",
}  # fmt: skip

_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_CIRCUMFLEX, _BREVE = "\u0302", "\u0306"

#: VNI mark bytes that follow a base letter -> combining marks. The capital form of each
#: byte (0x20 lower) is used after capitals; both are accepted after either case.
#: Source: xvnkb vni.h (see module doc).
VNI_TONES: dict[int, str] = {
    0xF9: _ACUTE, 0xF8: _GRAVE, 0xFB: _HOOK, 0xF5: _TILDE, 0xEF: _DOT,
    0xD9: _ACUTE, 0xD8: _GRAVE, 0xDB: _HOOK, 0xD5: _TILDE, 0xCF: _DOT,
}  # fmt: skip
VNI_CIRCUMFLEX: dict[int, str] = {
    0xE2: _CIRCUMFLEX,
    0xE1: _CIRCUMFLEX + _ACUTE, 0xE0: _CIRCUMFLEX + _GRAVE, 0xE5: _CIRCUMFLEX + _HOOK,
    0xE3: _CIRCUMFLEX + _TILDE, 0xE4: _CIRCUMFLEX + _DOT,
    0xC2: _CIRCUMFLEX,
    0xC1: _CIRCUMFLEX + _ACUTE, 0xC0: _CIRCUMFLEX + _GRAVE, 0xC5: _CIRCUMFLEX + _HOOK,
    0xC3: _CIRCUMFLEX + _TILDE, 0xC4: _CIRCUMFLEX + _DOT,
}  # fmt: skip
VNI_BREVE: dict[int, str] = {
    0xEA: _BREVE,
    0xE9: _BREVE + _ACUTE, 0xE8: _BREVE + _GRAVE, 0xFA: _BREVE + _HOOK,
    0xFC: _BREVE + _TILDE, 0xEB: _BREVE + _DOT,
    0xCA: _BREVE,
    0xC9: _BREVE + _ACUTE, 0xC8: _BREVE + _GRAVE, 0xDA: _BREVE + _HOOK,
    0xDC: _BREVE + _TILDE, 0xCB: _BREVE + _DOT,
}  # fmt: skip
#: Which mark bytes may follow which base letter (lowercase; capitals follow the same rule).
VNI_MARKS_AFTER: dict[str, tuple[dict[int, str], ...]] = {
    "a": (VNI_TONES, VNI_CIRCUMFLEX, VNI_BREVE),
    "e": (VNI_TONES, VNI_CIRCUMFLEX),
    "o": (VNI_TONES, VNI_CIRCUMFLEX),
    "u": (VNI_TONES,),
    "y": (VNI_TONES,),
    "ơ": (VNI_TONES,),
    "ư": (VNI_TONES,),
}

# --- decoders (pure functions) -----------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+")


def decode_tcvn3(data: bytes) -> str:
    """Decode TCVN3 (ABC) bytes to NFC text.

    ASCII is kept; 0xA0-0xFF follow ``TCVN3_TABLE``; undefined bytes become U+FFFD.
    TCVN3 has no capital toned letters: headings were typed in ``.VnTimeH`` fonts with
    the small-letter codes, so a word written in capitals (no ASCII small letter, and two
    ASCII capitals or one after its first letter, e.g. ``B¸O``, ``¸N``) is put in capitals
    (``BÁO``, ``ÁN``), and so is a word such as ``Sè`` or ``§Ò`` with no ASCII small letter
    when only spaces part it from such a word (``Sè LIÖU`` -> ``SỐ LIỆU``). A capital
    toned letter in a word otherwise in small letters (``Ủy``) cannot be written in TCVN3
    and comes out small (``ủy``).
    """
    chars = []
    for byte in data:
        if byte < 0x80:
            chars.append(chr(byte))
        else:
            chars.append(TCVN3_TABLE.get(byte) or WINDOWS_PUNCTUATION.get(byte, REPLACEMENT))
    text = unicodedata.normalize("NFC", "".join(chars))
    return "\n".join(_restore_capitals(line) for line in text.split("\n"))


def decode_vni(data: bytes) -> str:
    """Decode VNI-Windows bytes to NFC text.

    A base letter (a e o u y ơ ư, either case) takes the mark byte that follows it when
    ``VNI_MARKS_AFTER`` allows that byte after that letter; one-byte letters come from
    ``VNI_LETTERS``; 0xA0-0xBF are read as Latin-1 symbols; other undefined bytes and
    mark bytes with no base letter before them become U+FFFD.
    """
    out: list[str] = []
    i, n = 0, len(data)
    while i < n:
        byte = data[i]
        if byte < 0x80:
            base = chr(byte)
        elif byte in VNI_LETTERS:
            base = VNI_LETTERS[byte]
        elif 0xA0 <= byte <= 0xBF:
            base = chr(byte)
        else:
            base = WINDOWS_PUNCTUATION.get(byte, REPLACEMENT)
        i += 1
        allowed = VNI_MARKS_AFTER.get(base.lower(), ())
        if i < n and allowed:
            for table in allowed:
                mark = table.get(data[i])
                if mark is not None:
                    base += mark
                    i += 1
                    break
        out.append(base)
    return unicodedata.normalize("NFC", "".join(out))


def decode_cp1258(data: bytes) -> str:
    """Decode Windows-1258 bytes (Python's cp1258 codec) and compose to NFC."""
    return unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))


#: The legacy decoders, in the order they are reported.
LEGACY_DECODERS: dict[str, Callable[[bytes], str]] = {
    "TCVN3": decode_tcvn3,
    "VNI": decode_vni,
    "Windows-1258": decode_cp1258,
}


def _restore_capitals(line: str) -> str:
    words = list(_WORD.finditer(line))
    if not words:
        return line

    def ascii_caps(word: str) -> int:
        return sum(1 for ch in word if "A" <= ch <= "Z")

    def has_ascii_small(word: str) -> bool:
        return any("a" <= ch <= "z" for ch in word)

    def has_vn_small(word: str) -> bool:
        return any(ord(ch) > 0x7F and ch.islower() for ch in word)

    def shouts(word: str) -> bool:
        capital_inside = any("A" <= ch <= "Z" for ch in word[1:])
        return (
            (ascii_caps(word) >= 2 or capital_inside)
            and not has_ascii_small(word)
            and has_vn_small(word)
        )

    shout = [shouts(m.group()) for m in words]
    upper = list(shout)
    for k, m in enumerate(words):
        w = m.group()
        before = k > 0 and shout[k - 1] and not line[words[k - 1].end() : m.start()].strip()
        after = (
            k + 1 < len(words) and shout[k + 1] and not line[m.end() : words[k + 1].start()].strip()
        )
        near_shout = before or after
        if near_shout and not has_ascii_small(w) and has_vn_small(w):
            upper[k] = True
    if not any(upper):
        return line
    pieces, last = [], 0
    for m, up in zip(words, upper, strict=True):
        if up:
            pieces.append(line[last : m.start()])
            pieces.append(m.group().upper())
            last = m.end()
    pieces.append(line[last:])
    return "".join(pieces)


# --- scoring -----------------------------------------------------------------------------

_TONE_MARKS = frozenset({_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT})
_BASE_VOWELS = "aăâeêioôơuưy"

#: Every Vietnamese letter outside ASCII (small and capital), built from the base letters
#: and the five tone marks.
VIETNAMESE_LETTERS: frozenset[str] = frozenset(
    letter
    for base in _BASE_VOWELS
    for tone in ("", *sorted(_TONE_MARKS))
    for letter in (unicodedata.normalize("NFC", base + tone),)
    for letter in (letter, letter.upper())
    if not letter.isascii()
) | frozenset("đĐ")

#: Non-ASCII characters that are normal in Vietnamese documents and say nothing either way.
NEUTRAL_CHARS: frozenset[str] = frozenset("\u00a0…‘’“”•–—«»°±×§№")

_ONSET = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x"
#: Vowel groups that end in a glide (i/y/o/u) or in a, and so take no final consonant.
_CLOSED_NUCLEUS = (
    "iêu|oai|oao|oay|oeo|uây|uôi|uya|uyu|ươi|ươu|yêu|"
    "ai|ao|au|ay|âu|ây|eo|êu|ia|iu|oi|ôi|ơi|ua|ui|ưa|ưi|ưu"
)
#: Vowel groups that may take a final consonant.
_OPEN_NUCLEUS = "uyê|iê|oa|oă|oe|uâ|uê|uô|uơ|uy|ươ|yê|a|ă|â|e|ê|i|o|ô|ơ|u|ư|y"
_CODA = "ch|ng|nh|c|k|m|n|p|t"
_SYLLABLE = re.compile(rf"(?:{_ONSET})?(?:(?:{_CLOSED_NUCLEUS})|(?:{_OPEN_NUCLEUS})(?:{_CODA})?)")


def is_vietnamese_syllable(word: str) -> bool:
    """True if ``word`` is spelled like one Vietnamese syllable: small letters, capitals or
    one leading capital; an onset, a vowel group and a final consonant the vowel group
    allows; at most one tone mark. Where the tone mark sits (hoá/hóa) does not matter."""
    if not (word.islower() or word.isupper() or word.istitle()):
        return False
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = sum(1 for ch in decomposed if ch in _TONE_MARKS)
    if tones > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
    return _SYLLABLE.fullmatch(bare) is not None


@dataclass(frozen=True)
class TextScore:
    """Evidence that a decoded text is Vietnamese.

    ``good_words``: words with a non-ASCII letter that are Vietnamese syllables;
    ``bad_words``: words with a non-ASCII letter that are not; ``bad_chars``: U+FFFD,
    control characters (other than tab and line ends), stray combining marks and any
    other non-ASCII character that is neither a Vietnamese letter nor in
    ``NEUTRAL_CHARS``. ASCII-only words (UBND, TTHC, 2023) are no evidence either way.
    """

    good_words: int
    bad_words: int
    bad_chars: int

    @property
    def quality(self) -> float:
        """good / (good + bad words + bad characters); 0.0 when there is no evidence."""
        total = self.good_words + self.bad_words + self.bad_chars
        return self.good_words / total if total else 0.0


def score_vietnamese(text: str) -> TextScore:
    """Score ``text`` (NFC) by how Vietnamese its non-ASCII characters and words look."""
    bad_chars = 0
    for ch in text:
        if ch < "\x80":
            if (ch < " " and ch not in "\t\n\r\f\v") or ch == "\x7f":
                bad_chars += 1
        elif ch not in VIETNAMESE_LETTERS and ch not in NEUTRAL_CHARS:
            bad_chars += 1
    good = bad = 0
    for m in _WORD.finditer(text):
        word = m.group()
        if word.isascii():
            continue
        if is_vietnamese_syllable(word):
            good += 1
        else:
            bad += 1
    return TextScore(good_words=good, bad_words=bad, bad_chars=bad_chars)
