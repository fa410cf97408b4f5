"""The exceptions sbom-enrich raises, and the exit code each one maps to.

Every error is an :class:`SbomEnrichError`. Each class carries a class-level ``exit_code`` (the
CLI exits with it) and each instance a terse ``message`` plus an optional ``explanation`` that tells
the user what to do about it::

    SbomEnrichError                    exit 3 unless a subclass says otherwise
    ├── InputError                     exit 3: the input cannot be used
    │   ├── UnreadableInputError       missing, unreadable, empty or wrongly encoded file
    │   ├── MalformedInputError        not well-formed JSON or XML (with line and column)
    │   ├── UnsafeXmlError             XML with a DTD entity, external entity or expansion bomb
    │   ├── NotABomError               well-formed, but not a CycloneDX BOM
    │   ├── UnsupportedSpecVersionError  a CycloneDX spec version we do not read
    │   ├── SchemaValidationError      violates the CycloneDX schema (with the JSON path)
    │   ├── DuplicateBomRefError       two components share one bom-ref
    │   ├── IncompatibleSpecVersionError  the content cannot be expressed in the asked spec version
    │   ├── ProjectError               sources or environment unreadable, or too large to solve
    │   ├── StateError                 the --state file cannot be opened or is too new
    │   ├── ConfigError                an ignore in the configuration file is invalid
    │   ├── AdvisoryDatabaseInputError  an --advisory-db path holds no readable OSV records
    │   ├── ReplayError                a --replay directory lacks a response the run needs
    │   └── BaselineError              the --baseline SBOM was not enriched by sbom-enrich
    ├── OutputError                    exit 2: the output path cannot be written
    └── UpstreamError                  exit 4: an upstream service failed in --strict mode

Exit codes 0 (success), 1 (findings at or above ``--fail-on``) and 2 (usage error, click's
default) are not errors of this tree; ``docs/cli.md`` lists them all.
"""

from __future__ import annotations

__all__ = [
    "AdvisoryDatabaseInputError",
    "BaselineError",
    "ConfigError",
    "DuplicateBomRefError",
    "IncompatibleSpecVersionError",
    "InputError",
    "MalformedInputError",
    "NotABomError",
    "OutputError",
    "ProjectError",
    "SbomEnrichError",
    "ReplayError",
    "SchemaValidationError",
    "StateError",
    "UnreadableInputError",
    "UnsafeXmlError",
    "UnsupportedSpecVersionError",
    "UpstreamError",
]


class SbomEnrichError(Exception):
    """Root of every error sbom-enrich raises on purpose."""

    exit_code: int = 3

    def __init__(self, message: str, *, explanation: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.explanation = explanation

    def __str__(self) -> str:
        return self.message


class InputError(SbomEnrichError):
    """The input SBOM cannot be used."""

    exit_code = 3


class UnreadableInputError(InputError):
    """The input file is missing, unreadable, empty or not in the expected encoding."""


class MalformedInputError(InputError):
    """The input is not well-formed JSON or XML."""


class UnsafeXmlError(InputError):
    """The XML input declares entities (external, or an expansion bomb); it is refused unread."""


class NotABomError(InputError):
    """The input is well-formed but is not a CycloneDX BOM."""


class UnsupportedSpecVersionError(InputError):
    """The input declares a CycloneDX spec version that sbom-enrich does not read or write."""


class SchemaValidationError(InputError):
    """The input violates the CycloneDX schema of its spec version."""

    def __init__(self, message: str, *, path: str, explanation: str | None = None) -> None:
        super().__init__(message, explanation=explanation)
        self.path = path


class DuplicateBomRefError(InputError):
    """Two components or services share one ``bom-ref``, so references are ambiguous."""


class IncompatibleSpecVersionError(InputError):
    """The input's content cannot be expressed in the spec version asked for."""


class ProjectError(InputError):
    """The application sources or the environment to analyze cannot be read.

    Or their call graph cannot be solved within its limit (``callgraph --max-values``).
    """


class StateError(InputError):
    """The state store given with ``--state`` cannot be opened or is newer than we understand."""


class ConfigError(InputError):
    """The configuration file (suppressions) cannot be read or an entry is invalid."""


class AdvisoryDatabaseInputError(InputError):
    """An ``--advisory-db`` path cannot be read or holds no OSV records."""


class ReplayError(InputError):
    """Replay mode met a request that the recording directory does not hold."""


class BaselineError(InputError):
    """The ``--baseline`` SBOM carries none of the properties an enrichment writes."""


class OutputError(SbomEnrichError):
    """An output file cannot be written."""

    exit_code = 2


class UpstreamError(SbomEnrichError):
    """An upstream service (an index, an advisory source) failed while ``--strict`` was set."""

    exit_code = 4
