"""Start-up: a command imports what it needs and nothing else (measured in a fresh interpreter)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

_PROBE = """
import json, sys
from sbom_enrich.cli import main
sys.argv = ["sbom-enrich", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(k for k, v in sys.modules.items() if v is not None)), file=sys.stderr)
"""

_SBOM_STACK = ("httpx", "cyclonedx", "jsonschema", "sigstore", "pypi_attestations", "lxml")
_ENGINE = ("libcst", "networkx")


def _modules(*args: str) -> set[str]:
    """Every module the command ``args`` imported, by its full name."""
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(list(args))],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(result.stderr.strip().splitlines()[-1]))


def _imported(*args: str) -> set[str]:
    """The top-level packages the command ``args`` imported."""
    return {name.partition(".")[0] for name in _modules(*args)}


def test_version_imports_neither_the_sbom_stack_nor_the_engine() -> None:
    imported = _imported("--version")
    assert not imported & {*_SBOM_STACK, *_ENGINE}
    assert "rich" not in imported  # the console loads with the commands that report progress
    # nor what only some commands need: the cache directory's lookup, the installed metadata
    assert not imported & {"platformdirs", "email"}  # email: importlib.metadata loads it


def test_callgraph_imports_the_engine_but_not_the_sbom_stack(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text("def f():\n    pass\n\nf()\n")
    imported = _imported("callgraph", str(tmp_path), "--no-cache", "-q", "-o", str(tmp_path / "g"))
    assert (tmp_path / "g").exists()
    assert {"libcst", "networkx"} <= imported
    assert not imported & set(_SBOM_STACK)


def test_enrich_without_a_project_does_not_import_the_engine(tmp_path: Path) -> None:
    samples = Path(__file__).parent.parent / "samples"
    out = tmp_path / "enriched.cdx.json"
    modules = _modules(
        "enrich",
        str(samples / "sbom" / "linkcheck.env.cdx-1.6.json"),
        "--replay",
        str(samples / "pypi-recording"),
        "--advisory-db",
        str(samples / "advisories"),
        "-q",
        "-o",
        str(out),
    )
    imported = {name.partition(".")[0] for name in modules}
    assert out.exists()
    assert "cyclonedx" in imported
    assert not imported & set(_ENGINE)
    assert not imported & {"rfc3987_syntax", "lark"}  # installed here, built 1 s of grammar
    assert not imported & {"isoduration", "arrow"}  # a format no CycloneDX schema uses
    assert "pygments" not in imported  # httpx's command line brings it
    # what only XML input or output, or pinning identities in a lock file, needs
    assert not {name for name in modules if name.startswith("cyclonedx.model")}
    assert not imported & {"lxml", "tomlkit"}
