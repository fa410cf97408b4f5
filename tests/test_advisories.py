"""Advisories: OSV matching, the offline database, PyPI's source, merging, fixes, triage, output."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES
from pypi_index import FixtureIndex
from test_trust import component, run

from sbom_enrich.adapters.advisories.database import AdvisoryDatabase, AdvisoryDatabaseError
from sbom_enrich.adapters.advisories.osv import advisory_from_osv, normalize_record
from sbom_enrich.adapters.advisories.sources import PyPIAdvisories
from sbom_enrich.adapters.store.state import StateStore
from sbom_enrich.advisories.collect import advise_fix, look_up_advisories, merge_advisories
from sbom_enrich.advisories.suppressions import load_ignores
from sbom_enrich.advisories.triage import triage, vex_statements
from sbom_enrich.errors import ConfigError
from sbom_enrich.model.advisory import Advisory
from sbom_enrich.model.affected import is_affected
from sbom_enrich.model.index import Unavailable

SNAPSHOT = FIXTURES / "advisories" / "pypa-advisory-database-3ccb612.zip"


def record(project: str, identifier: str) -> dict[str, Any]:
    """A real record of the PyPA snapshot, as plain JSON."""
    with zipfile.ZipFile(SNAPSHOT) as archive:
        raw = archive.read(f"vulns/{project}/{identifier}.yaml")
    return normalize_record(yaml.safe_load(raw))


REQUESTS_74 = record("requests", "PYSEC-2023-74")  # introduced 2.3.0, fixed 2.31.0
URLLIB3_192 = record("urllib3", "PYSEC-2023-192")  # two branches: fixed 1.26.17 and 2.0.6


@pytest.mark.parametrize(
    ("version", "affected"),
    [("2.28.1", True), ("2.3.0", True), ("2.2.1", False), ("2.31.0", False), ("2.31.0rc1", True)],
)
def test_ecosystem_range_introduced_fixed(version: str, affected: bool) -> None:
    assert is_affected(REQUESTS_74, "requests", version) is affected


@pytest.mark.parametrize(
    ("version", "affected"),
    [("1.26.12", True), ("1.26.17", False), ("2.0.5", True), ("2.0.6", False), ("2.1.0", False)],
)
def test_two_branches_in_one_range(version: str, affected: bool) -> None:
    assert is_affected(URLLIB3_192, "urllib3", version) is affected


def test_versions_list_compares_by_pep_440() -> None:
    only_versions = dict(URLLIB3_192)  # derived: the explicit versions list alone
    only_versions["affected"] = [
        {**URLLIB3_192["affected"][0], "ranges": []},
    ]
    assert "1.0" in only_versions["affected"][0]["versions"]
    assert is_affected(only_versions, "urllib3", "1.0.0")  # 1.0 == 1.0.0
    assert not is_affected(only_versions, "urllib3", "1.26.17")


def test_last_affected_is_inclusive() -> None:
    derived = json.loads(json.dumps(REQUESTS_74))
    for entry in derived["affected"][0]["ranges"]:
        if entry["type"] == "ECOSYSTEM":
            entry["events"] = [{"introduced": "2.3.0"}, {"last_affected": "2.30.0"}]
    derived["affected"][0]["versions"] = []
    assert is_affected(derived, "requests", "2.30.0")
    assert not is_affected(derived, "requests", "2.30.1")


def test_withdrawn_records_never_match_and_names_are_normalized() -> None:
    assert is_affected(REQUESTS_74, "Requests", "2.28.1")
    withdrawn = {**REQUESTS_74, "withdrawn": "2024-01-01T00:00:00Z"}
    assert not is_affected(withdrawn, "requests", "2.28.1")


def test_cvss_vector_is_scored_by_the_library() -> None:
    advisory = advisory_from_osv(URLLIB3_192, "urllib3", "db")
    assert URLLIB3_192["severity"][0]["type"] == "CVSS_V3"
    rating = advisory.ratings[0]
    assert rating.vector == URLLIB3_192["severity"][0]["score"]
    assert rating.score is not None and rating.severity in {"critical", "high", "medium", "low"}
    assert advisory.fixed_in == ("1.26.17", "2.0.6")
    assert advisory_from_osv(REQUESTS_74, "requests", "db").ratings == ()  # unknown, not guessed


def osv_json_zip(path: Path, records: list[dict[str, Any]]) -> Path:
    """An OSV-export-shaped zip (one ``<ID>.json`` per record) built from real records."""
    with zipfile.ZipFile(path, "w") as archive:
        for entry in records:
            archive.writestr(f"{entry['id']}.json", json.dumps(entry))
    return path


def test_database_from_the_pypa_zip_osv_zip_and_directory(tmp_path: Path) -> None:
    pypa = AdvisoryDatabase(SNAPSHOT)
    assert pypa.summary.records == 2661
    assert [a.id for a in pypa.advisories("requests", "2.28.1")] == ["PYSEC-2023-74"]
    osv = AdvisoryDatabase(osv_json_zip(tmp_path / "all.zip", [REQUESTS_74, URLLIB3_192]))
    assert [a.id for a in osv.advisories("urllib3", "1.26.12")] == ["PYSEC-2023-192"]
    folder = tmp_path / "db" / "vulns" / "requests"
    folder.mkdir(parents=True)
    (folder / "PYSEC-2023-74.yaml").write_text(yaml.safe_dump(REQUESTS_74))
    (folder / "broken.yaml").write_text("id: [unclosed")
    directory = AdvisoryDatabase(tmp_path / "db")
    assert directory.summary.skipped == 1 and "broken.yaml" in (directory.summary.first_skip or "")
    assert [a.id for a in directory.advisories("requests", "2.30.0")] == ["PYSEC-2023-74"]


def test_database_without_records_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("nothing")
    with pytest.raises(AdvisoryDatabaseError, match="no OSV records found"):
        AdvisoryDatabase(tmp_path)
    (tmp_path / "fake.zip").write_bytes(b"not a zip")
    with pytest.raises(AdvisoryDatabaseError, match="not a zip file"):
        AdvisoryDatabase(tmp_path / "fake.zip")


def test_index_is_built_once_and_kept_in_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with StateStore(tmp_path / "state.sqlite") as store:
        AdvisoryDatabase(SNAPSHOT, store)
    import sbom_enrich.adapters.advisories.database as module

    def refuse(path: Path) -> None:
        raise AssertionError("the database was read again")

    monkeypatch.setattr(module, "_build", refuse)
    with StateStore(tmp_path / "state.sqlite") as store:
        again = AdvisoryDatabase(SNAPSHOT, store)
        assert [a.id for a in again.advisories("urllib3", "1.26.12")] == [
            "PYSEC-2023-192",
            "PYSEC-2023-212",
        ]


def pypi_entry(source: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """PyPI's ``vulnerabilities`` shape, derived from a PyPA record (PyPI serves this data)."""
    entry = {
        "aliases": source["aliases"],
        "details": source["details"],
        "fixed_in": ["2.31.0"],
        "id": source["id"],
        "link": f"https://osv.dev/vulnerability/{source['id']}",
        "source": "osv",
        "summary": None,
        "withdrawn": None,
    }
    entry.update(changes)
    return entry


