"""Code the graph does not see may call: special methods, and functions handed to dynamic code.

Both were false ``not-reachable`` verdicts on real applications (``bench/real_apps.py``):
``packaging``'s version properties run from ``Version.__str__``; cookiecutter hands a jinja2
filter that calls ``slugify`` to jinja2, whose compiled templates call it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from analyzed_app import reach_library

MAIN = (
    "import lib\n\n"
    "def convert(value):\n    return inner(value)\n\n"
    "def inner(value):\n    return value\n\n"
    "lib.register(convert)\n"
)


@pytest.mark.parametrize(
    ("library", "expected"),
    [
        ("TABLE = []\n\ndef register(f):\n    TABLE.append(f)\n", "not-reachable"),
        (
            "TABLE = []\n\ndef register(f):\n    TABLE.append(f)\n\n"
            "def render(source):\n    return eval(source, {'filters': TABLE})\n\n"
            "render('filters[0](1)')\n",
            "unknown",
        ),
    ],
    ids=["kept by a package without dynamic code", "kept by a package that runs eval"],
)
def test_what_a_function_handed_to_dynamic_code_calls_is_never_ruled_out(
    tmp_path: Path, library: str, expected: str
) -> None:
    reach = reach_library(tmp_path, library, MAIN)
    verdict = reach.verdict("main.inner")
    assert verdict.verdict == expected
    if expected == "unknown":
        assert verdict.reason == (
            "main.convert is handed to lib code, which runs dynamic code that may call it, "
            "and it may lead here"
        )


def test_what_a_special_method_calls_is_never_ruled_out(tmp_path: Path) -> None:
    main = (
        "class Version:\n    def __hash__(self):\n        return render()\n\n"
        "def render():\n    return 1\n\n"
        "def unused():\n    pass\n\n"
        "versions = {Version()}\n"  # a set display hashes its items: not modelled
    )
    reach = reach_library(tmp_path, "", main)
    verdict = reach.verdict("main.render")
    assert verdict.verdict == "unknown"
    assert verdict.reason.startswith("main.Version.__hash__ is a special method")
    assert reach.verdict("main.unused").verdict == "not-reachable"


def test_what_an_external_base_may_call_is_never_ruled_out(tmp_path: Path) -> None:
    # mkdocs' file watcher: threading.Thread.start runs the subclass's run in a new thread
    main = (
        "import threading\n\n"
        "class Watcher(threading.Thread):\n    def run(self):\n        poll()\n\n"
        "def poll():\n    pass\n\n"
        "def unused():\n    pass\n\n"
        "Watcher().start()\n"
    )
    reach = reach_library(tmp_path, "", main)
    verdict = reach.verdict("main.poll")
    assert verdict.verdict == "unknown"
    assert "is a method of a subclass of threading.Thread" in verdict.reason
    assert reach.verdict("main.unused").verdict == "not-reachable"


def test_a_function_set_as_an_attribute_by_computed_name_escapes(tmp_path: Path) -> None:
    # pytz.lazy: setattr(cls, name, lazy(name)) makes the closures methods of the class
    main = (
        "def lazy(name):\n    def method(self):\n        return helper()\n    return method\n\n"
        "def helper():\n    pass\n\n"
        "class Lazy:\n    pass\n\n"
        "for name in ['count', 'index']:\n    setattr(Lazy, name, lazy(name))\n"
    )
    reach = reach_library(tmp_path, "", main)
    assert reach.is_reachable("main.helper")


@pytest.mark.parametrize("handing", ["environment.globals.update(uuid4=uuid4)", "register(uuid4)"])
def test_a_function_handed_to_a_callee_of_unknown_type_escapes(
    tmp_path: Path, handing: str
) -> None:
    # cookiecutter's UUIDExtension: jinja2 instantiates it and renders templates that call the
    # closure; the extension's ``environment`` (and so ``globals.update``) has no known type
    main = (
        "class UUIDExtension:\n"
        "    def __init__(self, environment, register=None):\n"
        "        def uuid4():\n            return helper()\n"
        f"        {handing}\n\n"
        "def helper():\n    pass\n"
    )
    reach = reach_library(tmp_path, "", main)
    assert reach.verdict("main.helper").verdict != "not-reachable"
    assert reach.verdict("main.UUIDExtension.__init__.uuid4").verdict != "not-reachable"


OBJECTS = (
    "import json\n\n"
    "class Decoder:\n    def decode(self, text):\n        return render()\n\n"
    "class Sink:\n    def write(self, text):\n        return render()\n\n"
    "def render():\n    pass\n\n"
    "def unused():\n    pass\n\n"
)


@pytest.mark.parametrize(
    ("handing", "handed"),
    [
        ("json.loads('1', cls=Decoder)", "main.Decoder"),
        ("json.dump({}, Sink())", "main.Sink"),
        ("json.loads('1').out = Sink()", "main.Sink"),
        ("json.loads('[]')[0] = Sink()", "main.Sink"),
    ],
    ids=["a class passed", "an instance passed", "stored as an attribute", "stored as an item"],
)
def test_the_methods_of_an_object_handed_to_code_outside_the_analysis_are_never_ruled_out(
    tmp_path: Path, handing: str, handed: str
) -> None:
    # json.loads(text, cls=Decoder) runs Decoder().decode(text); json.dump(data, fp) calls
    # fp.write(): code outside the analysis calls the methods of what it is given by name
    reach = reach_library(tmp_path, "", OBJECTS + handing + "\n")
    verdict = reach.verdict("main.render")
    assert verdict.verdict == "unknown"
    assert verdict.reason == (
        f"main hands an object of {handed} to code outside the analysis, which may call its "
        "methods, and it may lead here"
    )
    assert reach.verdict("main.unused").verdict == "not-reachable"


def test_an_object_given_to_a_builtin_types_method_keeps_its_methods(tmp_path: Path) -> None:
    # list.append calls nothing of what it stores (hashing and comparing are special methods)
    reach = reach_library(tmp_path, "", OBJECTS + "items = []\nlist.append(items, Sink())\n")
    assert reach.verdict("main.render").verdict == "not-reachable"


def test_an_object_set_on_an_analyzed_class_by_computed_name_is_not_handed(
    tmp_path: Path,
) -> None:
    # six's setattr(_MovedItems, attr.name, attr): analyzed code reads it back, and calls on
    # what it reads are resolved or matched by name as any other
    main = OBJECTS + "class Holder:\n    pass\n\nsetattr(Holder, input(), Sink())\n"
    assert reach_library(tmp_path, "", main).verdict("main.render").verdict == "not-reachable"
