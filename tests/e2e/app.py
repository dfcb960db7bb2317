"""What a person does in Thaw, in Playwright steps shared by the end-to-end tests."""

from __future__ import annotations

from playwright.sync_api import Page, expect

READ_ENTRIES = """async () => {
  const db = await import(document.querySelector('meta[name=thaw-static]').content + '/js/db.js');
  const conn = await db.openDb();
  const all = await db.allEntries(conn);
  conn.close();
  return all;
}"""


def open_app(page: Page, base_url: str, route: str = "") -> None:
    page.goto(f"{base_url}/{route}")
    expect(page.locator("body")).to_have_attribute(
        "data-ready", route.lstrip("#").split("/")[0] or "checkin"
    )


def choose(page: Page, name: str) -> None:
    page.get_by_role("radio", name=name, exact=True).tap()


def save(page: Page) -> None:
    page.get_by_role("button", name="Save", exact=True).tap()
    expect(page.get_by_role("status").filter(has_text="Thank you for noticing")).to_be_visible()


def check_in(page: Page, core: str, word: str | None = None) -> None:
    choose(page, core)
    if word:
        choose(page, word)
    save(page)
    if page.evaluate("() => navigator.onLine"):
        # The moment after Save comes in above the wheel, and the page scrolls to it: the next
        # tap waits for it, as a person's eyes would, instead of landing while the page moves.
        expect(page.locator("#suggestion-slot > *")).to_have_count(1)


def open_row(page: Page, title: str) -> None:
    """Open one of the check-in's detail rows (How strong, Where in the body, What’s going on,
    Note, When), as a person taps it; the others close."""
    row = page.locator(".detail-row").filter(has=page.locator("summary", has_text=title))
    if row.get_attribute("open") is None:
        row.locator("summary").tap()
    expect(row).to_have_attribute("open", "")


def go(page: Page, tab: str) -> None:
    page.get_by_role("navigation", name="Sections").get_by_role("link", name=tab).tap()
    view = {"Check in": "checkin"}.get(tab, tab.lower())
    expect(page.locator("body")).to_have_attribute("data-ready", view)


def stored(page: Page) -> list[dict]:
    """Every entry in IndexedDB, tombstones included, read through the app's own db module."""
    return page.evaluate(READ_ENTRIES)


def live(page: Page) -> list[dict]:
    return [e for e in stored(page) if not e["deleted"]]


def history_cards(page: Page):
    return page.locator("#history-root .entry-card")


SEED_ENTRIES = """async (entries) => {
  const db = await import(document.querySelector('meta[name=thaw-static]').content + '/js/db.js');
  const conn = await db.openDb();
  await db.write(conn, { entries });
  conn.close();
}"""


def local_today(page: Page) -> str:
    return page.evaluate(
        "async () => (await import(document.querySelector('meta[name=thaw-static]').content + '/js/stats.js')).localToday()"
    )


def make_entry(day: str, hour: int, core: str, word: str | None = None, **fields) -> dict:
    """A stored check-in as the device keeps it, for seeding a history."""
    import uuid

    feeling = {"core": core, **({"word": word} if word else {})}
    return {
        "id": str(uuid.uuid4()),
        "at": f"{day}T{hour:02d}:30:00.000+00:00",
        "feeling": feeling,
        "intensity": fields.get("intensity"),
        "body": fields.get("body", []),
        "tags": fields.get("tags", []),
        "note": fields.get("note", ""),
        "hlc": f"{1_700_000_000_000 + hour:013d}-0000-0123456789abcdef",
        "deleted": False,
    }


def seed(page: Page, entries: list[dict]) -> None:
    page.evaluate(SEED_ENTRIES, entries)


def serious_problems(results: dict) -> dict:
    """axe's serious and critical violations for each named page state ({} lists when clean)."""
    return {
        name: [
            (v["id"], [n["target"] for n in v["nodes"]][:3])
            for v in result.response["violations"]
            if v["impact"] in {"serious", "critical"}
        ]
        for name, result in results.items()
    }


SMALL_TARGETS = """(selector) => [...document.querySelectorAll(selector)]
  .filter((el) => el.offsetParent !== null)
  .map((el) => ({ name: el.textContent.trim().slice(0, 30) || el.getAttribute('aria-label') || el.id,
                  box: el.getBoundingClientRect() }))
  .filter(({ box }) => box.width < 44 || box.height < 44)
  .map(({ name, box }) => `${name} ${Math.round(box.width)}x${Math.round(box.height)}`)"""


def small_targets(page: Page, selector: str) -> list[str]:
    """Visible controls matching `selector` smaller than 44 × 44 px, named (empty when none)."""
    return page.evaluate(SMALL_TARGETS, selector)
