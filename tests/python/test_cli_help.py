"""Every command is documented: its --help works, shows an example, and the README
describes it."""

from __future__ import annotations

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from cchc.cli import app

COMMANDS = sorted(c.name or c.callback.__name__ for c in app.registered_commands)
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_commands_are_the_ones_the_design_names() -> None:
    assert {"ingest", "build", "check", "export", "run"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_help_has_an_example_and_the_warehouse_option(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output
    assert "--warehouse" in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_documents_every_command(command: str) -> None:
    assert f"cchc {command}" in README


def test_readme_has_the_two_setup_commands() -> None:
    assert "make run" in README and "make test" in README


def test_a_missing_warehouse_is_a_one_line_reason_not_a_traceback(tmp_path) -> None:
    result = CliRunner().invoke(app, ["build", "--warehouse", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1
    assert "run `cchc ingest` first" in result.output
    assert "Traceback" not in result.output
