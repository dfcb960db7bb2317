"""PostgresStore: the sync server's store on PostgreSQL (psycopg 3, psycopg_pool).

Any number of `thaw serve` processes may share one database. A push is one transaction that
first locks the vault's row, so pushes into one vault queue there and commit in sequence-number
order: the winners (a greater hlc) get the numbers after `last_seq`, gapless, and the answer
goes out after COMMIT. A pull is one index range scan on (vault_id, seq). A database that
cannot be reached, or a connection dropped mid-push, is StoreUnavailable (503); the
transaction leaves nothing behind.

A sync that pushes is one call of the `thaw_sync` function (migration 2), which also reads
the pull after the push: one statement, one round trip, committed (PostgreSQL's default
`synchronous_commit = on`: the WAL is on disk) before the answer goes out. Tokens:
`check_token` keeps a vault's token hash for a short while (TOKEN_CACHE_SECONDS) after the
database confirmed it, but every operation the API runs after it (`sync`, `erase` with
`token=`) checks the token and any deletion notice again in its own statement, so a stale
entry can never let a wrong token in nor hide a deletion made by another process.
"""

from __future__ import annotations

import hmac
import threading
import time
import uuid
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import psycopg
from cachetools import TTLCache
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
    envelope_text,
    token_hash,
    with_seq,
)

UNAVAILABLE = (psycopg.OperationalError, psycopg.InterfaceError, PoolTimeout)
# A token the database confirmed opens its vault without asking again for this long (at most
# this many vaults); what the cache says is never the last word (see the module's docstring).
TOKEN_CACHE_SECONDS = 30.0
TOKEN_CACHE_SIZE = 10_000
# A pooled connection idle for longer than this is checked (one round trip) before use; one
# used more recently is not: if the server went away since, the request gets a 503.
IDLE_CHECK_SECONDS = 2.0
# A pull: one index range scan on (vault_id, seq). One row per envelope, or one with seq NULL.
PULL = (
    "SELECT v.last_seq, v.notice, v.token_sha256, e.seq, e.body FROM vaults v LEFT JOIN LATERAL"
    " (SELECT seq, body FROM envelopes WHERE vault_id = v.id AND seq > %(cursor)s"
    "  ORDER BY seq LIMIT %(limit)s) e ON true WHERE v.id = %(key)s"
)
# The same, when a sync pulls without pushing: that counts as a sync for `thaw vaults prune`
# (last_sync written at most hourly, only for the vault's own token).
PULL_AND_TOUCH = (
    "WITH touch AS (UPDATE vaults SET last_sync = now() WHERE id = %(key)s"
    " AND last_sync < now() - interval '1 hour' AND notice IS NULL"
    " AND (%(digest)s::text IS NULL OR token_sha256 = %(digest)s::text)) " + PULL
)
# A push and the pull after it (migration 2); one row per envelope pulled, or one.
SYNC = (
    "SELECT r_status, r_notice, r_first_seq, r_accepted, r_count, r_bytes, r_last_seq, r_seq,"
    " r_body FROM thaw_sync(%s, %s, %s, %s, %s, %s, %s, %s, %s)"
)


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


