"""Word 97–2003 (.doc) and Excel 97–2003 (.xls) files, converted by LibreOffice headless
to .docx / .xlsx and then read by the Word and Excel readers.

LibreOffice keeps tables, cells, number formats and sheets as they are (checked cell by
cell on reports), so the places the readers give (``table 2 row 14``, ``Sheet1!C12``)
are the places in the original file. Each conversion runs alone: its own LibreOffice
process with its own throw-away profile directory (``-env:UserInstallation``; two
processes sharing a profile block each other), in a fresh temporary folder, stopped
after ``Limits.convert_seconds``. Without LibreOffice the file is refused with the
Debian package to install (``MissingToolError``).
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
from pathlib import Path

from ingest.errors import UnreadableFileError
from ingest.limits import DEFAULT_LIMITS, Limits, exceeded
from ingest.readers.tools import require

#: legacy format → the format it is converted to
CONVERSIONS: dict[str, str] = {"doc": "docx", "xls": "xlsx"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file of Office 97–2003
_NAMES = {"doc": "Word 97–2003 document (.doc)", "xls": "Excel 97–2003 workbook (.xls)"}


def convert_legacy(data: bytes, file_format: str, *, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The bytes of ``data`` (a .doc or .xls) converted to .docx / .xlsx by LibreOffice.

    Raises MissingToolError without LibreOffice, UnreadableFileError for a file that is
    not such a document or that LibreOffice cannot convert, LimitExceededError when the
    conversion takes longer than ``limits.convert_seconds``.
    """
    target = CONVERSIONS[file_format]
    what = _NAMES[file_format]
    soffice = require("soffice", needed_for=f"a {what}")
    if not data.startswith(_OLE_MAGIC):
        raise UnreadableFileError(
            where="start of the file",
            expected=f"a {what}",
            what_to_do="the file is not an Office 97–2003 document although its name ends in "
            f".{file_format}; give it its right extension (.docx, .xlsx, .pdf) or ask the "
            "agency to send it again",
        )
    with tempfile.TemporaryDirectory(prefix="cchc-convert-") as tmp:
        folder = Path(tmp)
        source = folder / f"report.{file_format}"
        source.write_bytes(data)
        out = folder / "out"
        command = [
            soffice,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(source),
        ]
        try:
            done = _run(command, limits.convert_seconds)
        except subprocess.TimeoutExpired as exc:
            raise exceeded(
                "convert_seconds",
                limits.convert_seconds,
                where="whole file",
                found=f"a conversion by LibreOffice still running after {limits.convert_seconds} s",
            ) from exc
        converted = out / f"report.{target}"
        if done.returncode != 0 or not converted.is_file():
            said = (done.stderr or done.stdout).decode("utf-8", "replace").strip()[:300]
            raise UnreadableFileError(
                where="whole file",
                expected=f"a {what} that LibreOffice can open",
                what_to_do=f"LibreOffice could not convert it (exit {done.returncode}"
                + (f": {said}" if said else "")
                + f"); open it in Word or Excel and save it as .{target}, or ask the agency "
                "to send it again",
            )
        return converted.read_bytes()


def _run(command: list[str], timeout: int) -> subprocess.CompletedProcess[bytes]:
    """Run LibreOffice in its own process group, so that a conversion past ``timeout``
    is stopped whole (``soffice`` starts ``oosplash`` and ``soffice.bin`` under it)."""
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    ) as process:
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise
        return subprocess.CompletedProcess(command, process.returncode, out, err)
