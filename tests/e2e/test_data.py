"""Your data on a phone: export, delete everything, import back; Daylio; the printable summary."""

from __future__ import annotations

import json
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from .app import check_in, choose, go, history_cards, live, open_app, save, stored

DAYLIO = Path(__file__).parent / "data" / "daylio_export.csv"


def make_history(page: Page) -> None:
    choose(page, "Sad")
    choose(page, "lonely")
    page.get_by_role("radio", name="4 — strong").tap()
    page.get_by_role("group", name="Where in the body").get_by_role("button", name="Throat").tap()
    page.get_by_role("group", name="Throat feels").get_by_role("button", name="tight").tap()
    page.get_by_label("Add your own").fill("night bus")
    page.get_by_role("button", name="Add", exact=True).last.tap()
    page.get_by_role("textbox", name="Note · optional").fill(
        'Rainy, "quiet" evening,\nsecond line 🌧️ — ça va'
    )
    save(page)
    check_in(page, "Numb / can’t tell")
    choose(page, "Calm")
    page.get_by_role("button", name="+ My own word").tap()
    page.get_by_label("Your own word for calm").fill("cosy")
    page.get_by_role("button", name="Add", exact=True).first.tap()
    save(page)


def export(page: Page, name: str, tmp_path: Path) -> Path:
    go(page, "Settings")
    with page.expect_download() as download:
        page.get_by_role("button", name=name).tap()
    target = tmp_path / download.value.suggested_filename
    download.value.save_as(target)
    return target


def delete_everything(page: Page) -> None:
    go(page, "Settings")
    page.get_by_role("button", name="Delete all my data on this device").tap()
    dialog = page.get_by_role("dialog", name="Delete all your data on this device?")
    with page.expect_navigation():
        dialog.get_by_role("button", name="Delete everything").tap()
    expect(page.locator("body")).to_have_attribute("data-ready", "checkin")


def import_file(page: Page, path: Path) -> None:
    go(page, "Settings")
    page.get_by_label("Import a Thaw export (.json) or a Daylio export (.csv)").set_input_files(
        str(path)
    )


def test_export_delete_all_import_brings_back_the_same_history(page, base_url, tmp_path):
    open_app(page, base_url)
    make_history(page)
    before = sorted(stored(page), key=lambda e: e["id"])
    exported = export(page, "Export everything (JSON)", tmp_path)
    assert re.fullmatch(r"thaw-\d{4}-\d{2}-\d{2}\.json", exported.name)
    data = json.loads(exported.read_text())
    assert data["format"] == "thaw-export" and len(data["entries"]) == 3
    assert data["ownTags"] == ["night bus"] and data["ownWords"] == {"calm": ["cosy"]}

    delete_everything(page)
    assert stored(page) == []
    go(page, "History")
    expect(page.get_by_text("No check-ins yet.")).to_be_visible()

    import_file(page, exported)
    expect(page.locator(".import-result .summary-line")).to_have_text("Imported 3, already had 0.")
    expect(page.locator(".import-result")).to_have_text("Imported 3, already had 0.")
    assert sorted(stored(page), key=lambda e: e["id"]) == before
    go(page, "Check in")
    choose(page, "Calm")
    expect(page.get_by_role("radio", name="cosy")).to_be_visible()
    expect(
        page.get_by_role("group", name="What’s going on").get_by_role("button", name="night bus")
    ).to_be_visible()

    import_file(page, exported)
    expect(page.locator(".import-result .summary-line")).to_have_text("Imported 0, already had 3.")
    assert len(stored(page)) == 3


def test_csv_export_opens_in_a_spreadsheet(page, base_url, tmp_path):
    open_app(page, base_url)
    make_history(page)
    exported = export(page, "Export for spreadsheets (CSV)", tmp_path)
    text = exported.read_bytes().decode("utf-8")
    lines = text.split("\r\n")
    assert lines[0] == "date,time,utc_offset,feeling,word,intensity,body,tags,note,id"
    assert '"Rainy, ""quiet"" evening,\nsecond line 🌧️ — ça va"' in text
    assert ",Sad,lonely,4,Throat: tight,night bus," in text


