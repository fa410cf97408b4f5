"""The console commands report progress on: rich, loaded only by commands that use it.

``sbom-enrich --version`` does not import rich (``--help`` does: listing the commands imports them).
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.text import Text

from sbom_enrich.reports.escape import terminal_text

__all__ = ["SafeConsole"]


class SafeConsole(Console):
    """A rich console that shows control characters in text as escapes, never raw."""

    def render_str(self, text: str, **options: Any) -> Text:
        """See :meth:`rich.console.Console.render_str`; the text is escaped first."""
        return super().render_str(terminal_text(text), **options)
