"""Benchmark (online, not part of CI): are derived vulnerable symbols right?

For real advisories whose vulnerable function is publicly documented (named in the advisory
text, or changed by the fix commit the advisory links), derive the candidates exactly as
``sbom-enrich symbols derive`` does (advisory record from the PyPA snapshot in
tests/fixtures/advisories, releases downloaded from the index, nothing installed) and report the
rank of the true symbol, the number of candidates and the seconds it took. Curated symbols are
not consulted: this measures derivation alone.

    python bench/symbols.py [--state FILE]     # default: a fresh state (cold downloads)

A case's truth may name several symbols when the fix changed a class attribute and the
derivation maps it to the method that reads it, or when the fix changed two functions: the
rank is the best rank of any of them.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sbom_enrich.adapters.advisories.database import AdvisoryDatabase
from sbom_enrich.adapters.pypi.index import ProjectPage, PyPIClient
from sbom_enrich.adapters.pypi.release_sources import IndexReleaseSources
from sbom_enrich.reach.symbols import DiffCache, derive_symbols
from sbom_enrich.wiring import LookupOptions, open_advisory_database, open_lookup

ROOT = Path(__file__).resolve().parent.parent
ADVISORIES = ROOT / "tests" / "fixtures" / "advisories" / "pypa-advisory-database-3ccb612.zip"


@dataclass(frozen=True)
class Case:
    """One advisory and the symbols its fix is publicly known to be about."""

    package: str
    advisory: str
    truth: frozenset[str]
    documented_by: str


def _case(package: str, advisory: str, truth: set[str], documented_by: str) -> Case:
    return Case(package, advisory, frozenset(truth), documented_by)


CASES = (
    _case(
        "requests",
        "PYSEC-2023-74",
        {"requests.sessions.SessionRedirectMixin.rebuild_proxies"},
        "GHSA-j8r2-6x86-q33q: Proxy-Authorization leaked by rebuild_proxies on redirects",
    ),
    _case(
        "requests",
        "PYSEC-2018-28",
        {"requests.sessions.SessionRedirectMixin.rebuild_auth"},
        "fix c45d7c4 (2.20.0): strip Authorization in rebuild_auth on https->http redirects",
    ),
    _case(
        "requests",
        "PYSEC-2015-17",
        {"requests.sessions.SessionRedirectMixin.resolve_redirects"},
        "advisory text: 'The resolve_redirects function in sessions.py'",
    ),
    _case(
        "urllib3",
        "PYSEC-2023-192",
        {
            "urllib3.util.retry.Retry.DEFAULT_REMOVE_HEADERS_ON_REDIRECT",
            "urllib3.util.retry.Retry.__init__",
        },
        "fix (1.26.17): Cookie added to Retry.DEFAULT_REMOVE_HEADERS_ON_REDIRECT",
    ),
    _case(
        "urllib3",
        "PYSEC-2023-212",
        {
            "urllib3.poolmanager.PoolManager.urlopen",
            "urllib3.connectionpool.HTTPConnectionPool.urlopen",
        },
        "fix (1.26.18): body dropped on 303 redirects in both urlopen methods",
    ),
    _case(
        "urllib3",
        "PYSEC-2021-108",
        {"urllib3.util.url.parse_url"},
        "fix 2d4a3fe (1.26.5): authority regex of parse_url (catastrophic backtracking)",
    ),
    _case(
        "werkzeug",
        "PYSEC-2023-221",
        {"werkzeug.sansio.multipart.MultipartDecoder._parse_data"},
        "GHSA-hrfv-mqp8-q5rw: multipart data parsing DoS, fixed in MultipartDecoder",
    ),
    _case(
        "werkzeug",
        "PYSEC-2023-57",
        {"werkzeug._internal._cookie_parse_impl", "werkzeug.sansio.http.parse_cookie"},
        "GHSA-px8h-6qxv-m22q: nameless cookies accepted by the cookie parser",
    ),
    _case(
        "werkzeug",
        "PYSEC-2023-58",
        {
            "werkzeug.sansio.multipart.MultipartDecoder.next_event",
            "werkzeug.formparser.MultiPartParser.parse",
        },
        "GHSA-xg9f-g7g7-2323: unlimited multipart parts; max_form_parts added to the parser",
    ),
    _case(
        "idna",
        "PYSEC-2024-60",
        {"idna.core.valid_contextj", "idna.core.check_label"},
        "GHSA-jjg7-2v4v-x38h: quadratic time in valid_contextj, called by check_label",
    ),
    _case(
        "flask",
        "PYSEC-2023-62",
        {"flask.sessions.SecureCookieSessionInterface.save_session"},
        "GHSA-m2qf-hxjv-5gpq: Vary: Cookie not set by save_session on refresh",
    ),
    _case(
        "jinja2",
        "PYSEC-2019-217",
        {"jinja2.sandbox.SandboxedEnvironment.call"},
        "advisory text: str.format_map sandbox escape; fix checks it in SandboxedEnvironment.call",
    ),
    _case(
        "jinja2",
        "PYSEC-2019-220",
        {"jinja2.sandbox.SandboxedEnvironment.call"},
        "fix 9b53045 (2.8.1): str.format of sandboxed strings routed through call",
    ),
    _case(
        "jinja2",
        "PYSEC-2021-66",
        {"jinja2.utils.urlize"},
        "advisory text: ReDoS in the urlize filter (_punctuation_re)",
    ),
    _case(
        "django",
        "PYSEC-2023-100",
        {
            "django.core.validators.EmailValidator.__call__",
            "django.core.validators.URLValidator.__call__",
        },
        "advisory text: ReDoS in EmailValidator and URLValidator; fix bounds the input length",
    ),
)


def main() -> None:
    """Derive every case twice (cold, then from the caches) and print one row each, then totals."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--state", type=Path, help="state file (HTTP cache); default: fresh")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        state = arguments.state or Path(scratch) / "state.sqlite3"
        with open_lookup(LookupOptions(state=state)) as lookup:
            assert lookup.store is not None
            database = open_advisory_database(ADVISORIES, lookup.store)
            cache = DiffCache(lookup.store, lookup.pypi.index_url)
            rows = [_run(case, database, lookup.pypi, cache) for case in CASES]
            warm = [_run(case, database, lookup.pypi, cache)[3] for case in CASES]
    print(
        f"{'advisory':16} {'package':9} {'rank':>4} {'cands':>5} {'cold s':>6} {'warm s':>6}"
        "  top candidate"
    )
    for (case, rank, count, seconds, top), again in zip(rows, warm, strict=True):
        shown = str(rank) if rank else "-"
        print(
            f"{case.advisory:16} {case.package:9} {shown:>4} {count:>5} {seconds:6.1f} "
            f"{again:6.2f}  {top}"
        )
    first = sum(1 for _, rank, *_ in rows if rank == 1)
    present = sum(1 for _, rank, *_ in rows if rank)
    print(
        f"true symbol ranked first: {first}/{len(rows)} ({first / len(rows):.0%}); "
        f"among the candidates: {present}/{len(rows)}; "
        f"total cold {sum(row[3] for row in rows):.1f} s, warm {sum(warm):.2f} s"
    )


def _run(
    case: Case, database: AdvisoryDatabase, pypi: PyPIClient, cache: DiffCache
) -> tuple[Case, int | None, int, float, str]:
    started = time.perf_counter()
    record = database.record(case.package, case.advisory)
    if record is None:
        raise SystemExit(f"{case.advisory} is not in {ADVISORIES}")
    page = pypi.project(case.package)
    if not isinstance(page, ProjectPage):
        raise SystemExit(f"{case.package}: project page unavailable: {page}")
    releases = list(page.raw_releases)
    result = derive_symbols(record, case.package, releases, IndexReleaseSources(pypi), cache)
    seconds = time.perf_counter() - started
    symbols = [candidate.symbol for candidate in result.candidates]
    rank = next((i + 1 for i, s in enumerate(symbols) if s in case.truth), None)
    top = symbols[0] if symbols else "; ".join(result.notes) or "none"
    return case, rank, len(symbols), seconds, top


if __name__ == "__main__":
    main()
