"""PostgresStore: the sync server's store on PostgreSQL (psycopg 3, psycopg_pool).

Any number of `thaw serve` processes may share one database. A push is one transaction that
first locks the vault's row, so pushes into one vault queue there and commit in sequence-number
order: `UPDATE vaults SET last_seq = last_seq + n … RETURNING` hands out gapless numbers, the
envelopes are upserted only where the new hlc is greater, and the answer goes out after COMMIT.
A pull is one index range scan on (vault_id, seq). A database that cannot be reached, or a
connection dropped mid-push, is StoreUnavailable (503); the transaction leaves nothing behind.
"""

from __future__ import annotations

import hmac
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import ConnectionPool, PoolTimeout

from ..config import ConfigError
from ..schemas import VAULT_ID
from . import migrations
from .base import (
    Page,
    Quotas,
    StoreUnavailable,
    UnknownVault,
    VaultDeleted,
    VaultDump,
    WrongToken,
    envelope_body,
    token_hash,
    with_seq,
)

UNAVAILABLE = (psycopg.OperationalError, psycopg.InterfaceError, PoolTimeout)


def describe(url: str) -> str:
    """The database's address without its password, for messages."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "the database in THAW_DATABASE_URL"
    host, port, name = (
        parts.get("host", "localhost"),
        parts.get("port", "5432"),
        parts.get("dbname"),
    )
    return f"postgresql://{host}:{port}/{name or ''}"


def connect(url: str, timeout: float = 5.0) -> psycopg.Connection:
    """One connection for the CLI and start-up checks; ConfigError when it cannot be made."""
    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=max(1, int(timeout)))
    except psycopg.Error as exc:
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise ConfigError(f"cannot connect to PostgreSQL at {describe(url)}: {reason}") from None


def check_schema(url: str) -> None:
    """ConfigError unless the database has every migration this Thaw knows."""
    with connect(url) as conn:
        version = migrations.current_version(conn)
    if version < migrations.LATEST:
        raise ConfigError(
            f"the database at {describe(url)} is at schema version {version}, this Thaw needs "
            f"{migrations.LATEST}: run 'thaw db upgrade' first"
        )
    if version > migrations.LATEST:
        raise ConfigError(
            f"the database at {describe(url)} is at schema version {version}, newer than this "
            f"Thaw ({migrations.LATEST}): upgrade Thaw"
        )


def _uuid(vault_id: str) -> uuid.UUID:
    if not VAULT_ID.fullmatch(vault_id):
        raise UnknownVault(vault_id)
    return uuid.UUID(vault_id)


class PostgresStore:
    """The store on a PostgreSQL database that `thaw db upgrade` has prepared."""

    def __init__(
        self,
        url: str,
        quotas: Quotas | None = None,
        pool_size: int = 8,
        timeout: float = 3.0,
        check: bool = True,
    ) -> None:
        if check:
            check_schema(url)
        self.url = url
        self.quotas = quotas or Quotas()
        self.pool = ConnectionPool(
            url,
            min_size=1,
            max_size=max(1, pool_size),
            timeout=timeout,
            kwargs={"autocommit": True},
            check=ConnectionPool.check_connection,
            reconnect_timeout=0,  # no backoff: the next request that needs one tries again
            open=False,
            name="thaw",
        )
        self.pool.open(wait=False)

    def close(self) -> None:
        self.pool.close()

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection]:
        try:
            with self.pool.connection() as conn:
                yield conn
        except UNAVAILABLE as exc:
            raise StoreUnavailable(f"PostgreSQL cannot be reached: {exc}") from exc

    # -- the interface ------------------------------------------------------------------

    def create(self, vault_id: str, token: str) -> bool:
        """Create a vault; True if new, False if it exists with this token; WrongToken if not."""
        key = _uuid(vault_id)
        with self._connection() as conn:
            row = conn.execute(
                "INSERT INTO vaults (id, token_sha256) VALUES (%s, %s)"
                " ON CONFLICT (id) DO NOTHING RETURNING 1",
                (key, token_hash(token)),
            ).fetchone()
        if row:
            return True
        self.check_token(vault_id, token)
        return False

    def check_token(self, vault_id: str, token: str) -> None:
        """UnknownVault, WrongToken (constant-time compare) or VaultDeleted; None if right."""
        key = _uuid(vault_id)
        with self._connection() as conn:
            row = conn.execute(
                "SELECT token_sha256, notice FROM vaults WHERE id = %s", (key,)
            ).fetchone()
        if row is None:
            raise UnknownVault(vault_id)
        if not hmac.compare_digest(row[0], token_hash(token)):
            raise WrongToken(vault_id)
        if row[1]:
            raise VaultDeleted(vault_id, row[1])

    def sync(self, vault_id: str, changes: list[dict[str, Any]], cursor: int, limit: int) -> Page:
        """A push (committed) and the pull after it, on one connection."""
        key = _uuid(vault_id)
        with self._connection() as conn:
            if changes:
                self._apply(conn, key, vault_id, changes)
            return self._changes_since(conn, key, cursor, limit, touch=not changes)

    def apply(self, vault_id: str, changes: list[dict[str, Any]]) -> list[int]:
        key = _uuid(vault_id)
        with self._connection() as conn:
            return self._apply(conn, key, vault_id, changes)

    def _apply(
        self, conn: psycopg.Connection, key: uuid.UUID, vault_id: str, changes: list[dict]
    ) -> list[int]:
        """One transaction: lock the vault's row, pick the winners, number them, upsert."""
        newest: dict[str, dict[str, Any]] = {}
        for change in changes:  # the API refuses repeated ids; the store stays right anyway
            seen = newest.get(change["id"])
            if seen is None or change["hlc"] > seen["hlc"]:
                newest[change["id"]] = change
        changes = list(newest.values())
        if not changes:
            return []
        ids = [uuid.UUID(change["id"]) for change in changes]
        # Pipelined: the lock and the read go in one round trip, the writes and COMMIT in one.
        with conn.pipeline(), conn.transaction():
            locked = conn.execute(
                "UPDATE vaults SET last_sync = now() WHERE id = %s"
                " RETURNING last_seq, count, bytes, notice",
                (key,),
            )
            current_rows = conn.execute(
                "SELECT id, hlc, octet_length(body) FROM envelopes"
                " WHERE vault_id = %s AND id = ANY(%s)",
                (key, ids),
            )
            vault = locked.fetchone()
            if vault is None:
                raise UnknownVault(vault_id)  # erased meanwhile
            if vault[3]:
                raise VaultDeleted(vault_id, vault[3])
            last_seq, count, size = vault[0], vault[1], vault[2]
            stored = {row[0]: (row[1], row[2]) for row in current_rows.fetchall()}
            winners: list[tuple[uuid.UUID, str, str]] = []
            for envelope_id, change in zip(ids, changes, strict=True):
                current = stored.get(envelope_id)
                if current is not None and change["hlc"] <= current[0]:
                    continue
                body = envelope_body(change).decode()
                if current is None:
                    count += 1
                else:
                    size -= current[1]
                size += len(body)
                winners.append((envelope_id, change["hlc"], body))
            if not winners:
                return []
            self.quotas.check(count, size)
            # The row is locked until COMMIT, so the numbers after last_seq are this push's.
            seqs = list(range(last_seq + 1, last_seq + len(winners) + 1))
            conn.execute(
                "UPDATE vaults SET last_seq = last_seq + %s, count = %s, bytes = %s"
                " WHERE id = %s RETURNING last_seq",
                (len(winners), count, size, key),
            )
            conn.execute(
                "INSERT INTO envelopes (vault_id, id, seq, hlc, body)"
                " SELECT %s, * FROM unnest(%s::uuid[], %s::bigint[], %s::text[], %s::text[])"
                " ON CONFLICT (vault_id, id) DO UPDATE"
                " SET seq = EXCLUDED.seq, hlc = EXCLUDED.hlc, body = EXCLUDED.body"
                " WHERE envelopes.hlc < EXCLUDED.hlc",
                (
                    key,
                    [w[0] for w in winners],
                    seqs,
                    [w[1] for w in winners],
                    [w[2] for w in winners],
                ),
            )
        return seqs

    def changes_since(self, vault_id: str, cursor: int, limit: int) -> Page:
        key = _uuid(vault_id)
        with self._connection() as conn:
            return self._changes_since(conn, key, cursor, limit, touch=False)

    @staticmethod
    def _changes_since(
        conn: psycopg.Connection, key: uuid.UUID, cursor: int, limit: int, touch: bool
    ) -> Page:
        """One index range scan on (vault_id, seq); counting the rest only when a page is full."""
        if touch:  # a pull counts as a sync for `thaw vaults prune` (written at most hourly)
            conn.execute(
                "UPDATE vaults SET last_sync = now()"
                " WHERE id = %s AND last_sync < now() - interval '1 hour'",
                (key,),
            )
        rows = conn.execute(
            "SELECT v.last_seq, v.notice, e.seq, e.body FROM vaults v LEFT JOIN LATERAL"
            " (SELECT seq, body FROM envelopes WHERE vault_id = v.id AND seq > %s"
            "  ORDER BY seq LIMIT %s) e ON true WHERE v.id = %s",
            (cursor, limit, key),
        ).fetchall()
        if not rows:
            raise UnknownVault(key.hex)
        if rows[0][1]:
            raise VaultDeleted(key.hex, rows[0][1])
        page = [(seq, body) for _, _, seq, body in rows if seq is not None]
        remaining = 0
        if len(page) == limit:
            remaining = conn.execute(
                "SELECT count(*) FROM envelopes WHERE vault_id = %s AND seq > %s",
                (key, page[-1][0]),
            ).fetchone()[0]
        raw = [with_seq(seq, body.encode()) for seq, body in page]
        new_cursor = page[-1][0] if page else min(cursor, rows[0][0])
        return Page(raw, new_cursor, remaining)

    def erase(self, vault_id: str, notice: str | None = None) -> None:
        """Delete the vault's envelopes; with a notice, keep only its id, token hash and notice."""
        key = _uuid(vault_id)
        with self._connection() as conn, conn.transaction():
            row = conn.execute(
                "SELECT notice FROM vaults WHERE id = %s FOR UPDATE", (key,)
            ).fetchone()
            if row is None:
                raise UnknownVault(vault_id)
            if row[0]:
                raise VaultDeleted(vault_id, row[0])
            conn.execute("DELETE FROM envelopes WHERE vault_id = %s", (key,))
            if notice:
                conn.execute(
                    "UPDATE vaults SET notice = %s, count = 0, bytes = 0 WHERE id = %s",
                    (notice, key),
                )
            else:
                conn.execute("DELETE FROM vaults WHERE id = %s", (key,))

    def count(self, vault_id: str) -> int:
        key = _uuid(vault_id)
        with self._connection() as conn:
            row = conn.execute("SELECT notice FROM vaults WHERE id = %s", (key,)).fetchone()
            if row is None:
                raise UnknownVault(vault_id)
            if row[0]:
                raise VaultDeleted(vault_id, row[0])
            return conn.execute(
                "SELECT count(*) FROM envelopes WHERE vault_id = %s", (key,)
            ).fetchone()[0]

    # -- administration: copy and prune ---------------------------------------------------------

    def vault_ids(self) -> list[str]:
        with self._connection() as conn:
            return [row[0].hex for row in conn.execute("SELECT id FROM vaults ORDER BY id")]

    def export(self, vault_id: str) -> VaultDump:
        key = _uuid(vault_id)
        with self._connection() as conn, conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            row = conn.execute(
                "SELECT token_sha256, created, last_sync, last_seq, notice FROM vaults"
                " WHERE id = %s",
                (key,),
            ).fetchone()
            if row is None:
                raise UnknownVault(vault_id)
            envelopes = [
                (seq, str(envelope_id), hlc, body.encode())
                for seq, envelope_id, hlc, body in conn.execute(
                    "SELECT seq, id, hlc, body FROM envelopes WHERE vault_id = %s ORDER BY seq",
                    (key,),
                )
            ]
        return VaultDump(vault_id, row[0], row[1], row[2], row[3], row[4], envelopes)

    def import_vault(self, dump: VaultDump) -> bool:
        """Create the vault exactly as dumped (same seqs); False if the id is already here."""
        key = _uuid(dump.vault_id)
        size = sum(len(body) for *_, body in dump.envelopes)
        with self._connection() as conn, conn.transaction():
            row = conn.execute(
                "INSERT INTO vaults (id, token_sha256, created, last_sync, last_seq, count,"
                " bytes, notice) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (id) DO NOTHING RETURNING 1",
                (
                    key,
                    dump.token_sha256,
                    dump.created,
                    dump.last_sync,
                    dump.last_seq,
                    len(dump.envelopes),
                    size,
                    dump.notice,
                ),
            ).fetchone()
            if row is None:
                return False
            with conn.cursor().copy(
                "COPY envelopes (vault_id, id, seq, hlc, body) FROM STDIN"
            ) as copy:
                for seq, envelope_id, hlc, body in dump.envelopes:
                    copy.write_row((key, uuid.UUID(envelope_id), seq, hlc, body.decode()))
        return True

    def prune(self, idle_days: float) -> list[tuple[str, datetime]]:
        """Erase vaults not synced for `idle_days` (kept deletion notices stay); what went."""
        with self._connection() as conn:
            rows = conn.execute(
                "DELETE FROM vaults WHERE notice IS NULL"
                " AND last_sync < now() - make_interval(secs => %s) RETURNING id, last_sync",
                (idle_days * 86400,),
            ).fetchall()
        return sorted((row[0].hex, row[1]) for row in rows)
