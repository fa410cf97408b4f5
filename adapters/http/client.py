"""The one place HTTP clients are built: timeouts, User-Agent, retries, size limit and cache.

A client is a stack of httpx transports, outermost first::

    CachingTransport  (state store: fresh answers, ETag/Last-Modified revalidation, --offline,
                       --refresh; freshness rules in :mod:`.freshness`)
    RetryTransport    (connect errors, resets, timeouts, 429 and 5xx; backoff + jitter;
                       Retry-After honoured)
    SizeLimitTransport(reads at most max_body_bytes of any body)
    base transport    (the network, a replay directory, or httpx.MockTransport in tests)

Exceptions a caller may see, all subclasses of :class:`httpx.TransportError` so that one
``except httpx.HTTPError`` marks a source unavailable::

    httpx.TransportError
    ├── NotInCacheError        (--offline and the response was never cached)
    └── ResponseTooLargeError  (a body above the limit)
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass

import httpx

from sbom_enrich.adapters.http.freshness import IMMUTABLE, lifetime
from sbom_enrich.adapters.store.http_cache import CachedResponse
from sbom_enrich.adapters.store.state import StateStore

__all__ = [
    "CACHED_HEADERS",
    "CachingTransport",
    "ClientSettings",
    "IndexAuth",
    "NotInCacheError",
    "ResponseTooLargeError",
    "RetryTransport",
    "SizeLimitTransport",
    "build_client",
    "split_credentials",
]

CACHED_HEADERS = (
    "cache-control",
    "content-type",
    "etag",
    "last-modified",
    "location",
    "retry-after",
)
"""The response headers we keep in the cache and in recordings; the rest do not matter to us."""

_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_RETRY_ERRORS = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.ReadTimeout,
    httpx.ReadError,
    httpx.RemoteProtocolError,
    httpx.PoolTimeout,
)


class NotInCacheError(httpx.TransportError):
    """Offline mode was asked for and the cache holds no response for the request."""


class ResponseTooLargeError(httpx.TransportError):
    """The response body exceeded the client's size limit."""


@dataclass(frozen=True)
class ClientSettings:
    """How clients talk to the network. The defaults suit pypi.org."""

    timeout: float = 15.0
    connect_timeout: float = 5.0
    concurrency: int = 16
    retries: int = 3
    backoff: float = 0.5
    max_retry_after: float = 60.0
    """A longer ``Retry-After`` (a number or a far-off date) is not waited for: give up."""
    max_body_bytes: int = 20 * 1024 * 1024
    """Decoded bytes of one body."""
    deadline: float = 120.0
    """Seconds one request may take in all: every try, every wait and every byte."""
    user_agent: str = "sbom-enrich"
    """Sent with every request (the wiring adds the version and the project URL)."""


class IndexAuth(httpx.Auth):
    """HTTP Basic credentials sent to one host only (the index's), never to another.

    An index URL's ``user:token@`` is taken out of the URL before it is used anywhere
    (cache keys, recordings, the state store, output, messages) and sent only through this.
    """

    def __init__(self, host: str, username: str, password: str) -> None:
        self._host = host
        self._basic = httpx.BasicAuth(username, password)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Add the credentials when the request goes to the index's host."""
        if request.url.host == self._host:
            yield from self._basic.auth_flow(request)
        else:
            yield request


def split_credentials(url: str) -> tuple[str, IndexAuth | None]:
    """``url`` without its userinfo, and the credentials it held (None if none).

    Raises :class:`ValueError` (naming the URL without its credentials) for anything but an
    http(s) URL with a host.
    """
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as err:
        raise ValueError(f"not a URL ({err})") from err
    if parsed.scheme not in ("http", "https") or not parsed.host:
        shown = parsed.copy_with(username=None, password=None) if parsed.userinfo else parsed
        raise ValueError(f"{str(shown)[:200]!r} is not an http(s) URL with a host")
    if not parsed.userinfo:
        return url, None
    bare = str(parsed.copy_with(username=None, password=None))
    return bare, IndexAuth(parsed.host, parsed.username, parsed.password)