def test_pypi_source_is_unavailable_when_only_the_project_route_answers() -> None:
    result = run(FixtureIndex(), component("requests", "2.28.1")).results[0]
    answer = PyPIAdvisories().advisories(result.facts)
    assert isinstance(answer, Unavailable)
    assert (
        "project route lists vulnerabilities of the latest release (2.34.2) only" in answer.reason
    )


def test_pypi_source_answers_for_the_latest_release_from_the_project_route() -> None:
    result = run(FixtureIndex(), component("sampleproject", "4.0.0")).results[0]
    assert PyPIAdvisories().advisories(result.facts) == ()


def test_pypi_source_reads_the_release_route_and_drops_withdrawn() -> None:
    index = FixtureIndex()
    project = index.project("requests")
    release = {  # derived: the release route's shape, from the real project route
        "info": {**project["info"], "version": "2.28.1"},
        "urls": project["releases"]["2.28.1"],
        "ownership": project["ownership"],
        "vulnerabilities": [
            pypi_entry(REQUESTS_74),
            pypi_entry(REQUESTS_74, id="PYSEC-0000-withdrawn", withdrawn="2024-01-01T00:00:00Z"),
        ],
    }
    index.serve_json("https://pypi.org/pypi/requests/2.28.1/json", release)
    result = run(index, component("requests", "2.28.1")).results[0]
    answer = PyPIAdvisories().advisories(result.facts)
    assert not isinstance(answer, Unavailable)
    assert [a.id for a in answer] == ["PYSEC-2023-74"]
    assert answer[0].fixed_in == ("2.31.0",)


