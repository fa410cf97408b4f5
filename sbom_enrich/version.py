"""The version of sbom-enrich: the one place it is written (``pyproject.toml`` reads it).

A constant rather than a lookup in the installed metadata (``importlib.metadata``), which
would cost every command, ``--version`` included, a third of its start-up time.
"""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
