"""Prioritized findings: ranking, --fail-on policies, reports, and reachability in enrich."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner, Result
from conftest import REPO, SAMPLE_RECORDING, SAMPLE_SBOMS
from cyclonedx.schema import SchemaVersion
from test_trust import component

from sbom_enrich.advisories.collect import Fix, merge_advisories
from sbom_enrich.advisories.triage import VexAnalysis, VulnerabilityFinding
from sbom_enrich.cli import cli
from sbom_enrich.cyclonedx.validate import validate_tree
from sbom_enrich.model.advisory import Advisory
from sbom_enrich.model.reach import Reach
from sbom_enrich.rank.fail_on import FailOnError, parse_fail_on
from sbom_enrich.rank.prioritize import dependency_depths, prioritize
from sbom_enrich.reports.markdown import markdown_report

SAMPLE = SAMPLE_SBOMS / "linkcheck.env.cdx-1.6.json"
ADVISORIES = REPO / "samples" / "advisories"
SCHEMA = json.loads((REPO / "docs" / "report.schema.json").read_text())


def finding(
    name: str, identifier: str, *, severity_vector: str | None = None, **kw: object
) -> VulnerabilityFinding:
    from sbom_enrich.adapters.advisories.osv import rate_vector

    ratings = (rate_vector("CVSS_V3", severity_vector),) if severity_vector else ()
    advisory = merge_advisories([Advisory(identifier, frozenset(), "db", ratings=ratings)])[0]
    return VulnerabilityFinding(
        component(name, "1.0"), advisory, Fix("1.1", "upgrade to 1.1"), **kw
    )  # type: ignore[arg-type]


HIGH = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"  # 7.5


def test_reachability_orders_equal_severities_and_malicious_leads() -> None:
    findings = [
        finding("a", "X-1", severity_vector=HIGH),
        finding("b", "X-2", severity_vector=HIGH),
        finding("c", "X-3", severity_vector=HIGH),
        finding("d", "MAL-2024-1"),
        finding("e", "X-5", severity_vector=HIGH, analysis=VexAnalysis("not_affected", "vex:x")),
    ]
    findings = [  # one JSON path per component, as in a real SBOM
        replace(f, component=replace(f.component, json_path=f"$.c[{i}]"))
        for i, f in enumerate(findings)
    ]
    reach = {
        "$.c[0]": Reach("not-reachable", "never imported"),
        "$.c[1]": Reach("imported", "imported"),
        "$.c[2]": Reach("unknown", "dynamic import"),
    }
    ranked = prioritize(findings, (), reach=reach)
    assert [f.component.name for f in ranked] == ["d", "b", "c", "a", "e"]
    assert ranked[0].kind == "malicious" and ranked[-1].suppressed
    assert any("reachability imported" in reason for reason in ranked[1].reasons)
    assert ranked[3].score < ranked[2].score < ranked[1].score


def test_dependency_depths_count_paths_from_the_root() -> None:
    parts = [replace(component(n, "1"), json_path=f"$.{n}", bom_ref=n) for n in "abc"]
    graph = {"root": ("a", "b"), "a": ("c",), "b": ("c",)}
    assert dependency_depths(parts, graph, "root") == {"$.a": (1, 1), "$.b": (1, 1), "$.c": (2, 2)}
    assert dependency_depths(parts, graph, None) == {}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("any", "any"),
        ("HIGH", "severity"),
        ("reachable:high", "severity"),
        ("signal:ownership-changed", "signal"),
        ("trust:at-risk", "trust"),
        ("malicious", "malicious"),
    ],
)
def test_policies_parse(text: str, kind: str) -> None:
    assert parse_fail_on(text).kind == kind


@pytest.mark.parametrize("text", ["urgent", "reachable:severe", "signal:nope", "trust:fine"])
def test_bad_policies_say_what_is_allowed(text: str) -> None:
    with pytest.raises(FailOnError, match="expected any, malicious"):
        parse_fail_on(text)


def test_policy_matching_respects_verdict_severity_and_suppression() -> None:
    imported_high = prioritize(
        [finding("a", "X-1", severity_vector=HIGH)],
        (),
        reach={"$.components[0]": Reach("imported", "imported")},
    )[0]
    assert parse_fail_on("imported:high").matches(imported_high)
    assert not parse_fail_on("reachable:high").matches(imported_high)
    assert not parse_fail_on("critical").matches(imported_high)
    suppressed = prioritize(
        [finding("a", "X-1", severity_vector=HIGH, analysis=VexAnalysis("not_affected", "x"))], ()
    )[0]
    assert not parse_fail_on("any").matches(suppressed)


def test_markdown_stays_under_the_limit_and_counts_what_it_left_out() -> None:
    many = [finding(f"p{i}", f"X-{i}", severity_vector=HIGH) for i in range(400)]
    text = markdown_report(prioritize(many, ()), limit=20_000)
    assert len(text) <= 20_000
    assert "more findings left out to fit GitHub's limit" in text
    assert text.count("| [X-") == 20  # the table shows the top 20


IDNA_CORE = """def encode(text):
    return check_label(text)


def check_label(label):
    return valid_contextj(label, 0)


def valid_contextj(label, pos):
    return label
