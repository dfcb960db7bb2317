"""The shell as Chromium on a phone sees it: installable, offline, private, error-free."""

from __future__ import annotations

import shutil

from playwright.sync_api import expect

from pwa.config import ROOT

from .conftest import start_server, stop_server, wait_for_offline_ready


def test_chromium_finds_the_app_installable(installable_phone, base_url, watch):
    page = installable_phone.pages[0] if installable_phone.pages else installable_phone.new_page()
    watch.attach_page(page)
    page.goto(base_url + "/")
    wait_for_offline_ready(page)
    page.wait_for_load_state("networkidle")
    cdp = installable_phone.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert errors == []
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == []
    assert manifest["url"].endswith("/manifest.webmanifest")
    assert watch.errors == []


def test_service_worker_controls_the_page_and_it_opens_offline(page, phone, base_url, watch):
    page.goto(base_url + "/")
    wait_for_offline_ready(page)
    state = page.evaluate("navigator.serviceWorker.controller.state")
    assert state in {"activating", "activated"}
    phone.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", name="Thaw", level=1)).to_be_visible()
    expect(page.get_by_role("navigation", name="Sections")).to_be_visible()
    assert page.evaluate("navigator.onLine") is False
    page.goto(base_url + "/#history")
    expect(page.get_by_role("heading", name="History")).to_be_visible()
    assert watch.errors == []


def test_no_request_leaves_this_machine(page, base_url, watch):
    page.goto(base_url + "/")
    wait_for_offline_ready(page)
    page.reload()
    page.wait_for_load_state("networkidle")
    assert watch.requests, "no request was recorded at all"
    assert watch.foreign_requests() == []


def test_console_shows_no_errors(page, base_url, watch):
    page.goto(base_url + "/")
    wait_for_offline_ready(page)
    for view in ["history", "patterns", "settings", "checkin"]:
        page.goto(f"{base_url}/#{view}")
    page.wait_for_load_state("networkidle")
    assert watch.errors == []


def test_a_new_version_offers_a_reload(page, tmp_path):
    static = tmp_path / "static"
    shutil.copytree(ROOT / "static", static)
    own = start_server(tmp_path / "data", {"THAW_STATIC": str(static), "THAW_AUTOREFRESH": "1"})
    try:
        page.goto(own.url + "/")
        wait_for_offline_ready(page)
        old = page.evaluate("caches.keys()")
        assert len(old) == 1
        css = static / "css" / "app.css"
        css.write_bytes(css.read_bytes() + b"\n.a-new-version { color: inherit; }\n")
        page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
        banner = page.get_by_role("status").filter(has_text="A new version is ready")
        expect(banner).to_be_visible(timeout=15_000)
        with page.expect_event("load"):
            banner.get_by_role("button", name="Reload").tap()
        new = page.evaluate("caches.keys()")
        assert len(new) == 1 and new != old, "the old version's cache is deleted"
        expect(banner).to_be_hidden()
        # The first screen's CSS is inside the page: the reloaded page holds the new version's.
        css_now = page.evaluate("() => document.querySelector('head style').textContent")
        assert ".a-new-version" in css_now
    finally:
        stop_server(own)


def test_the_api_is_never_served_from_the_cache(page, phone, base_url):
    page.goto(base_url + "/")
    wait_for_offline_ready(page)
    health = "async () => { try { return (await fetch('/api/v1/health')).status; } catch { return 'failed'; } }"
    assert page.evaluate(health) == 200
    phone.set_offline(True)
    assert page.evaluate(health) == "failed", "offline, the API is unreachable: nothing was cached"


def test_an_unpaired_thaw_never_calls_the_api(page, base_url, watch):
    from .app import check_in, go, open_app

    open_app(page, base_url)
    check_in(page, "Calm", "rested")
    for tab in ["History", "Patterns", "Settings", "Check in"]:
        go(page, tab)
    page.reload()
    page.wait_for_load_state("networkidle")
    assert [url for url in watch.requests if "/api/" in url] == []
