"""What installing sbom-enrich writes: only our own name, and every source module."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import REPO

SOURCE_FOLDERS = {
    "sbom_enrich": "sbom_enrich",
    "reachability": "sbom_enrich/reachability",
    "adapters": "sbom_enrich/adapters",
}
"""Each folder of the repository, and where it installs."""


def _tracked_files() -> list[str]:
    listing = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, text=True, check=True
    )
    return [name for name in listing.stdout.split("\0") if name]


def test_the_wheel_installs_only_sbom_enrich_and_every_source_module(tmp_path: Path) -> None:
    source = tmp_path / "source"
    tracked = _tracked_files()
    for name in tracked:
        if (REPO / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, source / name)
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(wheels),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    top_level = {name.split("/", 1)[0] for name in names if ".dist-info/" not in name}
    assert top_level == {"sbom_enrich"}
    expected = {
        installed + name[len(folder) :]
        for folder, installed in SOURCE_FOLDERS.items()
        for name in tracked
        if name.startswith(f"{folder}/") and name.endswith((".py", ".css", ".js", ".toml"))
    }
    assert expected - set(names) == set()
    assert "sbom_enrich/py.typed" in names
