"""Thaw's core journeys in WebKit (Safari's engine, here Debian's WebKitGTK) at a phone's size."""

from __future__ import annotations

import time

import pytest

from tests.e2e.conftest import start_server, stop_server

from .ui import (
    By,
    check_in,
    choose,
    controlled,
    fill,
    go,
    gone,
    history,
    history_cards,
    label,
    open_app,
    ready,
    save,
    stored,
    tap,
    visible,
    wait,
)

pytestmark = pytest.mark.webkit

PASSCODE = "246810"
LOCKED = By("heading", "Thaw is locked")


def test_a_three_tap_and_a_two_tap_check_in_show_in_history(wk, base_url):
    open_app(wk, base_url)
    wk.execute_script("window.sameDocument = true")
    check_in(wk, "Sad", "lonely")  # core → word → Save, while the worker installs
    choose(wk, "Numb / can’t tell")  # Numb → Save
    save(wk)
    go(wk, "History")
    cards = history(wk, 2)
    assert "Numb" in cards[0] and "lonely" in cards[1], cards
    feelings = sorted(e["feeling"].get("word", e["feeling"]["core"]) for e in stored(wk))
    assert feelings == ["lonely", "numb"]
    # WebKit can tell the page of its first worker's 'installed' after that worker has claimed
    # it (a tap during the install is enough); the app once took that for an update, showed "A
    # new version is ready" and reloaded when the worker took over, losing the check-in begun.
    assert controlled(wk)
    assert wk.execute_script("return window.sameDocument === true"), "the page reloaded itself"
    assert not wk.find_element("id", "update-banner").is_displayed()
    assert wk.execute_script("return [innerWidth, innerHeight]") == [390, 844], "a phone's size"


CACHED = """const done = arguments[arguments.length - 1];
caches.keys().then(async (names) => {
  let count = 0;
  for (const name of names) count += (await (await caches.open(name)).keys()).length;
  done(count);
});"""


def test_the_worker_serves_the_shell_and_the_check_in_with_the_server_stopped(wk, tmp_path):
    own = start_server(tmp_path / "data")
    try:
        open_app(wk, own.url)
        check_in(wk, "Calm", "rested")
        wait(lambda: controlled(wk), message="the service worker to control the page")
        # Every screen's modules are precached once the first screen is shown.
        wait(lambda: wk.execute_async_script(CACHED) > 10, message="the worker's cache to fill")
    finally:
        stop_server(own)
    wk.refresh()
    ready(wk, "checkin")
    visible(wk, By("heading", "Thaw"))
    visible(wk, By("navigation", "Sections"))
    go(wk, "History")  # a screen not opened before, from the worker's cache
    assert "rested" in history(wk, 1)[0]


def test_the_app_lock_sets_locks_refuses_and_unlocks(wk, base_url, record_property):
    open_app(wk, base_url)
    check_in(wk, "Sad", "lonely")
    go(wk, "Settings")
    # No Push API in WebKitGTK: Settings → Reminders says so plainly instead of failing.
    no_push = "This browser cannot show reminders from a web app."
    wait(lambda: no_push in wk.find_element("id", "settings-root").text, message=no_push)
    visible(wk, By("heading", "Lock Thaw"))
    fill(wk, label("Choose a passcode"), PASSCODE)
    fill(wk, label("Type it again"), PASSCODE)
    started = time.monotonic()
    tap(wk, By("button", "Turn on lock"))
    encrypted = By("status", has_text="Your journal is encrypted on this device", exact=False)
    visible(wk, encrypted, timeout=60)
    turn_on_s = time.monotonic() - started
    # WebKit has no WebAuthn here (no PublicKeyCredential): only the passcode is offered, quietly.
    assert not By("button", "Also unlock with this device’s screen lock").all(wk)

    wk.refresh()
    visible(wk, LOCKED)
    ready(wk, "lock")
    assert not history_cards(wk)
    fill(wk, label("Passcode", exact=True), "135791")
    tap(wk, By("button", "Unlock"))
    alert = visible(wk, By("alert", has_text="That passcode", exact=False))
    assert alert == "That passcode is not the one set for Thaw. Try again."

    fill(wk, label("Passcode", exact=True), PASSCODE)
    started = time.monotonic()
    tap(wk, By("button", "Unlock"))
    gone(wk, LOCKED)
    unlock_s = time.monotonic() - started  # PBKDF2-SHA-256, 600,000 rounds, in WebKit's WebCrypto
    record_property("turn_on_lock_s", round(turn_on_s, 2))
    record_property("unlock_s", round(unlock_s, 2))
    print(f"WebKit: turning the lock on took {turn_on_s:.2f} s, unlocking {unlock_s:.2f} s")
    go(wk, "History")
    assert "lonely" in history(wk, 1)[0]
