"""Lines for the terminal, wrapped between words to its width."""

from __future__ import annotations

import textwrap

from rich.console import Console

__all__ = ["say"]


def say(console: Console, text: str) -> None:
    """Print ``text``; on a terminal, wrapped between words to the terminal's width.

    Lines after the first are indented four columns deeper than it, so that a wrapped item
    still reads as one; words longer than a line (URLs, paths) are kept whole. Piped into a
    file or a CI log, each item stays on one line, for ``grep``.
    """
    if not console.is_terminal:
        console.print(text, markup=False)
        return
    indent = " " * (len(text) - len(text.lstrip(" ")))
    lines = textwrap.wrap(
        text.strip(" "),
        width=max(console.width, 40),
        initial_indent=indent,
        subsequent_indent=indent + "    ",
        break_long_words=False,
        break_on_hyphens=False,
    )
    for line in lines or [""]:
        console.print(line, markup=False)
