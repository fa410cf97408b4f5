"""The line each node of a LibCST module starts on, at a fraction of ``PositionProvider``'s cost.

The extractor needs start lines only (of statements, definitions and calls), but LibCST's
``PositionProvider`` computes a full range (start and end, line and column objects) for every
node: a quarter of the time it takes to extract a module. Here the module's own code generation
is run with a state that counts newlines and records each node's start line by the same rule
``PositionProvider`` applies (a node's syntactic position where its code generation marks one,
leading blank lines and comments excluded; else where its code starts), and writes no code.
``tests/reachability/test_lines.py`` checks that the lines are ``PositionProvider``'s on real
code. It relies on LibCST's code-generation hooks, which ``PositionProvider`` itself uses; if a
LibCST release changes them, :func:`start_lines` falls back on ``PositionProvider``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import libcst as cst
from libcst._nodes.internal import CodegenState
from libcst.metadata import MetadataWrapper, PositionProvider

__all__ = ["start_lines"]


def start_lines(module: cst.Module) -> Mapping[cst.CSTNode, int]:
    """The (1-based) line each node of ``module`` starts on, as ``PositionProvider`` says."""
    try:
        state = _LineCounter(module.default_indent, module.default_newline)
        module._codegen(state)
        return state.starts
    except (AttributeError, TypeError, KeyError):  # LibCST's code-generation hooks changed
        wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        return {node: span.start.line for node, span in wrapper.resolve(PositionProvider).items()}


class _LineCounter(CodegenState):
    """A code-generation state that keeps the current line and each node's start line only."""

    def __init__(self, default_indent: str, default_newline: str) -> None:
        super().__init__(default_indent=default_indent, default_newline=default_newline)
        self.line = 1
        self.starts: dict[cst.CSTNode, int] = {}
        self._stack: list[int] = []

    def add_indent_tokens(self) -> None:
        """Indentation holds no newline: nothing to count."""

    def add_token(self, value: str) -> None:
        """Count the newlines of ``value`` (CR LF, CR or LF each, as LibCST counts them)."""
        if "\n" in value or "\r" in value:
            self.line += value.count("\n") + value.count("\r") - value.count("\r\n")

    def pop_trailing_newline(self) -> None:
        """No code is kept, so there is no trailing newline to take back."""

    def before_codegen(self, node: cst.CSTNode) -> None:
        """Remember where ``node``'s code starts."""
        self._stack.append(self.line)

    def after_codegen(self, node: cst.CSTNode) -> None:
        """Record that start unless the node marked its syntactic position."""
        start = self._stack.pop()
        self.starts.setdefault(node, start)

    @contextmanager
    def record_syntactic_position(
        self,
        node: cst.CSTNode,
        *,
        start_node: cst.CSTNode | None = None,
        end_node: cst.CSTNode | None = None,
    ) -> Iterator[None]:
        """The node's syntactic start: here, or where ``start_node`` starts."""
        start = self.line
        yield
        self.starts[node] = self.starts[start_node] if start_node is not None else start
