"""enrich, record, replay and verify through the CLI, with recorded PyPI responses as network."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from conftest import refuse_network
from pypi_index import FixtureIndex
from test_trust import SAMPLE_SDIST

from sbom_enrich.cli import cli

BOM = {
    "bomFormat": "CycloneDX",
    "specVersion": "1.6",
    "version": 1,
    "components": [
        {
            "type": "library",
            "bom-ref": "idna",
            "name": "idna",
            "version": "3.4",
            "purl": "pkg:pypi/idna@3.4",
        },
        {
            "type": "library",
            "bom-ref": "requests",
            "name": "requests",
            "version": "2.32.0",
            "purl": "pkg:pypi/requests@2.32.0",
        },
    ],
}


@pytest.fixture
def sbom(tmp_path: Path) -> Path:
    path = tmp_path / "bom.json"
    path.write_text(json.dumps(BOM))
    return path


def network(monkeypatch: pytest.MonkeyPatch, index: FixtureIndex) -> None:
    """Make the 'network' the recorded index (the test suite never reaches the real one)."""
    handler = index.transport()

    def handle(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        return handler.handle_request(request)

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", handle)


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def properties(path: Path) -> list[list[tuple[str, str]]]:
    tree = json.loads(path.read_text())
    return [[(p["name"], p["value"]) for p in c["properties"]] for c in tree["components"]]


def test_record_then_replay_gives_the_live_result(
    sbom: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    network(monkeypatch, FixtureIndex())
    live = tmp_path / "live.json"
    assert invoke("enrich", str(sbom), "-o", str(live), "--state", str(tmp_path / "a"))[0] == 0
    code, _, stderr = invoke("record", str(sbom), "-o", str(tmp_path / "rec"))
    assert code == 0, stderr
    assert stderr.strip() == "Recorded 6 responses in " + str(tmp_path / "rec")
    refuse_network(monkeypatch)  # no network from here on
    replayed = tmp_path / "replayed.json"
    code, _, stderr = invoke(
        "enrich",
        str(sbom),
        "-o",
        str(replayed),
        "--replay",
        str(tmp_path / "rec"),
        "--state",
        str(tmp_path / "b"),
    )
    assert code == 0, stderr
    assert properties(replayed) == properties(live)
    assert (
        "sbom-enrich:signal:release-yanked",
        "high: 2.32.0 was yanked: Yanked due to conflicts with CVE-2024-35195 mitigation",
    ) in properties(replayed)[1]
    assert "1 high" in stderr and "release-yanked" in stderr


def test_a_second_run_within_minutes_asks_nothing_unless_refresh(
    sbom: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[list[str]] = []
    handler = FixtureIndex().transport()

    def handle(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        asked[-1].append(str(request.url))
        return handler.handle_request(request)

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", handle)
    state = str(tmp_path / "state.sqlite")
    outputs = []
    for run, extra in enumerate(((), (), ("--refresh",))):
        asked.append([])
        out = tmp_path / f"run{run}.json"
        code, _, stderr = invoke("enrich", str(sbom), "-o", str(out), "--state", state, *extra)
        assert code == 0, stderr
        outputs.append(properties(out))
    first, second, refreshed = asked
    assert first and not second  # the recorded index sends no cache headers
    # every JSON page again (which Simple page is asked depends on which lookup answers first)
    assert {url for url in first if "/pypi/" in url} <= set(refreshed)
    assert outputs[0] == outputs[1] == outputs[2]


def test_refresh_is_refused_with_offline_or_replay(sbom: Path, tmp_path: Path) -> None:
    code, _, stderr = invoke("enrich", str(sbom), "--offline", "--refresh")
    assert code == 2 and "--refresh asks the index" in stderr


def test_replay_miss_names_the_request_and_writes_nothing(sbom: Path, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    out = tmp_path / "out.json"
    code, _, stderr = invoke(
        "enrich", str(sbom), "-o", str(out), "--replay", str(tmp_path / "empty")
    )
    assert code == 3
    assert stderr.startswith("sbom-enrich: error: ") and "no recorded response for GET" in stderr
    assert len(stderr.splitlines()) == 1
    assert not out.exists()


def test_strict_turns_failed_lookups_into_exit_4(sbom: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    code, _, stderr = invoke("enrich", str(sbom), "-o", str(out), "--offline", "--strict")
    assert code == 4
    assert "2 of 2 components could not be looked up (--strict)" in stderr
    assert not out.exists()
    code, _, stderr = invoke("enrich", str(sbom), "-o", str(out), "--offline")
    assert code == 0 and "2 unavailable (lookup failed)" in stderr
    assert ("sbom-enrich:maintainers", "unavailable") in properties(out)[0]


def test_verify_release(monkeypatch: pytest.MonkeyPatch) -> None:
    index = FixtureIndex()
    index.only_files("sampleproject", "4.0.0", {SAMPLE_SDIST})
    index.with_provenance(
        "sampleproject", {SAMPLE_SDIST: "sampleproject-4.0.0.tar.gz.provenance.json"}
    )
    network(monkeypatch, index)
    code, stdout, _ = invoke("verify", "sampleproject==4.0.0", "-v")
    assert code == 0
    assert stdout.splitlines()[0] == (
        "sampleproject==4.0.0: verified by GitHub pypa/sampleproject release.yml"
    )


def test_verify_release_without_provenance_exits_1(monkeypatch: pytest.MonkeyPatch) -> None:
    network(monkeypatch, FixtureIndex())
    code, stdout, _ = invoke("verify", "requests==2.28.1")
    assert code == 1
    assert stdout == (
        "requests==2.28.1: unavailable: index does not serve provenance (Simple API 1.1 < 1.3)\n"
    )


def test_verify_local_file_with_other_bytes_than_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    network(monkeypatch, FixtureIndex())
    vendor = tmp_path / SAMPLE_SDIST
    vendor.write_bytes(b"not what PyPI serves")
    code, stdout, _ = invoke("verify", str(vendor))
    assert code == 1
    assert "invalid: sha256" in stdout and "differs from the index's" in stdout


def test_verify_rejects_a_name_that_is_no_distribution(tmp_path: Path) -> None:
    code, _, stderr = invoke("verify", str(tmp_path / "notes.txt"), "--offline")
    assert code == 3 and "not a wheel or sdist file name" in stderr
