"""The Python sources of one release, as read from one of its distribution files."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DistributionSources"]


@dataclass(frozen=True)
class DistributionSources:
    """Module name -> source text, and digests of the other (non-Python) files by path."""

    modules: dict[str, str]
    other_files: dict[str, str]
    """Path -> sha256 of every file that is not Python source or packaging metadata."""
