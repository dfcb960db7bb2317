"""What `thaw serve` hands waitress, from the settings (behaviour is tested under waitress)."""

from __future__ import annotations

import pytest

from pwa import config


def test_defaults_bound_bodies_slow_clients_and_connections():
    options = config.waitress_options(config.load(env={}))
    assert options["max_request_body_size"] == 2 * 1024 * 1024 + 64 * 1024
    assert options["channel_timeout"] == 30
    assert options["connection_limit"] == 500
    assert options["clear_untrusted_proxy_headers"] is True
    assert "trusted_proxy" not in options, "no proxy is trusted unless the deployer says so"


def test_trusted_proxies_are_waitress_options():
    env = {"THAW_TRUSTED_PROXIES": "2", "THAW_PROXY_ADDRESS": "10.0.0.5"}
    options = config.waitress_options(config.load(env=env))
    assert options["trusted_proxy"] == "10.0.0.5"
    assert options["trusted_proxy_count"] == 2
    assert options["trusted_proxy_headers"] == {"x-forwarded-for", "x-forwarded-proto"}


@pytest.mark.parametrize(
    "name, value",
    [
        ("THAW_CHANNEL_TIMEOUT", "0"),
        ("THAW_CHANNEL_TIMEOUT", "soon"),
        ("THAW_CONNECTION_LIMIT", "5"),
        ("THAW_CONNECTION_LIMIT", "1000000"),
        ("THAW_TRUSTED_PROXIES", "11"),
    ],
)
def test_settings_out_of_range_are_errors(name, value):
    with pytest.raises(config.ConfigError):
        config.load(env={name: value})
