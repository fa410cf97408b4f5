"""Golden reports: every format on the bundled sample, deterministic, compared byte for byte."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, SAMPLE_RECORDING

import sbom_enrich
from sbom_enrich.reachability import analyze, from_site_packages
from sbom_enrich.reachability.index import IndexOptions

GOLDEN = FIXTURES / "golden"
FORMATS = {
    "json": "report.json",
    "markdown": "report.md",
    "html": "report.html",
    "sarif": "report.sarif",
}
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> sbom_enrich.Result:
    cwd = Path.cwd()
    os.chdir(REPO)  # paths in reports are shown relative to the working directory
    try:
        graph = analyze(
            [Path("tests/fixtures/golden/app")],
            from_site_packages("tests/fixtures/golden/site-packages"),
            options=IndexOptions(jobs=1, cache_dir=None),
        )
        state = tmp_path_factory.mktemp("golden") / "state.sqlite"
        return sbom_enrich.enrich(
            Path("samples/sbom/linkcheck.env.cdx-1.6.json"),
            lookup=sbom_enrich.LookupOptions(replay=SAMPLE_RECORDING, state=state),
            advisory_dbs=[Path("samples/advisories")],
            project=graph,
            now=NOW,
        )
    finally:
        os.chdir(cwd)


@pytest.mark.parametrize("output", sorted(FORMATS))
def test_report_matches_its_golden_file(
    result: sbom_enrich.Result, output: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for module in ("reports.json", "reports.html", "reports.sarif"):
        monkeypatch.setattr(f"sbom_enrich.{module}.__version__", "0.0.0-golden")
    data = sbom_enrich.render(result, output)  # type: ignore[arg-type]
    golden = GOLDEN / FORMATS[output]
    if os.environ.get("SBOM_ENRICH_REGENERATE") == "1":
        golden.write_bytes(data)
    assert data == golden.read_bytes(), f"{golden} differs; regenerate and review the diff"


def test_the_top_findings_are_the_ones_to_fix_first(result: sbom_enrich.Result) -> None:
    """What a security engineer would pick from this sample, and why.

    1. idna 3.4: the application calls the function the fix changed (curated symbol
       idna.core.valid_contextj, through idna.encode), the advisory is high (CVSS 7.5), and a
       fix exists.
    2. Werkzeug 2.2.2: also high, and Werkzeug is not in the analyzed environment, so whether
       the app uses it is unknown: it must be looked at, below what is known to be used.
    3. Flask 2.2.2: unrated severity, unknown reachability, but a direct dependency of the app.
    urllib3's high advisory comes far lower: the app never imports urllib3 (not-reachable), and
    the finding carries the inferred not_affected / code_not_reachable analysis, which lowers
    its rank but does not hide it (only a person's ignore or VEX statement suppresses).
    """
    top = [(f.title, f.component.name, f.reach.verdict) for f in result.findings[:3]]
    assert top == [
        ("PYSEC-2024-60", "idna", "reachable"),
        ("PYSEC-2023-221", "Werkzeug", "unknown"),
        ("PYSEC-2023-62", "Flask", "unknown"),
    ]
    urllib3 = next(f for f in result.findings if f.title == "PYSEC-2023-192")
    assert urllib3.reach.verdict == "not-reachable" and not urllib3.suppressed
    assert urllib3.vulnerability is not None and urllib3.vulnerability.analysis is not None
    assert urllib3.vulnerability.analysis.justification == "code_not_reachable"
    assert result.findings.index(urllib3) >= 9
