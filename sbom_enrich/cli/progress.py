"""A progress bar on standard error for long work, shown only on a terminal."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from sbom_enrich.model.bom import Component
from sbom_enrich.writeback.additions import ProgressCallback

__all__ = ["component_progress"]


@contextmanager
def component_progress(
    console: Console, total: int, *, description: str, enabled: bool
) -> Iterator[ProgressCallback]:
    """Yield a callback that advances a bar of ``total`` components.

    The bar is drawn only when ``enabled`` and ``console`` is a terminal, so CI logs stay clean.
    """
    show = enabled and console.is_terminal
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not show,
    ) as progress:
        task = progress.add_task(description, total=total)

        def advance(_component: Component) -> None:
            progress.advance(task)

        yield advance
