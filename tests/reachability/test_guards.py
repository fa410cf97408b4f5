"""What runs only under a test of a variable, an overload and a return annotation.

Context-insensitive, ``click.command("name")`` returned a ``Command`` as well as the decorator
it gives: its ``if callable(name):`` branch (taken for ``@click.command`` without parentheses),
its ``@overload`` signatures and its ``-> Union[Command, Callable[..., Command]]`` annotation
each added a path that a call with a name never takes. So every decoration with a click
command "called" the command, and click's whole command line ran from Flask's import.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from call_edges import call_edges

COMMAND = (
    "class Command:\n"
    "    def __init__(self, callback):\n"
    "        self.callback = callback\n\n"
    "    def __call__(self, *args):\n"
    "        return self.callback(*args)\n\n"
    "def command(name=None):\n"
    "    func = None\n"
    "    if callable(name):\n"
    "        func = name\n"
    "    def decorator(f):\n"
    "        return Command(f)\n"
    "    if func is not None:\n"
    "        return decorator(func)\n"
    "    return decorator\n\n"
)


def test_a_branch_under_callable_does_not_run_for_a_string(tmp_path: Path) -> None:
    calls = call_edges(tmp_path, COMMAND + "@command('hello')\ndef hello():\n    pass\n")
    assert ("main", "main.command.decorator") in calls
    assert ("main", "main.Command.__call__") not in calls


def test_a_branch_under_callable_runs_for_a_function(tmp_path: Path) -> None:
    calls = call_edges(tmp_path, COMMAND + "@command\ndef hello():\n    pass\n")
    assert ("main.command", "main.command.decorator") in calls


@pytest.mark.parametrize("test", ["x is not None", "x", "callable(x)", "x is not None and ready"])
def test_a_guarded_call_runs_once_the_variable_may_hold_a_value(tmp_path: Path, test: str) -> None:
    main = (
        "def target():\n    pass\n\n"
        f"def run(x=None, ready=True):\n    if {test}:\n        target()\n\n"
        "run()\nrun(target)\n"
    )
    assert ("main.run", "main.target") in call_edges(tmp_path, main)


def test_a_guarded_call_never_runs_while_the_variable_holds_only_none(tmp_path: Path) -> None:
    main = (
        "def target():\n    pass\n\n"
        "def run(x=None):\n    if x is not None:\n        target()\n\nrun()\nrun(None)\n"
    )
    assert ("main.run", "main.target") not in call_edges(tmp_path, main)


@pytest.mark.parametrize(
    "main",
    [
        # a function no analyzed code calls: code outside gives its parameter its values
        "def target():\n    pass\n\ndef handler(x):\n    if x is not None:\n        target()\n",
        # a method a framework calls by name: the same
        "def target():\n    pass\n\nclass View:\n    def get(self, request):\n"
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
        "def run():\n    x: typing.Optional[Thing] = None\n    if x is not None:\n"
        "        x.go()\n\nrun()\n"
    )
    assert ("main.run", "main.Thing.go") not in call_edges(tmp_path, main)


def test_overload_signatures_are_not_the_function(tmp_path: Path) -> None:
    main = (
        "from typing import overload\n\n"
        "class A:\n    def run(self):\n        pass\n\n"
        "class B:\n    def run(self):\n        pass\n\n"
        "@overload\ndef make(x: int) -> A: ...\n"
        "@overload\ndef make(x: str) -> B: ...\n"
        "def make(x):\n    return A()\n\n"
        "make(1).run()\n"
    )
    calls = call_edges(tmp_path, main)
    assert ("main", "main.A.run") in calls
    assert ("main", "main.B.run") not in calls


def test_a_return_annotation_does_not_widen_known_returns(tmp_path: Path) -> None:
    main = (
        "import typing\n\n"
        "class A:\n    def run(self):\n        pass\n\n"
        "class B:\n    def run(self):\n        pass\n\n"
        "def make() -> typing.Union[A, B]:\n    return A()\n\n"
        "make().run()\n"
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
