"""Benchmark: the Patterns screen fully drawn with 5 years of history (about 9,000 check-ins).

Prints the median and worst of 7 openings, from the tap to the last picture drawn. Target
(issue "Patterns"): ≤ 300 ms in headless Chromium on a phone viewport.
Run: .venv/bin/python bench/patterns.py
"""

from __future__ import annotations

import statistics

from browser import UNTIL, open_with_history, phone_app

COUNT = 9_000
YEARS = 5

OPEN_PATTERNS = """async () => {
  const t0 = performance.now();
  location.hash = '#patterns';
  await __until(() => document.body.dataset.ready === 'patterns'
    && document.querySelector('[data-pattern="tags"]'));
  await new Promise(requestAnimationFrame);
  return performance.now() - t0;
}"""


def main() -> None:
    with phone_app() as (url, browser, _):
        page = open_with_history(browser, url, "checkin", COUNT, YEARS * 365)
        times = []
        for _ in range(7):
            page.evaluate("() => { location.hash = '#checkin'; }")
            page.wait_for_selector("body[data-ready=checkin]")
            page.evaluate(UNTIL)
            times.append(page.evaluate(OPEN_PATTERNS))
        sections = page.locator("[data-pattern]").count()
    print(f"{COUNT:,} check-ins over {YEARS} years; {sections} pictures drawn")
    print(
        f"Patterns screen fully drawn: median {statistics.median(times):6.1f} ms, "
        f"worst {max(times):6.1f} ms, first {times[0]:6.1f} ms   (target ≤ 300 ms)"
    )


if __name__ == "__main__":
    main()
