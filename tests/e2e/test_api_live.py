"""The sync API under waitress: concurrent pushes, and SIGKILL in the middle of writes."""

from __future__ import annotations

import http.client
import json
import random
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.envelopes import auth, envelope, new_vault

from .conftest import start_server, stop_server


def call(method: str, url: str, token: str, body: dict | None = None, timeout: float = 10):
    data = json.dumps(body).encode() if body is not None else None
    headers = {**auth(token), "Content-Type": "application/json"}
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def pull_all(base: str, vault_id: str, token: str) -> list[dict]:
    cursor, changes = 0, []
    while True:
        status, body = call(
            "POST",
            f"{base}/api/v1/vaults/{vault_id}/sync",
            token,
            {"cursor": cursor, "changes": []},
        )
        assert status == 200, body
        changes += body["changes"]
        cursor = body["cursor"]
        if not body["more"]:
            return changes


def test_eight_threads_pushing_at_once_lose_nothing(tmp_path):
    server = start_server(tmp_path / "data")
    try:
        vault_id, token = new_vault()
        assert call("PUT", f"{server.url}/api/v1/vaults/{vault_id}", token)[0] == 201
        url = f"{server.url}/api/v1/vaults/{vault_id}/sync"
        pushed: list[list[str]] = [[] for _ in range(8)]
        failures: list[str] = []

        def pusher(n: int) -> None:
            mine = [envelope() for _ in range(200)]
            for start in range(0, 200, 20):
                batch = mine[start : start + 20]
                status, body = call("POST", url, token, {"cursor": 0, "changes": batch})
                if status != 200:
                    failures.append(f"{status} {body}")
                    return
                pushed[n] += [e["id"] for e in batch]

        threads = [threading.Thread(target=pusher, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert failures == []
        everything = pull_all(server.url, vault_id, token)
        assert len(everything) == 1600
        assert {e["id"] for e in everything} == {i for ids in pushed for i in ids}
        assert [e["seq"] for e in everything] == list(range(1, 1601))
    finally:
        stop_server(server)


def test_sigkill_mid_write_loses_no_acknowledged_push(tmp_path):
    data = tmp_path / "data"
    vault_id, token = new_vault()
    acknowledged: set[str] = set()
    rng = random.Random(4242)
    for round_ in range(5):
        server = start_server(data)
        base = server.url
        if round_ == 0:
            assert call("PUT", f"{base}/api/v1/vaults/{vault_id}", token)[0] == 201
        stop = threading.Event()

        def stream(base: str = base, stop: threading.Event = stop) -> None:
            while not stop.is_set():
                batch = [envelope(size=rng.randint(16, 2048)) for _ in range(10)]
                try:
                    status, _ = call(
                        "POST",
                        f"{base}/api/v1/vaults/{vault_id}/sync",
                        token,
                        {"cursor": 10**9, "changes": batch},
                        timeout=5,
                    )
                except (OSError, http.client.HTTPException):
                    return  # the server is gone: this push was never acknowledged
                if status == 200:
                    acknowledged.update(e["id"] for e in batch)

        workers = [threading.Thread(target=stream) for _ in range(3)]
        for worker in workers:
            worker.start()
        time.sleep(rng.uniform(0.2, 0.8))
        server.process.kill()  # SIGKILL: no cleanup, maybe mid-write
        server.process.wait(timeout=10)
        stop.set()
        for worker in workers:
            worker.join(timeout=20)

        # Every vault file still parses, and every acknowledged push is there after a restart
        # (the pushes since the last fold only in the vault's log), under gapless numbers.
        for path in (Path(data) / "vaults").glob("*.json"):
            json.loads(path.read_bytes())
        assert (Path(data) / "vaults" / f"{vault_id}.log").exists()
        again = start_server(data)
        try:
            pulled = pull_all(again.url, vault_id, token)
        finally:
            stop_server(again)
        stored = {e["id"] for e in pulled}
        assert [e["seq"] for e in pulled] == list(range(1, len(pulled) + 1))
        assert acknowledged, "no push was acknowledged before the kill"
        assert acknowledged <= stored, f"round {round_}: lost {len(acknowledged - stored)}"
