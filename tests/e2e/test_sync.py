"""Two (and three) devices, each a browser context, syncing through the real server."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .app import check_in, choose, go, history_cards, live, open_app, open_row, save, stored
from .conftest import wait_for_offline_ready


def vault_file(server, link: str) -> Path:
    """The server's file for a pairing link: HKDF-SHA-256(key, info 'thaw/v1/vault-id'), 16 bytes."""
    key = base64.urlsafe_b64decode(link.split("#pair=")[1] + "=")
    prk = hmac.new(bytes(32), key, hashlib.sha256).digest()
    vault_id = hmac.new(prk, b"thaw/v1/vault-id\x01", hashlib.sha256).digest()[:16].hex()
    return Path(server.data_dir) / "vaults" / f"{vault_id}.json"


def start_syncing(page: Page, base_url: str) -> str:
    go(page, "Settings") if page.url.startswith(base_url) else open_app(page, base_url, "#settings")
    page.get_by_role("button", name="Start syncing").tap()
    expect(page.locator(".sync-status")).to_have_text("Up to date.", timeout=30_000)
    return page.get_by_role("textbox", name="Pairing link", exact=True).input_value()


def sync_now(page: Page) -> None:
    go(page, "Settings")
    page.get_by_role("button", name="Sync now").tap()
    expect(page.locator(".sync-status")).to_have_text("Up to date.")


def join(page: Page, link: str) -> None:
    """Open a pairing link and choose Join on the screen that asks first."""
    page.goto(link)
    dialog = page.get_by_role("dialog", name="Join this pairing?")
    expect(dialog).to_be_visible()
    assert "pair=" not in page.url, "the key leaves the address bar"
    dialog.get_by_role("button", name="Join", exact=True).tap()
    expect(page.locator(".sync-status")).to_have_text("Up to date.", timeout=30_000)


def test_pair_by_link_then_entries_and_edits_flow_both_ways(devices, base_url, server):
    _, a = devices()
    _, b = devices()
    open_app(a, base_url)
    check_in(a, "Sad", "lonely")
    link = start_syncing(a, base_url)
    assert re.fullmatch(re.escape(base_url) + r"/#pair=[A-Za-z0-9_-]{43}", link)
    expect(a.get_by_role("img", name="QR code of the pairing link")).to_be_visible()
    join(b, link)
    expect(b.get_by_text("This device is paired")).to_be_visible()

    go(a, "Check in")
    check_in(a, "Calm", "rested")
    check_in(a, "Numb / can’t tell")
    sync_now(a)
    sync_now(b)
    go(b, "History")
    expect(history_cards(b)).to_have_count(3)

    edit_note(b, "Calm · rested", "Edited on B")
    sync_now(b)
    sync_now(a)
    go(a, "History")
    expect(history_cards(a).filter(has_text="Edited on B")).to_have_count(1)
    assert sorted(map(str, stored(a))) == sorted(map(str, stored(b)))


def test_offline_edits_on_both_converge_to_the_later_one(devices, base_url):
    ctx_a, a = devices()
    ctx_b, b = devices()
    open_app(a, base_url)
    check_in(a, "Happy", "content")
    link = start_syncing(a, base_url)
    join(b, link)
    [entry] = live(b)

    wait_for_offline_ready(a)  # offline, screens not opened yet come from the worker's cache
    wait_for_offline_ready(b)
    ctx_a.set_offline(True)
    ctx_b.set_offline(True)
    edit_note(a, "Happy · content", "A's note")
    go(b, "History")
    history_cards(b).first.tap()
    open_row(b, "How strong")
    b.get_by_role("radio", name="5 — very strong").tap()
    b.get_by_role("button", name="Save changes").tap()
    expect(b.locator("body")).to_have_attribute("data-ready", "history")
    go(a, "Settings")
    a.get_by_role("button", name="Sync now").tap()
    expect(a.locator(".sync-status")).to_have_text(re.compile("offline"))

    ctx_a.set_offline(False)
    ctx_b.set_offline(False)
    for _ in range(2):
        sync_now(a)
        sync_now(b)
    a_entries, b_entries = live(a), live(b)
    assert a_entries == b_entries
    [winner] = a_entries
    assert winner["id"] == entry["id"]
    assert winner["intensity"] == 5 and winner["note"] == "", "B's later version wins whole"


