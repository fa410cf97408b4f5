"""Read a distribution file's Python sources without installing or importing anything.

A wheel is a zip archive; an sdist a tar.gz (or zip) with one top folder. Only ``.py`` files
are read, as text, keyed by module name; everything else is reported as "other files" so that a
fix that changed only native code can say so.
"""

from __future__ import annotations

import hashlib
import io
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

__all__ = ["DistributionSources", "UnreadableDistribution", "read_sources"]

_MAX_FILE = 2 * 1024 * 1024
_NOT_PACKAGE = frozenset({"tests", "test", "docs", "examples", "benchmarks", "setup", "conftest"})
"""Top-level names in an sdist that are not part of the installed package."""


class UnreadableDistribution(Exception):
    """The file is not a wheel or sdist we can read."""


@dataclass(frozen=True)
class DistributionSources:
    """Module name -> source text, and digests of the other (non-Python) files by path."""

    modules: dict[str, str]
    other_files: dict[str, str]
    """Path -> sha256 of every file that is not Python source or packaging metadata."""


def read_sources(filename: str, data: bytes) -> DistributionSources:
    """Read the ``.py`` files of a wheel or sdist given as bytes."""
    members = _wheel_members(data) if filename.endswith(".whl") else _sdist_members(filename, data)
    modules: dict[str, str] = {}
    others: dict[str, str] = {}
    for path, content in members:
        if path.endswith(".py"):
            module = _module_name(path)
            if module:
                modules[module] = content.decode("utf-8", errors="replace")
        elif not path.endswith((".dist-info/RECORD", "PKG-INFO", ".txt", ".md", ".rst")):
            others[path] = hashlib.sha256(content).hexdigest()
    return DistributionSources(modules, others)


def _module_name(path: str) -> str | None:
    parts = list(PurePosixPath(path).with_suffix("").parts)
    if any(p.endswith((".dist-info", ".data", ".egg-info")) for p in parts):
        return None
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    if not parts or any(not p.isidentifier() for p in parts) or parts[0] in _NOT_PACKAGE:
        return None
    return ".".join(parts)


def _wheel_members(data: bytes) -> list[tuple[str, bytes]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [
                (info.filename, archive.read(info))
                for info in archive.infolist()
                if not info.is_dir() and info.file_size <= _MAX_FILE
            ]
    except zipfile.BadZipFile as err:
        raise UnreadableDistribution(f"not a wheel: {err}") from err


def _sdist_members(filename: str, data: bytes) -> list[tuple[str, bytes]]:
    members: list[tuple[str, bytes]] = []
    try:
        if filename.endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                raw = [(i.filename, archive.read(i)) for i in archive.infolist() if not i.is_dir()]
        else:
            with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as archive:
                raw = []
                for member in archive.getmembers():
                    if member.isfile() and member.size <= _MAX_FILE:
                        stream = archive.extractfile(member)
                        if stream is not None:
                            raw.append((member.name, stream.read()))
    except (tarfile.TarError, zipfile.BadZipFile, EOFError) as err:
        raise UnreadableDistribution(f"not an sdist: {err}") from err
    for path, content in raw:
        inner = path.split("/", 1)[1] if "/" in path else path  # drop the top folder
        if inner.startswith("src/"):
            inner = inner[len("src/") :]
        members.append((inner, content))
    return members
