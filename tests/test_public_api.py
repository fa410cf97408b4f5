"""The library's public surface: a sorted __all__ whose names all exist, and py.typed."""

from __future__ import annotations

import json
import types
from pathlib import Path

import pytest
from conftest import REPO, bom_of
from pypi_index import FixtureIndex

import sbom_enrich
from sbom_enrich.adapters.http.client import build_client
from sbom_enrich.adapters.pypi.facts import PyPIFactSource
from sbom_enrich.adapters.pypi.index import PyPIClient
from sbom_enrich.adapters.store.state import StateStore
from sbom_enrich.model.advisory import Advisory
from sbom_enrich.model.facts import PackageFacts


def test_all_is_sorted_and_complete() -> None:
    assert sbom_enrich.__all__ == sorted(sbom_enrich.__all__)
    for name in sbom_enrich.__all__:
        assert hasattr(sbom_enrich, name), name
    public = {
        name
        for name, value in vars(sbom_enrich).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert public <= set(sbom_enrich.__all__)


def test_errors_have_exit_codes_and_docstring_tree() -> None:
    from sbom_enrich import errors

    for name in errors.__all__:
        cls = getattr(errors, name)
        assert issubclass(cls, sbom_enrich.SbomEnrichError)
        assert cls.exit_code in (2, 3, 4)
        assert name in (errors.__doc__ or ""), f"{name} missing from the hierarchy drawing"


def test_the_package_ships_py_typed_for_all_its_subpackages() -> None:
    assert (REPO / "sbom_enrich" / "py.typed").exists()


def test_docstring_example_runs(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = sbom_enrich.__doc__ or ""
    example = "\n".join(
        line[4:] for line in doc.split("::", 1)[1].splitlines() if line.startswith("    ")
    )
    assert 5 <= len(example.splitlines()) <= 12
    monkeypatch.chdir(REPO)
    target = REPO / "enriched.cdx.json"
    try:
        exec(compile(example, "sbom_enrich docstring", "exec"), {})
        assert target.exists()
    finally:
        target.unlink(missing_ok=True)


def test_reachability_all_is_sorted_and_exists() -> None:
    from sbom_enrich import reachability

    assert reachability.__all__ == sorted(reachability.__all__)
    for name in reachability.__all__:
        assert hasattr(reachability, name), name


def test_enrich_runs_on_ready_ports_instead_of_building_its_own(tmp_path: Path) -> None:
    """Another tool injects its client, store and advisory source; nothing is monkeypatched."""
    in_house = Advisory(id="INHOUSE-2026-1", aliases=frozenset(), source="in-house")

    class InHouseAdvisories:
        name = "in-house"

        def advisories(self, facts: PackageFacts) -> tuple[Advisory, ...]:
            return (in_house,) if facts.project == "idna" else ()

    sbom = tmp_path / "bom.json"
    sbom.write_text(
        json.dumps(
            bom_of(
                {"type": "library", "name": "idna", "version": "3.4", "purl": "pkg:pypi/idna@3.4"}
            )
        )
    )
    index = FixtureIndex()
    with (
        build_client(transport=index.transport(), sleep=lambda seconds: None) as client,
        StateStore(tmp_path / "state.sqlite") as store,
    ):
        ports = sbom_enrich.Ports(
            facts=PyPIFactSource(PyPIClient(client)),
            baseline=store,
            advisories=(InHouseAdvisories(),),
        )
        result = sbom_enrich.enrich(sbom, lookup=ports, pypi_advisories=False)
        assert store.ownership("idna") is not None  # the injected store got the baseline
    assert any("pypi.org/pypi/idna" in url for url in index.requests)
    assert result.advisories.sources == ("in-house",)
    assert [f.title for f in result.findings if f.kind == "vulnerability"] == ["INHOUSE-2026-1"]
