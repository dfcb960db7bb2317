"""Reminders by Web Push, end to end with the real protocol, on both stores.

A push receiver (http.server on 127.0.0.1) stands in for the push service. The test makes a real
P-256 key pair and auth secret for the subscription, as a browser does; what the server sends
is decrypted here (RFC 8291 aes128gcm, http_ece) and its VAPID JWT (RFC 8292) is checked
against the server's public key.
"""

from __future__ import annotations

import base64
import json
import os
import stat
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import psycopg
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from pwa import create_app
from pwa.reminders import sender as sending
from pwa.reminders.store import PostgresReminders, Reminder, create_table, digest

API = "/api/v1"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Receiver:
    """A push service on 127.0.0.1: records each POST and answers with `status`."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.status = 201
        self.arrived = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                outer.received.append(
                    {
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": self.rfile.read(length),
                    }
                )
                self.send_response(outer.status)
                self.send_header("Content-Length", "0")
                self.end_headers()
                outer.arrived.set()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Browser:
    """What a browser holds for one push subscription: a P-256 key pair and an auth secret."""

    def __init__(self, receiver: Receiver) -> None:
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        public = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.subscription = {
            "endpoint": f"{receiver.origin}/push/{uuid.uuid4().hex}",
            "expirationTime": None,
            "keys": {"p256dh": b64url(public), "auth": b64url(self.auth)},
        }

    def decrypt(self, body: bytes) -> dict:
        plain = http_ece.decrypt(
            body, private_key=self.private_key, auth_secret=self.auth, version="aes128gcm"
        )
        return json.loads(plain)


@pytest.fixture(params=["tinydb", "postgresql"])
def backend(request) -> str:
    return request.param


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    yield receiver
    receiver.close()


@pytest.fixture
def app(tmp_path, backend, pg_url):
    config = {
        "DATA_DIR": str(tmp_path / "data"),
        "TESTING": True,
        "PUSH_HOSTS": "127.0.0.1 fcm.googleapis.com *.push.apple.com",
    }
    if backend == "postgresql":
        with psycopg.connect(pg_url, autocommit=True) as conn:
            create_table(conn)  # idempotent; migration 3 also makes it
            conn.execute("DELETE FROM reminders")
        config["DATABASE_URL"] = pg_url
    app = create_app(config)
    yield app
    app.extensions["thaw.store"].close()
    app.extensions["thaw.reminders"].close()


@pytest.fixture
def client(app):
    return app.test_client()


RANDOM = {"mode": "random", "count": 3, "window": {"start": "10:00", "end": "21:00"}}


def register(client, browser: Browser, schedule=None, zone="Europe/Berlin") -> tuple[str, dict]:
    response = client.post(
        f"{API}/reminders",
        json={
            "subscription": browser.subscription,
            "time_zone": zone,
            "schedule": schedule or RANDOM,
        },
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert set(body) == {"id", "secret"} and len(body["secret"]) >= 43
    return body["id"], {"Authorization": f"Bearer {body['secret']}"}


def check_vapid(header: str, server_key: str, origin: str) -> dict:
    scheme, _, rest = header.partition(" ")
    assert scheme == "vapid"
    parts = dict(part.strip().split("=", 1) for part in rest.split(","))
    assert parts["k"] == server_key
    head, claims, signature = parts["t"].split(".")
    assert json.loads(unb64url(head)) == {"typ": "JWT", "alg": "ES256"}
    raw = unb64url(signature)
    assert len(raw) == 64
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(server_key))
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    public.verify(der, f"{head}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))  # raises if bad
    payload = json.loads(unb64url(claims))
    assert payload["aud"] == origin
    assert time.time() < payload["exp"] <= time.time() + 24 * 3600
    assert payload["sub"].startswith(("mailto:", "https://"))
    return payload


@pytest.mark.parametrize("backend", ["tinydb"], indirect=True)
def test_the_key_is_an_uncompressed_p256_point_kept_in_the_data_folder(client, app):
    key = client.get(f"{API}/reminders/key").get_json()["public_key"]
    raw = unb64url(key)
    assert len(raw) == 65 and raw[0] == 4
    ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    pem = os.path.join(app.config["DATA_DIR"], "vapid.pem")
    assert stat.S_IMODE(os.stat(pem).st_mode) == 0o600
    app.extensions["thaw.store"].close()  # one process per data folder: the old one stops
    again = create_app({"DATA_DIR": app.config["DATA_DIR"]})
    try:  # a restart keeps the key (subscriptions are bound to it)
        assert again.test_client().get(f"{API}/reminders/key").get_json()["public_key"] == key
    finally:
        again.extensions["thaw.store"].close()


def test_a_key_given_by_the_setting_is_used(tmp_path):
    mine = ec.generate_private_key(ec.SECP256R1())
    pem = mine.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    app = create_app({"DATA_DIR": str(tmp_path), "VAPID_PRIVATE_KEY": pem})
    key = app.test_client().get(f"{API}/reminders/key").get_json()["public_key"]
    app.extensions["thaw.store"].close()
    public = mine.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    assert key == b64url(public)
    assert not (tmp_path / "vapid.pem").exists()


def test_a_test_reminder_arrives_encrypted_with_a_valid_vapid_header(client, receiver):
    browser = Browser(receiver)
    reminder_id, auth = register(client, browser)
    response = client.post(f"{API}/reminders/{reminder_id}/test", headers=auth)
    assert response.status_code == 204, response.get_json()
    assert len(receiver.received) == 1
    push = receiver.received[0]
    assert push["path"] == browser.subscription["endpoint"].removeprefix(receiver.origin)
    headers = {k.lower(): v for k, v in push["headers"].items()}
    assert headers["content-encoding"] == "aes128gcm"
    assert headers["urgency"] == "low"
    assert int(headers["ttl"]) > 0
    message = browser.decrypt(push["body"])
    assert message["title"] == "A moment to notice how you are?"
    assert message["body"] in sending.BODIES
    assert message["tag"] == "thaw-reminder"
    server_key = client.get(f"{API}/reminders/key").get_json()["public_key"]
    check_vapid(headers["authorization"], server_key, receiver.origin)


def test_the_scheduler_sends_a_due_reminder_once_and_moves_it_on(app, client, receiver):
    browser = Browser(receiver)
    reminder_id, _ = register(client, browser, {"mode": "fixed", "times": ["09:00"]})
    store = app.extensions["thaw.reminders"]
    due = store.get(reminder_id).next_at
    counts = sending.run_once(store, app.extensions["thaw.reminders.sender"], now=due)
    assert counts == {"sent": 1}
    assert browser.decrypt(receiver.received[0]["body"])["tag"] == "thaw-reminder"
    assert store.get(reminder_id).next_at == due + timedelta(days=1)
    assert sending.run_once(store, app.extensions["thaw.reminders.sender"], now=due) == {}
    assert len(receiver.received) == 1


def test_a_410_from_the_push_service_deletes_the_reminder(app, client, receiver):
    browser = Browser(receiver)
    receiver.status = 410
    reminder_id, auth = register(client, browser)
    response = client.post(f"{API}/reminders/{reminder_id}/test", headers=auth)
    assert response.status_code == 410
    assert response.get_json()["error"]["code"] == "subscription_gone"
    assert client.delete(f"{API}/reminders/{reminder_id}", headers=auth).status_code == 404
    # and from the scheduler
    other, _ = register(client, Browser(receiver), {"mode": "fixed", "times": ["09:00"]})
    store = app.extensions["thaw.reminders"]
    due = store.get(other).next_at
    assert sending.run_once(store, app.extensions["thaw.reminders.sender"], now=due) == {"gone": 1}
    assert store.get(other) is None


@pytest.mark.parametrize("status", [429, 500, 503])
def test_busy_push_services_are_retried_minutes_later(app, client, receiver, status):
    receiver.status = status
    reminder_id, auth = register(client, Browser(receiver), {"mode": "fixed", "times": ["09:00"]})
    store = app.extensions["thaw.reminders"]
    due = store.get(reminder_id).next_at
    counts = sending.run_once(store, app.extensions["thaw.reminders.sender"], now=due)
    assert counts == {"retry": 1}
    retry = store.get(reminder_id).next_at
    assert due + timedelta(minutes=2) <= retry <= due + timedelta(minutes=3)
    assert client.post(f"{API}/reminders/{reminder_id}/test", headers=auth).status_code == 502


def test_a_reminder_found_far_too_late_is_skipped_not_sent(app, client, receiver):
    reminder_id, _ = register(client, Browser(receiver), {"mode": "fixed", "times": ["09:00"]})
    store = app.extensions["thaw.reminders"]
    due = store.get(reminder_id).next_at
    late = due + timedelta(hours=3)  # the server was down
    counts = sending.run_once(store, app.extensions["thaw.reminders.sender"], now=late)
    assert counts == {"skipped": 1} and receiver.received == []
    assert store.get(reminder_id).next_at == due + timedelta(days=1)


def test_update_delete_and_checked_in(app, client, receiver):
    reminder_id, auth = register(client, Browser(receiver))
    store = app.extensions["thaw.reminders"]
    response = client.put(
        f"{API}/reminders/{reminder_id}",
        json={"time_zone": "America/New_York", "schedule": {"mode": "if_not_yet", "time": "20:00"}},
        headers=auth,
    )
    assert response.status_code == 200
    first = store.get(reminder_id).next_at
    assert response.get_json()["next_at"] == first.isoformat().replace("+00:00", "Z")
    local_day = first.astimezone(__import__("zoneinfo").ZoneInfo("America/New_York")).date()
    response = client.post(
        f"{API}/reminders/{reminder_id}/checked-in",
        json={"date": local_day.isoformat()},
        headers=auth,
    )
    assert response.status_code == 204
    stored = store.get(reminder_id)
    assert stored.checked_in == local_day and stored.next_at == first + timedelta(days=1)
    # what the server holds: nothing else
    assert set(stored.to_json()) == {
        "id",
        "secret_sha256",
        "subscription",
        "time_zone",
        "schedule",
        "next_at",
        "checked_in",
    }
    assert stored.secret_sha256 == digest(auth["Authorization"].split()[1])
    # another mode keeps no check-in date
    client.put(
        f"{API}/reminders/{reminder_id}",
        json={"time_zone": "America/New_York", "schedule": {"mode": "fixed", "times": ["08:00"]}},
        headers=auth,
    )
    assert store.get(reminder_id).checked_in is None
    client.post(
        f"{API}/reminders/{reminder_id}/checked-in", json={"date": "2026-01-01"}, headers=auth
    )
    assert store.get(reminder_id).checked_in is None
    assert client.delete(f"{API}/reminders/{reminder_id}", headers=auth).status_code == 204
    assert store.get(reminder_id) is None


def test_secrets_and_ids(client, receiver):
    reminder_id, auth = register(client, Browser(receiver))
    url = f"{API}/reminders/{reminder_id}"
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic x"}):
        response = client.delete(url, headers=headers)
        assert response.status_code == 401 and "error" in response.get_json()
    response = client.post(f"{url}/test", headers={"Authorization": "Bearer " + "A" * 43})
    assert response.status_code == 401
    for unknown in (str(uuid.uuid4()), "not-a-uuid"):
        response = client.delete(f"{API}/reminders/{unknown}", headers=auth)
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == "unknown_reminder"


def good_keys() -> dict:
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    point = key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return {"p256dh": b64url(point), "auth": b64url(os.urandom(16))}


def off_curve() -> str:
    point = bytearray(unb64url(good_keys()["p256dh"]))
    point[-1] ^= 1
    return b64url(bytes(point))


BAD_SUBSCRIPTIONS = {
    "another host": {"endpoint": "https://evil.example/push/1"},
    "a look-alike host": {"endpoint": "https://fcm.googleapis.com.evil.example/x"},
    "apple's parent": {"endpoint": "https://push.apple.com/x"},
    "http on a push host": {"endpoint": "http://fcm.googleapis.com/fcm/send/x"},
    "an odd port": {"endpoint": "https://fcm.googleapis.com:8443/x"},
    "user info": {"endpoint": "https://me@fcm.googleapis.com/x"},
    "not a url": {"endpoint": "fcm.googleapis.com"},
    "short p256dh": {"keys": {"p256dh": b64url(b"\x04" + b"1" * 32)}},
    "compressed p256dh": {"keys": {"p256dh": b64url(b"\x02" + b"1" * 32)}},
    "off the curve": {"keys": {"p256dh": off_curve()}},
    "p256dh not base64url": {"keys": {"p256dh": "a+b/" * 22}},
    "short auth": {"keys": {"auth": b64url(os.urandom(8))}},
    "long auth": {"keys": {"auth": b64url(os.urandom(32))}},
}
BAD_SCHEDULES = {
    "window ends before it starts": {
        "mode": "random",
        "count": 2,
        "window": {"start": "21:00", "end": "10:00"},
    },
    "six a day": {"mode": "random", "count": 6, "window": {"start": "08:00", "end": "22:00"}},
    "too many for the window": {
        "mode": "random",
        "count": 5,
        "window": {"start": "10:00", "end": "12:00"},
    },
    "six fixed times": {
        "mode": "fixed",
        "times": ["08:00", "09:00", "10:00", "11:00", "12:00", "13:00"],
    },
    "no fixed times": {"mode": "fixed", "times": []},
    "same time twice": {"mode": "fixed", "times": ["08:00", "08:00"]},
    "24:00": {"mode": "fixed", "times": ["24:00"]},
    "no time": {"mode": "if_not_yet"},
    "another mode's field": {"mode": "if_not_yet", "time": "20:00", "times": ["08:00"]},
    "unknown mode": {"mode": "sometimes"},
    "every day quiet": {
        "mode": "fixed",
        "times": ["08:00"],
        "quiet_days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
    },
    "unknown day": {"mode": "fixed", "times": ["08:00"], "quiet_days": ["someday"]},
    "bad pause": {"mode": "fixed", "times": ["08:00"], "paused_until": "2026-02-30"},
    "pause for years": {"mode": "fixed", "times": ["08:00"], "paused_until": "2099-01-01"},
    "unknown field": {"mode": "fixed", "times": ["08:00"], "volume": 11},
}


@pytest.mark.parametrize("backend", ["tinydb"], indirect=True)
@pytest.mark.parametrize(
    "case", list(BAD_SUBSCRIPTIONS) + list(BAD_SCHEDULES) + ["zone", "zone path"]
)
def test_bad_input_is_400_json(client, case):
    subscription = {"endpoint": "https://fcm.googleapis.com/fcm/send/abc", "keys": good_keys()}
    schedule, zone = dict(RANDOM), "Europe/Berlin"
    if case in BAD_SUBSCRIPTIONS:
        change = BAD_SUBSCRIPTIONS[case]
        subscription = {
            **subscription,
            **change,
            "keys": {**subscription["keys"], **change.get("keys", {})},
        }
    elif case in BAD_SCHEDULES:
        schedule = BAD_SCHEDULES[case]
    else:
        zone = {"zone": "Mars/Olympus_Mons", "zone path": "../../etc/passwd"}[case]
    body = {"subscription": subscription, "time_zone": zone, "schedule": schedule}
    response = client.post(f"{API}/reminders", json=body)
    assert response.status_code == 400, (case, response.get_json())
    assert response.get_json()["error"]["code"] == "invalid_request"


@pytest.mark.parametrize("backend", ["tinydb"], indirect=True)
def test_good_endpoints_and_other_bad_bodies(client):
    keys = good_keys()
    for endpoint in (
        "https://fcm.googleapis.com/fcm/send/abc",
        "https://web.push.apple.com/QGx",
        "https://api.push.apple.com/3/device/x",
    ):
        body = {
            "subscription": {"endpoint": endpoint, "keys": keys},
            "time_zone": "UTC",
            "schedule": RANDOM,
        }
        assert client.post(f"{API}/reminders", json=body).status_code == 201
    response = client.post(f"{API}/reminders", data="{", content_type="application/json")
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "malformed_json"
    response = client.post(f"{API}/reminders", data="x", content_type="text/plain")
    assert response.status_code == 415
    reminder = client.post(
        f"{API}/reminders",
        json={
            "subscription": {"endpoint": "https://fcm.googleapis.com/x", "keys": keys},
            "time_zone": "UTC",
            "schedule": RANDOM,
        },
    ).get_json()
    auth = {"Authorization": f"Bearer {reminder['secret']}"}
    for date in ("2026-13-01", "yesterday", "2026-01-01\n"):
        response = client.post(
            f"{API}/reminders/{reminder['id']}/checked-in", json={"date": date}, headers=auth
        )
        assert response.status_code == 400
    response = client.put(
        f"{API}/reminders/{reminder['id']}",
        json={"time_zone": "Nowhere", "schedule": RANDOM},
        headers=auth,
    )
    assert response.status_code == 400


def test_the_openapi_document_has_the_reminders(client):
    doc = client.get(f"{API}/openapi.json").get_json()
    assert {
        "/reminders/key",
        "/reminders",
        "/reminders/{reminder_id}",
        "/reminders/{reminder_id}/test",
        "/reminders/{reminder_id}/checked-in",
    } <= set(doc["paths"])


def test_two_claimers_on_postgresql_take_each_due_reminder_once(pg_url):
    with psycopg.connect(pg_url, autocommit=True) as conn:
        create_table(conn)
        conn.execute("DELETE FROM reminders")
    first, second = PostgresReminders(pg_url), PostgresReminders(pg_url)
    now = datetime(2026, 6, 1, 12, tzinfo=UTC)
    try:
        for i in range(300):
            first.add(
                Reminder(
                    id=str(uuid.uuid4()),
                    secret_sha256="0" * 64,
                    subscription={"endpoint": "https://fcm.googleapis.com/x", "keys": {}},
                    time_zone="UTC",
                    schedule={"mode": "fixed", "times": ["09:00"]},
                    next_at=now - timedelta(seconds=i),
                )
            )
        claimed: list[list[str]] = [[], []]
        barrier = threading.Barrier(2)

        def slow_next(reminder, at):
            time.sleep(0.001)  # hold the rows a little, so the two really overlap
            return at + timedelta(days=1)

        def claim(store, into):
            barrier.wait()
            while batch := store.claim_due(now, 7, slow_next):
                into.extend(r.id for r in batch)

        threads = [
            threading.Thread(target=claim, args=(store, into))
            for store, into in zip((first, second), claimed, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        everything = claimed[0] + claimed[1]
        assert len(everything) == len(set(everything)) == 300
        assert claimed[0] and claimed[1]  # both took part
        assert first.claim_due(now, 10, slow_next) == []
    finally:
        first.close()
        second.close()


def test_the_scheduler_thread_sends_when_asked_for(tmp_path, receiver):
    app = create_app(
        {
            "DATA_DIR": str(tmp_path / "scheduled"),
            "PUSH_HOSTS": "127.0.0.1",
            "REMINDERS_SCHEDULER": True,
            "REMINDERS_INTERVAL": 0.1,
        }
    )
    try:
        browser = Browser(receiver)
        reminder_id, _ = register(app.test_client(), browser, {"mode": "fixed", "times": ["09:00"]})
        store = app.extensions["thaw.reminders"]
        store.postpone(reminder_id, datetime.now(UTC) - timedelta(seconds=1))
        assert receiver.arrived.wait(10)
        assert browser.decrypt(receiver.received[0]["body"])["tag"] == "thaw-reminder"
        assert store.get(reminder_id).next_at > datetime.now(UTC)
    finally:
        app.extensions["thaw.reminders.scheduler"].stop()
        app.extensions["thaw.store"].close()


def test_apps_made_by_tests_start_no_scheduler(app):
    assert "thaw.reminders.scheduler" not in app.extensions


def test_a_broken_stored_schedule_never_holds_back_the_others(app, client, receiver):
    good, _ = register(client, Browser(receiver), {"mode": "fixed", "times": ["09:00"]})
    bad, _ = register(client, Browser(receiver), {"mode": "fixed", "times": ["09:00"]})
    store = app.extensions["thaw.reminders"]
    due = store.get(good).next_at
    broken = store.get(bad)
    store.save(Reminder(**{**broken.__dict__, "schedule": {"mode": "fixed", "times": ["9"]}}))
    counts = sending.run_once(store, app.extensions["thaw.reminders.sender"], now=due)
    assert counts == {"sent": 2}
    assert store.get(good).next_at == due + timedelta(days=1)
    assert store.get(bad).next_at is None  # parked: never due again


def test_a_subscription_with_an_expiration_time_is_taken(client, receiver):
    browser = Browser(receiver)
    browser.subscription["expirationTime"] = 1_790_000_000_000.5
    register(client, browser)


def test_thaw_serve_starts_the_scheduler(tmp_path, monkeypatch):
    import waitress

    from pwa.__main__ import main

    served = {}
    monkeypatch.setattr(waitress, "serve", lambda app, **options: served.setdefault("app", app))
    assert main(["serve", "--data", str(tmp_path), "--port", "8765"]) == 0
    app = served["app"]
    try:
        scheduler = app.extensions["thaw.reminders.scheduler"]
        assert scheduler.is_alive() and scheduler.interval == 20.0
    finally:
        app.extensions["thaw.reminders.scheduler"].stop()
        app.extensions["thaw.store"].close()


@pytest.mark.parametrize("backend", ["tinydb"], indirect=True)
def test_new_reminders_count_against_the_creation_limit(tmp_path, backend, receiver):
    app = create_app(
        {
            "DATA_DIR": str(tmp_path / "limited"),
            "PUSH_HOSTS": "127.0.0.1",
            "CREATE_LIMIT": "2 per hour",
        }
    )
    client = app.test_client()
    try:
        register(client, Browser(receiver))
        register(client, Browser(receiver))
        body = {
            "subscription": Browser(receiver).subscription,
            "time_zone": "UTC",
            "schedule": RANDOM,
        }
        response = client.post(f"{API}/reminders", json=body)
        assert response.status_code == 429 and response.get_json()["error"]["code"]
        assert response.headers["Retry-After"]
    finally:
        app.extensions["thaw.store"].close()
