"""WebKit fixtures: Debian's WebKitGTK (MiniBrowser, driven through WebKitWebDriver and Selenium 4)
in an Xvfb display of its own, at a phone's size, against the real server.

One Xvfb serves the whole session; each test gets its own WebKitWebDriver and browser session,
which MiniBrowser's automation mode makes ephemeral: its own IndexedDB, caches and service worker.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Playwright
from selenium import webdriver
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.webkitgtk.service import Service

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, Server, start_server, stop_server

PHONE = (390, 844)  # CSS pixels, as the Chromium suite's phone


def _require(program: str) -> str:
    path = shutil.which(program)
    if path:
        return path
    message = f"{program} is missing: `make test` installs webkit2gtk-driver and xvfb"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def display() -> Iterator[str]:
    """An X display of our own (Xvfb picks a free number and tells it through -displayfd)."""
    xvfb = _require("Xvfb")
    read, write = os.pipe()
    process = subprocess.Popen(
        [xvfb, "-displayfd", str(write), "-screen", "0", "1280x1280x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    if not number:
        process.kill()
        raise RuntimeError("Xvfb did not start")
    yield f":{number}"
    process.terminate()
    process.wait(timeout=10)


# MiniBrowser's toolbar (GTK 3) would keep its window at least ~447 px wide, wider than a phone:
# GTK reads this style sheet from $XDG_CONFIG_HOME, and it styles only the browser's own widgets
# (WebKit draws the page and its form controls itself). Zooming the page instead, by
# GDK_DPI_SCALE, gets the width but WebKitWebDriver then clicks at unzoomed coordinates.
NARROW_TOOLBAR = "* { font-size: 4px; min-width: 0; min-height: 0; padding: 0; margin: 0; }\n"


@dataclass
class WebKit:
    env: dict[str, str]  # WebKitWebDriver's and so MiniBrowser's environment
    downloads: Path  # where MiniBrowser saves what a page downloads (an export)


@pytest.fixture(scope="session")
def webkit(display: str, tmp_path_factory) -> WebKit:
    home = tmp_path_factory.mktemp("webkit-home")
    (home / "config" / "gtk-3.0").mkdir(parents=True)
    (home / "config" / "gtk-3.0" / "gtk.css").write_text(NARROW_TOOLBAR)
    # MiniBrowser saves a download, unasked, in GLib's Downloads folder (else $HOME): ours.
    downloads = home / "downloads"
    downloads.mkdir()
    (home / "config" / "user-dirs.dirs").write_text(f'XDG_DOWNLOAD_DIR="{downloads}"\n')
    env = {
        **os.environ,
        "DISPLAY": display,
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_DATA_HOME": str(home / "data"),
    }
    env.pop("WAYLAND_DISPLAY", None)
    return WebKit(env, downloads)


def new_webkit(kit: WebKit) -> WebDriver:
    """A new browser session with a viewport of the phone's 390 × 844 CSS pixels."""
    options = webdriver.WebKitGTKOptions()
    options.add_argument("--automation")  # MiniBrowser's automation mode: an ephemeral profile
    service = Service(executable_path=_require("WebKitWebDriver"), env=kit.env)
    driver = webdriver.WebKitGTK(options=options, service=service)
    driver.set_window_size(*PHONE)
    chrome = driver.execute_script("return [outerWidth - innerWidth, outerHeight - innerHeight]")
    driver.set_window_size(PHONE[0] + chrome[0], PHONE[1] + chrome[1])
    driver.set_script_timeout(60)
    return driver


@pytest.fixture
def wk(webkit: WebKit) -> Iterator[WebDriver]:
    """A fresh WebKit phone (a new, ephemeral browser session)."""
    driver = new_webkit(webkit)
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[Server]:
    running = start_server(tmp_path_factory.mktemp("webkit-server-data"))
    yield running
    stop_server(running)


@pytest.fixture(scope="session")
def base_url(server: Server) -> str:
    return server.url


@pytest.fixture(scope="session")
def chromium(pw: Playwright) -> Iterator[Browser]:
    """Debian's Chromium, for the device on the other side of a cross-engine sync."""
    browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
