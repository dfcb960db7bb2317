"""The wheel that teaches the map (issue 13): cores placed by energy and pleasantness, the chosen
core kept at the centre, every word fitting its target, definitions before choosing, and the
whole first screen on a small phone."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from .app import choose, open_app, open_row, serious_problems
from .conftest import new_phone

SHOTS = Path(__file__).parent / "screenshots"

CORES = """async () => {
  const { CORES } = await import(document.querySelector('meta[name=thaw-static]').content + '/js/feelings.js');
  return CORES.map((c) => ({ id: c.id, label: c.label, energy: c.energy, pleasant: c.pleasant }));
}"""

OVERFLOWING = """() => [...document.querySelectorAll('.wheel [role=radio]')]
  .filter((el) => el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight + 1)
  .map((el) => el.textContent)"""


def box_centre(locator) -> tuple[float, float]:
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", [(320, 568), (390, 844), (1024, 768)])
def test_every_core_and_word_fits(browser, watch, base_url, size, scheme):
    width, height = size
    context = new_phone(browser, watch, viewport={"width": width, "height": height})
    page = context.new_page()
    page.emulate_media(color_scheme=scheme, reduced_motion="reduce")
    open_app(page, base_url)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    if size == (320, 568):
        # The eight cores, numb and Save are all on the first screen, without scrolling.
        for radio in page.locator(".wheel [role=radio]").all():
            expect(radio).to_be_in_viewport(ratio=1)
        expect(page.get_by_role("button", name="Save", exact=True)).to_be_in_viewport(ratio=1)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"wheel-cores-{width}-{scheme}.png"))
    assert page.evaluate(OVERFLOWING) == []
    for core in page.evaluate(CORES):
        choose(page, core["label"])
        expect(page.locator(".wheel")).to_have_attribute("data-mode", "words")
        # The chosen core stays in view at the centre, by its name, while its words show.
        centre = page.get_by_role("radio", name=f"Just {core['label'].lower()}", exact=True)
        expect(centre).to_be_visible()
        expect(centre).to_contain_text(core["label"])
        assert page.evaluate(OVERFLOWING) == [], core["id"]
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        if core["id"] in ("loving", "sad"):
            page.screenshot(path=str(SHOTS / f"wheel-{core['id']}-{width}-{scheme}.png"))
        page.get_by_role("button", name="← All feelings").tap()
    context.close()


def test_cores_sit_by_energy_and_pleasantness(page, base_url):
    open_app(page, base_url)
    cx, cy = box_centre(page.locator(".wheel-circle"))
    for core in page.evaluate(CORES):
        x, y = box_centre(page.get_by_role("radio", name=core["label"], exact=True))
        assert (y < cy) == (core["energy"] == "high"), (
            f"{core['id']}: high energy is above the centre"
        )
        if core["pleasant"] is not None:
            assert (x > cx) == core["pleasant"], f"{core['id']}: pleasant is right of the centre"
    # Screen readers hear the map that sighted people see.
    expect(page.get_by_role("radiogroup", name="Core feelings")).to_have_accessible_description(
        "Arranged by energy, low at the bottom and high at the top, and by pleasantness, "
        "unpleasant on the left and pleasant on the right."
    )


def test_a_word_can_be_understood_before_choosing_it(page, base_url):
    open_app(page, base_url)
    choose(page, "Sad")
    lonely = page.get_by_role("radio", name="lonely", exact=True)
    expect(lonely).to_have_accessible_description("wanting closeness that isn’t there right now")
    page.keyboard.press("ArrowRight")  # keyboard: moving onto a word shows what it means
    focused = page.locator(".wheel [role=radio]:focus")
    name = focused.get_attribute("aria-label") or focused.inner_text().strip()
    expect(page.locator("#wheel-chosen")).to_contain_text(f"{name} —")
    expect(focused).to_have_attribute("aria-checked", "false")  # only looked at, not chosen
    lonely.tap()
    expect(lonely).to_have_attribute("aria-checked", "true")


def test_a_moment_after_save_is_in_view(page, base_url):
    """After Save from far down, the word in its colour, the line, support after a heavy state and
    the suggested practice are on screen above a fresh wheel; the toast is then read out only."""
    open_app(page, base_url)
    choose(page, "Sad")
    choose(page, "hopeless")
    open_row(page, "How strong")
    page.get_by_role(
        "radiogroup", name="How strong, from 1 (barely there) to 5 (very strong)"
    ).get_by_role("radio", name="5").tap()
    open_row(page, "Note")
    page.get_by_role("textbox", name="Note · optional").fill("A long day.")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.get_by_role("button", name="Save", exact=True).tap()
    moment = page.locator(".moment")
    expect(moment).to_be_in_viewport()
    expect(moment.locator(".moment-word")).to_have_text("hopeless")
    expect(moment).to_contain_text("Noted. Naming it is the practice.")
    expect(moment.get_by_role("link", name="Need support now?")).to_be_in_viewport()
    expect(
        page.get_by_role("heading", name="If you’d like, something small to try")
    ).to_be_in_viewport()
    expect(page.get_by_role("radio", name="Numb / can’t tell", exact=True)).to_have_attribute(
        "aria-checked", "false"
    )
    # The moment says what the toast said: the toast stays for screen readers, shown nowhere.
    toast = page.locator("#toast")
    expect(toast).to_contain_text("Thank you for noticing")
    expect(toast).to_have_css("clip", "rect(0px, 0px, 0px, 0px)")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "moment-after-save-390.png"))
    # A light state: no support link.
    choose(page, "Calm")
    page.get_by_role("button", name="Save", exact=True).tap()
    expect(page.locator(".moment .moment-word")).to_have_text("calm")
    expect(page.locator(".moment").get_by_role("link", name="Need support now?")).to_have_count(0)


def test_the_whole_check_in_fits_one_phone_screen_until_a_row_opens(browser, watch, base_url):
    context = new_phone(browser, watch, viewport={"width": 390, "height": 844})
    page = context.new_page()
    open_app(page, base_url)
    for radio in page.locator(".wheel [role=radio]").all():
        expect(radio).to_be_in_viewport(ratio=1)
    for summary in page.locator(".detail-row > summary").all():
        expect(summary).to_be_in_viewport(ratio=1)
    expect(page.get_by_role("button", name="Save", exact=True)).to_be_in_viewport(ratio=1)
    # A row says what was chosen in it; one opens at a time.
    choose(page, "Calm")
    open_row(page, "How strong")
    page.get_by_role("radio", name="2 — mild").tap()
    open_row(page, "When")
    expect(page.locator(".detail-row[open]")).to_have_count(1)
    expect(page.locator(".detail-row", has_text="How strong")).to_contain_text("2 · mild")
    expect(page.locator(".detail-row", has_text="When")).to_contain_text("Now")
    context.close()


CHIP_BOXES = """() => Object.fromEntries([...document.querySelectorAll('.detail-row[open] .chip')]
  .map((el) => [el.closest('[role=group], [role=radiogroup]').getAttribute('aria-label') + '|' + el.textContent,
                ((r) => [r.x + scrollX, r.y + scrollY, r.width, r.height].join())(el.getBoundingClientRect())]))"""


@pytest.mark.parametrize("row", ["How strong", "What’s going on"])
def test_toggling_a_chip_never_moves_its_neighbours(page, base_url, row):
    open_app(page, base_url)
    open_row(page, row)
    chips = page.locator(".detail-row[open] .chip")
    for i in range(chips.count()):
        before = page.evaluate(CHIP_BOXES)
        chip = chips.nth(i)
        chip.tap()
        after = page.evaluate(CHIP_BOXES)
        assert after == before, f"tapping chip {i} moved something"
        chip.tap()  # and back


def test_body_chips_never_move_what_was_there(page, base_url):
    """Choosing a place brings its sensation words beside the figure (new chips); no chip or
    place already on screen moves, and toggling a word moves nothing."""
    open_app(page, base_url)
    open_row(page, "Where in the body")
    places = page.get_by_role("group", name="Where in the body").get_by_role("button")
    figure = "(el) => ((r) => [r.x + scrollX, r.y + scrollY, r.width, r.height])(el.getBoundingClientRect())"
    for i in range(places.count()):
        before, shape = page.evaluate(CHIP_BOXES), page.locator(".body-figure").evaluate(figure)
        places.nth(i).tap()
        after = page.evaluate(CHIP_BOXES)
        moved = [k for k in before.keys() & after.keys() if before[k] != after[k]]
        assert not moved, f"place {i} moved {moved}"
        assert page.locator(".body-figure").evaluate(figure) == shape, f"place {i} moved the figure"
        places.nth(i).tap()  # and back
    places.get_by_text("Chest", exact=True).tap()
    words = page.get_by_role("group", name="Chest feels").get_by_role("button")
    for i in range(words.count()):
        before = page.evaluate(CHIP_BOXES)
        words.nth(i).tap()
        assert page.evaluate(CHIP_BOXES) == before, f"word {i} moved something"
        words.nth(i).tap()


@pytest.mark.parametrize("width", [320, 390])
def test_a_body_you_touch(browser, watch, base_url, width):
    """The figure is at least 60% of the screen wide; tapping a place on it chooses the same place
    as its chip, filled with the feeling's colour; nothing spills sideways."""
    context = new_phone(browser, watch, viewport={"width": width, "height": 844})
    page = context.new_page()
    open_app(page, base_url)
    choose(page, "Sad")
    open_row(page, "Where in the body")
    figure = page.locator(".body-picker .body-figure")
    assert figure.bounding_box()["width"] >= 0.6 * width
    page.locator(".body-figure [data-region=chest]").tap()
    chip = page.get_by_role("group", name="Where in the body").get_by_role("button", name="Chest")
    expect(chip).to_have_attribute("aria-pressed", "true")
    fill = page.evaluate(
        "getComputedStyle(document.querySelector('.body-figure [data-region=chest]')).fill"
    )
    sad = page.evaluate("""async () => (await import(document.querySelector('meta[name=thaw-static]').content
      + '/js/feelings.js')).core('sad').light""")
    rgb = tuple(int(sad[i : i + 2], 16) for i in (1, 3, 5))
    assert fill == f"rgb({rgb[0]}, {rgb[1]}, {rgb[2]})"
    words = page.get_by_role("group", name="Chest feels")
    expect(words).to_be_visible()
    # The words stand beside the figure, right of the body and level with it, not below.
    body, beside = figure.bounding_box(), words.bounding_box()
    arm_right = page.locator(".body-figure [data-region=arms]").bounding_box()
    assert beside["x"] >= arm_right["x"] + arm_right["width"] - 1, (beside, arm_right)
    assert beside["y"] < body["y"] + body["height"] / 2, (beside, body)
    assert beside["x"] + beside["width"] <= width
    words.get_by_role("button", name="tight").tap()
    page.locator(".body-figure [data-region=stomach]").tap()  # another place: its words instead
    expect(page.get_by_role("group", name="Stomach feels")).to_be_visible()
    expect(page.get_by_role("group", name="Chest feels")).to_have_count(0)
    expect(page.get_by_role("button", name="Chest: tight — change")).to_be_visible()
    page.locator(".body-figure [data-region=chest]").tap()  # a chosen place: its words again
    expect(words.get_by_role("button", name="tight")).to_have_attribute("aria-pressed", "true")
    page.locator(".body-figure [data-region=chest]").tap()  # the place whose words show: off
    expect(chip).to_have_attribute("aria-pressed", "false")
    expect(page.get_by_role("group", name="Stomach feels")).to_be_visible()
    page.locator(".body-figure [data-region=stomach]").tap()
    page.locator(".body-figure [data-region=chest]").tap()
    chip.tap()  # the chip and the figure are one state
    expect(page.locator(".body-figure [data-region=chest]")).not_to_have_class("on")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert page.evaluate(OVERFLOWING.replace(".wheel [role=radio]", ".body-picker .chip")) == []
    SHOTS.mkdir(exist_ok=True)
    page.locator(".body-figure [data-region=stomach]").tap()
    page.screenshot(path=str(SHOTS / f"body-{width}.png"))
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_on_every_state_of_the_check_in(page, base_url, scheme):
    from axe_playwright_python.sync_playwright import Axe

    page.emulate_media(color_scheme=scheme, reduced_motion="reduce")
    open_app(page, base_url)
    axe = Axe()
    results = {"cores": axe.run(page)}
    choose(page, "Loving")
    open_row(page, "Where in the body")
    page.locator(".body-figure [data-region=chest]").tap()
    results["words + body"] = axe.run(page)
    choose(page, "compassionate")
    open_row(page, "How strong")
    page.get_by_role("radio", name="4 — strong").tap()
    page.get_by_role("button", name="Save", exact=True).tap()
    expect(page.locator(".moment")).to_be_visible()
    results["moment after save"] = axe.run(page)
    page.get_by_role("button", name="Save", exact=True).tap()
    expect(page.get_by_role("alert").filter(has_text="Choose a feeling")).to_be_visible()
    results["error at the wheel"] = axe.run(page)
    assert serious_problems(results) == {name: [] for name in results}
