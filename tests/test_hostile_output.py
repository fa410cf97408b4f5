"""What we write and print: no credentials, no clobbered special files, no partial outputs."""

from __future__ import annotations

import base64
import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest
from conftest import FIXTURES, bom_of
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
    from sbom_enrich.adapters.http.client import split_credentials

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


def _enrich(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    sbom = tmp_path / "bom.json"
    if not sbom.exists():
        sbom.write_text(json.dumps(BOM))
    return invoke("enrich", str(sbom), "--replay", str(FIXTURES / "pypi"), *args)


def test_dev_null_stays_a_device(tmp_path: Path) -> None:
    """As root, a rename over /dev/null would make it a regular file for the whole machine."""
    before = os.stat("/dev/null")
    code, _, stderr = _enrich(tmp_path, "-o", "/dev/null", "--report", "json:/dev/null")
    assert code == 0, stderr
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_dev_full_is_an_output_error_and_stays_a_device(tmp_path: Path) -> None:
    code, _, stderr = _enrich(tmp_path, "-o", "/dev/full")
    assert code == 2 and "/dev/full" in stderr and "No space left" in stderr
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_link_is_followed_not_replaced(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    code, _, stderr = _enrich(tmp_path, "-o", str(link))
    assert code == 0, stderr
    assert link.is_symlink() and json.loads(real.read_text())["bomFormat"] == "CycloneDX"


def test_a_fifo_gets_the_whole_output(tmp_path: Path) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    code, _, stderr = _enrich(tmp_path, "-o", str(fifo))
    if reader.is_alive():  # nothing was written: let the reader see the end
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    reader.join(timeout=60)
    assert code == 0, stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert json.loads(received[0])["bomFormat"] == "CycloneDX"


def test_a_read_only_file_is_refused_before_any_work(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    out.write_text("keep me")
    out.chmod(0o444)
    code, _, stderr = _enrich(tmp_path, "-o", str(out))
    assert code == 2 and "read-only" in stderr
    assert out.read_text() == "keep me"


@pytest.mark.parametrize("which", ["report-is-input", "report-is-output", "vex-is-input"])
def test_an_output_that_is_an_input_or_another_output_is_refused(
    tmp_path: Path, which: str
) -> None:
    sbom = tmp_path / "bom.json"
    sbom.write_text(json.dumps(BOM))
    out = tmp_path / "out.json"
    extra = {
        "report-is-input": ["--report", f"markdown:{sbom}"],
        "report-is-output": ["--report", f"json:{out}"],
        "vex-is-input": ["--vex-out", str(sbom)],
    }[which]
    code, _, stderr = _enrich(tmp_path, "-o", str(out), *extra)
    assert code == 2, stderr
    assert json.loads(sbom.read_text()) == BOM
    assert not out.exists()


def test_a_report_that_cannot_be_written_leaves_no_sbom_behind(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    code, _, stderr = _enrich(
        tmp_path, "-o", str(out), "--report", f"json:{tmp_path / 'missing' / 'r.json'}"
    )
    assert code == 2 and "does not exist" in stderr
    assert not out.exists()


def test_a_killed_writers_temporary_file_is_removed_next_time(tmp_path: Path) -> None:
    from sbom_enrich.atomic import write_atomically

    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    left = tmp_path / f".out.json.{dead.stdout.strip()}.abc123.sbom-enrich-tmp"
    left.write_text("partial")
    mine = tmp_path / f".out.json.{os.getpid()}.def456.sbom-enrich-tmp"
    mine.write_text("another writer, still running")
    write_atomically(tmp_path / "out.json", b"{}")
    assert not left.exists() and mine.exists()


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ('[tool.sbom-enrich]\nfail-on = ["any"]\n', "unknown key 'fail-on' in [tool.sbom-enrich]"),
        ("[tool]\nsbom-enrich = 3\n", "[tool.sbom-enrich] must be a table"),
        ("[tool.sbom-enrich]\nx = " + "[" * 5000 + "]" * 5000 + "\n", "not valid TOML"),
    ],
)
def test_a_config_key_we_do_not_read_is_an_error_not_ignored(
    tmp_path: Path, config: str, message: str
) -> None:
    (tmp_path / "pyproject.toml").write_text(config)
    code, _, stderr = _enrich(
        tmp_path, "-o", str(tmp_path / "o.json"), "--config", str(tmp_path / "pyproject.toml")
    )
    assert code == 3, stderr
    assert message in stderr and len(stderr.strip().splitlines()) == 1
    assert not (tmp_path / "o.json").exists()


def test_project_without_an_environment_is_refused(tmp_path: Path) -> None:
    code, _, stderr = _enrich(tmp_path, "-o", str(tmp_path / "o.json"), "--project", str(tmp_path))
    assert code == 2 and "--project needs --python or --site-packages" in stderr


HOSTILE_NAME = "evil\x1b[2J\x1b]8;;https://evil.example\x07click\x1b]8;;\x07\u202eexe.txt"


def test_escape_sequences_in_names_never_reach_the_terminal(tmp_path: Path) -> None:
    bom = bom_of(
        {
            "type": "library",
            "bom-ref": "a",
            "name": HOSTILE_NAME,
            "version": "1.0",
            "purl": "pkg:pypi/idna@3.4",
        },
        {"type": "library", "bom-ref": "b", "name": HOSTILE_NAME, "version": "1\x1b[8m"},
    )
    sbom = tmp_path / "bom.json"
    sbom.write_text(json.dumps(bom))
    code, stdout, stderr = invoke(
        "enrich",
        str(sbom),
        "--replay",
        str(FIXTURES / "pypi"),
        "-o",
        str(tmp_path / "o.json"),
        "-v",
    )
    assert code == 0, stderr
    for text in (stdout, stderr):
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text


def test_markdown_and_sarif_take_no_markup_or_scripts_from_names_and_ids() -> None:
    from sbom_enrich.reports.escape import http_url, markdown_text

    hostile = "</details>\n# Owned @everyone ![x](https://evil.example/p.png) [a](javascript:x)"
    shown = markdown_text(hostile)
    assert "<" not in shown and "\n" not in shown
    assert "![" not in shown and "](" not in shown.replace("\\](", "")
    assert "\\@everyone" in shown and "\\!\\[x\\]" in shown
    assert http_url("javascript:alert(1)") is None and http_url("data:text/html,x") is None
    assert http_url("https://osv.dev/vulnerability/PYSEC-2023-74") is not None


@pytest.mark.parametrize("target", ["1.3", "1.4", "1.5", "1.6", "1.7"])
@pytest.mark.parametrize(
    "sample", ["linkcheck.env.cdx-1.6.json", "linkcheck.requirements.cdx-1.4.json"]
)
def test_every_spec_version_written_validates_or_is_refused_with_the_path(
    tmp_path: Path, sample: str, target: str
) -> None:
    """Checked with cyclonedx-python-lib's strict validator, not with our own validation."""
    from conftest import SAMPLE_RECORDING, SAMPLE_SBOMS
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    out = tmp_path / "out.json"
    code, _, stderr = invoke(
        "enrich",
        str(SAMPLE_SBOMS / sample),
        "--replay",
        str(SAMPLE_RECORDING),
        "--spec-version",
        target,
        "-o",
        str(out),
    )
    if code == 3:
        assert f"cannot be written as CycloneDX {target}" in stderr and ": $." in stderr
        assert not out.exists()
        return
    assert code == 0, stderr
    error = JsonStrictValidator(SchemaVersion.from_version(target)).validate_str(out.read_text())
    assert error is None, str(error)[:500]
