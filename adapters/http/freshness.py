"""How long a cached answer is reused without asking the server again.

The response's own ``Cache-Control`` decides first: ``no-cache``, ``no-store`` and
``must-revalidate`` without a lifetime mean "ask again every time"; ``max-age=N`` (or
``s-maxage``) means N seconds. Without either, and PyPI mirrors often send neither, the kind of
answer decides (docs/offline.md states these defaults):

- an answer named by its content, which a caller marks with the :data:`IMMUTABLE` request
  extension (a distribution file fetched by the URL its digest names, a file's PEP 740
  provenance, which is uploaded with the file and never replaced): a 200 is reused for ever;
- everything else (project and release JSON, Simple API pages, catalogs, and every 404):
  :data:`DEFAULT_LIFETIME`, the order of what pypi.org itself sends for its JSON and Simple
  pages.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

__all__ = ["DEFAULT_LIFETIME", "IMMUTABLE", "lifetime"]

IMMUTABLE = "sbom_enrich.immutable"
"""Request extension: ``client.get(url, extensions={IMMUTABLE: True})`` for content-named URLs."""

DEFAULT_LIFETIME = 10 * 60.0
"""Seconds an answer without cache headers stays fresh."""

_NO_REUSE = re.compile(r"\b(no-cache|no-store)\b")
_MAX_AGE = re.compile(r"\b(?:s-maxage|max-age)\s*=\s*\"?(\d+)")


def lifetime(headers: Mapping[str, str], status: int, *, immutable: bool = False) -> float:
    """Seconds a response with ``headers`` and ``status`` may be reused unasked.

    ``headers`` are the cached ones (names in lower case); ``immutable`` is the request's
    :data:`IMMUTABLE` mark.
    """
    directives = headers.get("cache-control", "").lower()
    if _NO_REUSE.search(directives):
        return 0.0
    ages = [int(age) for age in _MAX_AGE.findall(directives)]
    if ages:
        return float(min(ages))
    if "must-revalidate" in directives:
        return 0.0
    if immutable and status == 200:
        return math.inf
    return DEFAULT_LIFETIME
