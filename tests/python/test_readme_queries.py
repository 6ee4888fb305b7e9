"""Every ```sql block of README.md runs against the sample warehouse (read-only), so the
README's queries cannot go stale."""

from __future__ import annotations

import re

import duckdb
import pytest
from conftest import ROOT

README = ROOT / "README.md"
_SQL_BLOCK = re.compile(r"^```sql\n(.*?)^```", re.DOTALL | re.MULTILINE)


def readme_queries() -> list[str]:
    return [block.strip() for block in _SQL_BLOCK.findall(README.read_text(encoding="utf-8"))]


def test_readme_has_queries():
    assert len(readme_queries()) >= 4


@pytest.mark.parametrize("query", readme_queries(), ids=lambda q: q.split("\n")[0][:40])
def test_readme_query_runs(built, query):
    with duckdb.connect(str(built.warehouse), read_only=True) as con:
        con.execute(query).fetchall()


def test_unmatched_rows_sort_by_line_number(built):
    (query,) = [q for q in readme_queries() if "mart_unmatched_rows" in q]
    with duckdb.connect(str(built.warehouse), read_only=True) as con:
        rows = con.execute(query).fetchall()
    assert rows, "the samples have unmatched rows with a value"
    first_lines = [
        (file_path, int(source_line.split("-")[0]))
        for file_path, source_line, *_ in rows
        if source_line and source_line.split("-")[0].isdigit()
    ]
    assert first_lines == sorted(first_lines)


_SHELL_LINE = re.compile(r"^(\.venv/bin/duckdb .*)$", re.MULTILINE)


def test_readme_duckdb_shell_commands_run(built):
    """The README's `duckdb` shell lines run, as written, on the sample run's outputs."""
    import os
    import shlex
    import subprocess

    lines = _SHELL_LINE.findall(README.read_text(encoding="utf-8"))
    assert lines, "the README shows the duckdb shell"
    out = built.output_dir.resolve()
    for line in lines:
        args = shlex.split(line)
        args[0] = str(ROOT / args[0])
        done = subprocess.run(
            args, capture_output=True, text=True, cwd=out, env=os.environ, check=False
        )
        assert done.returncode == 0, (line, done.stderr)
        assert "count_star()" in done.stdout
