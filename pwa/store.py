"""VaultStore: one TinyDB file per vault, a lock per vault, and atomic whole-file writes.

Each accepted envelope is a TinyDB document whose doc_id is its sequence number, so the
envelopes table is the vault's change log. TinyDB's CachingMiddleware keeps the file's data in
memory; AtomicJSONStorage writes the whole file (temp file, fsync, os.replace, fsync of the
folder), so a crash leaves the old file or the new one, never half. A push is acknowledged only
once a write that includes it is on disk; pushes that arrive during a write share the next one
(group commit), and pulls only show what is on disk.
"""

from __future__ import annotations

import bisect
import hashlib
import hmac
import json
import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.middlewares import CachingMiddleware
from tinydb.storages import Storage
from tinydb.table import Document

from .schemas import VAULT_ID

META_ID = 1
ENVELOPE_FIELDS = ("id", "hlc", "deleted", "iv", "data")


class UnknownVault(LookupError):
    pass


class WrongToken(PermissionError):
    pass


class VaultDeleted(LookupError):
    """The vault was erased with a deletion notice; only its id, token hash and notice remain.

    Raised only to a caller whose token is right (a wrong token still gets WrongToken), so the
    notice reaches the devices that held the vault and no one else.
    """

    def __init__(self, vault_id: str, notice: str) -> None:
        super().__init__(vault_id)
        self.notice = notice


def fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class AtomicJSONStorage(Storage):
    """TinyDB storage whose every write replaces the whole file atomically and durably.

    Envelope documents never change once written (a newer version gets a new doc_id), so their
    JSON text is kept between writes and only new documents are encoded: a push into a large
    vault costs a join, not a full re-encode.
    """

    FROZEN_TABLE = "envelopes"

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self._encoded: dict[str, bytes] = {}

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            text = self.path.read_bytes()
        except FileNotFoundError:
            return None
        return json.loads(text) if text else None

    def _table_json(self, name: str, table: dict[str, Any]) -> bytes:
        if name != self.FROZEN_TABLE:
            return _dumps(table)
        cache = self._encoded
        for gone in cache.keys() - table.keys():  # set arithmetic in C, not a loop per document
            del cache[gone]
        for key in table.keys() - cache.keys():
            cache[key] = _dumps(str(key)) + b":" + _dumps(table[key])
        return b"{" + b",".join(cache.values()) + b"}"

    def encode(self, data: dict[str, dict[str, Any]]) -> bytes:
        return (
            b"{"
            + b",".join(_dumps(name) + b":" + self._table_json(name, t) for name, t in data.items())
            + b"}"
        )

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self.write_bytes(self.encode(data))

    def write_bytes(self, payload: bytes) -> None:
        tmp = self.path.with_name(self.path.name + ".tmp")
        with open(tmp, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)
        fsync_folder(self.path.parent)

    def close(self) -> None:
        pass


