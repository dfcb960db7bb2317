"""Response headers: no-store on every API reply, CORP everywhere, HSTS when asked for."""

from __future__ import annotations

import pytest

from pwa import config, create_app
from tests.envelopes import auth, new_vault

API = "/api/v1"


def every_kind_of_api_reply(client) -> dict:
    vault_id, token = new_vault()
    url = f"{API}/vaults/{vault_id}"
    replies = {
        "PUT 201": client.put(url, headers=auth(token)),
        "PUT 200": client.put(url, headers=auth(token)),
        "sync 200": client.post(
            f"{url}/sync", json={"cursor": 0, "changes": []}, headers=auth(token)
        ),
        "sync 400": client.post(
            f"{url}/sync", json={"cursor": -1, "changes": []}, headers=auth(token)
        ),
        "sync 401": client.post(f"{url}/sync", json={"cursor": 0, "changes": []}),
        "sync 415": client.post(f"{url}/sync", data="x", headers=auth(token)),
        "health 200": client.get(f"{API}/health"),
        "openapi 200": client.get(f"{API}/openapi.json"),
        "405": client.patch(f"{API}/health"),
        "404": client.get(f"{API}/nothing"),
        "DELETE 204": client.delete(url, headers=auth(token)),
        "DELETE 404": client.delete(url, headers=auth(token)),
    }
    assert {name: r.status_code for name, r in replies.items()} == {
        name: int(name.split()[-1]) for name in replies
    }
    return replies


def test_every_api_reply_is_no_store(client):
    for name, response in every_kind_of_api_reply(client).items():
        assert response.headers.get("Cache-Control") == "no-store", name
        assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin", name


def test_delete_204_has_no_body_and_no_content_type(client):
    response = every_kind_of_api_reply(client)["DELETE 204"]
    assert response.data == b"" and "Content-Type" not in response.headers


@pytest.mark.parametrize("path", ["/", "/sw.js", "/manifest.webmanifest", "/static/css/app.css"])
def test_shell_and_static_files_carry_the_security_headers(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response.headers["Permissions-Policy"]
    assert "browsing-topics=()" in policy and "interest-cohort" not in policy
    assert "Strict-Transport-Security" not in response.headers  # not unless asked for
    assert response.headers.get("Cache-Control") != "no-store", "the shell may be revalidated"


def test_hsts_when_the_deployer_turns_it_on(tmp_path):
    client = create_app({"DATA_DIR": str(tmp_path), "HSTS": "1"}).test_client()
    for path in ["/", "/static/css/app.css", f"{API}/health", f"{API}/nothing"]:
        assert client.get(path).headers["Strict-Transport-Security"] == "max-age=63072000", path


@pytest.mark.parametrize(
    "value, header",
    [
        ("", ""),
        ("off", ""),
        ("0", ""),
        ("on", "max-age=63072000"),
        ("true", "max-age=63072000"),
        ("max-age=31536000; includeSubDomains", "max-age=31536000; includeSubDomains"),
    ],
)
def test_thaw_hsts_values(value, header):
    assert config.load(env={"THAW_HSTS": value})["HSTS"] == header


def test_a_thaw_hsts_that_means_nothing_is_an_error():
    with pytest.raises(config.ConfigError):
        config.load(env={"THAW_HSTS": "please"})
