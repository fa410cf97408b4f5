"""Every report format, on the sample with a small project: valid, self-contained, rendered."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from conftest import FIXTURES, REPO, SAMPLE_RECORDING, SAMPLE_SBOMS
from test_findings import site_packages

import sbom_enrich
from sbom_enrich.cli import cli
from sbom_enrich.model.reach import Reach
from sbom_enrich.rank.prioritize import Finding
from sbom_enrich.reports.markdown import markdown_report
from sbom_enrich.reports.sarif import MAX_RESULTS, sarif_report

SAMPLE = SAMPLE_SBOMS / "linkcheck.env.cdx-1.6.json"
SARIF_SCHEMA = json.loads((FIXTURES / "schemas" / "sarif-schema-2.1.0.json").read_text())


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("reports")
    app = root / "app"
    app.mkdir()
    (app / "main.py").write_text("import idna\n\nidna.encode('x')\n")
    paths = {kind: root / f"report.{kind}" for kind in ("json", "markdown", "html", "sarif")}
    result = CliRunner().invoke(
        cli,
        [
            "enrich",
            str(SAMPLE),
            "-o",
            str(root / "out.json"),
            "--replay",
            str(SAMPLE_RECORDING),
            "--advisory-db",
            str(REPO / "samples" / "advisories"),
            "--project",
            str(app),
            "--site-packages",
            str(site_packages(root)),
            "--state",
            str(root / "state.sqlite"),
            *("--sarif-root", str(root)),
            *[arg for kind, path in paths.items() for arg in ("--report", f"{kind}:{path}")],
        ],
    )
    assert result.exit_code == 0, result.stderr
    return paths


def test_sarif_validates_and_locates_imported_findings_at_the_call_site(
    reports: dict[str, Path],
) -> None:
    log = json.loads(reports["sarif"].read_text())
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    results = log["runs"][0]["results"]
    assert len(results) == 15  # 12 advisories and 3 trust signals
    idna = next(r for r in results if r["ruleId"] == "PYSEC-2024-60")
    location = idna["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "app/main.py"  # relative to --sarif-root
    assert location["region"]["startLine"] == 3  # the call of idna.encode that leads to the symbol
    assert idna["level"] == "error"
    rules = {rule["id"]: rule for rule in log["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["PYSEC-2024-60"]["properties"]["security-severity"] == "7.5"
    requests = next(r for r in results if r["ruleId"] == "PYSEC-2023-74")
    outside = requests["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert outside == "linkcheck.env.cdx-1.6.json"  # outside the root: never an absolute path
    for rule in rules.values():
        assert float(rule["properties"]["security-severity"]) >= 0, rule["id"]
        assert rule["help"]["text"] and rule["help"]["markdown"], rule["id"]
        assert rule["helpUri"].startswith("https://"), rule["id"]
    assert rules["PYSEC-2023-74"]["helpUri"] == "https://osv.dev/vulnerability/PYSEC-2023-74"


def test_sarif_carries_the_call_path_as_a_code_flow(reports: dict[str, Path]) -> None:
    log = json.loads(reports["sarif"].read_text())
    idna = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "PYSEC-2024-60")
    (flow,) = idna["codeFlows"]
    steps = [step["location"] for step in flow["threadFlows"][0]["locations"]]
    first = steps[0]
    assert first["physicalLocation"]["artifactLocation"]["uri"] == "app/main.py"
    assert first["message"]["text"] == "main calls idna.core.encode"
    last = steps[-1]["message"]["text"]
    assert re.fullmatch(
        r"idna\.core\.check_label calls idna\.core\.valid_contextj at idna/core\.py:\d+", last
    )
    assert "physicalLocation" not in steps[-1]  # site-packages, even under the root: not linked
    related = idna["relatedLocations"]
    assert [r["physicalLocation"]["artifactLocation"]["uri"] for r in related] == ["app/main.py"]


def test_html_is_self_contained(reports: dict[str, Path]) -> None:
    page = reports["html"].read_text()
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"""src=["']?(https?:)?//""", page)  # links, but no fetched resource
    assert 'href="https://osv.dev/vulnerability/PYSEC-2024-60"' in page
    assert page.count('<div class="card">') < 10  # identical plain cards collapse into one
    assert "owned by the organization pypa" in page
    assert "root-component" not in page  # routes start at the application's name
    assert "<link" not in page and "@import" not in page
    assert "PYSEC-2024-60" in page and "<svg" in page  # the call path picture


def test_the_dependency_graph_highlights_the_route_to_reached_code(
    reports: dict[str, Path],
) -> None:
    page = reports["html"].read_text()
    graph = page.split('<svg class="graph"', 1)[1].split("</svg>", 1)[0]
    boxes = {
        re.search(r"<text[^>]*>([^<]*)</text>", box).group(1): box  # type: ignore[union-attr]
        for box in graph.split("<g>")[1:]
    }
    assert set(boxes) >= {"linkcheck-demo 1.0.0", "requests 2.28.1", "idna 3.4", "Werkzeug 2.2.2"}
    assert 'fill="#ffebe9" stroke="#cf222e"' in boxes["idna 3.4"]  # reached: filled and framed
    assert "→ valid_contextj()" in boxes["idna 3.4"]
    assert 'stroke="#cf222e"' in boxes["requests 2.28.1"]  # on the way, not reached itself
    assert 'fill="#fff8c5"' in boxes["requests 2.28.1"]
    assert "#cf222e" not in boxes["Werkzeug 2.2.2"]
    assert graph.count('stroke="#cf222e" stroke-width="2.5"') == 2  # app -> requests -> idna


