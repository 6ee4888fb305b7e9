"""Turning the bytes of a text file into Unicode (NFC)."""

from __future__ import annotations

import unicodedata

from ingest.errors import UnreadableFileError


def decode_text(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM) or UTF-16 with BOM, and normalise to NFC."""
    if not data.strip():
        raise UnreadableFileError(
            where="whole file",
            expected="text with at least one line",
            what_to_do="the file is empty; ask the agency to send the report again",
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UnreadableFileError(
                where=f"byte {exc.start}",
                expected="UTF-8 text",
                what_to_do=(
                    "the file is not UTF-8 (a legacy Vietnamese encoding such as TCVN3, VNI "
                    "or Windows-1258?); save it as UTF-8 and ingest again"
                ),
            ) from exc
    return unicodedata.normalize("NFC", text)
