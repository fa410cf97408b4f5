"""The HTTP client stack under faults, and the cache, through httpx.MockTransport."""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from pypi_index import FixtureIndex, project_url
from test_trust import component, run

from sbom_enrich.adapters.http.client import (
    CachingTransport,
    ClientSettings,
    RetryTransport,
    SizeLimitTransport,
    build_client,
)
from sbom_enrich.adapters.http.freshness import DEFAULT_LIFETIME, IMMUTABLE, lifetime
from sbom_enrich.adapters.pypi.index import ProjectPage, PyPIClient
from sbom_enrich.adapters.store.state import StateStore
from sbom_enrich.model.index import ProjectMetadata, Unavailable
from sbom_enrich.version import __version__
from sbom_enrich.wiring import LookupOptions

IDNA = project_url("idna")


class Script:
    """Answer a URL with the next of a list of outcomes (a response or an exception)."""

    def __init__(self, index: FixtureIndex, outcomes: list[httpx.Response | Exception]) -> None:
        self.index = index
        self.outcomes = outcomes
        self.calls = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        outcome = self.outcomes.pop(0) if self.outcomes else None
        if isinstance(outcome, Exception):
            raise outcome
        if outcome is not None:
            return outcome
        return self.index._replay.handle_request(request)


def client_for(handler: object, sleeps: list[float], **settings: object) -> httpx.Client:
    transport = httpx.MockTransport(handler)  # type: ignore[arg-type]
    return build_client(ClientSettings(**settings), transport=transport, sleep=sleeps.append)  # type: ignore[arg-type]


def lookup(handler: object, **settings: object) -> tuple[object, list[float]]:
    sleeps: list[float] = []
    with client_for(handler, sleeps, **settings) as client:
        return PyPIClient(client).project("idna"), sleeps


def test_user_agent_and_timeouts() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(404)

    with client_for(handler, []) as client:
        PyPIClient(client).project("idna")
        assert client.timeout.connect == ClientSettings().connect_timeout
    assert seen[0].headers["user-agent"] == ClientSettings().user_agent
    assert __version__ in LookupOptions().settings.user_agent


def test_timeouts_are_retried_then_unavailable() -> None:
    script = Script(FixtureIndex(), [httpx.ReadTimeout("slow")] * 10)
    result, sleeps = lookup(script)
    assert isinstance(result, Unavailable) and "ReadTimeout" in result.reason
    assert script.calls == 4  # one try and three retries
    assert len(sleeps) == 3 and sleeps[0] < sleeps[1] < sleeps[2]  # exponential backoff


def test_connection_reset_then_success() -> None:
    script = Script(FixtureIndex(), [httpx.ReadError("Connection reset by peer")])
    result, sleeps = lookup(script)
    assert isinstance(result, ProjectPage)
    assert len(sleeps) == 1


def test_429_honours_retry_after() -> None:
    script = Script(FixtureIndex(), [httpx.Response(429, headers={"Retry-After": "7"})])
    result, sleeps = lookup(script)
    assert isinstance(result, ProjectPage)
    assert sleeps == [7.0]


@pytest.mark.parametrize(
    "retry_after", ["86400", "999999999", "Fri, 31 Dec 9999 23:59:59 GMT", "Mon, 01 Jan 10000"]
)
def test_a_far_off_retry_after_is_not_waited_for(retry_after: str) -> None:
    script = Script(FixtureIndex(), [httpx.Response(503, headers={"Retry-After": retry_after})] * 4)
    result, sleeps = lookup(script)
    assert isinstance(result, Unavailable)
    assert all(delay <= ClientSettings().max_retry_after for delay in sleeps)
    assert sum(sleeps) < 30


def test_retries_stop_at_the_request_deadline() -> None:
    clock = [0.0]
    inner = httpx.MockTransport(lambda request: httpx.Response(503, headers={"Retry-After": "50"}))
    transport = RetryTransport(
        inner,
        ClientSettings(retries=10, deadline=120.0),
        sleep=lambda seconds: clock.__setitem__(0, clock[0] + seconds),
        now=lambda: clock[0],
    )
    response = transport.handle_request(httpx.Request("GET", "https://pypi.org/simple/idna/"))
    assert response.status_code == 503
    assert clock[0] == 100.0  # two waits of 50 s; a third would pass the 120 s deadline


