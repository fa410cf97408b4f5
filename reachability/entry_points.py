"""The entry points an application declares: a launcher outside the program calls them.

``pip install`` turns each ``console_scripts`` (and ``gui_scripts``) entry into a script that
imports the module and calls the function; a plugin host loads the other groups' entries by
name (``importlib.metadata.entry_points``) and calls them. No analyzed code calls them, so the
search must start there too. They are read, never run, from the project's own metadata next to
its sources (``pyproject.toml``: ``[project.scripts]``, ``[project.gui-scripts]``,
``[project.entry-points.*]``, Poetry's ``[tool.poetry.scripts]``; ``setup.cfg``:
``[options.entry_points]``) and from the ``entry_points.txt`` of an installed distribution that
owns one of the application's top-level modules (any build backend writes it, ``setup.py``
ones included).
"""

from __future__ import annotations

import configparser
from collections.abc import Collection, Container, Iterable, Iterator, Mapping, Sequence
from importlib.metadata import Distribution, EntryPoint, distributions
from pathlib import Path

from sbom_enrich.toml import tomllib

__all__ = ["UnreadableEntryPointsError", "declared_entry_points", "entry_point_roots"]


class UnreadableEntryPointsError(Exception):
    """A metadata file that may declare entry points cannot be read: roots would be missing."""


def declared_entry_points(
    sources: Sequence[Path],
    site_packages: Iterable[Path],
    owners: Mapping[str, Collection[str]],
    application: Collection[str],
) -> tuple[EntryPoint, ...]:
    """Every entry point the application declares, in its project files or installed.

    ``owners`` maps the installed distributions to their top-level modules
    (:func:`~sbom_enrich.reachability.distributions.module_owners`), ``application`` holds the
    application's top-level module names. Raises :class:`UnreadableEntryPointsError` naming
    the file that cannot be parsed.
    """
    found: dict[tuple[str, str, str], EntryPoint] = {}
    for directory in _project_directories(sources):
        for entry_point in _from_project(directory):
            found.setdefault((entry_point.group, entry_point.name, entry_point.value), entry_point)
    search = [str(path) for path in site_packages]
    for name, modules in owners.items():
        if set(modules) & set(application):
            for distribution in distributions(name=name, path=search):
                for entry_point in _installed(distribution):
                    key = (entry_point.group, entry_point.name, entry_point.value)
                    found.setdefault(key, entry_point)
    return tuple(found.values())


def entry_point_roots(
    entry_points: Iterable[EntryPoint], functions: Container[str], classes: Container[str]
) -> list[str]:
    """The graph nodes the launchers call: the function named, or a class's ``__init__``.

    An entry naming a module object of another kind (an instance) gives nothing here: its
    module's top-level code is a root already, and its ``__call__`` is not followed.
    """
    roots: list[str] = []
    for entry_point in entry_points:
        if entry_point.pattern.match(entry_point.value) is None:
            continue  # not ``module:attribute [extras]``: no launcher can load it
        module, attribute = entry_point.module, entry_point.attr
        name = f"{module}.{attribute}" if attribute else module
        if name in classes:
            name = f"{name}.__init__"
        if name in functions and name not in roots:
            roots.append(name)
    return roots


def _project_directories(sources: Sequence[Path]) -> Iterator[Path]:
    """Where a source root's project metadata may be: the root, or above a package or ``src``."""
    seen: set[Path] = set()
    for source in sources:
        path = Path(source).resolve()
        directory = path.parent if path.is_file() else path
        candidates = [directory]
        if (directory / "__init__.py").exists() or directory.name == "src":
            candidates.append(directory.parent)
            if directory.parent.name == "src":  # src/pkg given
                candidates.append(directory.parent.parent)
        for candidate in candidates:
            if candidate not in seen:
                seen.add(candidate)
                yield candidate


def _from_project(directory: Path) -> Iterator[EntryPoint]:
    pyproject = directory / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError) as err:
            raise UnreadableEntryPointsError(f"{pyproject}: {err}") from err
        project = _table(data.get("project"))
        groups: list[tuple[str, Mapping[str, object]]] = [
            ("console_scripts", _table(project.get("scripts"))),
            ("gui_scripts", _table(project.get("gui-scripts"))),
            *(
                (str(group), _table(entries))
                for group, entries in _table(project.get("entry-points")).items()
            ),
        ]
        poetry = _table(_table(data.get("tool")).get("poetry"))
        poetry_scripts = {  # ``name = "module:function"`` or ``{ callable = "..." }``
            name: _table(value).get("callable") if isinstance(value, dict) else value
            for name, value in _table(poetry.get("scripts")).items()
        }
        groups.append(("console_scripts", poetry_scripts))
        for group, entries in groups:
            for name, value in entries.items():
                if isinstance(value, str) and value:
                    yield EntryPoint(str(name), value, group)
    setup_cfg = directory / "setup.cfg"
    if setup_cfg.is_file():
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_string(setup_cfg.read_text(encoding="utf-8"), str(setup_cfg))
        except (OSError, UnicodeDecodeError, configparser.Error) as err:
            raise UnreadableEntryPointsError(f"{setup_cfg}: {err}") from err
        if parser.has_section("options.entry_points"):
            for group, lines in parser.items("options.entry_points"):
                for line in lines.splitlines():
                    name, equals, value = line.partition("=")
                    if equals and value.strip():
                        yield EntryPoint(name.strip(), value.strip(), group)


def _installed(distribution: Distribution) -> tuple[EntryPoint, ...]:
    try:
        return tuple(distribution.entry_points)
    except (ValueError, configparser.Error) as err:
        name = distribution.metadata["Name"]
        raise UnreadableEntryPointsError(f"entry_points.txt of {name}: {err}") from err


def _table(value: object) -> Mapping[str, object]:
    return value if isinstance(value, dict) else {}
