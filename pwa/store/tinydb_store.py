"""TinyDBStore, the embedded default: one TinyDB JSON file per vault, bounded in memory.

Each vault is a TinyDB file (`<id>.json`, tables `meta` and `envelopes`, an envelope's doc_id
being its sequence number), plus a small `<id>.meta.json` with the token's hash, so a request
with a wrong token never loads a vault's envelopes. Open vaults live in a cachetools LRU of
`open_vaults` entries; in memory a vault is its envelopes' encoded JSON and an id index, not
TinyDB's decoded documents.

A push is appended to the vault's log (`<id>.log`: one checksummed line per write, fdatasync),
so its cost does not grow with the vault; once the log outgrows the vault file (and 256 KiB),
the next write folds it in: the whole file replaced atomically (temp file, fsync, os.replace,
fsync of the folder), then the log emptied. Loading reads the file and replays the log; a torn
last line (a crash mid-append, never acknowledged) is cut off, and lines the file already
holds are skipped. close() folds the open vaults' logs in, leaving plain TinyDB files. A
push is acknowledged once a write that includes it is on disk; pushes that arrive during a
write share the next one (group commit), and pulls only show what is on disk. A lock file keeps
a second process off the data folder.
"""

from __future__ import annotations

import fcntl
import hmac
import json
import os
import re
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cachetools import LRUCache
from sortedcontainers import SortedList
from tinydb import TinyDB
from tinydb.storages import Storage

from ..config import ConfigError
from ..schemas import VAULT_ID
from .base import (
    Page,
    Quotas,
    StoreUnavailable,
    UnknownVault,
    VaultDeleted,
    VaultDump,
    WrongToken,
    dumps,
    envelope_body,
    token_hash,
    with_seq,
)

META_ID = 1
# The log is folded into the vault file once it is larger than this and than the file: a push
# then costs an append, and the rewrites cost at most about as much again as the appends did.
LOG_FOLD_BYTES = 256 * 1024
VAULT_FILE = re.compile(r"^([0-9a-f]{32})(?:\.meta)?\.json$")


def fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(path: Path, payload: bytes) -> None:
    """Temp file, fsync, rename over, fsync the folder: the old content or the new, never half."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as handle:
        handle.write(payload)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    fsync_folder(path.parent)


def log_line(payload: bytes) -> bytes:
    """One log record: its length and CRC-32 first, so a torn or damaged line is known."""
    return b"%d %08x %s\n" % (len(payload), zlib.crc32(payload), payload)


LOG_HEADER = re.compile(rb"(\d{1,12}) ([0-9a-f]{8}) ")


class DamagedLog(StoreUnavailable):
    """A vault's log is damaged before its end: not something a crash leaves (each write is one
    line), so nothing is cut and the vault stays closed until someone looks at it."""


def log_record(data: bytes, at: int) -> tuple[dict[str, Any], int] | None:
    """The change recorded at `at` and where the next record starts, or None if no whole,
    intact record starts there."""
    header = LOG_HEADER.match(data, at)
    if header is None:
        return None
    start = header.end()
    end = data.find(b"\n", start)  # a record's JSON never holds a raw newline
    if end - start != int(header[1]):
        return None  # never reads past the line, whatever length the header claims
    payload = data[start:end]
    if zlib.crc32(payload) != int(header[2], 16):
        return None
    try:
        change = json.loads(payload)
        valid = (
            isinstance(change["last_seq"], int)
            and all(isinstance(seq, int) for seq in change["drop"])
            and isinstance(change["put"], dict)
        )
    except (ValueError, KeyError, TypeError):
        valid = False
    return (change, end + 1) if valid else None


def read_log(data: bytes, vault_id: str = "") -> tuple[list[dict[str, Any]], int]:
    """The changes in a log, and the bytes their records take. A write is one line, so a crash
    can only tear the last: what follows the last intact record is cut off, unless an intact
    record follows the damage (DamagedLog)."""
    changes, at = [], 0
    while at < len(data) and (record := log_record(data, at)) is not None:
        changes.append(record[0])
        at = record[1]
    line = data.find(b"\n", at)
    while line >= 0:
        if log_record(data, line + 1) is not None:
            raise DamagedLog(f"the log of vault {vault_id} is damaged at byte {at}")
        line = data.find(b"\n", line + 1)
    return changes, at


def replay(tables: dict[str, Any], changes: list[dict[str, Any]]) -> None:
    """Apply a log's changes, in order, to a vault file's tables as TinyDB reads them. Each
    drops the envelopes its write superseded and puts the ones it added. Changes the file
    already holds (a crash between a fold and emptying the log) are skipped by their last_seq:
    a fold writes the whole state, and every write after it numbers past it."""
    envelopes = tables.setdefault("envelopes", {})
    meta = tables["meta"][str(META_ID)]
    folded = meta["last_seq"]
    for change in changes:
        if change["last_seq"] <= folded:
            continue
        for seq in change["drop"]:
            envelopes.pop(str(seq), None)
        envelopes.update(change["put"])
        meta["last_seq"] = change["last_seq"]


def read_vault(storage: AtomicJSONStorage) -> tuple[dict[str, Any] | None, int, int]:
    """A vault's tables as a restart loads them (the file, then its log's intact records), the
    bytes those records take and the log's size; None for no file. Also for tests and tools."""
    tables = storage.read()
    meta = (tables or {}).get("meta", {}).get(str(META_ID))
    if meta is None or meta.get("notice"):
        return tables, 0, 0
    data = storage.read_log()
    changes, whole = read_log(data, storage.path.stem)
    replay(tables, changes)
    return tables, whole, len(data)


