"""What we write and print: no credentials, no clobbered special files, no partial outputs."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import httpx
import pytest
from pypi_index import FixtureIndex
from test_cli_lookup import BOM, invoke

TOKEN = "pypi-SECRETtoken123"


def test_index_credentials_are_sent_to_the_index_only_and_written_nowhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = FixtureIndex()
    handler = index.transport()
    sent: list[tuple[str, str | None]] = []

    def handle(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        sent.append((str(request.url), request.headers.get("authorization")))
        return handler.handle_request(request)

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", handle)
    sbom = tmp_path / "bom.json"
    sbom.write_text(json.dumps(BOM))
    state = tmp_path / "state.sqlite"
    out = tmp_path / "out.json"
    code, stdout, stderr = invoke(
        "enrich",
        str(sbom),
        "-o",
        str(out),
        "--state",
        str(state),
        "--index-url",
        f"https://__token__:{TOKEN}@pypi.org/simple/",
        "--report",
        f"json:{tmp_path / 'r.json'}",
        "--report",
        f"html:{tmp_path / 'r.html'}",
        "--report",
        f"markdown:{tmp_path / 'r.md'}",
        "--report",
        f"sarif:{tmp_path / 'r.sarif'}",
        "-v",
    )
    assert code == 0, stderr
    expected = "Basic " + base64.b64encode(f"__token__:{TOKEN}".encode()).decode()
    assert sent and all(auth == expected for url, auth in sent if "//pypi.org/" in url)
    assert all(TOKEN not in url for url, _ in sent)
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p != sbom]
    assert len(written) >= 6
    for path in written:
        assert TOKEN.encode() not in path.read_bytes(), path
    assert TOKEN not in stdout + stderr
    code, _, stderr = invoke(
        "record",
        str(sbom),
        "-o",
        str(tmp_path / "rec"),
        "--index-url",
        f"https://__token__:{TOKEN}@pypi.org/simple/",
    )
    assert code == 0, stderr
    for path in (tmp_path / "rec").iterdir():
        assert TOKEN not in path.name and TOKEN.encode() not in path.read_bytes()


def test_credentials_never_go_to_another_host() -> None:
    from adapters.http import split_credentials

    url, auth = split_credentials(f"https://u:{TOKEN}@pypi.example/simple/")
    assert url == "https://pypi.example/simple/"
    assert auth is not None
    other = next(auth.auth_flow(httpx.Request("GET", "https://files.example/x.whl")))
    assert "authorization" not in other.headers
    same = next(auth.auth_flow(httpx.Request("GET", "https://pypi.example/pypi/x/json")))
    assert same.headers["authorization"].startswith("Basic ")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "https://"])
def test_an_index_url_that_is_not_http_is_a_usage_error(tmp_path: Path, url: str) -> None:
    sbom = tmp_path / "bom.json"
    sbom.write_text(json.dumps(BOM))
    code, _, stderr = invoke("enrich", str(sbom), "--index-url", url, "-o", str(tmp_path / "o"))
    assert code == 2 and "--index-url" in stderr
    assert not (tmp_path / "o").exists()
