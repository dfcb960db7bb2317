"""Switching to Thaw: Daylio (CSV and backup), How We Feel and Bearable, through Settings.

Each file is a fixture written for these tests (tests/js/fixtures), never a real diary.
"""

from __future__ import annotations

import base64
import io
import json
import re
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

from playwright.sync_api import Page, expect

from .app import go, history_cards, live, open_app, stored

FIXTURES = Path(__file__).resolve().parent.parent / "js" / "fixtures"


def daylio_backup(tmp_path: Path, data: dict | str | None = None) -> Path:
    """A .daylio archive as Daylio writes it: backup.daylio (base64 of JSON) and a photo."""
    text = (
        data
        if isinstance(data, str)
        else json.dumps(data or json.loads((FIXTURES / "daylio-backup.json").read_text()))
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("assets/photos/2023/11/abc123", b"\xff\xd8" + bytes(4096))
        archive.writestr("backup.daylio", base64.b64encode(text.encode()).decode())
    target = tmp_path / "backup_2023_11_23.daylio"
    target.write_bytes(buffer.getvalue())
    return target


def daylio_csv(target: Path, rows: list[int], note: str = "") -> Path:
    """A Daylio CSV export with the given rows of one diary: row i is 5 hours before row i - 1
    (from 2024-06-01 21:05), so every row has its own minute and a subset keeps the same ids."""
    start = datetime(2024, 6, 1, 21, 5)
    lines = ["full_date,date,weekday,time,mood,activities,note"]
    for i in rows:
        when = start - timedelta(hours=5 * i)
        lines.append(
            f"{when:%Y-%m-%d},{when:%B} {when.day},{when:%A},{when:%H:%M},"
            f"{['rad', 'good', 'meh', 'bad', 'awful'][i % 5]},work | friends,{note} {i}".rstrip()
        )
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def import_all(page: Page, path: Path) -> None:
    """Choose the file and tap Import, whatever the number of check-ins."""
    choose_file(page, path)
    mapping(page).get_by_role("button", name=re.compile(r"^Import [\d,]+ check-ins?$")).tap()


def choose_file(page: Page, path: Path) -> None:
    go(page, "Settings")
    page.get_by_label("Choose a file to import").set_input_files(str(path))


def mapping(page: Page):
    return page.locator(".import-panel")


def row_select(page: Page, name: str):
    return mapping(page).get_by_role("combobox", name=re.compile(rf"^{re.escape(name)} "))


def import_now(page: Page, count: int) -> None:
    noun = "check-in" if count == 1 else "check-ins"
    mapping(page).get_by_role("button", name=f"Import {count} {noun}").tap()


def summary_line(page: Page):
    return page.locator(".import-result .summary-line")


def test_daylio_csv_mapping_import_history_and_again(page, base_url):
    open_app(page, base_url)
    choose_file(page, FIXTURES / "daylio-note-title.csv")
    expect(mapping(page).get_by_role("heading")).to_have_text("From Daylio: 7 check-ins")
    expect(row_select(page, "Good")).to_have_value("happy|content")
    expect(row_select(page, "RAD")).to_have_value("happy|joyful")
    expect(row_select(page, "Meh")).to_have_value("calm|")
    expect(row_select(page, "stressed")).to_have_value("scared|stressed")
    expect(row_select(page, "couldn’t care less")).to_have_value("numb|")
    expect(mapping(page).get_by_text("2 check-ins", exact=True)).to_be_visible()
    mapping(page).get_by_text("1 row can’t be read and will be skipped").tap()
    expect(mapping(page)).to_contain_text("Row 9: The time (“late”) can’t be read.")
    assert stored(page) == [], "nothing is written before Import"

    row_select(page, "couldn’t care less").select_option(label="Sad · weary")
    row_select(page, "sleepy").select_option(label="Calm · sleepy (yours)")
    import_now(page, 7)
    expect(summary_line(page)).to_have_text("From Daylio: Imported 7, already had 0, skipped 1.")
    result = page.locator(".import-result")
    expect(result).to_contain_text("couldn’t care less → Sad · weary (2)")
    expect(result).to_contain_text("Tags: family, cooking, music")
    assert "null" not in result.inner_text()
    expect(mapping(page)).to_have_count(0)

    entries = live(page)
    assert len(entries) == 7
    hike = next(e for e in entries if e["note"].startswith("Hike!"))
    assert hike["feeling"] == {"core": "happy", "word": "joyful"}
    assert hike["tags"] == ["friends", "outdoors", "long walk"]
    assert hike["note"] == "Hike!\nReached the top\nwindy & bright"
    assert hike["at"].startswith("2022-03-10T16:30")
    go(page, "History")
    expect(history_cards(page)).to_have_count(7)
    expect(history_cards(page).first).to_contain_text("Made soup with Mum, she told the old story")
    expect(history_cards(page).first).to_contain_text("#family #cooking #music")

    choose_file(page, FIXTURES / "daylio-note-title.csv")
    import_now(page, 7)
    expect(summary_line(page)).to_have_text("From Daylio: Imported 0, already had 7, skipped 1.")
    assert len(live(page)) == 7


def test_daylio_backup_lands_by_name_and_level(page, base_url, tmp_path):
    open_app(page, base_url)
    choose_file(page, daylio_backup(tmp_path))
    expect(mapping(page).get_by_role("heading")).to_have_text("From Daylio backup: 5 check-ins")
    expect(row_select(page, "meh+")).to_have_value("happy|content")
    expect(row_select(page, "Knackered")).to_have_value("sad|")
    expect(row_select(page, "Anxious")).to_have_value("scared|anxious")
    expect(mapping(page)).to_contain_text("Daylio level 4 of 5")
    expect(mapping(page)).to_contain_text("Photos (on 1 entries) stay in Daylio")
    import_now(page, 5)
    expect(summary_line(page)).to_have_text(
        "From Daylio backup: Imported 5, already had 0, skipped 1."
    )
    lake = next(e for e in live(page) if e["note"].startswith("Lake day"))
    assert lake["at"] == "2023-11-19T10:45:00.000-05:00"
    assert lake["tags"] == ["friends", "long walk"]
    go(page, "History")
    expect(history_cards(page)).to_have_count(5)
    expect(page.locator("#history-root")).to_contain_text("Walked to the lake with Sam")

    choose_file(page, daylio_backup(tmp_path))
    import_now(page, 5)
    expect(summary_line(page)).to_contain_text("Imported 0, already had 5")
    assert len(live(page)) == 5


def test_a_large_import_lands_once_however_often_it_comes(page, base_url, tmp_path):
    # Enough rows for several transactions and batches (journal.js, db.js), half of them first,
    # so the rest meet stored check-ins spread over every key range a slice reads.
    open_app(page, base_url)
    total = 2_600
    import_all(page, daylio_csv(tmp_path / "half.csv", list(range(0, total, 2))))
    expect(summary_line(page)).to_have_text(
        "From Daylio: Imported 1,300, already had 0.", timeout=30_000
    )
    import_all(page, daylio_csv(tmp_path / "all.csv", list(range(total))))
    expect(summary_line(page)).to_have_text(
        "From Daylio: Imported 1,300, already had 1,300.", timeout=30_000
    )
    # A few rows against the whole journal (one read per row there), then the whole file again.
    import_all(page, daylio_csv(tmp_path / "few.csv", list(range(0, total, 130))))
    expect(summary_line(page)).to_have_text("From Daylio: Imported 0, already had 20.")
    import_all(page, daylio_csv(tmp_path / "all.csv", list(range(total))))
    expect(summary_line(page)).to_have_text(
        "From Daylio: Imported 0, already had 2,600.", timeout=30_000
    )
    entries = live(page)
    assert len(entries) == len({e["id"] for e in entries}) == total
    assert sorted(int(e["note"]) for e in entries) == list(range(total))


def test_how_we_feel_words_and_reflections(page, base_url):
    open_app(page, base_url)
    choose_file(page, FIXTURES / "howwefeel-2026.csv")
    expect(mapping(page).get_by_role("heading")).to_have_text("From How We Feel: 4 check-ins")
    expect(row_select(page, "Down")).to_have_value("sad|down")
    expect(row_select(page, "Ansioso")).to_have_value("scared|anxious")
    row_select(page, "Down").select_option(label="Sad · weary")
    import_now(page, 4)
    expect(summary_line(page)).to_have_text("From How We Feel: Imported 4, already had 0.")
    down = next(e for e in live(page) if e["note"].startswith("A heavy day"))
    assert down["feeling"] == {"core": "sad", "word": "weary"}
    assert "Takeaways:\nCall Mum tomorrow" in down["note"]
    go(page, "History")
    expect(history_cards(page)).to_have_count(4)
    expect(history_cards(page).first).to_contain_text("A heavy day, slept most of it")


def test_bearable_moods_at_stated_times_with_tags(page, base_url):
    open_app(page, base_url)
    choose_file(page, FIXTURES / "bearable.csv")
    expect(mapping(page).get_by_role("heading")).to_have_text("From Bearable: 5 check-ins")
    expect(mapping(page)).to_contain_text("morning (“am”) 9:00")
    expect(mapping(page)).to_contain_text("Not imported — numbers Thaw doesn’t keep: Energy (1)")
    expect(row_select(page, "Mood 6 of 10")).to_have_value("calm|")
    import_now(page, 5)
    expect(summary_line(page)).to_have_text("From Bearable: Imported 5, already had 0, skipped 1.")
    anxious = next(e for e in live(page) if e["feeling"].get("word") == "anxious")
    assert anxious["at"].startswith("2020-09-22T09:00")
    assert anxious["tags"] == ["headache", "nausea"]
    go(page, "History")
    expect(history_cards(page)).to_have_count(5)
    expect(page.locator("#history-root")).to_contain_text("#headache #nausea")


def test_a_broken_file_names_its_row_and_writes_nothing(page, base_url, tmp_path):
    open_app(page, base_url)
    choose_file(page, FIXTURES / "daylio-no-header.csv")
    import_now(page, 2)
    expect(summary_line(page)).to_contain_text("Imported 2")
    before = stored(page)

    choose_file(page, FIXTURES / "daylio-broken.csv")
    expect(page.get_by_role("alert")).to_have_text(
        "Row 4 of this Daylio file can’t be read: A quoted field never ends — the file may be "
        "cut short. Nothing was imported."
    )
    expect(mapping(page)).to_have_count(0)
    bomb = tmp_path / "bomb.daylio"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("backup.daylio", bytes(80 * 1024 * 1024))
    choose_file(page, bomb)
    expect(page.get_by_role("alert")).to_contain_text("larger than 48 MB")
    choose_file(page, daylio_backup(tmp_path, '{"dayEntries": [1, 2'))
    expect(page.get_by_role("alert")).to_contain_text("not complete JSON")
    assert stored(page) == before
    assert "null" not in page.locator(".import-box").inner_text()
