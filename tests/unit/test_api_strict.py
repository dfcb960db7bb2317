"""Hostile bodies the sync API must refuse with a clear 4xx, storing nothing."""

from __future__ import annotations

import time

import pytest

from tests.envelopes import auth, envelope, hlc, new_vault

API = "/api/v1"


@pytest.fixture
def vault(client):
    vault_id, token = new_vault()
    assert client.put(f"{API}/vaults/{vault_id}", headers=auth(token)).status_code == 201
    return vault_id, token


def post(client, vault, raw: bytes, content_type: str = "application/json"):
    vault_id, token = vault
    return client.post(
        f"{API}/vaults/{vault_id}/sync",
        data=raw,
        headers={**auth(token), "Content-Type": content_type},
    )


def stored(app, vault) -> int:
    return app.extensions["thaw.store"].count(vault[0])


def error_of(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["code"] == code and error["message"]
    return error


@pytest.mark.parametrize("depth", [33, 1_000, 100_000])
def test_deeply_nested_json_is_400_not_500(client, app, vault, depth):
    raw = b'{"cursor": 0, "changes": [], "x": ' + b"[" * depth + b"]" * depth + b"}"
    error = error_of(post(client, vault, raw), 400, "malformed_json")
    assert "32" in error["message"]


def test_nesting_at_the_limit_reaches_the_schema(client, vault):
    raw = b'{"cursor": 0, "changes": [], "x": ' + b"[" * 31 + b"]" * 31 + b"}"
    error_of(post(client, vault, raw), 400, "invalid_request")  # "x" is unknown, not too deep


@pytest.mark.parametrize(
    "raw",
    [
        b'{"cursor": 0, "cursor": 0, "changes": []}',
        b'{"cursor": "x", "changes": [], "cursor": 0}',
        b'{"cursor": 0, "changes": [{"id": "a", "id": "b"}]}',
    ],
)
def test_repeated_keys_are_400(client, app, vault, raw):
    error = error_of(post(client, vault, raw), 400, "malformed_json")
    assert "more than once" in error["message"]
    assert stored(app, vault) == 0


@pytest.mark.parametrize("field", ["id", "hlc"])
@pytest.mark.parametrize("tail", ["\n", "\r\n", " ", "\x00"])
def test_an_id_or_hlc_with_anything_after_its_format_is_400(client, app, vault, field, tail):
    good = envelope()
    bad = envelope()
    bad[field] += tail
    vault_id, token = vault
    response = client.post(
        f"{API}/vaults/{vault_id}/sync",
        json={"cursor": 0, "changes": [good, bad]},
        headers=auth(token),
    )
    error = error_of(response, 400, "invalid_request")
    assert field in error["details"]["changes"]["1"]
    assert stored(app, vault) == 0


@pytest.mark.parametrize("tail", ["%0a", "%0A", "%0d%0a", "%20"])
def test_a_vault_id_with_a_trailing_newline_is_400(client, tail):
    vault_id, token = new_vault()
    response = client.put(f"{API}/vaults/{vault_id}{tail}", headers=auth(token))
    error_of(response, 400, "invalid_vault_id")


@pytest.mark.parametrize("charset", ["utf-16", "latin-1", "utf-32", "x-unknown"])
def test_a_charset_other_than_utf8_is_415(client, app, vault, charset):
    raw = '{"cursor": 0, "changes": []}'.encode("utf-16" if charset == "utf-16" else "ascii")
    response = post(client, vault, raw, f"application/json; charset={charset}")
    error_of(response, 415, "unsupported_media_type")


@pytest.mark.parametrize("charset", ["utf-8", "UTF-8", "utf8", '"utf-8"'])
def test_utf8_by_any_spelling_is_fine(client, vault, charset):
    response = post(
        client, vault, b'{"cursor": 0, "changes": []}', f"application/json; charset={charset}"
    )
    assert response.status_code == 200, response.get_data(as_text=True)


def test_a_clock_more_than_a_day_ahead_is_refused_with_its_whole_push(client, app, vault):
    now = int(time.time() * 1000)
    honest = envelope(clock=hlc(now + 23 * 3600 * 1000))  # a device with a fast clock: fine
    forged = envelope(clock=hlc(now + 25 * 3600 * 1000))
    vault_id, token = vault
    url = f"{API}/vaults/{vault_id}/sync"
    response = client.post(
        url, json={"cursor": 0, "changes": [honest, forged]}, headers=auth(token)
    )
    error = error_of(response, 400, "invalid_request")
    assert "24 hours" in str(error["details"]["changes"]["1"]["hlc"])
    assert stored(app, vault) == 0
    for clock in ["9999999999999-ffff-ffffffffffffffff", "9999999999999-0000-0000000000000000"]:
        response = client.post(
            url, json={"cursor": 0, "changes": [envelope(clock=clock)]}, headers=auth(token)
        )
        error_of(response, 400, "invalid_request")
    assert stored(app, vault) == 0
    ok = client.post(url, json={"cursor": 0, "changes": [honest]}, headers=auth(token))
    assert ok.status_code == 200 and stored(app, vault) == 1
