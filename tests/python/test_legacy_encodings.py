"""Legacy Vietnamese encodings (TCVN3, VNI, Windows-1258) in plain-text files.

The expected bytes below are transcribed by hand from published code tables, never
produced by running ingest/legacy_encodings.py backwards:

* TCVN3 (VN3 of TCVN 5712:1993): the TCVN-5712 table ``tcvn_2uni_2`` in XFree86/libiconv
  ``xc/lib/X11/lcUniConv/tcvn.h`` ("0xb5: 0x00e0 à, 0xb6: 0x1ea3 ả, 0xb8: 0x00e1 á,
  0xdd: 0x00ed í, 0xf1: 0x1ee7 ủ, 0xf4: 0x1ee5 ụ, 0xa7: 0x0110 Đ, 0xac: 0x01a1 ơ,
  0xde: 0x1ecb ị, 0xe8: 0x1ed1 ố, 0xd6: 0x1ec7 ệ, 0xe3: 0x00f3 ó, 0xc8: 0x1ea9 ẩ,
  0xfb: 0x1ef7 ỷ"), the same values as ``tcvn.h`` of xvnkb (lamdao/xvnkb).
* VNI-Windows: ``vni.h`` of xvnkb (lamdao/xvnkb), which spells each letter as a byte
  string shown in Latin-1: ả "aû", á "aù", à "aø", í "í", ủ "uû", ụ "uï", Đ "Ñ", ơ "ô",
  ị "ò", ố "oá", ệ "eä", ư "ö", ờ "ôø", Ả "AÛ", Á "AÙ", ẩ "aå", ỷ "yû"; and the README of
  duydev/vietnamese-conversion: "Xin chào các bạn" -> "Xin chaøo caùc baïn".
* Windows-1258: Microsoft's table as shipped in Python's ``cp1258`` codec, fed with text
  whose tones are written as combining marks (U+0300 grave, U+0301 acute, U+0309 hook,
  U+0323 dot below), as Windows-1258 stores them.
"""

from __future__ import annotations

import io
import random
import unicodedata

import pytest

from ingest.encoding import decode_bytes, decode_text
from ingest.errors import UnreadableFileError
from ingest.legacy_encodings import (
    TCVN3_TABLE,
    VIETNAMESE_LETTERS,
    is_vietnamese_syllable,
    score_vietnamese,
)
from ingest.readers.text import read_text_blocks

# (Unicode text, TCVN3 bytes) -- libiconv/XFree86 tcvn.h, see module docstring.
TCVN3_VECTORS = [
    ("Cải cách hành chính", b"C\xb6i c\xb8ch h\xb5nh ch\xddnh"),
    ("Thủ tục", b"Th\xf1 t\xf4c"),
    ("Đơn vị tính", b"\xa7\xacn v\xde t\xddnh"),
    ("Số liệu", b"S\xe8 li\xd6u"),
]

# (Unicode text, VNI-Windows bytes) -- xvnkb vni.h, see module docstring.
VNI_VECTORS = [
    ("Cải cách hành chính", b"Ca\xfbi ca\xf9ch ha\xf8nh ch\xednh"),
    ("Thủ tục", b"Thu\xfb tu\xefc"),
    ("Đơn vị tính", b"\xd1\xf4n v\xf2 t\xednh"),
    ("Số liệu", b"So\xe1 lie\xe4u"),
    ("Xin chào các bạn", b"Xin cha\xf8o ca\xf9c ba\xefn"),
    ("người", b"ng\xf6\xf4\xf8i"),
    ("CẢI CÁCH", b"CA\xdbI CA\xd9CH"),
]

# (Unicode text, text with tones as combining marks, Windows-1258 bytes by hand from
# Microsoft's table: 0xCC U+0300, 0xEC U+0301, 0xD2 U+0309, 0xF2 U+0323, 0xD0 Đ,
# 0xF5 ơ, 0xF4 ô, 0xEA ê).
CP1258_VECTORS = [
    (
        "Cải cách hành chính",
        "Ca\u0309i ca\u0301ch ha\u0300nh chi\u0301nh",
        b"Ca\xd2i ca\xecch ha\xccnh chi\xecnh",
    ),
    ("Thủ tục", "Thu\u0309 tu\u0323c", b"Thu\xd2 tu\xf2c"),
    ("Đơn vị tính", "Đơn vi\u0323 ti\u0301nh", b"\xd0\xf5n vi\xf2 ti\xecnh"),
    ("Số liệu", "Sô\u0301 liê\u0323u", b"S\xf4\xec li\xea\xf2u"),
]

SENTENCE = "Cải cách hành chính: Thủ tục, Đơn vị tính, Số liệu"


def _join(vectors: list[tuple[str, bytes]]) -> bytes:
    # "Cải cách hành chính: Thủ tục, Đơn vị tính, Số liệu" from the vectors above.
    parts = [b for _, b in vectors[:4]]
    return parts[0] + b": " + b", ".join(parts[1:])


@pytest.mark.parametrize(("text", "data"), TCVN3_VECTORS)
def test_tcvn3_vectors(text: str, data: bytes) -> None:
    decoded = decode_bytes(data)
    assert decoded.encoding == "TCVN3"
    assert decoded.text == text


@pytest.mark.parametrize(("text", "data"), VNI_VECTORS)
def test_vni_vectors(text: str, data: bytes) -> None:
    decoded = decode_bytes(data)
    assert decoded.encoding == "VNI"
    assert decoded.text == text


