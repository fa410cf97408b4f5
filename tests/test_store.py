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


def test_each_change_is_recorded_once_with_where_it_was_first_seen(state_location: str) -> None:
    with StateStore(state_location, observer="a.cdx.json") as store:
        store.record_ownership("p", None, frozenset({("alice", "Owner")}), 100.0)  # first: none
        store.record_publishers("p", "1.0", frozenset({"repo-a"}), 100.0)  # first: none
        store.record_ownership("p", "org", frozenset({("bob", "Owner")}), 200.0)
        store.record_publishers("p", "1.1", frozenset({"repo-b"}), 200.0)
    with StateStore(state_location, observer="b.cdx.json") as store:
        store.record_ownership("p", "org", frozenset({("bob", "Owner")}), 300.0)  # nothing new
        store.record_ownership("p", "org", frozenset({("alice", "Owner")}), 400.0)
        found = store.changes(0.0)
        recent = store.changes(350.0)
    rows = [(c.kind, c.detail, c.first_seen, c.last_seen, c.seen_by) for c in found]
    assert rows == [
        ("owner-added", "alice (Owner)", 400.0, 400.0, "b.cdx.json"),
        ("owner-removed", "bob (Owner)", 400.0, 400.0, "b.cdx.json"),
        ("organization-changed", "none -> org", 200.0, 200.0, "a.cdx.json"),
        ("owner-added", "bob (Owner)", 200.0, 200.0, "a.cdx.json"),
        ("owner-removed", "alice (Owner)", 200.0, 200.0, "a.cdx.json"),
        ("publisher-added", "1.1: repo-b", 200.0, 200.0, "a.cdx.json"),
    ]
    assert [c.kind for c in recent] == ["owner-added", "owner-removed"]


def test_state_changes_lists_the_feed_as_a_table_and_as_json(state_location: str) -> None:
    with StateStore(state_location, observer="app.cdx.json") as store:
        store.record_ownership("p", None, frozenset({("alice", "Owner")}), 1_764_547_200.0)
        store.record_ownership("p", None, frozenset({("eve", "Owner")}), 1_764_633_600.0)
    runner = CliRunner()
    table = runner.invoke(cli, ["state", "changes", "--state", state_location])
    assert table.exit_code == 0, table.output
    assert "eve (Owner)" in table.stdout and "app.cdx.json" in table.stdout
    as_json = runner.invoke(
        cli,
        [
            "state",
            "changes",
            "--state",
            state_location,
            "--since",
            "2025-12-02",
            "--format",
            "json",
        ],
    )
    assert as_json.exit_code == 0, as_json.output
    assert [c["detail"] for c in json.loads(as_json.stdout)] == ["eve (Owner)", "alice (Owner)"]
    later = runner.invoke(
        cli, ["state", "changes", "--state", state_location, "--since", "2025-12-03T00:00:01"]
    )
    assert "No changes recorded since" in later.stdout
    wrong = runner.invoke(cli, ["state", "changes", "--state", state_location, "--since", "soon"])
    assert wrong.exit_code == 2 and "--since" in wrong.stderr


def _sbom_with(tmp_path: Path, name: str, keep: slice) -> Path:
    """The sample SBOM with only some of its components (overlapping SBOMs of one fleet)."""
    document = json.loads(SAMPLE.read_text())
    document["components"] = document["components"][keep]
    path = tmp_path / name
    path.write_text(json.dumps(document))
    return path