def winners_input(changes: list[dict[str, Any]]) -> tuple[str, str, str] | None:
    """thaw_sync's ids, hlcs and stored bodies, one a line: per id only the change with the
    greatest hlc, in the order given (the API refuses repeated ids; the store stays right
    anyway). A JSON text never holds a raw newline; ValueError if an id or hlc does."""
    newest: dict[str, dict[str, Any]] = {}
    for change in changes:
        seen = newest.get(change["id"])
        if seen is None or change["hlc"] > seen["hlc"]:
            newest[change["id"]] = change
    if not newest:
        return None
    kept = newest.values()
    lines = (
        "\n".join([change["id"] for change in kept]),
        "\n".join([change["hlc"] for change in kept]),
        "\n".join([envelope_text(change) for change in kept]),
    )
    if any(text.count("\n") != len(newest) - 1 for text in lines):
        raise ValueError("an envelope's id or hlc holds a newline")
    return lines


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
        self._tokens: TTLCache[str, str] = TTLCache(TOKEN_CACHE_SIZE, TOKEN_CACHE_SECONDS)
        self._tokens_lock = threading.Lock()  # cachetools' caches are not thread-safe
        self._last_used: weakref.WeakKeyDictionary[psycopg.Connection, float] = (
            weakref.WeakKeyDictionary()
        )
        self.pool = ConnectionPool(
            url,
            min_size=1,
            max_size=max(1, pool_size),
            timeout=timeout,
            kwargs={"autocommit": True},
            check=self._check_if_idle,
            reconnect_timeout=0,  # no backoff: the next request that needs one tries again
            open=False,
            name="thaw",
        )
        self.pool.open(wait=False)

    def close(self) -> None:
        self.pool.close()

    def _check_if_idle(self, conn: psycopg.Connection) -> None:
        """The pool's check on checkout, skipped (it costs a round trip) for a connection used
        in the last IDLE_CHECK_SECONDS: under load no request pays for it."""
        if time.monotonic() - self._last_used.get(conn, 0.0) > IDLE_CHECK_SECONDS:
            ConnectionPool.check_connection(conn)

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection]:
        try:
            with self.pool.connection() as conn:
                try:
                    yield conn
                finally:
                    self._last_used[conn] = time.monotonic()
        except UNAVAILABLE as exc:
            raise StoreUnavailable(f"PostgreSQL cannot be reached: {exc}") from exc

    def _remember(self, vault_id: str, digest: str | None) -> None:
        """Keep (or with None, drop) the token hash the database holds for a vault."""
        with self._tokens_lock:
            if digest is None:
                self._tokens.pop(vault_id, None)
            else:
                self._tokens[vault_id] = digest

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
            self._remember(vault_id, token_hash(token))
            return True
        self._check_token(key, vault_id, token_hash(token))  # never the cache: 410 must win
        return False

    def check_token(self, vault_id: str, token: str) -> None:
        """UnknownVault, WrongToken (constant-time compare) or VaultDeleted; None if right.

        A token the database confirmed in the last TOKEN_CACHE_SECONDS is taken from memory;
        anything else (another token, an unknown vault) asks the database.
        """
        key = _uuid(vault_id)
        digest = token_hash(token)
        with self._tokens_lock:
            known = self._tokens.get(vault_id)
        if known is not None and hmac.compare_digest(known, digest):
            return
        self._check_token(key, vault_id, digest)

    def _check_token(self, key: uuid.UUID, vault_id: str, digest: str) -> None:
        with self._connection() as conn:
            row = conn.execute(
                "SELECT token_sha256, notice FROM vaults WHERE id = %s", (key,)
            ).fetchone()
        self._remember(vault_id, row[0] if row and not row[1] else None)
        if row is None:
            raise UnknownVault(vault_id)
        if not hmac.compare_digest(row[0], digest):
            raise WrongToken(vault_id)
        if row[1]:
            raise VaultDeleted(vault_id, row[1])

    def sync(
        self,
        vault_id: str,
        changes: list[dict[str, Any]],
        cursor: int,
        limit: int,
        token: str | None = None,
    ) -> Page:
        """A push and the pull after it: one statement, committed before it returns."""
        key = _uuid(vault_id)
        digest = token_hash(token) if token is not None else None
        push = winners_input(changes)
        try:
            with self._connection() as conn:
                if push:
                    rows = self._call(conn, key, digest, push, cursor, limit)
                    last_seq = rows[0][6]
                    page = [(row[7], row[8]) for row in rows if row[7] is not None]
                else:
                    params = {"key": key, "digest": digest, "cursor": cursor, "limit": limit}
                    rows = conn.execute(PULL_AND_TOUCH, params).fetchall()
                    last_seq = self._pulled(rows, vault_id, digest)
                    page = [(row[3], row[4]) for row in rows if row[3] is not None]
                return self._page(conn, key, page, last_seq, cursor, limit)
        except (UnknownVault, WrongToken, VaultDeleted):
            self._remember(vault_id, None)
            raise

    def apply(self, vault_id: str, changes: list[dict[str, Any]]) -> list[int]:
        key = _uuid(vault_id)
        push = winners_input(changes)
        if not push:
            return []
        with self._connection() as conn:
            row = self._call(conn, key, None, push, 0, 0)[0]
        return list(range(row[2], row[2] + row[3]))

    def _call(
        self,
        conn: psycopg.Connection,
        key: uuid.UUID,
        digest: str | None,
        push: tuple[str, str, str],
        cursor: int,
        limit: int,
    ) -> list[tuple]:
        """thaw_sync's rows, once it stored the push (or raise what it reported: then nothing
        was stored). In autocommit, the statement is its own transaction: it returns
        once COMMIT is done, and with `synchronous_commit` on (PostgreSQL's default; never turn
        it off for Thaw) that means once the WAL is flushed: an acknowledged push survives a
        crash of the server, of PostgreSQL or of the machine."""
        quotas = self.quotas
        params = (key, digest, *push, quotas.max_envelopes, quotas.max_bytes, cursor, limit)
        rows = conn.execute(SYNC, params).fetchall()
        status, notice, _, _, count, size = rows[0][:6]
        if status == "ok":
            return rows
        if status == "unknown":
            raise UnknownVault(key.hex)  # never created, or erased meanwhile
        if status == "wrong_token":
            raise WrongToken(key.hex)
        if status == "deleted":
            raise VaultDeleted(key.hex, notice)
        quotas.check(count, size)  # status "quota": raises QuotaExceeded
        raise AssertionError(f"thaw_sync answered {status!r}")

    def changes_since(self, vault_id: str, cursor: int, limit: int) -> Page:
        key = _uuid(vault_id)
        with self._connection() as conn:
            params = {"key": key, "cursor": cursor, "limit": limit}
            rows = conn.execute(PULL, params).fetchall()
            last_seq = self._pulled(rows, vault_id, None)
            page = [(row[3], row[4]) for row in rows if row[3] is not None]
            return self._page(conn, key, page, last_seq, cursor, limit)

    @staticmethod
    def _pulled(rows: list[tuple], vault_id: str, digest: str | None) -> int:
        """The vault's last_seq from PULL's rows, once its token (if given) and state allow."""
        if not rows:
            raise UnknownVault(vault_id)
        last_seq, notice, stored_digest = rows[0][:3]
        if digest is not None and not hmac.compare_digest(stored_digest, digest):
            raise WrongToken(vault_id)
        if notice:
            raise VaultDeleted(vault_id, notice)
        return last_seq

    @staticmethod
    def _page(
        conn: psycopg.Connection,
        key: uuid.UUID,
        page: list[tuple[int, str]],
        last_seq: int,
        cursor: int,
        limit: int,
    ) -> Page:
        """The page as the API sends it; what remains after it is counted only when it is full."""
        remaining = 0
        if page and len(page) == limit:
            remaining = conn.execute(
                "SELECT count(*) FROM envelopes WHERE vault_id = %s AND seq > %s",
                (key, page[-1][0]),
            ).fetchone()[0]
        raw = [with_seq(seq, body.encode()) for seq, body in page]
        new_cursor = page[-1][0] if page else min(cursor, last_seq)
        return Page(raw, new_cursor, remaining)

    def erase(self, vault_id: str, notice: str | None = None, token: str | None = None) -> None:
        """Delete the vault's envelopes; with a notice, keep only its id, token hash and notice.
        With `token`, it is checked in the same transaction (WrongToken)."""
        key = _uuid(vault_id)
        self._remember(vault_id, None)
        with self._connection() as conn, conn.transaction():
            row = conn.execute(
                "SELECT notice, token_sha256 FROM vaults WHERE id = %s FOR UPDATE", (key,)
            ).fetchone()
            if row is None:
                raise UnknownVault(vault_id)
            if token is not None and not hmac.compare_digest(row[1], token_hash(token)):
                raise WrongToken(vault_id)
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
        for row in rows:
            self._remember(row[0].hex, None)
        return sorted((row[0].hex, row[1]) for row in rows)
