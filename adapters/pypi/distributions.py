"""Read a distribution file's Python sources without installing or importing anything.

A wheel is a zip archive; an sdist a tar.gz (or zip) with one top folder. Only ``.py`` files
are read, as text, keyed by module name; everything else is reported as "other files" so that a
fix that changed only native code can say so.
"""

from __future__ import annotations

import functools
import hashlib
import io
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import PurePosixPath
from typing import IO

from sbom_enrich.adapters.errors import AdapterError
from sbom_enrich.model.sources import DistributionSources

__all__ = ["UnreadableDistribution", "read_sources"]

_MAX_FILE = 2 * 1024 * 1024
_MAX_SOURCES = 256 * 1024 * 1024
_NOT_PACKAGE = frozenset({"tests", "test", "docs", "examples", "benchmarks", "setup", "conftest"})
"""Top-level names in an sdist that are not part of the installed package."""


class UnreadableDistribution(AdapterError):
    """The file is not a wheel or sdist we can read."""


def read_sources(filename: str, data: bytes) -> DistributionSources:
    """Read the ``.py`` files of a wheel or sdist given as bytes.

    Members are read one at a time: a Python file (at most 2 MiB) is kept as text, any other
    is hashed in chunks and dropped, so a wheel of hundreds of large members costs the size of
    its Python sources, not of its contents. At most 256 MiB of Python source is read.
    """
    members = _wheel_members(data) if filename.endswith(".whl") else _sdist_members(filename, data)
    modules: dict[str, str] = {}
    others: dict[str, str] = {}
    total = 0
    try:
        for path, size, opener in members:
            if path.endswith(".py"):
                module = _module_name(path)
                if module and size <= _MAX_FILE:
                    total += size
                    if total > _MAX_SOURCES:
                        raise UnreadableDistribution(f"more than {_MAX_SOURCES} bytes of Python")
                    with opener() as stream:
                        modules[module] = stream.read(_MAX_FILE).decode("utf-8", errors="replace")
            elif not path.endswith((".dist-info/RECORD", "PKG-INFO", ".txt", ".md", ".rst")):
                digest = hashlib.sha256()
                with opener() as stream:
                    for block in iter(lambda: stream.read(1 << 20), b""):
                        digest.update(block)
                others[path] = digest.hexdigest()
    except (tarfile.TarError, zipfile.BadZipFile, EOFError, zlib.error, OSError) as err:
        raise UnreadableDistribution(f"{filename}: a member cannot be read ({err})") from err
    except (NotImplementedError, RuntimeError) as err:  # zip method 99, encrypted members
        raise UnreadableDistribution(f"{filename}: a member cannot be read ({err})") from err
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


Opener = Callable[[], AbstractContextManager[IO[bytes]]]
Member = tuple[str, int, Opener]
"""A member's path (without an sdist's top folder), its declared size, and how to open it."""


def _wheel_members(data: bytes) -> Iterator[Member]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as err:
        raise UnreadableDistribution(f"not a wheel: {err}") from err
    with archive:
        for info in archive.infolist():
            if not info.is_dir():
                yield info.filename, info.file_size, functools.partial(archive.open, info)


def _sdist_members(filename: str, data: bytes) -> Iterator[Member]:
    try:
        if filename.endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for info in archive.infolist():
                    if not info.is_dir():
                        opener = functools.partial(archive.open, info)
                        yield _inner(info.filename), info.file_size, opener
        else:
            with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as archive:
                for member in archive:
                    if member.isfile():
                        yield _inner(member.name), member.size, _tar_opener(archive, member)
    except (tarfile.TarError, zipfile.BadZipFile, EOFError) as err:
        raise UnreadableDistribution(f"not an sdist: {err}") from err


def _tar_opener(archive: tarfile.TarFile, member: tarfile.TarInfo) -> Opener:
    def open_member() -> AbstractContextManager[IO[bytes]]:
        stream = archive.extractfile(member)
        return stream if stream is not None else io.BytesIO(b"")

    return open_member


def _inner(path: str) -> str:
    """An sdist member's path inside its top folder (and inside ``src/``)."""
    inner = path.split("/", 1)[1] if "/" in path else path
    return inner[len("src/") :] if inner.startswith("src/") else inner
