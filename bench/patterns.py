"""Benchmark: the Patterns screen fully drawn with 5 years of history (9,000 check-ins).

Prints the median and worst of 9 openings, from the tap to the last card drawn (the first one
includes the read from IndexedDB; later ones reuse what Patterns read while nothing changed), the
longest main-thread task while opening, and the time to switch to the year view. Target (issue 14): ≤ 150 ms median, no main-thread task over 100 ms, in headless
Chromium on a phone viewport. The machine may be shared: run it twice and say so.
Run: .venv/bin/python bench/patterns.py
"""

from __future__ import annotations

import statistics

from browser import UNTIL, open_with_history, phone_app
from sync import LONGEST_TASK, WATCH_LONG_TASKS

COUNT = 9_000
YEARS = 5
RUNS = 9

OPEN_PATTERNS = """async () => {
  const t0 = performance.now();
  location.hash = '#patterns';
  await __until(() => document.body.dataset.ready === 'patterns'
    && document.querySelector('[data-pattern="tags"]'));
  await new Promise(requestAnimationFrame);
  return performance.now() - t0;
}"""

OPEN_YEAR = """async () => {
  const t0 = performance.now();
  [...document.querySelectorAll('[data-pattern="calendar"] [role="radio"]')].at(-1).click();
  await __until(() => document.querySelector('.year-pixels'));
  await new Promise(requestAnimationFrame);
  return performance.now() - t0;
}"""


def main() -> None:
    with phone_app() as (url, browser, _):
        page = open_with_history(browser, url, "checkin", COUNT, YEARS * 365)
        times, longest = [], []
        for _ in range(RUNS):
            page.evaluate("() => { location.hash = '#checkin'; }")
            page.wait_for_selector("body[data-ready=checkin]")
            page.evaluate(UNTIL)
            page.evaluate(WATCH_LONG_TASKS)
            times.append(page.evaluate(OPEN_PATTERNS))
            longest.append(page.evaluate(LONGEST_TASK))
        sections = page.locator("[data-pattern]").count()
        page.evaluate(WATCH_LONG_TASKS)
        year = page.evaluate(OPEN_YEAR)
        year_long = page.evaluate(LONGEST_TASK)
    print(f"{COUNT:,} check-ins over {YEARS} years; {sections} cards drawn; {RUNS} openings")
    print(
        f"Patterns screen fully drawn: median {statistics.median(times):6.1f} ms, "
        f"worst {max(times):6.1f} ms, first {times[0]:6.1f} ms   (target ≤ 150 ms median)"
    )
    print(
        f"Longest main-thread task while opening: median {statistics.median(longest):5.0f} ms, "
        f"worst {max(longest):5.0f} ms   (target ≤ 100 ms; 0 = none over 50 ms)"
    )
    print(f"Switch to the year view: {year:6.1f} ms, longest task {year_long:4.0f} ms")


if __name__ == "__main__":
    main()
