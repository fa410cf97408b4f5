"""Hostile answers and records must never turn into "no known vulnerabilities".

Each case starts from a real recording or a real record of the PyPA snapshot and changes the one
thing a hostile SBOM author, a broken mirror or a damaged database would.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import yaml
from conftest import bom_of
from pypi_index import FixtureIndex, project_url
from test_advisories import REQUESTS_74, SNAPSHOT
from test_cli_lookup import invoke, network
from test_trust import component, run

from sbom_enrich.adapters.advisories.database import AdvisoryDatabase
from sbom_enrich.adapters.advisories.osv import advisory_from_osv
from sbom_enrich.adapters.advisories.sources import DatabaseAdvisories, PyPIAdvisories
from sbom_enrich.adapters.http.client import build_client
from sbom_enrich.adapters.pypi.index import PyPIClient
from sbom_enrich.advisories.collect import look_up_advisories
from sbom_enrich.model.advisory import Partial
from sbom_enrich.model.index import NotFound, ReleaseInfo, Unavailable

RELEASE_URL = "https://pypi.org/pypi/requests/2.28.1/json"
SMUGGLED = "https://pypi.org/pypi/requests/2.28.1%2F..%2F..%2Fidna%2F3.4/json"


def smuggling_index() -> FixtureIndex:
    """The recordings, with PyPI's 404 for the percent-encoded version (one path segment)."""
    index = FixtureIndex()
    index.serve_status(SMUGGLED, 404)
    return index


def release_body(index: FixtureIndex) -> dict[str, object]:
    """The release route's shape for requests 2.28.1, from the real project route."""
    project = index.project("requests")
    return {
        "info": {**project["info"], "version": "2.28.1"},
        "urls": project["releases"]["2.28.1"],
        "ownership": project["ownership"],
        "vulnerabilities": [],
    }


def test_a_percent_encoded_version_cannot_reach_another_project() -> None:
    index = smuggling_index()
    with build_client(transport=index.transport(), sleep=lambda s: None) as client:
        answer = PyPIClient(client).release("requests", "2.28.1/../../idna/3.4")
    assert not isinstance(answer, ReleaseInfo)
    assert index.requests, "the client asked nothing"
    assert all("/requests/" in url or url.endswith("/requests/json") for url in index.requests)
    assert "/pypi/idna/" not in " ".join(index.requests)


def test_the_cli_never_calls_a_smuggled_version_clean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    network(monkeypatch, smuggling_index())
    bom = bom_of(
        {
            "type": "library",
            "bom-ref": "x",
            "name": "requests",
            "version": "2.28.1/../../idna/3.4",
            "purl": "pkg:pypi/requests@2.28.1%2F..%2F..%2Fidna%2F3.4",
        }
    )
    sbom = tmp_path / "bom.json"
    sbom.write_text(json.dumps(bom))
    out = tmp_path / "out.json"
    code, _, stderr = invoke("enrich", str(sbom), "-o", str(out))
    assert code == 0, stderr
    props = dict(
        (p["name"], p["value"]) for p in json.loads(out.read_text())["components"][0]["properties"]
    )
    assert props["sbom-enrich:advisories:status"] == "unavailable"


@pytest.mark.parametrize("name", ["../idna", "idna/..", "a b", "", "-x", "x" * 300 + "/"])
def test_an_invalid_project_name_is_never_sent(name: str) -> None:
    index = FixtureIndex()
    with build_client(transport=index.transport(), sleep=lambda s: None) as client:
        pypi = PyPIClient(client)
        answers = [pypi.release(name, "1.0"), pypi.project(name), pypi.simple(name)]
    assert index.requests == []
    assert all(
        isinstance(a, Unavailable) and "not a valid project name" in a.reason for a in answers
    )


