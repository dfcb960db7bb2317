"""Shared set-up for benchmarks: the real server and Debian's Chromium as a phone."""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    start_server,
    stop_server,
)

# Waits in the page for a condition, woken by DOM changes rather than timers.
UNTIL = """() => {
  window.__until = (check) => new Promise((resolve) => {
    const done = () => { const v = check(); if (v) { observer.disconnect(); resolve(v); } return v; };
    const observer = new MutationObserver(done);
    observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    done();
  });
}"""

SEED = """async ({count, start, step}) => {
  const db = await import(document.querySelector('meta[name=thaw-static]').content + '/js/db.js');
  const { createEntry } = await import(document.querySelector('meta[name=thaw-static]').content + '/js/entry.js');
  const { CORES } = await import(document.querySelector('meta[name=thaw-static]').content + '/js/feelings.js');
  const { format } = await import(document.querySelector('meta[name=thaw-static]').content + '/js/hlc.js');
  const conn = await db.openDb();
  const entries = [];
  for (let i = 0; i < count; i++) {
    const core = CORES[i % CORES.length];
    const when = new Date(start + i * step);
    entries.push(createEntry({
      feeling: i % 13 === 0 ? { core: 'numb' } : { core: core.id, word: core.words[i % core.words.length][0] },
      intensity: (i % 5) + 1,
      body: [{ region: 'chest', sensations: ['tight'] }],
      tags: ['work'],
      note: `Seeded entry ${i}`,
    }, { hlc: format({ wall: when.getTime(), counter: 0, node: '0123456789abcdef' }),
         at: when.toISOString() }));
  }
  await db.write(conn, { entries });
  conn.close();
  return entries.length;
}"""


@contextmanager
def phone_app() -> Iterator[tuple[str, object, Path]]:
    """The real server (rate limit off) on a temporary folder, and Debian's Chromium.

    Yields (the server's URL, the browser, the temporary folder).
    """
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(Path(tmp) / "data", {"THAW_RATE_LIMIT": "off"})
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    yield server.url, browser, Path(tmp)
                finally:
                    browser.close()
        finally:
            stop_server(server)


def open_with_history(browser, url: str, route: str, count: int, span_days: float):
    """A new phone on `route` whose IndexedDB holds `count` check-ins spread over `span_days`."""
    page = browser.new_context(**PHONE, accept_downloads=True).new_page()
    page.goto(f"{url}/#{route}")
    page.wait_for_selector(f"body[data-ready={route}]")
    if count:
        step = span_days * 86_400_000 / count
        page.evaluate(
            SEED,
            {"count": count, "start": time.time() * 1000 - span_days * 86_400_000, "step": step},
        )
        page.reload()
        page.wait_for_selector(f"body[data-ready={route}]")
    return page


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


__all__ = [
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "PHONE",
    "ROOT",
    "SEED",
    "UNTIL",
    "percentile",
    "start_server",
    "stop_server",
]
