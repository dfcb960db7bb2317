"""Benchmark: export and import of 9,000 check-ins (about 5 years) in headless Chromium.

Export: the tap on "Export everything (JSON)" until the file is handed over. Import: choosing the
file on a fresh device until the summary shows. Also the CSV export. Target (issue "Your data"):
≤ 2 s each.
Run: .venv/bin/python bench/data.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from browser import CHROMIUM, CHROMIUM_ARGS, PHONE, SEED, start_server, stop_server
from playwright.sync_api import sync_playwright

COUNT = 9_000


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(Path(tmp) / "data")
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_context(**PHONE, accept_downloads=True).new_page()
                page.goto(server.url + "/")
                page.wait_for_selector("body[data-ready=checkin]")
                page.evaluate(
                    SEED, {"count": COUNT, "start": time.time() * 1000 - 5 * 365 * 86_400_000}
                )
                page.goto(server.url + "/#settings")
                page.wait_for_selector("body[data-ready=settings]")
                timings = {}
                for name, button in [
                    ("json", "Export everything (JSON)"),
                    ("csv", "Export for spreadsheets (CSV)"),
                ]:
                    start = time.perf_counter()
                    with page.expect_download() as download:
                        page.get_by_role("button", name=button).click()
                    timings[f"export {name}"] = time.perf_counter() - start
                    target = Path(tmp) / download.value.suggested_filename
                    download.value.save_as(target)
                    if name == "json":
                        exported = target
                size = exported.stat().st_size

                fresh = browser.new_context(**PHONE).new_page()
                fresh.goto(server.url + "/#settings")
                fresh.wait_for_selector("body[data-ready=settings]")
                start = time.perf_counter()
                fresh.get_by_label(
                    "Import a Thaw export (.json) or a Daylio export (.csv)"
                ).set_input_files(str(exported))
                fresh.locator(".import-result .summary-line").wait_for(timeout=60_000)
                timings["import json"] = time.perf_counter() - start
                summary = fresh.locator(".import-result .summary-line").inner_text()
                browser.close()
        finally:
            stop_server(server)
    print(f"{COUNT:,} check-ins; JSON export {size / 1e6:.1f} MB")
    for name, seconds in timings.items():
        print(f"{name:<12} {seconds:5.2f} s   (target ≤ 2 s)")
    print(f"import summary: {summary}")


if __name__ == "__main__":
    main()
