"""Deletion notices: DELETE with {"notice"} leaves a tombstone that answers 410 to its devices."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import pytest

from pwa import create_app
from tests.envelopes import auth, envelope, new_vault

API = "/api/v1"


def make_notice() -> str:
    return base64.b64encode(os.urandom(32)).decode()


@pytest.fixture
def vault(client):
    vault_id, token = new_vault()
    assert client.put(f"{API}/vaults/{vault_id}", headers=auth(token)).status_code == 201
    return vault_id, token


def calls(client, vault_id: str, token: str) -> dict:
    """The three calls a device makes, each with `token`."""
    url = f"{API}/vaults/{vault_id}"
    return {
        "PUT": client.put(url, headers=auth(token)),
        "sync": client.post(f"{url}/sync", json={"cursor": 0, "changes": []}, headers=auth(token)),
        "DELETE": client.delete(url, headers=auth(token)),
    }


def test_delete_with_a_notice_answers_410_with_it_to_the_right_token_only(client, app, vault):
    vault_id, token = vault
    pushed = envelope(size=512)
    url = f"{API}/vaults/{vault_id}"
    sync = client.post(f"{url}/sync", json={"cursor": 0, "changes": [pushed]}, headers=auth(token))
    assert sync.status_code == 200
    notice = make_notice()

    response = client.delete(url, json={"notice": notice}, headers=auth(token))
    assert response.status_code == 204 and response.data == b""
    assert "Content-Type" not in response.headers

    for name, reply in calls(client, vault_id, token).items():
        assert reply.status_code == 410, (name, reply.get_data(as_text=True))
        assert reply.get_json() == {
            "error": {
                "code": "vault_deleted",
                "message": reply.get_json()["error"]["message"],
                "details": {"notice": notice},
            }
        }
        assert reply.headers["Cache-Control"] == "no-store"
    stranger = new_vault()[1]
    for name, reply in calls(client, vault_id, stranger).items():
        assert reply.status_code == 401, name
        assert "notice" not in reply.get_data(as_text=True)

    # Only the id (the file name), the token's hash and the notice stay on the server.
    stored = json.loads((Path(app.config["DATA_DIR"]) / "vaults" / f"{vault_id}.json").read_text())
    assert stored == {
        "meta": {"1": {"token_sha256": stored["meta"]["1"]["token_sha256"], "notice": notice}}
    }
    assert pushed["data"] not in json.dumps(stored)

    # A second DELETE cannot replace the notice, and a restart keeps all of it.
    again = client.delete(url, json={"notice": make_notice()}, headers=auth(token))
    assert again.status_code == 410 and again.get_json()["error"]["details"]["notice"] == notice
    app.extensions["thaw.store"].close()  # one process per data folder: the old one stops
    restarted = create_app({"DATA_DIR": app.config["DATA_DIR"], "TESTING": True}).test_client()
    after = calls(restarted, vault_id, token)
    assert {name: r.status_code for name, r in after.items()} == {
        "PUT": 410,
        "sync": 410,
        "DELETE": 410,
    }
    assert after["PUT"].get_json()["error"]["details"]["notice"] == notice


def test_without_a_notice_the_vault_is_forgotten_and_its_id_free_again(client, vault):
    vault_id, token = vault
    url = f"{API}/vaults/{vault_id}"
    assert client.delete(url, headers=auth(token)).status_code == 204
    assert (
        client.post(
            f"{url}/sync", json={"cursor": 0, "changes": []}, headers=auth(token)
        ).status_code
        == 404
    )
    assert client.put(url, headers=auth(token)).status_code == 201


@pytest.mark.parametrize(
    "body, content_type, status",
    [
        (b'{"notice": "short"}', "application/json", 400),
        (b'{"notice": "%s", "extra": 1}', "application/json", 400),
        (b'{"notice": "%s", "notice": "%s"}', "application/json", 400),
        (b"{}", "application/json", 400),
        (b"[]", "application/json", 400),
        (b'{"notice": ', "application/json", 400),
        (b'{"notice": "%s"}', "text/plain", 415),
    ],
)
def test_a_bad_delete_body_erases_nothing(client, vault, body, content_type, status):
    vault_id, token = vault
    url = f"{API}/vaults/{vault_id}"
    client.post(f"{url}/sync", json={"cursor": 0, "changes": [envelope()]}, headers=auth(token))
    raw = body.replace(b"%s", make_notice().encode())
    response = client.delete(url, data=raw, headers={**auth(token), "Content-Type": content_type})
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    pull = client.post(f"{url}/sync", json={"cursor": 0, "changes": []}, headers=auth(token))
    assert pull.status_code == 200 and len(pull.get_json()["changes"]) == 1


def test_the_openapi_document_shows_the_notice_and_410(client):
    doc = client.get(f"{API}/openapi.json").get_json()
    delete = doc["paths"]["/vaults/{vault_id}"]["delete"]
    body = delete["requestBody"]
    assert body["required"] is False
    assert body["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/DeleteRequest"
    }
    notice = doc["components"]["schemas"]["DeleteRequest"]["properties"]["notice"]
    assert notice["minLength"] == notice["maxLength"] == 44
    for path, method in [
        ("/vaults/{vault_id}", "put"),
        ("/vaults/{vault_id}", "delete"),
        ("/vaults/{vault_id}/sync", "post"),
    ]:
        assert "410" in doc["paths"][path][method]["responses"], (path, method)


@pytest.mark.parametrize("with_notice", [False, True])
def test_delete_removes_the_temp_file_a_crash_left(client, app, vault, with_notice):
    vault_id, token = vault
    leftover = Path(app.config["DATA_DIR"]) / "vaults" / f"{vault_id}.json.tmp"
    leftover.write_bytes(b'{"meta": {"1": {"token_sha256": "ciphertext and all"}}')
    body = {"json": {"notice": make_notice()}} if with_notice else {}
    response = client.delete(f"{API}/vaults/{vault_id}", headers=auth(token), **body)
    assert response.status_code == 204
    assert not leftover.exists()