@pytest.mark.parametrize("vulnerabilities", ["absent", None])
def test_release_route_without_vulnerabilities_is_unavailable(
    vulnerabilities: str | None,
) -> None:
    index = FixtureIndex()
    body = release_body(index)
    if vulnerabilities == "absent":
        del body["vulnerabilities"]
    else:
        body["vulnerabilities"] = None
    index.serve_json(RELEASE_URL, body)
    facts = run(index, component("requests", "2.28.1")).results[0].facts
    answer = PyPIAdvisories().advisories(facts)
    assert isinstance(answer, Unavailable)


@pytest.mark.parametrize("vulnerabilities", ["absent", None])
def test_project_route_without_vulnerabilities_is_unavailable(
    vulnerabilities: str | None,
) -> None:
    index = FixtureIndex()
    project = index.project("sampleproject")  # 4.0.0 is the latest: the project route decides
    if vulnerabilities == "absent":
        project.pop("vulnerabilities", None)
    else:
        project["vulnerabilities"] = None
    index.serve_json(project_url("sampleproject"), project)
    index.serve_status("https://pypi.org/pypi/sampleproject/4.0.0/json", 404)
    facts = run(index, component("sampleproject", "4.0.0")).results[0].facts
    assert isinstance(PyPIAdvisories().advisories(facts), Unavailable)


def test_an_answer_about_another_project_or_release_is_unavailable() -> None:
    index = FixtureIndex()
    index.serve_json(RELEASE_URL, index.project("idna"))
    with build_client(transport=index.transport(), sleep=lambda s: None) as client:
        pypi = PyPIClient(client)
        assert isinstance(pypi.release("requests", "2.28.1"), Unavailable)
        other = release_body(index)
        other["info"] = {**other["info"], "version": "2.32.0"}  # type: ignore[dict-item]
        index.serve_json(RELEASE_URL, other)
        answer = pypi.release("requests", "2.28.1")
    assert isinstance(answer, Unavailable)
    assert "describes release 2.32.0" in answer.reason


def test_a_redirect_to_another_host_is_unavailable() -> None:
    index = FixtureIndex()
    evil = "https://evil.example/pypi/requests/2.28.1/json"
    index.overrides[RELEASE_URL] = lambda request: httpx.Response(302, headers={"location": evil})
    index.serve_json(evil, release_body(index))
    index.overrides["https://pypi.org/pypi/requests/json"] = lambda request: httpx.Response(
        302, headers={"location": "javascript:alert(1)"}
    )
    with build_client(transport=index.transport(), sleep=lambda s: None) as client:
        answer = PyPIClient(client).release("requests", "2.28.1")
    assert isinstance(answer, Unavailable)
    assert not isinstance(answer, NotFound)


def _database(tmp_path: Path, records: dict[str, object]) -> AdvisoryDatabase:
    root = tmp_path / "db" / "vulns" / "requests"
    root.mkdir(parents=True)
    for identifier, data in records.items():
        (root / f"{identifier}.yaml").write_text(yaml.safe_dump(data))
    return AdvisoryDatabase(tmp_path / "db")


def _ranged(identifier: str, events: object) -> dict[str, object]:
    affected = [{**REQUESTS_74["affected"][0], "ranges": [{"type": "ECOSYSTEM", "events": events}]}]
    return {**REQUESTS_74, "id": identifier, "aliases": [], "affected": affected}


@pytest.mark.parametrize(
    ("events", "problem"),
    [
        ([{"introduced": "not a version"}, {"fixed": "2.31.0"}], "introduced 'not a version'"),
        ("introduced 0", "events is not a list of objects"),
        ([{"introduced": "2.0!!"}, {"fixed": "2.31.0"}], "introduced '2.0!!'"),
    ],
)
def test_an_unreadable_record_makes_the_answer_partial_with_its_id(
    tmp_path: Path, events: object, problem: str
) -> None:
    database = _database(
        tmp_path,
        {"PYSEC-0000-1": _ranged("PYSEC-0000-1", events), "PYSEC-2023-74": REQUESTS_74},
    )
    facts = run(FixtureIndex(), component("requests", "2.32.0")).results[0].facts
    answer = DatabaseAdvisories(database).advisories(facts)
    assert isinstance(answer, Partial)
    assert answer.advisories == ()  # 2.32.0 is past PYSEC-2023-74's fix
    assert len(answer.gaps) == 1
    assert "PYSEC-0000-1" in answer.gaps[0] and problem in answer.gaps[0]
    (entry,) = look_up_advisories(
        [(component("requests", "2.32.0"), facts)], [DatabaseAdvisories(database)]
    )
    assert entry.status == "partial"


