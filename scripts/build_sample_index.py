"""Build the index answers the demo needs but this machine's index cannot serve (run by hand).

    python scripts/build_sample_index.py   # after sbom-enrich record into samples/pypi-recording

The index we record from serves Simple API 1.1: no provenance, no project status. So that the
bundled sample shows verified attestations, an archived project and an ownership change, this
script derives a few answers from the real recorded ones and from the real PEP 740 provenance in
``tests/fixtures/attestations``. Every derived record says what was changed in its ``"built"``
key; ``samples/README.md`` lists them. Running it again gives the same files.

1. ``sampleproject`` (Simple API): api-version 1.4; the 4.0.0 sdist gets its real provenance
   at its Integrity API URL; the 4.0.0 wheel is left out here and on the project route,
   because we hold no provenance for it (so the sample also shows ``no-wheel``).
2. ``peppercorn`` (Simple API): api-version 1.4, PEP 792 status ``archived``; its 2018 files
   carry ``"provenance": null`` (they predate PEP 740).
3. ``samples/baseline/linkcheck.enriched.cdx.json``: the sample SBOM enriched against the
   recording with urllib3's project route as if ``illia-v`` had not yet been an owner, which is
   what ``enrich --baseline`` compares with.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from sbom_enrich import LookupOptions, enrich, render
from sbom_enrich.adapters.http.recording import recording_name
from sbom_enrich.adapters.pypi.index import INTEGRITY_ACCEPT, SIMPLE_ACCEPT
from sbom_enrich.atomic import write_atomically

ROOT = Path(__file__).resolve().parent.parent
RECORDING = ROOT / "samples" / "pypi-recording"
ATTESTATIONS = ROOT / "tests" / "fixtures" / "attestations"
SAMPLE_SBOM = ROOT / "samples" / "sbom" / "linkcheck.env.cdx-1.6.json"
BASELINE = ROOT / "samples" / "baseline" / "linkcheck.enriched.cdx.json"
SAMPLE_SDIST = "sampleproject-4.0.0.tar.gz"
SAMPLE_WHEEL = "sampleproject-4.0.0-py3-none-any.whl"
JSON_ACCEPT = "application/json"


def _path(directory: Path, url: str, accept: str) -> Path:
    return directory / recording_name("GET", url, accept)


def _read(directory: Path, url: str, accept: str) -> dict[str, Any]:
    record: dict[str, Any] = json.loads(_path(directory, url, accept).read_text())
    return record


def _write(directory: Path, record: dict[str, Any]) -> None:
    path = _path(directory, record["url"], record["accept"])
    path.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def build_sampleproject(directory: Path) -> None:
    """Serve the 4.0.0 sdist's real provenance; drop the wheel we hold none for."""
    integrity = f"https://pypi.org/integrity/sampleproject/4.0.0/{SAMPLE_SDIST}/provenance"
    simple = _read(directory, "https://pypi.org/simple/sampleproject/", SIMPLE_ACCEPT)
    page = simple["json"]
    page["meta"]["api-version"] = "1.4"
    page["files"] = [f for f in page["files"] if f["filename"] != SAMPLE_WHEEL]
    for file in page["files"]:
        file["provenance"] = integrity if file["filename"] == SAMPLE_SDIST else None
    simple["built"] = (
        "real recording, changed: api-version 1.4; provenance URL on the 4.0.0 sdist, null on "
        f"the other files; {SAMPLE_WHEEL} removed (no provenance of it is held)"
    )
    _write(directory, simple)

    project = _read(directory, "https://pypi.org/pypi/sampleproject/json", JSON_ACCEPT)
    releases = project["json"]["releases"]
    releases["4.0.0"] = [f for f in releases["4.0.0"] if f["filename"] != SAMPLE_WHEEL]
    project["json"]["urls"] = [f for f in project["json"]["urls"] if f["filename"] != SAMPLE_WHEEL]
    project["built"] = f"real recording, changed: {SAMPLE_WHEEL} removed from 4.0.0"
    _write(directory, project)

    provenance = json.loads((ATTESTATIONS / f"{SAMPLE_SDIST}.provenance.json").read_text())
    _write(
        directory,
        {
            "method": "GET",
            "url": integrity,
            "accept": INTEGRITY_ACCEPT,
            "status": 200,
            "headers": {"content-type": INTEGRITY_ACCEPT},
            "built": "the real provenance object of the sdist, as the Integrity API serves it",
            "json": provenance,
        },
    )


def build_peppercorn(directory: Path) -> None:
    """Mark the project archived (PEP 792) on an api-version 1.4 page."""
    simple = _read(directory, "https://pypi.org/simple/peppercorn/", SIMPLE_ACCEPT)
    page = simple["json"]
    page["meta"]["api-version"] = "1.4"
    page["project-status"] = {"status": "archived"}
    for file in page["files"]:
        file["provenance"] = None
    simple["built"] = (
        "real recording, changed: api-version 1.4; project-status archived; provenance null "
        "on every file"
    )
    _write(directory, simple)


def build_baseline(directory: Path) -> None:
    """Enrich the sample SBOM as it would have been before urllib3 gained an owner."""
    with tempfile.TemporaryDirectory() as scratch:
        earlier = Path(scratch) / "recording"
        shutil.copytree(directory, earlier)
        project = _read(earlier, "https://pypi.org/pypi/urllib3/json", JSON_ACCEPT)
        roles = project["json"]["ownership"]["roles"]
        project["json"]["ownership"]["roles"] = [r for r in roles if r["user"] != "illia-v"]
        project["built"] = "real recording, changed: the Owner role of illia-v removed"
        _write(earlier, project)
        result = enrich(
            SAMPLE_SBOM,
            lookup=LookupOptions(replay=earlier, state=Path(scratch) / "state.sqlite3"),
            commit_baseline=False,
        )
    BASELINE.parent.mkdir(exist_ok=True)
    write_atomically(BASELINE, render(result, "cyclonedx-json"))


def main() -> None:
    """Build every derived answer into the sample recording, then the baseline SBOM."""
    build_sampleproject(RECORDING)
    build_peppercorn(RECORDING)
    build_baseline(RECORDING)


if __name__ == "__main__":
    main()
