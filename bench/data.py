"""Benchmark: export and import of 9,000 check-ins (about 5 years) in headless Chromium.

Export: the tap on "Export everything (JSON)" until the file is handed over. Import: choosing the
file on a fresh device until the summary shows. Also the CSV export. Target (issue "Your data"):
≤ 2 s each.
Run: .venv/bin/python bench/data.py
"""

from __future__ import annotations

import time

from browser import open_with_history, phone_app
from sync import LONGEST_TASK, WATCH_LONG_TASKS

COUNT = 9_000


def main() -> None:
    with phone_app() as (url, browser, tmp):
        page = open_with_history(browser, url, "settings", COUNT, 5 * 365)
        timings = {}
        for name, button in [
            ("json", "Export everything (JSON)"),
            ("csv", "Export for spreadsheets (CSV)"),
        ]:
            start = time.perf_counter()
            with page.expect_download() as download:
                page.get_by_role("button", name=button).click()
            timings[f"export {name}"] = time.perf_counter() - start
            target = tmp / download.value.suggested_filename
            download.value.save_as(target)
            if name == "json":
                exported = target
        size = exported.stat().st_size

        fresh = open_with_history(browser, url, "settings", 0, 0)
        fresh.evaluate(WATCH_LONG_TASKS)
        start = time.perf_counter()
        fresh.get_by_label(
            "Import a Thaw export (.json) or a Daylio export (.csv)"
        ).set_input_files(str(exported))
        fresh.locator(".import-result .summary-line").wait_for(timeout=60_000)
        timings["import json"] = time.perf_counter() - start
        summary = fresh.locator(".import-result .summary-line").inner_text()
        import_long = fresh.evaluate(LONGEST_TASK)
    print(f"{COUNT:,} check-ins; JSON export {size / 1e6:.1f} MB")
    for name, seconds in timings.items():
        print(f"{name:<12} {seconds:5.2f} s   (target ≤ 2 s)")
    print(f"import summary: {summary} Longest main-thread task during import: {import_long:.0f} ms")


if __name__ == "__main__":
    main()