def test_aliases_merge_sources_into_one_finding() -> None:
    from_pypi = Advisory("PYSEC-2023-74", frozenset(REQUESTS_74["aliases"]), "pypi")
    ghsa = next(a for a in REQUESTS_74["aliases"] if a.startswith("GHSA-"))
    as_ghsa = {**REQUESTS_74, "id": ghsa, "aliases": ["CVE-2023-32681", "PYSEC-2023-74"]}
    from_db = advisory_from_osv(as_ghsa, "requests", "osv-db:all.zip")
    other = advisory_from_osv(URLLIB3_192, "urllib3", "osv-db:all.zip")
    merged = merge_advisories([from_pypi, from_db, other])
    assert [m.id for m in merged] == ["PYSEC-2023-192", "PYSEC-2023-74"]
    assert merged[1].sources == ("osv-db:all.zip", "pypi")
    assert merged[1].aliases == {"CVE-2023-32681", ghsa}


def test_malicious_package_record_is_its_own_kind() -> None:
    malicious = {  # constructed in the shape of OSV's MAL- records (none are stored here)
        "id": "MAL-2024-0001",
        "summary": "Malicious code in idna (PyPI)",
        "affected": [{"package": {"ecosystem": "PyPI", "name": "idna"}, "versions": ["3.4"]}],
        "database_specific": {"malicious-packages-origins": [{"source": "example"}]},
    }
    merged = merge_advisories([advisory_from_osv(malicious, "idna", "db")])[0]
    assert merged.malicious and merged.severity == "critical"
    facts = run(FixtureIndex(), component("idna", "3.4")).results[0].facts
    assert advise_fix(facts, merged).note == "malicious package: remove it"


def test_fix_skips_yanked_releases_and_says_when_there_is_none() -> None:
    facts = run(FixtureIndex(), component("requests", "2.28.1")).results[0].facts
    fixed_by_yanked = merge_advisories([Advisory("X-1", frozenset(), "db", fixed_in=("2.32.0",))])[
        0
    ]
    fix = advise_fix(facts, fixed_by_yanked)  # 2.32.0 and 2.32.1 were yanked
    assert fix.version == "2.32.2" and "2.32.0 was yanked" in fix.note
    unfixed = merge_advisories([Advisory("X-2", frozenset(), "db")])[0]
    assert advise_fix(facts, unfixed).note == "no fix released"
    normal = merge_advisories([advisory_from_osv(REQUESTS_74, "requests", "db")])[0]
    assert advise_fix(facts, normal).version == "2.31.0"


CONFIG = """
[[tool.sbom-enrich.ignore]]
id = "CVE-2023-32681"
package = "requests"
versions = "<2.31"
reason = "we never send proxy credentials"

[[tool.sbom-enrich.ignore]]
id = "PYSEC-2023-192"
reason = "deferred"
until = 2020-01-01

[[tool.sbom-enrich.ignore]]
id = "PYSEC-2023-212"
package = "not-urllib3"
reason = "scoped to another project"
"""