"""


def site_packages(root: Path) -> Path:
    """A tiny environment: idna (shaped like the real one, down to the function the curated
    symbols name) is used by the app; requests and urllib3 are installed but never imported."""
    site = root / "site-packages"
    for name, version in (("idna", "3.4"), ("requests", "2.28.1"), ("urllib3", "1.26.12")):
        (site / name).mkdir(parents=True)
        (site / name / "__init__.py").write_text("from .core import encode\n")
        (site / name / "core.py").write_text(IDNA_CORE)
        info = site / f"{name}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
        (info / "RECORD").write_text(f"{name}/__init__.py,,\n{name}/core.py,,\n")
    return site


def test_enrich_with_project_fail_on_and_reports(tmp_path: Path) -> None:
    app = tmp_path / "app"
    app.mkdir()
    (app / "main.py").write_text("import idna\n\nidna.encode('x')\n")
    out, report, summary = tmp_path / "out.json", tmp_path / "r.json", tmp_path / "r.md"
    result = CliRunner().invoke(
        cli,
        [
            "enrich",
            str(SAMPLE),
            "-o",
            str(out),
            "--replay",
            str(SAMPLE_RECORDING),
            "--advisory-db",
            str(ADVISORIES),
            "--project",
            str(app),
            "--site-packages",
            str(site_packages(tmp_path)),
            "--report",
            f"json:{report}",
            "--report",
            f"markdown:{summary}",
            "--fail-on",
            "imported:high",
        ],
    )
    assert result.exit_code == 1, result.stderr
    assert result.stderr.splitlines()[-1] == (
        "sbom-enrich: --fail-on imported:high matched 1 findings; first: PYSEC-2024-60 in idna "
        "3.4 (high, reachable)"
    )
    data = json.loads(report.read_text())
    jsonschema.validate(data, SCHEMA)
    top = data["findings"][0]
    assert (top["id"], top["reachability"]["verdict"]) == ("PYSEC-2024-60", "reachable")
    assert "idna.core.valid_contextj is called (curated symbol" in top["reachability"]["reason"]
    by_id = {f["id"]: f for f in data["findings"]}
    requests = by_id["PYSEC-2023-74"]
    assert requests["reachability"]["verdict"] == "not-reachable"
    assert requests["analysis"]["state"] == "not_affected" and requests["analysis"]["inferred"]
    assert not requests["suppressed"]  # an inferred analysis never suppresses
    tree = json.loads(out.read_text())
    validate_tree(tree, SchemaVersion.V1_6, source=str(out))
    idna = next(c for c in tree["components"] if c["name"] == "idna")
    assert idna["evidence"]["callstack"]["frames"][0]["function"] == "check_label"
    assert {"name": "sbom-enrich:reachability", "value": "reachable"} in idna["properties"]
    first_row = next(line for line in summary.read_text().splitlines() if line.startswith("| 1 |"))
    assert "PYSEC-2024-60" in first_row


def _enrich_project(
    tmp_path: Path, main: str, *options: str
) -> tuple[Result, list[dict[str, Any]]]:
    """``enrich`` of the sample with the application ``main`` and the stand-in site-packages.

    The run, and the findings of its JSON report (none when it wrote no report).
    """
    app = tmp_path / "app"
    app.mkdir()
    (app / "main.py").write_text(main)
    report = tmp_path / "r.json"
    arguments = ["enrich", str(SAMPLE), "-o", str(tmp_path / "out.json"), "--replay"]
    arguments += [str(SAMPLE_RECORDING), "--advisory-db", str(ADVISORIES), "--project", str(app)]
    arguments += ["--site-packages", str(site_packages(tmp_path)), "--report", f"json:{report}"]
    result = CliRunner().invoke(cli, [*arguments, *options])
    findings = json.loads(report.read_text())["findings"] if report.exists() else []
    return result, findings


def test_a_curated_symbol_the_installed_version_lacks_is_never_not_reachable(
    tmp_path: Path,
) -> None:
    # PYSEC-2023-74's curated symbol is requests.sessions.SessionRedirectMixin.rebuild_proxies;
    # this requests has no sessions module at all, and the application imports it
    result, findings = _enrich_project(tmp_path, "import requests\n")
    assert result.exit_code == 0, result.stderr
    by_id = {f["id"]: f for f in findings}
    reach = by_id["PYSEC-2023-74"]["reachability"]
    assert reach["verdict"] == "imported"
    assert reach["reason"].startswith(
        "requests.sessions.SessionRedirectMixin.rebuild_proxies is not in the installed version "
        "of requests; requests is imported"
    )


def test_a_call_graph_stopped_at_its_limit_decides_nothing_not_reachable(
    tmp_path: Path,
) -> None:
    # the application of test_enrich_with_project_fail_on_and_reports, where requests'
    # advisory is not-reachable when the graph is solved
    main = "import idna\n\nidna.encode('x')\n"
    result, findings = _enrich_project(tmp_path, main, "--max-values", "2")
    assert result.exit_code == 0, result.stderr
    assert "Reachability: the program's values passed the limit of 2 while solving" in (
        result.stderr
    )
    verdicts = {f["reachability"]["verdict"] for f in findings}
    assert "not-reachable" not in verdicts
    assert "unknown" in verdicts


def test_reports_and_sbom_cannot_share_standard_output(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["enrich", str(SAMPLE), "--offline", "--report", "json"])
    assert result.exit_code == 2 and "standard output" in result.stderr
    result = CliRunner().invoke(cli, ["enrich", str(SAMPLE), "--offline", "--fail-on", "soon"])
    assert result.exit_code == 2 and "expected any, malicious" in result.stderr
    both = ["--project", str(tmp_path), "--python", "python3", "--site-packages", str(tmp_path)]
    result = CliRunner().invoke(cli, ["enrich", str(SAMPLE), "--offline", *both])
    assert result.exit_code == 2 and "not both" in result.stderr
