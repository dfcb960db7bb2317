"""The check-in on a phone: taps, what History shows, and what IndexedDB holds."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .app import check_in, choose, go, history_cards, live, open_app, open_row, save, stored
from .conftest import wait_for_offline_ready

HLC = re.compile(r"^\d{13}-[0-9a-f]{4}-[0-9a-f]{16}$")


def test_three_tap_checkin_appears_in_history(page, base_url, watch):
    open_app(page, base_url)
    choose(page, "Sad")
    expect(page.locator(".chosen")).to_contain_text("Sad — a sense of loss")
    choose(page, "lonely")
    expect(page.locator(".chosen")).to_have_text(
        "lonely — wanting closeness that isn’t there right now"
    )
    save(page)
    [entry] = stored(page)
    assert entry["feeling"] == {"core": "sad", "word": "lonely"}
    assert entry["intensity"] is None and entry["body"] == [] and entry["tags"] == []
    assert entry["note"] == "" and entry["deleted"] is False
    assert HLC.match(entry["hlc"])
    go(page, "History")
    expect(page.get_by_role("heading", name="Today")).to_be_visible()
    expect(history_cards(page)).to_have_count(1)
    expect(history_cards(page).first).to_contain_text("Sad · lonely")
    assert watch.errors == []


def test_two_tap_numb_checkin(page, base_url):
    open_app(page, base_url)
    choose(page, "Numb / can’t tell")
    expect(page.locator(".chosen")).to_contain_text("that is a real answer")
    save(page)
    assert [e["feeling"] for e in stored(page)] == [{"core": "numb"}]
    go(page, "History")
    expect(history_cards(page).first).to_contain_text("Numb / can’t tell")


def test_just_a_core_without_a_word(page, base_url):
    open_app(page, base_url)
    choose(page, "Calm")
    expect(page.get_by_role("radio", name="Just calm")).to_have_attribute("aria-checked", "true")
    save(page)
    assert [e["feeling"] for e in stored(page)] == [{"core": "calm"}]


def test_full_checkin_round_trips_exactly_and_remembers_own_tag(page, base_url):
    open_app(page, base_url)
    choose(page, "Scared")
    choose(page, "anxious")
    open_row(page, "How strong")
    page.get_by_role("radio", name="4 — strong").tap()
    open_row(page, "Where in the body")
    regions = page.get_by_role("group", name="Where in the body")
    regions.get_by_role("button", name="Chest").tap()
    page.get_by_role("group", name="Chest feels").get_by_role("button", name="tight").tap()
    regions.get_by_role("button", name="Stomach").tap()  # its words replace the chest's
    page.get_by_role("group", name="Stomach feels").get_by_role("button", name="hollow").tap()
    page.get_by_role("button", name="Chest: tight — change").tap()  # back to the chest
    page.get_by_role("group", name="Chest feels").get_by_role("button", name="buzzing").tap()
    open_row(page, "What’s going on")
    page.get_by_role("group", name="What’s going on").get_by_role("button", name="work").tap()
    page.get_by_label("Add your own").fill("Night  Shift")
    page.get_by_role("button", name="Add", exact=True).last.tap()
    note = "Before the meeting.\nHands cold — «ça va» 🙂"
    open_row(page, "Note")
    page.get_by_role("textbox", name="Note · optional").fill(note)
    save(page)

    [entry] = stored(page)
    assert entry["feeling"] == {"core": "scared", "word": "anxious"}
    assert entry["intensity"] == 4
    assert entry["body"] == [
        {"region": "chest", "sensations": ["tight", "buzzing"]},
        {"region": "stomach", "sensations": ["hollow"]},
    ]
    assert entry["tags"] == ["work", "night shift"]
    assert entry["note"] == note

    # The form is fresh again, and the own tag is offered for the next check-in.
    open_row(page, "What’s going on")
    tags = page.get_by_role("group", name="What’s going on")
    expect(tags.get_by_role("button", name="night shift")).to_have_attribute(
        "aria-pressed", "false"
    )
    page.reload()
    open_row(page, "What’s going on")
    expect(
        page.get_by_role("group", name="What’s going on").get_by_role("button", name="night shift")
    ).to_be_visible()

    go(page, "History")
    # A compact row: the feeling, how strong, the tags and the note on one line (the body is in
    # the check-in it opens).
    card = history_cards(page).first
    expect(card).to_contain_text("Scared · anxious")
    expect(card).to_contain_text("Intensity 4 of 5")
    expect(card).to_contain_text("#work #night shift")
    expect(card.locator(".entry-note")).to_have_text(
        "Before the meeting. · Hands cold — «ça va» 🙂"
    )
    assert stored(page) == [entry], "reload keeps everything"


def test_own_word_is_kept_and_offered_again(page, base_url):
    open_app(page, base_url)
    choose(page, "Sad")
    page.get_by_role("button", name="+ My own word").tap()
    page.get_by_label("Your own word for sad").fill("Bluesy")
    page.get_by_role("button", name="Add", exact=True).first.tap()
    expect(page.get_by_role("radio", name="bluesy")).to_have_attribute("aria-checked", "true")
    expect(page.locator(".chosen")).to_have_text("bluesy — your own word for sad")
    save(page)
    assert stored(page)[0]["feeling"] == {"core": "sad", "word": "bluesy"}
    page.reload()
    choose(page, "Sad")
    expect(page.get_by_role("radio", name="bluesy")).to_be_visible()


def test_time_can_be_changed(page, base_url):
    open_app(page, base_url)
    choose(page, "Happy")
    yesterday = page.evaluate(
        """() => { const d = new Date(Date.now() - 86400000); d.setHours(9, 30, 0, 0);
        const p = (n) => String(n).padStart(2, '0');
        return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T09:30`; }"""
    )
    open_row(page, "When")
    # A date-and-time picker (made one when the row opens), showing now until changed.
    when = page.get_by_label("When")
    expect(when).to_have_attribute("type", "datetime-local")
    shown = when.input_value()
    assert page.evaluate("(v) => Math.abs(new Date(v) - Date.now()) < 5 * 60_000", shown), shown
    when.fill(yesterday)
    save(page)
    [entry] = stored(page)
    assert entry["at"].startswith(yesterday + ":00.000")
    go(page, "History")
    expect(page.get_by_role("heading", name="Yesterday")).to_be_visible()


def test_a_time_in_the_future_is_refused_and_nothing_is_saved(page, base_url):
    open_app(page, base_url)
    choose(page, "Happy")
    open_row(page, "When")
    page.get_by_label("When").fill("2099-01-01T10:00")
    page.get_by_role("button", name="Save", exact=True).tap()
    expect(page.get_by_role("alert").filter(has_text="still to come")).to_be_visible()
    assert stored(page) == []


def test_saving_without_a_feeling_explains_what_to_do(page, base_url):
    open_app(page, base_url)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # Save is tapped from below
    page.get_by_role("button", name="Save", exact=True).tap()
    alert = page.get_by_role("alert").filter(has_text="Choose a feeling on the wheel")
    expect(alert).to_be_visible()
    expect(alert).to_be_in_viewport()  # said where the eye is: at the wheel, scrolled into view
    assert stored(page) == []


def test_checkin_made_offline_is_there_after_reconnecting(page, phone, base_url):
    open_app(page, base_url)
    wait_for_offline_ready(page)
    phone.set_offline(True)
    page.reload()
    check_in(page, "Angry", "frustrated")
    phone.set_offline(False)
    page.reload()
    go(page, "History")
    expect(history_cards(page).first).to_contain_text("Angry · frustrated")
    assert len(live(page)) == 1


def test_edit_changes_only_what_was_edited(page, base_url):
    open_app(page, base_url)
    choose(page, "Loving")
    choose(page, "warm")
    open_row(page, "How strong")
    page.get_by_role("radio", name="2 — mild").tap()
    open_row(page, "Note")
    page.get_by_role("textbox", name="Note · optional").fill("Tea with Sam")
    save(page)
    [before] = stored(page)
    go(page, "History")
    history_cards(page).first.tap()
    expect(page.get_by_role("heading", name="Edit check-in")).to_be_visible()
    open_row(page, "Note")
    expect(page.get_by_role("textbox", name="Note · optional")).to_have_value("Tea with Sam")
    expect(page.get_by_role("radio", name="warm")).to_have_attribute("aria-checked", "true")
    open_row(page, "How strong")
    page.get_by_role("radio", name="3 — clear").tap()
    page.get_by_role("button", name="Save changes").tap()
    expect(page.locator("body")).to_have_attribute("data-ready", "history")
    expect(history_cards(page).first).to_contain_text("Intensity 3 of 5")
    [after] = stored(page)
    assert after["hlc"] > before["hlc"]
    changed = {k for k in before if before[k] != after[k]}
    assert changed == {"intensity", "hlc"}


def test_delete_then_undo_restores(page, base_url):
    open_app(page, base_url)
    check_in(page, "Surprised", "curious")
    go(page, "History")
    history_cards(page).first.tap()
    page.get_by_role("button", name="Delete").tap()
    dialog = page.get_by_role("dialog", name="Delete this check-in?")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Delete").tap()
    expect(page.locator("body")).to_have_attribute("data-ready", "history")
    expect(history_cards(page)).to_have_count(0)
    page.get_by_role("button", name="Undo").tap()
    expect(history_cards(page)).to_have_count(1)
    expect(history_cards(page).first).to_contain_text("Surprised · curious")
    [entry] = stored(page)
    assert entry["deleted"] is False and entry["feeling"]["word"] == "curious"


def test_delete_without_undo_is_gone_after_reload(page, base_url):
    open_app(page, base_url)
    check_in(page, "Calm", "rested")
    check_in(page, "Happy", "proud")
    go(page, "History")
    history_cards(page).filter(has_text="Calm · rested").tap()
    page.get_by_role("button", name="Delete").tap()
    page.get_by_role("dialog").get_by_role("button", name="Delete").tap()
    expect(history_cards(page)).to_have_count(1)
    page.reload()
    expect(history_cards(page)).to_have_count(1)
    expect(history_cards(page).first).to_contain_text("Happy · proud")
    tomb = [e for e in stored(page) if e["deleted"]]
    assert len(tomb) == 1 and set(tomb[0]) == {"id", "hlc", "deleted"}


def test_keeping_an_entry_when_asked_changes_nothing(page, base_url):
    open_app(page, base_url)
    check_in(page, "Sad", "weary")
    before = stored(page)
    go(page, "History")
    history_cards(page).first.tap()
    page.get_by_role("button", name="Delete").tap()
    page.get_by_role("dialog").get_by_role("button", name="Keep it").tap()
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert stored(page) == before


def test_back_button_moves_between_views(page, base_url):
    open_app(page, base_url)
    go(page, "History")
    go(page, "Patterns")
    page.go_back()
    expect(page.locator("body")).to_have_attribute("data-ready", "history")
    expect(page.get_by_role("link", name="History")).to_have_attribute("aria-current", "page")
    page.go_back()
    expect(page.locator("body")).to_have_attribute("data-ready", "checkin")


def test_persistent_storage_is_asked_for_after_the_first_checkin(phone, base_url):
    phone.add_init_script(
        """window.__persistAsked = 0;
        if (navigator.storage) {
          navigator.storage.persisted = async () => false;
          navigator.storage.persist = async () => { window.__persistAsked += 1; return true; };
        }"""
    )
    page = phone.new_page()
    open_app(page, base_url)
    assert page.evaluate("window.__persistAsked") == 0
    check_in(page, "Calm", "safe")
    page.wait_for_function("() => window.__persistAsked === 1")


def test_history_pages_through_many_checkins_newest_first(page, base_url):
    from datetime import date, timedelta

    from .app import local_today, make_entry, seed

    open_app(page, base_url)
    today = date.fromisoformat(local_today(page))
    seed(
        page,
        [
            make_entry(
                (today - timedelta(days=i // 3)).isoformat(), 8 + i % 3 * 4, "calm", note=f"n{i}"
            )
            for i in range(120)
        ],
    )
    go(page, "History")
    cards = history_cards(page)
    expect(cards).to_have_count(50)
    expect(cards.first.locator(".entry-note")).to_have_text("n2")  # 16:30 today is the newest
    more = page.get_by_role("button", name="Show earlier check-ins")
    more.tap()
    expect(cards).to_have_count(100)
    more.tap()
    expect(cards).to_have_count(120)
    expect(more).to_be_hidden()
    notes = cards.locator(".entry-note").all_inner_texts()
    assert len(set(notes)) == 120, "no check-in shown twice"


def test_many_own_words_stay_reachable(page, base_url):
    open_app(page, base_url)
    choose(page, "Sad")
    for word in ["bluesy", "heavy-hearted", "wistful", "mopey", "low", "rainy"]:
        page.get_by_role("button", name="+ My own word").tap()
        page.get_by_label("Your own word for sad").fill(word)
        page.get_by_role("button", name="Add", exact=True).first.tap()
        expect(page.get_by_role("radio", name=word)).to_have_attribute("aria-checked", "true")
    group = page.get_by_role("radiogroup", name="More precise words for sad")
    expect(group.get_by_role("radio")).to_have_count(15)  # "Just sad", 8 words, 6 own
    boxes = [r.bounding_box() for r in group.get_by_role("radio").all()]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            overlap_x = min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"])
            overlap_y = min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"])
            assert overlap_x <= 1 or overlap_y <= 1, "two words cover each other"
    page.get_by_role("radio", name="rainy").tap()
    save(page)
    assert stored(page)[0]["feeling"] == {"core": "sad", "word": "rainy"}


def test_undo_waits_while_the_keyboard_is_on_it(page, base_url):
    page.clock.install()
    open_app(page, base_url)
    check_in(page, "Calm", "peaceful")
    go(page, "History")
    history_cards(page).first.tap()
    page.get_by_role("button", name="Delete").tap()
    page.get_by_role("dialog").get_by_role("button", name="Delete").tap()
    undo = page.get_by_role("button", name="Undo")
    undo.focus()
    page.clock.run_for(60_000)  # a minute later, still there while focused
    expect(undo).to_be_visible()
    page.keyboard.press("Enter")
    expect(history_cards(page)).to_have_count(1)
