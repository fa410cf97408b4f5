"""The state store: schema versioning, baseline records, sharing, and surviving a kill."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, SAMPLE_RECORDING, SAMPLE_SBOMS

from sbom_enrich.adapters.store.connection import MIGRATIONS, StoreError
from sbom_enrich.adapters.store.http_cache import CachedResponse
from sbom_enrich.adapters.store.state import StateStore
from sbom_enrich.cli import cli

SAMPLE = SAMPLE_SBOMS / "linkcheck.env.cdx-1.6.json"


def test_new_store_is_at_the_latest_schema(state_location: str) -> None:
    with StateStore(state_location) as store:
        assert store.schema_version() == len(MIGRATIONS)
    with StateStore(state_location) as store:  # opening it again migrates nothing
        assert store.schema_version() == len(MIGRATIONS)


def test_a_new_state_file_is_in_wal_mode(tmp_path: Path) -> None:
    with StateStore(tmp_path / "s.sqlite"):
        pass
    with sqlite3.connect(tmp_path / "s.sqlite") as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_a_postgresql_store_from_the_future_is_refused(postgres_database: str) -> None:
    import psycopg

    with StateStore(postgres_database):
        pass
    with psycopg.connect(postgres_database, autocommit=True) as connection:
        connection.execute("UPDATE sbom_enrich_schema SET version = version + 1")
    with pytest.raises(StoreError, match="newer than this sbom-enrich understands"):
        StateStore(postgres_database)


def test_an_unreachable_postgresql_store_is_a_clear_error(tmp_path: Path) -> None:
    url = f"postgresql://someone:secret@/db?host={tmp_path}&port=1"
    with pytest.raises(StoreError, match="cannot") as raised:
        StateStore(url)
    assert "secret" not in str(raised.value) and "someone:***@" in str(raised.value)


def test_runners_starting_together_migrate_once(postgres_database: str) -> None:
    opener = (
        "import sys\nfrom sbom_enrich.adapters.store.state import StateStore\n"
        "with StateStore(sys.argv[1]) as store:\n    print(store.schema_version())\n"
    )
    runners = [
        subprocess.Popen(
            [sys.executable, "-c", opener, postgres_database],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    outputs = [runner.communicate(timeout=120)[0].strip() for runner in runners]
    assert [runner.returncode for runner in runners] == [0] * 6
    assert outputs == [str(len(MIGRATIONS))] * 6


def test_store_from_the_future_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    with pytest.raises(StoreError, match="newer than this sbom-enrich understands"):
        StateStore(path)


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open the state store"):
        StateStore(path)
    result = CliRunner().invoke(cli, ["enrich", str(SAMPLE), "--offline", "--state", str(path)])
    assert result.exit_code == 3
    assert result.stderr.startswith("sbom-enrich: error: ") and "state store" in result.stderr


def test_ownership_keeps_first_seen_and_drops_removed_roles(state_location: str) -> None:
    with StateStore(state_location) as store:
        store.record_ownership("p", None, frozenset({("a", "Owner"), ("b", "Maintainer")}), 100.0)
        store.record_ownership("p", "org", frozenset({("a", "Owner"), ("c", "Owner")}), 200.0)
        baseline = store.ownership("p")
    assert baseline is not None
    assert baseline.organization == "org"
    assert [(r.user, r.role, r.first_seen, r.last_seen) for r in baseline.roles] == [
        ("a", "Owner", 100.0, 200.0),
        ("c", "Owner", 200.0, 200.0),
    ]
    assert (baseline.first_seen, baseline.last_seen) == (100.0, 200.0)


def test_http_cache_round_trip(state_location: str) -> None:
    with StateStore(state_location) as store:
        store.store_response("GET", "u", CachedResponse(200, {"etag": "x"}, b"body", 1.0))
        assert store.cached_response("GET", "u") == CachedResponse(200, {"etag": "x"}, b"body", 1.0)
        assert store.cached_response("GET", "other") is None


_WRITER = """
import sys
from sbom_enrich.adapters.store.state import StateStore
with StateStore(sys.argv[1]) as store:
    for i in range(int(sys.argv[3])):
        store.record_ownership(f"{sys.argv[2]}-{i}", None, frozenset({("u", "Owner")}), float(i))
