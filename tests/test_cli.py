"""The enrich command end to end through click."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from conftest import FIXTURES, SAMPLE_RECORDING, SAMPLE_SBOMS

from sbom_enrich.cli import cli

SAMPLE = SAMPLE_SBOMS / "linkcheck.env.cdx-1.6.json"


def _enrich(*args: str) -> tuple[int, str, str]:
    """Run ``enrich``; without ``--replay``, offline (every lookup unavailable, no network)."""
    lookup = [] if "--replay" in args else ["--offline"]
    result = CliRunner().invoke(cli, ["enrich", *args, *lookup])
    return result.exit_code, result.stdout, result.stderr


def test_writes_output_file_and_summary_lines(tmp_path: Path) -> None:
    out = tmp_path / "enriched.json"
    code, stdout, stderr = _enrich(str(SAMPLE), "-o", str(out), "--replay", str(SAMPLE_RECORDING))
    assert code == 0, stderr
    assert stdout == ""
    assert stderr.splitlines()[:8] == [
        f"Enriched 15 PyPI components; wrote CycloneDX 1.6 JSON to {out}",
        "Trust: 1 verified, 1 unattested, 13 unknown; 0 unavailable (lookup failed); "
        "signals: 1 medium, 2 low",
        "  medium   peppercorn 0.6: project-archived: the index marks peppercorn as archived",
        "  low      sampleproject 4.0.0: no-wheel: 4.0.0 has no wheel: installing it runs the "
        "package's own build code",
        "  low      sampleproject 4.0.0: no-environment: Trusted Publishing from "
        "pypa/sampleproject without a deployment environment: anyone who can run that "
        "workflow can publish",
        "Advisories (pypi): 0 in 0 components, 0 suppressed; 2 none-known, 13 unavailable",
        "  pypi unavailable for 13 of 15 components; first: the index does not serve "
        "/pypi/flask/2.2.2/json, and its project route lists vulnerabilities of the latest "
        "release (3.1.3) only",
        "Top findings (3 of 3)",
    ]
    tree = json.loads(out.read_text())
    assert tree["metadata"]["tools"]["components"][-1]["name"] == "sbom-enrich"


def test_on_an_80_column_terminal_every_line_fits_and_the_table_names_the_fix(
    tmp_path: Path,
) -> None:
    advisories = SAMPLE_SBOMS.parent / "advisories"
    result = CliRunner().invoke(
        cli,
        [
            "enrich",
            *(str(SAMPLE), "-o", str(tmp_path / "o.json"), "--replay", str(SAMPLE_RECORDING)),
            *("--advisory-db", str(advisories), "--state", str(tmp_path / "s.sqlite3")),
        ],
        env={"TTY_COMPATIBLE": "1", "COLUMNS": "80", "NO_COLOR": "1"},
    )
    assert result.exit_code == 0, result.stderr
    lines = re.sub(r"\x1b\[[0-9;]*m", "", result.stderr).splitlines()
    assert max(len(line) for line in lines) <= 80, "\n".join(lines)
    header = next(line for line in lines if line.lstrip().startswith("#"))
    assert header.split() == [
        "#",
        "score",
        "finding",
        "component",
        "severity",
        "reachability",
        "fix",
    ]
    idna = next(line for line in lines if "PYSEC-2024-60" in line)
    assert idna.split()[-1] == "3.7"
    # a wrapped item continues indented under its first line, never mid-word
    trust = lines.index(next(line for line in lines if line.startswith("Trust: ")))
    assert lines[trust + 1].startswith("    ") and not lines[trust].endswith("-")


def test_standard_output_by_default() -> None:
    code, stdout, _ = _enrich(str(SAMPLE))
    assert code == 0
    assert json.loads(stdout)["bomFormat"] == "CycloneDX"


def test_standard_input(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["enrich", "-", "-q", "--offline"], input=SAMPLE.read_bytes())
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert len(json.loads(result.stdout)["components"]) == 15


def test_quiet_prints_nothing(tmp_path: Path) -> None:
    code, _, stderr = _enrich(str(SAMPLE), "-o", str(tmp_path / "o.json"), "--quiet")
    assert code == 0 and stderr == ""


def test_verbose_lists_skipped_components_and_unknown_keys(tmp_path: Path) -> None:
    code, _, stderr = _enrich(
        str(FIXTURES / "tricky" / "no-purl-no-bomref-1.4.json"), "-o", str(tmp_path / "o"), "-v"
    )
    assert code == 0
    assert "skipped left-pad (left-pad): not a pypi purl (pkg:npm)" in stderr
    assert "skipped mystery-lib ($.components[0]): no purl" in stderr
    code, _, stderr = _enrich(
        str(FIXTURES / "tricky" / "unknown-keys-1.6.json"), "-o", str(tmp_path / "o"), "-v"
    )
    assert "unknown key kept: $.components[0].x-internal-id" in stderr


def test_verbose_error_shows_traceback(tmp_path: Path) -> None:
    code, _, stderr = _enrich(str(FIXTURES / "bad" / "truncated.json"), "-v")
    assert code == 3
    assert "Traceback" in stderr
    assert stderr.splitlines()[-1].startswith("sbom-enrich: error: ")


def test_xml_input_gives_json_unless_xml_is_asked_for(tmp_path: Path) -> None:
    xml_in = SAMPLE_SBOMS / "linkcheck.env.cdx-1.5.xml"
    code, stdout, _ = _enrich(str(xml_in), "-q")
    assert code == 0 and json.loads(stdout)["specVersion"] == "1.5"
    code, stdout, _ = _enrich(str(xml_in), "-q", "--format", "xml")
    assert code == 0 and stdout.startswith("<?xml")


def test_spec_version_upgrade(tmp_path: Path) -> None:
    code, stdout, _ = _enrich(
        str(SAMPLE_SBOMS / "linkcheck.requirements.cdx-1.4.json"), "-q", "--spec-version", "1.6"
    )
    assert code == 0
    tree = json.loads(stdout)
    assert tree["specVersion"] == "1.6"
    assert tree["$schema"] == "http://cyclonedx.org/schema/bom-1.6.schema.json"
    # the 1.4 input had a legacy tools array: ours joins it in the same form
    assert tree["metadata"]["tools"][-1] == {
        "vendor": "sbom-enrich",
        "name": "sbom-enrich",
        "version": tree["metadata"]["tools"][-1]["version"],
    }


def test_spec_version_to_12_drops_properties(tmp_path: Path) -> None:
    code, stdout, stderr = _enrich(
        str(FIXTURES / "tricky" / "no-metadata-1.3.json"), "-q", "--spec-version", "1.2"
    )
    assert code == 0, stderr
    tree = json.loads(stdout)
    assert "properties" not in tree["components"][0]
    assert tree["metadata"]["tools"][0]["name"] == "sbom-enrich"


def test_spec_version_downgrade_that_cannot_be_expressed(tmp_path: Path) -> None:
    out = tmp_path / "o.json"
    code, _, stderr = _enrich(str(SAMPLE), "-o", str(out), "--spec-version", "1.4")
    assert code == 3
    assert stderr.splitlines() == [
        f"sbom-enrich: error: {SAMPLE}: $.metadata.tools: the value is not of type 'array' "
        "(CycloneDX 1.4 schema); the input cannot be written as CycloneDX 1.4"
    ]
    assert not out.exists()


def test_unwritable_output_is_a_usage_error(tmp_path: Path) -> None:
    code, _, stderr = _enrich(str(SAMPLE), "-o", str(tmp_path / "missing-dir" / "o.json"))
    assert code == 2
    assert stderr.startswith("sbom-enrich: error: ") and "does not exist" in stderr


def test_usage_error_exit_code() -> None:
    code, _, _ = _enrich(str(SAMPLE), "--format", "yaml")
    assert code == 2


def test_python_dash_m_and_console_script_agree() -> None:
    help_text = subprocess.run(
        [sys.executable, "-m", "sbom_enrich", "--version"], capture_output=True, text=True
    )
    assert help_text.returncode == 0
    assert help_text.stdout.startswith("sbom-enrich, version ")