def advisories_for(*pins: tuple[str, str]) -> tuple[Any, ...]:
    results = run(FixtureIndex(), *(component(n, v) for n, v in pins)).results
    database = AdvisoryDatabase(SNAPSHOT)
    from sbom_enrich.adapters.advisories.sources import DatabaseAdvisories

    return look_up_advisories(
        [(r.component, r.facts) for r in results], [PyPIAdvisories(), DatabaseAdvisories(database)]
    )


def test_suppressions_scope_and_expiry(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(CONFIG)
    ignores = load_ignores(tmp_path / "pyproject.toml")
    components = advisories_for(("requests", "2.28.1"), ("urllib3", "1.26.12"))
    assert components[0].status == "affected"
    assert [a.unavailable is not None for a in components[0].answers] == [True, False]
    result = triage(components, ignores, today=date(2026, 11, 25))
    by_id = {f.advisory.id: f for f in result.findings}
    assert by_id["PYSEC-2023-74"].suppressed  # matched by its CVE alias, in scope
    assert by_id["PYSEC-2023-74"].analysis is not None
    assert "proxy credentials" in (by_id["PYSEC-2023-74"].analysis.detail or "")
    assert not by_id["PYSEC-2023-192"].suppressed  # expired
    assert [rule.id for rule in result.expired] == ["PYSEC-2023-192"]
    assert not by_id["PYSEC-2023-212"].suppressed  # other package
    assert [rule.id for rule in result.unused] == ["PYSEC-2023-212"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[ignore]]\nid = "X"\n', "ignore[0]: 'reason' is required"),
        ('[[ignore]]\nid = "X"\nreason = "r"\nversions = "=>1"\n', "not a PEP 440 specifier"),
        ('[[ignore]]\nid = "X"\nreason = "r"\nuntil = "soon"\n', "'until' must be a date"),
        ('[[ignore]]\nid = "X"\nreason = "r"\nstate = "fine"\n', "'state' must be one of"),
        ('[[ignore]]\nid = "X"\nreason = "r"\nwhy = 1\n', "unknown key 'why'"),
        ("[[ignore]\n", "not valid TOML"),
    ],
)
def test_invalid_ignores_are_named(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / ".sbom-enrich.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace("[", r"\[")):
        load_ignores(path)


def test_vex_input_suppresses_or_annotates(tmp_path: Path) -> None:
    components = advisories_for(("requests", "2.28.1"), ("urllib3", "1.26.12"))
    vex = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "vulnerabilities": [
            {
                "id": "CVE-2023-32681",
                "analysis": {"state": "not_affected", "justification": "code_not_reachable"},
                "affects": [
                    {"ref": "urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#requests==2.28.1"}
                ],
            },
            {
                "id": "PYSEC-2023-192",
                "analysis": {"state": "in_triage", "detail": "checking redirects"},
                "affects": [{"ref": "urllib3==1.26.12"}],
            },
            {
                "id": "PYSEC-2023-212",
                "analysis": {"state": "not_affected"},
                "affects": [{"ref": "some-other-component"}],
            },
        ],
    }
    result = triage(components, (), vex_statements(vex, "vex.json"), today=date(2026, 11, 25))
    by_id = {f.advisory.id: f for f in result.findings}
    assert by_id["PYSEC-2023-74"].suppressed
    assert by_id["PYSEC-2023-74"].analysis is not None
    assert by_id["PYSEC-2023-74"].analysis.justification == "code_not_reachable"
    triaged = by_id["PYSEC-2023-192"]
    assert not triaged.suppressed and triaged.analysis is not None
    assert triaged.analysis.state == "in_triage"
    assert by_id["PYSEC-2023-212"].analysis is None
