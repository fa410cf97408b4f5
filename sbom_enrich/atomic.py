"""Write output files safely: all checked first, regular files replaced atomically, nothing else.

Rules, in the order they apply:

- every output path is checked before anything is written: its directory must exist, it must
  not be a directory, a read-only file, one of the run's inputs or another output;
- a link is followed: its target is written, the link stays;
- a regular file (or a new path) is written through a temporary file in its directory, fsynced
  and renamed over it, so a failed or killed run leaves the old file or the new one, never part;
- anything else (``/dev/null``, ``/dev/stdout``, a FIFO) is opened and written as it is, never
  replaced: a rename would turn ``/dev/null`` into a regular file;
- ``-`` is standard output.

Temporary files are named ``.<name>.<pid>.<random>.sbom-enrich-tmp``; one left by a killed run
(its process is gone) is removed the next time the same output is written.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sbom_enrich.errors import OutputError

__all__ = ["check_outputs", "write_atomically", "write_outputs"]

_SUFFIX = ".sbom-enrich-tmp"


@dataclass(frozen=True)
class _Target:
    shown: str
    path: Path
    """The file written: ``shown`` with links followed."""
    special: bool
    """Not a regular file (a device, a FIFO): written in place, never replaced."""


def write_atomically(target: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``target`` by the rules of the module docstring."""
    write_outputs([(str(target), data)])


def write_outputs(outputs: Sequence[tuple[str, bytes]], *, inputs: Iterable[str] = ()) -> None:
    """Write every ``(path, data)``, after checking them all against each other and ``inputs``.

    Regular files are staged first and renamed only when all are staged, so one output that
    cannot be written leaves every other output as it was.
    """
    targets = _targets([path for path, _ in outputs], inputs)
    staged: list[tuple[str, Path]] = []
    try:
        for target, (_, data) in zip(targets, outputs, strict=True):
            if target is not None and not target.special:
                staged.append((_stage(target, data), target.path))
        for temp_name, path in staged:
            os.replace(temp_name, path)
        staged = []
    except OSError as err:
        raise OutputError(f"cannot write: {err.strerror or err}") from err
    finally:
        for temp_name, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
    for target, (_, data) in zip(targets, outputs, strict=True):
        if target is None:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        elif target.special:
            _write_in_place(target, data)


def check_outputs(paths: Sequence[str], inputs: Iterable[str] = ()) -> None:
    """Check ``paths`` by the rules of the module docstring; raise :class:`OutputError` if not.

    Call it before long work, so that a bad ``-o`` fails at once; :func:`write_outputs`
    checks again when it writes.
    """
    _targets(paths, inputs)


def _targets(paths: Sequence[str], inputs: Iterable[str]) -> list[_Target | None]:
    read = {_identity(Path(path)) for path in inputs if path != "-"}
    seen: dict[object, str] = {}
    targets: list[_Target | None] = []
    for shown in paths:
        if shown == "-":
            targets.append(None)
            continue
        target = _target(shown)
        identity = _identity(target.path)
        if identity in read:
            raise OutputError(f"{shown}: is one of the run's inputs; refusing to overwrite it")
        if identity in seen and not target.special:
            raise OutputError(f"{shown}: is also the output {seen[identity]}; give another path")
        seen[identity] = shown
        targets.append(target)
    return targets


def _target(shown: str) -> _Target:
    path = Path(os.path.realpath(shown))
    try:
        status = path.stat()
    except FileNotFoundError:
        if not path.parent.is_dir():
            raise OutputError(f"{shown}: the directory {path.parent} does not exist") from None
        return _Target(shown, path, special=False)
    except OSError as err:
        raise OutputError(f"{shown}: cannot write here: {err.strerror or err}") from err
    if stat.S_ISDIR(status.st_mode):
        raise OutputError(f"{shown}: is a directory")
    if not stat.S_ISREG(status.st_mode):
        return _Target(shown, path, special=True)
    if not status.st_mode & 0o222 or not os.access(path, os.W_OK):
        raise OutputError(f"{shown}: is read-only; refusing to replace it")
    return _Target(shown, path, special=False)


def _identity(path: Path) -> object:
    try:
        status = path.stat()
    except OSError:
        return os.path.realpath(path)
    return (status.st_dev, status.st_ino)


def _stage(target: _Target, data: bytes) -> str:
    directory = target.path.parent
    _remove_abandoned(directory, target.path.name)
    try:
        handle, temp_name = tempfile.mkstemp(
            prefix=f".{target.path.name}.{os.getpid()}.", suffix=_SUFFIX, dir=directory
        )
    except OSError as err:
        raise OutputError(f"{target.shown}: cannot write here: {err.strerror or err}") from err
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp_name, _mode_for(target.path))
    except BaseException as err:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        if isinstance(err, OSError):
            raise OutputError(f"{target.shown}: cannot write: {err.strerror or err}") from err
        raise
    return temp_name


def _write_in_place(target: _Target, data: bytes) -> None:
    try:
        with open(target.path, "wb") as stream:
            stream.write(data)
            stream.flush()
    except OSError as err:
        raise OutputError(f"{target.shown}: cannot write: {err.strerror or err}") from err


def _remove_abandoned(directory: Path, name: str) -> None:
    """Remove temporary files of ``name`` whose writing process no longer exists."""
    try:
        candidates = list(directory.glob(f".{_glob_escape(name)}.*{_SUFFIX}"))
    except OSError:
        return
    for candidate in candidates:
        pid = candidate.name[len(name) + 2 :].split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            with contextlib.suppress(OSError):
                candidate.unlink()


def _glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def _mode_for(path: Path) -> int:
    """Keep an existing file's mode; give a new one what ``open()`` would (0o666 less umask).

    ``mkstemp`` creates files readable by their owner only.
    """
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
