"""The ``sbom-enrich`` command line (click). Exit codes are listed in ``docs/cli.md``.

Each command (or command family) is one module of this package (``enrich``, ``record``,
``verify``, ``symbols``, ``callgraph``, ``state``), imported when it is run (or when ``--help``
lists them), so that ``sbom-enrich callgraph`` loads the call-graph engine and not the SBOM, index
and Sigstore stack, and ``sbom-enrich --version`` loads neither.
"""

from __future__ import annotations

import importlib
import sys

import click

from sbom_enrich.cli.common import EXIT_CODES, EXIT_INTERNAL_ERROR
from sbom_enrich.version import __version__

__all__ = ["EXIT_INTERNAL_ERROR", "cli", "main"]

_COMMANDS = {
    "callgraph": "sbom_enrich.cli.callgraph:callgraph",
    "enrich": "sbom_enrich.cli.enrich:enrich",
    "record": "sbom_enrich.cli.record:record",
    "state": "sbom_enrich.cli.state:state",
    "symbols": "sbom_enrich.cli.symbols:symbols",
    "verify": "sbom_enrich.cli.verify:verify",
}
"""Command name -> ``module:attribute`` of its click command."""


class _LazyGroup(click.Group):
    """A group whose commands are imported on first use (the pattern click's docs describe)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in _COMMANDS and cmd_name not in self.commands:
            module, _, attribute = _COMMANDS[cmd_name].partition(":")
            command = getattr(importlib.import_module(module), attribute)
            assert isinstance(command, click.Command)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(
    cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES
)
@click.version_option(__version__, prog_name="sbom-enrich")
def cli() -> None:
    """Enrich CycloneDX SBOMs with what makes their Python dependencies risky."""


def main() -> None:
    """Entry point of the ``sbom-enrich`` console script."""
    _skip_unused_optional_modules()
    cli(prog_name="sbom-enrich")


UNUSED_FORMAT_CHECKERS: dict[str, tuple[str, ...]] = {
    "rfc3987_syntax": ("iri", "iri-reference"),  # checked by our validator instead
    "isoduration": ("duration",),  # with arrow: 40 ms
    "webcolors": ("color",),
    "jsonpointer": ("json-pointer", "relative-json-pointer"),
    "uri_template": ("uri-template",),
    "fqdn": ("hostname",),
}
"""Optional checkers jsonschema loads if installed -> the formats they check, which no CycloneDX
schema uses except the IRIs (tests/test_validation.py reads the schemas to hold us to that)."""


UNUSED_OPTIONAL_MODULES = ("httpx._main",)
"""Optional parts of libraries the command never uses, whose packages expect an ImportError:
httpx's own command line (it imports click, rich's tables and syntax, pygments: 45 ms)."""


def _skip_unused_optional_modules() -> None:
    """Keep jsonschema from loading format checkers that CycloneDX validation never uses.

    And httpx from loading its command line (:data:`UNUSED_OPTIONAL_MODULES`).

    cyclonedx-bom's ``validation`` extra installs them, and importing jsonschema imports each:
    ``rfc3987-syntax`` builds its Earley grammar for the ``iri`` formats (1 s at every start),
    which our validator checks itself (:mod:`sbom_enrich.cyclonedx.validate`); the others check
    formats the schemas do not use. A ``None`` entry in ``sys.modules`` is the documented way to
    make an import fail, which jsonschema expects of an optional checker. Only the command does
    this: the library leaves its host's imports alone.
    """
    for module in (*UNUSED_FORMAT_CHECKERS, *UNUSED_OPTIONAL_MODULES):
        sys.modules.setdefault(module, None)  # type: ignore[arg-type]