class SizeLimitTransport(httpx.BaseTransport):
    """Read each body fully, refusing one above ``limit`` bytes or past ``deadline`` seconds.

    The limit counts *decoded* bytes: a gzip or brotli body is decoded here, chunk by chunk,
    so a 1 MiB answer that expands to 1 GiB stops at the limit instead of filling memory
    later. The deadline bounds the whole answer, so a server that trickles one byte at a time
    (each read within the read timeout) cannot hold a lookup for ever.
    """

    def __init__(
        self,
        inner: httpx.BaseTransport,
        limit: int,
        deadline: float = 120.0,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._inner = inner
        self._limit = limit
        self._deadline = deadline
        self._clock = clock

    def close(self) -> None:
        """Close the wrapped transport."""
        self._inner.close()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Handle one request (see the class docstring)."""
        started = self._clock()
        response = self._inner.handle_request(request)
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_bytes():  # decoded by the Content-Encoding
                size += len(chunk)
                if size > self._limit:
                    raise ResponseTooLargeError(
                        f"response body of {request.url} is larger than {self._limit} bytes "
                        "(decoded)",
                        request=request,
                    )
                if self._clock() - started > self._deadline:
                    raise httpx.ReadTimeout(
                        f"{request.url} took longer than {self._deadline:g} s to answer",
                        request=request,
                    )
                chunks.append(chunk)
        finally:
            response.close()
        headers = httpx.Headers(
            [
                (name, value)
                for name, value in response.headers.multi_items()
                if name.lower() not in ("content-encoding", "content-length", "transfer-encoding")
            ]
        )
        return httpx.Response(
            response.status_code,
            headers=headers,
            content=b"".join(chunks),
            request=request,
            extensions={"http_version": response.extensions.get("http_version", b"HTTP/1.1")},
        )


class RetryTransport(httpx.BaseTransport):
    """Retry idempotent requests on transient failures with exponential backoff and jitter."""

    def __init__(
        self,
        inner: httpx.BaseTransport,
        settings: ClientSettings,
        *,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
        now: Callable[[], float] = time.time,
    ) -> None:
        self._inner = inner
        self._settings = settings
        self._sleep = sleep
        self._jitter = jitter
        self._now = now

    def close(self) -> None:
        """Close the wrapped transport."""
        self._inner.close()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Handle one request (see the class docstring)."""
        attempt = 0
        started = self._now()
        while True:
            try:
                response = self._inner.handle_request(request)
            except _RETRY_ERRORS:
                delay = self._backoff(attempt)
                if attempt >= self._settings.retries or not self._in_time(started, delay):
                    raise
            else:
                if response.status_code not in _RETRY_STATUSES or (
                    attempt >= self._settings.retries
                ):
                    return response
                asked = self._retry_after(response.headers.get("retry-after"))
                if asked is not None and asked > self._settings.max_retry_after:
                    return response  # come back much later: unavailable for this run
                delay = asked if asked is not None else self._backoff(attempt)
                if not self._in_time(started, delay):
                    return response
                response.close()
            self._sleep(delay)
            attempt += 1

    def _in_time(self, started: float, delay: float) -> bool:
        """Whether waiting ``delay`` more seconds keeps the request within its deadline."""
        return self._now() + delay - started <= self._settings.deadline

    def _backoff(self, attempt: int) -> float:
        base: float = self._settings.backoff * (2**attempt)
        return base + base * float(self._jitter())

    def _retry_after(self, value: str | None) -> float | None:
        if value is None:
            return None
        value = value.strip()
        if value.isdigit():
            seconds = float(value)
        else:
            try:
                when = email.utils.parsedate_to_datetime(value)
                seconds = when.timestamp() - self._now()
            except (TypeError, ValueError, OverflowError, IndexError):
                return None
        return max(seconds, 0.0)


class CachingTransport(httpx.BaseTransport):
    """Serve GET responses from the state store, revalidating them when they are stale.

    200 and 404 answers are cached (a 404 is an answer: "no provenance", "no such release").
    A response is fresh for its :func:`~sbom_enrich.adapters.http.freshness.lifetime` (its
    ``Cache-Control``, else a default by kind of answer); after that it is revalidated with
    ``If-None-Match``/``If-Modified-Since`` when it carried a validator, else fetched again.
    With ``offline=True`` no request leaves: cached responses are served whatever their age.
    With ``refresh=True`` nothing counts as fresh: every cached answer is revalidated.
    """

    CACHEABLE = frozenset({200, 404})

    def __init__(
        self,
        inner: httpx.BaseTransport | None,
        store: StateStore,
        *,
        offline: bool = False,
        refresh: bool = False,
        now: Callable[[], float] = time.time,
    ) -> None:
        self._inner = inner
        self._store = store
        self._offline = offline
        self._refresh = refresh
        self._now = now

    def close(self) -> None:
        """Close the wrapped transport, if any."""
        if self._inner is not None:
            self._inner.close()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Handle one request (see the class docstring)."""
        if request.method != "GET":
            return self._forward(request)
        key = _cache_key(request)
        cached = self._store.cached_response("GET", key)
        if self._offline:
            if cached is None:
                raise NotInCacheError(
                    f"offline and not in the cache: GET {request.url}", request=request
                )
            return _from_cache(cached, request)
        if cached is not None and self._is_fresh(cached, request):
            return _from_cache(cached, request)
        if cached is not None:
            if "etag" in cached.headers:
                request.headers["If-None-Match"] = cached.headers["etag"]
            if "last-modified" in cached.headers:
                request.headers["If-Modified-Since"] = cached.headers["last-modified"]
        response = self._forward(request)
        if response.status_code == 304 and cached is not None:
            refreshed = CachedResponse(
                cached.status,
                {**cached.headers, **_kept(response.headers)},
                cached.body,
                self._now(),
            )
            self._store.store_response("GET", key, refreshed)
            return _from_cache(refreshed, request)
        if response.status_code in self.CACHEABLE:
            body = response.read()
            self._store.store_response(
                "GET",
                key,
                CachedResponse(response.status_code, _kept(response.headers), body, self._now()),
            )
        return response

    def _forward(self, request: httpx.Request) -> httpx.Response:
        if self._inner is None:
            raise NotInCacheError(f"offline: {request.method} {request.url}", request=request)
        return self._inner.handle_request(request)

    def _is_fresh(self, cached: CachedResponse, request: httpx.Request) -> bool:
        if self._refresh:
            return False
        immutable = bool(request.extensions.get(IMMUTABLE))
        return self._now() - cached.stored_at < lifetime(
            cached.headers, cached.status, immutable=immutable
        )


def _cache_key(request: httpx.Request) -> str:
    """The URL, plus the Accept header when it selects a representation (the Simple API)."""
    accept = request.headers.get("accept", "*/*")
    return str(request.url) if accept == "*/*" else f"{request.url} accept={accept}"


def _kept(headers: httpx.Headers | Mapping[str, str]) -> dict[str, str]:
    return {name: headers[name] for name in CACHED_HEADERS if name in headers}


def _from_cache(cached: CachedResponse, request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        cached.status,
        headers={**cached.headers, "x-sbom-enrich-cache": "hit"},
        content=cached.body,
        request=request,
    )


def build_client(
    settings: ClientSettings = ClientSettings(),
    *,
    store: StateStore | None = None,
    offline: bool = False,
    refresh: bool = False,
    transport: httpx.BaseTransport | None = None,
    sleep: Callable[[float], None] = time.sleep,
    auth: httpx.Auth | None = None,
) -> httpx.Client:
    """Build the client every HTTP adapter uses.

    ``transport`` replaces the network (a replay directory, ``httpx.MockTransport`` in tests);
    ``auth`` is the index's credentials (:func:`split_credentials`).
    Without ``store`` nothing is cached; ``offline`` needs a store and sends no request;
    ``refresh`` revalidates every cached answer instead of trusting its freshness.
    """
    if offline and store is None:
        raise ValueError("offline mode needs a state store to serve responses from")
    limits = httpx.Limits(
        max_connections=settings.concurrency, max_keepalive_connections=settings.concurrency
    )
    base: httpx.BaseTransport | None = None
    if not offline:
        network = transport or httpx.HTTPTransport(limits=limits, retries=0)
        base = RetryTransport(
            SizeLimitTransport(network, settings.max_body_bytes, settings.deadline),
            settings,
            sleep=sleep,
        )
    stack: httpx.BaseTransport
    if store is not None:
        stack = CachingTransport(base, store, offline=offline, refresh=refresh)
    else:
        assert base is not None
        stack = base
    return httpx.Client(
        transport=stack,
        timeout=httpx.Timeout(settings.timeout, connect=settings.connect_timeout),
        headers={"User-Agent": settings.user_agent},
        follow_redirects=True,
        auth=auth,
    )
