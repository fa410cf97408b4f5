"""Hostile SBOMs built in the test: each is exit 3 with one line, never an internal error (70)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import SAMPLE_SBOMS, bom_of
from test_bad_input import _assert_clean_failure, _run

from sbom_enrich.cli import cli

BASE = bom_of(
    {
        "type": "library",
        "bom-ref": "a",
        "name": "idna",
        "version": "3.4",
        "purl": "pkg:pypi/idna@3.4",
    }
)


def _enrich_sample(*args: str) -> Result:
    """``sbom-enrich enrich`` on the real 1.6 sample SBOM with ``args``."""
    return CliRunner().invoke(
        cli, ["enrich", str(SAMPLE_SBOMS / "linkcheck.env.cdx-1.6.json"), *args]
    )


def _nested(depth: int) -> dict[str, object]:
    top: dict[str, object] = {"type": "library", "name": "x", "bom-ref": "n0"}
    current = top
    for level in range(1, depth):
        child: dict[str, object] = {"type": "library", "name": "x", "bom-ref": f"n{level}"}
        current["components"] = [child]
        current = child
    return {**BASE, "components": [top]}


def _xml_nested(depth: int) -> str:
    opening = '<component type="library"><name>x</name><components>' * depth
    closing = "</components></component>" * depth
    return (
        '<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1">'
        f"<components>{opening}{closing}</components></bom>"
    )


HOSTILE = {
    "a 5,001-digit number": (
        json.dumps(BASE)[:-1] + ', "x": ' + "9" * 5001 + "}",
        "a number has more digits than can be read",
    ),
    "a lone surrogate": (
        json.dumps(BASE).replace('"idna"', '"id\\ud800na"', 1),
        "half a surrogate pair",
    ),
    "components nested 400 deep": (json.dumps(_nested(400)), "nested too deeply"),
    "XML nested past 2,048": (_xml_nested(2100), "XML the schema validator refuses"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_sboms_are_bad_input(tmp_path: Path, case: str) -> None:
    text, expected = HOSTILE[case]
    path = tmp_path / ("in.xml" if text.startswith("<?xml") else "in.json")
    path.write_text(text)
    code, stderr, output = _run(tmp_path, path)
    _assert_clean_failure(code, stderr, output, expected)


def test_a_hostile_baseline_or_vex_is_bad_input_too(tmp_path: Path) -> None:
    nested = tmp_path / "nested.json"
    nested.write_text(json.dumps(_nested(400)))
    for option in ("--baseline", "--vex"):
        result = _enrich_sample("--offline", option, str(nested), "-o", str(tmp_path / "o.json"))
        assert result.exit_code == 3, result.stderr
        assert "nested too deeply" in result.stderr and "Traceback" not in result.stderr
        assert not (tmp_path / "o.json").exists()


def test_components_nested_200_deep_are_read(tmp_path: Path) -> None:
    """The supported depth (docs/cli.md): real SBOMs nest a few levels."""
    path = tmp_path / "in.json"
    path.write_text(json.dumps(_nested(200)))
    output = tmp_path / "o.json"
    result = CliRunner().invoke(cli, ["enrich", str(path), "--offline", "-o", str(output)])
    assert result.exit_code == 0, result.stderr
    assert json.loads(output.read_text())["bomFormat"] == "CycloneDX"


def _first_run(tmp_path: Path) -> Path:
    from conftest import SAMPLE_RECORDING

    state = tmp_path / "state.sqlite"
    result = _enrich_sample(
        "--replay", str(SAMPLE_RECORDING), "--state", str(state), "-o", str(tmp_path / "first.json")
    )
    assert result.exit_code == 0, result.stderr
    return state


@pytest.mark.parametrize("damage", ["dropped table", "corrupt pages"])
def test_a_damaged_state_store_is_bad_input_not_an_internal_error(
    tmp_path: Path, damage: str
) -> None:
    import sqlite3

    state = _first_run(tmp_path)
    if damage == "dropped table":
        with sqlite3.connect(state) as connection:
            connection.execute("DROP TABLE project_role")
    else:
        with state.open("r+b") as stream:
            stream.seek(4096 * 3)
            stream.write(b"\xde\xad" * 2048)
    result = _enrich_sample("--offline", "--state", str(state), "-o", str(tmp_path / "o.json"))
    assert result.exit_code == 3, result.stderr
    assert "the state store is damaged" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "content", ['{"status": "x"', "[1, 2]", '{"status": "two hundred"}', '{"headers": 5}']
)
def test_a_malformed_recording_is_bad_input(tmp_path: Path, content: str) -> None:
    import shutil

    from conftest import SAMPLE_RECORDING

    recording = tmp_path / "rec"
    shutil.copytree(SAMPLE_RECORDING, recording)
    for path in recording.glob("GET-pypi.org_pypi_idna_json-*"):
        path.write_text(content)
    result = _enrich_sample("--replay", str(recording), "-o", str(tmp_path / "o.json"))
    assert result.exit_code == 3, result.stderr
    assert "not a recorded response" in result.stderr
    assert not (tmp_path / "o.json").exists()
