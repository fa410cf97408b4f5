"""Text from SBOMs and indexes made safe for each medium it is shown in.

Component names, versions, advisory ids and summaries are other people's text. Shown raw they
can clear a terminal or hide text (escape sequences), and in a pull-request comment close our
``<details>``, add headings, ``@mention`` people, load remote images or carry ``javascript:``
links. Each medium gets its own function; links are only ever http(s).
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

__all__ = ["http_url", "markdown_text", "terminal_text"]

_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def terminal_text(text: str) -> str:
    r"""``text`` with control characters (ESC, CR, bidi overrides, ...) shown as ``\x1b``."""
    return "".join(
        char
        if char in "\n\t" or (unicodedata.category(char) not in ("Cc", "Cf") and char not in _BIDI)
        else f"\\x{ord(char):02x}"
        if ord(char) < 0x100
        else f"\\u{ord(char):04x}"
        for char in text
    )


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|!~@])")
"""What can start markup inline: emphasis, code, links and images, tables, strikes, mentions;
``<``, ``>`` and ``&`` become entities, so no HTML tag or comment survives."""


def markdown_text(text: str) -> str:
    """``text`` as literal Markdown on one line: no markup, HTML, links, images or mentions."""
    flat = " ".join(terminal_text(text).split())
    escaped = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", escaped)


def http_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) URL with a host, else None (``javascript:``, ``data:``)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()
