"""The architecture contracts in pyproject.toml (import-linter), on the installed layout.

Layers read as the data flow; the core reaches the outside only through ``sbom_enrich.ports``;
adapters never call the stages; the call-graph engine imports nothing else of ours; nothing
imports the CLI. The second test proves the check can fail.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO
from installed_layout import build_view, repository_paths


def _lint_imports(view: Path) -> subprocess.CompletedProcess[str]:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    return subprocess.run(
        [str(lint_imports), str(REPO / "pyproject.toml"), "--no-cache"],
        cwd=view,
        env={**os.environ, "PYTHONPATH": str(view)},
        capture_output=True,
        text=True,
    )


def test_the_import_contracts_hold(tmp_path: Path) -> None:
    result = _lint_imports(build_view(tmp_path))
    assert result.returncode == 0, repository_paths(result.stdout + result.stderr)
    assert "5 kept, 0 broken" in result.stdout


def test_a_stage_that_imports_an_adapter_or_httpx_breaks_the_contracts(tmp_path: Path) -> None:
    levels = "sbom_enrich/trust/levels.py"
    text = (
        (REPO / levels)
        .read_text()
        .replace(
            "from __future__ import annotations\n",
            "from __future__ import annotations\n\nimport httpx\n"
            "from sbom_enrich.adapters.store.state import StateStore\n",
            1,
        )
    )
    result = _lint_imports(build_view(tmp_path, {levels: text}))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "sbom_enrich.trust is not allowed to import httpx" in result.stdout
    assert "sbom_enrich.trust is not allowed to import sbom_enrich.adapters" in result.stdout
