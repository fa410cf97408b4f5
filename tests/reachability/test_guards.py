"""What runs only when a variable may hold a callable, overloads and return annotations.

Context-insensitive, ``click.command("name")`` returned a ``Command`` as well as the decorator
it gives: its ``@overload`` signatures and its ``-> Union[Command, Callable[..., Command]]``
annotation each added a path that a call with a name never takes, so every decoration with a
click command "called" the command, and click's whole command line ran from Flask's import.
A decorator usable with and without arguments (``if callable(arg): return wrap(arg)``) is the
same pattern in code.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from call_edges import call_edges

TARGET = "def target():\n    pass\n\n"

COMMAND_CLASS = (
    "class Command:\n"
    "    def __init__(self, callback):\n"
    "        self.callback = callback\n\n"
    "    def __call__(self, *args):\n"
    "        return self.callback(*args)\n\n"
)

COMMAND = (
    COMMAND_CLASS + "def command(name=None):\n"
    "    def decorator(f):\n"
    "        return Command(f)\n"
    "    if callable(name):\n"
    "        return decorator(name)\n"
    "    return decorator\n\n"
)


def test_a_branch_under_callable_does_not_run_for_a_string(tmp_path: Path) -> None:
    calls = call_edges(tmp_path, COMMAND + "@command('hello')\ndef hello():\n    pass\n")
    assert ("main", "main.command.decorator") in calls
    assert ("main", "main.Command.__call__") not in calls


def test_a_branch_under_callable_runs_for_a_function(tmp_path: Path) -> None:
    calls = call_edges(tmp_path, COMMAND + "@command\ndef hello():\n    pass\n")
    assert ("main.command", "main.command.decorator") in calls


@pytest.mark.parametrize(
    "call", ["run()", "run(None)", "run(target)"], ids=["default", "none", "function"]
)
def test_a_guarded_call_runs_unless_the_variable_holds_only_what_is_not_callable(
    tmp_path: Path, call: str
) -> None:
    main = (  # None gives no value here: an empty variable may hold a callable from elsewhere
        TARGET + f"def run(x=None):\n    if callable(x):\n        target()\n\n{call}\n"
    )
    assert ("main.run", "main.target") in call_edges(tmp_path, main)


def test_a_guarded_call_never_runs_while_the_variable_holds_only_strings(tmp_path: Path) -> None:
    main = (
        TARGET + "def run(x):\n    if callable(x) and x:\n        target()\n\nrun('a')\nrun('b')\n"
    )
    assert ("main.run", "main.target") not in call_edges(tmp_path, main)


def test_a_test_of_truth_or_of_none_on_parameters_holds_for_values_without_one(
    tmp_path: Path,
) -> None:
    main = (  # True, False and None give no value: yaml's parse_node(block=True) is this
        TARGET + "def run(block=False, tag=None):\n    if block and tag is not None:\n"
        "        target()\n\nrun(block=True, tag=True)\n"
    )
    assert ("main.run", "main.target") in call_edges(tmp_path, main)


@pytest.mark.parametrize(
    "main",
    [
        # a function no analyzed code calls: code outside gives its parameter its values
        TARGET + "def handler(x='name'):\n    if callable(x):\n        target()\n",
        # a method a framework calls by name: the same
        TARGET + "class View:\n    def get(self, request):\n"
        "        if callable(request):\n            target()\n",
    ],
    ids=["uncalled-function", "uncalled-method"],
)
def test_a_guarded_call_in_code_no_analyzed_code_calls_runs(tmp_path: Path, main: str) -> None:
    calls = call_edges(tmp_path, main)
    assert any(callee == "main.target" for _caller, callee in calls)


def test_an_annotated_local_set_to_none_holds_none(tmp_path: Path) -> None:
    main = (
        "import typing\n\nclass Thing:\n    def go(self):\n        pass\n\n"
        "def run():\n    x: typing.Optional[Thing] = None\n    x.go()\n\nrun()\n"
    )
    assert ("main.run", "main.Thing.go") not in call_edges(tmp_path, main)


TWO_CLASSES = (
    "class A:\n    def run(self):\n        pass\n\nclass B:\n    def run(self):\n        pass\n\n"
)
"""Two classes with a method of the same name: which one a call resolves to shows its type."""


def test_overload_signatures_are_not_the_function(tmp_path: Path) -> None:
    main = (
        "from typing import overload\n\n"
        + TWO_CLASSES
        + (
            "@overload\ndef make(x: int) -> A: ...\n"
            "@overload\ndef make(x: str) -> B: ...\n"
            "def make(x):\n    return A()\n\n"
            "make(1).run()\n"
        )
    )
    calls = call_edges(tmp_path, main)
    assert ("main", "main.A.run") in calls
    assert ("main", "main.B.run") not in calls


def test_a_return_annotation_does_not_widen_known_returns(tmp_path: Path) -> None:
    main = (
        "import typing\n\n"
        + TWO_CLASSES
        + "def make() -> typing.Union[A, B]:\n    return A()\n\nmake().run()\n"
    )
    calls = call_edges(tmp_path, main)
    assert ("main", "main.A.run") in calls
    assert ("main", "main.B.run") not in calls


@pytest.mark.parametrize(
    "body",
    ["    return json.loads(text)\n", "    pass\n"],
    ids=["returns-external-value", "returns-nothing-known"],
)
def test_a_return_annotation_types_what_the_code_cannot(tmp_path: Path, body: str) -> None:
    main = (
        "import json\n\nclass Config:\n    def get(self):\n        pass\n\n"
        f"def load(text) -> Config:\n{body}\n"
        "load('{}').get()\n"
    )
    assert ("main", "main.Config.get") in call_edges(tmp_path, main)


CLICK_COMMAND = (  # the shape of click 8.1's ``command``: None until the argument is callable
    COMMAND_CLASS + "def command(name=None):\n"
    "    func = None\n"
    "    if callable(name):\n"
    "        func = name\n"
    "    def decorator(f):\n"
    "        return Command(f)\n"
    "    if func is not None:\n"
    "        return decorator(func)\n"
    "    return decorator\n\n"
)


def test_a_branch_under_is_not_none_does_not_run_while_the_variable_holds_only_none(
    tmp_path: Path,
) -> None:
    calls = call_edges(tmp_path, CLICK_COMMAND + "@command('hello')\ndef hello():\n    pass\n")
    assert ("main", "main.command.decorator") in calls
    assert ("main", "main.Command.__call__") not in calls


def test_a_branch_under_is_not_none_runs_once_the_variable_may_hold_a_value(
    tmp_path: Path,
) -> None:
    calls = call_edges(tmp_path, CLICK_COMMAND + "@command\ndef hello():\n    pass\n")
    assert ("main.command", "main.command.decorator") in calls


@pytest.mark.parametrize(
    "binding",
    [
        "x = 1 < 2",  # a comparison: True, a value the solver does not track
        "x = flag",  # a parameter: its callers may pass anything
        "x = count()",  # what an analyzed function returns that has no value here
        "x = os.environ.get('X')",  # external code's value
        "x = True",
    ],
    ids=["comparison", "parameter", "untracked-return", "external", "true"],
)
@pytest.mark.parametrize("test", ["x is not None", "x"], ids=["is-not-none", "truth"])
def test_a_branch_under_a_test_of_a_variable_runs_when_it_may_hold_what_has_no_value(
    tmp_path: Path, binding: str, test: str
) -> None:
    main = (
        "import os\n\n"
        + TARGET
        + "def count():\n    return 1 + 2\n\n"
        + f"def run(flag):\n    x = None\n    if flag:\n        {binding}\n"
        + f"    if {test}:\n        target()\n\nrun(True)\n"
    )
    assert ("main.run", "main.target") in call_edges(tmp_path, main)


def test_a_branch_under_a_test_of_a_variable_a_nested_function_sets_runs(tmp_path: Path) -> None:
    main = (
        TARGET + "def run():\n    x = None\n"
        "    def enable():\n        nonlocal x\n        x = True\n"
        "    enable()\n    if x:\n        target()\n\nrun()\n"
    )
    assert ("main.run", "main.target") in call_edges(tmp_path, main)
