"""Trust on the device (issue 10): joining asks first, the devices list, starting over with a new
key, stray errors never unpair, far-future clocks set aside, padded envelopes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from pwa.store.tinydb_store import AtomicJSONStorage, read_vault

from .app import check_in, go, history_cards, live, open_app, open_row, stored
from .conftest import start_server, stop_server
from .test_sync import OUTBOX_SIZE, eventually, start_syncing, sync_now, vault_file

FAR_FUTURE = "9999999999999-ffff-ffffffffffffffff"


@pytest.fixture
def own_server(tmp_path):
    """A server of this test's own, which can be stopped, changed on disk and started again on
    the same port (same origin, so the browsers keep their data)."""
    holder = {"server": start_server(tmp_path / "data")}

    def restart(change=None) -> None:
        old = holder["server"]
        stop_server(old)
        if change:
            change()
        holder["server"] = start_server(old.data_dir, port=urlparse(old.url).port)

    yield holder["server"], restart
    stop_server(holder["server"])


def hkdf(link: str, info: bytes, length: int) -> bytes:
    key = base64.urlsafe_b64decode(link.split("#pair=")[1] + "=")
    prk = hmac.new(bytes(32), key, hashlib.sha256).digest()
    return hmac.new(prk, info + b"\x01", hashlib.sha256).digest()[:length]


def code_for(link: str) -> str:
    digits = f"{int.from_bytes(hkdf(link, b'thaw/v1/verify', 8), 'big') % 1_000_000:06d}"
    return f"{digits[:3]} {digits[3:]}"


def notice_for(link: str) -> str:
    vault_id = hkdf(link, b"thaw/v1/vault-id", 16).hex()
    mac = hmac.new(
        hkdf(link, b"thaw/v1/notice", 32), f"thaw/v1/deleted/{vault_id}".encode(), "sha256"
    )
    return base64.b64encode(mac.digest()).decode()


def api(base_url: str, link: str, method: str, path: str = "", body: dict | None = None):
    """Call the vault's API as a device holding `link` would: (status, JSON reply)."""
    vault_id = hkdf(link, b"thaw/v1/vault-id", 16).hex()
    token = base64.urlsafe_b64encode(hkdf(link, b"thaw/v1/auth", 32)).decode().rstrip("=")
    request = urllib.request.Request(
        f"{base_url}/api/v1/vaults/{vault_id}{path}",
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            raw = reply.read()
            return reply.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def envelopes(path: Path) -> list[dict]:
    """What the server holds for a vault: its file, with the pushes in its log."""
    return list(read_vault(AtomicJSONStorage(path))[0]["envelopes"].values())


def setting(page: Page, key: str):
    return page.evaluate(
        """async (key) => {
          const db = await import(document.querySelector('meta[name=thaw-static]').content + '/js/db.js');
          const conn = await db.openDb();
          const value = await db.getSetting(conn, key, null);
          conn.close();
          return value;
        }""",
        key,
    )


def join_dialog(page: Page):
    dialog = page.get_by_role("dialog", name="Join this pairing?")
    expect(dialog).to_be_visible()
    return dialog


def test_joining_asks_first_and_dont_join_changes_nothing(devices, base_url, server):
    _, a = devices()
    ctx_b, b = devices()
    open_app(b, base_url)
    for core, word in [("Sad", "lonely"), ("Scared", "anxious"), ("Angry", "annoyed")]:
        check_in(b, core, word)
    before = stored(b)
    outbox_before = b.evaluate(OUTBOX_SIZE)
    link = start_syncing(a, base_url)
    a_code = a.locator(".pair-panel .verify-code").inner_text()
    assert a_code == code_for(link), "the code is HKDF(key, 'thaw/v1/verify') as six digits"
    vault = vault_file(server, link)
    on_server = envelopes(vault)
    b_api: list[str] = []
    ctx_b.on("request", lambda r: b_api.append(r.url) if "/api/" in r.url else None)

    b.goto(link)
    dialog = join_dialog(b)
    assert "pair=" not in b.url, "the key leaves the address bar at once"
    expect(dialog).to_contain_text(
        "Everything you check in on this device will be shared with the devices that have this "
        "link. Only join a link you made yourself, on your own device."
    )
    expect(dialog).to_contain_text("The 3 check-ins on this device will be shared too.")
    expect(dialog.locator(".verify-code")).to_have_text(a_code)
    expect(dialog.get_by_role("button", name="Don’t join")).to_be_focused()
    assert b_api == [], "nothing is sent before Join"
    assert envelopes(vault) == on_server, "the server holds nothing from B"
    assert setting(b, "pairing") is None and b.evaluate(OUTBOX_SIZE) == outbox_before, (
        "nothing stored or queued"
    )

    dialog.get_by_role("button", name="Don’t join").tap()
    expect(dialog).to_be_hidden()
    expect(b.get_by_role("button", name="Start syncing")).to_be_visible()
    assert setting(b, "pairing") is None, "the key is not kept"
    assert stored(b) == before, "entries untouched"
    assert b_api == [] and envelopes(vault) == on_server
    b.reload()
    expect(b.locator("body")).to_have_attribute("data-ready", "settings")
    expect(b.get_by_role("dialog")).to_have_count(0)  # a reload does not ask again

    b.goto(link)
    join_dialog(b).get_by_role("button", name="Join", exact=True).tap()
    expect(b.locator(".sync-status")).to_have_text("Up to date.")
    sync_now(a)
    go(a, "History")
    expect(history_cards(a)).to_have_count(3)


def test_escape_on_the_join_screen_is_dont_join(devices, base_url):
    _, a = devices()
    _, b = devices()
    link = start_syncing(a, base_url)
    open_app(b, base_url)
    check_in(b, "Calm", "peaceful")
    b.goto(link)
    join_dialog(b)
    b.keyboard.press("Escape")
    expect(b.get_by_role("dialog")).to_have_count(0)
    expect(b.get_by_role("button", name="Start syncing")).to_be_visible()
    assert setting(b, "pairing") is None


def test_an_already_paired_device_asks_before_switching(devices, base_url):
    _, a = devices()
    _, b = devices()
    first = start_syncing(a, base_url)
    second = start_syncing(b, base_url)
    a.goto(second)
    dialog = join_dialog(a)
    expect(dialog).to_contain_text("This device will stop syncing with its current pairing.")
    expect(dialog.locator(".verify-code")).to_have_text(code_for(second))
    dialog.get_by_role("button", name="Don’t join").tap()
    assert setting(a, "pairing")["key"] == first.split("#pair=")[1]


def device_rows(page: Page):
    return page.locator(".device-list .device")


def rename(page: Page, row, name: str) -> None:
    row.get_by_role("button", name=re.compile("^Rename")).tap()
    form = page.locator(".device-rename")
    form.get_by_role("textbox").fill(name)
    form.get_by_role("button", name="Save name").tap()
    expect(page.locator(".device-rename")).to_have_count(0)


def test_devices_list_names_and_renames_sync_both_ways(devices, base_url, server):
    _, a = devices()
    _, b = devices()
    link = start_syncing(a, base_url)
    from .test_sync import join

    join(b, link)
    sync_now(a)
    expect(device_rows(a)).to_have_count(2)
    expect(device_rows(a).filter(has_text="this device")).to_have_count(1)
    expect(device_rows(a).first).to_contain_text(
        re.compile(r"Phone · this device\s*Joined .+ · last synced")
    )
    rename(a, device_rows(a).filter(has_not_text="this device"), "Laptop")
    rename(a, device_rows(a).filter(has_text="this device"), "Phone")
    sync_now(a)
    sync_now(b)
    expect(device_rows(b).filter(has_text="this device")).to_contain_text("Laptop")
    rename(b, device_rows(b).filter(has_text="Phone"), "Old phone")
    sync_now(b)
    sync_now(a)
    expect(device_rows(a).filter(has_text="this device")).to_contain_text("Old phone")
    expect(device_rows(a).filter(has_not_text="this device")).to_contain_text("Laptop")
    # The records are never check-ins: not in History, not in an export.
    go(a, "History")
    expect(history_cards(a)).to_have_count(0)
    assert live(a) == [] and live(b) == []
    assert len(envelopes(vault_file(server, link))) == 2, "one padded envelope per device"


def test_start_over_with_a_new_key(devices, base_url, server):
    _, a = devices()
    _, b = devices()
    _, c = devices()
    open_app(a, base_url)
    check_in(a, "Happy", "grateful")
    old = start_syncing(a, base_url)
    from .test_sync import join

    join(b, old)
    go(a, "Settings")
    a.get_by_role("button", name="Start over with a new key").tap()
    a.get_by_role("dialog").get_by_role("button", name="Start over").tap()
    expect(a.get_by_text("Done. Open the new link on each of your devices.")).to_be_visible()
    new = a.get_by_role("textbox", name="Pairing link", exact=True).input_value()
    assert new != old
    expect(a.locator(".pair-panel .verify-code")).to_have_text(code_for(new))
    expect(a.locator(".sync-status")).to_have_text("Up to date.")

    status, reply = api(base_url, old, "POST", "/sync", {"cursor": 0, "changes": []})
    assert status == 410, reply
    assert reply["error"]["details"]["notice"] == notice_for(old), "a notice made with the old key"
    assert len(envelopes(vault_file(server, new))) == 2, "the check-in and A's device record"

    go(b, "Settings")
    b.get_by_role("button", name="Sync now").tap()
    expect(b.locator(".sync-status")).to_have_text(re.compile("pairing was deleted"))
    expect(b.get_by_role("button", name="Start syncing")).to_be_visible()
    assert len(live(b)) == 1, "B keeps its entries"

    go(a, "Check in")
    check_in(a, "Calm", "rested")
    eventually(lambda: a.evaluate(OUTBOX_SIZE) == 0)
    join(b, new)
    go(b, "History")
    expect(history_cards(b)).to_have_count(2)

    c.goto(old)  # a third device holding only the old link
    join_dialog(c).get_by_role("button", name="Join", exact=True).tap()
    expect(c.get_by_role("alert")).to_contain_text("This pairing link no longer works")
    expect(c.get_by_role("button", name="Start syncing")).to_be_visible()
    assert live(c) == [] and setting(c, "pairing") is None


def forged(page: Page, link: str, hlc: str, note: str) -> dict:
    """An envelope sealed with the real vault key, as any device holding the link could."""
    return page.evaluate(
        """async ([link, hlc, note]) => {
          const v = await import(document.querySelector('meta[name=thaw-static]').content + '/js/vault.js');
          const vault = await v.deriveVault(v.keyFromLink(link));
          return v.seal(vault.encKey, {
            id: crypto.randomUUID(), at: '2026-11-20T10:00:00.000+00:00', feeling: { core: 'happy' },
            intensity: null, body: [], tags: [], note, hlc, deleted: false,
          });
        }""",
        [link, hlc, note],
    )


def assert_healthy_after_reload(page: Page, base_url: str) -> None:
    """The journal opens, the clock is well formed, a new check-in saves and syncs."""
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-ready", re.compile("."))
    clock = setting(page, "clock")
    assert clock is None or re.fullmatch(r"\d{13}-[0-9a-f]{4}-[0-9a-f]{16}", clock), clock
    go(page, "Check in")
    check_in(page, "Calm", "safe")
    eventually(lambda: page.evaluate(OUTBOX_SIZE) == 0)
    go(page, "History")
    expect(history_cards(page).filter(has_text="from the future")).to_have_count(0)
    expect(history_cards(page).filter(has_text="Calm · safe")).to_have_count(1)


def test_a_far_future_clock_is_refused_and_set_aside(devices, own_server):
    server, restart = own_server
    base_url = server.url
    _, a = devices()
    _, b = devices()
    link = start_syncing(a, base_url)
    from .test_sync import join

    join(b, link)
    envelope = forged(a, link, FAR_FUTURE, "written from the future")
    status, reply = api(base_url, link, "POST", "/sync", {"cursor": 0, "changes": [envelope]})
    assert status == 400, reply

    vault = vault_file(server, link)

    def smuggle() -> None:  # into the vault as the server left it: its file and its log
        data = read_vault(AtomicJSONStorage(vault))[0]
        meta = next(iter(data["meta"].values()))
        meta["last_seq"] += 1
        data["envelopes"][str(meta["last_seq"])] = envelope
        vault.write_text(json.dumps(data))
        vault.with_suffix(".log").unlink(missing_ok=True)

    restart(smuggle)
    go(b, "Settings")
    b.get_by_role("button", name="Sync now").tap()
    expect(
        b.get_by_text(
            "1 change from another device was ignored because its time was far in the future."
        )
    ).to_be_visible()
    expect(b.locator(".sync-status")).to_have_text("Up to date.")
    assert_healthy_after_reload(b, base_url)
    sync_now(a)
    go(a, "History")
    expect(history_cards(a).filter(has_text="Calm · safe")).to_have_count(1)


def test_a_poisoned_clock_from_an_older_thaw_is_repaired(devices, base_url):
    _, a = devices()
    open_app(a, base_url)
    check_in(a, "Sad", "weary")
    a.evaluate(
        """async () => {
          const db = await import(document.querySelector('meta[name=thaw-static]').content + '/js/db.js');
          const conn = await db.openDb();
          await db.write(conn, { settings: { clock: '10000000000000-0000-fc1f672d6d3cdbe8' } });
          conn.close();
        }"""
    )
    start_syncing(a, base_url)
    assert_healthy_after_reload(a, base_url)


def test_an_import_file_with_a_far_future_clock(devices, base_url):
    _, a = devices()
    link = start_syncing(a, base_url)
    assert link
    rows = [
        {
            "id": "6f9619ff-8b86-4011-b42d-00c04fc964ff",
            "at": "2026-11-20T10:00:00.000+00:00",
            "feeling": {"core": "happy"},
            "intensity": None,
            "body": [],
            "tags": [],
            "note": "from the future",
            "hlc": FAR_FUTURE,
            "deleted": False,
        },
        {
            "id": "7f9619ff-8b86-4011-b42d-00c04fc964ff",
            "at": "2026-11-19T10:00:00.000+00:00",
            "feeling": {"core": "sad", "word": "lonely"},
            "intensity": None,
            "body": [],
            "tags": [],
            "note": "an ordinary day",
            "hlc": "1763546400000-0000-0123456789abcdef",
            "deleted": False,
        },
    ]
    export = {"format": "thaw-export", "version": 1, "entries": rows}
    go(a, "Settings")
    a.locator("#import-file").set_input_files(
        files=[
            {
                "name": "thaw.json",
                "mimeType": "application/json",
                "buffer": json.dumps(export).encode(),
            }
        ]
    )
    expect(
        a.get_by_text("1 check-in in the file was ignored because its time was far in the future.")
    ).to_be_visible()
    assert [e["note"] for e in live(a)] == ["an ordinary day"]
    assert_healthy_after_reload(a, base_url)


def test_a_404_never_unpairs_but_a_real_delete_does(devices, own_server):
    server, restart = own_server
    base_url = server.url
    _, a = devices()
    _, b = devices()
    open_app(a, base_url)
    check_in(a, "Loving", "warm")
    link = start_syncing(a, base_url)
    from .test_sync import join

    join(b, link)
    restart(vault_file(server, link).unlink)  # the vault file removed by hand
    go(b, "Settings")
    b.get_by_role("button", name="Sync now").tap()
    expect(b.locator(".sync-status")).to_have_text(
        re.compile("Can’t reach your pairing right now; your entries here are safe")
    )
    expect(b.get_by_text("This device is paired")).to_be_visible()
    assert setting(b, "pairing")["key"] == link.split("#pair=")[1], "the key stays"

    go(a, "Settings")
    a.get_by_role("button", name="Delete synced copy from the server").tap()
    a.get_by_role("dialog").get_by_role("button", name="Delete synced copy").tap()
    expect(a.get_by_role("button", name="Start syncing")).to_be_visible()
    b.get_by_role("button", name="Sync now").tap()
    expect(b.locator(".sync-status")).to_have_text(re.compile("pairing was deleted"))
    expect(b.get_by_role("button", name="Start syncing")).to_be_visible()
    assert len(live(b)) == 1, "entries stay"


def test_envelopes_are_padded_so_note_lengths_do_not_show(devices, base_url, server):
    _, a = devices()
    open_app(a, base_url)
    for n in (0, 100, 200, 250):
        a.get_by_role("radio", name="Calm", exact=True).tap()
        open_row(a, "Note")
        a.get_by_role("textbox", name="Note · optional").fill("n" * n)
        a.get_by_role("button", name="Save", exact=True).tap()
        expect(a.get_by_role("status").filter(has_text="Thank you for noticing")).to_be_visible()
        go(a, "History")
        go(a, "Check in")
    link = start_syncing(a, base_url)
    sizes = {len(base64.b64decode(e["data"])) for e in envelopes(vault_file(server, link))}
    assert sizes == {512 + 16}, sizes


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_join_screen_and_devices_list_are_accessible_and_keyboard_usable(devices, base_url, scheme):
    from axe_playwright_python.sync_playwright import Axe

    _, a = devices()
    _, b = devices()
    b.emulate_media(color_scheme=scheme)
    link = start_syncing(a, base_url)
    b.goto(link)
    dialog = join_dialog(b)
    results = [Axe().run(b)]
    for button in dialog.get_by_role("button").all():
        box = button.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, box
    b.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="Join", exact=True)).to_be_focused()
    b.keyboard.press("Enter")
    expect(b.locator(".sync-status")).to_have_text("Up to date.", timeout=30_000)
    expect(device_rows(b)).to_have_count(2)
    device_rows(b).first.get_by_role("button", name=re.compile("^Rename")).focus()
    b.keyboard.press("Enter")
    expect(b.locator(".device-rename").get_by_role("textbox")).to_be_focused()
    results.append(Axe().run(b))
    b.keyboard.type("Work laptop")
    b.keyboard.press("Enter")
    expect(device_rows(b).first).to_contain_text("Work laptop")
    serious = [
        (v["id"], [n["target"] for n in v["nodes"]][:3])
        for result in results
        for v in result.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert serious == []
