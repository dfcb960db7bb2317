"""Fixtures for unit tests: an app on a temporary data folder and its test client."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from pwa import create_app


@pytest.fixture
def app(tmp_path) -> Flask:
    return create_app({"DATA_DIR": str(tmp_path / "data"), "TESTING": True})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()
