"""Benchmark the sync API under waitress on 127.0.0.1, on either store.

  .venv/bin/python bench/api.py --store tinydb|postgresql [--seconds 5] [--sizes 1000,10000,100000]

For vaults of 1,000, 10,000 and 100,000 envelopes (300-byte payloads, seeded straight into the
store): pushes of 20 changes (edits of stored entries, so the vault keeps its size) and pulls
from a recent cursor, from one and from four keep-alive clients (in another process, so they do
not share the server's GIL; a lean HTTP/1.1 client, see LeanConnection), against one and (PostgreSQL) two server processes. Then the
server's RSS after touching 1,000 vaults of 1,000 envelopes (a full pull of each). Each figure
comes with the CPU time per request of the load process, the server(s) and PostgreSQL (the
2 cores are shared by all three, so their sum bounds the throughput), the load average, and
the share of CPU time the virtual machine's host gave to others meanwhile ("stolen"), and the
time a fixed piece of Python work took just before (machine.probe_ms: ~11.5 ms on a quiet host;
a busy host can double it, and every figure with it, without any time counted as stolen).
`--profile N` instead profiles N pushes of 20 end to end in one process (Flask's test client,
the store, PostgreSQL round trips) with cProfile and prints the top items.
PostgreSQL runs from Debian's binaries in a temporary folder with its default (durable)
settings, reached through its Unix socket as on one machine (`--tcp`: 127.0.0.1).
Targets (issue 12): PostgreSQL push-of-20 p50 flat from 1,000 to 100,000 (×1.3);
≥ 500 push req/s with four clients; one sequential client ≥ 300 push req/s on either backend;
pull from a recent cursor flat; RSS after 1,000 vaults ≤ 150 MiB on either backend.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import multiprocessing
import os
import random
import socket
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from browser import percentile, start_server, stop_server
from machine import cpu_counters, probe_ms, stolen

from pwa.store import VaultDump
from pwa.store.base import dumps, envelope_body, token_hash
from tests.envelopes import auth, hlc, new_vault
from tests.pg import PostgresServer

PAYLOAD = 300


def make_envelopes(n: int, tag: int) -> list[tuple[int, str, str, bytes]]:
    data = base64.b64encode(os.urandom(PAYLOAD)).decode()
    iv = base64.b64encode(os.urandom(12)).decode()
    out = []
    for i in range(n):
        envelope_id = f"{tag:08x}-0000-4000-8000-{i:012d}"
        clock = hlc(1_732_000_000_000 + i)
        body = envelope_body(
            {"id": envelope_id, "hlc": clock, "deleted": False, "iv": iv, "data": data}
        )
        out.append((i + 1, envelope_id, clock, body))
    return out


class Seeder:
    """Puts whole vaults straight into the store the server will use (far faster than HTTP)."""

    def __init__(self, kind: str, data_dir: Path, url: str | None) -> None:
        self.kind, self.data_dir, self.url = kind, data_dir, url
        self.tag = 0
        if kind == "postgresql":
            from pwa.store.postgres import PostgresStore

            self.pg = PostgresStore(url, pool_size=2)

    def vault(self, size: int) -> tuple[str, str, list[str]]:
        self.tag += 1
        vault_id, token = new_vault()
        envelopes = make_envelopes(size, self.tag)
        now = datetime.now(UTC)
        if self.kind == "postgresql":
            dump = VaultDump(vault_id, token_hash(token), now, now, size, None, envelopes)
            assert self.pg.import_vault(dump)
        else:
            folder = self.data_dir / "vaults"
            folder.mkdir(parents=True, exist_ok=True)
            meta = {"token_sha256": token_hash(token), "created": now.isoformat()}
            pieces = b",".join(b'"%d":%s' % (seq, body) for seq, _, _, body in envelopes)
            (folder / f"{vault_id}.json").write_bytes(
                b'{"envelopes":{%s},"meta":{"1":%s}}' % (pieces, dumps({**meta, "last_seq": size}))
            )
            (folder / f"{vault_id}.meta.json").write_bytes(dumps(meta))
        return vault_id, token, [e[1] for e in envelopes]

    def close(self) -> None:
        if self.kind == "postgresql":
            self.pg.close()


class LeanConnection:
    """A keep-alive HTTP/1.1 client that reads only the status line and Content-Length, as a
    load generator such as wrk does: http.client parses every reply's headers with
    email.parser, three times the CPU (0.24 against 0.08 ms per request on a quiet host), on
    the 2 cores the server needs (a phone's client does not run on the server's machine)."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""

    def post(self, path: str, head: str, body: bytes) -> tuple[int, bytes]:
        """(status, body) of one POST of JSON on this connection."""
        self.sock.sendall(
            b"POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%sContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n%s" % (path.encode(), head.encode(), len(body), body)
        )
        while (end := self.buffer.find(b"\r\n\r\n")) < 0:
            self.buffer += self._recv()
        header, self.buffer = self.buffer[:end], self.buffer[end + 4 :]
        status = int(header[9:12])
        at = header.lower().find(b"\r\ncontent-length:")
        size = int(header[at + 17 : header.find(b"\r\n", at + 2)]) if at >= 0 else 0
        while len(self.buffer) < size:
            self.buffer += self._recv()
        reply, self.buffer = self.buffer[:size], self.buffer[size:]
        return status, reply

    def _recv(self) -> bytes:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        return chunk