CHROMIUM_FLAGS = [
    "chromium",
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Appended to a copy of the page: opens every "Why" (so the longest call path is shown) and
# records how wide the page is laid out, for --dump-dom to read back.
OPEN_AND_MEASURE = (  # reading the sizes lays the page out at once: no frame to wait for
    '<script>document.querySelectorAll("details").forEach(d => { d.open = true; });'
    "const page = document.documentElement;"
    "document.body.dataset.scrollWidth = page.scrollWidth;"
    "document.body.dataset.clientWidth = page.clientWidth;"
    'const graph = document.querySelector("svg.graph").getBoundingClientRect();'
    "document.body.dataset.graphRight = Math.ceil(graph.right);</script>"
)


def _chromium(tmp_path: Path, name: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tmp_path / name}",
            "--window-size=1280,1600",
            "--enable-logging=stderr",
            "--v=0",
            *arguments,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed")
def test_html_renders_in_headless_chromium_without_console_errors(
    reports: dict[str, Path], tmp_path: Path
) -> None:
    url = reports["html"].resolve().as_uri()
    shot = tmp_path / "report.png"
    run = _chromium(tmp_path, "a", f"--screenshot={shot}", url)
    assert shot.exists() and shot.stat().st_size > 10_000, run.stderr[-2000:]
    assert "Uncaught" not in run.stderr and "CONSOLE" not in run.stderr
    dom = _chromium(tmp_path, "b", "--dump-dom", url)
    assert 'data-ready="yes"' in dom.stdout  # the filter script ran to its end


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed")
def test_at_1280_pixels_nothing_overflows_with_every_call_path_open(
    reports: dict[str, Path], tmp_path: Path
) -> None:
    page = reports["html"].read_text()
    longest = max(page.split('<ol class="path">')[1:], key=lambda path: path.count("<li>"))
    assert longest.count("<li>") >= 3  # the sample's longest call path is among those opened
    opened = tmp_path / "opened.html"
    opened.write_text(page.replace("</body>", OPEN_AND_MEASURE + "</body>"))
    dom = _chromium(tmp_path, "c", "--dump-dom", opened.as_uri()).stdout
    measured = {
        key: int(value)
        for key, value in re.findall(r'data-(scroll-width|client-width|graph-right)="(\d+)"', dom)
    }
    assert set(measured) == {"scroll-width", "client-width", "graph-right"}, dom[:500]
    assert measured["client-width"] <= 1280
    assert measured["scroll-width"] <= measured["client-width"]  # no horizontal scrolling
    assert measured["graph-right"] <= measured["client-width"]


def test_json_and_markdown_agree_on_the_top_finding(reports: dict[str, Path]) -> None:
    data = json.loads(reports["json"].read_text())
    markdown = reports["markdown"].read_text()
    top = data["findings"][0]
    assert f"| 1 | {top['score']:g} | [{top['id']}]({top['advisory']['url']}) |" in markdown


@pytest.fixture(scope="module")
def unrated() -> Finding:
    result = sbom_enrich.enrich(
        SAMPLE,
        lookup=sbom_enrich.LookupOptions(replay=SAMPLE_RECORDING),
        advisory_dbs=[REPO / "samples" / "advisories"],
        commit_baseline=False,
    )
    return next(f for f in result.findings if f.severity == "unknown" and f.vulnerability)


def test_an_unrated_finding_that_is_reached_shows_as_a_warning(unrated: Finding) -> None:
    reached = replace(unrated, reach=Reach("reachable", "called"))
    log = sarif_report([reached, unrated], manifest="sbom.json")
    assert [r["level"] for r in log["runs"][0]["results"]] == ["warning", "note"]
    (rule,) = log["runs"][0]["tool"]["driver"]["rules"]
    assert rule["properties"]["security-severity"] == "5.0"


def test_results_stop_at_github_s_limit_with_a_note(unrated: Finding) -> None:
    log = sarif_report([unrated] * (MAX_RESULTS + 3), manifest="sbom.json")
    run = log["runs"][0]
    assert len(run["results"]) == MAX_RESULTS
    assert run["properties"]["resultsLeftOut"] == 3


def test_aliases_are_linked_and_a_hostile_one_cannot_leave_its_link(unrated: Finding) -> None:
    assert unrated.vulnerability is not None
    advisory = replace(
        unrated.vulnerability.advisory,
        aliases=frozenset({"CVE-2023-1", "GHSA-x)(javascript:alert(1)"}),
    )
    hostile = replace(unrated, vulnerability=replace(unrated.vulnerability, advisory=advisory))
    text = markdown_report([hostile])
    assert "[CVE-2023-1](https://nvd.nist.gov/vuln/detail/CVE-2023-1)" in text
    assert "(https://github.com/advisories/GHSA-x%29%28javascript%3Aalert%281%29)" in text
    assert "](javascript:" not in text
