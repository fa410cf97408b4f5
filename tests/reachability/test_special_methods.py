"""Special methods the interpreter runs for the application's own code are reachable.

Found by ``bench/real_apps.py`` on mkdocs, among the functions its own code calls directly
that were not reachable: it compares ``packaging`` versions (``_BaseVersion.__lt__``), formats
babel locales (``Locale.__str__``), tests jinja2's ``Undefined`` for truth (``__bool__``) and
subclasses ``jinja2.ext.Extension`` (``__init_subclass__``); comparisons, truth tests,
f-strings, conversion builtins and class definitions made no edge.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from analyzed_app import reach_library

LIBRARY = (
    "class Version:\n"
    "    def __lt__(self, other):\n        return True\n"
    "    def __gt__(self, other):\n        return True\n"
    "    def __eq__(self, other):\n        return True\n"
    "    def __hash__(self):\n        return 1\n"
    "    def __bool__(self):\n        return True\n"
    "    def __contains__(self, item):\n        return True\n"
    "    def __format__(self, spec):\n        return ''\n"
    "    def __str__(self):\n        return ''\n"
    "    def __repr__(self):\n        return ''\n"
    "    def __len__(self):\n        return 1\n"
    "    def __int__(self):\n        return 1\n"
    "    def __radd__(self, other):\n        return self\n"
    "    def __rmul__(self, other):\n        return self\n\n"
    "class Bag:\n"
    "    def __len__(self):\n        return 0\n"
    "    def __iter__(self):\n        return iter(())\n"
    "    def __repr__(self):\n        return ''\n"
)


@pytest.mark.parametrize(
    ("code", "method"),
    [
        ("v < w", "Version.__lt__"),
        ("1 < v", "Version.__gt__"),  # reflected on the right operand
        ("v >= 1 > w", "Version.__lt__"),  # a chain: the second pair reflected
        ("v == w", "Version.__eq__"),
        ("v != w", "Version.__eq__"),  # object.__ne__ calls __eq__
        ("1 in v", "Version.__contains__"),
        ("1 not in b", "Bag.__iter__"),  # no __contains__: iteration
        ("if v:\n    pass", "Version.__bool__"),
        ("if b:\n    pass", "Bag.__len__"),  # no __bool__: the length
        ("x = not v", "Version.__bool__"),
        ("x = v or 1", "Version.__bool__"),
        ("while b and v:\n    break", "Bag.__len__"),
        ("x = [i for i in (1,) if v]", "Version.__bool__"),
        ("assert v", "Version.__bool__"),
        ("x = 1 if v else 2", "Version.__bool__"),
        ("x = f'{v}'", "Version.__format__"),
        ("x = f'{v!r:>{len(b)}}'", "Version.__repr__"),
        ("x = f'{v!s}'", "Version.__str__"),
        ("x = f'{b}'", "Bag.__repr__"),  # object.__format__ -> str() -> repr()
        ("str(v)", "Version.__str__"),
        ("str(b)", "Bag.__repr__"),
        ("repr(v)", "Version.__repr__"),
        ("print('v:', v)", "Version.__str__"),
        ("len(b)", "Bag.__len__"),
        ("hash(v)", "Version.__hash__"),
        ("bool(b)", "Bag.__len__"),
        ("int(v)", "Version.__int__"),
        ("format(v, '>3')", "Version.__format__"),
        ("x = sorted([v, w])", "Version.__lt__"),  # no key: the items are compared
        ("x = max([v, w])", "Version.__gt__"),
        ("x = 1 + v", "Version.__radd__"),  # int cannot add a Version: reflected
        ("x = 2\nx *= v", "Version.__rmul__"),  # augmented: __imul__, __mul__, then this
    ],
)
def test_a_special_method_the_interpreter_runs_is_reachable(
    tmp_path: Path, code: str, method: str
) -> None:
    main = f"from lib import Bag, Version\n\nv, w, b = Version(), Version(), Bag()\n{code}\n"
    reach = reach_library(tmp_path, LIBRARY, main)
    assert reach.verdict(f"lib.{method}").verdict == "reachable"
    assert reach.path_to(f"lib.{method}")[0].caller == "main"


def test_a_subclass_runs_its_bases_init_subclass(tmp_path: Path) -> None:
    # mkdocs' ``class NoBabelExtension(jinja2.ext.Extension)``: jinja2's ``__init_subclass__``
    library = (
        "class Extension:\n"
        "    def __init_subclass__(cls):\n        cls.identifier = register(cls)\n\n"
        "def register(cls):\n    return ''\n"
    )
    main = "import lib\n\nclass Mine(lib.Extension):\n    pass\n"
    reach = reach_library(tmp_path, library, main)
    assert reach.verdict("lib.register").verdict == "reachable"
    assert [step.callee for step in reach.path_to("lib.register")] == [
        "lib.Extension.__init_subclass__",
        "lib.register",
    ]


def test_a_module_getattr_gives_the_names_the_module_lacks(tmp_path: Path) -> None:
    # Python-Markdown's ``markdown.util.__getattr__`` (PEP 562) for deprecated names
    library = "def __getattr__(name):\n    return moved()\n\ndef moved():\n    return 1\n"
    main = "import lib\n\nlib.OLD_NAME\n"
    reach = reach_library(tmp_path, library, main)
    assert reach.verdict("lib.moved").verdict == "reachable"


def test_storing_through_a_data_descriptor_runs_its_set(tmp_path: Path) -> None:
    # werkzeug's ``response.content_type = ...``: ``_DictAccessorProperty.__set__``
    library = (
        "class Header:\n"
        "    def __set__(self, obj, value):\n        obj.headers = convert(value)\n\n"
        "def convert(value):\n    return value\n\n"
        "class Response:\n    content_type = Header()\n"
    )
    main = "from lib import Response\n\nResponse().content_type = 'text/plain'\n"
    reach = reach_library(tmp_path, library, main)
    assert reach.verdict("lib.convert").verdict == "reachable"


@pytest.mark.parametrize(
    "klass",
    [
        "class Response:\n"
        "    @property\n    def status(self):\n        return ''\n"
        "    @status.setter\n    def status(self, value):\n        self.code = convert(value)\n",
        "class Response:\n"
        "    def _get(self):\n        return ''\n"
        "    def _set(self, value):\n        self.code = convert(value)\n"
        "    status = property(_get, _set)\n",
    ],
)
def test_storing_to_a_property_runs_its_setter(tmp_path: Path, klass: str) -> None:
    # werkzeug's ``response.status = ...``: the setter was never called, and what it calls
    # (with nothing else calling it) came out not-reachable
    library = f"def convert(value):\n    return value\n\n{klass}"
    main = "from lib import Response\n\nResponse().status = '200 OK'\n"
    reach = reach_library(tmp_path, library, main)
    assert reach.verdict("lib.convert").verdict == "reachable"


def test_a_dict_subclass_keeps_items_stored_through_dict_methods(tmp_path: Path) -> None:
    # werkzeug's MultiDict: ``dict.__setitem__(self, key, [value])``, read back through
    # ``dict.__getitem__`` and ``dict.items(self)``; request.files gave no FileStorage
    library = (
        "class Upload:\n    def read(self):\n        return b''\n"
        "    def save(self):\n        return None\n\n"
        "class MultiDict(dict):\n"
        "    def add(self, key, value):\n        dict.__setitem__(self, key, [value])\n"
        "    def first(self, key):\n        return dict.__getitem__(self, key)[0]\n"
        "    def pairs(self):\n"
        "        for key, values in dict.items(self):\n            yield key, values[0]\n\n"
        "files = MultiDict()\nfiles.add('a', Upload())\n"
    )
    main = (
        "from lib import files\n\nfiles.first('a').read()\n"
        "for name, upload in files.pairs():\n    upload.save()\n"
    )
    reach = reach_library(tmp_path, library, main)
    assert reach.verdict("lib.Upload.read").verdict == "reachable"
    assert reach.verdict("lib.Upload.save").verdict == "reachable"


@pytest.mark.parametrize(
    "filling",
    [
        "config = Config({'handler': Handler()})",
        "config = Config()\nconfig.update(handler=Handler())",
        "config = Config()\nconfig.setdefault('handler', Handler())",
        "config = Config()\nconfig['other'] = Other()\nconfig.update({'handler': Handler()})",
    ],
)
def test_a_dict_subclass_filled_by_its_native_methods_gives_back_what_it_holds(
    tmp_path: Path, filling: str
) -> None:
    # items stored by UserDict's own code (its __init__, update, setdefault) are read back as
    # well as those stored by subscript: else a read at an unknown key gives only the latter,
    # and a call on it resolves to those alone (the last case was a false not-reachable for
    # Handler.run while only subscripts were modelled)
    library = (
        "from collections import UserDict\n\n"
        "class Config(UserDict):\n    pass\n\n"
        "class Handler:\n    def run(self):\n        return 1\n\n"
        "class Other:\n    def run(self):\n        return 2\n"
    )
    main = f"from lib import Config, Handler, Other\n\n{filling}\nconfig[input()].run()\n"
    reach = reach_library(tmp_path, library, main)
    assert reach.verdict("lib.Handler.run").verdict == "reachable"
