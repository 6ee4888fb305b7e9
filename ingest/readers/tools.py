"""The system programs some formats need, found on PATH, and the Debian package of each.

A missing program is never a traceback: the file is refused with a ``MissingToolError``
that names the package to install (``make ocr-tools`` installs them all).
"""

from __future__ import annotations

import shutil

from ingest.errors import MissingToolError

#: program → the Debian package that installs it
PACKAGES: dict[str, str] = {
    "soffice": "libreoffice-writer-nogui libreoffice-calc-nogui",
    "tesseract": "tesseract-ocr tesseract-ocr-vie",
}


def require(program: str, *, needed_for: str) -> str:
    """The path of ``program``; raises MissingToolError naming its package when absent."""
    path = shutil.which(program)
    if path is None:
        raise missing(program, needed_for=needed_for)
    return path


def missing(program: str, *, needed_for: str) -> MissingToolError:
    package = PACKAGES[program]
    return MissingToolError(
        where="whole file",
        expected=f"the program '{program}' to read {needed_for}",
        what_to_do=f"it is not installed on this machine; install it with "
        f"`apt-get install {package}` (or `make ocr-tools`) and ingest again",
    )
