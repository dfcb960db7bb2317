"""Patterns and practices on a phone, from a seeded history or an imported journal."""

from __future__ import annotations

import json
import re
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from .app import (
    check_in,
    choose,
    go,
    local_today,
    make_entry,
    open_app,
    open_row,
    save,
    seed,
    serious_problems,
    stored,
)
from .conftest import wait_for_offline_ready

PICTURES = ["numbness", "calendar", "words", "when", "body", "tags"]
NAMED = [
    ("sad", "lonely"),
    ("calm", "rested"),
    ("scared", "anxious"),
    ("happy", "hopeful"),
    ("loving", "warm"),
    ("sad", "weary"),
    ("angry", "frustrated"),
    ("calm", None),
]
# Per week, oldest first: numb / can't tell falls from 3 of 5 (60%) to 1 of 5 (20%).
NUMB_PER_WEEK = [3, 3, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1]


def thawing_journal(today: str) -> list[dict]:
    """12 weeks (7-day weeks ending today) of 5 check-ins each, the numb share falling 60% → 20%.

    Numb ones in the evening with #work, named ones in the morning with #friends, two with
    #sleep (too few to show), a body place for each.
    """
    end = date.fromisoformat(today)
    entries = []
    for week, numb in enumerate(NUMB_PER_WEEK):
        for i in range(5):
            back = 7 * (11 - week) + [6, 4, 3, 1, 1][i]
            day = (end - timedelta(days=back)).isoformat()
            is_numb = i < numb
            core, word = ("numb", None) if is_numb else NAMED[(week * 5 + i) % len(NAMED)]
            hour = 21 if is_numb else 7 + i
            entries.append(
                {
                    "id": str(uuid.uuid4()),
                    "at": f"{day}T{hour:02d}:{10 + i:02d}:00.000+01:00",
                    "feeling": {"core": core, **({"word": word} if word else {})},
                    "intensity": None if is_numb else 3,
                    "body": [{"region": "nowhere", "sensations": []}]
                    if is_numb
                    else [{"region": "chest", "sensations": ["tight"]}],
                    "tags": (["work"] if is_numb else ["friends"])
                    + (["sleep"] if week == 11 and i >= 3 else []),
                    "note": f"Week {week + 1}, check-in {i + 1}",
                    "hlc": f"{1_760_000_000_000 + week * 10 + i:013d}-0000-0123456789abcdef",
                    "deleted": False,
                }
            )
    return entries


def write_export(path: Path, entries: list[dict]) -> Path:
    """A Thaw JSON export file, as Settings → Export writes it."""
    export = {
        "format": "thaw-export",
        "version": 1,
        "exportedAt": "2026-11-25T08:00:00.000Z",
        "app": "Thaw",
        "ownWords": {},
        "ownTags": [],
        "entries": entries,
    }
    path.write_text(json.dumps(export), encoding="utf-8")
    return path


def import_journal(page: Page, base_url: str, tmp_path: Path) -> tuple[str, list[dict]]:
    """Open Thaw, import a thawing journal through Settings, and open Patterns."""
    open_app(page, base_url)
    today = local_today(page)
    entries = thawing_journal(today)
    go(page, "Settings")
    page.locator("input[type='file']").first.set_input_files(
        str(write_export(tmp_path / "thaw-export.json", entries))
    )
    deadline = time.monotonic() + 30
    while len(stored(page)) < len(entries):
        assert time.monotonic() < deadline, "the import did not finish within 30 s"
        page.wait_for_timeout(100)
    go(page, "Patterns")
    return today, entries


def history(today: str) -> list[dict]:
    """Sad in the last week, calm before that, numb once, with body places and tags."""
    day = date.fromisoformat(today)
    ago = lambda n: (day - timedelta(days=n)).isoformat()  # noqa: E731
    entries = [
        make_entry(
            ago(i % 5),
            20,
            "sad",
            "lonely" if i % 2 else "weary",
            intensity=3,
            body=[{"region": "chest", "sensations": ["heavy"]}],
            tags=["alone"],
        )
        for i in range(10)
    ]
    entries += [
        make_entry(
            ago(8 + i),
            9,
            "calm",
            "rested",
            body=[{"region": "shoulders", "sensations": []}],
            tags=["outside"],
        )
        for i in range(20)
    ]
    entries.append(make_entry(ago(2), 7, "numb", note="Nothing much"))
    return entries


