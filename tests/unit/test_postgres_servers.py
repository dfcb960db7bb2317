"""Real `thaw serve` processes on one real PostgreSQL: concurrency, crashes, a database away."""

from __future__ import annotations

import http.client
import json
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import Server, start_server, stop_server
from tests.envelopes import auth, envelope, new_vault


@contextmanager
def servers(tmp_path, url: str, n: int) -> Iterator[list[Server]]:
    running = []
    try:
        for i in range(n):
            running.append(start_server(tmp_path / f"data-{i}", {"THAW_DATABASE_URL": url}))
        yield running
    finally:
        for server in running:
            stop_server(server)


class Client:
    """One keep-alive connection to a server, speaking the sync API."""

    def __init__(self, server: Server, vault: tuple[str, str]) -> None:
        parts = urlsplit(server.url)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        self.vault_id, self.token = vault

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict, dict]:
        payload = json.dumps(body).encode() if body is not None else None
        headers = {**auth(self.token), "Content-Type": "application/json"}
        self.conn.request(method, f"/api/v1/vaults/{self.vault_id}{path}", payload, headers)
        response = self.conn.getresponse()
        data = response.read()
        return response.status, (json.loads(data) if data else {}), dict(response.headers)

    def create(self) -> int:
        return self.call("PUT", "")[0]

    def push(self, changes: list[dict], cursor: int = 0) -> tuple[int, dict, dict]:
        return self.call("POST", "/sync", {"cursor": cursor, "changes": changes})

    def pull_all(self) -> list[dict]:
        cursor, pulled = 0, []
        while True:
            status, body, _ = self.push([], cursor)
            assert status == 200, body
            pulled += body["changes"]
            cursor = body["cursor"]
            if not body["more"]:
                return pulled


def test_two_servers_eight_pushers_one_vault(tmp_path, pg_url):
    vault = new_vault()
    with servers(tmp_path, pg_url, 2) as (a, b):
        assert Client(a, vault).create() == 201
        pushed: list[list[str]] = []
        failures: list[str] = []

        def pusher(server: Server) -> None:
            client, mine = Client(server, vault), []
            for _ in range(25):  # 200 changes each, 8 a push
                changes = [envelope() for _ in range(8)]
                status, body, _ = client.push(changes, cursor=10**12)
                if status != 200:
                    failures.append(f"{status} {body}")
                    return
                mine += [c["id"] for c in changes]
            pushed.append(mine)

        threads = [threading.Thread(target=pusher, args=(s,)) for s in (a, b) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        assert failures == []
        pulled = Client(b, vault).pull_all()
    assert [e["seq"] for e in pulled] == list(range(1, 1601)), "gapless, unique, in order"
    assert sorted(e["id"] for e in pulled) == sorted(i for ids in pushed for i in ids)
    assert len(pushed) == 8


def test_a_killed_server_loses_no_acknowledged_push(tmp_path, pg_url):
    vault = new_vault()
    acknowledged: list[str] = []
    for round_ in range(3):
        server = start_server(tmp_path / f"data-{round_}", {"THAW_DATABASE_URL": pg_url})
        client = Client(server, vault)
        assert client.create() in {200, 201}
        stop = threading.Event()

        def stream(client: Client = client, stop: threading.Event = stop) -> None:
            while not stop.is_set():
                changes = [envelope() for _ in range(5)]
                try:
                    status, _, _ = client.push(changes, cursor=10**12)
                except (OSError, http.client.HTTPException):
                    return  # the server died under this request: not acknowledged
                if status == 200:
                    acknowledged.extend(c["id"] for c in changes)

        threads = [threading.Thread(target=stream) for _ in range(3)]
        for thread in threads:
            thread.start()
        target = len(acknowledged) + 60
        deadline = time.monotonic() + 60
        while len(acknowledged) < target:
            assert time.monotonic() < deadline, "pushes did not get through"
            time.sleep(0.01)
        server.process.send_signal(signal.SIGKILL)  # mid-stream: some pushes in flight
        server.process.wait(10)
        stop.set()
        for thread in threads:
            thread.join(30)
    with servers(tmp_path, pg_url, 1) as (server,):
        pulled = Client(server, vault).pull_all()
    stored = {e["id"] for e in pulled}
    assert set(acknowledged) <= stored
    assert [e["seq"] for e in pulled] == list(range(1, len(pulled) + 1))


def test_postgresql_stopped_mid_run_is_503_then_pushes_succeed(tmp_path, postgres, pg_url):
    vault = new_vault()
    with servers(tmp_path, pg_url, 1) as (server,):
        client = Client(server, vault)
        assert client.create() == 201
        assert client.push([envelope()])[0] == 200
        acknowledged: list[str] = []
        statuses: list[int] = []
        stop = threading.Event()

        def stream() -> None:
            streamer = Client(server, vault)
            while not stop.is_set():
                changes = [envelope()]
                status, body, headers = streamer.push(changes, cursor=10**12)
                statuses.append(status)
                if status == 200:
                    acknowledged.extend(c["id"] for c in changes)
                else:
                    assert status == 503, body
                    assert body["error"]["code"] == "store_unavailable"
                    assert int(headers["Retry-After"]) > 0
                    time.sleep(0.05)

        thread = threading.Thread(target=stream)
        thread.start()
        try:
            postgres.stop("fast")  # drops every connection, some mid-push
            status, body, headers = client.push([envelope()])
            assert status == 503 and body["error"]["code"] == "store_unavailable"
            assert int(headers["Retry-After"]) > 0
            status, _, _ = client.call("PUT", "")
            assert status == 503
        finally:
            postgres.start()
        deadline = time.monotonic() + 60
        while True:  # the pool reconnects on its own
            status, body, _ = client.push([envelope()])
            if status == 200:
                break
            assert status == 503, body
            assert time.monotonic() < deadline, "pushes did not succeed after PostgreSQL returned"
            time.sleep(0.2)
        stop.set()
        thread.join(30)
        assert set(statuses) <= {200, 503} and 503 in statuses
        stored = {e["id"] for e in client.pull_all()}
    assert set(acknowledged) <= stored


@pytest.mark.parametrize("setting", ["postgresql://127.0.0.1:1/nowhere", "behind"])
def test_serve_refuses_a_database_it_cannot_use_with_one_line(tmp_path, postgres, setting):
    import subprocess
    import sys

    url = postgres.create_database("empty", migrate=False) if setting == "behind" else setting
    result = subprocess.run(
        [sys.executable, "-m", "pwa", "serve", "--data", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        env={"THAW_DATABASE_URL": url, "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("thaw: error:"), result.stderr
    if setting == "behind":
        assert "thaw db upgrade" in lines[0] and "schema version 0" in lines[0]
    else:
        assert "cannot connect to PostgreSQL at postgresql://127.0.0.1:1/nowhere" in lines[0]
