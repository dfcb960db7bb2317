"""VaultStore on its own: order-independence (hypothesis), atomic files, reloads."""

from __future__ import annotations

import json
import os
import threading
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pwa.store import AtomicJSONStorage, UnknownVault, VaultStore, WrongToken
from tests.envelopes import envelope, hlc, new_vault

IDS = [f"00000000-0000-4000-8000-{i:012d}" for i in range(6)]


@pytest.fixture
def store(tmp_path) -> VaultStore:
    return VaultStore(tmp_path)


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


def stored_state(store: VaultStore, vault_id: str) -> dict:
    page, _, _ = store.changes_since(vault_id, 0, 10_000)
    return {e["id"]: (e["hlc"], e["deleted"], e["iv"], e["data"]) for e in page}


# Envelopes with unique (id, hlc) pairs, as devices with hybrid logical clocks make them.
histories = st.lists(
    st.tuples(st.sampled_from(IDS), st.integers(0, 50), st.booleans()),
    min_size=1,
    max_size=30,
    unique_by=lambda t: (t[0], t[1]),
).map(
    lambda items: [envelope(id=i, clock=hlc(1_700_000_000_000 + w), deleted=d) for i, w, d in items]
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(history=histories, data=st.data())
def test_same_envelopes_in_any_order_with_repeats_give_the_same_state(
    tmp_path_factory, history, data
):
    folder = tmp_path_factory.mktemp("store")
    store = VaultStore(folder)
    reference, shuffled = new_vault(), new_vault()
    for vault_id, token in (reference, shuffled):
        store.create(vault_id, token)
    store.apply(reference[0], sorted(history, key=lambda e: e["hlc"]))

    again = data.draw(
        st.permutations(history + data.draw(st.lists(st.sampled_from(history), max_size=10)))
    )
    size = data.draw(st.integers(1, 6))
    batch: dict[str, dict] = {}
    for change in again:  # pushes of up to `size`, an id at most once in each (as the API wants)
        if change["id"] in batch or len(batch) == size:
            store.apply(shuffled[0], list(batch.values()))
            batch = {}
        batch[change["id"]] = change
    store.apply(shuffled[0], list(batch.values()))

    expected = stored_state(store, reference[0])
    assert stored_state(store, shuffled[0]) == expected
    newest = {}
    for e in history:
        if e["id"] not in newest or e["hlc"] > newest[e["id"]][0]:
            newest[e["id"]] = (e["hlc"], e["deleted"], e["iv"], e["data"])
    assert expected == newest
    # A fresh store reading the same files sees the same thing.
    assert stored_state(VaultStore(folder), shuffled[0]) == expected


def test_sequence_numbers_are_unique_and_ascending(store, vault_id):
    first = envelope()
    assert store.apply(vault_id, [first, envelope()]) == [1, 2]
    assert store.apply(vault_id, [first]) == []
    assert store.apply(vault_id, [{**first, "hlc": hlc(1_800_000_000_000)}]) == [3]
    page, cursor, remaining = store.changes_since(vault_id, 0, 10)
    assert [e["seq"] for e in page] == [2, 3] and cursor == 3 and remaining == 0
    page, cursor, remaining = store.changes_since(vault_id, 0, 1)
    assert [e["seq"] for e in page] == [2] and cursor == 2 and remaining == 1


def test_tokens(tmp_path):
    store = VaultStore(tmp_path)
    vault_id, token = new_vault()
    assert store.create(vault_id, token) is True
    assert store.create(vault_id, token) is False
    with pytest.raises(WrongToken):
        store.create(vault_id, new_vault()[1])
    with pytest.raises(WrongToken):
        store.check_token(vault_id, new_vault()[1])
    with pytest.raises(UnknownVault):
        store.check_token(new_vault()[0], token)
    with pytest.raises(UnknownVault):
        store.check_token("../../etc/passwd", token)


def test_one_file_per_vault_and_erase(tmp_path):
    store = VaultStore(tmp_path)
    a, b = new_vault(), new_vault()
    store.create(*a)
    store.create(*b)
    store.apply(a[0], [envelope()])
    names = sorted(p.name for p in (tmp_path / "vaults").iterdir())
    assert names == sorted([f"{a[0]}.json", f"{b[0]}.json"])
    store.erase(a[0])
    assert [p.name for p in (tmp_path / "vaults").iterdir()] == [f"{b[0]}.json"]
    with pytest.raises(UnknownVault):
        store.apply(a[0], [envelope()])


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
    with pytest.raises(OSError):
        store.apply(vault_id, [envelope(), envelope()])
    monkeypatch.undo()
    assert path.read_bytes() == before
    json.loads(before)
    assert store.count(vault_id) == 1, "memory follows the file, not the failed write"
    assert store.apply(vault_id, [envelope()]) == [2]


def test_a_pull_never_shows_a_push_that_is_not_on_disk_yet(store, vault_id, writes):
    store.apply(vault_id, [envelope()])
    writes.hold()
    pusher = threading.Thread(target=store.apply, args=(vault_id, [envelope(), envelope()]))
    pusher.start()
    assert writes.started.wait(10)
    page, cursor, remaining = store.changes_since(vault_id, 0, 100)
    assert [e["seq"] for e in page] == [1] and cursor == 1 and remaining == 0
    writes.release()
    pusher.join(10)
    page, cursor, _ = store.changes_since(vault_id, 0, 100)
    assert [e["seq"] for e in page] == [1, 2, 3] and cursor == 3


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
    assert [e["seq"] for e in store.changes_since(vault_id, 0, 100)[0]] == [1, 2, 3, 4, 5]
    assert (
        json.loads((tmp_path / "vaults" / f"{vault_id}.json").read_bytes())["meta"]["1"]["last_seq"]
        == 5
    )