class AtomicJSONStorage(Storage):
    """TinyDB storage that reads a vault file and replaces it whole, atomically and durably;
    and the vault's log beside it, appended to durably."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self.log_path = self.path.with_suffix(".log")

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            text = self.path.read_bytes()
        except FileNotFoundError:
            return None
        return json.loads(text) if text else None

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self.write_bytes(dumps(data))

    def write_bytes(self, payload: bytes) -> None:
        write_atomically(self.path, payload)

    def append_log(self, lines: bytes, size: int) -> None:
        """Append to the log (now `size` bytes long), durably; on failure the log is cut back to
        `size`, so what was not acknowledged is not replayed later either."""
        fd = os.open(self.log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            try:
                view = memoryview(lines)
                while view:
                    view = view[os.write(fd, view) :]
                os.fdatasync(fd)
            except OSError:
                with suppress(OSError):
                    os.ftruncate(fd, size)
                    os.fdatasync(fd)
                raise
        finally:
            os.close(fd)
        if size == 0:  # perhaps a new file: its name must outlive a crash too
            fsync_folder(self.log_path.parent)

    def read_log(self) -> bytes:
        try:
            return self.log_path.read_bytes()
        except FileNotFoundError:
            return b""

    def cut_log(self, size: int) -> None:
        """Cut the log to its first `size` bytes (0 once the file holds everything), durably."""
        with suppress(FileNotFoundError), open(self.log_path, "r+b") as handle:
            handle.truncate(size)
            handle.flush()
            os.fdatasync(handle.fileno())

    def close(self) -> None:
        pass


@dataclass
class Vault:
    """An open vault: each envelope's encoded JSON by seq, and indexes for pushes and pulls."""

    vault_id: str
    storage: AtomicJSONStorage
    meta: dict[str, Any]  # the file's meta document: token hash, created, last_seq
    pieces: dict[int, bytes] = field(default_factory=dict)  # seq -> b'"seq":{envelope}'
    by_id: dict[str, tuple[int, str]] = field(default_factory=dict)  # id -> (seq, hlc)
    seqs: SortedList = field(default_factory=SortedList)  # live seqs, ascending
    size: int = 0  # bytes of envelope JSON, for the quota
    users: int = 0  # requests holding this copy; it is never dropped while one does
    lock: threading.Lock = field(default_factory=threading.Lock)  # the state in memory
    write_lock: threading.Lock = field(default_factory=threading.Lock)  # the file; taken first
    version: int = 0  # changes made in memory
    durable_version: int = 0  # changes known to be on disk
    durable_seq: int = 0  # the highest sequence number on disk: pulls never go past it
    erased: bool = False
    notice: str | None = None  # set when erased with a deletion notice
    broken: bool = False  # a write failed: this copy is dropped and the file read again
    dropped: list[int] = field(default_factory=list)  # seqs superseded since the last write
    added: list[int] = field(default_factory=list)  # seqs added since the last write
    log_size: int = 0  # bytes in the log on disk
    file_size: int = 0  # bytes of the vault file on disk

    @property
    def last_seq(self) -> int:
        return self.meta["last_seq"]

    def encode(self) -> bytes:
        """The whole file, in TinyDB's layout, joined from the envelopes' kept JSON."""
        return (
            b'{"envelopes":{'
            + b",".join(self.pieces.values())
            + b'},"meta":{"1":'
            + dumps(self.meta)
            + b"}}"
        )

    def change(self) -> bytes:
        """One log record for every push since the last write (group commit writes one line,
        so a crash can tear only the last): what they superseded, what they added and still
        stands, and the last sequence number. Taken, so the next write starts afresh."""
        added = set(self.added)
        dropped = [seq for seq in self.dropped if seq not in added]
        kept = [self.pieces[seq] for seq in self.added if seq in self.pieces]
        self.dropped, self.added = [], []
        return b'{"last_seq":%d,"drop":[%s],"put":{%s}}' % (
            self.last_seq,
            b",".join(b"%d" % seq for seq in dropped),
            b",".join(kept),
        )

    def gone(self) -> Exception:
        """What to raise for a vault erased meanwhile: VaultDeleted if it left a notice."""
        if self.notice is not None:
            return VaultDeleted(self.vault_id, self.notice)
        return UnknownVault(self.vault_id)

    def body(self, seq: int) -> bytes:
        return self.pieces[seq][len(str(seq)) + 3 :]


