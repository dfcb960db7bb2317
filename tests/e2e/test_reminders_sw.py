"""Reminders in the service worker (issue 15): a push shows one calm notification with two
actions; "Numb / can't tell" is saved from the worker without opening Thaw and History shows it
(with the app lock on, sealed until the next unlock). No push service is reachable here, so the
push is delivered with the DevTools Protocol, and no browser here can click a notification's
action, so the test calls the worker's handler for it (`self.thaw.saveNumb`)."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from .app import go, history_cards, open_app
from .conftest import wait_for_offline_ready
from .test_sync import eventually

NOTIFICATIONS = """async () => (await (await navigator.serviceWorker.ready).getNotifications())
  .map((n) => ({ title: n.title, body: n.body, tag: n.tag, actions: n.actions.map((a) => a.action) }))"""


def deliver_push(page, base_url: str, data: dict) -> None:
    cdp = page.context.new_cdp_session(page)
    latest: dict[str, dict] = {}  # registration id → its latest state (events may come in parts)
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: latest.update({r["registrationId"]: r for r in event["registrations"]}),
    )
    cdp.send("ServiceWorker.enable")
    page.wait_for_function("navigator.serviceWorker.controller !== null")

    def live() -> list[dict]:
        return [
            r for r in latest.values() if not r["isDeleted"] and r["scopeURL"] == f"{base_url}/"
        ]

    for _ in range(200):  # the events arrive asynchronously after enable
        if live():
            break
        page.wait_for_timeout(50)
    [registration] = live()
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": base_url,
            "registrationId": registration["registrationId"],
            "data": json.dumps(data),
        },
    )


def test_a_reminder_push_shows_a_notification_and_numb_is_saved_from_it(page, phone, base_url):
    phone.grant_permissions(["notifications"], origin=base_url)
    open_app(page, base_url)
    wait_for_offline_ready(page)
    deliver_push(
        page,
        base_url,
        {"title": "A moment to notice how you are?", "body": "Whatever is there is worth naming."},
    )
    eventually(lambda: len(page.evaluate(NOTIFICATIONS)) == 1)
    [shown] = page.evaluate(NOTIFICATIONS)
    assert shown == {
        "title": "A moment to notice how you are?",
        "body": "Whatever is there is worth naming.",
        "tag": "thaw-reminder",
        "actions": ["numb", "checkin"],
    }
    # A second reminder replaces the unanswered one (same tag).
    deliver_push(page, base_url, {})
    eventually(
        lambda: (
            [n["body"] for n in page.evaluate(NOTIFICATIONS)]
            == ["Whatever is there — or nothing — is worth naming."]
        )
    )
    # "Numb / can't tell" from the notification: the worker saves it; the open app takes it in.
    [worker] = phone.service_workers
    worker.evaluate("self.thaw.saveNumb()")
    go(page, "History")
    expect(history_cards(page)).to_have_count(1)
    expect(history_cards(page).first).to_contain_text("Numb")


def test_numb_answered_while_thaw_was_closed_joins_at_the_next_open(page, phone, base_url):
    open_app(page, base_url)
    wait_for_offline_ready(page)
    [worker] = phone.service_workers
    page.goto("about:blank")  # Thaw is closed
    worker.evaluate("self.thaw.saveNumb()")
    open_app(page, base_url, "#history")
    expect(history_cards(page)).to_have_count(1)
    assert (
        page.evaluate("""async () => { const db = await new Promise((r) => { const q = indexedDB.open('thaw'); q.onsuccess = () => r(q.result); });
      const n = await new Promise((r) => { const q = db.transaction('inbox').objectStore('inbox').count(); q.onsuccess = () => r(q.result); });
      db.close(); return n; }""")
        == 0
    )


def test_numb_from_a_reminder_with_the_lock_on_is_sealed_until_unlock(page, phone, base_url):
    from .test_lock import FEELING_WORDS, lock_screen, raw, reload_locked, turn_lock_on, unlock

    phone.grant_permissions(["notifications"], origin=base_url)
    open_app(page, base_url)
    wait_for_offline_ready(page)
    turn_lock_on(page)
    reload_locked(page)
    deliver_push(page, base_url, {})
    eventually(
        lambda: [n["actions"] for n in page.evaluate(NOTIFICATIONS)] == [["numb", "checkin"]]
    )
    [worker] = phone.service_workers
    worker.evaluate("self.thaw.saveNumb()")
    inbox = page.evaluate("""async () => { const db = await new Promise((r) => { const q = indexedDB.open('thaw'); q.onsuccess = () => r(q.result); });
      const all = await new Promise((r) => { const q = db.transaction('inbox').objectStore('inbox').getAll(); q.onsuccess = () => r(q.result); });
      db.close(); return all; }""")
    assert len(inbox) == 1 and "entry" not in inbox[0] and set(inbox[0]) >= {"epk", "iv", "data"}
    dump = raw(page)
    assert '"numb"' not in dump and "Numb" not in dump, "the answer is readable while locked"
    assert all(word not in dump for word in page.evaluate(FEELING_WORDS) if len(word) >= 5)
    expect(lock_screen(page)).to_be_visible()
    unlock(page)
    go(page, "History")
    expect(history_cards(page)).to_have_count(1)
    expect(history_cards(page).first).to_contain_text("Numb")