def open_patterns(page: Page, base_url: str, entries: list[dict] | None = None) -> str:
    open_app(page, base_url)
    today = local_today(page)
    seed(page, history(today) if entries is None else entries)
    go(page, "Patterns")
    return today


def pattern(page: Page, name: str):
    return page.locator(f"[data-pattern='{name}']")


def test_few_checkins_get_a_friendly_empty_state(page, base_url):
    open_app(page, base_url)
    check_in(page, "Calm", "safe")
    go(page, "Patterns")
    expect(page.get_by_text("Patterns appear here after a few check-ins.")).to_be_visible()
    expect(page.locator("[data-pattern]")).to_have_count(0)


def lead(page: Page):
    return pattern(page, "numbness").locator(".lead")


def test_imported_journal_says_the_numbness_is_lifting(page, base_url, tmp_path, watch):
    today, entries = import_journal(page, base_url, tmp_path)
    end = date.fromisoformat(today)
    back = lambda e: (end - date.fromisoformat(e["at"][:10])).days  # noqa: E731
    recent = [e for e in entries if back(e) < 28]
    before = [e for e in entries if 28 <= back(e) < 56]
    numb = lambda group: sum(e["feeling"]["core"] == "numb" for e in group)  # noqa: E731
    names = {
        e["feeling"].get("word") or e["feeling"]["core"]
        for e in recent
        if e["feeling"]["core"] != "numb"
    }
    assert (numb(recent), len(recent), numb(before), len(before)) == (4, 20, 8, 20)
    expect(lead(page)).to_have_text(
        "Fewer numb check-ins in the last four weeks: 4 of 20, down from 8 of 20 in the four "
        f"weeks before. You named {len(names)} different feelings."
    )
    card = pattern(page, "numbness")
    expect(card.get_by_role("img")).to_have_attribute("aria-label", re.compile("4 of 20 numb"))
    card.get_by_text("Show as text").tap()
    rows = card.locator("tbody tr")
    expect(rows).to_have_count(12)
    expect(rows.first.locator("td").nth(1)).to_have_text("3 (60%)")
    expect(rows.last.locator("td").nth(1)).to_have_text("1 (20%)")
    for name in PICTURES:
        expect(pattern(page, name)).to_be_visible()
        expect(pattern(page, name).locator(".caption, .lead").first).not_to_be_empty()
    expect(pattern(page, "when").locator(".caption")).to_contain_text(
        "Numb came most in the evening (100%), least in the morning (0%)."
    )
    tags = pattern(page, "tags")
    expect(tags.locator(".tag-head")).to_have_text([re.compile("#friends"), re.compile("#work")])
    expect(tags.locator(".caption")).to_contain_text(
        "Left out: #sleep — fewer than 3 check-ins is too few to show a mix."
    )
    tags.get_by_text("Show as text").tap()
    expect(tags.locator("tbody tr").filter(has_text="#work")).to_contain_text(
        "Numb / can’t tell 100%"
    )
    assert watch.errors == []


def test_tapping_a_calendar_day_lists_its_checkins(page, base_url, tmp_path):
    today, _ = import_journal(page, base_url, tmp_path)
    yesterday = (date.fromisoformat(today) - timedelta(days=1)).isoformat()
    calendar = pattern(page, "calendar")
    expect(calendar.locator(".cal-row")).to_have_count(12)
    expect(calendar.locator(".cal-month").first).to_have_text(re.compile(r"^[A-Z][a-z]{2,3}$"))
    cell = calendar.locator(f".cal-day[data-day='{yesterday}']")
    expect(cell).to_have_attribute("aria-label", re.compile(r"\(2 check-ins\)"))
    cell.tap()
    listing = page.locator(".day-list")
    expect(listing.get_by_role("heading")).to_contain_text("2 check-ins")
    expect(listing.locator(".entry-card")).to_have_count(2)
    expect(listing).to_contain_text("Week 12, check-in 4")
    expect(listing).to_contain_text("Week 12, check-in 5")
    assert calendar.locator("button.cal-day.empty").count() == 0, "empty days are not buttons"


