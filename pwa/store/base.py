"""The store's one interface: what the API needs from either backend, and the errors it raises.

Both backends (TinyDB files, PostgreSQL) keep, per vault, envelopes keyed by id with a
sequence number per accepted change; they store each envelope's JSON text once, as validated,
and hand it back as is, so a pull never re-serialises what the server wrote itself.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

ENVELOPE_FIELDS = ("id", "hlc", "deleted", "iv", "data")


class UnknownVault(LookupError):
    """No vault with this id (never created, or erased without a notice)."""


class WrongToken(PermissionError):
    """The vault exists and the token is not its token."""


class VaultDeleted(LookupError):
    """The vault was erased with a deletion notice; the right token gets the notice back."""

    def __init__(self, vault_id: str, notice: str) -> None:
        super().__init__(vault_id)
        self.notice = notice


class QuotaExceeded(Exception):
    """A push would take the vault past a quota; nothing of it was stored."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StoreUnavailable(Exception):
    """The database cannot be reached right now; the client should retry later (503)."""


@dataclass(frozen=True)
class Quotas:
    max_envelopes: int = 100_000
    max_bytes: int = 50 * 1024 * 1024

    def check(self, count: int, size: int) -> None:
        """Raise QuotaExceeded when a vault of `count` envelopes and `size` bytes is too big."""
        if count > self.max_envelopes:
            raise QuotaExceeded(
                f"Your synced copy is full: a vault holds at most {self.max_envelopes:,} entries."
            )
        if size > self.max_bytes:
            raise QuotaExceeded(
                f"Your synced copy is full: a vault holds at most {self.max_bytes:,} bytes."
            )


@dataclass
class Page:
    """Envelopes with seq above a cursor, oldest first, each as its stored JSON object text."""

    raw: list[bytes]
    cursor: int
    remaining: int

    def envelopes(self) -> list[dict[str, Any]]:
        return [json.loads(item) for item in self.raw]


@dataclass
class VaultDump:
    """A whole vault, for `thaw store copy`: enough to recreate it exactly on another backend."""

    vault_id: str
    token_sha256: str
    created: datetime
    last_sync: datetime
    last_seq: int
    notice: str | None
    envelopes: list[tuple[int, str, str, bytes]] = field(default_factory=list)  # seq, id, hlc, body


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# One encoder for every call: json.dumps with options makes a new one each time.
_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)
_string = json.encoder.encode_basestring  # what _ENCODER does to a str (C, with escapes)
# The printable ASCII characters that JSON never escapes: all but '"' and '\\'.
_PLAIN = bytes(c for c in range(0x20, 0x7F) if c not in b'"\\')


def _long_string(text: str) -> str:
    """_string for a long text: one that needs no escape (a payload's base64, always) is only
    quoted, which bytes.translate proves twice as fast as encode_basestring copies it."""
    if text.isascii() and not text.encode("ascii").translate(None, _PLAIN):
        return f'"{text}"'
    return _string(text)


def dumps(value: Any) -> bytes:
    return _ENCODER.encode(value).encode()


def envelope_body(change: dict[str, Any]) -> bytes:
    """The JSON text stored for an envelope (its five fields, compact, in a fixed order)."""
    return envelope_text(change).encode()


def envelope_text(change: dict[str, Any]) -> str:
    """envelope_body as str: exactly `dumps` of the five fields, written out by hand for the
    usual types (a push encodes 20 of them)."""
    id_, clock, deleted, iv, data = (  # indexed, not a generator: ~40% of this function
        change["id"],
        change["hlc"],
        change["deleted"],
        change["iv"],
        change["data"],
    )
    usual = type(id_) is str and type(clock) is str and type(iv) is str and type(data) is str
    if not usual or type(deleted) is not bool:
        return _ENCODER.encode({name: change[name] for name in ENVELOPE_FIELDS})
    return (
        f'{{"id":{_string(id_)},"hlc":{_string(clock)},'
        f'"deleted":{"true" if deleted else "false"},"iv":{_string(iv)},'
        f'"data":{_long_string(data)}}}'
    )


def with_seq(seq: int, body: bytes) -> bytes:
    """The stored JSON object with its sequence number put in front, without parsing it."""
    return b'{"seq":%d,%s' % (seq, body[1:])


class Store(Protocol):
    """What the sync API and the CLI need; TinyDBStore and PostgresStore both provide it.

    `sync` and `erase` take the request's `token` too: given, it is checked (as `check_token`
    would: UnknownVault, WrongToken, VaultDeleted) as part of the same operation, so the API's
    earlier `check_token`, which PostgreSQL answers from a short-lived cache, is never the only
    check of what a request changes or reads.
    """

    def create(self, vault_id: str, token: str) -> bool: ...

    def check_token(self, vault_id: str, token: str) -> None: ...

    def sync(
        self,
        vault_id: str,
        changes: list[dict[str, Any]],
        cursor: int,
        limit: int,
        token: str | None = None,
    ) -> Page: ...

    def apply(self, vault_id: str, changes: list[dict[str, Any]]) -> list[int]: ...

    def changes_since(self, vault_id: str, cursor: int, limit: int) -> Page: ...

    def erase(self, vault_id: str, notice: str | None = None, token: str | None = None) -> None: ...

    def count(self, vault_id: str) -> int: ...

    def vault_ids(self) -> list[str]: ...

    def export(self, vault_id: str) -> VaultDump: ...

    def import_vault(self, dump: VaultDump) -> bool: ...

    def prune(self, idle_days: float) -> list[tuple[str, datetime]]: ...

    def close(self) -> None: ...
