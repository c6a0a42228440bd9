"""docs/cli.md is the `--help` of every command; it must not go stale."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import cli_reference  # noqa: E402


def test_cli_reference_is_current():
    assert cli_reference.REFERENCE.read_text(encoding="utf-8") == cli_reference.render(), (
        "docs/cli.md is stale: run python scripts/cli_reference.py"
    )


def test_every_command_has_a_summary_and_an_example():
    from crawler.cli import cli

    for name, command in cli.commands.items():
        assert command.help and "Example" in command.help, name