def test_delete_wins_over_an_older_offline_edit_and_loses_to_a_later_one(devices, base_url):
    ctx_a, a = devices()
    ctx_b, b = devices()
    open_app(a, base_url)
    check_in(a, "Scared", "worried")
    check_in(a, "Angry", "annoyed")
    link = start_syncing(a, base_url)
    join(b, link)

    # B edits "worried" offline first; A deletes it later: the delete wins on both.
    wait_for_offline_ready(b)  # offline, screens not opened yet come from the worker's cache
    ctx_b.set_offline(True)
    edit_note(b, "worried", "older edit")
    delete_card(a, "worried")
    sync_now(a)
    ctx_b.set_offline(False)
    sync_now(b)
    sync_now(a)
    for page in (a, b):
        go(page, "History")
        expect(history_cards(page).filter(has_text="worried")).to_have_count(0)

    # A deletes "annoyed"; B, offline and not yet told, edits it afterwards: the edit wins on both.
    delete_card(a, "annoyed")
    sync_now(a)
    ctx_b.set_offline(True)
    edit_note(b, "annoyed", "later edit")
    ctx_b.set_offline(False)
    sync_now(b)
    sync_now(a)
    for page in (a, b):
        go(page, "History")
        expect(history_cards(page).filter(has_text="later edit")).to_have_count(1)
    assert sorted(map(str, stored(a))) == sorted(map(str, stored(b)))


def edit_note(page: Page, card_text: str, note: str) -> None:
    """Open the check-in whose card shows `card_text` in History and change its note."""
    go(page, "History")
    history_cards(page).filter(has_text=card_text).tap()
    open_row(page, "Note")
    page.get_by_role("textbox", name="Note · optional").fill(note)
    page.get_by_role("button", name="Save changes").tap()
    expect(page.locator("body")).to_have_attribute("data-ready", "history")


def delete_card(page: Page, text: str) -> None:
    go(page, "History")
    history_cards(page).filter(has_text=text).tap()
    page.get_by_role("button", name="Delete").tap()
    page.get_by_role("dialog").get_by_role("button", name="Delete").tap()
    expect(page.locator("body")).to_have_attribute("data-ready", "history")


def test_server_stores_only_ciphertext(devices, base_url, server):
    _, a = devices()
    open_app(a, base_url)
    choose(a, "Scared")
    choose(a, "anxious")
    open_row(a, "Where in the body")
    a.get_by_role("group", name="Where in the body").get_by_role("button", name="Stomach").tap()
    open_row(a, "What’s going on")
    a.get_by_label("Add your own").fill("marigold garden")
    a.get_by_role("button", name="Add", exact=True).last.tap()
    open_row(a, "Note")
    a.get_by_role("textbox", name="Note · optional").fill("Walked by the river at dusk")
    save(a)
    check_in(a, "Sad", "lonely")
    link = start_syncing(a, base_url)
    assert vault_file(server, link).exists()
    files = list(Path(server.data_dir).rglob("*"))
    content = b"".join(f.read_bytes() for f in files if f.is_file()).lower()
    for secret in [
        b"river at dusk",
        b"marigold",
        b"anxious",
        b"lonely",
        b"scared",
        b"stomach",
        b"feeling",
        b"intensity",
    ]:
        assert secret not in content, secret