def test_the_year_fits_one_phone_screen(page, base_url, tmp_path):
    today, entries = import_journal(page, base_url, tmp_path)
    calendar = pattern(page, "calendar")
    calendar.get_by_role("radio", name="The year").tap()
    grid = calendar.get_by_role("img", name=re.compile("A year in pixels"))
    days = len({e["at"][:10] for e in entries})
    expect(grid).to_have_attribute("aria-label", re.compile(f": {days} days with a check-in"))
    expect(grid.locator(".px.named")).to_have_count(days)
    calendar.scroll_into_view_if_needed()
    top = calendar.get_by_role("heading").bounding_box()
    box = grid.bounding_box()
    tab_bar = page.get_by_role("navigation", name="Sections").bounding_box()
    assert box["width"] <= 390
    assert box["y"] + box["height"] - top["y"] <= tab_bar["y"], (
        "the whole year, from the card's title to the last day, fits above the tab bar"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    expect(calendar.get_by_role("button", name="Later ›")).to_be_disabled()
    calendar.get_by_role("radio", name="12 weeks").tap()
    expect(calendar.locator(".cal-row")).to_have_count(12)


def test_no_sideways_scrolling_at_320_px(browser, base_url, tmp_path, watch):
    from .conftest import new_phone

    context = new_phone(browser, watch, viewport={"width": 320, "height": 568})
    page = context.new_page()
    try:
        today, _ = import_journal(page, base_url, tmp_path)
        width = "document.documentElement.scrollWidth"
        assert page.evaluate(width) <= 320
        page.locator(".cal-day.named").last.tap()
        for details in page.locator(".as-text summary").all():
            details.tap()
        assert page.evaluate(width) <= 320
        pattern(page, "calendar").get_by_role("radio", name="The year").tap()
        assert page.evaluate(width) <= 320
    finally:
        context.close()


def test_few_checkins_say_so_kindly_without_a_trend(page, base_url):
    today = open_patterns(page, base_url)
    expect(lead(page)).to_contain_text("Not enough check-ins yet to compare, and that’s fine.")
    expect(pattern(page, "numbness").locator("svg")).to_have_count(0)
    calendar = pattern(page, "calendar")
    expect(calendar.locator(".cal-row")).to_have_count(
        len(
            {
                (date.fromisoformat(today) - timedelta(days=n)).isocalendar()[:2]
                for n in range(0, 28)
            }
        )
    )


def test_cards_follow_the_period_and_say_ties_plainly(page, base_url):
    today = date.fromisoformat(local_today_after_open(page, base_url))
    ago = lambda n: (today - timedelta(days=n)).isoformat()  # noqa: E731
    place = lambda region: [{"region": region, "sensations": []}]  # noqa: E731
    seed(
        page,
        history(today.isoformat())
        + [
            make_entry(ago(1), 8, "scared", "anxious", body=place("chest")),
            make_entry(ago(1), 9, "scared", body=place("stomach")),
            make_entry(ago(1), 10, "scared", body=place("throat")),
            make_entry(ago(1), 11, "scared", body=place("nowhere")),
            make_entry(ago(1), 12, "scared", body=place("nowhere")),
        ],
    )
    go(page, "Patterns")
    body = pattern(page, "body")
    expect(body.locator(".caption")).to_have_text(
        "Shoulders came up most (20 times). “Nowhere I can tell”: 2 times."
    )
    page.get_by_label("Feeling", exact=True).select_option(label="Scared")
    expect(body.locator(".caption")).to_have_text(
        "Chest, stomach and throat came up equally often with scared (1 time each). "
        "“Nowhere I can tell”: 2 times."
    )
    words = pattern(page, "words")
    expect(words.get_by_role("heading", name="Named most — last 30 days")).to_be_visible()
    page.get_by_role("radio", name="Last 7 days").tap()
    expect(words.get_by_role("heading", name="Named most — last 7 days")).to_be_visible()
    expect(words.locator(".bar-label").first).to_have_text(re.compile("lonely|weary"))
    expect(body.locator(".caption")).to_contain_text("with scared")
    expect(pattern(page, "when").locator(".mix-count")).to_have_count(11)
    tags = pattern(page, "tags")
    expect(tags.locator(".tag-head")).to_have_text([re.compile("#alone")])
    page.get_by_role("radio", name="All time").tap()
    expect(tags.locator(".tag-head")).to_have_text([re.compile("#outside"), re.compile("#alone")])


def local_today_after_open(page: Page, base_url: str) -> str:
    open_app(page, base_url)
    return local_today(page)


def test_practices_are_one_tap_from_the_top_of_patterns(page, base_url):
    open_patterns(page, base_url)
    page.get_by_role("link", name="Gentle practices").tap()
    expect(page.locator("body")).to_have_attribute("data-ready", "practices")


def test_a_suggestion_after_a_checkin_that_can_be_dismissed(page, base_url):
    open_app(page, base_url)
    choose(page, "Scared")
    choose(page, "panicky")
    open_row(page, "How strong")
    page.get_by_role("radio", name="5 — very strong").tap()
    save(page)
    card = page.get_by_role("complementary", name="If you’d like, something small to try")
    expect(card).to_contain_text("Slow breathing")
    card.get_by_role("button", name="Not now").tap()
    expect(card).to_have_count(0)
    check_in(page, "Numb / can’t tell")
    page.get_by_role("link", name="Try it").tap()
    expect(page.get_by_role("heading", name="5-4-3-2-1 grounding")).to_be_visible()


def test_a_practice_opens_offline(page, phone, base_url):
    open_app(page, base_url)
    wait_for_offline_ready(page)
    phone.set_offline(True)
    page.reload()
    page.goto(f"{base_url}/#practices")
    expect(page.locator("body")).to_have_attribute("data-ready", "practices")
    page.get_by_role("link", name=re.compile("Slow breathing")).tap()
    expect(page.get_by_role("heading", name="Slow breathing")).to_be_visible()
    page.get_by_role("button", name="Start").tap()
    expect(page.locator(".pacer-cue")).to_have_text("Breathe in… 4")
    expect(page.locator(".pacer")).to_have_attribute("data-phase", "in")
    page.get_by_role("button", name="Stop").tap()
    expect(page.locator(".pacer-cue")).to_contain_text("Stopped")


def test_breathing_pacer_keeps_still_with_reduced_motion(page, base_url):
    page.emulate_media(reduced_motion="reduce")
    open_app(page, base_url, "#practices/breathing")
    page.get_by_role("button", name="Start").tap()
    expect(page.locator(".pacer-cue")).to_have_text("Breathe in… 4")
    transform = page.evaluate("getComputedStyle(document.querySelector('.pacer-circle')).transform")
    assert transform == "matrix(0.7, 0, 0, 0.7, 0, 0)", "the circle does not grow"


def test_support_page_says_plainly_what_thaw_is_not(page, base_url, watch):
    open_app(page, base_url, "#settings")
    page.get_by_role("link", name="Need support now?").tap()
    expect(page.get_by_role("heading", name="Need support now?")).to_be_visible()
    expect(page.get_by_text("It is not therapy, and it is not a crisis service")).to_be_visible()
    link = page.get_by_role("link", name=re.compile("Find a helpline"))
    expect(link).to_have_attribute("href", "https://findahelpline.com")
    assert watch.foreign_requests() == [], "nothing is fetched until the link is followed"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_on_patterns_and_practices(page, base_url, scheme, tmp_path):
    page.emulate_media(color_scheme=scheme)
    import_journal(page, base_url, tmp_path)
    settled = "Promise.all(document.getAnimations().map((a) => a.finished))"
    page.locator(".cal-day.named").last.tap()
    for details in page.locator(".as-text summary").all():
        details.tap()
    page.evaluate(settled)
    results = {"patterns": Axe().run(page)}
    pattern(page, "calendar").get_by_role("radio", name="The year").tap()
    page.evaluate(settled)
    results["year"] = Axe().run(page)
    page.goto(f"{base_url}/#practices")
    expect(page.locator("body")).to_have_attribute("data-ready", "practices")
    page.evaluate(settled)
    results["practices"] = Axe().run(page)
    page.get_by_role("link", name=re.compile("Slow breathing")).tap()
    expect(page.get_by_role("heading", name="Slow breathing")).to_be_visible()
    page.evaluate(settled)
    results["breathing"] = Axe().run(page)
    page.goto(f"{base_url}/#support")
    expect(page.locator("body")).to_have_attribute("data-ready", "support")
    page.evaluate(settled)
    results["support"] = Axe().run(page)
    assert serious_problems(results) == {name: [] for name in results}


def test_a_new_checkin_shows_in_patterns_at_once(page, base_url):
    today = open_patterns(page, base_url)
    day = pattern(page, "calendar").locator(f".cal-day[data-day='{today}']")
    expect(day).to_have_attribute("aria-label", re.compile(r"\(2 check-ins\)"))
    go(page, "Check in")
    check_in(page, "Numb / can’t tell")
    go(page, "Patterns")
    expect(day).to_have_attribute("aria-label", re.compile(r"Numb / can’t tell \(3 check-ins\)"))
