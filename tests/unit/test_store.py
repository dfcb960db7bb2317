"""TinyDBStore on its own: the log and atomic files, group commit, bounded memory, the data
folder's lock."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest
from tinydb import TinyDB

from pwa.config import ConfigError
from pwa.store import StoreUnavailable, UnknownVault, WrongToken, tinydb_store
from pwa.store.tinydb_store import AtomicJSONStorage, TinyDBStore
from tests.envelopes import envelope, hlc, new_vault


@pytest.fixture
def store(tmp_path):
    store = TinyDBStore(tmp_path)
    yield store
    store.close()


@pytest.fixture
def vault_id(store) -> str:
    vault_id, token = new_vault()
    store.create(vault_id, token)
    return vault_id


class Writes:
    """The store's writes (log appends and file rewrites), recorded; with `hold()`, each waits
    until `release()`."""

    def __init__(self, monkeypatch) -> None:
        self.payloads: list[bytes] = []
        self.started = threading.Event()
        self._open = threading.Event()
        self._open.set()
        for name in ("write_bytes", "append_log"):
            original = getattr(AtomicJSONStorage, name)

            def write(storage, payload: bytes, *args, original=original) -> None:
                self.payloads.append(payload)
                self.started.set()
                assert self._open.wait(10)
                original(storage, payload, *args)

            monkeypatch.setattr(AtomicJSONStorage, name, write)

    def hold(self) -> None:
        """Hold the next writes; `started` tells when one is waiting."""
        self.started.clear()
        self._open.clear()

    def release(self) -> None:
        self._open.set()


@pytest.fixture
def writes(monkeypatch) -> Writes:
    return Writes(monkeypatch)


def seqs(store, vault_id) -> list[int]:
    return [e["seq"] for e in store.changes_since(vault_id, 0, 100_000).envelopes()]


def on_disk(tmp_path, vault_id) -> dict:
    return json.loads((tmp_path / "vaults" / f"{vault_id}.json").read_bytes())


def test_files_per_vault_and_erase(tmp_path, store):
    a, b = new_vault(), new_vault()
    store.create(*a)
    store.create(*b)
    store.apply(a[0], [envelope()])
    names = sorted(p.name for p in (tmp_path / "vaults").iterdir())
    files = [f"{v}{suffix}" for v, _ in (a, b) for suffix in (".json", ".meta.json")]
    assert names == sorted([*files, f"{a[0]}.log"]), "the push went to the vault's log"
    assert on_disk(tmp_path, a[0])["envelopes"] == {}
    store.erase(a[0])
    assert sorted(p.name for p in (tmp_path / "vaults").iterdir()) == [
        f"{b[0]}.json",
        f"{b[0]}.meta.json",
    ]
    with pytest.raises(UnknownVault):
        store.apply(a[0], [envelope()])


def test_a_clean_close_leaves_plain_tinydb_files_that_a_new_store_reads(tmp_path, store, vault_id):
    store.apply(vault_id, [envelope() for _ in range(3)])
    before = store.changes_since(vault_id, 0, 100).raw
    store.close()
    assert not (tmp_path / "vaults" / f"{vault_id}.log").exists(), "folded into the file"
    tables = TinyDB(tmp_path / "vaults" / f"{vault_id}.json", storage=AtomicJSONStorage)
    assert [doc.doc_id for doc in tables.table("envelopes").all()] == [1, 2, 3]
    again = TinyDBStore(tmp_path)
    try:
        assert again.changes_since(vault_id, 0, 100).raw == before
        assert again.apply(vault_id, [envelope()]) == [4]
    finally:
        again.close()


def crash(store) -> None:
    """What a killed process leaves: its files as they are (the lock goes with the process)."""
    store._lock_file.close()
    store._lock_file = None


def test_after_a_crash_the_log_is_replayed(tmp_path, store, vault_id):
    first = [envelope() for _ in range(3)]
    store.apply(vault_id, first)
    store.apply(vault_id, [{**first[0], "hlc": hlc(1_800_000_000_000), "data": "bmV3ZXI="}])
    before = store.changes_since(vault_id, 0, 100).raw
    crash(store)
    again = TinyDBStore(tmp_path)
    try:
        assert again.changes_since(vault_id, 0, 100).raw == before
        assert [e["seq"] for e in again.changes_since(vault_id, 0, 100).envelopes()] == [2, 3, 4]
        assert again.apply(vault_id, [envelope()]) == [5]
    finally:
        again.close()


def test_a_line_a_crash_cut_short_is_dropped_and_what_follows_is_kept(tmp_path, store, vault_id):
    store.apply(vault_id, [envelope()])
    log = tmp_path / "vaults" / f"{vault_id}.log"
    whole = log.read_bytes()
    crash(store)
    for torn in (whole[: len(whole) // 2], whole[:-1], whole.replace(b'"1":', b'"7":')):
        log.write_bytes(whole + torn)  # the second push's append, cut short or damaged
        again = TinyDBStore(tmp_path)
        assert seqs(again, vault_id) == [1]
        assert log.read_bytes() == whole, "cut off before anything is appended after it"
        assert again.apply(vault_id, [envelope()]) == [2]
        crash(again)
        log.write_bytes(whole)
    again = TinyDBStore(tmp_path)
    assert seqs(again, vault_id) == [1]
    again.close()


def test_a_push_costs_an_append_and_the_log_is_folded_in_once_it_outgrows_the_file(
    tmp_path, store, vault_id, writes, monkeypatch
):
    monkeypatch.setattr(tinydb_store, "LOG_FOLD_BYTES", 20_000)
    store.apply(vault_id, [envelope() for _ in range(50)])
    assert len(writes.payloads) == 1 and writes.payloads[0].count(b"\n") == 1, "one log line"
    file = tmp_path / "vaults" / f"{vault_id}.json"
    log = file.with_suffix(".log")
    folded = False
    for _ in range(80):
        size, logged = file.stat().st_size, log.stat().st_size
        store.apply(vault_id, [envelope()])
        if log.stat().st_size == 0:  # this push rewrote the file and emptied the log
            folded = True
            assert logged > 19_000 and file.stat().st_size > size
            break
        assert file.stat().st_size == size, "an append leaves the file alone"
    assert folded
    assert sorted(on_disk(tmp_path, vault_id)["envelopes"], key=int) == [
        str(seq) for seq in seqs(store, vault_id)
    ]
    crash(store)
    log.write_bytes(b"".join(writes.payloads[:-1]))  # a crash before the log was emptied
    again = TinyDBStore(tmp_path)
    try:  # its lines are replayed over a file that already holds them: nothing changes
        assert seqs(again, vault_id) == list(range(1, len(seqs(again, vault_id)) + 1))
        assert again.count(vault_id) == 50 + len(writes.payloads) - 1
    finally:
        again.close()


def test_a_crash_between_a_fold_and_emptying_the_log_brings_nothing_back(
    tmp_path, store, vault_id, monkeypatch
):
    first = envelope()
    store.apply(vault_id, [first, envelope()])
    log = tmp_path / "vaults" / f"{vault_id}.log"
    before_fold = log.read_bytes()
    monkeypatch.setattr(tinydb_store, "LOG_FOLD_BYTES", 0)
    store.apply(vault_id, [{**first, "hlc": hlc(1_800_000_000_000), "data": "bmV3ZXI="}])
    assert log.read_bytes() == b"", "this push was folded in"
    crash(store)
    log.write_bytes(before_fold)  # as if the crash came before the log was emptied
    again = TinyDBStore(tmp_path)
    try:
        pulled = again.changes_since(vault_id, 0, 100).envelopes()
        assert [(e["seq"], e["data"]) for e in pulled] == [(2, pulled[0]["data"]), (3, "bmV3ZXI=")]
        assert again.count(vault_id) == 2, "the superseded envelope stays gone"
    finally:
        again.close()


def test_damage_before_the_logs_end_closes_the_vault_and_cuts_nothing(tmp_path, store, vault_id):
    for _ in range(3):
        store.apply(vault_id, [envelope()])
    log = tmp_path / "vaults" / f"{vault_id}.log"
    lines = log.read_bytes().splitlines(keepends=True)
    crash(store)
    damaged = lines[0] + lines[1].replace(b'"put"', b'"puT"') + lines[2]
    log.write_bytes(damaged)  # not what a crash leaves: every write is one line
    again = TinyDBStore(tmp_path)
    try:
        with pytest.raises(StoreUnavailable, match="damaged"):
            again.changes_since(vault_id, 0, 100)
        assert log.read_bytes() == damaged
    finally:
        again.close()


def test_a_vault_with_a_damaged_log_can_still_be_erased_and_pruned(tmp_path, store):
    damaged, idle = new_vault(), new_vault()
    for vault in (damaged, idle):
        store.create(*vault)
        for _ in range(3):
            store.apply(vault[0], [envelope()])
    crash(store)
    log = tmp_path / "vaults" / f"{damaged[0]}.log"
    lines = log.read_bytes().splitlines(keepends=True)
    log.write_bytes(lines[0] + lines[1].replace(b'"put"', b'"puT"') + lines[2])
    long_ago = time.time() - 100 * 86400
    for path in (tmp_path / "vaults").iterdir():
        os.utime(path, (long_ago, long_ago))
    again = TinyDBStore(tmp_path)
    try:
        assert sorted(vault_id for vault_id, _ in again.prune(90)) == sorted([damaged[0], idle[0]])
        assert list((tmp_path / "vaults").iterdir()) == [], "the damaged log went with it"
    finally:
        again.close()


def test_an_erase_that_fails_midway_leaves_no_copy_that_serves_the_old_envelopes(
    store, vault_id, monkeypatch
):
    old = envelope()
    store.apply(vault_id, [old])
    unlink = Path.unlink

    def failing(path, missing_ok=False):
        if path.suffix == ".log":
            raise OSError(5, "Input/output error")
        unlink(path, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", failing)
    with pytest.raises(StoreUnavailable):
        store.erase(vault_id)
    monkeypatch.undo()
    token = new_vault()[1]
    assert store.create(vault_id, token), "the vault's file and meta file were gone"
    assert store.changes_since(vault_id, 0, 100).envelopes() == []
    assert store.apply(vault_id, [envelope()]) == [1]


def test_a_log_beside_a_deletion_notice_is_removed(tmp_path, store, vault_id):
    store.apply(vault_id, [envelope()])
    log = tmp_path / "vaults" / f"{vault_id}.log"
    kept = log.read_bytes()
    store.erase(vault_id, notice="deleted on the phone")
    assert not log.exists()
    crash(store)
    log.write_bytes(kept)  # an erase cut short after the tombstone
    TinyDBStore(tmp_path).close()
    assert not log.exists(), "its envelopes do not outlive the erase"


def test_one_write_per_push(store, vault_id, writes):
    store.apply(vault_id, [envelope() for _ in range(50)])
    assert len(writes.payloads) == 1


@pytest.mark.parametrize("fold", [False, True])
def test_a_failed_write_leaves_the_disk_and_memory_consistent(
    tmp_path, store, vault_id, monkeypatch, fold
):
    store.apply(vault_id, [envelope()])
    if fold:
        monkeypatch.setattr(tinydb_store, "LOG_FOLD_BYTES", 0)
    path = tmp_path / "vaults" / f"{vault_id}.json"
    before = path.read_bytes(), path.with_suffix(".log").read_bytes()

    def broken(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace" if fold else "fdatasync", broken)
    with pytest.raises(StoreUnavailable):
        store.apply(vault_id, [envelope(), envelope()])
    monkeypatch.undo()
    assert (path.read_bytes(), path.with_suffix(".log").read_bytes()) == before
    assert store.count(vault_id) == 1, "memory follows the disk, not the failed write"
    assert store.apply(vault_id, [envelope()]) == [2]
    crash(store)
    again = TinyDBStore(tmp_path)
    assert seqs(again, vault_id) == [1, 2]
    again.close()


def test_a_pull_never_shows_a_push_that_is_not_on_disk_yet(store, vault_id, writes):
    store.apply(vault_id, [envelope()])
    writes.hold()
    pusher = threading.Thread(target=store.apply, args=(vault_id, [envelope(), envelope()]))
    pusher.start()
    assert writes.started.wait(10)
    page = store.changes_since(vault_id, 0, 100)
    assert [e["seq"] for e in page.envelopes()] == [1] and page.cursor == 1
    writes.release()
    pusher.join(10)
    assert seqs(store, vault_id) == [1, 2, 3]


def test_pushes_waiting_together_share_one_write(tmp_path, store, vault_id, writes):
    store.apply(vault_id, [envelope()])
    writes.hold()
    writes.payloads.clear()
    first = threading.Thread(target=store.apply, args=(vault_id, [envelope()]))
    first.start()
    assert writes.started.wait(10)
    # While the first write is under way, three more pushes arrive and wait for the file.
    others = [threading.Thread(target=store.apply, args=(vault_id, [envelope()])) for _ in range(3)]
    for thread in others:
        thread.start()
    deadline = time.monotonic() + 10
    while store.count(vault_id) < 5:  # all three applied in memory, now queued for the file
        assert time.monotonic() < deadline
        time.sleep(0.001)
    writes.release()
    for thread in [first, *others]:
        thread.join(10)
    assert len(writes.payloads) == 2, "the three waiting pushes shared the second write"
    assert writes.payloads[1].count(b"\n") == 1, "one log line for the three"
    assert seqs(store, vault_id) == [1, 2, 3, 4, 5]
    store.close()
    assert on_disk(tmp_path, vault_id)["meta"]["1"]["last_seq"] == 5


def test_open_vaults_are_bounded_by_the_lru(tmp_path):
    store = TinyDBStore(tmp_path, open_vaults=4)
    try:
        vaults = [new_vault() for _ in range(20)]
        for vault_id, token in vaults:
            store.create(vault_id, token)
            store.apply(vault_id, [envelope()])
            assert store.open_count() <= 4
        for vault_id, _ in vaults:  # each is read again from its file when needed
            assert seqs(store, vault_id) == [1]
        assert store.open_count() <= 4
    finally:
        store.close()


def test_a_vault_pushed_out_of_the_lru_mid_write_loses_nothing(tmp_path, writes):
    store = TinyDBStore(tmp_path, open_vaults=1)
    try:
        a, b = new_vault(), new_vault()
        store.create(*a)
        store.create(*b)
        writes.hold()
        pusher = threading.Thread(target=store.apply, args=(a[0], [envelope()]))
        pusher.start()
        assert writes.started.wait(10)
        store.check_token(*b)
        reader = threading.Thread(target=store.count, args=(b[0],))  # pushes `a` out of the LRU
        reader.start()
        reader.join(10)
        assert store.open_count() == 2, "`a` is kept aside while its push is under way"
        writes.release()
        pusher.join(10)
        assert store.apply(a[0], [envelope()]) == [2]
        assert seqs(store, a[0]) == [1, 2]
    finally:
        store.close()


def test_a_wrong_token_does_not_load_the_envelopes(tmp_path, store, vault_id, monkeypatch):
    store.apply(vault_id, [envelope() for _ in range(500)])
    store.close()
    fresh = TinyDBStore(tmp_path)
    loads = []
    original = TinyDBStore._load
    monkeypatch.setattr(TinyDBStore, "_load", lambda self, v: loads.append(v) or original(self, v))
    try:
        with pytest.raises(WrongToken):
            fresh.check_token(vault_id, new_vault()[1])
        with pytest.raises(WrongToken):
            fresh.create(vault_id, new_vault()[1])
        assert loads == [] and fresh.open_count() == 0
    finally:
        fresh.close()


def test_vaults_written_before_meta_files_still_open(tmp_path, store):
    vault_id, token = new_vault()
    store.create(vault_id, token)
    store.apply(vault_id, [envelope()])
    (tmp_path / "vaults" / f"{vault_id}.meta.json").unlink()  # as an older Thaw left it
    store.check_token(vault_id, token)
    with pytest.raises(WrongToken):
        store.check_token(vault_id, new_vault()[1])
    assert (tmp_path / "vaults" / f"{vault_id}.meta.json").exists()
    assert seqs(store, vault_id) == [1]


def test_a_second_store_on_the_same_folder_is_refused(tmp_path, store):
    with pytest.raises(ConfigError, match="in use by another Thaw process"):
        TinyDBStore(tmp_path)
    store.close()
    TinyDBStore(tmp_path).close()  # free again once the first one closes
