"""Bad input: exit code 3, one line naming the problem, no traceback, no output file."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES

from sbom_enrich.cli import cli

BAD = FIXTURES / "bad"

# file name -> text the one error line must contain
CASES: dict[str, str] = {
    "not-json.txt": "neither JSON nor XML",
    "truncated.json": "not valid JSON: ",
    "json-array.json": "the top level is a JSON list",
    "not-a-bom.json": "no 'bomFormat' key",
    "wrong-bomformat.json": "$.bomFormat: not a CycloneDX BOM: bomFormat is 'SPDX'",
    "unsupported-spec-1.1.json": "unsupported CycloneDX spec version '1.1'",
    "unsupported-spec-2.0.json": "unsupported CycloneDX spec version '2.0'",
    "spec-version-number.json": "specVersion must be a string",
    "schema-missing-name.json": "$.components[0]: 'name' is a required property",
    "schema-bad-enum.json": "$.components[0].type: 'banana' is not one of",
    "schema-wrong-type.json": "$.version: 'one' is not of type 'integer'",
    "duplicate-bom-ref.json": "$.components[1].components[0]: bom-ref 'same' is already used at "
    "$.components[0]",
    "xml-external-entity.xml": "XML declares a DTD or entities",
    "xml-billion-laughs.xml": "XML declares a DTD or entities",
    "xml-not-well-formed.xml": "not well-formed XML at line 5",
    "xml-not-a-bom.xml": "the XML root element is 'project'",
    "xml-schema-violation.xml": "line 4:",
    "empty.json": "file is empty",
    "whitespace-only.json": "file is empty",
    "latin-1-encoded.json": "not valid UTF-8 at byte",
    "utf-16-encoded.json": "encoded as UTF-16",
    "utf-16-no-bom.json": "looks like UTF-16",
    "duplicate-json-keys.json": "duplicate key 'version'",
    "nan-value.json": "NaN is not a JSON value",
    "deeply-nested.json": "nested too deeply",
}


def _run(tmp_path: Path, input_path: Path | str) -> tuple[int, str, Path]:
    output = tmp_path / "out" / "enriched.json"
    output.parent.mkdir()
    result = CliRunner().invoke(cli, ["enrich", str(input_path), "-o", str(output), "--offline"])
    return result.exit_code, result.stderr, output


def _assert_clean_failure(code: int, stderr: str, output: Path, expected: str) -> None:
    lines = stderr.splitlines()
    assert code == 3, stderr
    assert len(lines) == 1, stderr
    assert lines[0].startswith("sbom-enrich: error: "), stderr
    assert expected in lines[0], stderr
    assert "Traceback" not in stderr
    assert not output.exists()
    assert list(output.parent.iterdir()) == []  # no temporary file left behind either


def test_corpus_is_complete() -> None:
    assert sorted(p.name for p in BAD.iterdir() if p.name != "README.md") == sorted(CASES)


@pytest.mark.parametrize(("name", "expected"), sorted(CASES.items()))
def test_bad_input_fails_cleanly(tmp_path: Path, name: str, expected: str) -> None:
    code, stderr, output = _run(tmp_path, BAD / name)
    _assert_clean_failure(code, stderr, output, expected)
    assert str(BAD / name) in stderr  # the line names the file


def test_missing_file(tmp_path: Path) -> None:
    code, stderr, output = _run(tmp_path, tmp_path / "nope.json")
    _assert_clean_failure(code, stderr, output, "no such file")


def test_directory_as_input(tmp_path: Path) -> None:
    code, stderr, output = _run(tmp_path, BAD)
    _assert_clean_failure(code, stderr, output, "is a directory")


def test_binary_garbage(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(bytes(random.Random(1234).randrange(256) for _ in range(65536)))
    code, stderr, output = _run(tmp_path, garbage)
    _assert_clean_failure(code, stderr, output, "neither JSON nor XML")


@pytest.mark.parametrize(
    ("first", "expected"), [(b"A", "neither JSON nor XML"), (b"{", "not valid JSON")]
)
def test_200_megabyte_non_json_fails_cleanly(tmp_path: Path, first: bytes, expected: str) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as handle:
        handle.write(first)
        chunk = b"not json at all " * 65536  # 1 MiB
        for _ in range(200):
            handle.write(chunk)
    code, stderr, output = _run(tmp_path, big)  # how fast: bench/hostile.py, not a test
    _assert_clean_failure(code, stderr, output, expected)


def test_existing_output_is_left_intact_on_failure(tmp_path: Path) -> None:
    output = tmp_path / "enriched.json"
    output.write_text("previous run")
    result = CliRunner().invoke(
        cli, ["enrich", str(BAD / "truncated.json"), "-o", str(output), "--offline"]
    )
    assert result.exit_code == 3
    assert output.read_text() == "previous run"
