from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE_SBOMS = REPO / "samples" / "sbom"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    import os

    if os.environ.get("SBOM_ENRICH_ONLINE") == "1":
        return
    skip = pytest.mark.skip(reason="online test; set SBOM_ENRICH_ONLINE=1 to run")
    for item in items:
        if "online" in item.keywords:
            item.add_marker(skip)