"""


def test_two_processes_share_one_store(state_location: str) -> None:
    path = state_location
    writers = [
        subprocess.Popen([sys.executable, "-c", _WRITER, path, name, "200"], cwd=REPO)
        for name in ("a", "b")
    ]
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    with StateStore(path) as store:
        assert store.ownership("a-199") is not None and store.ownership("b-199") is not None


_LOOP = """
import sys
from sbom_enrich.cli import cli
for i in range(10_000):
    try:
        cli(["enrich", sys.argv[1], "--replay", sys.argv[2], "--state", sys.argv[3],
             "-o", sys.argv[4], "-q"], standalone_mode=False)
    except SystemExit:
        pass
    print(i, flush=True)
"""


def _check_integrity(state: str) -> None:
    """SQLite's integrity check; on PostgreSQL, amcheck over every index of our tables."""
    if not state.startswith("postgresql://"):
        with sqlite3.connect(state) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return
    import psycopg

    with psycopg.connect(state, autocommit=True) as connection:
        connection.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
        indexes = connection.execute(
            "SELECT c.oid::regclass FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'"
        ).fetchall()
        assert indexes
        for (index,) in indexes:
            connection.execute("SELECT bt_index_check(%s::regclass, true)", (str(index),))


def test_a_killed_run_leaves_a_consistent_store(tmp_path: Path, state_location: str) -> None:
    state = state_location
    out = tmp_path / "out.json"
    process = subprocess.Popen(
        [sys.executable, "-c", _LOOP, str(SAMPLE), str(SAMPLE_RECORDING), str(state), str(out)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    process.stdout.readline()  # one run finished: the store exists and holds a baseline
    time.sleep(0.7)  # and the kill lands somewhere inside a later run
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    process.stdout.close()
    _check_integrity(state)
    result = CliRunner().invoke(
        cli,
        [
            "enrich",
            str(SAMPLE),
            "--replay",
            str(SAMPLE_RECORDING),
            "--state",
            str(state),
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.stderr
    # the baseline matches: nothing reported as changed (the sample's other signals remain)
    assert "changed" not in result.stderr
    assert json.loads(out.read_text())["bomFormat"] == "CycloneDX"


_DIE_WHILE_COMMITTING = """
import os, signal, sys
from sbom_enrich.adapters.store.state import StateStore

recorded = StateStore.record_ownership


def record_then_die(self, *args, **kwargs):
    recorded(self, *args, **kwargs)
    os.kill(os.getpid(), signal.SIGKILL)  # kill -9 after the first project of the baseline


StateStore.record_ownership = record_then_die
from sbom_enrich.cli import cli

cli(["enrich", sys.argv[1], "--replay", sys.argv[2], "--state", sys.argv[3], "-o", sys.argv[4],
     "-q"])
"""


def test_a_run_killed_while_committing_reports_every_change_again(
    tmp_path: Path, state_location: str
) -> None:
    state = state_location
    out = tmp_path / "out.json"
    args = ["enrich", str(SAMPLE), "--replay", str(SAMPLE_RECORDING), "--state", str(state)]
    first = CliRunner().invoke(cli, [*args, "-o", str(out)])
    assert first.exit_code == 0, first.stderr
    with StateStore(state) as store:  # an earlier baseline: two projects had other owners
        for project in ("idna", "certifi"):
            before = store.ownership(project)
            assert before is not None and before.roles
            store.record_ownership(
                project, before.organization, frozenset({("someone", "Owner")}), 0
            )
    killed = subprocess.run(
        [
            sys.executable,
            "-c",
            _DIE_WHILE_COMMITTING,
            str(SAMPLE),
            str(SAMPLE_RECORDING),
            str(state),
            str(out),
        ],
        cwd=REPO,
        capture_output=True,
        timeout=300,
    )
    assert killed.returncode == -signal.SIGKILL
    assert json.loads(out.read_text())["bomFormat"] == "CycloneDX"  # the output was written
    rerun = CliRunner().invoke(cli, [*args, "-o", str(out)])
    assert rerun.exit_code == 0, rerun.stderr
    changed = [
        c["name"]
        for c in json.loads(out.read_text())["components"]
        if any(p["name"] == "sbom-enrich:signal:ownership-changed" for p in c.get("properties", []))
    ]
    assert sorted(changed) == ["certifi", "idna"]
