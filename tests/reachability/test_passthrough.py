"""A call of a function that returns its parameter unchanged gives back that call's argument.

Context-insensitive, ``def mark(f): ...; return f`` returns every function ever marked, so each
decorated name held them all: jinja2's ``@pass_context``/``@internalcode`` made each of its
hundreds of filters call every other one, and solving the sample application took 22 s.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from call_edges import call_edges

MARKED = "REGISTRY = []\n\ndef mark(f):\n    REGISTRY.append(f)\n    return f\n\n"


def test_a_decorator_returning_its_argument_keeps_each_name_to_its_own_function(
    tmp_path: Path,
) -> None:
    calls = call_edges(
        tmp_path,
        MARKED + "@mark\ndef a():\n    pass\n\n@mark\ndef b():\n    pass\n\na()\n",
    )
    assert ("main", "main.a") in calls
    assert ("main", "main.b") not in calls


@pytest.mark.parametrize(
    ("main", "expected"),
    [
        (  # the argument is not given: the parameter's default is what comes back
            "def fallback():\n    pass\n\ndef pick(f=fallback):\n    return f\n\npick()()\n",
            ("main", "main.fallback"),
        ),
        (  # a nested function rebinds the parameter: the new value may come back
            "def other():\n    pass\n\ndef keep(f):\n    def swap():\n        nonlocal f\n"
            "        f = other\n    swap()\n    return f\n\ndef mine():\n    pass\n\n"
            "keep(mine)()\n",
            ("main", "main.other"),
        ),
        (  # given through *args: which parameter it reaches is not plain
            "def target():\n    pass\n\ndef first(f, g=None):\n    return f\n\n"
            "first(*[target])()\n",
            ("main", "main.target"),
        ),
        (  # a method returning self gives back the receiver
            "class C:\n    def me(self):\n        return self\n\n    def go(self):\n"
            "        pass\n\nC().me().go()\n",
            ("main", "main.C.go"),
        ),
        (  # by keyword
            "def target():\n    pass\n\ndef same(f):\n    return f\n\nsame(f=target)()\n",
            ("main", "main.target"),
        ),
    ],
    ids=["default", "nonlocal-rebinding", "star-args", "returns-self", "keyword"],
)
def test_what_a_passthrough_call_returns_is_never_lost(
    tmp_path: Path, main: str, expected: tuple[str, str]
) -> None:
    assert expected in call_edges(tmp_path, main)
