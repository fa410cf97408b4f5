"""README's quickstart: exactly two commands, and .ci/run runs the second one verbatim."""

from __future__ import annotations

import re

from conftest import REPO


def _quickstart_commands() -> list[str]:
    readme = (REPO / "README.md").read_text()
    section = readme.split("## Quickstart", 1)[1]
    fenced = False
    for number, line in enumerate(section.splitlines()):
        fenced ^= line.startswith("```")
        if not fenced and line.startswith("## "):  # the next section (not a sample output)
            section = "\n".join(section.splitlines()[:number])
            break
    return re.findall(r"```sh\n(.*?)\n```", section, re.S)


def test_quickstart_has_exactly_two_commands() -> None:
    commands = _quickstart_commands()
    assert len(commands) == 2
    assert all("\n" not in command for command in commands)
    assert "sbom-enrich enrich samples/" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_second_command_verbatim() -> None:
    ci = (REPO / ".ci" / "run").read_text().splitlines()
    assert _quickstart_commands()[1] in ci
