"""Record HTTP responses to a directory, and replay them with no network.

One file per request, keyed by method and URL, named
``<METHOD>-<host and path, made safe>-<hash>.json`` and holding readable JSON::

    {"method": "GET", "url": "https://pypi.org/pypi/idna/json",
     "accept": "application/json", "status": 200,
     "headers": {"content-type": "application/json"},
     "json": {...}}

JSON bodies are stored under ``"json"`` on the last line (compact: some project pages are
megabytes); other bodies as text under ``"text"``. Only the headers in
:data:`sbom_enrich.adapters.http.client.CACHED_HEADERS` are kept. The test suite's recorded
fixtures use this same format.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from pathlib import Path
from typing import Any

import httpx

from sbom_enrich.adapters.errors import AdapterError
from sbom_enrich.adapters.http.client import CACHED_HEADERS

__all__ = [
    "BadRecordingError",
    "NotRecordedError",
    "RecordingTransport",
    "ReplayTransport",
    "recording_name",
]


class NotRecordedError(AdapterError):
    """Replay was asked for a request that the recording does not hold."""

    def __init__(self, directory: Path, request: httpx.Request) -> None:
        super().__init__(
            f"{directory}: no recorded response for {request.method} {request.url} "
            f"(record it again with 'sbom-enrich record')"
        )
        self.request = request


class BadRecordingError(NotRecordedError):
    """The recording holds a file for the request, but it is not a recorded response."""

    def __init__(self, path: Path, request: httpx.Request, problem: str) -> None:
        Exception.__init__(
            self,
            f"{path}: not a recorded response ({problem}); record it again with "
            "'sbom-enrich record'",
        )
        self.request = request


def recording_name(method: str, url: str, accept: str) -> str:
    """The file name a response to ``method url`` (asked with ``accept``) is recorded under."""
    key = f"{method} {url} {accept}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:12]
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", re.sub(r"^https?://", "", url)).strip("_")
    return f"{method}-{readable[:80]}-{digest}.json"


def _accept(request: httpx.Request) -> str:
    return str(request.headers.get("accept", "*/*"))


class RecordingTransport(httpx.BaseTransport):
    """Pass requests to ``inner`` and write every response to ``directory``."""

    def __init__(self, inner: httpx.BaseTransport, directory: Path) -> None:
        self._inner = inner
        self._directory = directory
        self._lock = threading.Lock()
        directory.mkdir(parents=True, exist_ok=True)

    def close(self) -> None:
        """Close the wrapped transport."""
        self._inner.close()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Handle one request (see the class docstring)."""
        response = self._inner.handle_request(request)
        body = response.read()
        record: dict[str, Any] = {
            "method": request.method,
            "url": str(request.url),
            "accept": _accept(request),
            "status": response.status_code,
            "headers": {k: response.headers[k] for k in CACHED_HEADERS if k in response.headers},
        }
        name = recording_name(request.method, str(request.url), _accept(request))
        data = _render(record, body, response.headers.get("content-type", ""))
        with self._lock:
            (self._directory / name).write_text(data, encoding="utf-8")
        return httpx.Response(
            response.status_code, headers=response.headers, content=body, request=request
        )


class ReplayTransport(httpx.BaseTransport):
    """Serve recorded responses from ``directory``; raise :class:`NotRecordedError` otherwise."""

    def __init__(self, directory: Path) -> None:
        if not directory.is_dir():
            raise FileNotFoundError(f"{directory}: no such recording directory")
        self._directory = directory

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Handle one request (see the class docstring)."""
        path = self._directory / recording_name(request.method, str(request.url), _accept(request))
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise NotRecordedError(self._directory, request) from None
        except (OSError, ValueError, RecursionError) as err:
            raise BadRecordingError(path, request, f"{type(err).__name__}: {err}") from err
        try:
            if not isinstance(record, dict):
                raise TypeError("not a JSON object")
            if "json" in record:
                content = json.dumps(record["json"]).encode()
            else:
                content = str(record.get("text", "")).encode()
            headers = record.get("headers", {})
            if not isinstance(headers, dict):
                raise TypeError("headers is not an object")
            return httpx.Response(
                int(record["status"]),
                headers={str(k): str(v) for k, v in headers.items()},
                content=content,
                request=request,
            )
        except (KeyError, TypeError, ValueError) as err:
            raise BadRecordingError(path, request, f"{type(err).__name__}: {err}") from err


def _render(record: dict[str, Any], body: bytes, content_type: str) -> str:
    """The record with one key per line, then the body (compact JSON, or text) last."""
    head = json.dumps(record, indent=1, ensure_ascii=False)[: -len("\n}")]
    if "json" in content_type:
        try:
            parsed = json.loads(body)
        except ValueError:
            pass
        else:
            compact = json.dumps(parsed, ensure_ascii=False, separators=(",", ":"))
            return head + ',\n "json": ' + compact + "\n}\n"
    text = json.dumps(body.decode("utf-8", errors="replace"), ensure_ascii=False)
    return head + ',\n "text": ' + text + "\n}\n"
