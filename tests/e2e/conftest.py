"""End-to-end fixtures: the real server on a free port, and Debian's Chromium as a phone."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
)

CHROMIUM = os.environ.get("THAW_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "en-GB",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    url: str
    data_dir: Path
    process: subprocess.Popen


def start_server(data_dir: Path, extra_env: dict | None = None, port: int | None = None) -> Server:
    """The app under `thaw serve`; `port` restarts it where it was (same origin, same browser data)."""
    port = port or free_port()
    env = {**os.environ, "THAW_RATE_LIMIT": "off", **(extra_env or {})}
    process = subprocess.Popen(
        [sys.executable, "-m", "pwa", "serve", "--port", str(port), "--data", str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {process.stdout.read().decode()}")
        try:
            with urllib.request.urlopen(url + "/manifest.webmanifest", timeout=1):
                return Server(url, data_dir, process)
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("server did not start within 20 s")


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[Server]:
    running = start_server(tmp_path_factory.mktemp("server-data"))
    yield running
    stop_server(running)


@pytest.fixture(scope="session")
def base_url(server: Server) -> str:
    return server.url


@pytest.fixture(scope="session")
def browser(pw: Playwright) -> Iterator[Browser]:
    browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@dataclass
class Watch:
    """What a page did that a test may assert on: requests made, errors shown."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def attach_context(self, context: BrowserContext) -> None:
        context.on("request", lambda request: self.requests.append(request.url))

    def attach_page(self, page: Page) -> None:
        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error":
                self.errors.append(message.text)

        page.on("console", on_console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def foreign_requests(self) -> list[str]:
        allowed = {"127.0.0.1"}
        return [
            url
            for url in self.requests
            if urlparse(url).scheme not in {"data", "blob"}
            and urlparse(url).hostname not in allowed
        ]


@pytest.fixture
def watch() -> Watch:
    return Watch()


def new_phone(browser: Browser, watch: Watch, **options) -> BrowserContext:
    context = browser.new_context(**{**PHONE, **options})
    watch.attach_context(context)
    context.on("page", watch.attach_page)
    return context


@pytest.fixture
def phone(browser: Browser, watch: Watch) -> Iterator[BrowserContext]:
    """A fresh phone: its own IndexedDB, caches and service worker."""
    context = new_phone(browser, watch)
    yield context
    context.close()


@pytest.fixture
def page(phone: BrowserContext) -> Page:
    return phone.new_page()


@pytest.fixture
def installable_phone(pw: Playwright, tmp_path, watch: Watch) -> Iterator[BrowserContext]:
    """A persistent profile: Chromium reports 'in-incognito' for installability otherwise."""
    context = pw.chromium.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_ARGS,
        **PHONE,
    )
    watch.attach_context(context)
    context.on("page", watch.attach_page)
    yield context
    context.close()


def wait_for_offline_ready(page: Page) -> None:
    """The worker must control the page before the network may go."""
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=15_000)


@pytest.fixture
def devices(browser, watch):
    """Phones of one person (each its own browser context): `make()` → (context, page)."""
    contexts = []

    def make():
        context = new_phone(browser, watch)
        contexts.append(context)
        return context, context.new_page()

    yield make
    for context in contexts:
        context.close()