def test_third_device_gets_everything_and_deleting_the_synced_copy_unpairs_all(
    devices, base_url, server
):
    _, a = devices()
    _, b = devices()
    _, c = devices()
    open_app(a, base_url)
    for core, word in [("Happy", "joyful"), ("Sad", "weary"), ("Calm", "safe")]:
        check_in(a, core, word)
    join(b, start_syncing(a, base_url))
    go(b, "Check in")
    check_in(b, "Loving", "warm")
    sync_now(b)

    go(b, "Settings")
    b.get_by_role("button", name="Show pairing link").tap()
    link = b.get_by_role("textbox", name="Pairing link", exact=True).input_value()
    join(c, link)
    go(c, "History")
    expect(history_cards(c)).to_have_count(4)

    vault = vault_file(server, link)
    assert vault.exists()
    go(c, "Settings")
    c.get_by_role("button", name="Delete synced copy from the server").tap()
    c.get_by_role("dialog").get_by_role("button", name="Delete synced copy").tap()
    expect(c.get_by_role("button", name="Start syncing")).to_be_visible()
    left = vault.read_text() if vault.exists() else ""
    assert '"data"' not in left and '"envelopes"' not in left, "every envelope is erased"
    assert not vault.with_suffix(".log").exists(), "and the vault's log"
    assert len(live(c)) == 4, "local entries stay"

    go(a, "Settings")
    a.get_by_role("button", name="Sync now").tap()
    expect(a.locator(".sync-status")).to_have_text(re.compile("pairing was deleted"))
    expect(a.get_by_role("button", name="Start syncing")).to_be_visible()
    assert len(live(a)) == 3, "A keeps what it had (it never synced B's last check-in)"


@pytest.mark.parametrize("bad", ["#pair=tooShort", "#pair=", "#pair=" + "A" * 42 + "!"])
def test_a_wrong_or_truncated_link_changes_nothing(devices, base_url, bad):
    _, b = devices()
    open_app(b, base_url)
    check_in(b, "Calm", "peaceful")
    before = stored(b)
    b.goto(f"{base_url}/{bad}")
    expect(b.get_by_role("alert")).to_contain_text(re.compile("pairing link|not a Thaw"))
    expect(b.get_by_role("button", name="Start syncing")).to_be_visible()
    assert stored(b) == before
    assert "pair=" not in b.url


def test_pasting_a_truncated_link_into_join_explains(devices, base_url):
    _, a = devices()
    _, b = devices()
    link = start_syncing(a, base_url)
    open_app(b, base_url, "#settings")
    b.get_by_label("Already syncing on another device? Paste its pairing link").fill(link[:-6])
    b.get_by_role("button", name="Join").tap()
    expect(b.get_by_role("alert")).to_contain_text("incomplete or mistyped")
    expect(b.get_by_role("button", name="Start syncing")).to_be_visible()
    b.get_by_label("Already syncing on another device? Paste its pairing link").fill(link)
    b.get_by_role("button", name="Join").tap()
    b.get_by_role("dialog", name="Join this pairing?").get_by_role(
        "button", name="Join", exact=True
    ).tap()
    expect(b.locator(".sync-status")).to_have_text("Up to date.")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_settings_have_no_serious_accessibility_problems(devices, base_url, scheme):
    from axe_playwright_python.sync_playwright import Axe

    _, a = devices()
    a.emulate_media(color_scheme=scheme)
    open_app(a, base_url, "#settings")
    results = [Axe().run(a)]
    start_syncing(a, base_url)
    a.evaluate("Promise.all(document.getAnimations().map((x) => x.finished))")
    results.append(Axe().run(a))
    serious = [
        (v["id"], [n["target"] for n in v["nodes"]][:3])
        for result in results
        for v in result.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert serious == []


OUTBOX_SIZE = """async () => {
  const db = await import(document.querySelector('meta[name=thaw-static]').content + '/js/db.js');
  const conn = await db.openDb();
  const waiting = await db.outboxEntries(conn);
  conn.close();
  return waiting.length;
}"""


def eventually(check, timeout: float = 15.0) -> None:
    """Poll a condition until it holds or the deadline passes (the condition says what is waited for)."""
    import time

    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.1)


def test_sync_runs_by_itself_after_a_save_and_when_back_online(devices, base_url):
    ctx_a, a = devices()
    _, b = devices()
    join(b, start_syncing(a, base_url))
    go(a, "Check in")
    check_in(a, "Happy", "grateful")  # no "Sync now": the save starts a sync
    eventually(lambda: a.evaluate(OUTBOX_SIZE) == 0)
    sync_now(b)
    go(b, "History")
    expect(history_cards(b).filter(has_text="Happy · grateful")).to_have_count(1)

    wait_for_offline_ready(a)
    ctx_a.set_offline(True)
    go(a, "Check in")
    check_in(a, "Calm", "relaxed")
    go(a, "Settings")
    expect(a.locator(".sync-status")).to_contain_text("offline")
    assert a.evaluate(OUTBOX_SIZE) == 1, "kept for later, not lost"
    ctx_a.set_offline(False)  # the browser's "online" event starts a sync
    eventually(lambda: a.evaluate(OUTBOX_SIZE) == 0)
    expect(a.locator(".sync-status")).to_have_text("Up to date.")


