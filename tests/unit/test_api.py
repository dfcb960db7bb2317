"""Every endpoint of the sync API, and every error it promises, through Flask's test client."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest

from pwa import create_app
from tests.envelopes import auth, envelope, hlc, new_vault

API = "/api/v1"


@pytest.fixture(params=["tinydb", "postgresql"])
def app(request, tmp_path):
    """Every API test runs on both backends (PostgreSQL only when the test takes the store)."""
    config = {"DATA_DIR": str(tmp_path / "data"), "TESTING": True}
    if request.param == "postgresql":
        config["DATABASE_URL"] = request.getfixturevalue("pg_url")
    app = create_app(config)
    yield app
    app.extensions["thaw.store"].close()


def stored_text(app, vault_id: str) -> str:
    """Everything the store keeps about a vault, as text."""
    return repr(app.extensions["thaw.store"].export(vault_id))


def vault_ids(app) -> list[str]:
    return app.extensions["thaw.store"].vault_ids()


@pytest.fixture
def vault(client):
    vault_id, token = new_vault()
    assert client.put(f"{API}/vaults/{vault_id}", headers=auth(token)).status_code == 201
    return vault_id, token


def sync(client, vault, cursor=0, changes=(), token=None):
    vault_id, right = vault
    return client.post(
        f"{API}/vaults/{vault_id}/sync",
        json={"cursor": cursor, "changes": list(changes)},
        headers=auth(token or right),
    )


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert isinstance(error["message"], str) and error["message"]
    if code:
        assert error["code"] == code
    return error


def stored_count(app, vault_id) -> int:
    return app.extensions["thaw.store"].count(vault_id)


def test_health(client):
    response = client.get(f"{API}/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "version": "0.1.0"}


def test_create_is_idempotent_with_the_same_token(client, app):
    vault_id, token = new_vault()
    first = client.put(f"{API}/vaults/{vault_id}", headers=auth(token))
    assert first.status_code == 201 and first.get_json() == {"vault_id": vault_id, "created": True}
    again = client.put(f"{API}/vaults/{vault_id}", headers=auth(token))
    assert again.status_code == 200 and again.get_json()["created"] is False
    assert_error(client.put(f"{API}/vaults/{vault_id}", headers=auth(new_vault()[1])), 401)


def test_only_a_hash_of_the_token_is_stored(client, app, vault):
    vault_id, token = vault
    sync(client, vault, changes=[envelope()])
    content = stored_text(app, vault_id)
    if not app.config["DATABASE_URL"]:
        folder = Path(app.config["DATA_DIR"]) / "vaults"
        content += "".join(path.read_text() for path in folder.iterdir())
    assert token not in content
    assert hashlib.sha256(token.encode()).hexdigest() in content


def test_push_then_pull(client, vault):
    a, b = envelope(), envelope(deleted=True)
    response = sync(client, vault, changes=[a, b])
    assert response.status_code == 200
    body = response.get_json()
    assert body["more"] is False and body["cursor"] == 2
    assert body["changes"] == [{**a, "seq": 1}, {**b, "seq": 2}]
    later = sync(client, vault, cursor=2).get_json()
    assert later == {"cursor": 2, "changes": [], "more": False, "remaining": 0}


def test_greatest_hlc_wins_and_repeats_are_harmless(client, app, vault):
    old = envelope(clock=hlc(1_000_000_000_000))
    new = {**envelope(id=old["id"], clock=hlc(1_000_000_000_001)), "deleted": True}
    sync(client, vault, changes=[new])
    sync(client, vault, changes=[old])  # older: ignored
    sync(client, vault, changes=[new])  # same: ignored
    body = sync(client, vault, cursor=0).get_json()
    assert [c["hlc"] for c in body["changes"]] == [new["hlc"]]
    assert body["changes"][0]["seq"] == 1 and body["cursor"] == 1
    newer = envelope(id=old["id"], clock=hlc(1_000_000_000_002))
    body = sync(client, vault, cursor=1, changes=[newer]).get_json()
    assert body["changes"] == [{**newer, "seq": 2}]
    assert stored_count(app, vault[0]) == 1


def test_pull_is_paged_by_a_thousand(client, vault):
    for _ in range(3):
        assert sync(client, vault, changes=[envelope() for _ in range(500)]).status_code == 200
    first = sync(client, vault, cursor=0).get_json()
    assert len(first["changes"]) == 1000 and first["more"] is True and first["cursor"] == 1000
    assert first["remaining"] == 500
    second = sync(client, vault, cursor=first["cursor"]).get_json()
    assert len(second["changes"]) == 500 and second["more"] is False
    seqs = [c["seq"] for c in first["changes"] + second["changes"]]
    assert seqs == list(range(1, 1501))


def test_erase(client, app, vault):
    vault_id, token = vault
    sync(client, vault, changes=[envelope()])
    assert_error(client.delete(f"{API}/vaults/{vault_id}", headers=auth(new_vault()[1])), 401)
    response = client.delete(f"{API}/vaults/{vault_id}", headers=auth(token))
    assert response.status_code == 204
    assert vault_id not in vault_ids(app)
    if not app.config["DATABASE_URL"]:
        assert list((Path(app.config["DATA_DIR"]) / "vaults").iterdir()) == []
    assert_error(sync(client, vault), 404, "unknown_vault")
    assert_error(client.delete(f"{API}/vaults/{vault_id}", headers=auth(token)), 404)


@pytest.mark.parametrize(
    "method, path",
    [("put", "/vaults/{v}"), ("post", "/vaults/{v}/sync"), ("delete", "/vaults/{v}")],
)
def test_missing_or_wrong_token_on_every_endpoint(client, vault, method, path):
    vault_id, _ = vault
    url = API + path.format(v=vault_id)
    body = {"json": {"cursor": 0, "changes": []}}
    assert_error(getattr(client, method)(url, **body), 401, "missing_token")
    assert_error(getattr(client, method)(url, headers={"Authorization": "Basic abc"}, **body), 401)
    assert_error(getattr(client, method)(url, headers=auth("short"), **body), 401)
    assert_error(getattr(client, method)(url, headers=auth(new_vault()[1]), **body), 401)


def test_unknown_vault(client):
    vault_id, token = new_vault()
    assert_error(sync(client, (vault_id, token)), 404, "unknown_vault")


@pytest.mark.parametrize("bad", ["..%2Fx", "%2e%2e", "%2e%2e%2fetc", "A" * 32, "abc", "g" * 32])
def test_vault_ids_that_try_path_traversal(client, app, bad):
    _, token = new_vault()
    before = vault_ids(app)
    for response in [
        client.put(f"{API}/vaults/{bad}", headers=auth(token)),
        client.post(
            f"{API}/vaults/{bad}/sync", headers=auth(token), json={"cursor": 0, "changes": []}
        ),
    ]:
        assert response.status_code in {400, 404}
        assert response.mimetype == "application/json"
    assert vault_ids(app) == before
    if not app.config["DATABASE_URL"]:
        assert list((Path(app.config["DATA_DIR"]) / "vaults").iterdir()) == []


def test_dot_dot_in_the_path(client):
    _, token = new_vault()
    response = client.put(f"{API}/vaults/../x", headers=auth(token))
    assert response.status_code in {400, 404} and response.mimetype == "application/json"


def test_body_over_2_mib_is_413(client, vault):
    vault_id, token = vault
    body = b'{"cursor": 0, "changes": [], "pad": "' + b"x" * (3 * 1024 * 1024) + b'"}'
    response = client.post(
        f"{API}/vaults/{vault_id}/sync",
        data=body,
        headers={**auth(token), "Content-Type": "application/json"},
    )
    assert_error(response, 413)


def test_non_json_content_type_is_415(client, vault):
    vault_id, token = vault
    response = client.post(
        f"{API}/vaults/{vault_id}/sync",
        data="cursor=0",
        headers={**auth(token), "Content-Type": "text/plain"},
    )
    assert_error(response, 415, "unsupported_media_type")


@pytest.mark.parametrize(
    "raw",
    [
        b"{",
        b"",
        b"\xff\xfe\x00garbage",
        b'{"cursor": 0, "changes": [}',
        '"caf\xe9"'.encode("latin-1"),
    ],
)
def test_malformed_json_and_non_utf8_bytes_are_400(client, vault, raw):
    vault_id, token = vault
    response = client.post(
        f"{API}/vaults/{vault_id}/sync",
        data=raw,
        headers={**auth(token), "Content-Type": "application/json"},
    )
    assert_error(response, 400, "malformed_json")


def bad_envelope(**change):
    return {**envelope(), **change}


@pytest.mark.parametrize(
    "body, field",
    [
        ({"cursor": -1, "changes": []}, "cursor"),
        ({"cursor": "0", "changes": []}, "cursor"),
        ({"cursor": 1.5, "changes": []}, "cursor"),
        ({"changes": []}, "cursor"),
        ({"cursor": 0}, "changes"),
        ({"cursor": 0, "changes": [], "extra": 1}, "extra"),
        ({"cursor": 0, "changes": [bad_envelope(id="not-a-uuid")]}, "changes"),
        ({"cursor": 0, "changes": [bad_envelope(hlc="2024-01-01")]}, "changes"),
        (
            {"cursor": 0, "changes": [bad_envelope(hlc="1732451234567-00000-9f3a6c01d2e4b5a7")]},
            "changes",
        ),
        ({"cursor": 0, "changes": [bad_envelope(deleted="false")]}, "changes"),
        ({"cursor": 0, "changes": [bad_envelope(deleted=0)]}, "changes"),
        ({"cursor": 0, "changes": [bad_envelope(iv="not base64!")]}, "changes"),
        (
            {"cursor": 0, "changes": [bad_envelope(iv=base64.b64encode(b"x" * 16).decode())]},
            "changes",
        ),
        ({"cursor": 0, "changes": [bad_envelope(data="abc")]}, "changes"),
        (
            {"cursor": 0, "changes": [bad_envelope(data=base64.b64encode(b"x" * 16385).decode())]},
            "changes",
        ),
        ({"cursor": 0, "changes": [bad_envelope(plaintext="sad")]}, "changes"),
        ({"cursor": 0, "changes": "all"}, "changes"),
        ([], "_schema"),
    ],
)
def test_schema_errors_name_the_field_and_change_nothing(client, app, vault, body, field):
    vault_id, token = vault
    good = envelope()
    if isinstance(body, dict) and isinstance(body.get("changes"), list):
        body = {**body, "changes": [good, *body["changes"]]}
    response = client.post(f"{API}/vaults/{vault_id}/sync", json=body, headers=auth(token))
    error = assert_error(response, 400, "invalid_request")
    assert field in error["details"], error
    assert stored_count(app, vault_id) == 0, "a failed push stores nothing, not even its good part"


def test_501_changes_is_refused_whole(client, app, vault):
    response = sync(client, vault, changes=[envelope() for _ in range(501)])
    assert_error(response, 400, "invalid_request")
    assert stored_count(app, vault[0]) == 0


def test_duplicate_ids_inside_one_push(client, app, vault):
    a = envelope()
    twin = envelope(id=a["id"], clock=hlc(1_732_451_234_568))
    error = assert_error(sync(client, vault, changes=[a, envelope(), twin]), 400, "invalid_request")
    assert a["id"] in str(error["details"])
    assert stored_count(app, vault[0]) == 0


def test_405_is_json_with_allow(client):
    response = client.patch(f"{API}/health")
    assert_error(response, 405)
    assert "GET" in response.headers["Allow"]


def test_unknown_api_route_is_json_404(client):
    assert_error(client.get(f"{API}/nothing/here"), 404)


def test_rate_limit_gives_429_with_retry_after(tmp_path):
    app = create_app({"DATA_DIR": str(tmp_path), "RATE_LIMIT": "5 per minute"})
    client = app.test_client()
    statuses = [client.get(f"{API}/health").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    response = client.get(f"{API}/health")
    assert_error(response, 429)
    assert int(response.headers["Retry-After"]) > 0
    assert client.get("/").status_code == 200, "the app shell is not rate limited"


def test_rate_limit_off_for_benchmarks(tmp_path):
    app = create_app({"DATA_DIR": str(tmp_path), "RATE_LIMIT": "off"})
    client = app.test_client()
    assert {client.get(f"{API}/health").status_code for _ in range(700)} == {200}


def test_openapi_document(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    doc = response.get_json()
    assert doc["openapi"].startswith("3.")
    assert {"/health", "/vaults/{vault_id}", "/vaults/{vault_id}/sync"} <= set(doc["paths"])
    envelope_schema = doc["components"]["schemas"]["Envelope"]
    assert set(envelope_schema["required"]) == {"id", "hlc", "deleted", "iv", "data"}
    assert envelope_schema["additionalProperties"] is False


@pytest.mark.parametrize("backend", ["tinydb", "postgresql"])
@pytest.mark.parametrize("quota", ["VAULT_MAX_ENVELOPES", "VAULT_MAX_BYTES"])
def test_a_push_over_a_quota_is_403_quota_exceeded_and_stores_nothing(
    request, tmp_path, backend, quota
):
    one = len(json.dumps(envelope(), separators=(",", ":")))  # every envelope() is this long
    config = {"DATA_DIR": str(tmp_path / "data"), "TESTING": True, quota: 3}
    if quota == "VAULT_MAX_BYTES":
        config[quota] = 3 * one
    if backend == "postgresql":
        config["DATABASE_URL"] = request.getfixturevalue("pg_url")
    app = create_app(config)
    try:
        client = app.test_client()
        vault = new_vault()
        assert client.put(f"{API}/vaults/{vault[0]}", headers=auth(vault[1])).status_code == 201
        kept = [envelope(), envelope()]
        assert sync(client, vault, changes=kept).status_code == 200
        before = stored_text(app, vault[0])
        error = assert_error(sync(client, vault, changes=[envelope(), envelope()]), 403)
        assert error["code"] == "quota_exceeded" and error["message"].startswith("Your synced")
        assert stored_text(app, vault[0]) == before, "nothing of the push is stored"
        body = sync(client, vault).get_json()
        assert body["cursor"] == 2
        assert body["changes"] == [{**kept[0], "seq": 1}, {**kept[1], "seq": 2}]
        last = sync(client, vault, changes=[envelope()])
        assert last.get_json()["cursor"] == 3, "up to the quota is fine"
    finally:
        app.extensions["thaw.store"].close()


def test_a_vault_whose_log_is_damaged_mid_way_answers_503_json(tmp_path, caplog):
    """TinyDB: damage before a vault log's end is not what a crash leaves; nothing is cut and
    the vault answers a calm 503, with the reason in the server's log."""
    config = {"DATA_DIR": str(tmp_path), "TESTING": True}
    app = create_app(config)
    client = app.test_client()
    vault = new_vault()
    assert client.put(f"{API}/vaults/{vault[0]}", headers=auth(vault[1])).status_code == 201
    for _ in range(3):
        assert sync(client, vault, changes=[envelope()]).status_code == 200
    store = app.extensions["thaw.store"]
    store._lock_file.close()  # the process gone: its files stay as they are
    store._lock_file = None
    log = tmp_path / "vaults" / f"{vault[0]}.log"
    first, second, third = log.read_bytes().splitlines(keepends=True)
    log.write_bytes(first + second.replace(b'"put"', b'"puT"') + third)
    again = create_app(config)
    try:
        response = sync(again.test_client(), vault)
        assert_error(response, 503, "store_unavailable")
        assert int(response.headers["Retry-After"]) > 0
        assert f"the log of vault {vault[0]} is damaged" in caplog.text
        assert log.read_bytes() == first + second.replace(b'"put"', b'"puT"') + third
    finally:
        again.extensions["thaw.store"].close()
