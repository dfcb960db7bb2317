"""TinyDBStore on its own: atomic files, group commit, bounded memory, the data folder's lock."""

from __future__ import annotations

import json
import os
import threading
import time

import pytest

from pwa.config import ConfigError
from pwa.store import StoreUnavailable, UnknownVault, WrongToken
from pwa.store.tinydb_store import AtomicJSONStorage, TinyDBStore
from tests.envelopes import envelope, new_vault


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
    """The store's file writes, recorded; with `hold()`, each waits until `release()`."""

    def __init__(self, monkeypatch) -> None:
        self.payloads: list[bytes] = []
        self.started = threading.Event()
        self._open = threading.Event()
        self._open.set()
        original = AtomicJSONStorage.write_bytes

        def write_bytes(storage, payload: bytes) -> None:
            self.payloads.append(payload)
            self.started.set()
            assert self._open.wait(10)
            original(storage, payload)

        monkeypatch.setattr(AtomicJSONStorage, "write_bytes", write_bytes)

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


def test_files_per_vault_and_erase(tmp_path, store):
    a, b = new_vault(), new_vault()
    store.create(*a)
    store.create(*b)
    store.apply(a[0], [envelope()])
    names = sorted(p.name for p in (tmp_path / "vaults").iterdir())
    assert names == sorted(f"{v}{suffix}" for v, _ in (a, b) for suffix in (".json", ".meta.json"))
    tables = json.loads((tmp_path / "vaults" / f"{a[0]}.json").read_bytes())
    assert set(tables) == {"meta", "envelopes"} and list(tables["envelopes"]) == ["1"]
    store.erase(a[0])
    assert sorted(p.name for p in (tmp_path / "vaults").iterdir()) == [
        f"{b[0]}.json",
        f"{b[0]}.meta.json",
    ]
    with pytest.raises(UnknownVault):
        store.apply(a[0], [envelope()])


def test_a_new_store_reads_what_the_old_one_wrote(tmp_path, store, vault_id):
    store.apply(vault_id, [envelope() for _ in range(3)])
    before = store.changes_since(vault_id, 0, 100).raw
    store.close()
    again = TinyDBStore(tmp_path)
    try:
        assert again.changes_since(vault_id, 0, 100).raw == before
        assert again.apply(vault_id, [envelope()]) == [4]
    finally:
        again.close()


def test_one_file_write_per_push(store, vault_id, writes):
    store.apply(vault_id, [envelope() for _ in range(50)])
    assert len(writes.payloads) == 1


def test_a_failed_write_leaves_the_old_file_and_memory_consistent(
    tmp_path, store, vault_id, monkeypatch
):
    store.apply(vault_id, [envelope()])
    path = tmp_path / "vaults" / f"{vault_id}.json"
    before = path.read_bytes()

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(StoreUnavailable):
        store.apply(vault_id, [envelope(), envelope()])
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert store.count(vault_id) == 1, "memory follows the file, not the failed write"
    assert store.apply(vault_id, [envelope()]) == [2]


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
    assert seqs(store, vault_id) == [1, 2, 3, 4, 5]
    tables = json.loads((tmp_path / "vaults" / f"{vault_id}.json").read_bytes())
    assert tables["meta"]["1"]["last_seq"] == 5


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
