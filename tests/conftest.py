"""Fixtures shared by every suite: one real PostgreSQL server for the whole session, and one
Playwright (its sync API runs once per process; the Chromium and WebKit suites both use it)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Playwright, sync_playwright

from tests.pg import TEST_OPTIONS, PostgresServer


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    server = PostgresServer(TEST_OPTIONS)
    server.start()
    yield server
    server.remove()


@pytest.fixture(scope="module")
def pg_url(postgres: PostgresServer) -> str:
    """A fresh, migrated database for this test module."""
    return postgres.create_database()


@pytest.fixture(scope="session")
def pw() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright
