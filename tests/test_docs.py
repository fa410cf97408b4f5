"""docs/cli.md shows the real --help of every command (SBOM_ENRICH_REGENERATE=1 rewrites it)."""

from __future__ import annotations

import os
import re

import click
from click.testing import CliRunner
from conftest import REPO

from sbom_enrich.cli import cli

CLI_DOC = REPO / "docs" / "cli.md"
BLOCK = re.compile(r"<!-- help: (?P<command>[a-z -]+) -->\n```text\n(?P<text>.*?)```\n", re.S)


def _commands() -> list[list[str]]:
    assert isinstance(cli, click.Group)
    return [[]] + [[name] for name in cli.list_commands(click.Context(cli))]


def _help(args: list[str]) -> str:
    result = CliRunner().invoke(cli, [*args, "--help"], prog_name="sbom-enrich", terminal_width=80)
    assert result.exit_code == 0
    return result.stdout


def test_cli_doc_has_the_current_help_of_every_command() -> None:
    text = CLI_DOC.read_text()
    wanted = {" ".join(["sbom-enrich", *args]): _help(args) for args in _commands()}
    if os.environ.get("SBOM_ENRICH_REGENERATE") == "1":
        text = BLOCK.sub(
            lambda m: f"<!-- help: {m['command']} -->\n```text\n{wanted[m['command']]}```\n", text
        )
        CLI_DOC.write_text(text)
    found = {m["command"]: m["text"] for m in BLOCK.finditer(text)}
    assert found == wanted


def test_cli_doc_describes_every_option() -> None:
    text = CLI_DOC.read_text()
    assert isinstance(cli, click.Group)
    context = click.Context(cli)
    for name in cli.list_commands(context):
        command = cli.get_command(context, name)
        assert command is not None
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--"):
                    assert f"`{opt}" in text, f"{command.name} {opt} is not described"
