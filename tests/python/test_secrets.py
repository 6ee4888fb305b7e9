"""cchc.secrets: passwords are found in what users type and hidden in what we print."""

from __future__ import annotations

import pytest

from cchc.secrets import MASK, redact, url_password


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("postgresql://bi:s3cr3t@db:5432/bi", "postgresql://bi:***@db:5432/bi"),
        ("postgres://bi:p@ss:w0rd@db/bi", "postgres://bi:***@db/bi"),
        ("failed: postgresql://u:x@h/d — retry", "failed: postgresql://u:***@h/d — retry"),
        (
            "postgresql://h/d?user=u&password=x1&sslmode=require",
            "postgresql://h/d?user=u&password=***&sslmode=require",
        ),
        ("host=h password=x1 dbname=d", "host=h password=*** dbname=d"),
        ("host=h password = 'a b\\'c' dbname=d", "host=h password = *** dbname=d"),
        ("postgresql://bi@db/bi", "postgresql://bi@db/bi"),
        ("no url here: a:b@c", "no url here: a:b@c"),
    ],
)
def test_redact_hides_passwords_in_urls_and_connection_strings(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_redact_hides_a_known_secret_anywhere() -> None:
    assert redact("FATAL: bad token hunter2 for bi", ["hunter2", None, ""]) == (
        f"FATAL: bad token {MASK} for bi"
    )


@pytest.mark.parametrize(
    ("url", "password"),
    [
        ("postgresql://bi:s3cr3t@db/bi", "s3cr3t"),
        ("postgresql://db/bi?password=x1", "x1"),
        ("host=db password=x1", "x1"),
        ("postgresql://bi@db/bi", None),
        ("service=cchc", None),
        ("postgresql://bi:s3cr3t@db:notaport/bi", "s3cr3t"),
    ],
)
def test_url_password(url: str, password: str | None) -> None:
    assert url_password(url) == password


def test_the_journal_never_keeps_a_password(tmp_path) -> None:
    from cchc import runlog

    live = tmp_path / "cchc.duckdb"
    record = runlog.RunRecord(run_id="r1", started_at="2026-12-02T01:30:00")
    record.status, record.reason = "failed", "publish: postgresql://cchc:s3cret@db/bi refused"
    runlog.append(live, record)
    journal = runlog.journal_path(live).read_text(encoding="utf-8")
    assert "s3cret" not in journal and "cchc:***@db" in journal