def test_a_version_that_is_not_pep_440_is_partial_not_none_known() -> None:
    database = AdvisoryDatabase(SNAPSHOT)
    index = FixtureIndex()
    index.serve_status("https://pypi.org/pypi/requests/1.0.0.junk/json", 404)
    facts = run(index, component("requests", "1.0.0.junk")).results[0].facts
    source = DatabaseAdvisories(database)
    answer = source.advisories(facts)
    assert isinstance(answer, Partial)
    assert "not a PEP 440 version" in answer.gaps[0]
    (entry,) = look_up_advisories([(component("requests", "1.0.0.junk"), facts)], [source])
    assert entry.status != "none-known"


def test_wrong_schema_parts_of_a_record_are_left_out_not_crashed_on() -> None:
    broken = {
        **REQUESTS_74,
        "aliases": "CVE-2023-32681",
        "severity": "HIGH",
        "references": ["https://example.org"],
        "database_specific": ["x"],
        "affected": [*REQUESTS_74["affected"], "not an object"],
    }
    advisory = advisory_from_osv(broken, "requests", "db")
    assert advisory.aliases == frozenset()
    assert advisory.ratings == ()
    assert advisory.fixed_in == ("2.31.0",)


def test_githubs_moderate_label_is_medium() -> None:
    record = {
        **REQUESTS_74,
        "severity": [],
        "database_specific": {"severity": "MODERATE"},
    }
    (rating,) = advisory_from_osv(record, "requests", "db").ratings
    assert rating.severity == "medium"


