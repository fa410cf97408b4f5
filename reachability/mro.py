"""The method resolution order of a class: C3 linearization, as Python computes it."""

from __future__ import annotations

from collections.abc import Callable

from sbom_enrich.reachability.values import Value

__all__ = ["linearize"]

_MAX_DEPTH = 50
_GENERIC = Value("external", "typing.Generic")


def linearize(
    class_name: str,
    bases: Callable[[str], list[Value]],
    mro: Callable[[str], list[Value]],
) -> list[Value]:
    """The MRO of ``class_name`` from its ``bases`` and their ``mro``.

    Bases outside the analyzed code (external or builtin classes) end their branch. Where C3 has
    no solution (Python would refuse the class) the bases are taken depth first, left to right.
    ``Generic[T]`` is left out: before another (generic) base its ``__mro_entries__`` leaves
    it to that base (``class Option(Generic[T], Base[T])``), and it holds nothing the code
    reads (kept, as an external base, it would stand for every attribute the class lacks).
    """
    direct = [base for base in bases(class_name) if base != _GENERIC]
    sequences = [list(mro(b.name)) if b.kind == "class" else [b] for b in direct]
    sequences.append(list(direct))
    result = [Value("class", class_name)]
    while any(sequences):
        for sequence in sequences:
            if sequence and not any(sequence[0] in other[1:] for other in sequences):
                head = sequence[0]
                break
        else:
            return _depth_first(class_name, bases)
        result.append(head)
        for other in sequences:
            if other and other[0] == head:
                del other[0]
    return result


def _depth_first(class_name: str, bases: Callable[[str], list[Value]]) -> list[Value]:
    order: list[Value] = []
    seen: set[Value] = set()

    def visit(value: Value, depth: int) -> None:
        if value in seen or depth > _MAX_DEPTH:
            return
        seen.add(value)
        order.append(value)
        if value.kind == "class":
            for base in bases(value.name):
                visit(base, depth + 1)

    visit(Value("class", class_name), 0)
    return order
