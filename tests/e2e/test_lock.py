"""The app lock (issue 11): a passcode or the device's own unlock, the journal encrypted at rest,
check-ins still possible while locked, auto-lock, wrong tries, change, turn off, erase."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from .app import (
    check_in,
    choose,
    go,
    history_cards,
    open_app,
    open_row,
    serious_problems,
    small_targets,
)
from .test_import import daylio_csv, import_all, summary_line
from .test_sync import eventually, join, start_syncing, sync_now

PASSCODE = "246810"

RAW_DUMP = """async () => {
  // Every store, every record, exactly as IndexedDB holds it (not through Thaw's own code).
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open('thaw');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const out = {};
  for (const name of db.objectStoreNames) {
    const store = db.transaction(name).objectStore(name);
    const [keys, values] = await Promise.all([store.getAllKeys(), store.getAll()].map((r) => new Promise((resolve) => { r.onsuccess = () => resolve(r.result); })));
    out[name] = keys.map((key, i) => [key, values[i]]);
  }
  db.close();
  return JSON.stringify(out);
}"""

FEELING_WORDS = """async () => {
  const { CORES } = await import(document.querySelector('meta[name=thaw-static]').content + '/js/feelings.js');
  return CORES.flatMap((c) => [c.id, c.label, ...c.words.map(([w]) => w)]);
}"""


def lock_screen(page: Page):
    return page.get_by_role("heading", name="Thaw is locked")


def turn_lock_on(page: Page, passcode: str = PASSCODE, auto_lock: str | None = None) -> None:
    go(page, "Settings")
    page.get_by_label("Choose a passcode").fill(passcode)
    page.get_by_label("Type it again").fill(passcode)
    if auto_lock:
        page.get_by_label("Lock when Thaw has been in the background").select_option(
            label=auto_lock
        )
    page.get_by_role("button", name="Turn on lock").tap()
    expect(
        page.get_by_role("status").filter(has_text="Your journal is encrypted on this device")
    ).to_be_visible(timeout=60_000)
    expect(page.get_by_role("button", name="Lock now")).to_have_count(2)  # app bar and Settings


def reload_locked(page: Page) -> None:
    page.reload()
    expect(lock_screen(page)).to_be_visible()
    expect(page.locator("body")).to_have_attribute("data-ready", "lock")


def unlock(page: Page, passcode: str = PASSCODE) -> None:
    page.get_by_label("Passcode", exact=True).fill(passcode)
    page.get_by_role("button", name="Unlock", exact=True).tap()
    expect(lock_screen(page)).to_be_hidden(timeout=20_000)


def check_in_with_note(page: Page, core: str, word: str, note: str) -> None:
    choose(page, core)
    choose(page, word)
    open_row(page, "Note")
    page.get_by_label("Note").fill(note)
    page.get_by_role("button", name="Save", exact=True).tap()
    expect(page.get_by_role("status").filter(has_text="Thank you for noticing")).to_be_visible()


def raw(page: Page) -> str:
    return page.evaluate(RAW_DUMP)


def assert_nothing_readable(page: Page, secrets: list[str]) -> None:
    dump = raw(page)
    for secret in secrets:
        assert secret not in dump, f"{secret!r} is readable in IndexedDB"
    for word in page.evaluate(FEELING_WORDS):
        # Short words could turn up inside base64 by chance; as a JSON value they would be quoted.
        needle = word if len(word) >= 5 else json.dumps(word)
        assert needle not in dump, f"the feeling word {word!r} is readable in IndexedDB"


def test_lock_encrypts_everything_and_unlocks(page: Page, base_url: str) -> None:
    open_app(page, base_url)
    check_in_with_note(page, "Sad", "lonely", "my secret note")
    check_in(page, "Scared", "anxious")
    link = start_syncing(page, base_url)
    key = link.split("#pair=")[1]
    assert key in raw(page), "before the lock, the key is stored in the clear (what the lock fixes)"
    turn_lock_on(page)
    reload_locked(page)
    # The lock screen shows nothing of the journal, and no tab leads to it.
    expect(page.get_by_role("navigation", name="Sections")).to_be_hidden()
    assert "lonely" not in page.locator("main").inner_text()
    assert_nothing_readable(page, ["my secret note", "lonely", key])
    # Every other view is the lock screen while locked.
    for route in ("#history", "#patterns", "#settings", "#summary"):
        page.goto(f"{base_url}/{route}")
        expect(lock_screen(page)).to_be_visible()
        expect(page.get_by_role("textbox", name="Pairing link", exact=True)).to_have_count(0)
    unlock(page)
    go(page, "History")
    expect(history_cards(page)).to_have_count(2)
    expect(history_cards(page).first).to_contain_text("anxious")
    expect(page.locator("#history-root")).to_contain_text("my secret note")
    # Still encrypted at rest while unlocked; the pairing link shows again once unlocked.
    assert_nothing_readable(page, ["my secret note", "lonely", key])
    go(page, "Settings")
    page.get_by_role("button", name="Show pairing link").tap()
    expect(page.get_by_role("textbox", name="Pairing link", exact=True)).to_have_value(link)


def test_import_with_the_lock_on_is_sealed_and_lands_once(
    page: Page, base_url: str, tmp_path
) -> None:
    # More rows than db.js seals or puts in one task, half of them first: what is already stored
    # is neither sealed again nor written twice, and nothing imported is readable at rest.
    open_app(page, base_url)
    turn_lock_on(page)
    total = 300
    secret = "a secret from Daylio"
    half = daylio_csv(tmp_path / "half.csv", list(range(0, total, 2)), note=secret)
    whole = daylio_csv(tmp_path / "all.csv", list(range(total)), note=secret)
    import_all(page, half)
    expect(summary_line(page)).to_have_text("From Daylio: Imported 150, already had 0.")
    import_all(page, whole)
    expect(summary_line(page)).to_have_text("From Daylio: Imported 150, already had 150.")
    import_all(page, whole)
    expect(summary_line(page)).to_have_text("From Daylio: Imported 0, already had 300.")
    records = json.loads(raw(page))["entries"]
    assert len(records) == total
    assert all("entry" not in record and record["data"] for _, record in records)
    assert_nothing_readable(page, [secret, "friends"])
    reload_locked(page)
    unlock(page)
    go(page, "History")
    expect(history_cards(page).first).to_contain_text(f"{secret} 0")


def test_wrong_passcode_waits_and_the_wait_survives_a_reload(page: Page, base_url: str) -> None:
    open_app(page, base_url)
    check_in(page, "Calm", "peaceful")
    turn_lock_on(page)
    reload_locked(page)
    page.get_by_label("Passcode", exact=True).fill("135791")
    page.get_by_role("button", name="Unlock", exact=True).tap()
    expect(page.get_by_role("alert")).to_have_text(
        "That passcode is not the one set for Thaw. Try again."
    )
    for _ in range(4):
        page.get_by_label("Passcode", exact=True).fill("135791")
        page.get_by_role("button", name="Unlock", exact=True).tap()
        expect(page.get_by_role("alert")).not_to_have_text("Unlocking…")
    expect(page.get_by_role("alert")).to_contain_text("Too many tries. You can try again in")
    expect(page.get_by_role("button", name="Unlock", exact=True)).to_be_disabled()
    reload_locked(page)
    expect(page.get_by_role("alert")).to_contain_text("Too many tries. You can try again in")
    expect(page.get_by_role("button", name="Unlock", exact=True)).to_be_disabled()
    # Nothing was erased: the wait ends (the clock moved on 31 s) and the right passcode opens it.
    page.evaluate("() => { const real = Date.now; Date.now = () => real() + 31_000; }")
    expect(page.get_by_role("button", name="Unlock", exact=True)).to_be_enabled(timeout=5_000)
    unlock(page)
    go(page, "History")
    expect(history_cards(page)).to_have_count(1)


def test_check_in_while_locked_joins_after_unlock_and_syncs(devices, base_url: str) -> None:
    _, a = devices()
    _, b = devices()
    open_app(a, base_url)
    link = start_syncing(a, base_url)
    join(b, link)
    open_app(a, base_url)
    turn_lock_on(a)
    reload_locked(a)
    # Numb in 2 taps, a precise word in 3, from "Check in anyway".
    a.get_by_role("link", name="Check in anyway").tap()
    expect(a.get_by_text("Thaw is locked. What you save here is sealed")).to_be_visible()
    choose(a, "Numb / can’t tell")
    a.get_by_role("button", name="Save", exact=True).tap()
    expect(a.get_by_role("status").filter(has_text="Saved and sealed")).to_be_visible()
    # The moment after Save does not say "sealed": that toast stays drawn, not only read out.
    expect(a.locator(".moment")).to_be_visible()
    expect(a.locator("#toast")).to_contain_text("It joins your journal when you unlock")
    expect(a.locator("#toast")).not_to_have_css("clip", "rect(0px, 0px, 0px, 0px)")
    check_in_with_note(a, "Sad", "lonely", "written while locked")
    # Support stays reachable while locked (it holds nothing of the journal).
    a.goto(f"{base_url}/#support")
    expect(a.get_by_role("heading", name="Need support now?")).to_be_visible()
    # Not visible while locked, nor readable on disk.
    a.goto(f"{base_url}/#history")
    expect(lock_screen(a)).to_be_visible()
    assert_nothing_readable(a, ["written while locked", "lonely"])
    assert len(json.loads(raw(a))["inbox"]) == 2
    unlock(a)
    go(a, "History")
    expect(history_cards(a)).to_have_count(2)
    expect(history_cards(a).first).to_contain_text("lonely")
    assert json.loads(raw(a))["inbox"] == []
    # …and on the paired device after a sync.
    sync_now(a)
    sync_now(b)
    go(b, "History")
    expect(history_cards(b)).to_have_count(2)
    expect(b.locator("#history-root")).to_contain_text("written while locked")


HIDE = """(shift) => {
  const real = Date.now;
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
  document.dispatchEvent(new Event('visibilitychange'));
  Date.now = () => real() + shift;
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
  document.dispatchEvent(new Event('visibilitychange'));
}"""


def test_auto_lock_after_the_chosen_time_in_the_background(page: Page, base_url: str) -> None:
    open_app(page, base_url)
    check_in(page, "Calm", "peaceful")
    turn_lock_on(page, auto_lock="After 1 minute")
    page.evaluate(HIDE, 20_000)  # 20 s away: still open
    expect(page.get_by_role("heading", name="Lock Thaw")).to_be_visible()
    assert page.locator("body").get_attribute("data-locked") is None
    page.evaluate(HIDE, 61_000)  # a minute and more: locked
    expect(lock_screen(page)).to_be_visible()
    unlock(page)
    # Lock now in the app bar locks at once.
    page.locator("#lock-now").tap()
    expect(lock_screen(page)).to_be_visible()


def test_change_passcode_turn_off_and_erase(page: Page, base_url: str) -> None:
    open_app(page, base_url)
    check_in_with_note(page, "Sad", "lonely", "my secret note")
    turn_lock_on(page)
    go(page, "Settings")
    page.locator("summary", has_text="Change passcode").tap()
    page.get_by_label("Current passcode").first.fill(PASSCODE)
    page.get_by_label("New passcode").fill("correct horse")
    page.get_by_label("Type the new one again").fill("correct horse")
    page.get_by_role("button", name="Change passcode").tap()
    expect(page.get_by_role("status").filter(has_text="Passcode changed.")).to_be_visible()
    reload_locked(page)
    page.get_by_label("Passcode", exact=True).fill(PASSCODE)
    page.get_by_role("button", name="Unlock", exact=True).tap()
    expect(page.get_by_role("alert")).to_contain_text("not the one set for Thaw")
    unlock(page, "correct horse")
    # Turn off: asks the passcode again, then everything is stored in the clear as before.
    go(page, "Settings")
    page.locator("summary", has_text="Turn lock off").tap()
    page.locator("#lock-off-current").fill("correct horse")
    page.get_by_role("button", name="Turn lock off").tap()
    expect(page.get_by_role("status").filter(has_text="The lock is off")).to_be_visible(
        timeout=30_000
    )
    assert "my secret note" in raw(page)
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-ready", "settings")
    go(page, "History")
    expect(history_cards(page)).to_have_count(1)
    # Forgotten passcode: erase this device (asked twice) and start over.
    turn_lock_on(page)
    reload_locked(page)
    page.get_by_text("Forgot your passcode?").tap()
    page.get_by_role("button", name="Erase Thaw on this device and start over").tap()
    page.get_by_role("dialog").get_by_role("button", name="Erase", exact=True).tap()
    page.get_by_role("dialog").get_by_role("button", name="Yes, erase everything").tap()
    expect(page.get_by_role("navigation", name="Sections")).to_be_visible()
    expect(page.locator("body")).to_have_attribute("data-ready", "checkin")
    assert "my secret note" not in raw(page)
    go(page, "History")
    expect(history_cards(page)).to_have_count(0)


@pytest.fixture
def authenticator(page: Page):
    """A Chromium virtual authenticator with user verification and PRF (the device's own unlock)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable", {"enableUI": False})
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "ctap2Version": "ctap2_1",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "hasPrf": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp


def test_unlock_with_the_device_screen_lock(page: Page, base_url: str, authenticator) -> None:
    # A WebAuthn relying party is a domain name, so this test uses localhost rather than 127.0.0.1.
    open_app(page, base_url.replace("127.0.0.1", "localhost"))
    check_in_with_note(page, "Sad", "lonely", "my secret note")
    turn_lock_on(page)
    page.get_by_role("button", name="Also unlock with this device’s screen lock").tap()
    expect(
        page.get_by_role("status").filter(has_text="screen lock now unlocks Thaw")
    ).to_be_visible(timeout=20_000)
    reload_locked(page)
    page.get_by_role("button", name="Unlock with this device’s screen lock").tap()
    expect(lock_screen(page)).to_be_hidden(timeout=20_000)
    go(page, "History")
    expect(page.locator("#history-root")).to_contain_text("my secret note")


SEED_MANY = """async (count) => {
  const base = document.querySelector('meta[name=thaw-static]').content;
  const db = await import(base + '/js/db.js');
  const { createEntry } = await import(base + '/js/entry.js');
  const conn = await db.openDb();
  const entries = [];
  for (let i = 0; i < count; i++) {
    const at = new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString();
    entries.push(createEntry({ feeling: { core: 'sad', word: 'lonely' }, intensity: 2, body: [], tags: [], note: `secret ${i}` },
      { hlc: `${String(Date.UTC(2026, 0, 1) + i).padStart(13, '0')}-0000-0123456789abcdef`, at }));
  }
  await db.write(conn, { entries });
  conn.close();
}"""


def test_a_crash_while_turning_the_lock_on_loses_nothing(page: Page, base_url: str) -> None:
    open_app(page, base_url)
    page.evaluate(SEED_MANY, 3000)
    page.reload()
    go(page, "Settings")
    page.get_by_label("Choose a passcode").fill(PASSCODE)
    page.get_by_label("Type it again").fill(PASSCODE)
    page.get_by_role("button", name="Turn on lock").tap()
    expect(page.get_by_role("status").filter(has_text="Working on your check-ins…")).to_be_visible(
        timeout=30_000
    )
    page.reload()  # the tab dies mid-way: some records sealed, some not
    expect(lock_screen(page)).to_be_visible()
    dump = json.loads(raw(page))
    sealed = sum(1 for _, r in dump["entries"] if "entry" not in r)
    assert 0 < sealed < 3000, sealed
    unlock(page)  # the next unlock finishes the job

    def all_sealed() -> bool:
        records = json.loads(raw(page))["entries"]
        return len(records) == 3000 and all("entry" not in r for _, r in records)

    eventually(all_sealed, timeout=60)
    go(page, "History")
    expect(history_cards(page).first).to_contain_text("secret 2999")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_lock_screens_are_accessible(browser, watch, base_url: str, scheme: str) -> None:
    """axe finds nothing serious on Settings → Lock Thaw and the lock screen; 320 px: no sideways
    scroll, every control at least 44 px; the lock screen works with the keyboard alone."""
    from axe_playwright_python.sync_playwright import Axe

    from .conftest import new_phone

    context = new_phone(browser, watch, viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.emulate_media(color_scheme=scheme)
    open_app(page, base_url, "#settings")
    axe = Axe()
    results = {"lock settings (off)": axe.run(page)}
    turn_lock_on(page)
    page.locator("summary", has_text="Change passcode").tap()
    results["lock settings (on)"] = axe.run(page)
    reload_locked(page)
    page.get_by_text("Forgot your passcode?").tap()
    results["lock screen"] = axe.run(page)
    assert serious_problems(results) == {name: [] for name in results}
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert (
        small_targets(page, "#view-lock button, #view-lock input, #view-lock a, #view-lock summary")
        == []
    )
    # Keyboard only: the passcode field has focus; typing and Enter unlock.
    page.reload()
    expect(page.get_by_label("Passcode", exact=True)).to_be_focused()
    page.keyboard.type(PASSCODE)
    page.keyboard.press("Enter")
    expect(lock_screen(page)).to_be_hidden(timeout=20_000)
    context.close()
