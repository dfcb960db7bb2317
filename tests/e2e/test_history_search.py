"""History you can scan (issue 13): compact rows grouped by day, and search over feeling words,
tags and notes — with the lock on too, and over 9,000 check-ins without a long task."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from .app import (
    check_in,
    go,
    history_cards,
    local_today,
    make_entry,
    open_app,
    seed,
    serious_problems,
    small_targets,
)
from .test_lock import check_in_with_note, reload_locked, turn_lock_on, unlock

SHOTS = Path(__file__).parent / "screenshots"
SETTLED = "Promise.all(document.getAnimations().map((a) => a.finished))"


def journal(today: date) -> list[dict]:
    """A few days of a person's check-ins, as they might really read."""
    day = lambda back: (today - timedelta(days=back)).isoformat()  # noqa: E731
    return [
        make_entry(
            day(0),
            8,
            "scared",
            "anxious",
            intensity=4,
            tags=["work", "sleep"],
            note="Big meeting at ten and I slept badly.\nHands cold, heart fast.",
        ),
        make_entry(
            day(0),
            13,
            "calm",
            "grounded",
            tags=["outside"],
            note="Lunch by the lake, sun on my face for ten minutes",
        ),
        make_entry(
            day(0),
            19,
            "loving",
            "close",
            intensity=2,
            tags=["family"],
            note="Long call with Mum. She laughed at the old story about the flood and "
            "for a moment it felt like being home again",
        ),
        make_entry(day(1), 7, "numb"),
        make_entry(
            day(1),
            12,
            "sad",
            "lonely",
            intensity=3,
            tags=["alone", "screens"],
            note="Scrolled through lunch. Nobody to talk to.",
        ),
        make_entry(day(1), 21, "happy", "relieved", tags=["work"], note="The deadline moved!"),
        make_entry(
            day(2),
            9,
            "angry",
            "frustrated",
            intensity=5,
            tags=["work"],
            note="Café machine broke, then the train",
        ),
        make_entry(
            day(2),
            18,
            "surprised",
            "curious",
            tags=["garden", "outside"],
            note="Found a hedgehog in the garden",
        ),
        make_entry(
            day(3),
            22,
            "ashamed",
            "embarrassed",
            intensity=2,
            note="Said the wrong name at the party",
        ),
        make_entry(day(3), 10, "happy", "grateful", tags=["friends", "food"]),
    ]


def search_box(page: Page):
    return page.get_by_role("searchbox", name="Search check-ins")


def status(page: Page):
    return page.locator("#history-root").get_by_role("status")


def open_history(page: Page, base_url: str, entries: list[dict] | None = None) -> list[dict]:
    open_app(page, base_url)
    entries = journal(date.fromisoformat(local_today(page))) if entries is None else entries
    seed(page, entries)
    go(page, "History")
    return entries


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.evaluate(SETTLED)
    page.screenshot(path=str(SHOTS / f"{name}.png"))  # what the screen shows


def test_rows_show_word_time_and_the_note_on_one_line(page, base_url):
    entries = open_history(page, base_url)
    cards = history_cards(page)
    expect(cards).to_have_count(10)
    expect(page.get_by_role("heading", name="Today")).to_be_visible()
    expect(page.get_by_role("heading", name="Yesterday")).to_be_visible()
    first = cards.first  # the newest: today 19:30
    expect(first.locator(".entry-feeling")).to_have_text("Loving · close")
    expect(first.locator("time")).to_have_text(re.compile(r"^\d\d:30$"))
    expect(first.locator(".entry-note")).to_contain_text("Long call with Mum. She laughed")
    expect(first).to_contain_text("#family")
    expect(first).to_contain_text("Intensity 2 of 5")
    # The colour is a dot beside words that say the feeling: never the only sign.
    expect(first.locator(".entry-dot")).to_have_attribute("aria-hidden", "true")
    # A long note is clipped to one line with an ellipsis, never wrapped or cut mid-row.
    note = first.locator(".entry-note")
    assert note.evaluate("el => getComputedStyle(el).textOverflow") == "ellipsis"
    assert note.evaluate("el => el.scrollWidth > el.clientWidth")
    line = note.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)")
    assert note.bounding_box()["height"] <= line + 1
    # A multi-line note shows from its first line; the rest follows on the same line.
    anxious = cards.filter(has_text="Scared · anxious")
    expect(anxious.locator(".entry-note")).to_have_text(
        "Big meeting at ten and I slept badly. · Hands cold, heart fast."
    )
    # Numb is said in words too.
    expect(cards.filter(has_text="Numb / can’t tell")).to_have_count(1)
    # A row still opens its check-in for editing, by the same route as before.
    close = next(e for e in entries if e["feeling"].get("word") == "close")
    expect(first).to_have_attribute("href", f"#checkin/{close['id']}")
    first.tap()
    expect(page).to_have_url(re.compile(f"#checkin/{close['id']}$"))
    expect(page.get_by_role("heading", name="Edit check-in")).to_be_visible()