def load(ports, vault_id, token, ids, kind, cursor, seconds, clients, out) -> None:
    """Runs in its own process; `clients` keep-alive connections spread over the servers."""
    latencies: list[float] = []
    pick = random.Random(os.getpid())
    errors = [0]
    path = f"/api/v1/vaults/{vault_id}/sync"
    # Newer than anything stored so far, and never ahead of the server's clock (it refuses that).
    wall, node = int(time.time() * 1000), f"{pick.getrandbits(64):016x}"
    if kind == "push":
        bodies = iter(
            [
                json.dumps(
                    {
                        "cursor": 10**12,
                        "changes": [
                            {
                                "id": i,
                                "hlc": hlc(wall + n // 65536, n % 65536, node),
                                "deleted": False,
                                "iv": base64.b64encode(os.urandom(12)).decode(),
                                "data": base64.b64encode(os.urandom(PAYLOAD)).decode(),
                            }
                            for i in pick.sample(ids, 20)
                        ],
                    }
                ).encode()
                for n in range(int(seconds * 1200))
            ]
        )
    else:
        body = json.dumps({"cursor": cursor, "changes": []}).encode()
        bodies = iter([body] * int(seconds * 5000))
    take = threading.Lock()
    head = "".join(f"{name}: {value}\r\n" for name, value in auth(token).items())
    deadline = time.perf_counter() + seconds

    def client(port: int) -> None:
        conn = LeanConnection(port)
        while time.perf_counter() < deadline:
            with take:
                body = next(bodies, None)
            if body is None:
                break
            start = time.perf_counter()
            status, reply = conn.post(path, head, body)
            latencies.append(time.perf_counter() - start)
            if status != 200 or (kind == "pull" and len(json.loads(reply)["changes"]) != 20):
                errors[0] += 1

    threads = [
        threading.Thread(target=client, args=(ports[i % len(ports)],)) for i in range(clients)
    ]
    started, cpu = time.perf_counter(), time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out.put((latencies, time.perf_counter() - started, errors[0], time.process_time() - cpu))


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def local_url(pg: PostgresServer, url: str, tcp: bool) -> str:
    """The database's URL through PostgreSQL's Unix socket (what a deployment with PostgreSQL on
    the same machine uses: ~10% less CPU per push than TCP on 127.0.0.1), or as is with --tcp."""
    if tcp:
        return url
    return f"postgresql://postgres@/{url.rsplit('/', 1)[1]}?host={pg.folder}&port={pg.port}"


def cpu_seconds(pid: int, children: bool = False) -> float:
    """User + system CPU of a process (and of its reaped children), from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    if children:
        ticks += int(fields[13]) + int(fields[14])  # cutime, cstime: backends that exited
    return ticks / CLOCK_TICKS


def postgres_cpu(pg: PostgresServer | None) -> float:
    """CPU of the whole PostgreSQL cluster: the postmaster, its backends and helpers."""
    if pg is None:
        return 0.0
    postmaster = int((pg.data / "postmaster.pid").read_text().split()[0])
    total = cpu_seconds(postmaster, children=True)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if ppid == postmaster:
            total += cpu_seconds(int(stat.parent.name))
    return total


def measure(ports, vault, kind, cursor, seconds, clients, server_pids=(), pg=None) -> dict:
    queue: multiprocessing.Queue = multiprocessing.Queue()
    process = multiprocessing.Process(
        target=load, args=(ports, *vault, kind, cursor, seconds, clients, queue)
    )
    probe = probe_ms()
    servers_before = sum(cpu_seconds(pid) for pid in server_pids)
    pg_before = postgres_cpu(pg)
    machine = cpu_counters()
    process.start()
    latencies, elapsed, errors, client_cpu = queue.get()
    servers_cpu = sum(cpu_seconds(pid) for pid in server_pids) - servers_before
    pg_cpu = postgres_cpu(pg) - pg_before
    steal = stolen(machine)
    process.join()
    ms = [x * 1000 for x in latencies]
    n = max(1, len(ms))
    return {
        "rps": len(ms) / elapsed,
        "p50": statistics.median(ms),
        "p99": percentile(ms, 99),
        "n": len(ms),
        "errors": errors,
        "cpu": (client_cpu * 1000 / n, servers_cpu * 1000 / n, pg_cpu * 1000 / n),
        "steal": steal,
        "probe": probe,
    }


def post(port: int, vault_id: str, token: str, cursor: int) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    body = json.dumps({"cursor": cursor, "changes": []}).encode()
    conn.request(
        "POST",
        f"/api/v1/vaults/{vault_id}/sync",
        body=body,
        headers={**auth(token), "Content-Type": "application/json"},
    )
    response = conn.getresponse()
    reply = json.loads(response.read())
    assert response.status == 200, reply
    return reply


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def push_bodies(ids: list[str], n: int, node: str = "00000000000000aa") -> list[bytes]:
    """`n` sync requests, each editing 20 stored envelopes with clocks newer than any so far."""
    pick, wall = random.Random(1), int(time.time() * 1000)
    return [
        json.dumps(
            {
                "cursor": 10**12,
                "changes": [
                    {
                        "id": i,
                        "hlc": hlc(wall + k // 65536, k % 65536, node),
                        "deleted": False,
                        "iv": base64.b64encode(os.urandom(12)).decode(),
                        "data": base64.b64encode(os.urandom(PAYLOAD)).decode(),
                    }
                    for i in pick.sample(ids, 20)
                ],
            }
        ).encode()
        for k in range(n)
    ]


def profile(kind: str, n: int, tcp: bool = False) -> None:
    """N pushes of 20 through Flask's test client, first timed, then under cProfile."""
    import cProfile
    import io
    import pstats

    from pwa import create_app

    pg = None
    with tempfile.TemporaryDirectory() as tmp:
        config = {
            "DATA_DIR": str(Path(tmp) / "data"),
            "RATE_LIMIT": os.environ.get("THAW_RATE_LIMIT", "off"),
            "VAULT_MAX_BYTES": 2**40,
            "VAULT_MAX_ENVELOPES": 10**7,
        }
        if kind == "postgresql":
            pg = PostgresServer({"max_connections": "100"})  # durable defaults, as above
            pg.start()
            config["DATABASE_URL"] = local_url(pg, pg.create_database("profile"), tcp)
        try:
            app = create_app(config)
            seeder = Seeder(kind, Path(config["DATA_DIR"]), config.get("DATABASE_URL"))
            vault_id, token, ids = seeder.vault(1000)
            seeder.close()
            bodies = iter(push_bodies(ids, 2 * n + 100))
            client = app.test_client()
            headers = {**auth(token), "Content-Type": "application/json"}
            path = f"/api/v1/vaults/{vault_id}/sync"

            def push() -> None:
                response = client.post(path, data=next(bodies), headers=headers)
                assert response.status_code == 200, response.get_data(as_text=True)

            for _ in range(100):  # warm: pool, prepared statements, caches
                push()
            started, cpu = time.perf_counter(), time.process_time()
            for _ in range(n):
                push()
            wall, cpu = time.perf_counter() - started, time.process_time() - cpu
            pg_before = postgres_cpu(pg)
            print(
                f"{kind}: {n} pushes of 20 through the test client: {wall / n * 1000:.2f} ms"
                f" wall, {cpu / n * 1000:.2f} ms CPU in this process per push; load average"
                f" {os.getloadavg()[0]:.1f}"
            )
            profiler = cProfile.Profile()
            pg_before = postgres_cpu(pg)
            profiler.enable()
            for _ in range(n):
                push()
            profiler.disable()
            if pg:
                print(
                    f"PostgreSQL CPU per push: {(postgres_cpu(pg) - pg_before) / n * 1000:.2f} ms"
                )
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats("tottime").print_stats(25)
            stats.sort_stats("cumulative").print_stats(40)
            root = str(Path(__file__).resolve().parent.parent) + "/"
            print(out.getvalue().replace(root, "").replace(sys.prefix + "/", ""))
            app.extensions["thaw.store"].close()
        finally:
            if pg:
                pg.remove()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", choices=["tinydb", "postgresql"], default="tinydb")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--rss-vaults", type=int, default=1000, help="0 skips the RSS figure")
    parser.add_argument(
        "--profile",
        type=int,
        metavar="N",
        help="profile N pushes of 20 into a vault of 1,000 in one process, print the top items",
    )
    parser.add_argument(
        "--tcp", action="store_true", help="reach PostgreSQL on 127.0.0.1, not its Unix socket"
    )
    args = parser.parse_args()
    if args.profile:
        profile(args.store, args.profile, args.tcp)
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    pg = None
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "THAW_RATE_LIMIT": "off",
            "THAW_VAULT_MAX_BYTES": str(2**40),
            "THAW_VAULT_MAX_ENVELOPES": str(10**7),
        }
        url = None
        if args.store == "postgresql":
            pg = PostgresServer({"max_connections": "100"})  # PostgreSQL's durable defaults
            pg.start()
            url = local_url(pg, pg.create_database("bench"), args.tcp)
            env["THAW_DATABASE_URL"] = url
        data = Path(tmp) / "data"
        seeder = Seeder(args.store, data, url)
        server_counts = (1, 2) if args.store == "postgresql" else (1,)
        load_avg = os.getloadavg()[0]
        print(
            f"store {args.store}{' over TCP' if args.tcp else ''};"
            f" {args.seconds:.0f} s per figure; envelopes of {PAYLOAD} bytes;"
            f" load average at start {load_avg:.1f} on {os.cpu_count()} cores"
        )
        p50 = {}
        try:
            vaults = {size: seeder.vault(size) for size in sizes}
            for n_servers in server_counts:
                servers = [
                    start_server(Path(tmp) / f"data-{i}" if url else data, env)
                    for i in range(n_servers)
                ]
                ports = [int(s.url.rsplit(":", 1)[1]) for s in servers]
                pids = [s.process.pid for s in servers]
                try:
                    for size in sizes:
                        vault = vaults[size]
                        for clients in (1, 4):
                            push = measure(ports, vault, "push", 0, args.seconds, clients, pids, pg)
                            last = post(ports[0], vault[0], vault[1], 10**12)["cursor"]
                            pull = measure(
                                ports, vault, "pull", last - 20, args.seconds, clients, pids, pg
                            )
                            p50[(n_servers, size, clients)] = (push["p50"], pull["p50"])
                            for name, r in (("push 20", push), ("pull 20 recent", pull)):
                                cpu = "/".join(f"{x:.2f}" for x in r["cpu"])
                                print(
                                    f"{n_servers} server(s) {clients} client(s) vault {size:>7,}"
                                    f"  {name:<15} {r['rps']:6.0f} req/s  p50 {r['p50']:6.1f} ms"
                                    f"  p99 {r['p99']:6.1f} ms  ({r['n']} requests, {r['errors']} errors)"
                                    f"  CPU ms/req client/server/pg {cpu}"
                                    f"  load {os.getloadavg()[0]:.1f}, stolen {r['steal']:.0%}, probe {r['probe']:.1f} ms",
                                    flush=True,
                                )
                    rss = [rss_mib(s.process.pid) for s in servers]
                    print(
                        f"  server RSS after these runs: {', '.join(f'{r:.0f} MiB' for r in rss)}"
                    )
                finally:
                    for server in servers:
                        stop_server(server)
                small, large = sizes[0], sizes[-1]
                for clients in (1, 4):
                    a, b = p50[(n_servers, small, clients)], p50[(n_servers, large, clients)]
                    print(
                        f"{n_servers} server(s) {clients} client(s): growth {small:,} → {large:,}:"
                        f" push p50 ×{b[0] / a[0]:.2f}, pull p50 ×{b[1] / a[1]:.2f}"
                    )
            if not args.rss_vaults:
                return
            # Memory: a fresh server touches many vaults of 1,000 envelopes (a full pull each).
            touched = [seeder.vault(1000) for _ in range(args.rss_vaults)]
            server = start_server(data if not url else Path(tmp) / "data-rss", env)
            port = int(server.url.rsplit(":", 1)[1])
            try:
                before = rss_mib(server.process.pid)
                started = time.perf_counter()
                for vault_id, token, _ in touched:
                    assert len(post(port, vault_id, token, 0)["changes"]) == 1000
                elapsed = time.perf_counter() - started
                after = rss_mib(server.process.pid)
            finally:
                stop_server(server)
            print(
                f"RSS touching {len(touched):,} vaults of 1,000 envelopes: {before:.0f} MiB before,"
                f" {after:.0f} MiB after ({len(touched) / elapsed:.0f} full pulls/s)"
            )
        finally:
            seeder.close()
            if pg:
                pg.remove()


if __name__ == "__main__":
    main()
