"""Read a file of the analyzed tree only if it is a regular file of bounded size.

Files under analysis are not ours: a FIFO named ``mod.py`` would block a plain ``open()`` for
ever, a link to ``/dev/zero`` would be read until memory runs out, and a size checked after
reading protects nothing. The file is opened without blocking, checked with ``fstat`` on the
open descriptor (so it cannot be swapped between the check and the read), and read up to one
byte past the limit.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = ["FileTooLarge", "UnreadableFile", "read_bounded"]


class UnreadableFile(Exception):
    """The file is not a regular file, is larger than the limit, or cannot be read."""


class FileTooLarge(UnreadableFile):
    """The file is larger than the limit (a reason to skip it, not a failure)."""


def read_bounded(path: str | Path, limit: int) -> bytes:
    """The bytes of the regular file ``path``; :class:`UnreadableFile` says why not."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as err:
        raise UnreadableFile(f"cannot read: {err.strerror or err}") from err
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise UnreadableFile("not a regular file")
        if status.st_size > limit:
            raise FileTooLarge(f"larger than {limit} bytes")
        chunks = []
        size = 0
        while size <= limit:
            chunk = os.read(descriptor, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise FileTooLarge(f"larger than {limit} bytes")
        return b"".join(chunks)
    except OSError as err:
        raise UnreadableFile(f"cannot read: {err.strerror or err}") from err
    finally:
        os.close(descriptor)