def test_search_finds_by_a_word_in_the_note_and_by_a_tag(page, base_url):
    entries = open_history(page, base_url)
    box = search_box(page)
    expect(box).to_be_visible()

    box.fill("hedgehog")  # a word in a note
    expect(status(page)).to_have_text("1 check-in matches “hedgehog”")
    cards = history_cards(page)
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Surprised · curious")
    expect(cards.first.locator(".entry-note")).to_have_text("Found a hedgehog in the garden")

    box.fill("#work")  # a tag
    expect(status(page)).to_have_text("3 check-ins match “#work”")
    expect(cards).to_have_count(3)
    expect(cards.nth(0)).to_contain_text("Scared · anxious")  # still newest first, by day
    expect(cards.nth(1)).to_contain_text("Happy · relieved")
    expect(cards.nth(2)).to_contain_text("Angry · frustrated")
    expect(page.locator("#history-root .day-title")).to_have_count(3)

    box.fill("CAFE")  # case and accents never matter
    expect(status(page)).to_have_text("1 check-in matches “CAFE”")
    expect(cards.first).to_contain_text("Café machine broke")

    box.fill("lonely")  # a feeling word
    expect(status(page)).to_have_text("1 check-in matches “lonely”")
    box.fill("sad alone")  # every word must be there, in any field: the core, a tag
    expect(status(page)).to_have_text("1 check-in matches “sad alone”")
    expect(cards.first).to_contain_text("Sad · lonely")

    # Far along a long note, the row starts near what matched, so it shows why.
    box.fill("home again")
    expect(status(page)).to_have_text("1 check-in matches “home again”")
    expect(cards.first.locator(".entry-note")).to_have_text(re.compile(r"^….*home again$"))

    box.fill("zebra")
    expect(status(page)).to_have_text("Nothing matches “zebra”")
    expect(cards).to_have_count(0)
    expect(page.get_by_text("Search looks in feeling words, tags and notes.")).to_be_visible()

    # Clearing brings the whole list back.
    page.get_by_role("button", name="Clear search").tap()
    expect(box).to_have_value("")
    expect(box).to_be_focused()
    expect(cards).to_have_count(len(entries))
    expect(status(page)).to_be_hidden()

    # A result opens for editing; coming back keeps the search; Escape clears it.
    box.fill("hedgehog")
    expect(status(page)).to_have_text("1 check-in matches “hedgehog”")
    hedgehog = next(e for e in entries if "hedgehog" in e["note"])
    cards.first.tap()
    expect(page).to_have_url(re.compile(f"#checkin/{hedgehog['id']}$"))
    expect(page.get_by_role("heading", name="Edit check-in")).to_be_visible()
    page.go_back()
    expect(page.locator("body")).to_have_attribute("data-ready", "history")
    expect(box).to_have_value("hedgehog")
    expect(cards).to_have_count(1)
    box.focus()
    page.keyboard.press("Escape")
    expect(box).to_have_value("")
    expect(cards).to_have_count(len(entries))


def test_search_follows_saves_and_deletes(page, base_url):
    open_history(page, base_url)
    box = search_box(page)
    box.fill("peaceful")  # what it read is kept for the next search …
    expect(status(page)).to_have_text("Nothing matches “peaceful”")
    go(page, "Check in")
    check_in(page, "Calm", "peaceful")
    go(page, "History")  # … and forgotten once something changes
    expect(status(page)).to_have_text("1 check-in matches “peaceful”")
    box.fill("lake")
    expect(status(page)).to_have_text("1 check-in matches “lake”")
    cards = history_cards(page)
    expect(cards).to_have_count(1)
    cards.first.tap()
    page.get_by_role("button", name="Delete").tap()
    page.get_by_role("dialog").get_by_role("button", name="Delete").tap()
    expect(page.locator("body")).to_have_attribute("data-ready", "history")
    expect(status(page)).to_have_text("Nothing matches “lake”")
    page.get_by_role("button", name="Undo").tap()
    expect(cards).to_have_count(1)
    expect(status(page)).to_have_text("1 check-in matches “lake”")


def test_search_with_the_lock_on(page, base_url):
    open_app(page, base_url)
    check_in_with_note(page, "Sad", "lonely", "walked past the old school")
    check_in_with_note(page, "Calm", "rested", "slept nine hours")
    turn_lock_on(page)
    reload_locked(page)
    unlock(page)
    go(page, "History")
    search_box(page).fill("school")
    expect(history_cards(page)).to_have_count(1)
    expect(history_cards(page).first).to_contain_text("Sad · lonely")
    search_box(page).fill("")
    expect(history_cards(page)).to_have_count(2)


