"""Thaw's core journeys in WebKit (Safari's engine, here Debian's WebKitGTK) at a phone's size."""

from __future__ import annotations

import time

import pytest

from tests.e2e.app import make_entry
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
    local_today,
    open_app,
    ready,
    save,
    scroll_to,
    seed,
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
    # The first screen's CSS is inside the page, allowed by its hash: WebKit applies it.
    styled = "return getComputedStyle(document.querySelector('.tab-bar')).position"
    assert wk.execute_script(styled) == "fixed"
    go(wk, "History")  # a screen not opened before, from the worker's cache
    assert "rested" in history(wk, 1)[0]


SELECTED = """const field = document.activeElement;
const named = field.labels?.[0]?.textContent.trim() === 'Passcode';
return [named, field.selectionStart, field.selectionEnd];"""


def test_the_app_lock_sets_locks_refuses_and_unlocks(wk, base_url, record_property):
    open_app(wk, base_url)
    check_in(wk, "Sad", "lonely")
    go(wk, "Settings")  # (Reminders, which WebKitGTK cannot show: test_reminders.py)
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
    tap(wk, By("button", "Unlock"))  # nothing typed yet
    first_ask = visible(wk, By("alert", has_text="Type your", exact=False))
    assert first_ask == "Type your passcode first."
    fill(wk, label("Passcode", exact=True), "135791")
    tap(wk, By("button", "Unlock"))
    alert = visible(wk, By("alert", has_text="That passcode", exact=False))
    assert alert == "That passcode is not the one set for Thaw. Try again."
    # Still locked, nothing of the journal shown, and the wrong passcode is selected in its
    # field, so what is typed next replaces it.
    visible(wk, LOCKED)
    assert not history_cards(wk) and "lonely" not in wk.find_element("tag name", "body").text
    wait(lambda: wk.execute_script(SELECTED) == [True, 0, 6], message="the passcode selected")

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


def test_history_edits_a_word_deletes_a_check_in_and_undo_brings_it_back(wk, base_url):
    open_app(wk, base_url)
    check_in(wk, "Sad", "lonely")
    check_in(wk, "Calm", "rested")
    before = {e["feeling"].get("word"): e for e in stored(wk)}
    go(wk, "History")
    history(wk, 2)

    tap(wk, By("link", "Sad · lonely", exact=False))  # a row opens its check-in for editing
    visible(wk, By("heading", "Edit check-in"))
    choose(wk, "weary")
    tap(wk, By("button", "Save changes"))
    ready(wk, "history")
    cards = history(wk, 2, "weary")
    assert "Sad · weary" in cards[1] and "lonely" not in " ".join(cards), cards
    edited = next(e for e in stored(wk) if e["id"] == before["lonely"]["id"])
    assert edited["feeling"] == {"core": "sad", "word": "weary"}
    assert edited["hlc"] > before["lonely"]["hlc"], "an edit is a newer version, for sync"

    tap(wk, By("link", "Calm · rested", exact=False))
    tap(wk, By("button", "Delete"))
    dialog = ("dialog", "Delete this check-in?")
    tap(wk, By("button", "Delete", within=dialog))
    ready(wk, "history")
    assert "weary" in history(wk, 1)[0]
    visible(wk, By("status", has_text="Check-in deleted.", exact=False))
    rested = next(e for e in stored(wk) if e["id"] == before["rested"]["id"])
    assert rested["deleted"] is True, "kept as a tombstone, so the delete syncs"

    tap(wk, By("button", "Undo"))  # the toast's one action, within its 8 s
    visible(wk, By("status", has_text="Check-in restored.", exact=False))
    cards = history(wk, 2)
    assert "Calm · rested" in cards[0] and "Sad · weary" in cards[1], cards
    now = {e["id"]: e for e in stored(wk)}
    assert len(now) == 2 and not any(e["deleted"] for e in now.values())
    assert now[before["rested"]["id"]]["feeling"] == {"core": "calm", "word": "rested"}