def test_a_broken_or_foreign_file_changes_nothing(page, base_url, tmp_path):
    open_app(page, base_url)
    check_in(page, "Happy", "proud")
    exported = export(page, "Export everything (JSON)", tmp_path)
    before = stored(page)
    cut = tmp_path / "cut.json"
    cut.write_text(exported.read_text()[:-40])
    import_file(page, cut)
    expect(page.get_by_role("alert")).to_contain_text("not complete JSON")
    foreign = tmp_path / "other.csv"
    foreign.write_text("name,score\nada,3\n")
    import_file(page, foreign)
    expect(page.get_by_role("alert")).to_contain_text("not a Thaw export or a Daylio CSV export")
    assert stored(page) == before


def test_daylio_import_maps_moods_and_shows_its_summary(page, base_url):
    open_app(page, base_url)
    import_file(page, DAYLIO)
    mapping = page.locator(".daylio-mapping")
    expect(mapping.get_by_role("heading")).to_contain_text("choose what each mood becomes")
    expect(mapping.get_by_label("“good” (4)")).to_have_value("happy|content")
    expect(mapping.get_by_label("“sleepy” (1)")).to_have_value("numb|")
    mapping.get_by_label("“sleepy” (1)").select_option(label="Calm · rested")
    mapping.get_by_label("“meh” (2)").select_option(label="Just calm")
    mapping.get_by_role("button", name="Import 10 check-ins").tap()
    result = page.locator(".import-result")
    expect(result.locator(".summary-line")).to_have_text(
        "From Daylio: Imported 9, already had 0, skipped 1 invalid."
    )
    expect(result).to_contain_text("sleepy → Calm · rested (1)")
    expect(result).to_contain_text("Activities became tags: family, cooking, music")
    result.get_by_text("See why some were skipped").tap()
    expect(result).to_contain_text("Row 11: The date or time")

    entries = live(page)
    assert len(entries) == 9
    hike = next(e for e in entries if e["note"].startswith("Hike!"))
    assert hike["feeling"] == {"core": "happy", "word": "joyful"}
    assert hike["tags"] == ["friends", "outdoors", "long walk"]
    assert hike["note"] == "Hike!\nReached the top, windy and bright"
    assert hike["at"].startswith("2024-03-10T16:30")
    go(page, "History")
    expect(history_cards(page)).to_have_count(9)
    expect(history_cards(page).first).to_contain_text("Made soup with Mum")

    import_file(page, DAYLIO)
    page.locator(".daylio-mapping").get_by_label("“sleepy” (1)").select_option(
        label="Calm · rested"
    )
    page.locator(".daylio-mapping").get_by_label("“meh” (2)").select_option(label="Just calm")
    page.get_by_role("button", name="Import 10 check-ins").tap()
    expect(page.locator(".import-result .summary-line")).to_contain_text(
        "Imported 0, already had 9"
    )
    assert len(live(page)) == 9


def test_printable_summary_renders_for_print(page, base_url, tmp_path):
    open_app(page, base_url)
    make_history(page)
    go(page, "Settings")
    page.get_by_role("link", name="Printable summary").tap()
    expect(page.locator("body")).to_have_attribute("data-ready", "summary")
    summary = page.locator(".summary-page")
    expect(summary).to_contain_text("3 check-ins")
    expect(summary).not_to_contain_text("Rainy")
    assert "null" not in summary.inner_text()
    page.get_by_label("Include my notes").check()
    expect(summary).to_contain_text('Rainy, "quiet" evening')
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print or save as PDF")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Sections")).to_be_hidden()
    expect(summary.get_by_role("heading", name="Thaw — a summary of check-ins")).to_be_visible()
    expect(
        summary.get_by_role("img", name=re.compile("Calendar: 1 day with a feeling named"))
    ).to_be_visible()
    expect(summary.get_by_text("Throat: 1 time — tight (1)")).to_be_visible()
    pdf = page.pdf(path=str(tmp_path / "summary.pdf"))
    assert pdf[:5] == b"%PDF-" and len(pdf) > 5000


def test_delete_all_also_unpairs_sync(page, base_url):
    open_app(page, base_url, "#settings")
    page.get_by_role("button", name="Start syncing").tap()
    expect(page.locator(".sync-status")).to_have_text("Up to date.")
    delete_everything(page)
    go(page, "Settings")
    expect(page.get_by_role("button", name="Start syncing")).to_be_visible()