SEED_MANY = """async ({ count, day }) => {
  const db = await import(document.querySelector('meta[name=thaw-static]').content + '/js/db.js');
  const conn = await db.openDb();
  const cores = [['sad', 'lonely'], ['calm', 'rested'], ['happy', 'proud'], ['scared', 'worried']];
  const start = Date.parse(day + 'T12:00:00Z');
  for (let from = 0; from < count; from += 1000) {
    const entries = [];
    for (let i = from; i < Math.min(count, from + 1000); i++) {
      const [core, word] = cores[i % 4];
      entries.push({
        id: crypto.randomUUID(), at: new Date(start - i * 3 * 3600e3).toISOString(),
        feeling: { core, word }, intensity: 1 + (i % 5), body: [], tags: i % 7 ? ['work'] : ['garden'],
        note: `Day ${i}: ` + (i % 100 === 0 ? 'saw the heron by the river. ' : 'the usual walk. ')
          + 'A longer note, as people write them, about the day and the weather and how it went.',
        hlc: `${String(1700000000000 + i).padStart(13, '0')}-0000-0123456789abcdef`, deleted: false,
      });
    }
    await db.write(conn, { entries });
  }
  conn.close();
}"""

LONG_TASKS = """() => {
  window.__long = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__long.push(Math.round(e.duration));
  }).observe({ type: 'longtask' });
}"""


def test_9000_checkins_search_without_a_long_task(page, base_url):
    open_app(page, base_url)
    page.evaluate(SEED_MANY, {"count": 9000, "day": local_today(page)})
    go(page, "History")
    box = search_box(page)

    def search() -> list[int]:
        """Type, search, show more, search again, clear; the long tasks meanwhile."""
        expect(history_cards(page)).to_have_count(50)
        page.evaluate(LONG_TASKS)
        box.press_sequentially("heron", delay=60)  # typing: one search, after the pause
        expect(status(page)).to_have_text("90 check-ins match “heron”", timeout=30_000)
        expect(history_cards(page)).to_have_count(50)
        page.get_by_role("button", name="Show earlier check-ins").tap()
        expect(history_cards(page)).to_have_count(90)
        box.fill("garden worried")
        expect(status(page)).to_have_text(re.compile(r"^322 check-ins match"), timeout=30_000)
        box.fill("")
        expect(history_cards(page)).to_have_count(50)
        page.wait_for_timeout(300)
        return page.evaluate("window.__long")

    # Other work on a shared machine stretches tasks too: the best of three tries counts.
    tries = []
    for _ in range(3):
        tries.append(search())
        if max(tries[-1], default=0) < 200:
            break
        page.reload()  # what was read is gone: the next try reads and indexes again
        expect(page.locator("body")).to_have_attribute("data-ready", "history")
    assert min(max(t, default=0) for t in tries) < 200, f"long tasks (ms) in each try: {tries}"


# ---------- how it looks, and axe ----------


@pytest.mark.parametrize("width", [320, 390])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_fit_and_44px_targets(browser, base_url, width, scheme):
    context = browser.new_context(
        viewport={"width": width, "height": 700 if width == 320 else 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="en-GB",
        color_scheme=scheme,
    )
    page = context.new_page()
    open_history(page, base_url)
    name = f"history-{width}-{scheme}"
    shoot(page, f"{name}-list")
    history_cards(page).last.scroll_into_view_if_needed()
    shoot(page, f"{name}-list-end")
    page.evaluate("window.scrollTo(0, 0)")
    search_box(page).fill("work")
    expect(history_cards(page)).to_have_count(3)
    shoot(page, f"{name}-search")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"History scrolls sideways by {overflow}px at {width}px"
    assert small_targets(page, "#view-history a, #view-history button, #view-history input") == []
    search_box(page).fill("zebra crossing")
    expect(status(page)).to_have_text("Nothing matches “zebra crossing”")
    shoot(page, f"{name}-nothing")
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_problems_in_history_and_its_search(page, base_url, scheme):
    page.emulate_media(color_scheme=scheme)
    open_history(page, base_url)
    axe = Axe()
    page.evaluate(SETTLED)
    results = {"history": axe.run(page)}
    search_box(page).fill("work")
    expect(history_cards(page)).to_have_count(3)
    page.evaluate(SETTLED)
    results["results"] = axe.run(page)
    search_box(page).fill("zebra")
    expect(status(page)).to_have_text("Nothing matches “zebra”")
    results["nothing"] = axe.run(page)
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") is (scheme == "dark")
    assert serious_problems(results) == {name: [] for name in results}