# What a page must never show where a number, date or name belongs: e.g. a date string that
# one engine's Date parses and another's does not ("Invalid Date"), or a missing value.
BROKEN = ("Invalid Date", "NaN", "undefined", "null", "[object")
PATTERN_CARDS = {  # each card's title, and the headings inside it
    "Is the numbness lifting?": [],
    "Colour returning": [],
    "Your words": ["Named most — last 30 days"],
    "When": ["Time of day", "Day of the week"],
    "Where you feel it": [],
    "What comes with what": [],
}
DRAWN = """const [selector] = arguments;
return [...document.querySelectorAll(selector)].map((svg) => {
  const box = svg.getBoundingClientRect();
  return { width: box.width, height: box.height, shapes: svg.querySelectorAll('rect, path').length,
           shown: svg.querySelectorAll('rect:not(.none), .on').length };
});"""


def test_patterns_draws_its_cards_from_a_few_check_ins(wk, base_url):
    open_app(wk, base_url)
    check_in(wk, "Sad", "lonely")
    check_in(wk, "Calm", "rested")
    choose(wk, "Numb / can’t tell")
    save(wk)
    go(wk, "Patterns")
    for title, inside in PATTERN_CARDS.items():  # each card a region named by its heading
        scroll_to(wk, By("region", title))
        for heading in [title, *inside]:
            visible(wk, By("heading", heading, within=("region", title)))
    # The pictures are drawn: SVG with shapes, sized on the page, with values in them.
    columns = wait(lambda: wk.execute_script(DRAWN, "[data-pattern=words] svg.count-columns"))
    assert columns[0]["width"] > 100 and columns[0]["height"] > 20, columns
    assert columns[0]["shapes"] == 12 and columns[0]["shown"] >= 1, "this month's two words"
    [body] = wk.execute_script(DRAWN, "[data-pattern=body] svg.body-figure")
    assert body["width"] > 50 and body["height"] > 100 and body["shapes"] > 5, body
    words = wk.find_element("css selector", "[data-pattern=words]").text
    assert "lonely" in words and "rested" in words, words

    # Today on the calendar is a button naming its feelings; tapping it lists its check-ins.
    calendar = ("group", "The last 1 week, a button for each day with a check-in")
    tap(wk, By("button", "(3 check-ins)", exact=False, within=calendar))
    assert "3 check-ins" in visible(wk, By("heading", "· 3 check-ins", exact=False))
    assert len(wk.find_elements("css selector", ".day-list .entry-card")) == 3

    text = wk.find_element("id", "patterns-root").text
    assert not [word for word in BROKEN if word in text], text
    assert not [a.text for a in By("alert").all(wk) if a.text.strip()]
    assert wk.execute_script("return document.documentElement.scrollWidth") <= 390


NAMES = """return [...document.querySelectorAll('#patterns-root .pattern h3')].map((h) => h.id);"""
FRAMES = """const done = arguments[arguments.length - 1];
scrollTo(0, 0);
requestAnimationFrame(() => requestAnimationFrame(() => done(null)));"""


def test_patterns_cards_out_of_view_keep_their_names_for_a_screen_reader(wk, base_url):
    open_app(wk, base_url)
    today = local_today(wk)
    seed(
        wk,
        [
            make_entry(today, hour, core, word)
            for hour, core, word in [
                (8, "sad", "lonely"),
                (12, "calm", "rested"),
                (20, "numb", None),
            ]
        ],
    )
    go(wk, "Patterns")
    wait(lambda: len(wk.execute_script(NAMES)) == len(PATTERN_CARDS), message="every card")
    wk.execute_async_script(FRAMES)  # at the top, drawn: the cards below are skipped
    said = {}
    for title in PATTERN_CARDS:  # found by the script's reading, then asked of WebKit's tree
        [heading] = By("heading", title, within=("region", title)).all(wk)
        said[title] = heading.accessible_name
    assert said == {title: title for title in PATTERN_CARDS}
