"""The library's public surface: a sorted __all__ whose names all exist, and py.typed."""

from __future__ import annotations

import types

import pytest
from conftest import REPO

import sbom_enrich


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
