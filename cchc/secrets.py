"""Secrets never shown: redaction of PostgreSQL passwords in any text the product prints.

The password for ``cchc publish`` comes from libpq's own means (``PGPASSWORD``,
``~/.pgpass`` or ``PGPASSFILE``, a service file through ``PGSERVICE`` / ``service=``) or
an interactive prompt; a URL that carries one is refused (:func:`url_password`), because
a command line is visible to every user of the machine (``ps``).

:func:`redact` is the one place that hides passwords: in a URL
(``postgresql://user:***@host/db``) and in a key/value connection string
(``password=***``), plus any known secret given to it. Everything printed about a
connection (messages, exceptions from psycopg, journal lines) goes through it; the
nightly journal (cchc/runlog.py) should pass a failed step's ``reason`` through it too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import psycopg
from psycopg.conninfo import conninfo_to_dict

MASK = "***"

# scheme://user:password@ — the password is everything between the first ':' after the
# user and the last '@' before the host (a password may itself hold '@' or ':')
_URL_PASSWORD = re.compile(r"(?P<head>\b[a-z][a-z0-9+.-]*://[^:/?#@\s]*:)(?P<secret>[^\s]*)(?=@)")
_KEYWORD_PASSWORD = re.compile(
    r"(?P<head>\bpassword\s*=\s*)(?P<secret>'(?:[^'\\]|\\.)*'|[^\s&]+)", re.IGNORECASE
)
_QUERY_PASSWORD = re.compile(r"(?P<head>[?&]password=)(?P<secret>[^&\s]*)", re.IGNORECASE)


def redact(text: str, secrets: Iterable[str | None] = ()) -> str:
    """``text`` with every password in a URL or connection string, and every one of
    ``secrets``, replaced by ``***``."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, MASK)
    for pattern in (_URL_PASSWORD, _QUERY_PASSWORD, _KEYWORD_PASSWORD):
        text = pattern.sub(lambda m: m["head"] + MASK, text)
    return text


def url_password(url: str) -> str | None:
    """The password a PostgreSQL URL or connection string carries, if any."""
    try:
        return conninfo_to_dict(url).get("password") or None
    except psycopg.ProgrammingError:
        # unparseable: still look for the password a person may have typed in it
        match = _URL_PASSWORD.search(url) or _QUERY_PASSWORD.search(url)
        match = match or _KEYWORD_PASSWORD.search(url)
        return match["secret"] if match else None
