"""Command line entry point: `linkcheck URL...`."""

from __future__ import annotations

import click

from linkcheck.checker import check_links


@click.command()
@click.argument("urls", nargs=-1, required=True)
@click.option("--proxy", default=None, help="HTTP(S) proxy URL.")
def main(urls: tuple[str, ...], proxy: str | None) -> None:
    """Check URLS and print one line per link."""
    for result in check_links(list(urls), proxy=proxy):
        mark = "ok" if result.ok else "BROKEN"
        click.echo(f"{mark:6} {result.url} {result.status or result.error}")
