"""Reminders from Settings to a notification (issue 15), against the real server and the real
Web Push protocol: the server encrypts and sends to a push receiver on 127.0.0.1, the test
decrypts it (RFC 8291), and the decrypted message shown by the worker is the notification."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.unit.test_reminders_api import Browser as PushKeys
from tests.unit.test_reminders_api import Receiver

from .app import open_app
from .conftest import new_phone, start_server, stop_server, wait_for_offline_ready
from .test_reminders_sw import NOTIFICATIONS, deliver_push
from .test_sync import eventually

# No push service is reachable from here, so the browser's pushManager.subscribe() is stood in for
# with a subscription the test made: real P-256 keys and auth secret, the local receiver's endpoint.
STAND_IN = """(subscription) => {
  let current = null;
  const made = { endpoint: subscription.endpoint, toJSON: () => subscription, unsubscribe: async () => { current = null; return true; } };
  PushManager.prototype.subscribe = async function () { current = made; return made; };
  PushManager.prototype.getSubscription = async function () { return current; };
}"""


@pytest.fixture
def push_server(tmp_path):
    server = start_server(
        tmp_path / "data", {"THAW_PUSH_HOSTS": "127.0.0.1", "THAW_RATE_LIMIT": "off"}
    )
    receiver = Receiver()
    yield server, receiver
    receiver.close()
    stop_server(server)


def test_reminders_from_settings_to_a_notification(browser, watch, push_server):
    server, receiver = push_server
    keys = PushKeys(receiver)
    context = new_phone(browser, watch)
    context.grant_permissions(["notifications"], origin=server.url)
    context.add_init_script(f"({STAND_IN})({json.dumps(keys.subscription)})")
    page = context.new_page()
    open_app(page, server.url, "#settings")
    wait_for_offline_ready(page)
    page.get_by_label("Remind me").select_option(label="At fixed times")
    page.get_by_label("Times").fill("20:00, 09:00")
    page.get_by_role("group", name="On these days").get_by_role("button", name="Sun").tap()
    page.get_by_role("button", name="Turn on reminders").tap()
    expect(page.locator(".reminder-now")).to_have_text("At 09:00, 20:00, not on sun.")
    stored = page.evaluate("""async () => { const db = await new Promise((r) => { const q = indexedDB.open('thaw'); q.onsuccess = () => r(q.result); });
      const v = await new Promise((r) => { const q = db.transaction('settings').objectStore('settings').get('reminder'); q.onsuccess = () => r(q.result); });
      db.close(); return v; }""")
    assert stored["schedule"] == {
        "mode": "fixed",
        "times": ["09:00", "20:00"],
        "quiet_days": ["sun"],
    }

    page.get_by_role("button", name="Send a test reminder").tap()
    assert receiver.arrived.wait(20), "the push service never heard from Thaw's server"
    [push] = receiver.received
    headers = {name.lower(): value for name, value in push["headers"].items()}
    assert headers["content-encoding"] == "aes128gcm"
    assert headers["authorization"].startswith("vapid t=")
    message = keys.decrypt(push["body"])
    assert message["title"] == "A moment to notice how you are?"
    # What the push service would hand the browser, given to the worker: the notification.
    deliver_push(page, server.url, message)
    eventually(lambda: [n["title"] for n in page.evaluate(NOTIFICATIONS)] == [message["title"]])

    # Pause, then turn off: the server forgets the reminder.
    page.get_by_role("button", name="Pause for a week").tap()
    expect(page.locator(".reminder-now")).to_contain_text("Paused until")
    page.get_by_role("button", name="Turn off reminders").tap()
    expect(page.get_by_role("button", name="Turn on reminders")).to_be_visible()
    gone = page.evaluate(
        "async ({id, secret}) => (await fetch(`/api/v1/reminders/${id}/test`, { method: 'POST', headers: { Authorization: `Bearer ${secret}` } })).status",
        {"id": stored["id"], "secret": stored["secret"]},
    )
    assert gone == 404
    context.close()


def test_reminders_are_offered_once_after_the_third_check_in(page, base_url):
    from .app import check_in

    open_app(page, base_url)
    check_in(page, "Calm", "peaceful")
    check_in(page, "Sad", "lonely")
    expect(page.get_by_role("heading", name="Would a gentle reminder help?")).to_have_count(0)
    check_in(page, "Happy", "content")
    offer = page.get_by_role("complementary").filter(has_text="Would a gentle reminder help?")
    expect(offer).to_be_visible()
    offer.get_by_role("button", name="No thanks").tap()
    expect(offer).to_have_count(0)
    check_in(page, "Numb / can’t tell")
    expect(page.get_by_role("heading", name="Would a gentle reminder help?")).to_have_count(0)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_reminders_settings_are_accessible(page, base_url, scheme):
    from axe_playwright_python.sync_playwright import Axe

    from .app import serious_problems, small_targets

    page.emulate_media(color_scheme=scheme)
    open_app(page, base_url, "#settings")
    results = {"random": Axe().run(page)}
    page.get_by_label("Remind me").select_option(label="At fixed times")
    results["fixed"] = Axe().run(page)
    assert serious_problems(results) == {name: [] for name in results}
    assert (
        small_targets(page, "section[aria-labelledby=reminders-title] :is(button, input, select)")
        == []
    )
