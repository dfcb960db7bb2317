"""Patterns and practices on a phone, from a seeded history."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from .app import check_in, choose, go, local_today, make_entry, open_app, save, seed
from .conftest import wait_for_offline_ready

PICTURES = ["calendar", "vocabulary", "most-named", "body", "when", "tags"]


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


def test_every_picture_shows_with_a_caption_and_a_text_version(page, base_url, watch):
    open_patterns(page, base_url)
    for name in PICTURES:
        section = pattern(page, name)
        expect(section).to_be_visible()
        expect(section.locator(".caption")).not_to_be_empty()
    expect(pattern(page, "calendar").locator(".caption")).to_contain_text(
        "25 days with a feeling named"
    )
    expect(pattern(page, "vocabulary").locator(".caption")).to_contain_text("this week")
    expect(pattern(page, "body").get_by_text("Chest: 10 times")).to_be_visible()
    expect(pattern(page, "tags")).to_contain_text("#outside (20 check-ins)")
    pattern(page, "calendar").get_by_text("Show as text").tap()
    expect(pattern(page, "calendar").locator(".as-text li").first).to_contain_text(
        "with a feeling named"
    )
    assert watch.errors == []


def test_tapping_a_calendar_day_lists_its_checkins(page, base_url):
    today = open_patterns(page, base_url)
    two_days_ago = (date.fromisoformat(today) - timedelta(days=2)).isoformat()
    cell = page.locator(f".cal-day[data-day='{two_days_ago}']")
    expect(cell).to_have_attribute(
        "aria-label", re.compile(r"Sad, Numb / can’t tell \(3 check-ins\)")
    )
    cell.tap()
    listing = page.locator(".day-list")
    expect(listing.get_by_role("heading")).to_contain_text("3 check-ins")
    expect(listing.locator(".entry-card")).to_have_count(3)
    expect(listing).to_contain_text("Nothing much")
    empty = page.locator(".cal-day.empty").first
    expect(empty).to_be_disabled()


def test_changing_the_period_changes_the_figures(page, base_url):
    open_patterns(page, base_url)
    most = pattern(page, "most-named")
    expect(most.locator(".caption")).to_contain_text(
        "Calm came up most often (20 times) — last 30 days."
    )
    page.get_by_role("radio", name="Last 7 days").tap()
    expect(most.locator(".caption")).to_contain_text(
        "Sad came up most often (10 times) — last 7 days."
    )
    expect(pattern(page, "when").locator(".caption")).to_contain_text("evening (10 check-ins)")
    page.get_by_role("radio", name="All time").tap()
    expect(most.locator(".caption")).to_contain_text(
        "Calm came up most often (20 times) — all time."
    )
    page.get_by_label("Feeling", exact=True).select_option(label="Calm")
    expect(pattern(page, "body").locator(".caption")).to_contain_text(
        "For calm, shoulders came up most (20 times)."
    )


def test_year_view(page, base_url):
    open_patterns(page, base_url)
    page.get_by_role("button", name="Show the year").tap()
    expect(page.get_by_role("img", name=re.compile("A year of check-ins: 25 days"))).to_be_visible()
    assert page.locator(".calendar.year .cal-row").count() == 53
    page.get_by_role("button", name="Show 12 weeks").tap()
    expect(page.locator(".calendar .cal-row")).to_have_count(12)


def test_a_suggestion_after_a_checkin_that_can_be_dismissed(page, base_url):
    open_app(page, base_url)
    choose(page, "Scared")
    choose(page, "panicky")
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
def test_axe_on_patterns_and_practices(page, base_url, scheme):
    page.emulate_media(color_scheme=scheme)
    open_patterns(page, base_url)
    settled = "Promise.all(document.getAnimations().map((a) => a.finished))"
    page.locator(".cal-day.named").last.tap()
    page.evaluate(settled)
    results = {"patterns": Axe().run(page)}
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
    problems = {
        name: [
            (v["id"], [n["target"] for n in v["nodes"]][:3])
            for v in r.response["violations"]
            if v["impact"] in {"serious", "critical"}
        ]
        for name, r in results.items()
    }
    assert problems == {name: [] for name in results}
