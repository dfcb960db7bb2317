"""`thaw serve` under waitress, attacked as the security review did: proxies and rate limits,
huge and half-sent bodies. Flask's test client skips waitress, so these need a real process."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import select
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.envelopes import auth, new_vault

from .conftest import Server, start_server, stop_server

MiB = 1024 * 1024


def request(
    server: Server, method: str, path: str, headers: dict | None = None, body: bytes | None = None
) -> tuple[int, dict, bytes]:
    url = urlparse(server.url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def status(server: Server, method: str, path: str, **headers: str) -> int:
    return request(server, method, path, {k.replace("_", "-"): v for k, v in headers.items()})[0]


@pytest.fixture(scope="module")
def proxied(tmp_path_factory) -> Iterator[Server]:
    """Behind one trusted proxy (THAW_TRUSTED_PROXIES=1), with small limits to reach quickly."""
    server = start_server(
        tmp_path_factory.mktemp("proxied"),
        {
            "THAW_TRUSTED_PROXIES": "1",
            "THAW_RATE_LIMIT": "20 per minute",
            "THAW_CREATE_LIMIT": "3 per hour",
            "THAW_HSTS": "on",
        },
    )
    yield server
    stop_server(server)


def test_behind_the_proxy_one_client_using_up_its_limit_leaves_others_alone(proxied):
    health = "/api/v1/health"
    first = [status(proxied, "GET", health, X_Forwarded_For="1.2.3.4") for _ in range(21)]
    assert first == [200] * 20 + [429]
    assert status(proxied, "GET", health, X_Forwarded_For="5.6.7.8") == 200
    # The proxy appends the real client to whatever the client sent: the rightmost counts.
    assert status(proxied, "GET", health, X_Forwarded_For="5.6.7.8, 1.2.3.4") == 429
    assert status(proxied, "GET", health, X_Forwarded_For="1.2.3.4, 9.8.7.6") == 200


def test_one_routes_exhaustion_throttles_the_others(proxied):
    client = {"X_Forwarded_For": "10.1.1.1"}
    for _ in range(20):
        assert status(proxied, "GET", "/api/v1/openapi.json", **client) == 200
    vault_id, token = new_vault()
    url = f"/api/v1/vaults/{vault_id}"
    bearer = auth(token)["Authorization"]
    code, headers, body = request(
        proxied, "PUT", url, {"X-Forwarded-For": "10.1.1.1", "Authorization": bearer}
    )
    assert code == 429 and json.loads(body)["error"]["code"] == "too_many_requests"
    assert int(headers["Retry-After"]) > 0 and headers["Cache-Control"] == "no-store"
    for method, path in [("POST", f"{url}/sync"), ("DELETE", url), ("GET", "/api/v1/health")]:
        assert status(proxied, method, path, Authorization=bearer, **client) == 429, method


def test_vault_creation_limit_per_client(proxied):
    def create(client: str) -> int:
        vault_id, token = new_vault()
        return status(
            proxied, "PUT", f"/api/v1/vaults/{vault_id}", X_Forwarded_For=client, **auth(token)
        )

    assert [create("10.2.2.2") for _ in range(4)] == [201, 201, 201, 429]
    assert create("10.3.3.3") == 201


def test_the_proxys_https_is_seen_and_hsts_sent(proxied):
    code, headers, _ = request(
        proxied, "GET", "/", {"X-Forwarded-For": "10.4.4.4", "X-Forwarded-Proto": "https"}
    )
    assert code == 200 and headers["Strict-Transport-Security"] == "max-age=63072000"


def test_without_a_trusted_proxy_forged_forwarding_headers_change_nothing(tmp_path):
    server = start_server(tmp_path / "data", {"THAW_RATE_LIMIT": "10 per minute"})
    try:
        codes = [
            status(
                server,
                "GET",
                "/api/v1/health",
                X_Forwarded_For=f"198.51.100.{n}",
                X_Real_IP=f"203.0.113.{n}",
                Forwarded=f"for=192.0.2.{n}",
            )
            for n in range(30)
        ]
    finally:
        stop_server(server)
    assert codes == [200] * 10 + [429] * 20


def temp_bytes(pid: int, folder: Path) -> int:
    """Disk the server holds under `folder`: its files, and open ones already unlinked
    (waitress spools bodies to anonymous temp files that no directory listing shows)."""
    total = sum(p.stat().st_blocks * 512 for p in folder.rglob("*") if p.is_file())
    fds = Path(f"/proc/{pid}/fd")
    for fd in fds.iterdir() if fds.exists() else ():
        try:
            if os.readlink(fd).startswith(str(folder)):
                total += os.stat(fd).st_blocks * 512
        except OSError:
            continue  # closed meanwhile
    return total


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> Iterator[tuple[Server, Path]]:
    """Default limits; its own TMPDIR so its spooled bodies can be measured."""
    tmp = tmp_path_factory.mktemp("server-tmp")
    data = tmp_path_factory.mktemp("plain-data")
    (data / "vaults").mkdir()
    for name in ["0" * 32, "f" * 32]:  # what a crash mid-write leaves
        (data / "vaults" / f"{name}.json.tmp").write_bytes(b'{"meta": half a write')
    server = start_server(data, {"TMPDIR": str(tmp), "THAW_RATE_LIMIT": "off"})
    yield server, tmp
    stop_server(server)


def test_temp_files_a_crash_left_are_gone_once_the_server_starts(plain):
    server, _ = plain
    assert list((server.data_dir / "vaults").glob("*.tmp")) == []


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_300_mib_body_without_a_token_is_refused_before_it_is_stored(plain, chunked):
    server, tmp = plain
    url = urlparse(server.url)
    size, chunk = 300 * MiB, b"x" * MiB
    peak, done = [0], threading.Event()

    def watch() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], temp_bytes(server.process.pid, tmp))
            time.sleep(0.01)

    watcher = threading.Thread(target=watch)
    watcher.start()
    sent, reply = 0, b""
    started = time.monotonic()
    sock = socket.create_connection((url.hostname, url.port), timeout=10)
    try:
        framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {size}"
        sock.sendall(
            f"PUT /api/v1/vaults/{'a' * 32} HTTP/1.1\r\nHost: x\r\n"
            f"Content-Type: application/json\r\n{framing}\r\n\r\n".encode()
        )
        piece = b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk
        while sent < size:
            if select.select([sock], [], [], 0)[0]:
                break  # the server has answered
            try:
                sock.sendall(piece)
            except OSError:
                break  # refused and closed
            sent += len(chunk)
        with contextlib.suppress(OSError):  # reset before the reply could be read
            reply = sock.recv(200)
    finally:
        sock.close()
        elapsed = time.monotonic() - started
        time.sleep(0.2)
        done.set()
        watcher.join()
    assert peak[0] < 4 * MiB, f"the server spooled {peak[0] / MiB:.1f} MiB to disk"
    assert sent < 32 * MiB, f"{sent // MiB} MiB were read before the refusal"
    assert elapsed < 10
    assert reply == b"" or reply.startswith(b"HTTP/1.1 413"), reply
    assert status(server, "GET", "/api/v1/health") == 200


def test_120_half_sent_requests_do_not_stop_health(plain):
    server, _ = plain
    url = urlparse(server.url)
    vault_id, _ = new_vault()
    hanging: list[socket.socket] = []
    try:
        for _ in range(120):
            sock = socket.create_connection((url.hostname, url.port), timeout=5)
            sock.sendall(
                f"POST /api/v1/vaults/{vault_id}/sync HTTP/1.1\r\nHost: x\r\n"
                "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{".encode()
            )
            hanging.append(sock)
        started = time.monotonic()
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=2)
        try:
            conn.request("GET", "/api/v1/health")
            assert conn.getresponse().status == 200
        finally:
            conn.close()
        assert time.monotonic() - started < 2
        # All 120 are still open: the server did not answer by dropping them.
        assert not any(select.select(hanging, [], [], 0)[0])
    finally:
        for sock in hanging:
            sock.close()


def test_a_client_that_goes_quiet_is_disconnected_after_the_channel_timeout(tmp_path):
    server = start_server(tmp_path / "data", {"THAW_CHANNEL_TIMEOUT": "2"})
    url = urlparse(server.url)
    try:
        sock = socket.create_connection((url.hostname, url.port), timeout=15)
        sock.sendall(b"POST /api/v1/health HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{")
        started = time.monotonic()
        try:
            closed = sock.recv(100) == b""
        except ConnectionResetError:
            closed = True
        waited = time.monotonic() - started
        sock.close()
    finally:
        stop_server(server)
    assert closed and 1 < waited < 12, waited
