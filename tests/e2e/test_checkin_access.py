"""The check-in for everyone: keyboard only, screen-reader names, small screens, axe."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .app import check_in, choose, go, open_app, open_row, serious_problems, small_targets, stored


def test_keyboard_only_checkin(page, base_url):
    open_app(page, base_url)
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")
    expect(page.get_by_role("radio", name="Numb / can’t tell")).to_be_focused()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    expect(page.get_by_role("radio", name="Sad")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("radio", name="Just sad")).to_be_focused()
    expect(page.get_by_role("radio", name="Just sad")).to_have_attribute("aria-checked", "true")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("radio", name="disappointed")).to_be_focused()
    page.keyboard.press("Enter")
    chosen = page.get_by_role("radio", name="disappointed")
    expect(chosen).to_have_attribute("aria-checked", "true")
    expect(chosen).to_have_accessible_description(
        "disappointed — something hoped for didn’t happen"
    )
    save = page.get_by_role("button", name="Save", exact=True)
    for _ in range(120):
        if save.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(save).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Thank you for noticing")).to_be_visible()
    assert [e["feeling"] for e in stored(page)] == [{"core": "sad", "word": "disappointed"}]


def test_escape_hatch_back_to_all_feelings_by_keyboard(page, base_url):
    open_app(page, base_url)
    choose(page, "Angry")
    page.get_by_role("button", name="← All feelings").focus()
    page.keyboard.press("Enter")
    angry = page.get_by_role("radio", name="Angry")
    expect(angry).to_be_focused()
    expect(angry).to_have_attribute("aria-checked", "true")


@pytest.mark.parametrize("width", [320, 390, 1024])
def test_fits_the_screen_and_every_tap_target_is_44px(browser, base_url, width):
    context = browser.new_context(
        viewport={"width": width, "height": 800}, is_mobile=width < 800, has_touch=True
    )
    page = context.new_page()
    open_app(page, base_url)
    choose(page, "Scared")
    open_row(page, "Where in the body")
    page.get_by_role("group", name="Where in the body").get_by_role("button", name="Chest").tap()
    expect(page.get_by_role("navigation", name="Sections")).to_be_in_viewport(ratio=1)
    expect(page.get_by_role("button", name="Save", exact=True)).to_be_in_viewport(ratio=1)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page scrolls sideways by {overflow}px at {width}px"
    assert (
        small_targets(
            page, "#view-checkin button, #view-checkin input, #view-checkin textarea, .tab"
        )
        == []
    )
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_problems(page, base_url, scheme):
    page.emulate_media(color_scheme=scheme)
    open_app(page, base_url)
    check_in(page, "Happy", "grateful")
    choose(page, "Loving")
    open_row(page, "Where in the body")
    page.get_by_role("group", name="Where in the body").get_by_role("button", name="Chest").tap()
    open_row(page, "Note")
    page.get_by_role("textbox", name="Note · optional").fill("A note")
    axe = Axe()
    settled = "Promise.all(document.getAnimations().map((a) => a.finished))"
    page.evaluate(settled)
    results = {"check-in": axe.run(page)}
    go(page, "History")
    page.evaluate(settled)
    results["history"] = axe.run(page)
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") is (scheme == "dark")
    assert serious_problems(results) == {name: [] for name in results}


def test_reduced_motion_turns_animation_off(page, base_url):
    page.emulate_media(reduced_motion="reduce")
    open_app(page, base_url)
    duration = page.evaluate(
        "getComputedStyle(document.querySelector('.slice')).transitionDuration"
    )
    assert duration in {"0s", "0s, 0s"}
