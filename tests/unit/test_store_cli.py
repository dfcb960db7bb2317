"""`thaw db upgrade`, `thaw vaults prune`, `thaw store copy`, and the data folder's lock."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import psycopg

from pwa.store.postgres import PostgresStore
from pwa.store.tinydb_store import TinyDBStore
from tests.e2e.conftest import start_server, stop_server
from tests.envelopes import envelope, hlc, new_vault
from tests.pg import free_port

NOTICE = "B" * 43 + "="


def thaw(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pwa", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": os.environ["PATH"], **(env or {})},
    )


def test_db_upgrade_then_up_to_date(postgres):
    url = postgres.create_database("upgrade", migrate=False)
    first = thaw("db", "upgrade", env={"THAW_DATABASE_URL": url})
    assert first.returncode == 0, first.stderr
    assert "applied migration 1: vaults and envelopes" in first.stdout
    assert "applied migration 2: push and pull in one call" in first.stdout
    assert "applied migration 3: reminders" in first.stdout
    again = thaw("db", "upgrade", env={"THAW_DATABASE_URL": url})
    assert again.returncode == 0 and "up to date (schema version 3)" in again.stdout
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT version FROM thaw_schema ORDER BY version").fetchall()
        assert rows == [(1,), (2,), (3,)]
        assert conn.execute("SELECT to_regclass('reminders_next_at')").fetchone()[0]
    unset = thaw("db", "upgrade")
    assert unset.returncode == 2 and "THAW_DATABASE_URL" in unset.stderr


def test_a_second_server_on_the_same_data_folder_refuses_to_start(tmp_path):
    server = start_server(tmp_path / "data")
    try:
        port = str(free_port())  # another port: only the data folder is shared
        second = thaw("serve", "--port", port, "--data", str(tmp_path / "data"))
        assert second.returncode == 2
        lines = second.stderr.strip().splitlines()
        assert len(lines) == 1 and "in use by another Thaw process" in lines[0], second.stderr
        assert f"pid {server.process.pid}" in lines[0]
        prune = thaw("vaults", "prune", "--idle-days", "1", "--data", str(tmp_path / "data"))
        assert prune.returncode == 2 and "in use" in prune.stderr
    finally:
        stop_server(server)


def test_prune_prints_what_it_removed(tmp_path):
    store = TinyDBStore(tmp_path)
    old, recent = new_vault(), new_vault()
    for vault in (old, recent):
        store.create(*vault)
        store.apply(vault[0], [envelope()])
    store.close()
    long_ago = time.time() - 100 * 86400
    for name in (f"{old[0]}.json", f"{old[0]}.meta.json"):
        os.utime(tmp_path / "vaults" / name, (long_ago, long_ago))
    result = thaw("vaults", "prune", "--idle-days", "90", "--data", str(tmp_path))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith(f"removed vault {old[0]} (last synced ")
    assert lines[-1] == "removed 1 vault(s) not synced for 90 days"
    assert sorted(p.name for p in (tmp_path / "vaults").iterdir()) == [
        f"{recent[0]}.json",
        f"{recent[0]}.meta.json",
    ]
    bad = thaw("vaults", "prune", "--idle-days", "0", "--data", str(tmp_path))
    assert bad.returncode == 2 and "--idle-days" in bad.stderr


def test_store_copy_round_trip_and_twice_adds_nothing(tmp_path, postgres):
    url = postgres.create_database("copy")
    source = TinyDBStore(tmp_path)
    vaults = [new_vault() for _ in range(3)]
    for i, vault in enumerate(vaults):
        source.create(*vault)
        first = [envelope() for _ in range(10 * (i + 1))]
        source.apply(vault[0], first)
        source.apply(vault[0], [envelope(id=first[0]["id"], clock=hlc(1_800_000_000_000))])
    gone = new_vault()
    source.create(*gone)
    source.apply(gone[0], [envelope()])
    source.erase(gone[0], notice=NOTICE)
    expected = {v: source.export(v) for v, _ in [*vaults, gone]}
    source.close()

    first = thaw("store", "copy", "--to", url, "--data", str(tmp_path))
    assert first.returncode == 0, first.stderr + first.stdout
    assert first.stdout.strip().splitlines()[-1].startswith("4 copied, 0 already there, 0 differ")
    target = PostgresStore(url)
    try:
        for vault_id, token in vaults:
            dump = target.export(vault_id)
            want = expected[vault_id]
            assert [e[:3] for e in dump.envelopes] == [e[:3] for e in want.envelopes]
            assert dump.last_seq == want.last_seq and dump.token_sha256 == want.token_sha256
            target.check_token(vault_id, token)
            page = target.changes_since(vault_id, 0, 1000)
            assert [e["seq"] for e in page.envelopes()] == [s for s, *_ in want.envelopes]
            assert target.apply(vault_id, [envelope()]) == [want.last_seq + 1]
        assert target.export(gone[0]).notice == NOTICE
        counts = {v: target.count(v) for v, _ in vaults}
    finally:
        target.close()

    again = thaw("store", "copy", "--to", url, "--data", str(tmp_path))
    assert again.returncode == 1, "the copied vaults have moved on since (a push each)"
    assert "0 copied, 4 already there, 3 differ" in again.stdout
    target = PostgresStore(url)
    try:
        assert {v: target.count(v) for v, _ in vaults} == counts, "nothing added"
    finally:
        target.close()