def piece(seq: int, body: bytes) -> bytes:
    return b'"%d":%s' % (seq, body)


class _OpenVaults(LRUCache):
    """cachetools' LRU; a vault pushed out while a request still uses it waits in `aside`."""

    def __init__(self, maxsize: int) -> None:
        super().__init__(maxsize)
        self.aside: dict[str, Vault] = {}

    def popitem(self) -> tuple[str, Vault]:
        key, vault = super().popitem()
        if vault.users:
            self.aside[key] = vault
        return key, vault


class _Retry(Exception):
    """The copy in hand was dropped after a failed write: take the vault again."""


def hold_lock_file(folder: Path) -> Any:
    """An exclusive lock on `<data>/thaw.lock` for this process's lifetime, or ConfigError."""
    path = folder / "thaw.lock"
    handle = open(path, "a+")  # noqa: SIM115 - held open until the store closes
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise ConfigError(
            f"the data folder {folder} is in use by another Thaw process ({holder}); run one "
            "server per data folder, or set THAW_DATABASE_URL to share PostgreSQL between servers"
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()}\n")
    handle.flush()
    return handle


class TinyDBStore:
    """The embedded store: no set-up, one process per data folder, memory bounded by an LRU."""

    def __init__(
        self,
        data_dir: str | os.PathLike,
        quotas: Quotas | None = None,
        open_vaults: int = 16,
    ) -> None:
        root = Path(data_dir)
        root.mkdir(parents=True, exist_ok=True)
        self._lock_file = hold_lock_file(root)
        self.folder = root / "vaults"
        self.folder.mkdir(exist_ok=True)
        for leftover in self.folder.glob("*.json.tmp"):  # a crash mid-write; never read again
            leftover.unlink(missing_ok=True)
        for log in self.folder.glob("*.log"):  # an erase cut short: no vault, or a tombstone
            with suppress(OSError, ValueError):
                meta = log.with_suffix(".meta.json")
                if not log.with_suffix(".json").exists() or json.loads(meta.read_bytes()).get(
                    "notice"
                ):
                    log.unlink()
        self.quotas = quotas or Quotas()
        self._open = _OpenVaults(max(1, open_vaults))
        self._guard = threading.Lock()  # the LRU and loading
        self._creating = threading.Lock()

    def close(self) -> None:
        """Fold the log of every vault held open into its file (plain TinyDB files again; a
        vault's log is otherwise replayed when it is next loaded), then release the data folder
        (the lock file) for another process."""
        if self._lock_file is None:
            return
        with self._guard:
            vaults = [*self._open.values(), *self._open.aside.values()]
        for vault in vaults:
            with vault.write_lock, vault.lock:
                with self._guard:  # pushed out and loaded again meanwhile: the newer copy rules
                    current = vault in (
                        self._open.get(vault.vault_id),
                        self._open.aside.get(vault.vault_id),
                    )
                if not current or vault.erased or vault.broken or not vault.log_size:
                    continue
                if vault.durable_version < vault.version:
                    continue  # a push still under way: its log stays, replayed next time
                with suppress(OSError):  # the log still holds everything
                    vault.storage.write_bytes(vault.encode())
                    vault.storage.log_path.unlink()  # lost in a crash: replaying it is harmless
                    vault.file_size, vault.log_size = vault.storage.path.stat().st_size, 0
        self._lock_file.close()
        self._lock_file = None

    # -- files ----------------------------------------------------------------------------

    def _path(self, vault_id: str) -> Path:
        if not VAULT_ID.fullmatch(vault_id):
            raise UnknownVault(vault_id)  # never build a path from anything else
        return self.folder / f"{vault_id}.json"

    def _meta_path(self, vault_id: str) -> Path:
        return self._path(vault_id).with_suffix(".meta.json")

    def _log_path(self, vault_id: str) -> Path:
        return self._path(vault_id).with_suffix(".log")

    def _read_meta(self, vault_id: str) -> dict[str, Any]:
        """The small meta file (token hash, created, notice); UnknownVault if there is none.

        A vault written before meta files existed gets one, from its own file, on first use.
        """
        path = self._meta_path(vault_id)
        try:
            meta = json.loads(path.read_bytes())
        except FileNotFoundError:
            vault_path = self._path(vault_id)
            tables = AtomicJSONStorage(vault_path).read() if vault_path.exists() else None
            doc = (tables or {}).get("meta", {}).get(str(META_ID))
            if not doc:
                raise UnknownVault(vault_id) from None
            meta = {"token_sha256": doc["token_sha256"], "created": doc.get("created", "")}
            if doc.get("notice"):
                meta["notice"] = doc["notice"]
            write_atomically(path, dumps(meta))
            return meta
        if not meta.get("notice") and not self._path(vault_id).exists():
            path.unlink(missing_ok=True)  # left by an erase that did not finish
            raise UnknownVault(vault_id)
        return meta

    # -- the LRU of open vaults -------------------------------------------------------------

    def _load(self, vault_id: str) -> Vault:
        path = self._path(vault_id)
        storage = AtomicJSONStorage(path)
        tables, whole, size = read_vault(storage)
        meta = (tables or {}).get("meta", {}).get(str(META_ID))
        if meta is None:
            raise UnknownVault(vault_id)
        if meta.get("notice"):  # a tombstone: no envelopes, nothing to write again
            storage.log_path.unlink(missing_ok=True)  # an erase cut short left it
            raise VaultDeleted(vault_id, meta["notice"])
        if whole < size:  # a torn last line: cut it off before anything follows it
            storage.cut_log(whole)
        vault = Vault(vault_id, storage, meta)
        vault.file_size, vault.log_size = path.stat().st_size, whole
        vault.durable_seq = meta["last_seq"]
        for key, doc in sorted(tables.get("envelopes", {}).items(), key=lambda kv: int(kv[0])):
            seq = int(key)
            body = envelope_body(doc)
            vault.pieces[seq] = piece(seq, body)
            vault.by_id[doc["id"]] = (seq, doc["hlc"])
            vault.size += len(body)
        vault.seqs = SortedList(vault.pieces)
        return vault

    def _acquire(self, vault_id: str) -> Vault:
        with self._guard:
            vault = self._open.get(vault_id)
            if vault is None:
                vault = self._open.aside.pop(vault_id, None) or self._load(vault_id)
                self._open[vault_id] = vault
            vault.users += 1
            return vault

    def _release(self, vault: Vault) -> None:
        with self._guard:
            vault.users -= 1
            if not vault.users and self._open.aside.get(vault.vault_id) is vault:
                del self._open.aside[vault.vault_id]

    def _forget(self, vault: Vault) -> None:
        """Drop this copy (erased, or after a failed write) so the file is read again."""
        with self._guard:
            if self._open.get(vault.vault_id) is vault:
                del self._open[vault.vault_id]
            if self._open.aside.get(vault.vault_id) is vault:
                del self._open.aside[vault.vault_id]

    @contextmanager
    def _in_use(self, vault_id: str) -> Iterator[Vault]:
        vault = self._acquire(vault_id)
        try:
            yield vault
        finally:
            self._release(vault)

    @contextmanager
    def _locked(self, vault_id: str) -> Iterator[Vault]:
        """The vault, in use and locked; a copy dropped after a failed write is loaded again."""
        while True:
            with self._in_use(vault_id) as vault, vault.lock:
                if vault.erased:
                    raise vault.gone()
                if not vault.broken:
                    yield vault
                    return

    def open_count(self) -> int:
        """Vaults held in memory now (for tests and the benchmark)."""
        with self._guard:
            return len(self._open) + len(self._open.aside)

    # -- the interface ------------------------------------------------------------------

    def create(self, vault_id: str, token: str) -> bool:
        """Create a vault; True if new, False if it exists with this token; WrongToken if not."""
        with self._creating:
            try:
                self.check_token(vault_id, token)
                return False
            except UnknownVault:
                pass
            now = datetime.now(UTC).isoformat(timespec="seconds")
            meta = {"token_sha256": token_hash(token), "created": now}
            self._write_new_vault(vault_id, {**meta, "last_seq": 0}, [])
            write_atomically(self._meta_path(vault_id), dumps(meta))
            return True

    def _write_new_vault(
        self, vault_id: str, meta: dict[str, Any], envelopes: list[tuple[int, str, str, bytes]]
    ) -> None:
        path = self._path(vault_id)
        self._log_path(vault_id).unlink(missing_ok=True)  # an erased vault's, if any
        with TinyDB(path, storage=AtomicJSONStorage) as db:  # TinyDB's own layout
            db.storage.write_bytes(
                b'{"envelopes":{'
                + b",".join(piece(seq, body) for seq, _, _, body in envelopes)
                + b'},"meta":{"1":'
                + dumps(meta)
                + b"}}"
            )

    def check_token(self, vault_id: str, token: str) -> None:
        """UnknownVault, WrongToken (constant-time compare) or VaultDeleted; None if right.

        Reads only the small meta file: a wrong token never loads the envelopes.
        """
        meta = self._read_meta(vault_id)
        if not hmac.compare_digest(meta["token_sha256"], token_hash(token)):
            raise WrongToken(vault_id)
        if meta.get("notice"):
            raise VaultDeleted(vault_id, meta["notice"])

    def sync(
        self,
        vault_id: str,
        changes: list[dict[str, Any]],
        cursor: int,
        limit: int,
        token: str | None = None,
    ) -> Page:
        """A push, made durable, and the pull after it (`token`, if given, checked first)."""
        if token is not None:
            self.check_token(vault_id, token)
        self.apply(vault_id, changes)
        with suppress(OSError):  # the last sync time, for `thaw vaults prune`
            os.utime(self._meta_path(vault_id))
        return self.changes_since(vault_id, cursor, limit)

    def apply(self, vault_id: str, changes: list[dict[str, Any]]) -> list[int]:
        """Keep, per id, the envelope with the greatest hlc; returns once it is on disk."""
        while True:
            with self._in_use(vault_id) as vault:
                with vault.lock:
                    if vault.erased:
                        raise vault.gone()
                    if vault.broken:
                        continue
                    accepted = self._apply(vault, changes)
                    target = vault.version
                if accepted:
                    try:
                        self._commit(vault, target)
                    except _Retry:
                        continue  # another write failed and took this change with it: again
                return accepted

    def _apply(self, vault: Vault, changes: list[dict[str, Any]]) -> list[int]:
        """Change the state in memory, all or nothing (quotas are checked first)."""
        superseded: list[int] = []
        fresh: list[tuple[int, str, str, bytes]] = []
        last_seq = vault.last_seq
        size, count = vault.size, len(vault.by_id)
        for change in changes:
            current = vault.by_id.get(change["id"])
            if current is not None:
                if change["hlc"] <= current[1]:
                    continue
                superseded.append(current[0])
                size -= len(vault.body(current[0]))
            else:
                count += 1
            last_seq += 1
            body = envelope_body(change)
            size += len(body)
            fresh.append((last_seq, change["id"], change["hlc"], body))
        if not fresh:
            return []
        self.quotas.check(count, size)
        for seq in superseded:
            del vault.pieces[seq]
            vault.seqs.remove(seq)
        for seq, envelope_id, hlc, body in fresh:
            vault.pieces[seq] = piece(seq, body)
            vault.by_id[envelope_id] = (seq, hlc)
            vault.seqs.add(seq)
        vault.meta["last_seq"] = last_seq
        vault.size = size
        vault.version += 1
        vault.dropped += superseded
        vault.added += [seq for seq, *_ in fresh]
        return [seq for seq, *_ in fresh]

    def _commit(self, vault: Vault, target: int) -> None:
        """Make the state up to `target` durable: one append to the log (or, once the log has
        outgrown the file, one rewrite of the file), shared by every push that is waiting for
        the same write (group commit). The file's I/O runs outside the memory lock."""
        with vault.write_lock:
            if vault.durable_version >= target:
                return  # another request's write already carried this change
            with vault.lock:
                if vault.erased:
                    raise vault.gone()
                if vault.broken:
                    raise _Retry()
                lines = log_line(vault.change())
                fold = vault.log_size + len(lines) > max(LOG_FOLD_BYTES, vault.file_size)
                payload = vault.encode() if fold else b""
                version, seq = vault.version, vault.last_seq
            try:
                if fold:
                    vault.storage.write_bytes(payload)
                    vault.file_size, vault.log_size = len(payload), 0
                    vault.storage.cut_log(0)
                else:
                    vault.storage.append_log(lines, vault.log_size)
                    vault.log_size += len(lines)
            except OSError as exc:
                with vault.lock:
                    vault.broken = True  # memory is ahead of the disk: read them again
                self._forget(vault)
                raise StoreUnavailable(f"the vault's file could not be written: {exc}") from exc
            with vault.lock:
                vault.durable_version, vault.durable_seq = version, seq

    def changes_since(self, vault_id: str, cursor: int, limit: int) -> Page:
        """Envelopes with seq > cursor, oldest first, up to `limit`; only what is on disk."""
        with self._locked(vault_id) as vault:
            start = vault.seqs.bisect_right(cursor)
            end = vault.seqs.bisect_right(vault.durable_seq)
            page_seqs = list(vault.seqs.islice(start, min(start + limit, end)))
            raw = [with_seq(seq, vault.body(seq)) for seq in page_seqs]
            remaining = max(0, end - start - len(page_seqs))
            new_cursor = page_seqs[-1] if page_seqs else min(cursor, vault.durable_seq)
            return Page(raw, new_cursor, remaining)

    def erase(self, vault_id: str, notice: str | None = None, token: str | None = None) -> None:
        """Erase every envelope of the vault, durably, with any temp file a crash left.

        Without a notice both files go and the id is unknown (it may be created again). With
        one, the vault file becomes a tombstone holding only the token hash and the notice (the
        meta file keeps them too): from then on the right token gets VaultDeleted(notice) and
        the id is never created again.
        """
        meta = self._read_meta(vault_id)
        if token is not None and not hmac.compare_digest(meta["token_sha256"], token_hash(token)):
            raise WrongToken(vault_id)
        if meta.get("notice"):
            raise VaultDeleted(vault_id, meta["notice"])
        while True:
            try:
                with self._in_use(vault_id) as vault, vault.write_lock, vault.lock:
                    if vault.erased:
                        raise vault.gone()
                    if vault.broken:
                        continue  # a failed write dropped this copy: take the vault again
                    try:
                        self._erase_files(vault_id, meta, notice)
                    except OSError as exc:
                        vault.broken = True  # the disk is what counts: read it again
                        raise StoreUnavailable(f"the vault could not be erased: {exc}") from exc
                    finally:
                        if not vault.broken:
                            vault.erased, vault.notice = True, notice  # no write brings it back
                        self._forget(vault)
            except DamagedLog:
                # Its log cannot be read, so no copy of it is in memory: only its files go (under
                # the guard, so that nothing loads it meanwhile). Erasing needs no envelopes.
                with self._guard:
                    self._erase_files(vault_id, meta, notice)
            return

    def _erase_files(self, vault_id: str, meta: dict[str, Any], notice: str | None) -> None:
        path, meta_path = self._path(vault_id), self._meta_path(vault_id)
        if notice is None:
            path.unlink(missing_ok=True)
            meta_path.unlink(missing_ok=True)
        else:  # written like any vault file: temp file, fsync, replace, fsync the folder
            tombstone = {"token_sha256": meta["token_sha256"], "notice": notice}
            write_atomically(meta_path, dumps({**meta, "notice": notice}))
            write_atomically(path, dumps({"meta": {str(META_ID): tombstone}}))
        self._log_path(vault_id).unlink(missing_ok=True)  # after the file: never replayed
        for leftover in (path, meta_path):
            leftover.with_name(leftover.name + ".tmp").unlink(missing_ok=True)
        fsync_folder(self.folder)

    def count(self, vault_id: str) -> int:
        with self._locked(vault_id) as vault:
            return len(vault.seqs)

    # -- administration: copy and prune ---------------------------------------------------------

    def vault_ids(self) -> list[str]:
        ids = {m.group(1) for p in self.folder.iterdir() if (m := VAULT_FILE.match(p.name))}
        return sorted(ids)

    def _last_sync(self, vault_id: str) -> datetime:
        paths = [self._meta_path(vault_id), self._path(vault_id), self._log_path(vault_id)]
        times = [p.stat().st_mtime for p in paths if p.exists()]
        return datetime.fromtimestamp(max(times), UTC)

    def export(self, vault_id: str) -> VaultDump:
        meta = self._read_meta(vault_id)
        created = datetime.fromisoformat(meta["created"])
        dump = VaultDump(
            vault_id,
            meta["token_sha256"],
            created,
            self._last_sync(vault_id),
            0,
            meta.get("notice"),
        )
        if not dump.notice:
            with self._locked(vault_id) as vault:
                dump.last_seq = vault.durable_seq
                by_seq = {seq: (id_, hlc) for id_, (seq, hlc) in vault.by_id.items()}
                dump.envelopes = [
                    (seq, *by_seq[seq], vault.body(seq))
                    for seq in vault.seqs
                    if seq <= vault.durable_seq
                ]
        return dump

    def import_vault(self, dump: VaultDump) -> bool:
        raise NotImplementedError("copying into TinyDB is not supported")

    def prune(self, idle_days: float) -> list[tuple[str, datetime]]:
        """Erase vaults not synced for `idle_days` (kept deletion notices stay); what went."""
        cutoff = datetime.now(UTC) - timedelta(days=idle_days)
        removed = []
        for vault_id in self.vault_ids():
            try:
                meta = self._read_meta(vault_id)
                last = self._last_sync(vault_id)
                if meta.get("notice") or last >= cutoff:
                    continue
                self.erase(vault_id)
            except UnknownVault:
                continue
            removed.append((vault_id, last))
        return removed
