"""The first visit downloads only what the first screen needs; the rest loads when opened.

And the service worker, started once the first screen is shown, still keeps every screen
working offline from a cold start.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from .app import check_in, go, open_app, open_row
from .conftest import wait_for_offline_ready

FIXTURES = Path(__file__).resolve().parent.parent / "js" / "fixtures"

# Modules no part of the first screen may need, by what loads them.
LAZY = {
    "history": ["js/ui/history.js", "css/screens.css"],  # every screen but the check-in's styles
    "merge": ["js/merge.js"],  # when another device's changes arrive (tests/e2e/test_sync.py)
    "patterns": ["js/ui/patterns.js", "js/ui/charts.js", "js/stats.js"],
    "settings": [
        "js/ui/settings.js",
        "js/autosync.js",
        "js/sync.js",
        "js/vault.js",
        "js/devices.js",
        "vendor/uqr/uqr.js",
        "js/ui/data.js",
        "js/transfer.js",
    ],
    "import": ["js/ui/import.js", "js/imports.js", "js/daylio.js"],
    "practices": ["js/practices.js", "js/ui/practices.js"],
    "summary": ["js/ui/summary.js"],
    "body": ["js/ui/body.js"],  # built when its row first opens
}
ALL_LAZY = [module for modules in LAZY.values() for module in modules]

# The service worker is registered only once the first screen is on show: note what was on show.
NOTE_REGISTRATION = """
const register = ServiceWorkerContainer.prototype.register;
ServiceWorkerContainer.prototype.register = function (...args) {
  window.__registeredAt = {
    ready: document.body ? document.body.dataset.ready || null : null,
    wheel: Boolean(document.querySelector('#checkin-root [role="radio"]')),
  };
  return register.apply(this, args);
};
"""


def record(page: Page) -> list[str]:
    """The page's own requests (the worker's precache fetches are not the page's)."""
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


def loaded(urls: list[str], module: str) -> bool:
    return any(url.split("?")[0].endswith("/" + module) and "/static/" in url for url in urls)


def test_the_first_screen_loads_none_of_the_lazy_modules(page, base_url, watch):
    page.add_init_script(NOTE_REGISTRATION)
    urls = record(page)
    open_app(page, base_url)
    expect(page.get_by_role("radio", name="Calm", exact=True)).to_be_visible()
    wait_for_offline_ready(page)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__registeredAt") == {"ready": "checkin", "wheel": True}, (
        "the worker starts (and precaches) only once the first screen is shown"
    )
    assert [m for m in ALL_LAZY if loaded(urls, m)] == []
    scripts = [url for url in urls if url.endswith(".js")]
    assert len(scripts) <= 20, scripts
    assert watch.errors == []


