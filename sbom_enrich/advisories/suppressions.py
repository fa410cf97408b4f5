"""Suppressions: ignores with reasons, from ``.sbom-enrich.toml`` or ``pyproject.toml``.

``.sbom-enrich.toml`` (top level) or ``pyproject.toml`` (under ``[tool.sbom-enrich]``)::

    [[ignore]]                       # [[tool.sbom-enrich.ignore]] in pyproject.toml
    id = "PYSEC-2023-74"             # the advisory id or any of its aliases (CVE, GHSA, ...)
    package = "requests"             # optional: only this project
    versions = "<2.31"               # optional: only these versions (a PEP 440 specifier set)
    reason = "we never send proxy credentials"   # required
    until = 2026-12-31               # optional: stops applying after this day
    state = "not_affected"           # optional CycloneDX analysis state (default not_affected)
    justification = "code_not_reachable"         # optional CycloneDX justification

An expired ignore no longer applies and is reported, so a deferred fix cannot be forgotten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from sbom_enrich.errors import ConfigError
from sbom_enrich.toml import tomllib

__all__ = [
    "ANALYSIS_STATES",
    "JUSTIFICATIONS",
    "Ignore",
    "find_config",
    "load_ignores",
]

ANALYSIS_STATES = (
    "resolved",
    "resolved_with_pedigree",
    "exploitable",
    "in_triage",
    "false_positive",
    "not_affected",
)
"""CycloneDX ``impactAnalysisState`` values."""

JUSTIFICATIONS = (
    "code_not_present",
    "code_not_reachable",
    "requires_configuration",
    "requires_dependency",
    "requires_environment",
    "protected_by_compiler",
    "protected_at_runtime",
    "protected_at_perimeter",
    "protected_by_mitigating_control",
)
"""CycloneDX ``impactAnalysisJustification`` values."""

_KEYS = {"id", "package", "versions", "reason", "until", "state", "justification"}


@dataclass(frozen=True)
class Ignore:
    """One ignore rule; ``where`` names its file and position for reports."""

    id: str
    reason: str
    where: str
    package: str | None = None
    versions: SpecifierSet | None = None
    until: date | None = None
    state: str = "not_affected"
    justification: str | None = None

    def expired(self, today: date) -> bool:
        """True after the ``until`` day."""
        return self.until is not None and today > self.until

    def matches(self, ids: frozenset[str], project: str, version: str) -> bool:
        """Whether this rule covers an advisory with ``ids`` in ``project`` ``version``."""
        if self.id not in ids:
            return False
        if self.package is not None and canonicalize_name(self.package) != project:
            return False
        if self.versions is not None:
            try:
                return Version(version) in self.versions
            except InvalidVersion:
                return False
        return True


def find_config(directory: Path) -> Path | None:
    """``.sbom-enrich.toml`` in ``directory``, else its ``pyproject.toml`` if that has our table."""
    dedicated = directory / ".sbom-enrich.toml"
    if dedicated.is_file():
        return dedicated
    pyproject = directory / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
            return None
        tool = data.get("tool")
        if isinstance(tool, dict) and "sbom-enrich" in tool:
            return pyproject
    return None


def load_ignores(path: Path) -> tuple[Ignore, ...]:
    """The ignore rules of a configuration file; a bad entry is a :class:`ConfigError`."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise ConfigError(f"{path}: cannot read: {err.strerror or err}") from err
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"{path}: not valid TOML: {err}") from err
    except RecursionError as err:
        raise ConfigError(f"{path}: not valid TOML: nested too deeply") from err
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("sbom-enrich", {}) if isinstance(tool, dict) else {}
        where, prefix = "[tool.sbom-enrich]", "tool.sbom-enrich.ignore"
    else:
        table, where, prefix = data, "the top level", "ignore"
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: {where} must be a table")
    unknown = sorted(set(table) - {"ignore"})
    if unknown:
        raise ConfigError(
            f"{path}: unknown key {unknown[0]!r} in {where} (allowed: ignore; options such as "
            "--fail-on are given on the command line)"
        )
    entries = table.get("ignore", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: {prefix} must be an array of tables ([[{prefix}]])")
    return tuple(
        _ignore(entry, f"{path}: {prefix}[{number}]") for number, entry in enumerate(entries)
    )


def _ignore(entry: Any, where: str) -> Ignore:
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: must be a table")
    unknown = sorted(set(entry) - _KEYS)
    if unknown:
        raise ConfigError(
            f"{where}: unknown key {unknown[0]!r} (allowed: {', '.join(sorted(_KEYS))})"
        )
    for key in ("id", "reason"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise ConfigError(f"{where}: {key!r} is required and must be a non-empty string")
    versions = None
    if "versions" in entry:
        try:
            versions = SpecifierSet(str(entry["versions"]))
        except InvalidSpecifier as err:
            raise ConfigError(f"{where}: 'versions' is not a PEP 440 specifier set: {err}") from err
    until = entry.get("until")
    if until is not None and not isinstance(until, date):
        raise ConfigError(f"{where}: 'until' must be a date such as 2026-12-31")
    state = entry.get("state", "not_affected")
    if state not in ANALYSIS_STATES:
        raise ConfigError(f"{where}: 'state' must be one of {', '.join(ANALYSIS_STATES)}")
    justification = entry.get("justification")
    if justification is not None and justification not in JUSTIFICATIONS:
        raise ConfigError(f"{where}: 'justification' must be one of {', '.join(JUSTIFICATIONS)}")
    package = entry.get("package")
    if package is not None and not isinstance(package, str):
        raise ConfigError(f"{where}: 'package' must be a string")
    return Ignore(
        id=entry["id"].strip(),
        reason=entry["reason"].strip(),
        where=where,
        package=package,
        versions=versions,
        until=until,
        state=state,
        justification=justification,
    )
