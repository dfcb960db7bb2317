"""Where reminders live: one small protocol, a JSON file in the data folder or PostgreSQL.

Per reminder the server holds the push subscription, the time zone, the schedule, the next time
it is due and, only in if_not_yet mode, the last local date a check-in was reported. Never a
feeling, and nothing that links it to a sync vault. The secret is kept as its SHA-256.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Protocol

from ..store.base import StoreUnavailable
from ..store.tinydb_store import write_atomically

FILE_NAME = "reminders.json"

# The table (also PostgreSQL migration 3, pwa/store/migrations.py). Idempotent.
TABLE_SQL = """
CREATE TABLE IF NOT EXISTS reminders (
    id            uuid        PRIMARY KEY,
    secret_sha256 text        NOT NULL,
    subscription  jsonb       NOT NULL,
    time_zone     text        NOT NULL,
    schedule      jsonb       NOT NULL,
    next_at       timestamptz,
    checked_in    date
);
CREATE INDEX IF NOT EXISTS reminders_next_at ON reminders (next_at);
"""


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(reminder: Reminder, secret: str) -> bool:
    """Constant-time comparison of SHA-256 hashes."""
    return hmac.compare_digest(reminder.secret_sha256, digest(secret))


@dataclass(frozen=True)
class Reminder:
    id: str
    secret_sha256: str
    subscription: dict[str, Any]
    time_zone: str
    schedule: dict[str, Any]
    next_at: datetime | None
    checked_in: date | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "secret_sha256": self.secret_sha256,
            "subscription": self.subscription,
            "time_zone": self.time_zone,
            "schedule": self.schedule,
            "next_at": self.next_at.astimezone(UTC).isoformat() if self.next_at else None,
            "checked_in": self.checked_in.isoformat() if self.checked_in else None,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Reminder:
        return cls(
            id=data["id"],
            secret_sha256=data["secret_sha256"],
            subscription=data["subscription"],
            time_zone=data["time_zone"],
            schedule=data["schedule"],
            next_at=datetime.fromisoformat(data["next_at"]) if data.get("next_at") else None,
            checked_in=date.fromisoformat(data["checked_in"]) if data.get("checked_in") else None,
        )


# Given a claimed reminder and the claim's instant: when it is due next (None: never).
Reschedule = Callable[[Reminder, datetime], datetime | None]


class ReminderStore(Protocol):
    def add(self, reminder: Reminder) -> None: ...

    def get(self, reminder_id: str) -> Reminder | None: ...

    def save(self, reminder: Reminder) -> bool:
        """Replace a stored reminder (same id); False if it is gone."""
        ...

    def delete(self, reminder_id: str) -> bool: ...

    def claim_due(self, now: datetime, limit: int, reschedule: Reschedule) -> list[Reminder]:
        """Up to `limit` reminders due at `now` (oldest first), each moved to its next time in
        the same step, so no other claimer gets it; returned as they were (old next_at)."""
        ...

    def postpone(self, reminder_id: str, next_at: datetime) -> None: ...

    def count(self) -> int: ...

    def close(self) -> None: ...


def valid_id(reminder_id: str) -> bool:
    try:
        return str(uuid.UUID(reminder_id)) == reminder_id
    except ValueError:
        return False


class FileReminders:
    """Every reminder in `<data>/reminders.json`; each change replaces the file atomically (temp
    file, fsync, rename, fsync of the folder), as the vault files are. One process per data
    folder (the vault store's lock file already ensures it).

    In memory each reminder is its encoded JSON (what the file holds, so a write only joins
    them) plus its next time, for the scheduler's scan; a reminder is decoded when it is used.
    """

    def __init__(self, data_dir: str | os.PathLike) -> None:
        self.path = Path(data_dir) / FILE_NAME
        self._lock = threading.Lock()
        self._encoded: dict[str, bytes] = {}
        self._next: dict[str, datetime] = {}
        if self.path.exists():
            self._load()

    def _load(self) -> None:
        """The file is one JSON object with a reminder per line (as _write makes it), read a
        line at a time so loading never holds the whole file decoded at once."""
        with open(self.path, "rb") as handle:
            for line in handle:
                line = line.strip().rstrip(b",")
                if not line.startswith(b'"'):
                    continue  # the first and last lines
                _, _, encoded = line.partition(b":")
                data = json.loads(encoded)
                reminder_id = data["id"]
                self._encoded[reminder_id] = encoded
                if data.get("next_at"):
                    self._next[reminder_id] = datetime.fromisoformat(data["next_at"])

    def _keep(self, reminder: Reminder) -> None:
        self._encoded[reminder.id] = json.dumps(reminder.to_json(), separators=(",", ":")).encode()
        if reminder.next_at is None:
            self._next.pop(reminder.id, None)
        else:
            self._next[reminder.id] = reminder.next_at

    def _drop(self, reminder_id: str) -> bool:
        self._next.pop(reminder_id, None)
        return self._encoded.pop(reminder_id, None) is not None

    def _decode(self, reminder_id: str) -> Reminder | None:
        encoded = self._encoded.get(reminder_id)
        return None if encoded is None else Reminder.from_json(json.loads(encoded))

    def _write(self) -> None:
        parts = [b'{"reminders":{\n']
        parts.append(
            b",\n".join(b'"%s":%s' % (key.encode(), value) for key, value in self._encoded.items())
        )
        parts.append(b"\n}}\n")
        try:
            write_atomically(self.path, b"".join(parts))
        except OSError as exc:
            raise StoreUnavailable(f"cannot write {self.path}: {exc}") from exc

    def add(self, reminder: Reminder) -> None:
        with self._lock:
            self._keep(reminder)
            self._write()

    def get(self, reminder_id: str) -> Reminder | None:
        with self._lock:
            return self._decode(reminder_id)

    def save(self, reminder: Reminder) -> bool:
        with self._lock:
            if reminder.id not in self._encoded:
                return False
            self._keep(reminder)
            self._write()
            return True

    def delete(self, reminder_id: str) -> bool:
        with self._lock:
            if not self._drop(reminder_id):
                return False
            self._write()
            return True

    def claim_due(self, now: datetime, limit: int, reschedule: Reschedule) -> list[Reminder]:
        with self._lock:
            ids = [key for key, at in self._next.items() if at <= now]
            ids = sorted(ids, key=self._next.__getitem__)[:limit]
            due = [reminder for key in ids if (reminder := self._decode(key)) is not None]
            for reminder in due:
                self._keep(replace(reminder, next_at=reschedule(reminder, now)))
            if due:
                self._write()
            return due

    def postpone(self, reminder_id: str, next_at: datetime) -> None:
        with self._lock:
            reminder = self._decode(reminder_id)
            if reminder is not None:
                self._keep(replace(reminder, next_at=next_at))
                self._write()

    def count(self) -> int:
        with self._lock:
            return len(self._encoded)

    def close(self) -> None:
        pass


COLUMNS = "id, secret_sha256, subscription, time_zone, schedule, next_at, checked_in"


def from_row(row: tuple) -> Reminder:
    return Reminder(str(row[0]), row[1], row[2], row[3], row[4], row[5], row[6])


class PostgresReminders:
    """Reminders in the `reminders` table; claiming uses FOR UPDATE SKIP LOCKED over the index on
    next_at, and moves next_at in the same transaction, so several processes (or machines) never
    send one reminder twice."""

    def __init__(self, url: str, pool_size: int = 4, timeout: float = 3.0) -> None:
        import psycopg
        from psycopg_pool import ConnectionPool, PoolTimeout

        self._unavailable = (psycopg.OperationalError, psycopg.InterfaceError, PoolTimeout)
        self.pool = ConnectionPool(
            url,
            min_size=1,
            max_size=max(1, pool_size),
            timeout=timeout,
            kwargs={"autocommit": True},
            check=ConnectionPool.check_connection,
            reconnect_timeout=0,
            open=False,
            name="thaw-reminders",
        )
        self._opened = False
        self._open_lock = threading.Lock()

    @contextmanager
    def _conn(self) -> Iterator[Any]:
        if not self._opened:  # opened on first use: an app that never reminds never connects
            with self._open_lock:
                if not self._opened:
                    self.pool.open(wait=False)
                    self._opened = True
        try:
            with self.pool.connection() as conn:
                yield conn
        except self._unavailable as exc:
            raise StoreUnavailable(f"PostgreSQL cannot be reached: {exc}") from exc

    def add(self, reminder: Reminder) -> None:
        from psycopg.types.json import Jsonb

        with self._conn() as conn:
            conn.execute(
                f"INSERT INTO reminders ({COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                (
                    reminder.id,
                    reminder.secret_sha256,
                    Jsonb(reminder.subscription),
                    reminder.time_zone,
                    Jsonb(reminder.schedule),
                    reminder.next_at,
                    reminder.checked_in,
                ),
            )

    def get(self, reminder_id: str) -> Reminder | None:
        if not valid_id(reminder_id):
            return None
        with self._conn() as conn:
            row = conn.execute(
                f"SELECT {COLUMNS} FROM reminders WHERE id = %s", (reminder_id,)
            ).fetchone()
        return from_row(row) if row else None

    def save(self, reminder: Reminder) -> bool:
        from psycopg.types.json import Jsonb

        with self._conn() as conn:
            cursor = conn.execute(
                "UPDATE reminders SET subscription = %s, time_zone = %s, schedule = %s,"
                " next_at = %s, checked_in = %s WHERE id = %s",
                (
                    Jsonb(reminder.subscription),
                    reminder.time_zone,
                    Jsonb(reminder.schedule),
                    reminder.next_at,
                    reminder.checked_in,
                    reminder.id,
                ),
            )
            return cursor.rowcount == 1

    def delete(self, reminder_id: str) -> bool:
        if not valid_id(reminder_id):
            return False
        with self._conn() as conn:
            return conn.execute("DELETE FROM reminders WHERE id = %s", (reminder_id,)).rowcount == 1

    def claim_due(self, now: datetime, limit: int, reschedule: Reschedule) -> list[Reminder]:
        with self._conn() as conn, conn.transaction():
            rows = conn.execute(
                f"SELECT {COLUMNS} FROM reminders WHERE next_at <= %s"
                " ORDER BY next_at LIMIT %s FOR UPDATE SKIP LOCKED",
                (now, limit),
            ).fetchall()
            due = [from_row(row) for row in rows]
            if due:
                with conn.cursor() as cursor:
                    cursor.executemany(
                        "UPDATE reminders SET next_at = %s WHERE id = %s",
                        [(reschedule(r, now), r.id) for r in due],
                    )
        return due

    def postpone(self, reminder_id: str, next_at: datetime) -> None:
        with self._conn() as conn:
            conn.execute("UPDATE reminders SET next_at = %s WHERE id = %s", (next_at, reminder_id))

    def count(self) -> int:
        with self._conn() as conn:
            return conn.execute("SELECT count(*) FROM reminders").fetchone()[0]

    def close(self) -> None:
        with self._open_lock:
            if self._opened:
                self.pool.close()
            self._opened = True  # a closed pool cannot open again


def create_table(conn: Any) -> None:
    """The table and its index, if missing (idempotent)."""
    conn.execute(TABLE_SQL)


def open_reminders(config: Mapping[str, Any]) -> ReminderStore:
    url = config.get("DATABASE_URL")
    if url:
        return PostgresReminders(url, pool_size=4, timeout=config["DB_TIMEOUT"])
    return FileReminders(config["DATA_DIR"])
