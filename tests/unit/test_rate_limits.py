"""Rate limits: one budget per client for the whole API, and a small one for new vaults."""

from __future__ import annotations

import pytest

from pwa import create_app
from tests.envelopes import auth, new_vault

API = "/api/v1"


def app_with(tmp_path, **config):
    return create_app({"DATA_DIR": str(tmp_path), "TESTING": True, **config})


def assert_429(response, message_word: str = "requests") -> None:
    assert response.status_code == 429, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["code"] == "too_many_requests" and message_word in error["message"]
    assert int(response.headers["Retry-After"]) > 0
    assert response.headers["Cache-Control"] == "no-store"


def test_one_routes_exhaustion_throttles_every_other_route(tmp_path):
    client = app_with(tmp_path, RATE_LIMIT="6 per minute").test_client()
    vault_id, token = new_vault()
    url = f"{API}/vaults/{vault_id}"
    assert client.put(url, headers=auth(token)).status_code == 201
    for _ in range(5):
        sync = client.post(f"{url}/sync", json={"cursor": 0, "changes": []}, headers=auth(token))
        assert sync.status_code == 200
    # Six requests spent across two routes: every API route now says 429.
    assert_429(client.get(f"{API}/health"))
    assert_429(client.get(f"{API}/openapi.json"))
    assert_429(client.put(url, headers=auth(token)))
    assert_429(client.delete(url, headers=auth(token)))
    assert client.get("/").status_code == 200, "the app shell is not rate limited"


def test_vault_creation_has_its_own_much_smaller_limit(tmp_path):
    client = app_with(
        tmp_path, RATE_LIMIT="100 per minute", CREATE_LIMIT="3 per hour"
    ).test_client()
    made = []
    for _ in range(3):
        vault_id, token = new_vault()
        assert client.put(f"{API}/vaults/{vault_id}", headers=auth(token)).status_code == 201
        made.append((vault_id, token))
    fourth, fourth_token = new_vault()
    assert_429(client.put(f"{API}/vaults/{fourth}", headers=auth(fourth_token)), "vaults")
    assert not (tmp_path / "vaults" / f"{fourth}.json").exists()
    # A device opening its existing vault (another device joining) is not refused.
    vault_id, token = made[0]
    assert client.put(f"{API}/vaults/{vault_id}", headers=auth(token)).status_code == 200
    # Existing vaults still sync.
    sync = client.post(
        f"{API}/vaults/{vault_id}/sync", json={"cursor": 0, "changes": []}, headers=auth(token)
    )
    assert sync.status_code == 200


def test_repeated_puts_of_one_vault_do_not_use_up_creations(tmp_path):
    client = app_with(
        tmp_path, RATE_LIMIT="100 per minute", CREATE_LIMIT="2 per hour"
    ).test_client()
    vault_id, token = new_vault()
    for _ in range(10):
        assert client.put(f"{API}/vaults/{vault_id}", headers=auth(token)).status_code in {200, 201}
    other, other_token = new_vault()
    assert client.put(f"{API}/vaults/{other}", headers=auth(other_token)).status_code == 201


def test_off_turns_every_limit_off(tmp_path):
    client = app_with(tmp_path, RATE_LIMIT="off", CREATE_LIMIT="1 per hour").test_client()
    for _ in range(5):
        vault_id, token = new_vault()
        assert client.put(f"{API}/vaults/{vault_id}", headers=auth(token)).status_code == 201


@pytest.mark.parametrize("setting", ["RATE_LIMIT", "CREATE_LIMIT"])
def test_a_limit_that_cannot_be_read_is_a_config_error(tmp_path, setting):
    from pwa.config import ConfigError

    with pytest.raises(ConfigError):
        app_with(tmp_path, **{setting: "lots per fortnight"})
