"""Benchmark the sync API under waitress on 127.0.0.1.

For vaults of 1,000 and 10,000 envelopes: pushes of 20 changes (edits of stored entries, so the vault keeps its size) and pulls from a recent
cursor, from 4 keep-alive clients in another process. Prints requests/s and p50/p99 latency.
Targets (issue "Sync API"): ≥ 300 pushes/s into a 1,000-envelope vault with p99 ≤ 50 ms; a pull
from a recent cursor that does not slow down as the vault grows.
Run: .venv/bin/python bench/api.py [--seconds 5]
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import multiprocessing
import random
import statistics
import tempfile
import threading
import time
from pathlib import Path

from browser import percentile, start_server, stop_server

from tests.envelopes import auth, envelope, hlc, new_vault

CLIENTS = 4


def request(conn: http.client.HTTPConnection, method: str, path: str, token: str, body=None):
    payload = json.dumps(body).encode() if body is not None else None
    conn.request(
        method, path, body=payload, headers={**auth(token), "Content-Type": "application/json"}
    )
    response = conn.getresponse()
    data = response.read()
    return response.status, (json.loads(data) if data else None)


def load(
    port: int,
    vault_id: str,
    token: str,
    ids: list[str],
    kind: str,
    cursor: int,
    seconds: float,
    out,
) -> None:
    """Runs in its own process so the client's Python does not share the server's GIL.

    A push edits 20 of the vault's entries (newer clocks), so the vault keeps its size.
    """
    latencies: list[float] = []
    pick = random.Random(7)
    errors = [0]
    path = f"/api/v1/vaults/{vault_id}/sync"
    # Bodies are made before the clock starts, so the figures are the server's, not the client's.
    if kind == "push":
        bodies = iter(
            [
                json.dumps(
                    {
                        "cursor": 10**12,
                        "changes": [
                            envelope(id=i, clock=hlc(2_000_000_000_000 + n), size=300)
                            for i in pick.sample(ids, 20)
                        ],
                    }
                ).encode()
                for n in range(int(seconds * 1500))
            ]
        )
    else:
        bodies = itertools.repeat(json.dumps({"cursor": cursor, "changes": []}).encode())
    take = threading.Lock()
    headers = {**auth(token), "Content-Type": "application/json"}
    deadline = time.perf_counter() + seconds

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.perf_counter() < deadline:
            with take:
                body = next(bodies, None)
            if body is None:
                break
            start = time.perf_counter()
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            status, reply = response.status, json.loads(response.read())
            latencies.append(time.perf_counter() - start)
            if status != 200 or (kind == "pull" and len(reply["changes"]) != 20):
                errors[0] += 1

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out.put((latencies, time.perf_counter() - started, errors[0]))


def seed(port: int, size: int) -> tuple[str, str, list[str]]:
    vault_id, token = new_vault()
    ids = []
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    assert request(conn, "PUT", f"/api/v1/vaults/{vault_id}", token)[0] == 201
    for _ in range(size // 500):
        changes = [envelope(size=300) for _ in range(500)]
        ids += [c["id"] for c in changes]
        status, _ = request(
            conn,
            "POST",
            f"/api/v1/vaults/{vault_id}/sync",
            token,
            {"cursor": 10**12, "changes": changes},
        )
        assert status == 200
    return vault_id, token, ids


def measure(
    port: int, vault: tuple[str, str, list[str]], kind: str, cursor: int, seconds: float
) -> dict:
    queue: multiprocessing.Queue = multiprocessing.Queue()
    process = multiprocessing.Process(
        target=load, args=(port, *vault, kind, cursor, seconds, queue)
    )
    process.start()
    latencies, elapsed, errors = queue.get()
    process.join()
    ms = [x * 1000 for x in latencies]
    return {
        "rps": len(ms) / elapsed,
        "p50": statistics.median(ms),
        "p99": percentile(ms, 99),
        "n": len(ms),
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(Path(tmp) / "data", {"THAW_RATE_LIMIT": "off"})
        port = int(server.url.rsplit(":", 1)[1])
        try:
            print(
                f"{CLIENTS} keep-alive clients, {args.seconds:.0f} s per figure, envelopes of 300 bytes"
            )
            results = {}
            for size in (1_000, 10_000):
                vault = seed(port, size)
                pull = measure(port, vault, "pull", size - 20, args.seconds)
                push = measure(port, vault, "push", 0, args.seconds)
                results[size] = (push, pull)
                for name, r in (("push 20", push), ("pull 20 from recent cursor", pull)):
                    print(
                        f"vault of {size:>6,} envelopes  {name:<28} {r['rps']:7.0f} req/s"
                        f"  p50 {r['p50']:6.1f} ms  p99 {r['p99']:6.1f} ms  ({r['n']} requests, {r['errors']} errors)"
                    )
            push_growth = results[10_000][0]["p50"] / results[1_000][0]["p50"]
            pull_growth = results[10_000][1]["p50"] / results[1_000][1]["p50"]
            print(
                f"growth 1,000 → 10,000: push p50 ×{push_growth:.2f}, pull p50 ×{pull_growth:.2f}"
            )
        finally:
            stop_server(server)


if __name__ == "__main__":
    main()
