"""``sbom-enrich verify``: the attestations of one file or one release."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sbom_enrich.cli.common import (
    echo,
    guarded,
)
from sbom_enrich.cli.lookup_options import index_options, replaying
from sbom_enrich.trust.verify import Verification, verify_file, verify_release
from sbom_enrich.wiring import LookupOptions, open_lookup

__all__ = ["verify"]


@click.command(short_help="Verify the attestations of one file or one release.")
@click.argument("target", metavar="TARGET")
@index_options
@click.option("-v", "--verbose", is_flag=True, help="Show each file; tracebacks on errors.")
def verify(
    target: str,
    options: LookupOptions,
    verbose: bool,
) -> None:
    """Verify TARGET: a local wheel or sdist, or a release written NAME==VERSION.

    A local file's sha256 is compared with the index's digest for that file name,
    then its PEP 740 provenance is verified. Exit 0 when verified, 1 otherwise.
    """

    def job() -> Verification:
        with open_lookup(options) as lookup:
            path = Path(target)
            if "==" not in target or path.exists():
                return replaying(lambda: verify_file(lookup.facts, path))
            return replaying(lambda: verify_release(lookup.facts, target))

    verdict = guarded(job, verbose=verbose)
    identity = f" by {verdict.publisher.describe()}" if verdict.publisher else ""
    reason = f": {verdict.reason}" if verdict.reason else ""
    echo(f"{verdict.target}: {verdict.status}{identity}{reason}", err=False)
    if verbose:
        for file in verdict.files:
            detail = f" ({file.reason})" if file.reason else ""
            echo(f"  {file.filename}: {file.status}{detail}", err=False)
    sys.exit(0 if verdict.verified else 1)
