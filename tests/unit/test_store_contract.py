"""The store contract, run against both backends: TinyDB files and a real PostgreSQL.

Create, tokens, push, pull, paging, last-writer-wins, erase (with and without a deletion
notice), quotas and prune must behave the same whichever backend THAW_DATABASE_URL picks.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pwa.store import (
    QuotaExceeded,
    Quotas,
    Store,
    UnknownVault,
    VaultDeleted,
    WrongToken,
)
from pwa.store.postgres import PostgresStore
from pwa.store.tinydb_store import TinyDBStore
from tests.envelopes import envelope, hlc, new_vault

IDS = [f"00000000-0000-4000-8000-{i:012d}" for i in range(6)]
NOTICE = "A" * 43 + "="


def make_store(backend: str, tmp_path, pg_url: str, quotas: Quotas | None = None) -> Store:
    if backend == "tinydb":
        return TinyDBStore(tmp_path / f"data-{time.monotonic_ns()}", quotas)
    return PostgresStore(pg_url, quotas)


@pytest.fixture(params=["tinydb", "postgresql"])
def backend(request) -> str:
    return request.param


@pytest.fixture
def store(backend, tmp_path, pg_url) -> Iterator[Store]:
    store = make_store(backend, tmp_path, pg_url)
    yield store
    store.close()


@pytest.fixture
def vault_id(store) -> str:
    vault_id, token = new_vault()
    assert store.create(vault_id, token) is True
    return vault_id


def state(store: Store, vault_id: str) -> dict:
    page = store.changes_since(vault_id, 0, 10_000)
    return {e["id"]: (e["hlc"], e["deleted"], e["iv"], e["data"]) for e in page.envelopes()}


def make_idle(store: Store, vault_id: str, days: float) -> None:
    """Pretend the vault was last synced `days` ago."""
    if isinstance(store, TinyDBStore):
        when = time.time() - days * 86400
        vault = store._path(vault_id)
        for path in (vault, store._meta_path(vault_id), vault.with_suffix(".log")):
            if path.exists():
                os.utime(path, (when, when))
    else:
        with psycopg.connect(store.url, autocommit=True) as conn:
            conn.execute(
                "UPDATE vaults SET last_sync = now() - make_interval(days => %s) WHERE id = %s",
                (days, vault_id),
            )


def test_create_and_tokens(store):
    vault_id, token = new_vault()
    assert store.create(vault_id, token) is True
    assert store.create(vault_id, token) is False
    with pytest.raises(WrongToken):
        store.create(vault_id, new_vault()[1])
    store.check_token(vault_id, token)
    with pytest.raises(WrongToken):
        store.check_token(vault_id, new_vault()[1])
    with pytest.raises(UnknownVault):
        store.check_token(new_vault()[0], token)
    with pytest.raises(UnknownVault):
        store.check_token("../../etc/passwd", token)


def test_push_then_pull_returns_the_stored_json(store, vault_id):
    a, b = envelope(), envelope(deleted=True)
    assert store.apply(vault_id, [a, b]) == [1, 2]
    page = store.sync(vault_id, [], 0, 100)
    assert page.envelopes() == [{**a, "seq": 1}, {**b, "seq": 2}]
    assert page.cursor == 2 and page.remaining == 0
    later = store.sync(vault_id, [], 2, 100)
    assert later.raw == [] and later.cursor == 2
    ahead = store.sync(vault_id, [], 10**12, 100)
    assert ahead.raw == [] and ahead.cursor == 2, "a cursor past the end comes back to the end"


def test_sequence_numbers_and_last_writer_wins(store, vault_id):
    first = envelope(clock=hlc(1_700_000_000_000))
    assert store.apply(vault_id, [first, envelope()]) == [1, 2]
    assert store.apply(vault_id, [first]) == [], "the same hlc again is ignored"
    assert store.apply(vault_id, [{**first, "hlc": hlc(1_600_000_000_000)}]) == [], "older"
    newer = {**envelope(id=first["id"], clock=hlc(1_800_000_000_000)), "deleted": True}
    assert store.apply(vault_id, [newer]) == [3]
    page = store.changes_since(vault_id, 0, 10)
    assert [e["seq"] for e in page.envelopes()] == [2, 3] and page.cursor == 3
    assert page.envelopes()[1] == {**newer, "seq": 3}
    assert store.count(vault_id) == 2
    one = store.changes_since(vault_id, 0, 1)
    assert [e["seq"] for e in one.envelopes()] == [2] and one.cursor == 2 and one.remaining == 1


def test_paging(store, vault_id):
    for _ in range(3):
        store.apply(vault_id, [envelope() for _ in range(500)])
    first = store.changes_since(vault_id, 0, 1000)
    assert len(first.raw) == 1000 and first.cursor == 1000 and first.remaining == 500
    second = store.changes_since(vault_id, first.cursor, 1000)
    assert len(second.raw) == 500 and second.remaining == 0 and second.cursor == 1500
    seqs = [e["seq"] for e in first.envelopes() + second.envelopes()]
    assert seqs == list(range(1, 1501))


def test_vaults_are_separate(store, vault_id):
    other, token = new_vault()
    store.create(other, token)
    store.apply(vault_id, [envelope()])
    assert store.apply(other, [envelope(), envelope()]) == [1, 2]
    assert store.count(vault_id) == 1 and store.count(other) == 2


def test_erase(store, vault_id):
    store.apply(vault_id, [envelope()])
    store.erase(vault_id)
    with pytest.raises(UnknownVault):
        store.apply(vault_id, [envelope()])
    with pytest.raises(UnknownVault):
        store.changes_since(vault_id, 0, 10)
    with pytest.raises(UnknownVault):
        store.erase(vault_id)
    assert vault_id not in store.vault_ids()


def test_erase_with_a_notice_keeps_only_the_notice(store):
    vault_id, token = new_vault()
    store.create(vault_id, token)
    store.apply(vault_id, [envelope(), envelope()])
    store.erase(vault_id, notice=NOTICE)
    with pytest.raises(VaultDeleted) as deleted:
        store.check_token(vault_id, token)
    assert deleted.value.notice == NOTICE
    with pytest.raises(WrongToken):
        store.check_token(vault_id, new_vault()[1])
    with pytest.raises(VaultDeleted):
        store.create(vault_id, token)  # never created again
    with pytest.raises(WrongToken):
        store.create(vault_id, new_vault()[1])
    with pytest.raises(VaultDeleted):
        store.apply(vault_id, [envelope()])
    with pytest.raises(VaultDeleted):
        store.changes_since(vault_id, 0, 10)
    with pytest.raises(VaultDeleted) as again:
        store.erase(vault_id, notice="B" * 43 + "=")
    assert again.value.notice == NOTICE
    dump = store.export(vault_id)
    assert dump.notice == NOTICE and dump.envelopes == []


def test_quota_on_envelopes_stores_nothing(backend, tmp_path, pg_url):
    store = make_store(backend, tmp_path, pg_url, Quotas(max_envelopes=5, max_bytes=10**9))
    try:
        vault_id, token = new_vault()
        store.create(vault_id, token)
        kept = [envelope() for _ in range(4)]
        store.apply(vault_id, kept)
        with pytest.raises(QuotaExceeded) as refused:
            store.apply(vault_id, [envelope(), envelope()])
        assert "full" in refused.value.message
        assert store.count(vault_id) == 4, "nothing of a push over quota is stored"
        assert store.apply(vault_id, [envelope()]) == [5], "up to the quota is fine"
        edit = envelope(id=kept[0]["id"], clock=hlc(1_800_000_000_000))
        assert store.apply(vault_id, [edit]) == [6], "an edit does not add an envelope"
        with pytest.raises(QuotaExceeded):
            store.apply(vault_id, [envelope()])
        assert store.changes_since(vault_id, 0, 100).cursor == 6
    finally:
        store.close()


def test_quota_on_bytes_stores_nothing(backend, tmp_path, pg_url):
    one = len(b'{"id":"","hlc":"","deleted":false,"iv":"","data":""}') + 36 + 35 + 16 + 88
    store = make_store(backend, tmp_path, pg_url, Quotas(max_envelopes=1000, max_bytes=3 * one))
    try:
        vault_id, token = new_vault()
        store.create(vault_id, token)
        store.apply(vault_id, [envelope(), envelope()])
        with pytest.raises(QuotaExceeded):
            store.apply(vault_id, [envelope(), envelope()])
        assert store.count(vault_id) == 2
        store.apply(vault_id, [envelope()])
        big = envelope(size=1000)
        with pytest.raises(QuotaExceeded):
            store.apply(vault_id, [big])
        assert store.count(vault_id) == 3
    finally:
        store.close()


def test_prune_removes_idle_vaults_only(backend, tmp_path, postgres):
    url = postgres.create_database("prune")  # its own database: prune looks at every vault
    store = make_store(backend, tmp_path, url)
    try:
        idle, busy, noticed = new_vault(), new_vault(), new_vault()
        for vault_id, token in (idle, busy, noticed):
            store.create(vault_id, token)
            store.apply(vault_id, [envelope()])
        store.erase(noticed[0], notice=NOTICE)
        make_idle(store, idle[0], 40)
        make_idle(store, noticed[0], 40)
        removed = store.prune(30)
        assert [vault_id for vault_id, _ in removed] == [idle[0]]
        assert removed[0][1].timestamp() < time.time() - 39 * 86400
        with pytest.raises(UnknownVault):
            store.check_token(*idle)
        assert store.count(busy[0]) == 1
        with pytest.raises(VaultDeleted):
            store.check_token(*noticed)  # a deletion notice outlives prune
        assert store.prune(30) == []
    finally:
        store.close()


histories = st.lists(
    st.tuples(st.sampled_from(IDS), st.integers(0, 50), st.booleans()),
    min_size=1,
    max_size=30,
    unique_by=lambda t: (t[0], t[1]),
).map(
    lambda items: [envelope(id=i, clock=hlc(1_700_000_000_000 + w), deleted=d) for i, w, d in items]
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(history=histories, data=st.data())
def test_same_envelopes_in_any_order_with_repeats_give_the_same_state(store, history, data):
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
    expected = state(store, reference[0])
    assert state(store, shuffled[0]) == expected
    newest = {}
    for e in history:
        if e["id"] not in newest or e["hlc"] > newest[e["id"]][0]:
            newest[e["id"]] = (e["hlc"], e["deleted"], e["iv"], e["data"])
    assert expected == newest


def test_sync_and_erase_check_the_token_they_are_given(store):
    vault_id, token = new_vault()
    other = new_vault()[1]
    store.create(vault_id, token)
    with pytest.raises(WrongToken):
        store.sync(vault_id, [envelope()], 0, 100, token=other)
    with pytest.raises(WrongToken):
        store.sync(vault_id, [], 0, 100, token=other)
    with pytest.raises(WrongToken):
        store.erase(vault_id, token=other)
    assert store.count(vault_id) == 0, "nothing stored for a wrong token"
    assert store.sync(vault_id, [envelope()], 0, 100, token=token).cursor == 1
    store.erase(vault_id, notice=NOTICE, token=token)
    with pytest.raises(WrongToken):  # the wrong token never learns of the notice
        store.sync(vault_id, [], 0, 100, token=other)
    for changes in ([], [envelope()]):
        with pytest.raises(VaultDeleted) as gone:
            store.sync(vault_id, changes, 0, 100, token=token)
        assert gone.value.notice == NOTICE
    with pytest.raises(UnknownVault):
        store.sync(new_vault()[0], [envelope()], 0, 100, token=token)


def test_postgres_token_cache_never_has_the_last_word(pg_url):
    """check_token may answer from a short-lived cache; what a request then does may not."""
    here, there = PostgresStore(pg_url), PostgresStore(pg_url)  # as two `thaw serve` processes
    try:
        vault_id, token = new_vault()
        here.create(vault_id, token)
        here.check_token(vault_id, token)  # now in here's cache
        with pytest.raises(WrongToken):  # a wrong token is never taken from the cache
            here.check_token(vault_id, new_vault()[1])
        there.erase(vault_id)  # forgotten on the other process, and made again by someone else
        squatter = new_vault()[1]
        there.create(vault_id, squatter)
        with pytest.raises(WrongToken):
            here.sync(vault_id, [envelope()], 0, 100, token=token)
        with pytest.raises(WrongToken):
            here.erase(vault_id, token=token)
        assert there.count(vault_id) == 0
        there.erase(vault_id, notice=NOTICE, token=squatter)
        with pytest.raises(VaultDeleted):  # deleted elsewhere: 410 at once, not after a while
            here.sync(vault_id, [], 0, 100, token=squatter)
        with pytest.raises(VaultDeleted):
            here.check_token(vault_id, squatter)
        mine, my_token = new_vault()  # erased on this process: its cache forgets at once
        here.create(mine, my_token)
        here.check_token(mine, my_token)
        here.erase(mine, notice=NOTICE, token=my_token)
        with pytest.raises(VaultDeleted):
            here.check_token(mine, my_token)
    finally:
        here.close()
        there.close()
