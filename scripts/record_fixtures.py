"""Record the real PyPI responses the trust tests replay (run by hand, with network).

    python scripts/record_fixtures.py            # writes tests/fixtures/pypi/
    python scripts/record_fixtures.py attrs      # adds (or refreshes) one project's files

Each release below is looked up exactly as ``sbom-enrich enrich`` looks it up, through the
RecordingTransport, so the files have the format of ``sbom-enrich record`` (docs/offline.md).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import httpx

from sbom_enrich.adapters.http.client import ClientSettings, build_client
from sbom_enrich.adapters.http.recording import RecordingTransport
from sbom_enrich.adapters.pypi.facts import PyPIFactSource
from sbom_enrich.adapters.pypi.index import PyPIClient

RELEASES = (
    ("sampleproject", "4.0.0"),  # real provenance of the sdist in tests/fixtures/attestations
    ("sampleproject", "3.0.0"),
    ("pypi-attestations", "0.0.19"),  # published from trailofbits/pypi-attestations
    ("pypi-attestations", "0.0.30"),  # published from pypi/pypi-attestations (moved)
    ("requests", "2.32.0"),  # yanked
    ("requests", "2.28.1"),
    ("idna", "3.4"),
    ("urllib3", "1.26.12"),  # two advisory branches (1.26.x and 2.0.x)
    ("sbom-enrich-no-such-project", "1.0"),  # 404 everywhere
    ("attrs", "24.2.0"),  # organisation-owned (no roles listed), a Funding link to GitHub Sponsors
)

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "pypi"


def main(only: list[str]) -> None:
    """Record the releases of :data:`RELEASES` into :data:`OUT`.

    With no names, every release, replacing what was there; else only those projects'.
    """
    if not only:
        shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True, exist_ok=True)
    transport = RecordingTransport(httpx.HTTPTransport(), OUT)
    with build_client(ClientSettings(), transport=transport) as client:
        source = PyPIFactSource(PyPIClient(client, learn=False))
        for name, version in RELEASES:
            if only and name not in only:
                continue
            source.facts(name, version, None)
            print(f"recorded {name} {version}")


if __name__ == "__main__":
    main(sys.argv[1:])
