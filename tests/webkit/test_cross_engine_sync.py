"""Cross-engine sync: a Chromium phone (Playwright) and a WebKit phone (Selenium) of one person
pair, check in, sync, and each shows the other's check-in: WebCrypto's HKDF and AES-GCM, the
clocks and the merge agree across engines."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e import app as chromium_app
from tests.e2e.conftest import Watch, new_phone
from tests.e2e.test_sync import start_syncing
from tests.e2e.test_sync import sync_now as chromium_sync_now

from . import ui
from .ui import By

pytestmark = pytest.mark.webkit


@pytest.fixture
def chromium_phone(chromium: Browser) -> Iterator[Page]:
    watch = Watch()
    context = new_phone(chromium, watch)
    yield context.new_page()
    assert watch.errors == []
    context.close()


def test_a_chromium_and_a_webkit_phone_pair_and_see_each_others_check_ins(
    chromium_phone: Page, wk, base_url
):
    a = chromium_phone
    chromium_app.open_app(a, base_url)
    chromium_app.check_in(a, "Happy", "content")
    link = start_syncing(a, base_url)

    # WebKit opens the pairing link, is asked first, and joins.
    wk.get(link)
    dialog = ("dialog", "Join this pairing?")
    ui.visible(wk, By(*dialog))
    assert "pair=" not in wk.current_url, "the key leaves the address bar"
    ui.tap(wk, By("button", "Join", within=dialog))
    ui.wait(lambda: ui.sync_status(wk) == "Up to date.", 30, "joined")
    ui.go(wk, "History")
    assert "content" in ui.history(wk, 1)[0], "WebKit decrypts what Chromium encrypted"

    ui.go(wk, "Check in")
    ui.choose(wk, "Calm")
    ui.choose(wk, "rested")
    ui.open_row(wk, "Note")  # a <details class="detail-row"> row, opened as a person taps it
    ui.fill(wk, ui.label("Note"), "written in WebKit")
    ui.save(wk)
    ui.sync_now(wk)

    chromium_sync_now(a)
    chromium_app.go(a, "History")
    expect(chromium_app.history_cards(a)).to_have_count(2)
    expect(chromium_app.history_cards(a).first).to_contain_text("rested")
    expect(a.locator("#history-root")).to_contain_text("written in WebKit")

    ui.sync_now(wk)
    ui.go(wk, "History")
    cards = ui.history(wk, 2)
    assert "rested" in cards[0] and "content" in cards[1], cards
    # The same records on both devices: ids, clocks, fields, byte for byte after JSON.
    by_id = lambda entries: sorted(entries, key=lambda e: e["id"])  # noqa: E731
    assert by_id(ui.stored(wk)) == by_id(chromium_app.stored(a))
