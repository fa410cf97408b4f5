"""Inputs beside CycloneDX, on files written by real tools (tests/fixtures/lockfiles/README.md).

Every lockfile and the hashed requirements file pin the demo application's 13 requirements, so
each must give the components and the vulnerability findings of the CycloneDX that
cyclonedx-py wrote for those same requirements (samples/sbom/linkcheck.requirements.cdx-1.4.json).
"""

from __future__ import annotations

import json
import sys
from importlib import metadata
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, REPO, SAMPLE_RECORDING, SAMPLE_SBOMS, bom_of

from sbom_enrich.cli import cli
from sbom_enrich.cyclonedx.read import load_bom
from sbom_enrich.wiring import open_input

LOCKS = FIXTURES / "lockfiles"
REFERENCE = SAMPLE_SBOMS / "linkcheck.requirements.cdx-1.4.json"
INPUTS = ["uv.lock", "pylock.toml", "pylock.pip.toml", "poetry.lock", "requirements.hashed.txt"]


def _pins(path: str) -> set[tuple[str, str]]:
    document = open_input(path).document
    return {(c.name.lower(), c.version or "") for c in document.components}


def _findings(tmp_path: Path, *args: str) -> set[tuple[str, str]]:
    report = tmp_path / "r.json"
    result = CliRunner().invoke(
        cli,
        [
            "enrich",
            *args,
            *("-o", str(tmp_path / "o.json"), "--replay", str(SAMPLE_RECORDING)),
            *("--advisory-db", str(REPO / "samples" / "advisories"), "--report", f"json:{report}"),
        ],
    )
    assert result.exit_code == 0, result.stderr
    findings = json.loads(report.read_text())["findings"]
    return {
        (f["id"], f["component"]["name"].lower()) for f in findings if f["kind"] == "vulnerability"
    }


@pytest.mark.parametrize("name", INPUTS)
def test_each_lockfile_gives_the_components_of_the_same_requirements(name: str) -> None:
    reference = {(c.name.lower(), c.version or "") for c in load_bom(REFERENCE).components}
    assert len(reference) == 13
    assert _pins(str(LOCKS / name)) == reference


@pytest.mark.parametrize("name", INPUTS)
def test_each_lockfile_gives_the_findings_of_the_same_requirements(
    name: str, tmp_path: Path
) -> None:
    expected = _findings(tmp_path, str(REFERENCE))
    assert len(expected) >= 5
    assert _findings(tmp_path, str(LOCKS / name)) == expected


def test_a_uv_lock_keeps_its_dependency_graph_and_root() -> None:
    document = open_input(str(LOCKS / "uv.lock")).document
    assert document.root_ref == "pkg:pypi/linkcheck-demo@1.0.0"
    graph = dict(document.dependencies)
    assert set(graph["pkg:pypi/flask@2.2.2"]) == {
        "pkg:pypi/click@8.1.3",
        "pkg:pypi/itsdangerous@2.1.2",
        "pkg:pypi/jinja2@3.1.2",
        "pkg:pypi/werkzeug@2.2.2",
    }
    assert "pkg:pypi/colorama@0.4.6" not in graph  # behind sys_platform == 'win32'


def test_an_environment_is_read_without_running_its_code() -> None:
    loaded = open_input(None, python=Path(sys.executable))
    installed = {
        (str(d.metadata["Name"]).lower(), d.version)
        for d in metadata.distributions()
        if d.metadata["Name"]
    }
    found = {(c.name.lower(), c.version or "") for c in loaded.document.components}
    assert loaded.kind == "environment" and found
    assert found <= installed and ("click", metadata.version("click")) in found


def test_sbom_out_writes_the_generated_document(tmp_path: Path) -> None:
    out = tmp_path / "generated.cdx.json"
    result = CliRunner().invoke(
        cli,
        [
            *("enrich", str(LOCKS / "pylock.toml"), "-o", str(tmp_path / "o.json")),
            *("--replay", str(SAMPLE_RECORDING), "--sbom-out", str(out)),
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert "Read " in result.stderr and "left out for this platform: colorama" in result.stderr
    assert len(load_bom(out).components) == 13


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"lock-version = [", "pylock.toml", "not valid TOML"),
        (b'lock-version = "1.0"\npackages = 3\n', "pylock.toml", "expected an array of tables"),
        (
            b"[metadata]\n[[package]]\nname = 'x'\nversion = '1'\nmarkers = 'os_name =='\n",
            "poetry.lock",
            "invalid environment marker",
        ),
    ],
)
def test_a_broken_lockfile_is_one_line_and_exit_3(
    content: bytes, name: str, message: str, tmp_path: Path
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = CliRunner().invoke(cli, ["enrich", str(path), "-o", str(tmp_path / "o.json")])
    assert result.exit_code == 3
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "o.json").exists()


def test_a_directory_says_which_inputs_it_holds(tmp_path: Path) -> None:
    (tmp_path / "uv.lock").write_text("")
    result = CliRunner().invoke(cli, ["enrich", str(tmp_path), "-o", str(tmp_path / "o.json")])
    assert result.exit_code == 3 and "found there: uv.lock" in result.stderr


def test_a_document_without_pypi_components_says_so(tmp_path: Path) -> None:
    sbom = tmp_path / "npm.json"
    sbom.write_text(
        json.dumps(
            bom_of(
                {
                    "type": "library",
                    "name": "left-pad",
                    "version": "1.3.0",
                    "purl": "pkg:npm/left-pad@1.3.0",
                }
            )
        )
    )
    result = CliRunner().invoke(cli, ["enrich", str(sbom), "-o", str(tmp_path / "o.json")])
    assert result.exit_code == 0
    assert "has no PyPI component" in result.stderr


def test_pip_audit_output_needs_assume_pypi_and_then_matches(tmp_path: Path) -> None:
    pip_audit = FIXTURES / "pip-audit" / "requirements.hashed.cdx.json"
    result = CliRunner().invoke(
        cli,
        [
            "enrich",
            str(pip_audit),
            "-o",
            str(tmp_path / "o.json"),
            "--replay",
            str(SAMPLE_RECORDING),
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert "has no PyPI component" in result.stderr and "--assume-pypi" in result.stderr
    assert _findings(tmp_path, str(pip_audit), "--assume-pypi") == _findings(
        tmp_path, str(REFERENCE)
    )


def test_a_report_name_given_to_format_points_at_report(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["enrich", str(REFERENCE), "--format", "sarif"])
    assert result.exit_code == 2
    assert "write the report with --report sarif[:PATH]" in result.stderr


def test_a_toml_that_is_not_cyclonedx_suggests_input_kind(tmp_path: Path) -> None:
    lock = tmp_path / "locked.toml"
    lock.write_bytes((LOCKS / "pylock.toml").read_bytes())
    result = CliRunner().invoke(cli, ["enrich", str(lock), "-o", str(tmp_path / "o.json")])
    assert result.exit_code == 3 and "give --input-kind" in result.stderr
    result = CliRunner().invoke(
        cli,
        [
            *("enrich", str(lock), "--input-kind", "pylock", "-o", str(tmp_path / "o.json")),
            *("--replay", str(SAMPLE_RECORDING)),
        ],
    )
    assert result.exit_code == 0, result.stderr
