"""Tests whose outcome is known statically: Python 3 versus 2, and the main guard."""

from __future__ import annotations

from collections.abc import Mapping

import libcst as cst

__all__ = ["dotted", "is_main_guard", "python3_truth"]


def dotted(node: cst.BaseExpression) -> str:
    """``a.b.c`` for a chain of names and attributes, ``""`` for anything else."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        head = dotted(node.value)
        return f"{head}.{node.attr.value}" if head else ""
    return ""


_ORDER = {
    cst.Equal: lambda a, b: a == b,
    cst.NotEqual: lambda a, b: a != b,
    cst.GreaterThan: lambda a, b: a > b,
    cst.GreaterThanEqual: lambda a, b: a >= b,
    cst.LessThan: lambda a, b: a < b,
    cst.LessThanEqual: lambda a, b: a <= b,
}


_TRUE_ON_PYTHON3 = frozenset({"ssl.HAS_SNI"})
"""Standard-library flags that are true on every Python 3 this tool analyzes (3.9 and later need
an OpenSSL with SNI). Python 2 era fallbacks test them: requests' ``if not getattr(ssl,
"HAS_SNI", False):`` imports urllib3's pyOpenSSL backend and cryptography."""


def python3_truth(test: cst.BaseExpression, constants: Mapping[str, bool]) -> bool | None:
    """The value of a Python-major-version test on every Python 3, or None when it depends.

    ``sys.version_info[0] == 2``, ``sys.version_info.major >= 3``, ``sys.version_info < (3,)``,
    ``sys.version_info >= (3, 0)``, names bound to such a test (six's ``PY2``/``PY3``),
    ``ssl.HAS_SNI`` and ``getattr(ssl, "HAS_SNI", ...)``, ``not``.
    """
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        inner = python3_truth(test.expression, constants)
        return None if inner is None else not inner
    if isinstance(test, cst.Name):
        return constants.get(test.value)
    if dotted(test) in _TRUE_ON_PYTHON3 or _getattr_path(test) in _TRUE_ON_PYTHON3:
        return True
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return None
    compare = _ORDER.get(type(test.comparisons[0].operator))
    left, right = test.left, test.comparisons[0].comparator
    if compare is None:
        return None
    if dotted(left) == "sys.version_info.major" or _is_major_index(left):
        if isinstance(right, cst.Integer):
            return bool(compare(3, int(right.value)))
        return None
    if dotted(left) == "sys.version_info" and isinstance(right, cst.Tuple):
        numbers = [e.value for e in right.elements]
        if not numbers or not all(isinstance(n, cst.Integer) for n in numbers):
            return None
        bound = tuple(int(n.value) for n in numbers if isinstance(n, cst.Integer))
        if bound[0] != 3:  # every 3.x compares with another major as 3 does
            return bool(compare((3,), bound[:1]))
        operator = type(test.comparisons[0].operator)
        if not any(bound[1:]) and operator in (cst.GreaterThanEqual, cst.LessThan):
            return operator is cst.GreaterThanEqual  # every 3.x is >= (3, 0), none < (3, 0)
    return None


def _getattr_path(node: cst.BaseExpression) -> str:
    """``module.NAME`` for ``getattr(module, "NAME")`` or ``getattr(module, "NAME", default)``."""
    if not isinstance(node, cst.Call) or dotted(node.func) != "getattr":
        return ""
    if len(node.args) not in (2, 3) or any(a.keyword or a.star for a in node.args):
        return ""
    owner, name = dotted(node.args[0].value), node.args[1].value
    if not owner or not isinstance(name, cst.SimpleString):
        return ""
    return f"{owner}.{name.evaluated_value!s}"


def _is_major_index(node: cst.BaseExpression) -> bool:
    """``sys.version_info[0]``."""
    if not isinstance(node, cst.Subscript) or dotted(node.value) != "sys.version_info":
        return False
    (element,) = node.slice if len(node.slice) == 1 else (None,)
    index = element.slice if element is not None else None
    return (
        isinstance(index, cst.Index)
        and isinstance(index.value, cst.Integer)
        and (index.value.value == "0")
    )


def is_main_guard(node: cst.If) -> bool:
    """Whether ``node`` is ``if __name__ == "__main__":`` (either order) with no ``else``.

    Its code runs only when the file is executed as a script.
    """
    test = node.test
    if node.orelse is not None or not isinstance(test, cst.Comparison):
        return False
    if len(test.comparisons) != 1 or not isinstance(test.comparisons[0].operator, cst.Equal):
        return False
    sides = (test.left, test.comparisons[0].comparator)
    names = [side.value for side in sides if isinstance(side, cst.Name)]
    strings = [side.evaluated_value for side in sides if isinstance(side, cst.SimpleString)]
    return names == ["__name__"] and strings == ["__main__"]