def test_eight_runners_at_once_one_killed_record_every_change_once(
    tmp_path: Path, postgres_database: str
) -> None:
    state = postgres_database
    sboms = [
        _sbom_with(tmp_path, "front.cdx.json", slice(0, 11)),
        _sbom_with(tmp_path, "back.cdx.json", slice(4, None)),
    ]
    first = CliRunner().invoke(
        cli,
        [
            "enrich",
            str(SAMPLE),
            "--replay",
            str(SAMPLE_RECORDING),
            "--state",
            state,
            "-o",
            str(tmp_path / "first.json"),
        ],
    )
    assert first.exit_code == 0, first.stderr
    shared = sorted(
        {c["name"] for c in json.loads(sboms[0].read_text())["components"]}
        & {c["name"] for c in json.loads(sboms[1].read_text())["components"]}
    )
    with StateStore(state) as store:  # an earlier baseline: three of them had another owner
        known = {name: store.ownership(name.lower()) for name in shared}
        seeded = [name.lower() for name, seen in known.items() if seen and seen.roles][:3]
        assert len(seeded) == 3, known
        for project in seeded:
            before = store.ownership(project)
            assert before is not None
            store.record_ownership(
                project, before.organization, frozenset({("mallory", "Owner")}), 0
            )
    runners = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sbom_enrich",
                "enrich",
                str(sboms[i % 2]),
                "--replay",
                str(SAMPLE_RECORDING),
                "--state",
                state,
                "-o",
                str(tmp_path / f"out{i}.json"),
                "-q",
            ],
            cwd=REPO,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(8)
    ]
    time.sleep(1.5)
    runners[3].send_signal(signal.SIGKILL)  # dies somewhere in its run
    results = [runner.communicate(timeout=600) for runner in runners]
    codes = [runner.returncode for runner in runners]
    assert codes[:3] + codes[4:] == [0] * 7, [r[1][-500:] for r in results]
    assert codes[3] == -signal.SIGKILL  # killed before it finished
    _check_integrity(state)
    with StateStore(state) as store:
        changes = store.changes(0.0)
        for project in seeded:
            mine = [(c.kind, c.detail) for c in changes if c.project == project]
            # seeding added mallory; the eight runners removed her once and re-added the rest
            assert mine.count(("owner-added", "mallory (Owner)")) == 1, mine
            assert mine.count(("owner-removed", "mallory (Owner)")) == 1, mine
            added = [d for kind, d in mine if kind == "owner-added" and d != "mallory (Owner)"]
            baseline = store.ownership(project)
            assert baseline is not None
            assert sorted(added) == sorted(f"{r.user} ({r.role})" for r in baseline.roles)
            assert all(r.user != "mallory" for r in baseline.roles)
    import psycopg

    with psycopg.connect(state) as connection:
        (duplicates,) = connection.execute(
            'SELECT count(*) FROM (SELECT project, "user", role FROM project_role '
            'GROUP BY project, "user", role HAVING count(*) > 1) AS d'
        ).fetchone()
    assert duplicates == 0


def test_prune_removes_old_caches_and_changes_and_keeps_the_baseline(state_location: str) -> None:
    with StateStore(state_location) as store:
        store.store_response("GET", "old", CachedResponse(200, {}, b"x", 10.0))
        store.store_response("GET", "new", CachedResponse(200, {}, b"x", time.time()))
        store.record_ownership("p", None, frozenset({("alice", "Owner")}), 10.0)
        store.record_ownership("p", None, frozenset({("bob", "Owner")}), 20.0)
    result = CliRunner().invoke(
        cli, ["state", "prune", "--older-than", "30", "--state", state_location]
    )
    assert result.exit_code == 0, result.output
    assert "1 http_cache" in result.stderr and "2 trust_change" in result.stderr
    with StateStore(state_location) as store:
        assert store.cached_response("GET", "old") is None
        assert store.cached_response("GET", "new") is not None
        assert store.changes(0.0) == []
        baseline = store.ownership("p")
        assert baseline is not None and [r.user for r in baseline.roles] == ["bob"]


def test_a_run_goes_on_when_the_postgresql_store_does_not_answer(tmp_path: Path) -> None:
    state = f"postgresql://ci:secret@/db?host={tmp_path}&port=1"  # no server there
    args = ["enrich", str(SAMPLE), "--replay", str(SAMPLE_RECORDING), "--state", state]
    result = CliRunner().invoke(cli, [*args, "-o", str(tmp_path / "out.json"), "-v"])
    assert result.exit_code == 0, result.stderr
    assert "15 unavailable (lookup failed)" in result.stderr
    assert "unavailable urllib3 1.26.12: baseline: " in result.stderr
    assert "the baseline was not saved" in result.stderr and "secret" not in result.stderr
    components = json.loads((tmp_path / "out.json").read_text())["components"]
    assert all(
        any(p["value"].startswith("baseline: ") for p in c.get("properties", []))
        for c in components
        if c.get("purl", "").startswith("pkg:pypi/")
    )
    strict = CliRunner().invoke(cli, [*args, "-o", str(tmp_path / "strict.json"), "--strict"])
    assert strict.exit_code == 4, strict.stderr
    assert not (tmp_path / "strict.json").exists()
