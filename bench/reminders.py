"""Benchmark the reminders' scheduler with 100,000 stored reminders, on either store.

  .venv/bin/python bench/reminders.py --store tinydb|postgresql [--count 100000]

Seeds `--count` reminders (real schedules of all three modes, next times spread over 24 hours,
so ~70 fall due in any minute) straight into the store, then times what the scheduler thread
does each round: claim one minute's due reminders (200 at a time, moving each to its next
time in the same step) and hand them to the sender (a null sender here: the network is not
measured). Prints the time per round, per reminder, and the process's RSS (the JSON store holds
every reminder in memory; PostgreSQL holds none). Also the cost of one change on the JSON store
(it rewrites its file). PostgreSQL runs from Debian's binaries in a temporary folder.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import resource
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pwa.reminders import sender as sending  # noqa: E402
from pwa.reminders.store import (  # noqa: E402
    FileReminders,
    PostgresReminders,
    Reminder,
    create_table,
)

ZONES = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC", "Australia/Sydney"]
SCHEDULES = [
    {"mode": "random", "count": 3, "window": {"start": "10:00", "end": "21:00"}},
    {"mode": "fixed", "times": ["08:30", "13:00", "20:00"], "quiet_days": ["sun"]},
    {"mode": "if_not_yet", "time": "20:00"},
]


def rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reminders(count: int, start: datetime) -> list[Reminder]:
    rng = random.Random(15)
    keys = {"p256dh": "B" + "A" * 86, "auth": "A" * 22}
    return [
        Reminder(
            id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            secret_sha256=f"{rng.getrandbits(256):064x}",
            subscription={
                "endpoint": f"https://fcm.googleapis.com/fcm/send/{uuid.uuid4().hex}{'x' * 100}",
                "expirationTime": None,
                "keys": keys,
            },
            time_zone=ZONES[i % len(ZONES)],
            schedule=SCHEDULES[i % len(SCHEDULES)],
            next_at=start + timedelta(seconds=rng.uniform(0, 86_400)),
        )
        for i in range(count)
    ]


class NullSender:
    def __init__(self) -> None:
        self.attempts: dict[str, int] = {}
        self.sent = 0

    def send(self, reminder: Reminder) -> sending.Outcome:
        self.sent += 1
        return sending.Outcome("sent", 201)


def seed_postgres_child(url: str, count: int, start: datetime) -> None:
    seed_postgres(url, reminders(count, start))


def seed_postgres(url: str, items: list[Reminder]) -> None:
    import psycopg
    from psycopg.types.json import Jsonb

    with psycopg.connect(url, autocommit=True) as conn:
        create_table(conn)
        conn.execute("TRUNCATE reminders")
        with (
            conn.cursor() as cursor,
            cursor.copy(
                "COPY reminders (id, secret_sha256, subscription, time_zone, schedule, next_at)"
                " FROM STDIN"
            ) as copy,
        ):
            for r in items:
                copy.write_row(
                    (
                        r.id,
                        r.secret_sha256,
                        Jsonb(r.subscription),
                        r.time_zone,
                        Jsonb(r.schedule),
                        r.next_at,
                    )
                )
        conn.execute("ANALYZE reminders")


def seed_file(folder: str, count: int, start: datetime) -> None:
    store = FileReminders(folder)
    for reminder in reminders(count, start):
        store._keep(reminder)  # noqa: SLF001 - seeding: one write below
    store._write()  # noqa: SLF001


def in_child(target, *args) -> None:
    """Seed in another process, so this one's RSS holds only what the store keeps."""
    child = multiprocessing.get_context("fork").Process(target=target, args=args)
    child.start()
    child.join()
    if child.exitcode:
        raise SystemExit(f"seeding failed ({child.exitcode})")


def rounds(store, start: datetime, minutes: int) -> list[tuple[float, int]]:
    """Each round: the scheduler one minute later than the last."""
    out = []
    for minute in range(1, minutes + 1):
        null = NullSender()
        now = start + timedelta(minutes=minute)
        begin = time.perf_counter()
        sending.run_once(store, null, now=now)  # type: ignore[arg-type]
        out.append((time.perf_counter() - begin, null.sent))
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", choices=["tinydb", "postgresql"], default="tinydb")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--minutes", type=int, default=10)
    args = parser.parse_args()
    start = datetime(2026, 6, 1, 0, 0, tzinfo=UTC)
    base_rss = rss_mib()
    made = time.perf_counter()
    server = None
    with tempfile.TemporaryDirectory(prefix="thaw-bench-reminders-") as folder:
        if args.store == "tinydb":
            in_child(seed_file, folder, args.count, start)
            begin = time.perf_counter()
            store = FileReminders(folder)
            loaded = time.perf_counter() - begin
            size = os.path.getsize(Path(folder) / "reminders.json") / 2**20
            print(
                f"JSON store: {args.count:,} reminders, {size:.1f} MiB file, loaded in {loaded:.2f} s"
            )
        else:
            from tests.pg import PostgresServer

            server = PostgresServer({})  # PostgreSQL's default, durable settings
            server.start()
            url = server.create_database(prefix="bench", migrate=False)
            in_child(seed_postgres_child, url, args.count, start)
            store = PostgresReminders(url)
            print(
                f"PostgreSQL: {args.count:,} reminders seeded in {time.perf_counter() - made:.1f} s"
            )
        try:
            results = rounds(store, start, args.minutes)
            times = sorted(t for t, _ in results)
            sent = [n for _, n in results]
            print(
                f"scheduler round (one minute's due reminders, claimed and handed to the sender): "
                f"median {times[len(times) // 2] * 1000:.1f} ms, max {times[-1] * 1000:.1f} ms, "
                f"{sum(sent) / len(sent):.0f} reminders a round "
                f"({sum(times) / max(1, sum(sent)) * 1e6:.0f} µs each)"
            )
            if args.store == "tinydb":
                one = store.get(next(iter(store._encoded)))  # noqa: SLF001
                begin = time.perf_counter()
                store.save(replace(one, time_zone="UTC"))
                print(
                    f"one change (PUT, check-in) rewrites the file: {(time.perf_counter() - begin) * 1000:.0f} ms"
                )
            print(
                f"RSS: {rss_mib():.0f} MiB (the interpreter with the modules loaded: {base_rss:.0f} MiB)"
            )
        finally:
            store.close()
            if server is not None:
                server.remove()
    return 0


if __name__ == "__main__":
    sys.exit(main())
