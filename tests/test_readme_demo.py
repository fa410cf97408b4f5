"""README's main command on the bundled sample: the findings a security engineer would pick.

The command is read from README's quickstart, so this test follows it. Its call graph needs the
demo application's dependencies installed (`.demo-venv`, which the command's install step
makes); tests are offline, so the first test runs the command without ``--project`` and
``--python``, and the second runs it whole when the demo environment exists (``.demo-venv`` in
the repository, or ``$SBOM_ENRICH_DEMO_PYTHON``) and is skipped otherwise.
"""

from __future__ import annotations

import json
import os
import shlex
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import REPO
from test_readme import _quickstart_commands

from sbom_enrich.cli import cli

GRAPH_OPTIONS = ("--project", "--python")


def _readme_arguments(tmp_path: Path, *, call_graph: bool) -> list[str]:
    """The arguments of README's ``sbom-enrich enrich``, with outputs moved into ``tmp_path``."""
    command = _quickstart_commands()[0].split("sbom-enrich enrich ", 1)[1]
    words = shlex.split(command)
    arguments: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        value = words[index + 1] if word.startswith("-") and index + 1 < len(words) else ""
        if word in GRAPH_OPTIONS and not call_graph:
            index += 2
            continue
        if word == "--report":
            kind, _, path = value.partition(":")
            arguments += [word, f"{kind}:{tmp_path / path}"]
            index += 2
        elif word == "-o":
            arguments += [word, str(tmp_path / value)]
            index += 2
        else:
            arguments.append(word)
            index += 1
    return ["enrich", *arguments, "--report", f"json:{tmp_path / 'report.json'}"]


def _run(tmp_path: Path, arguments: list[str]) -> dict[str, Any]:
    cwd = Path.cwd()
    os.chdir(REPO)
    try:
        result = CliRunner().invoke(cli, [*arguments, "--state", str(tmp_path / "s.sqlite3")])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.stderr
    report: dict[str, Any] = json.loads((tmp_path / "report.json").read_text())
    return report


def _rows(report: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [
        (f["id"], f["component"]["name"], f["reachability"]["verdict"]) for f in report["findings"]
    ]


def test_without_the_call_graph_trust_and_severity_decide(tmp_path: Path) -> None:
    """What leads when nothing is known about reachability, and why.

    1. urllib3's high advisory leads: the same severity as idna's and Werkzeug's, but urllib3's
       PyPI owners changed since the baseline, which is what a takeover looks like.
    2. Every kind of trust finding of the sample is there: the ownership change, the archived
       project, and sampleproject's signals; sampleproject itself is verified.
    """
    report = _run(tmp_path, _readme_arguments(tmp_path, call_graph=False))
    rows = _rows(report)
    assert rows[0] == ("PYSEC-2023-192", "urllib3", "unknown")
    assert {verdict for _, _, verdict in rows} == {"unknown"}
    ids = [finding_id for finding_id, _, _ in rows]
    assert ids.index("PYSEC-2023-192") < ids.index("PYSEC-2023-221")  # both high
    assert {"ownership-changed", "project-archived", "no-wheel", "no-environment"} <= set(ids)
    levels = {c["name"]: c["trust"]["level"] for c in report["components"]}
    assert levels["sampleproject"] == "verified"
    assert levels["peppercorn"] == "unattested"
    assert (tmp_path / "report.md").exists() and (tmp_path / "report.html").exists()


def _demo_python() -> Path | None:
    candidates = [os.environ.get("SBOM_ENRICH_DEMO_PYTHON"), str(REPO / ".demo-venv/bin/python")]
    return next((Path(c) for c in candidates if c and Path(c).exists()), None)


@pytest.mark.skipif(_demo_python() is None, reason="the demo environment is not installed")
def test_the_whole_command_puts_the_reachable_advisories_first(tmp_path: Path) -> None:
    """With the call graph, what README shows, and why.

    idna's, Flask's, requests' and Werkzeug's advisories lead: the application calls the
    functions their fixes changed (curated symbols; Flask's ``save_session`` from ``wsgi_app``,
    a framework root). urllib3's high one follows them, raised by the ownership change;
    Werkzeug's PYSEC-2023-221 names a function 2.2.2 does not have, so it is judged by its
    module (imported); certifi's are imported (its fix is data, no function to look for).
    """
    arguments = _readme_arguments(tmp_path, call_graph=True)
    arguments[arguments.index("--python") + 1] = str(_demo_python())
    rows = _rows(_run(tmp_path, arguments))
    assert rows[:7] == [
        ("PYSEC-2024-60", "idna", "reachable"),
        ("PYSEC-2023-62", "Flask", "reachable"),
        ("PYSEC-2023-74", "requests", "reachable"),
        ("PYSEC-2023-192", "urllib3", "unknown"),
        ("PYSEC-2023-221", "Werkzeug", "imported"),
        ("PYSEC-2023-57", "Werkzeug", "reachable"),
        ("PYSEC-2023-58", "Werkzeug", "reachable"),
    ]
    assert ("PYSEC-2023-135", "certifi", "imported") in rows
