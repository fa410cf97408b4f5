"""Look-alike names: a project named like a far more downloaded one (typosquatting).

The reference is the 15,000 most-downloaded PyPI projects (``data/top-pypi-packages.csv``:
30-day download counts from PyPI's public BigQuery data, via hugovk/top-pypi-packages,
2026-04-06). A name looks like a popular project's when, after PEP 503 normalization, one of
these turns one into the other:

- one edit: a character inserted, deleted, replaced, or two neighbours swapped
  (``0requests`` → ``requests``), for names of at least :data:`MIN_EDIT_LENGTH` characters:
  shorter names are one edit away from too many real projects;
- confusable characters: digits and letters that read alike (``0``/``o``, ``1``/``l``/``i``,
  ``3``/``e``, ``5``/``s``, ``rn``/``m``, ``vv``/``w``);
- a common prefix or suffix added (``python-``, ``py``, ``-py``, ``-python``, ``-lib``, ...);
- a leading or trailing digit moved to the other end (``3web`` → ``web3``).

Popularity must differ by far: an unlisted name is compared with projects downloaded at least
:data:`UNLISTED_RATIO` times the list's smallest count; a listed name only with projects
:data:`LISTED_RATIO` times more downloaded than itself, so popular projects with similar names
(``boto3``/``boto``) are not flagged for each other.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources

from packaging.utils import canonicalize_name

__all__ = ["LISTED_RATIO", "MIN_EDIT_LENGTH", "UNLISTED_RATIO", "Lookalike", "find_lookalike"]

MIN_EDIT_LENGTH = 5
"""Names shorter than this are compared by confusables, affixes and moved digits only."""

UNLISTED_RATIO = 30
"""A name off the list resembles only projects downloaded this many times the list's minimum."""

LISTED_RATIO = 1000
"""A listed name resembles only projects downloaded this many times more than itself."""

_CONFUSABLE_PAIRS = (("rn", "m"), ("vv", "w"))
_CONFUSABLE_CHARACTERS = str.maketrans({"0": "o", "1": "l", "i": "l", "3": "e", "5": "s"})
"""Replaced after the pairs (none of these makes a pair): one ``translate``, not five scans."""
_CANONICAL = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
"""A name PEP 503 normalization leaves as it is (every name the list holds today)."""
_PREFIXES = ("python-", "python", "py-", "py")
_SUFFIXES = ("-python", "python", "-py", "py", "-lib", "-sdk", "-api", "-client", "2", "3")


@dataclass(frozen=True)
class Lookalike:
    """The popular project a name resembles, how, and both download counts (None: unlisted)."""

    popular: str
    how: str
    popular_downloads: int
    own_downloads: int | None


@dataclass(frozen=True)
class _Popularity:
    downloads: Mapping[str, int]
    minimum: int
    maximum: int
    alphabet: str
    """Every character of a listed name: what one inserted or replaced character can be."""
    by_skeleton: Mapping[str, tuple[str, ...]]


@functools.cache
def _popularity() -> _Popularity:
    text = resources.files("sbom_enrich.data").joinpath("top-pypi-packages.csv").read_text()
    rows = csv.reader(io.StringIO(text))
    columns = next(rows)
    count_column, project_column = columns.index("download_count"), columns.index("project")
    downloads: dict[str, int] = {}
    for row in rows:
        if not row:  # a blank line (DictReader skipped them too)
            continue
        project = row[project_column]
        listed = project if _CANONICAL.fullmatch(project) else str(canonicalize_name(project))
        downloads[listed] = max(downloads.get(listed, 0), int(row[count_column]))
    by_skeleton: dict[str, list[str]] = {}
    for name in downloads:
        by_skeleton.setdefault(_skeleton(name), []).append(name)
    return _Popularity(
        downloads,
        min(downloads.values()),
        max(downloads.values()),
        "".join(sorted(set().union(*downloads))),
        {k: tuple(v) for k, v in by_skeleton.items()},
    )


def find_lookalike(project: str) -> Lookalike | None:
    """The far more popular project ``project``'s name resembles, or None."""
    name = canonicalize_name(project)
    table = _popularity()
    own = table.downloads.get(name)
    needed = (own * LISTED_RATIO) if own is not None else table.minimum * UNLISTED_RATIO
    if needed > table.maximum:  # no project is popular enough (most of a real SBOM's)
        return None
    candidates = [
        (table.downloads[popular], popular, how)
        for popular, how in _neighbours(name, table)
        if popular != name and table.downloads.get(popular, 0) >= needed
    ]
    if not candidates:
        return None
    count, popular, how = max(candidates)
    return Lookalike(popular, how, count, own)


def _neighbours(name: str, table: _Popularity) -> Iterator[tuple[str, str]]:
    for popular in table.by_skeleton.get(_skeleton(name), ()):
        yield popular, "confusable characters"
    for variant in _affix_stripped(name):
        if variant in table.downloads:
            yield variant, "a prefix or suffix added"
    for variant in _digit_moved(name):
        if variant in table.downloads:
            yield variant, "a digit moved to the other end"
    if len(name) + 1 >= MIN_EDIT_LENGTH:
        for popular in _one_edit(name, table):
            yield popular, "one character changed"


def _one_edit(name: str, table: _Popularity) -> Iterator[str]:
    """Listed names one deletion, insertion, substitution or neighbour swap away.

    Each edit of ``name`` is made and looked up: about a thousand set look-ups per name, where
    an index of the list's deletions took longer to build than the look-ups of a large SBOM.
    A listed name shorter than :data:`MIN_EDIT_LENGTH` is only found by a deletion.
    """
    found = {variant for variant in _deletions(name) if variant in table.downloads}
    for edit in _insertions_substitutions_swaps(name, table.alphabet):
        if len(edit) >= MIN_EDIT_LENGTH and edit in table.downloads:
            found.add(edit)
    found.discard(name)
    yield from sorted(found)


def _insertions_substitutions_swaps(name: str, alphabet: str) -> Iterator[str]:
    for i in range(len(name) + 1):
        head, tail = name[:i], name[i:]
        for char in alphabet:
            yield head + char + tail
            if tail:
                yield head + char + tail[1:]
        if len(tail) > 1:
            yield head + tail[1] + tail[0] + tail[2:]


def _deletions(name: str) -> set[str]:
    return {name[:i] + name[i + 1 :] for i in range(len(name))}


def _skeleton(name: str) -> str:
    for look, alike in _CONFUSABLE_PAIRS:
        name = name.replace(look, alike)
    return name.translate(_CONFUSABLE_CHARACTERS)


def _affix_stripped(name: str) -> Iterator[str]:
    for prefix in _PREFIXES:
        if name.startswith(prefix) and len(name) > len(prefix) + 2:
            yield name[len(prefix) :].strip("-")
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 2:
            stripped = name[: -len(suffix)].strip("-")
            yield stripped
            yield from _digit_moved(stripped)


def _digit_moved(name: str) -> Iterator[str]:
    if len(name) > 2 and name[0].isdigit():
        yield name[1:] + name[0]
    if len(name) > 2 and name[-1].isdigit():
        yield name[-1] + name[:-1]