@pytest.mark.parametrize(("text", "combining", "data"), CP1258_VECTORS)
def test_cp1258_vectors(text: str, combining: str, data: bytes) -> None:
    assert combining.encode("cp1258") == data  # the hand-written bytes match Microsoft's table
    assert unicodedata.normalize("NFC", combining) == text
    decoded = decode_bytes(data)
    assert decoded.encoding == "Windows-1258"
    assert decoded.text == text


@pytest.mark.parametrize(
    ("vectors", "encoding"),
    [
        (TCVN3_VECTORS, "TCVN3"),
        (VNI_VECTORS, "VNI"),
        ([(t, b) for t, _, b in CP1258_VECTORS], "Windows-1258"),
    ],
)
def test_sentence_in_each_encoding(vectors: list[tuple[str, bytes]], encoding: str) -> None:
    decoded = decode_bytes(_join(vectors))
    assert decoded.encoding == encoding
    assert decoded.text == SENTENCE
    assert unicodedata.is_normalized("NFC", decoded.text)
    # the winner beats every other reading of the same bytes
    assert decoded.candidates[encoding].quality == max(
        s.quality for s in decoded.candidates.values()
    )


def test_tcvn3_capitals_typed_with_vntimeh() -> None:
    # .VnTimeH headings use the small-letter codes: "BÁO CÁO SỐ LIỆU" is B¸O C¸O Sè LIÖU.
    assert decode_text(b"B\xb8O C\xb8O S\xe8 LI\xd6U\r\nS\xe8 TT") == "BÁO CÁO SỐ LIỆU\r\nSố TT"


def test_tcvn3_table_is_exactly_vn3() -> None:
    # VN3 adds 75 characters to ASCII: NBSP, the 7 capital base letters Ă Â Ê Ô Ơ Ư Đ and
    # all 67 small Vietnamese letters outside ASCII, each once.
    small = {ch for ch in VIETNAMESE_LETTERS if ch.islower()}
    assert len(small) == 67
    assert len(TCVN3_TABLE) == 75
    assert set(TCVN3_TABLE.values()) == {"\u00a0", *"ĂÂÊÔƠƯĐ"} | small


def test_utf8_unchanged() -> None:
    text = "Cải cách hành chính – TTHC, UBND tỉnh; hoá và hóa\n"
    assert decode_text(text.encode("utf-8")) == text
    assert decode_text(b"\xef\xbb\xbf" + text.encode("utf-8")) == text
    assert decode_text(text.encode("utf-16")) == text
    assert decode_bytes(text.encode("utf-8")).encoding == "UTF-8"
    # decomposed UTF-8 is composed (NFC), nothing more
    assert decode_text(unicodedata.normalize("NFD", text).encode("utf-8")) == text


def test_random_bytes_are_unreadable() -> None:
    data = random.Random(20261125).randbytes(4000)
    with pytest.raises(UnreadableFileError) as info:
        decode_text(data)
    message = str(info.value)
    for name in ("TCVN3", "VNI", "Windows-1258", "UTF-8"):
        assert name in message


@pytest.mark.parametrize(
    "data",
    [
        b"Report \xff\xfe total 12",  # one stray byte, no Vietnamese evidence
        "Le délai était réglé à l'année précédente".encode("cp1252"),  # French, not Vietnamese
        "Привет, как дела? Отчёт о реформе".encode("cp1251"),  # Cyrillic
        "Cải cách hành chính".encode() + b"\xff",  # UTF-8 with one broken byte
    ],
)
def test_garbled_or_foreign_text_is_unreadable(data: bytes) -> None:
    with pytest.raises(UnreadableFileError) as info:
        decode_text(data)
    assert "UTF-8" in info.value.what_to_do
    assert "TCVN3" in info.value.what_to_do


def test_mixed_tone_placement_is_kept() -> None:
    # hoá (tone on a) and hóa (tone on o), thuỷ and thủy, in each encoding.
    expected = "Chuẩn hoá và chuẩn hóa, thuỷ và thủy"
    tcvn3 = b"Chu\xc8n ho\xb8 v\xb5 chu\xc8n h\xe3a, thu\xfb v\xb5 th\xf1y"
    vni = b"Chua\xe5n hoa\xf9 va\xf8 chua\xe5n ho\xf9a, thuy\xfb va\xf8 thu\xfby"
    cp1258 = "Chuâ\u0309n hoa\u0301 va\u0300 chuâ\u0309n ho\u0301a, thuy\u0309 va\u0300 thu\u0309y"
    assert decode_bytes(tcvn3).text == expected
    assert decode_bytes(vni).text == expected
    assert decode_bytes(cp1258.encode("cp1258")).text == expected
    assert decode_text(expected.encode("utf-8")) == expected
    text = decode_text(tcvn3)
    assert "hoá" in text
    assert "hóa" in text


def test_syllable_check() -> None:
    for word in ("hoá", "hóa", "người", "được", "quốc", "khuyến", "nghiệp", "Đắk", "giữ"):
        assert is_vietnamese_syllable(word), word
    for word in ("caựch", "ẹụn", "élevé", "Thñ", "hoáà"):
        assert not is_vietnamese_syllable(word), word
    assert score_vietnamese("UBND 2023").quality == 0.0  # ASCII is no evidence


def test_text_reader_reads_a_tcvn3_file() -> None:
    data = _join(TCVN3_VECTORS) + b"\r\n1\tS\xe8 h\xe5 s\xac\t12\r\n"
    blocks = read_text_blocks(io.BytesIO(data))
    assert blocks[0].text == SENTENCE
    assert [cell.text for cell in blocks[1].cells][1] == "Số hồ sơ"
