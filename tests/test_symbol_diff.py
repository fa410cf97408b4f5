"""Which symbols a fix changed, on tiny wheels of our own package built in the test."""

from __future__ import annotations

import io
import zipfile

from sbom_enrich.adapters.pypi.distributions import read_sources
from sbom_enrich.reachability.diff import changed_symbols

BASE = {
    "tinypkg/__init__.py": '__version__ = "1.0"\nfrom .core import parse\n',
    "tinypkg/core.py": '''"""Core."""

class Loader:
    SAFE_TAGS = ("int", "str")

    def load(self, text):
        """Load text."""
        if text in self.SAFE_TAGS:
            return text
        return self.construct(text)

    def construct(self, text):
        return text.upper()

    def describe(self):
        return "loader"


Loader.add_constructor = staticmethod(lambda tag, f: None)
Loader.add_constructor("tag:apply", Loader.construct)


def parse(text):
    return Loader().load(text)


def render(value):
    return str(value)
''',
}


def wheel(files: dict[str, str], native: bytes = b"\x7fELF1") -> tuple[str, bytes]:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)
        archive.writestr("tinypkg/_speedups.so", native)
        archive.writestr("tinypkg-1.0.dist-info/RECORD", "")
    return "tinypkg-1.0-py3-none-any.whl", buffer.getvalue()


def diff(fixed: dict[str, str], native: bytes = b"\x7fELF1") -> set[tuple[str, str]]:
    vulnerable = read_sources(*wheel(BASE))
    patched = read_sources(*wheel(fixed, native))
    result = changed_symbols(vulnerable.modules, patched.modules)
    return {(c.symbol, c.kind) for c in result.changes}


def edited(old: str, new: str) -> dict[str, str]:
    files = dict(BASE)
    assert old in files["tinypkg/core.py"]
    files["tinypkg/core.py"] = files["tinypkg/core.py"].replace(old, new)
    return files


def test_reads_modules_and_leaves_metadata_out() -> None:
    sources = read_sources(*wheel(BASE))
    assert set(sources.modules) == {"tinypkg", "tinypkg.core"}
    assert set(sources.other_files) == {"tinypkg/_speedups.so"}


def test_changed_function_is_named() -> None:
    fixed = edited("        return text.upper()", "        return text.strip().upper()")
    assert diff(fixed) == {("tinypkg.core.Loader.construct", "function")}


def test_docstring_comment_and_formatting_changes_are_ignored() -> None:
    fixed = edited(
        '        """Load text."""', '        """Load text safely (no change)."""  # note'
    )
    fixed["tinypkg/core.py"] = fixed["tinypkg/core.py"].replace(
        "return str(value)", "return str( value )"
    )
    assert diff(fixed) == set()


def test_version_churn_is_ignored() -> None:
    fixed = dict(BASE)
    fixed["tinypkg/__init__.py"] = fixed["tinypkg/__init__.py"].replace('"1.0"', '"1.1"')
    assert diff(fixed) == set()


def test_changed_class_attribute_is_mapped_to_its_readers() -> None:
    fixed = edited('SAFE_TAGS = ("int", "str")', 'SAFE_TAGS = ("int",)')
    assert diff(fixed) == {
        ("tinypkg.core.Loader.SAFE_TAGS", "attribute"),
        ("tinypkg.core.Loader.load", "attribute-reader"),
    }


def test_added_helper_is_mapped_to_its_callers() -> None:
    fixed = edited(
        "def parse(text):\n    return Loader().load(text)",
        "def _check(text):\n    return text\n\n\n"
        "def parse(text):\n    return Loader().load(_check(text))",
    )
    assert diff(fixed) == {
        ("tinypkg.core.parse", "function"),
        ("tinypkg.core.parse", "helper-caller"),
    }


def test_registration_call_change_is_a_candidate() -> None:
    fixed = edited('Loader.add_constructor("tag:apply", Loader.construct)\n', "")
    assert diff(fixed) == {("tinypkg.core.<registration add_constructor>", "registration")}


def test_native_only_fix_changes_no_python_symbol() -> None:
    vulnerable = read_sources(*wheel(BASE))
    patched = read_sources(*wheel(BASE, native=b"\x7fELF2"))
    result = changed_symbols(vulnerable.modules, patched.modules)
    assert not result.python_changed and result.modules == ()
    assert vulnerable.other_files != patched.other_files  # the fix is in native code


def test_a_changed_table_is_mapped_to_its_readers_in_other_modules() -> None:
    # idna 3.7 style: the fix changed data in one module that a function of another reads
    vulnerable = {
        "pkg.data": "JOINING = {1: 'L'}\n",
        "pkg.core": "from . import data\n\n\ndef check(c):\n    return data.JOINING.get(c)\n\n\n"
        "def unrelated(JOINING):\n    return JOINING\n",
    }
    fixed = dict(vulnerable, **{"pkg.data": "JOINING = {1: 'R'}\n"})
    result = changed_symbols(vulnerable, fixed)
    assert {(c.symbol, c.kind) for c in result.changes} == {
        ("pkg.data.JOINING", "attribute"),
        ("pkg.core.check", "attribute-reader"),  # names the module too; unrelated does not
    }
