"""What a person does in Thaw, in Playwright steps shared by the end-to-end tests."""

from __future__ import annotations

from playwright.sync_api import Page, expect

READ_ENTRIES = """async () => {
  const db = await import('/static/js/db.js');
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
