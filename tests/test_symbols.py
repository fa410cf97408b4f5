"""Deriving vulnerable symbols from a fix, with our own tiny package's wheels built here."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

import sbom_enrich
from sbom_enrich.adapters.http.client import build_client
from sbom_enrich.adapters.pypi.index import PyPIClient
from sbom_enrich.adapters.pypi.release_sources import IndexReleaseSources
from sbom_enrich.adapters.store.state import StateStore
from sbom_enrich.cli import cli
from sbom_enrich.model.sources import DistributionSources
from sbom_enrich.reach.symbols import (
    AdvisorySymbols,
    DiffCache,
    SymbolCandidate,
    derive_symbols,
    text_identifiers,
)
from sbom_enrich.reachability import analyze, from_site_packages
from sbom_enrich.reachability.index import IndexOptions

VULNERABLE = """
class Loader:
    def load(self, text):
        return self.construct(text)

    def construct(self, text):
        return eval(text)

    def describe(self):
        return "loader"


def render(value):
    return str(value)
"""
FIXED = VULNERABLE.replace("return eval(text)", "return text")

RECORD = {
    "id": "TEST-2026-1",
    "summary": "Arbitrary code execution in tinypkg",
    "details": "`Loader.construct` evaluates the text it is given. Fixed in 1.1 and 2.1.",
    "affected": [
        {
            "package": {"ecosystem": "PyPI", "name": "tinypkg"},
            "ranges": [
                {
                    "type": "ECOSYSTEM",
                    "events": [
                        {"introduced": "0"},
                        {"fixed": "1.1"},
                        {"introduced": "2.0"},
                        {"fixed": "2.1"},
                    ],
                }
            ],
        }
    ],
}


def wheel(version: str, core: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("tinypkg/__init__.py", f'__version__ = "{version}"\n')
        archive.writestr("tinypkg/core.py", core)
        archive.writestr(f"tinypkg-{version}.dist-info/RECORD", "")
    return buffer.getvalue()


RELEASES = {
    "1.0": VULNERABLE,
    "1.1": FIXED,
    "2.0": VULNERABLE + "\nNEW = 1\n",
    "2.1": FIXED + "\nNEW = 1\n",
}
WHEELS = {version: wheel(version, core) for version, core in RELEASES.items()}


def handler(request: httpx.Request) -> httpx.Response:
    url = str(request.url)
    if url == "https://pypi.org/pypi/tinypkg/json":
        body = {
            "info": {"name": "tinypkg", "version": "2.1"},
            "ownership": {"roles": [], "organization": None},
            "releases": {
                version: [
                    {
                        "filename": f"tinypkg-{version}-py3-none-any.whl",
                        "url": f"https://files.example/tinypkg-{version}-py3-none-any.whl",
                        "digests": {"sha256": hashlib.sha256(data).hexdigest()},
                        "yanked": False,
                    }
                ]
                for version, data in WHEELS.items()
            },
        }
        return httpx.Response(200, json=body)
    for version, data in WHEELS.items():
        if url.endswith(f"tinypkg-{version}-py3-none-any.whl"):
            return httpx.Response(200, content=data)
    return httpx.Response(404)


def sources() -> IndexReleaseSources:
    client = build_client(transport=httpx.MockTransport(handler), sleep=lambda s: None)
    return IndexReleaseSources(PyPIClient(client))


def test_text_identifiers() -> None:
    assert {"Loader.construct", "Loader", "construct"} <= text_identifiers(RECORD["details"])  # type: ignore[arg-type]


def test_fix_diff_ranks_the_named_function_first_and_intersects_branches() -> None:
    result = derive_symbols(RECORD, "tinypkg", list(RELEASES), sources())
    assert result.release_pairs == (("1.0", "1.1"), ("2.0", "2.1"))
    first = result.candidates[0]
    assert first.symbol == "tinypkg.core.Loader.construct"
    assert first.source == "advisory-text"  # the text names it and the release defines it
    from_diff = [c for c in result.candidates if c.source == "fix-diff"]
    assert not from_diff or from_diff[0].symbol == "tinypkg.core.Loader.construct"
    assert result.granularity == "function"


class _InMemorySources:
    """Sources of two releases, given as module texts (no wheel needed for ranking)."""

    def __init__(self, releases: dict[str, dict[str, str]]) -> None:
        self.releases = releases
        self.asked: list[str] = []

    def sources(self, project: str, version: str) -> DistributionSources:
        self.asked.append(version)
        return DistributionSources(self.releases[version], {})


def test_plain_words_of_the_text_and_every_kind_of_change_rank_the_fix_first() -> None:
    # No identifier in the text: "redirect" and "authorization" point at rebuild_auth, which
    # also calls a helper the fix added; emit changed too, but nothing ties it to the advisory.
    old = (
        "class Mixin:\n    def rebuild_auth(self, r):\n        return r\n\n"
        "class Handler:\n    def emit(self, record):\n        pass\n"
    )
    new = (
        "def should_strip(a, b):\n    return a != b\n\n"
        "class Mixin:\n    def rebuild_auth(self, r):\n        return should_strip(r, 1)\n\n"
        "class Handler:\n    def emit(self, record):\n        return record\n"
    )
    record = dict(
        RECORD,
        summary="Credentials leak",
        details="Sends the Authorization header to a plain URL after a redirect.",
    )
    fetcher = _InMemorySources({"1.0": {"tinypkg.core": old}, "1.1": {"tinypkg.core": new}})
    result = derive_symbols(record, "tinypkg", ["1.0", "1.1"], fetcher)
    ranked = [(c.symbol, c.score) for c in result.candidates]
    assert ranked == [
        ("tinypkg.core.Mixin.rebuild_auth", 1.0 + 0.8 + 0.5),  # changed, calls the helper, "auth"
        ("tinypkg.core.Handler.emit", 1.0),
    ]
    assert result.candidates[0].evidence == (
        "body of Mixin.rebuild_auth changed; Mixin.rebuild_auth calls should_strip, "
        "which the fix added"
    )


def test_a_release_pair_is_compared_once_then_read_from_the_state_store(tmp_path: Path) -> None:
    releases = {"1.0": {"tinypkg.core": VULNERABLE}, "1.1": {"tinypkg.core": FIXED}}
    with StateStore(tmp_path / "state.sqlite3") as store:
        cache = DiffCache(store, "https://pypi.org/simple/")
        first_fetcher = _InMemorySources(releases)
        first = derive_symbols(RECORD, "tinypkg", ["1.0", "1.1"], first_fetcher, cache)
        again_fetcher = _InMemorySources(releases)
        again = derive_symbols(RECORD, "tinypkg", ["1.0", "1.1"], again_fetcher, cache)
        other_index = DiffCache(store, "https://mirror.example/simple/")
        elsewhere = _InMemorySources(releases)
        derive_symbols(RECORD, "tinypkg", ["1.0", "1.1"], elsewhere, other_index)
    assert first_fetcher.asked == ["1.0", "1.1"]
    assert again_fetcher.asked == []  # nothing downloaded or parsed again
    assert again == first
    assert elsewhere.asked == ["1.0", "1.1"]  # another index's files are other files


def test_the_json_form_reads_back_the_same() -> None:
    from sbom_enrich.reach.symbols_json import symbols_from_json, symbols_to_json

    result = derive_symbols(RECORD, "tinypkg", list(RELEASES), sources())
    assert result.changed_modules == ("tinypkg.core",)
    written = json.loads(json.dumps(symbols_to_json(result)))
    assert written["changedModules"] == ["tinypkg.core"]
    assert symbols_from_json(written) == (result,)


def test_published_symbols_are_validated_against_the_release_following_re_exports() -> None:
    specific = {
        "affected_functions": ["tinypkg.core.render", "tinypkg.core.gone"],
        "imports": [{"path": "tinypkg", "symbols": ["Reader"]}],  # a re-exported class
    }
    record = dict(RECORD, details="No names here.")
    record["affected"] = [dict(RECORD["affected"][0], ecosystem_specific=specific)]  # type: ignore[index]
    init = "from .core import Loader as Reader\n"
    fetcher = _InMemorySources(
        {
            "1.0": {"tinypkg": init, "tinypkg.core": VULNERABLE},
            "1.1": {"tinypkg": init, "tinypkg.core": FIXED},
        }
    )
    result = derive_symbols(record, "tinypkg", ["1.0", "1.1"], fetcher)
    published = sorted((c.symbol, c.evidence) for c in result.candidates if c.source == "published")
    assert published == [
        # the class has no __init__ of its own, so each of its methods stands for it
        *[
            (
                f"tinypkg.core.Loader.{method}",
                "named in the record's ecosystem_specific as tinypkg.Reader",
            )
            for method in ("construct", "describe", "load")
        ],
        ("tinypkg.core.render", "named in the record's ecosystem_specific"),
    ]  # tinypkg.core.gone is not in the release: dropped


def test_unavailable_sources_are_noted_not_guessed() -> None:
    missing = dict(RECORD, details="No names here.")

    def broken(request: httpx.Request) -> httpx.Response:
        if str(request.url).endswith(".whl"):
            return httpx.Response(503)
        return handler(request)

    client = build_client(transport=httpx.MockTransport(broken), sleep=lambda s: None)
    result = derive_symbols(
        missing, "tinypkg", list(RELEASES), IndexReleaseSources(PyPIClient(client))
    )
    assert result.candidates == ()
    assert any("sources unavailable" in note for note in result.notes)
    assert result.granularity == "package"


def test_symbols_derive_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    database = tmp_path / "db"
    (database / "vulns" / "tinypkg").mkdir(parents=True)
    (database / "vulns" / "tinypkg" / "TEST-2026-1.json").write_text(json.dumps(RECORD))
    transport = httpx.MockTransport(handler)
    monkeypatch.setattr(
        httpx.HTTPTransport,
        "handle_request",
        lambda self, request: transport.handle_request(request),
    )
    out = tmp_path / "symbols.json"
    result = CliRunner().invoke(
        cli,
        [
            "symbols",
            "derive",
            "--advisory",
            "TEST-2026-1",
            "--package",
            "tinypkg",
            "--advisory-db",
            str(database),
            "-o",
            str(out),
            "--state",
            str(tmp_path / "s.sqlite"),
        ],
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(out.read_text())
    assert data["candidates"][0]["symbol"] == "tinypkg.core.Loader.construct"
    assert data["releasePairs"] == [
        {"vulnerable": "1.0", "fixed": "1.1"},
        {"vulnerable": "2.0", "fixed": "2.1"},
    ]
    assert result.stderr.strip().endswith("first tinypkg.core.Loader.construct")


def test_enrich_with_symbols_gives_a_function_level_verdict(tmp_path: Path) -> None:
    """An app that calls Loader.load, which calls the vulnerable Loader.construct."""
    environment = _tiny_environment(
        tmp_path, "from tinypkg.core import Loader\n\nLoader().load('1')\n"
    )
    derived = derive_symbols(RECORD, "tinypkg", list(RELEASES), sources())
    result = _enrich_tiny(tmp_path, environment, [derived], "s.sqlite")
    (finding,) = result.findings
    assert finding.reach.verdict == "reachable"
    assert finding.reach.reason.startswith("tinypkg.core.Loader.construct is called")
    assert finding.reach.path[-1][1] == "tinypkg.core.Loader.construct"
    assert finding.vulnerability is not None and finding.vulnerability.analysis is not None
    assert finding.vulnerability.analysis.state == "exploitable"
    tree = json.loads(sbom_enrich.render(result, "cyclonedx-json"))
    frames = tree["components"][0]["evidence"]["callstack"]["frames"]
    assert frames[0]["module"] == "tinypkg.core" and frames[0]["function"] == "Loader.load"


def _tiny_sbom(tmp_path: Path) -> Path:
    """A CycloneDX SBOM with one component: tinypkg 1.0."""
    sbom = tmp_path / "bom.json"
    component = {
        "type": "library",
        "bom-ref": "tinypkg==1.0",
        "name": "tinypkg",
        "version": "1.0",
        "purl": "pkg:pypi/tinypkg@1.0",
    }
    bom = {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": [component]}
    sbom.write_text(json.dumps(bom))
    return sbom


def _tiny_environment(
    tmp_path: Path, app_code: str, core: str = VULNERABLE
) -> tuple[Path, Path, Path]:
    site = tmp_path / "site-packages"
    (site / "tinypkg").mkdir(parents=True)
    (site / "tinypkg" / "__init__.py").write_text('__version__ = "1.0"\n')
    (site / "tinypkg" / "core.py").write_text(core)
    info = site / "tinypkg-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: tinypkg\nVersion: 1.0\n")
    (info / "RECORD").write_text("tinypkg/__init__.py,,\ntinypkg/core.py,,\n")
    app = tmp_path / "app"
    app.mkdir()
    (app / "main.py").write_text(app_code)
    database = tmp_path / "db"
    (database / "vulns" / "tinypkg").mkdir(parents=True)
    (database / "vulns" / "tinypkg" / "TEST-2026-1.json").write_text(json.dumps(RECORD))
    return site, app, database


def _enrich_tiny(
    tmp_path: Path, environment: tuple[Path, Path, Path], symbols: list[AdvisorySymbols], state: str
) -> sbom_enrich.Result:
    """Enrich the one-component SBOM with the call graph of ``environment`` and ``symbols``."""
    site, app, database = environment
    graph = analyze([app], from_site_packages(site), options=IndexOptions(jobs=1, cache_dir=None))
    return sbom_enrich.enrich(
        _tiny_sbom(tmp_path),
        lookup=sbom_enrich.LookupOptions(offline=True, state=tmp_path / state),
        advisory_dbs=[database],
        pypi_advisories=False,
        project=graph,
        symbols=symbols,
    )


def test_curated_symbols_alone_can_make_a_finding_not_reachable(tmp_path: Path) -> None:
    # The installed copy does its work without eval: code that uses eval makes every verdict
    # about its package unknown, as it should.
    environment = _tiny_environment(
        tmp_path,
        "from tinypkg.core import Loader\n\nLoader().describe()\n",
        core=VULNERABLE.replace("eval(text)", "text.upper()"),
    )
    curated = AdvisorySymbols(
        "TEST-2026-1",
        "tinypkg",
        (SymbolCandidate("tinypkg.core.Loader.construct", "curated", "high", "checked", None, 10),),
        (),
    )
    result = _enrich_tiny(tmp_path, environment, [curated], "s.sqlite")
    (finding,) = result.findings
    assert finding.reach.verdict == "not-reachable"
    assert (
        "no path reaches the curated symbols tinypkg.core.Loader.construct" in finding.reach.reason
    )
    assert finding.vulnerability is not None and finding.vulnerability.analysis is not None
    analysis = finding.vulnerability.analysis
    assert (analysis.state, analysis.justification) == ("not_affected", "code_not_reachable")
    assert not finding.suppressed  # inferred, not a person's decision
    derived = derive_symbols(RECORD, "tinypkg", list(RELEASES), sources())
    derived_only = _enrich_tiny(tmp_path, environment, [derived], "s2.sqlite")
    derived_reach = derived_only.findings[0].reach
    assert derived_reach.verdict == "imported"  # derived symbols never suffice
    assert derived_reach.granularity == "module"  # but the module the fix changed is imported
    assert derived_reach.reason == (
        "no path to the candidate symbols tinypkg.core.Loader.construct (advisory-text); "
        "tinypkg.core, which the fix changed, is imported"
    )


@pytest.mark.parametrize(
    ("app_code", "verdict", "reason"),
    [
        ("import tinypkg.core\n", "imported", "tinypkg.core, which the fix changed, is imported"),
        ("import tinypkg\n", "imported", "none of the modules the fix changed (tinypkg.core)"),
    ],
)
def test_without_candidates_the_modules_the_fix_changed_give_a_module_level_verdict(
    tmp_path: Path, app_code: str, verdict: str, reason: str
) -> None:
    only_modules = AdvisorySymbols(
        "TEST-2026-1", "tinypkg", (), (("1.0", "1.1"),), changed_modules=("tinypkg.core",)
    )
    assert only_modules.granularity == "module"
    result = _enrich_tiny(tmp_path, _tiny_environment(tmp_path, app_code), [only_modules], "s")
    (finding,) = result.findings
    assert finding.reach.verdict == verdict
    assert finding.reach.reason.startswith(reason)
    # an imported changed module is module level; otherwise the package's verdict stands
    expected = "module" if "which the fix changed" in reason else "package"
    assert finding.reach.granularity == expected
    assert f"reachability {verdict} ({expected} level)" in finding.reasons[1]


def test_shipped_curated_symbols_are_well_formed() -> None:
    import yaml
    from conftest import REPO
    from packaging.version import Version

    from sbom_enrich.reach.curated import curated_symbols

    entries = curated_symbols()
    assert entries
    for entry in entries:
        (pair,) = entry.release_pairs
        assert Version(pair[0]) < Version(pair[1])
        for candidate in entry.candidates:
            assert candidate.source == "curated" and candidate.confidence == "high"
            assert candidate.symbol.startswith(entry.package.replace("-", "_") + ".")
        record = (
            REPO / "samples" / "advisories" / "vulns" / entry.package / f"{entry.advisory}.yaml"
        )
        if record.exists():  # every alias we list is one the record itself gives
            data = yaml.safe_load(record.read_text())
            assert entry.advisory in {data["id"], *data.get("aliases", [])}


def test_symbols_build_then_enrich_with_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, app, database = _tiny_environment(
        tmp_path, "from tinypkg.core import Loader\n\nLoader().load('1')\n"
    )
    sbom = _tiny_sbom(tmp_path)
    transport = httpx.MockTransport(handler)
    monkeypatch.setattr(
        httpx.HTTPTransport,
        "handle_request",
        lambda self, request: transport.handle_request(request),
    )
    symbols_file = tmp_path / "symbols.json"
    state = str(tmp_path / "s.sqlite")
    built = CliRunner().invoke(
        cli,
        [
            "symbols",
            "build",
            str(sbom),
            "--advisory-db",
            str(database),
            "-o",
            str(symbols_file),
            "--state",
            state,
            "-q",
        ],
    )
    assert built.exit_code == 0, built.stderr
    (entry,) = json.loads(symbols_file.read_text())
    assert entry["advisory"] == "TEST-2026-1"
    assert entry["candidates"][0]["symbol"] == "tinypkg.core.Loader.construct"
    report = tmp_path / "report.json"
    enriched = CliRunner().invoke(
        cli,
        [
            "enrich",
            str(sbom),
            "--offline",
            "--state",
            state,
            "--no-pypi-advisories",
            "--advisory-db",
            str(database),
            "--project",
            str(app),
            "--site-packages",
            str(site),
            "--symbols",
            str(symbols_file),
            "--report",
            f"json:{report}",
            "-o",
            str(tmp_path / "o.json"),
            "--fail-on",
            "reachable:high",
            "--fail-on",
            "reachable:any",
        ],
    )
    assert enriched.exit_code == 1, enriched.stderr  # reachable:any matched the unrated finding
    assert "reachable:high, reachable:any matched 1 findings" in enriched.stderr
    (finding,) = json.loads(report.read_text())["findings"]
    assert finding["reachability"]["verdict"] == "reachable"
