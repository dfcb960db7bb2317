"""Shared set-up for benchmarks: the real server and Debian's Chromium as a phone."""

from __future__ import annotations

import sys
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

SEED = """async ({count, start}) => {
  const db = await import('/static/js/db.js');
  const { createEntry } = await import('/static/js/entry.js');
  const { CORES } = await import('/static/js/feelings.js');
  const { format } = await import('/static/js/hlc.js');
  const conn = await db.openDb();
  const entries = [];
  for (let i = 0; i < count; i++) {
    const core = CORES[i % CORES.length];
    const when = new Date(start + i * 4.8 * 3600_000);
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
