"""Your data on a phone: export, delete everything, import back; the printable summary."""

from __future__ import annotations

import json
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from .app import check_in, choose, go, open_app, open_row, save, stored


def make_history(page: Page) -> None:
    choose(page, "Sad")
    choose(page, "lonely")
    open_row(page, "How strong")
    page.get_by_role("radio", name="4 — strong").tap()
    open_row(page, "Where in the body")
    page.get_by_role("group", name="Where in the body").get_by_role("button", name="Throat").tap()
    page.get_by_role("group", name="Throat feels").get_by_role("button", name="tight").tap()
    open_row(page, "What’s going on")
    page.get_by_label("Add your own").fill("night bus")
    page.get_by_role("button", name="Add", exact=True).last.tap()
    open_row(page, "Note")
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
    expect(
        page.get_by_role("status").filter(has_text="Everything on this device was deleted.")
    ).to_be_visible()


def import_file(page: Page, path: Path) -> None:
    go(page, "Settings")
    page.get_by_label("Choose a file to import").set_input_files(str(path))


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
    open_row(page, "What’s going on")
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
    expect(page.get_by_role("alert")).to_contain_text("not one Thaw can import")
    assert stored(page) == before


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
