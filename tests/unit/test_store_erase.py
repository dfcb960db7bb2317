"""The store's erase: deletion notices (tombstones) and leftover temp files."""

from __future__ import annotations

import pytest

from pwa.store import UnknownVault, VaultDeleted, WrongToken
from pwa.store.tinydb_store import TinyDBStore
from tests.envelopes import envelope, new_vault

NOTICE = "A" * 43 + "="


@pytest.fixture
def store(tmp_path):
    store = TinyDBStore(tmp_path)
    yield store
    store.close()


def reopen(store: TinyDBStore, tmp_path) -> TinyDBStore:
    """A new store on the same folder, as after a restart (one process at a time)."""
    store.close()
    return TinyDBStore(tmp_path)


def test_erase_with_a_notice_leaves_a_tombstone_for_the_right_token(tmp_path, store):
    vault_id, token = new_vault()
    store.create(vault_id, token)
    store.apply(vault_id, [envelope(), envelope()])
    store.erase(vault_id, notice=NOTICE)
    for reopened in (store, reopen(store, tmp_path)):  # in memory and after a restart
        with pytest.raises(VaultDeleted) as caught:
            reopened.check_token(vault_id, token)
        assert caught.value.notice == NOTICE
        with pytest.raises(WrongToken):
            reopened.check_token(vault_id, new_vault()[1])
        with pytest.raises(VaultDeleted):
            reopened.create(vault_id, token)
        with pytest.raises(WrongToken):
            reopened.create(vault_id, new_vault()[1])
        with pytest.raises(VaultDeleted):
            reopened.apply(vault_id, [envelope()])
        with pytest.raises(VaultDeleted):
            reopened.changes_since(vault_id, 0, 10)
        with pytest.raises(VaultDeleted) as again:
            reopened.erase(vault_id, notice="B" * 43 + "=")
        assert again.value.notice == NOTICE


def test_erase_without_a_notice_forgets_the_vault(tmp_path, store):
    vault_id, token = new_vault()
    store.create(vault_id, token)
    store.erase(vault_id)
    assert list((tmp_path / "vaults").iterdir()) == []
    with pytest.raises(UnknownVault):
        store.check_token(vault_id, token)
    with pytest.raises(UnknownVault):
        store.erase(vault_id)
    assert store.create(vault_id, token) is True


@pytest.mark.parametrize("notice", [None, NOTICE])
def test_erase_removes_a_temp_file_a_crash_left(tmp_path, store, notice):
    vault_id, token = new_vault()
    store.create(vault_id, token)
    leftover = tmp_path / "vaults" / f"{vault_id}.json.tmp"
    leftover.write_bytes(b'{"meta": {"1": {"token_sha256": "ciphertext and all"}}')
    store.erase(vault_id, notice=notice)
    assert not leftover.exists()


def test_temp_files_left_by_a_crash_are_removed_at_start(tmp_path):
    folder = tmp_path / "vaults"
    folder.mkdir()
    vault_id, token = new_vault()
    first = TinyDBStore(tmp_path)
    first.create(vault_id, token)
    first.close()
    stray = [folder / f"{vault_id}.json.tmp", folder / f"{new_vault()[0]}.json.tmp"]
    for path in stray:
        path.write_bytes(b"half a write")
    unrelated = folder / "notes.txt"
    unrelated.write_text("not ours to remove")
    store = TinyDBStore(tmp_path)
    assert not any(path.exists() for path in stray)
    assert unrelated.exists()
    store.check_token(vault_id, token)
