"""The GitHub Action, the pre-commit hook and docs/ci.md stay true to the CLI."""

from __future__ import annotations

import re
from pathlib import Path

import click
import yaml
from conftest import REPO

from sbom_enrich.cli import cli


def _enrich_options() -> set[str]:
    assert isinstance(cli, click.Group)
    return {opt for param in cli.commands["enrich"].params for opt in getattr(param, "opts", [])}


def test_action_uses_only_real_options_and_passes_inputs_through_the_environment() -> None:
    action = yaml.safe_load((REPO / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    script = action["runs"]["steps"][1]["run"]
    used = set(re.findall(r"(--[a-z-]+)", script))
    assert used and used <= _enrich_options(), used - _enrich_options()
    assert "${{" not in script  # inputs arrive as environment variables, never pasted in
    assert set(action["inputs"]) >= {"sbom", "fail-on", "project", "advisory-db"}


def test_pre_commit_hook_arguments_are_real_options() -> None:
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["entry"] == "sbom-enrich enrich"
    used = {arg for arg in hook["args"] if arg.startswith("--")}
    assert used <= _enrich_options()


def test_pre_commit_hook_runs_as_pre_commit_calls_it(tmp_path: Path) -> None:
    """entry + args + the staged file's name, offline from an empty cache."""
    import os
    import stat

    from click.testing import CliRunner

    from sbom_enrich.cli import cli

    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    staged = REPO / "samples" / "sbom" / "linkcheck.env.cdx-1.6.json"
    assert re.search(hook["files"], staged.name.replace("env.cdx-1.6", "cdx"))
    assert hook["pass_filenames"] is True
    argv = hook["entry"].split()[1:] + hook["args"] + [str(staged)]
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_ci_doc_pins_every_third_party_action_by_sha() -> None:
    text = (REPO / "docs" / "ci.md").read_text()
    uses = re.findall(r"uses: (\S+)", text)
    assert uses
    for reference in uses:
        name, _, ref = reference.partition("@")
        if name == "sbom-enrich/sbom-enrich":
            assert ref == "<sha>"
        else:
            assert re.fullmatch(r"[0-9a-f]{40}", ref), reference
