"""Where sbom-enrich keeps what it caches for its user: the platform's cache directory."""

from __future__ import annotations

from pathlib import Path

__all__ = ["user_cache"]


def user_cache() -> Path:
    """``<user cache dir>/sbom-enrich``: the state store's and the call graphs' default home.

    Looked up when needed: importing platformdirs costs start-up time that ``--version`` and
    the commands that keep nothing need not pay.
    """
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("sbom-enrich"))