def _zip_database(tmp_path: Path, members: dict[str, bytes], **kw: object) -> Path:
    import zipfile

    path = tmp_path / "db.zip"
    with zipfile.ZipFile(path, "w", **kw) as archive:  # type: ignore[arg-type]
        archive.writestr("vulns/requests/PYSEC-2023-74.yaml", yaml.safe_dump(REQUESTS_74))
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_a_yaml_alias_bomb_is_a_skipped_record_not_gigabytes(tmp_path: Path) -> None:
    lines = ["id: PYSEC-0000-bomb", "a: &a [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 10):
        previous = chr(ord("a") + level - 1)
        lines.append(
            f"{chr(ord('a') + level)}: &{chr(ord('a') + level)} ["
            + ", ".join([f"*{previous}"] * 9)
            + "]"
        )
    bomb = ("\n".join(lines) + "\n").encode()
    assert len(bomb) < 700
    database = AdvisoryDatabase(_zip_database(tmp_path, {"vulns/requests/BOMB.yaml": bomb}))
    assert database.summary.records == 1 and database.summary.skipped == 1
    assert "aliases are not allowed" in (database.summary.first_skip or "")


def test_an_oversized_or_unreadable_zip_member_is_skipped_and_counted(tmp_path: Path) -> None:
    import zipfile

    huge = b"id: PYSEC-0000-huge\ndetails: '" + b"x" * (5 * 1024 * 1024) + b"'\n"
    path = _zip_database(
        tmp_path, {"vulns/requests/HUGE.yaml": huge}, compression=zipfile.ZIP_DEFLATED
    )
    database = AdvisoryDatabase(path)
    assert database.summary.skipped == 1 and "larger than" in (database.summary.first_skip or "")
    small = yaml.safe_dump({**REQUESTS_74, "id": "PYSEC-0000-small"}).encode()
    path = _zip_database(
        tmp_path, {"vulns/requests/SMALL.yaml": small}, compression=zipfile.ZIP_DEFLATED
    )
    raw = bytearray(path.read_bytes())  # corrupt the deflate stream of the small member
    start = raw.index(b"vulns/requests/SMALL.yaml") + len("vulns/requests/SMALL.yaml") + 8
    raw[start : start + 64] = b"\xff" * 64
    corrupt = tmp_path / "corrupt.zip"
    corrupt.write_bytes(bytes(raw))
    summary = AdvisoryDatabase(corrupt).summary
    assert (summary.records, summary.skipped) == (1, 1)
    assert "cannot be read from the zip" in (summary.first_skip or "")


def test_wrong_schema_records_in_a_database_are_skipped_and_counted(tmp_path: Path) -> None:
    broken = {
        "PYSEC-0000-a": {"id": "PYSEC-0000-a", "affected": "requests"},
        "PYSEC-0000-b": {"id": "PYSEC-0000-b", "affected": [{"package": "requests"}]},
        "PYSEC-0000-c": {"id": "PYSEC-0000-c", "affected": [{"package": {"name": 5}}]},
        "PYSEC-0000-d": {"id": 7},
        "PYSEC-0000-e": ["not", "an", "object"],
        "PYSEC-0000-f": {"id": "PYSEC-0000-f", "aliases": 3, "affected": None},
        "PYSEC-0000-g": {"id": "PYSEC-0000-g", "severity": "HIGH", "references": "x"},
        "PYSEC-0000-h": {"id": "PYSEC-0000-h", "database_specific": [1]},
        "PYSEC-2023-74": REQUESTS_74,
    }
    database = _database(tmp_path, broken)  # type: ignore[arg-type]
    assert database.summary.records + database.summary.skipped == len(broken)
    assert [a.id for a in database.advisories("requests", "2.28.1")] == ["PYSEC-2023-74"]


def test_a_wheel_with_a_corrupt_member_is_unreadable_not_a_crash(tmp_path: Path) -> None:
    import io
    import zipfile

    from sbom_enrich.adapters.pypi.distributions import UnreadableDistribution, read_sources

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("pkg/__init__.py", "def f():\n    return 1\n" * 200)
        archive.writestr("pkg/data.bin", bytes(range(256)) * 8000)  # hashed in chunks, dropped
    good = buffer.getvalue()
    sources = read_sources("pkg-1.0-py3-none-any.whl", good)
    assert list(sources.modules) == ["pkg"] and "pkg/data.bin" in sources.other_files
    raw = bytearray(good)
    start = raw.index(b"pkg/__init__.py") + len("pkg/__init__.py") + 4
    raw[start : start + 32] = b"\xff" * 32
    with pytest.raises(UnreadableDistribution, match="cannot be read"):
        read_sources("pkg-1.0-py3-none-any.whl", bytes(raw))


def test_an_index_answer_nested_too_deeply_is_unavailable() -> None:
    index = FixtureIndex()
    deep = b'{"info": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    index.overrides[project_url("requests")] = lambda request: httpx.Response(
        200, headers={"content-type": "application/json"}, content=deep
    )
    with build_client(transport=index.transport(), sleep=lambda s: None) as client:
        answer = PyPIClient(client).project("requests")
    assert isinstance(answer, Unavailable) and "invalid JSON" in answer.reason


def test_a_redirect_to_https_on_the_same_host_is_followed() -> None:
    index = FixtureIndex()
    plain = "http://pypi.org/pypi/idna/json"
    index.overrides[plain] = lambda request: httpx.Response(
        301, headers={"location": project_url("idna")}
    )
    with build_client(transport=index.transport(), sleep=lambda s: None) as client:
        answer = PyPIClient(client, "http://pypi.org/simple/").project("idna")
    assert not isinstance(answer, Unavailable), answer