def test_nothing_is_fetched_as_render_blocking(page, base_url, watch):
    """The first screen's CSS is inside the page, so its first paint waits for no request.
    Module scripts never block it either, but Chromium fetches an entry module at High priority,
    which Lighthouse counts toward First Contentful Paint. The page asks for every module at low
    priority, like the preloads."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    priorities: dict[str, str] = {}
    cdp.on(
        "Network.requestWillBeSent",
        lambda event: priorities.setdefault(
            event["request"]["url"], event["request"]["initialPriority"]
        ),
    )
    open_app(page, base_url)
    expect(page.get_by_role("radio", name="Calm", exact=True)).to_be_visible()
    static = [url for url in priorities if "/static/v/" in url and url.endswith((".js", ".css"))]
    assert any(url.endswith("/js/app.js") for url in static), static
    blocking = {
        url.rsplit("/", 1)[-1]: priorities[url]
        for url in static
        if priorities[url] in {"VeryHigh", "High"}
    }
    assert blocking == {}
    assert not any(url.endswith("/css/app.css") for url in priorities), "it is in the page"
    # The page's start script asks for the modules once the shell has been painted, so they do
    # not share the network with the page itself; all of them at once, not one level at a time.
    timing = page.evaluate("""() => ({
      paint: performance.getEntriesByName('first-contentful-paint')[0].startTime,
      modules: performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.js'))
        .map((e) => [e.name.split('/').pop(), e.startTime]),
    })""")
    firsts = dict(timing["modules"])
    assert len(firsts) > 5 and min(firsts.values()) >= timing["paint"], timing
    named = page.locator('meta[name="thaw-modules"]').get_attribute("content").split(" ")
    preloaded = page.eval_on_selector_all(
        "link[rel=modulepreload]", "links => links.map((l) => l.getAttribute('href'))"
    )
    assert [href.split("/", 4)[-1] for href in preloaded] == named
    scripts = [url for url in static if url.endswith(".js")]
    assert len(scripts) > 5 and all(priorities[url] == "Low" for url in scripts), {
        url.rsplit("/", 1)[-1]: priorities[url] for url in scripts
    }
    assert watch.errors == []


def test_without_paint_timing_the_app_still_starts(page, base_url, watch):
    """A browser or profile without PerformanceObserver (some hardened ones turn it off): the
    start script asks for the app at once, never leaving the person on "Opening…"."""
    page.add_init_script("delete window.PerformanceObserver")
    open_app(page, base_url)
    expect(page.get_by_role("radio", name="Calm", exact=True)).to_be_visible()
    assert page.evaluate("() => typeof PerformanceObserver") == "undefined"
    assert watch.errors == []


def test_opening_each_screen_loads_its_modules(page, base_url, watch):
    urls = record(page)
    open_app(page, base_url)
    open_row(page, "Where in the body")
    expect(page.get_by_role("group", name="Where in the body")).to_be_visible()
    assert all(loaded(urls, m) for m in LAZY["body"])
    go(page, "History")
    assert all(loaded(urls, m) for m in LAZY["history"])
    assert not any(loaded(urls, m) for m in LAZY["patterns"] + LAZY["settings"])

    go(page, "Patterns")
    assert all(loaded(urls, m) for m in LAZY["patterns"]), urls
    assert not any(loaded(urls, m) for m in LAZY["settings"])

    go(page, "Settings")
    expect(page.get_by_role("heading", name="Sync with another device")).to_be_visible()
    assert all(loaded(urls, m) for m in LAZY["settings"]), urls
    assert not any(loaded(urls, m) for m in LAZY["import"])

    page.get_by_label("Choose a file to import").set_input_files(
        str(FIXTURES / "daylio-note-title.csv")
    )
    expect(page.locator(".import-panel").get_by_role("heading")).to_have_text(
        "From Daylio: 7 check-ins"
    )
    assert all(loaded(urls, m) for m in LAZY["import"]), urls

    page.goto(base_url + "/#summary")
    expect(page.locator("body")).to_have_attribute("data-ready", "summary")
    assert all(loaded(urls, m) for m in LAZY["summary"])

    go(page, "Check in")
    check_in(page, "Calm", "rested")
    expect(page.locator("#suggestion-slot")).not_to_be_empty()
    assert all(loaded(urls, m) for m in LAZY["practices"])
    assert watch.errors == []


def test_offline_after_one_visit_a_cold_start_shows_the_wheel_and_every_screen_works(
    phone, base_url, watch
):
    first = phone.new_page()
    open_app(first, base_url)
    wait_for_offline_ready(first)
    first.close()
    phone.set_offline(True)

    page = phone.new_page()
    page.goto(base_url + "/")
    expect(page.get_by_role("radio", name="Calm", exact=True)).to_be_visible()
    assert page.evaluate("navigator.onLine") is False
    check_in(page, "Calm", "rested")
    expect(page.locator("#suggestion-slot")).not_to_be_empty()

    go(page, "History")
    expect(page.locator("#history-root .entry-card")).to_have_count(1)
    go(page, "Patterns")
    expect(page.get_by_role("heading", name="Patterns")).to_be_visible()
    expect(page.locator("#patterns-root")).not_to_be_empty()
    go(page, "Settings")
    expect(page.get_by_role("heading", name="Sync with another device")).to_be_visible()
    expect(page.get_by_label("Choose a file to import")).to_be_attached()
    page.get_by_label("Choose a file to import").set_input_files(
        str(FIXTURES / "daylio-note-title.csv")
    )
    expect(page.locator(".import-panel").get_by_role("heading")).to_have_text(
        "From Daylio: 7 check-ins"
    )
    for view, heading in [
        ("practices", "Gentle practices"),
        ("summary", "Printable summary"),
        ("support", "Need support now?"),
    ]:
        page.goto(f"{base_url}/#{view}")
        expect(page.locator("body")).to_have_attribute("data-ready", view)
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.locator("#practices-root")).not_to_be_empty()
    expect(page.locator("#summary-root")).not_to_be_empty()
    assert watch.errors == []