def _dumps(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class Vault:
    """An open vault: its TinyDB, its lock, and indexes that keep pulls independent of size."""

    db: TinyDB
    token_sha256: str
    last_seq: int
    by_id: dict[str, int] = field(default_factory=dict)  # envelope id -> its current seq
    seqs: list[int] = field(default_factory=list)  # live seqs, ascending
    lock: threading.Lock = field(default_factory=threading.Lock)  # the state in memory
    write_lock: threading.Lock = field(default_factory=threading.Lock)  # the file; taken first
    version: int = 0  # changes made in memory
    durable_version: int = 0  # changes known to be on disk
    durable_seq: int = 0  # the highest sequence number on disk: pulls never go past it
    erased: bool = False
    notice: str | None = None  # set when erased with a deletion notice
    broken: bool = False  # a write failed: this copy is dropped and the file read again

    def gone(self, vault_id: str) -> Exception:
        """What to raise for a vault erased meanwhile: VaultDeleted if it left a notice."""
        if self.notice is not None:
            return VaultDeleted(vault_id, self.notice)
        return UnknownVault(vault_id)

    @property
    def storage(self) -> AtomicJSONStorage:
        return self.db.storage.storage  # under TinyDB's CachingMiddleware


class VaultStore:
    """The sync server's storage behind a small interface, so a database server can replace it."""

    def __init__(self, data_dir: str | os.PathLike) -> None:
        self.folder = Path(data_dir) / "vaults"
        self.folder.mkdir(parents=True, exist_ok=True)
        self._vaults: dict[str, Vault] = {}
        self._guard = threading.Lock()
        for leftover in self.folder.glob("*.json.tmp"):  # a crash mid-write; never read again
            leftover.unlink(missing_ok=True)

    def _path(self, vault_id: str) -> Path:
        if not VAULT_ID.fullmatch(vault_id):
            raise UnknownVault(vault_id)  # never build a path from anything else
        return self.folder / f"{vault_id}.json"

    @staticmethod
    def _open_db(path: Path) -> TinyDB:
        db = TinyDB(path, storage=CachingMiddleware(AtomicJSONStorage))
        db.storage.WRITE_CACHE_SIZE = 1_000_000  # only flush() writes
        return db

    def _load(self, vault_id: str) -> Vault:
        """The open vault, loading its file on first use; UnknownVault if there is none."""
        with self._guard:
            vault = self._vaults.get(vault_id)
            if vault is not None:
                return vault
            path = self._path(vault_id)
            if not path.exists():
                raise UnknownVault(vault_id)
            db = self._open_db(path)
            meta = db.table("meta").get(doc_id=META_ID)
            if meta is None:
                raise UnknownVault(vault_id)
            if "notice" in meta:  # erased with a notice: no envelopes, nothing to write again
                vault = Vault(db=db, token_sha256=meta["token_sha256"], last_seq=0)
                vault.erased, vault.notice = True, meta["notice"]
                self._vaults[vault_id] = vault
                return vault
            last = meta["last_seq"]
            vault = Vault(db=db, token_sha256=meta["token_sha256"], last_seq=last, durable_seq=last)
            for doc in db.table("envelopes").all():
                vault.by_id[doc["id"]] = doc.doc_id
            vault.seqs = sorted(vault.by_id.values())
            self._vaults[vault_id] = vault
            return vault

    def _forget(self, vault_id: str) -> None:
        """Drop the in-memory copy (after a failed write) so the file is read again."""
        with self._guard:
            self._vaults.pop(vault_id, None)

    @contextmanager
    def _locked(self, vault_id: str) -> Iterator[Vault]:
        """The vault, locked: a copy dropped after a failed write is reloaded; erased is gone."""
        while True:
            vault = self._load(vault_id)
            with vault.lock:
                if vault.erased:
                    raise vault.gone(vault_id)
                if self._vaults.get(vault_id) is vault and not vault.broken:
                    yield vault
                    return

    # -- the interface ------------------------------------------------------------------

    def create(self, vault_id: str, token: str) -> bool:
        """Create a vault; True if new, False if it exists with this token; WrongToken if not.

        A vault erased with a notice is never created again: VaultDeleted (right token) or
        WrongToken.
        """
        try:
            self.check_token(vault_id, token)
            return False
        except UnknownVault:
            pass
        with self._guard:
            path = self._path(vault_id)
            if path.exists():  # created meanwhile by another request
                created = False
            else:
                db = self._open_db(path)
                db.table("meta").insert(
                    Document(
                        {
                            "token_sha256": token_hash(token),
                            "created": datetime.now(UTC).isoformat(timespec="seconds"),
                            "last_seq": 0,
                        },
                        doc_id=META_ID,
                    )
                )
                db.table("envelopes")  # an empty log
                db.storage.flush()
                created = True
        if not created:
            self.check_token(vault_id, token)
        return created

    def check_token(self, vault_id: str, token: str) -> None:
        """None when the token opens the vault. Otherwise UnknownVault, WrongToken (compared in
        constant time), or VaultDeleted carrying the notice when the token is right but the
        vault was erased with one.
        """
        vault = self._load(vault_id)
        if not hmac.compare_digest(vault.token_sha256, token_hash(token)):
            raise WrongToken(vault_id)
        if vault.notice is not None:
            raise VaultDeleted(vault_id, vault.notice)

    def sync(
        self, vault_id: str, changes: Iterable[dict[str, Any]], cursor: int, limit: int
    ) -> tuple[list[dict[str, Any]], int, int]:
        """A push, made durable, and the pull after it."""
        self.apply(vault_id, changes)
        return self.changes_since(vault_id, cursor, limit)

    def apply(self, vault_id: str, changes: Iterable[dict[str, Any]]) -> list[int]:
        """Keep, per id, the envelope with the greatest hlc; returns once it is on disk."""
        with self._locked(vault_id) as vault:
            accepted = self._apply(vault, changes)
            target = vault.version
        if accepted:
            self._commit(vault_id, vault, target)
        return accepted

    def _apply(self, vault: Vault, changes: Iterable[dict[str, Any]]) -> list[int]:
        """Change the state in memory (the raw tables TinyDB's CachingMiddleware holds).

        TinyDB's Table methods would each rebuild the whole table, several times a push; the
        file is written by `_commit`, outside this lock.
        """
        tables = vault.db.storage.read()
        envelopes = tables.setdefault("envelopes", {})
        superseded: list[int] = []
        fresh: list[tuple[int, dict[str, Any]]] = []
        last_seq = vault.last_seq
        for change in changes:
            current = vault.by_id.get(change["id"])
            if current is not None:
                if change["hlc"] <= envelopes[str(current)]["hlc"]:
                    continue
                superseded.append(current)
            last_seq += 1
            fresh.append((last_seq, {k: change[k] for k in ENVELOPE_FIELDS}))
        if not fresh:
            return []
        for seq in superseded:
            del envelopes[str(seq)]
            del vault.seqs[bisect.bisect_left(vault.seqs, seq)]
        for seq, doc in fresh:
            envelopes[str(seq)] = doc
            vault.by_id[doc["id"]] = seq
            vault.seqs.append(seq)
        tables["meta"][str(META_ID)]["last_seq"] = last_seq
        vault.last_seq = last_seq
        vault.version += 1
        return [seq for seq, _ in fresh]

    def _commit(self, vault_id: str, vault: Vault, target: int) -> None:
        """Make the state up to `target` durable: one file write, shared by every push that is
        waiting for the same write (group commit). The file's I/O runs outside the memory lock.
        """
        with vault.write_lock:
            if vault.durable_version >= target:
                return  # another request's write already carried this change
            with vault.lock:
                if vault.broken or vault.erased:
                    raise vault.gone(vault_id) if vault.erased else OSError("the write failed")
                payload = vault.storage.encode(vault.db.storage.read())
                version, seq = vault.version, vault.last_seq
            try:
                vault.storage.write_bytes(payload)
            except BaseException:
                with vault.lock:
                    vault.broken = True  # memory is ahead of the file: read the file again
                self._forget(vault_id)
                raise
            with vault.lock:
                vault.durable_version, vault.durable_seq = version, seq

    def changes_since(
        self, vault_id: str, cursor: int, limit: int
    ) -> tuple[list[dict[str, Any]], int, int]:
        """Envelopes with seq > cursor, oldest first: (page, new cursor, how many remain after)."""
        with self._locked(vault_id) as vault:
            return self._changes_since(vault, cursor, limit)

    @staticmethod
    def _changes_since(
        vault: Vault, cursor: int, limit: int
    ) -> tuple[list[dict[str, Any]], int, int]:
        """Only what is on disk: a change a crash could still undo is never shown."""
        start = bisect.bisect_right(vault.seqs, cursor)
        end = bisect.bisect_right(vault.seqs, vault.durable_seq)
        page_seqs = vault.seqs[start : min(start + limit, end)]
        envelopes = vault.db.storage.read()["envelopes"]
        page = [{**envelopes[str(seq)], "seq": seq} for seq in page_seqs]
        remaining = max(0, end - start - len(page_seqs))
        new_cursor = page_seqs[-1] if page_seqs else min(cursor, vault.durable_seq)
        return page, new_cursor, remaining

    def erase(self, vault_id: str, notice: str | None = None) -> None:
        """Erase every envelope of the vault, durably, with any temp file a crash left.

        Without a notice the file goes and the vault becomes unknown (its id may be created
        again). With one, the file is replaced by a tombstone holding only the token hash and
        the notice: from then on `check_token` with the right token raises VaultDeleted(notice)
        and the id can never be created again. Erasing an erased vault raises UnknownVault or
        VaultDeleted as before.
        """
        vault = self._load(vault_id)
        with vault.write_lock, vault.lock:  # no write may bring the file back
            if vault.erased:
                raise vault.gone(vault_id)
            path = self._path(vault_id)
            if notice is None:
                path.unlink(missing_ok=True)
            else:  # written like any vault file: temp file, fsync, replace, fsync the folder
                tombstone = {"token_sha256": vault.token_sha256, "notice": notice}
                vault.storage.write_bytes(_dumps({"meta": {str(META_ID): tombstone}}))
            vault.erased, vault.notice = True, notice
            path.with_name(path.name + ".tmp").unlink(missing_ok=True)
            fsync_folder(self.folder)
            self._forget(vault_id)

    def count(self, vault_id: str) -> int:
        with self._locked(vault_id) as vault:
            return len(vault.seqs)
