"""How classes are made: generic bases, and the namespace ``__init_subclass__`` reads.

Found by ``bench/real_apps.py`` on mkdocs, whose config options were all unknown:
``class Plugins(OptionallyRequired[PluginCollection])`` and
``class OptionallyRequired(Generic[T], BaseConfigOption[T])``. The subscripted base gave no
class, and then ``Generic`` came before ``BaseConfigOption`` in the MRO (C3 has no solution for
the bases as written; Python drops ``Generic[T]`` through ``__mro_entries__``), so the option's
``__get__`` was never found; and ``Config.__init_subclass__`` collects the options from
``cls.__dict__``, which gave nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from analyzed_app import reach_library

from sbom_enrich.reachability.analysis import analyze
from sbom_enrich.reachability.index import IndexOptions

OPTION = (
    "from typing import Generic, TypeVar\n\nT = TypeVar('T')\n\n"
    "class Option(Generic[T]):\n"
    "    def __get__(self, obj, owner=None):\n        return obj.values[0]\n\n"
)
LIBRARY = (
    "class Collection:\n    def run_event(self):\n        return 1\n\n"
    "class Config:\n    plugins = Plugins()\n"
    "    def __init__(self):\n        self.values = [Collection()]\n"
)


@pytest.mark.parametrize(
    "plugins",
    [
        "class Plugins(Option['Collection']):\n    pass\n\n",
        "class Required(Generic[T], Option[T]):\n    pass\n\n"
        "class Plugins(Required['Collection']):\n    pass\n\n",
    ],
)
def test_a_descriptor_from_a_generic_base_is_found(tmp_path: Path, plugins: str) -> None:
    main = "from lib import Config\n\nConfig().plugins.run_event()\n"
    reach = reach_library(tmp_path, OPTION + plugins + LIBRARY, main)
    assert reach.verdict("lib.Collection.run_event").verdict == "reachable"


def test_a_generic_class_still_asks_its_getattr(tmp_path: Path) -> None:
    # werkzeug's ``class LocalProxy(t.Generic[T])`` with ``__getattr__``: ``request.args``
    library = (
        "import typing as t\n\nT = t.TypeVar('T')\n\n"
        "class Proxy(t.Generic[T]):\n"
        "    def __getattr__(self, name):\n        return lookup(name)\n\n"
        "def lookup(name):\n    return name\n\nrequest = Proxy()\n"
    )
    main = "from lib import request\n\nrequest.args\n"
    reach = reach_library(tmp_path, library, main)
    assert reach.verdict("lib.lookup").verdict == "reachable"


@pytest.mark.parametrize("namespace", ["cls.__dict__", "vars(cls)"])
def test_a_class_namespace_holds_what_its_body_binds(tmp_path: Path, namespace: str) -> None:
    # mkdocs' ``Config.__init_subclass__`` collects the options from ``cls.__dict__.items()``
    # (a UserDict, as there: ``cls`` bound to instances, as a method's ``self`` would be, read
    # every attribute from the external base)
    library = (
        "from collections import UserDict\n\n"
        "class Option:\n    def validate(self):\n        return 1\n\n"
        "class Config(UserDict):\n"
        "    def __init_subclass__(cls):\n"
        f"        cls.schema = [v for k, v in {namespace}.items()]\n"
        "    def check(self):\n"
        "        for option in self.schema:\n            option.validate()\n\n"
        "class Defaults(Config):\n    site = Option()\n"
    )
    main = "from lib import Defaults\n\nDefaults().check()\n"
    reach = reach_library(tmp_path, library, main)
    assert reach.verdict("lib.Option.validate").verdict == "reachable"


def test_init_subclass_and_class_getitem_are_classmethods(tmp_path: Path) -> None:
    # Python makes them so without ``@classmethod``: bound like one, ``cls`` is a class (seeded
    # as ``self`` would be, it held instances, and ``cls.__dict__`` read the external base's)
    library = (
        "class Config:\n"
        "    def __init_subclass__(cls):\n        pass\n"
        "    def __class_getitem__(cls, item):\n        return cls\n"
        "    def method(self):\n        pass\n"
    )
    path = tmp_path / "lib" / "__init__.py"
    path.parent.mkdir(parents=True)
    path.write_text(library)
    functions = analyze([tmp_path / "lib"], options=IndexOptions(jobs=1)).program.functions
    assert functions["lib.Config.__init_subclass__"].is_classmethod
    assert functions["lib.Config.__class_getitem__"].is_classmethod
    assert not functions["lib.Config.method"].is_classmethod
