"""Write output files atomically: a failed run never leaves a partial file behind."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from pathlib import Path

from sbom_enrich.errors import OutputError

__all__ = ["write_atomically"]


def write_atomically(target: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``target`` through a temporary file in the same directory and a rename.

    ``"-"`` writes to standard output instead.
    """
    if str(target) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    path = Path(target)
    directory = path.parent
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    except OSError as err:
        raise OutputError(f"{target}: cannot write here: {err.strerror or err}") from err
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp_name, _mode_for(path))
        os.replace(temp_name, path)
    except OSError as err:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise OutputError(f"{target}: cannot write: {err.strerror or err}") from err
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise


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