def test_a_trickling_body_stops_at_the_deadline() -> None:
    clock = [0.0]

    class Trickle(httpx.SyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            for _ in range(1000):
                clock[0] += 2.0  # one byte every two seconds, each within the read timeout
                yield b"x"

    inner = httpx.MockTransport(lambda request: httpx.Response(200, stream=Trickle()))
    transport = SizeLimitTransport(inner, 1 << 20, 120.0, clock=lambda: clock[0])
    with pytest.raises(httpx.ReadTimeout, match="longer than 120 s"):
        transport.handle_request(httpx.Request("GET", "https://pypi.org/pypi/idna/json"))
    assert clock[0] <= 124.0


def test_the_size_limit_counts_decoded_bytes() -> None:
    bomb = gzip.compress(b"\0" * (30 * 1024 * 1024))  # 30 MiB of zeros in about 30 KiB
    assert len(bomb) < 100_000
    handler = lambda request: httpx.Response(  # noqa: E731
        200,
        headers={"content-type": "application/json", "content-encoding": "gzip"},
        content=bomb,
    )
    result, _ = lookup(handler)
    assert isinstance(result, Unavailable) and "larger than" in result.reason
    small = gzip.compress(json.dumps(FixtureIndex().project("idna")).encode())
    fine = lambda request: httpx.Response(  # noqa: E731
        200,
        headers={"content-type": "application/json", "content-encoding": "gzip"},
        content=small,
    )
    result, _ = lookup(fine)
    assert isinstance(result, ProjectPage)


def test_500s_then_success() -> None:
    script = Script(FixtureIndex(), [httpx.Response(500), httpx.Response(502)])
    result, sleeps = lookup(script)
    assert isinstance(result, ProjectPage)
    assert len(sleeps) == 2


def test_persistent_500_is_unavailable() -> None:
    script = Script(FixtureIndex(), [httpx.Response(500)] * 10)
    result, _ = lookup(script)
    assert result == Unavailable(f"{IDNA}: HTTP 500")


def test_truncated_json_is_unavailable() -> None:
    body = json.dumps(FixtureIndex().project("idna")).encode()[:5000]
    script = Script(
        FixtureIndex(),
        [httpx.Response(200, headers={"content-type": "application/json"}, content=body)],
    )
    result, _ = lookup(script)
    assert isinstance(result, Unavailable) and "invalid JSON" in result.reason


def test_wrong_content_type_is_unavailable() -> None:
    page = httpx.Response(200, headers={"content-type": "text/html"}, content=b"<html>login</html>")
    result, _ = lookup(Script(FixtureIndex(), [page]))
    assert result == Unavailable(f"{IDNA}: expected JSON, got text/html")


def test_50_mb_body_is_refused_without_reading_it_all() -> None:
    produced: list[int] = []

    def chunks() -> Iterator[bytes]:
        for _ in range(50):
            produced.append(1)
            yield b" " * (1024 * 1024)

    big = httpx.Response(200, headers={"content-type": "application/json"}, content=chunks())
    result, _ = lookup(Script(FixtureIndex(), [big]), max_body_bytes=20 * 1024 * 1024)
    assert isinstance(result, Unavailable) and "larger than" in result.reason
    assert len(produced) <= 21


def test_one_failing_component_does_not_lose_the_others() -> None:
    index = FixtureIndex()
    index.overrides[IDNA] = lambda request: (_ for _ in ()).throw(httpx.ConnectError("refused"))
    index.overrides["https://pypi.org/pypi/idna/3.4/json"] = index.overrides[IDNA]
    result = run(index, component("idna", "3.4"), component("requests", "2.28.1"))
    by_project = {r.project: r for r in result.results}
    assert by_project["idna"].unavailable
    assert any("ConnectError" in gap.reason for gap in by_project["idna"].gaps)
    assert not by_project["requests"].unavailable
    assert isinstance(by_project["requests"].facts.metadata, ProjectMetadata)


def revalidating(seen: list[httpx.Request], cache_control: str) -> Callable[..., httpx.Response]:
    """A handler serving idna's page with ETag "v1" and ``cache_control``, 304 when asked so."""
    body = json.dumps(FixtureIndex().project("idna")).encode()

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.headers.get("if-none-match") == '"v1"':
            return httpx.Response(304, headers={"etag": '"v1"'})
        headers = {"content-type": "application/json", "etag": '"v1"'}
        return httpx.Response(
            200, headers={**headers, "cache-control": cache_control}, content=body
        )

    return handler


def test_cache_revalidates_with_etag_and_serves_offline(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []
    handler = revalidating(seen, "no-cache")

    with StateStore(tmp_path / "state.sqlite") as store:
        for _ in range(2):
            transport = httpx.MockTransport(handler)
            with build_client(store=store, transport=transport) as client:
                assert isinstance(PyPIClient(client).project("idna"), ProjectPage)
        assert [r.headers.get("if-none-match") for r in seen] == [None, '"v1"']
        with build_client(store=store, offline=True) as client:
            assert isinstance(PyPIClient(client).project("idna"), ProjectPage)
            missing = PyPIClient(client).project("requests")
        assert isinstance(missing, Unavailable) and "offline and not in the cache" in missing.reason
    assert len(seen) == 2


def test_fresh_responses_are_not_asked_again(tmp_path: Path) -> None:
    body = json.dumps(FixtureIndex().project("idna")).encode()
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        headers = {"content-type": "application/json", "cache-control": "max-age=900"}
        return httpx.Response(200, headers=headers, content=body)

    with StateStore(tmp_path / "state.sqlite") as store:
        for _ in range(3):
            with build_client(store=store, transport=httpx.MockTransport(handler)) as client:
                PyPIClient(client).project("idna")
    assert len(calls) == 1


def test_answers_without_cache_headers_are_reused_for_the_default_lifetime(
    tmp_path: Path,
) -> None:
    body = json.dumps(FixtureIndex().project("idna")).encode()
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200, headers={"content-type": "application/json"}, content=body)

    clock = [1_000_000.0]
    with StateStore(tmp_path / "state.sqlite") as store:

        def get(url: str, immutable: bool = False) -> None:
            transport = CachingTransport(httpx.MockTransport(handler), store, now=lambda: clock[0])
            with httpx.Client(transport=transport) as client:
                client.get(url, extensions={IMMUTABLE: True} if immutable else {})

        get(IDNA)
        get("https://files.example/packages/ab/cd/idna-3.4.tar.gz", immutable=True)
        clock[0] += DEFAULT_LIFETIME - 1
        get(IDNA)
        assert len(calls) == 2  # both fresh
        clock[0] += 2
        get(IDNA)
        get("https://files.example/packages/ab/cd/idna-3.4.tar.gz", immutable=True)
    assert [str(r.url) for r in calls] == [
        IDNA,
        "https://files.example/packages/ab/cd/idna-3.4.tar.gz",
        IDNA,  # stale after the default lifetime; a file named by its digest never is
    ]


def test_refresh_asks_again_about_fresh_answers(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []
    handler = revalidating(seen, "max-age=900")

    with StateStore(tmp_path / "state.sqlite") as store:
        for refresh in (False, False, True):
            transport = httpx.MockTransport(handler)
            with build_client(store=store, transport=transport, refresh=refresh) as client:
                assert isinstance(PyPIClient(client).project("idna"), ProjectPage)
    assert [r.headers.get("if-none-match") for r in seen] == [None, '"v1"']


@pytest.mark.parametrize(
    ("headers", "status", "immutable", "expected"),
    [
        ({"cache-control": "max-age=900, public"}, 200, False, 900.0),
        ({"cache-control": "public, s-maxage=60, max-age=300"}, 200, False, 60.0),
        ({"cache-control": "no-cache"}, 200, True, 0.0),
        ({"cache-control": "private, no-store"}, 200, False, 0.0),
        ({"cache-control": "must-revalidate"}, 200, True, 0.0),
        ({}, 200, False, DEFAULT_LIFETIME),
        ({}, 404, True, DEFAULT_LIFETIME),  # "no provenance (yet)" is not content-named
        ({}, 200, True, math.inf),
    ],
)
def test_lifetime_follows_cache_control_then_the_kind_of_answer(
    headers: dict[str, str], status: int, immutable: bool, expected: float
) -> None:
    assert lifetime(headers, status, immutable=immutable) == expected


def test_relative_file_urls_are_resolved_against_the_response_url() -> None:
    project = FixtureIndex().project("idna")
    for file in project["releases"]["3.4"]:
        file["url"] = "../../packages/" + file["filename"]

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, headers={"content-type": "application/json"}, content=json.dumps(project).encode()
        )

    with client_for(handler, []) as client:
        metadata = PyPIClient(client, "https://mirror.example/simple/").project("idna")
    assert isinstance(metadata, ProjectPage)
    assert {f.url for f in metadata.release_files("3.4") or ()} == {
        "https://mirror.example/packages/idna-3.4-py3-none-any.whl",
        "https://mirror.example/packages/idna-3.4.tar.gz",
    }


def test_offline_needs_a_store() -> None:
    with pytest.raises(ValueError):
        build_client(offline=True)