def test_the_vault_key_never_reaches_the_server(devices, base_url, server):
    ctx_a, a = devices()
    ctx_b, b = devices()
    sent: list[str] = []
    for context in (ctx_a, ctx_b):
        context.on(
            "request",
            lambda r: sent.append(f"{r.url} {r.headers} {r.post_data or ''}"),
        )
    open_app(a, base_url)
    check_in(a, "Sad", "longing")
    link = start_syncing(a, base_url)
    join(b, link)
    sync_now(b)
    key = link.split("#pair=")[1]
    assert any("/api/v1/vaults/" in line for line in sent), "sync did talk to the server"
    assert not [line for line in sent if key in line]
    stored_files = b"".join(p.read_bytes() for p in Path(server.data_dir).rglob("*") if p.is_file())
    assert key.encode() not in stored_files


RECORD_STATUS = """
window.__statuses = [];
new MutationObserver(() => {
  const line = document.querySelector('.sync-status')?.textContent;
  if (line && window.__statuses.at(-1) !== line) window.__statuses.push(line);
}).observe(document, { subtree: true, childList: true, characterData: true });
"""


def test_first_sync_shows_its_progress(devices, base_url):
    from datetime import date, timedelta

    from .app import local_today, make_entry, seed

    _, a = devices()
    ctx_b, _ = devices()
    open_app(a, base_url)
    today = date.fromisoformat(local_today(a))
    seed(
        a,
        [
            make_entry((today - timedelta(days=i % 300)).isoformat(), i % 24, "calm")
            for i in range(1500)
        ],
    )
    link = start_syncing(a, base_url)
    ctx_b.add_init_script(RECORD_STATUS)
    b = ctx_b.new_page()
    join(b, link)
    statuses = b.evaluate("window.__statuses")
    # 1,500 check-ins and the two devices' records in the devices list
    assert "Synced 1,000 of 1,502" in statuses, statuses
    assert statuses[-1] == "Up to date."
    assert len(live(b)) == 1500


def import_rows(page: Page, rows: list[dict]) -> None:
    import json

    go(page, "Settings")
    page.locator("#import-file").set_input_files(
        files=[
            {
                "name": "thaw.json",
                "mimeType": "application/json",
                "buffer": json.dumps(
                    {"format": "thaw-export", "version": 1, "entries": rows}
                ).encode(),
            }
        ]
    )
    expect(page.locator(".import-result")).to_contain_text(f"Imported {len(rows)}")


def imported(n: int, note: str, first: int = 0) -> list[dict]:
    return [
        {
            "id": f"{i:08x}-8b86-4011-b42d-00c04fc964ff",
            "at": f"2026-11-{i + 1:02d}T10:00:00.000+00:00",
            "feeling": {"core": "calm"},
            "intensity": None,
            "body": [],
            "tags": [],
            "note": f"{note} {i}",
            "hlc": f"{1763546400000 + i}-0000-0123456789abcdef",
            "deleted": False,
        }
        for i in range(first, first + n)
    ]


def test_imports_reach_other_devices_whether_imported_before_or_after_pairing(devices, base_url):
    _, a = devices()
    _, b = devices()
    open_app(a, base_url)
    import_rows(a, imported(3, "before pairing"))
    assert a.evaluate(OUTBOX_SIZE) == 0  # unpaired: nothing queued; pairing queues everything
    link = start_syncing(a, base_url)
    join(b, link)
    import_rows(a, imported(2, "after pairing", first=3))
    sync_now(a)
    sync_now(b)
    go(b, "History")
    expect(history_cards(b)).to_have_count(5)
    notes = b.locator("#history-root").inner_text()
    assert all(f"before pairing {i}" in notes for i in range(3)) and "after pairing 4" in notes
