"""Computed imports are bounded by the strings that reach them (``import_bounds``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from analyzed_app import reach

from sbom_enrich.reachability.import_bounds import Pattern, decode, encode, may_import
from sbom_enrich.reachability.query import Reachability

_SITE = {
    "plugins/__init__.py": "",
    "plugins/core.py": "def run():\n    pass\n",
    "other/__init__.py": "def f():\n    pass\n",
}


def _reach(tmp_path: Path, main: str) -> Reachability:
    files = {f"site/{name}": text for name, text in _SITE.items()}
    return reach(tmp_path, {**files, "app/main.py": main})


BOUNDED = {
    "an attribute set from a constructor argument, rewritten": (
        "import importlib\n\n"
        "class Loader:\n"
        "    def __init__(self, name):\n"
        "        self.name = name\n\n"
        "    def load(self):\n"
        "        return importlib.import_module(self.name.replace(':', '.'))\n\n"
        "Loader('plugins:core').load()\n"
    ),
    "a piece cut from a parameter": (
        "def load(path):\n"
        "    module, _, attr = path.rpartition('.')\n"
        "    return getattr(__import__(module), attr)\n\n"
        "load('plugins.core.run')\n"
    ),
    "a constant beginning and input after it": (
        "import importlib\n\nimportlib.import_module('plugins.' + input())\n"
    ),
    "an f-string's constant beginning": (
        "import importlib\n\nimportlib.import_module(f'plugins.{input()}')\n"
    ),
    "a format template's constant beginning": (
        "import importlib\n\nimportlib.import_module('plugins.{}'.format(input()))\n"
    ),
    "a keyword passed on through **kwargs with other keys set": (
        "import importlib\n\nclass Base:\n    def __init__(self, name=None, **rest):\n"
        "        importlib.import_module(name)\n\n"
        "class Child(Base):\n    def __init__(self, **options):\n"
        "        if 'flag' not in options:\n            options['flag'] = input()\n"
        "        super().__init__(**options)\n\n"
        "Child(name='plugins.core')\n"
    ),
    "a positional passed on through *args": (
        "import importlib\n\nclass Loader:\n    def __init__(self, name):\n"
        "        importlib.import_module(name)\n\n"
        "def make(cls, *args):\n    return cls(*args)\n\nmake(Loader, 'plugins.core')\n"
    ),
    "a method called by name on an object of unknown type, with known strings": (
        "import importlib\n\nclass Hook:\n    def load(self, name):\n"
        "        importlib.import_module(name)\n\n"
        "def run(obj):\n    obj.load('plugins.core')\n\nrun(input())\n"
    ),
    "an attribute a computed setattr cannot name": (
        "import importlib, os\n\nclass Box:\n    def __init__(self):\n"
        "        self.name = 'plugins'\n\n"
        "box = Box()\nsetattr(box, '_cache_' + os.environ['KEY'], os.environ['VALUE'])\n"
        "importlib.import_module(box.name)\n"
    ),
    "a constructor a computed getattr cannot give": (
        "import importlib, os\n\nclass Loader:\n    def __init__(self, name):\n"
        "        importlib.import_module(name)\n\n"
        "    def _cache_x(self, value):\n        pass\n\n"
        "loader = Loader('plugins.core')\n"
        "getattr(loader, '_cache_' + input())(os.environ['VALUE'])\n"
    ),
    "a loop variable rebound in the body after its use": (
        "import importlib\n\ndef load(names):\n    for name in names:\n"
        "        if isinstance(name, str):\n            name = importlib.import_module(name)\n"
        "        name.run()\n\nload(('plugins.core',))\n"
    ),
    "a value given back by typing.cast": (
        "import importlib, typing\n\nimportlib.import_module(typing.cast(str, 'plugins.core'))\n"
    ),
    "a default sentinel made by type()": (
        "import importlib\n\nmissing = type('Missing', (), {})()\n\n"
        "def load(name=missing):\n    if name is not missing:\n"
        "        importlib.import_module(name)\n\nload('plugins.core')\nload()\n"
    ),
    "a keyword a local dict passed as **options never holds": (
        "import importlib\n\nDEFAULTS = {}\n\nclass Env:\n"
        "    def __init__(self, extensions=()):\n        for name in extensions:\n"
        "            importlib.import_module(name)\n\n"
        "def make():\n    options = dict(DEFAULTS)\n    options['flag'] = input()\n"
        "    return Env(**options)\n\nmake()\nEnv(extensions=('plugins.core',))\n"
    ),
    "an attribute of an instance handed to external code, set by its constructor": (
        "import importlib, json\n\n"
        "class Loader:\n"
        "    def __init__(self, name):\n        self.name = name\n\n"
        "    def write(self, text):\n        importlib.import_module(self.name)\n\n"
        "json.dump({}, Loader('plugins.core'))\n"  # json calls write(), never __init__
    ),
    "input passed only from code that never runs": (
        "import importlib\n\ndef load(name):\n    importlib.import_module(name)\n\n"
        "def unused():\n    load(input())\n\nload('plugins.core')\n"
    ),
}


@pytest.mark.parametrize("main", BOUNDED.values(), ids=BOUNDED.keys())
def test_a_computed_import_of_known_strings_leaves_other_packages_not_reachable(
    tmp_path: Path, main: str
) -> None:
    reach = _reach(tmp_path, main)
    assert reach.module_verdict("other").verdict == "not-reachable"
    plugins = reach.module_verdict("plugins.core")
    assert plugins.verdict == "unknown"
    assert "imports a module by a computed name at line" in plugins.reason
    assert plugins.reason.endswith("which may load plugins")


UNBOUNDED = {
    "a value from external code": "import importlib, sys\n\nimportlib.import_module(sys.argv[1])\n",
    "a format template that starts with a field": (
        "import importlib\n\nimportlib.import_module('{}'.format('plugins'))\n"
    ),
    "a string made by a method not modelled": (
        "import importlib\n\nimportlib.import_module(''.join(['plugins']))\n"
    ),
    "a parameter of a function handed to external code": (
        "import atexit, importlib\n\n"
        "def load(name):\n    importlib.import_module(name)\n\n"
        "load('plugins')\natexit.register(load)\n"
    ),
    "a parameter of a method a call on an unknown object may run": (
        "import importlib\n\nclass Hook:\n    def load(self, name):\n"
        "        importlib.import_module(name)\n\n"
        "Hook().load('plugins')\n\ndef run(obj):\n    obj.load(input())\n\nrun(input())\n"
    ),
    "an attribute a computed setattr may store": (
        "import importlib, os\n\nclass Box:\n    def __init__(self):\n"
        "        self.name = 'plugins'\n\n"
        "box = Box()\nsetattr(box, os.environ['KEY'], os.environ['VALUE'])\n"
        "importlib.import_module(box.name)\n"
    ),
    "**kwargs changed before it is passed on": (
        "import importlib, os\n\nclass Base:\n    def __init__(self, name=None, **rest):\n"
        "        importlib.import_module(name)\n\n"
        "class Child(Base):\n    def __init__(self, **options):\n"
        "        options.update(os.environ)\n        super().__init__(**options)\n\n"
        "Child(name='plugins.core')\n"
    ),
    "*args passed on from a call with external values": (
        "import importlib, sys\n\nclass Loader:\n    def __init__(self, name):\n"
        "        importlib.import_module(name)\n\n"
        "def make(cls, *args):\n    return cls(*args)\n\n"
        "make(Loader, 'plugins.core')\nmake(Loader, *sys.argv)\n"
    ),
    "a keyword of a dict copied from external code": (
        "import importlib, os\n\nclass Env:\n    def __init__(self, extensions=()):\n"
        "        for name in extensions:\n            importlib.import_module(name)\n\n"
        "options = dict(os.environ)\nEnv(**options)\n"
    ),
    "input passed from a special method the interpreter may call": (
        "import importlib\n\ndef load(name):\n    importlib.import_module(name)\n\n"
        "class Box:\n    def __str__(self):\n        load(input())\n        return ''\n\n"
        "load('plugins.core')\nprint(Box())\n"
    ),
    "a list of a known object and items of an unknown one": (
        "import importlib, json\n\nclass Ext:\n    pass\n\n"
        "def register(extensions):\n    for ext in extensions:\n"
        "        if isinstance(ext, str):\n            ext = importlib.import_module(ext)\n\n"
        "def render(config):\n    register([Ext(), *config['extensions']])\n\n"
        "render(json.loads(input()))\n"
    ),
    "a positional passed through *args from a list with unknown items": (
        "import importlib, json\n\nclass Ext:\n    pass\n\n"
        "def load(first, name):\n    if isinstance(name, str):\n"
        "        importlib.import_module(name)\n\n"
        "def run(config):\n    load(*[Ext(), *config['names']])\n\n"
        "run(json.loads(input()))\n"
    ),
    "a list a value of unknown type is appended to": (
        "import importlib, json\n\nclass Ext:\n    pass\n\n"
        "def register(extensions):\n    for ext in extensions:\n"
        "        if isinstance(ext, str):\n            ext = importlib.import_module(ext)\n\n"
        "def render(config):\n    names = [Ext()]\n    names.append(config['extra'])\n"
        "    register(names)\n\nrender(json.loads(input()))\n"
    ),
    "a constructor a computed getattr may give": (
        "import importlib, os\n\nclass Loader:\n    def __init__(self, name):\n"
        "        importlib.import_module(name)\n\n"
        "loader = Loader('plugins.core')\n"
        "getattr(loader, input())(os.environ['VALUE'])\n"
    ),
}


@pytest.mark.parametrize("main", UNBOUNDED.values(), ids=UNBOUNDED.keys())
def test_a_computed_import_of_strings_from_anywhere_else_stays_unknown_for_all(
    tmp_path: Path, main: str
) -> None:
    verdict = _reach(tmp_path, main).module_verdict("other")
    assert verdict.verdict == "unknown"
    assert "import of a computed module name" in verdict.reason


@pytest.mark.parametrize(
    ("pattern", "package", "expected"),
    [
        (Pattern("exact", "jinja2.ext"), "jinja2", True),
        (Pattern("exact", "jinja2.ext"), "ext", False),
        (Pattern("prefix", "_templates_"), "_templates_1f", True),
        (Pattern("prefix", "plugins."), "plugin", False),
        (Pattern("part", "a.pip_tools.b"), "pip", True),
        (Pattern("part", "a.b"), "pip", False),
    ],
)
def test_what_a_pattern_may_load(pattern: Pattern, package: str, expected: bool) -> None:
    assert may_import(pattern, package) is expected
    assert decode(encode(pattern)) == pattern


def test_a_method_a_builtin_base_defines_is_not_an_unresolved_call(tmp_path: Path) -> None:
    reach = _reach(
        tmp_path,
        "class Failure(Exception):\n    def __init__(self, message):\n"
        "        Exception.__init__(self, message)\n\nFailure('x')\n",
    )
    assert "unresolved" not in reach.graph.nodes["main.Failure.__init__"]
    assert reach.graph.has_edge("main.Failure.__init__", "<builtin>.Exception.__init__")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("lib.compat", "not-reachable"),
        ("lib.compat.moves", "not-reachable"),
        ("lib.later", "unknown"),
    ],
    ids=[
        "a module that runs already",
        "a name below a module that is not a package",
        "a module of the package that does not run yet",
    ],
)
def test_a_computed_import_that_runs_no_new_code_leaves_the_package_decided(
    tmp_path: Path, name: str, expected: str
) -> None:
    # urllib3's vendored six imports "urllib3.packages.six.moves.urllib" by a computed name:
    # six is a module, not a package, so only six's own finder (handed to the import system)
    # can serve that name; importing it runs no module of urllib3 that was not running
    library = (
        "import importlib\nfrom lib import compat\n\n"
        "def load(name):\n    return importlib.import_module(name)\n\n"
        "def helper():\n    pass\n"
    )
    files = {
        "site/lib/__init__.py": library,
        "site/lib/compat.py": "",
        "site/lib/later.py": "from lib import helper\n\nhelper()\n",
        "app/main.py": f"import lib\n\nlib.load({name!r})\n",
    }
    verdict = reach(tmp_path, files).verdict("lib.helper")
    assert verdict.verdict == expected
    if expected == "unknown":
        assert verdict.reason.endswith("made from 'lib.later', which may load lib")
