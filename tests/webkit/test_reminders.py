"""Reminders in WebKit: what WebKitGTK offers a web app for them, and what a person is told.

WebKitGTK 2.50 has service workers and `Notification` (and a worker's `showNotification`), but
no Push API: nothing can subscribe, and no push reaches the worker. So Thaw's reminders cannot
work there, and the journeys that need a push are named below, skipped with the reason.
"""

from __future__ import annotations

import pytest

from tests.e2e.app import make_entry

from .ui import By, check_in, controlled, go, local_today, open_app, seed, visible, wait

pytestmark = pytest.mark.webkit

FEATURES = """const done = arguments[arguments.length - 1];
navigator.serviceWorker.ready.then((registration) => done({
  PushManager: 'PushManager' in window,
  PushEvent: 'PushEvent' in window,
  pushManager: 'pushManager' in registration,
  Notification: 'Notification' in window,
  showNotification: typeof registration.showNotification === 'function',
  getNotifications: typeof registration.getNotifications === 'function',
}), (error) => done({ error: String(error) }));"""

NO_PUSH = (
    "WebKitGTK 2.50 has no Push API (no PushManager, PushEvent or registration.pushManager): "
    "Thaw cannot subscribe, and WebDriver has no way to deliver a push to a service worker "
    "(the Chromium test uses the DevTools Protocol's ServiceWorker.deliverPushMessage). "
    "Safari has Web Push on macOS, and on iPhone for Home Screen web apps only, through "
    "Apple's push service: not reachable here."
)
OFFER = By("heading", "Would a gentle reminder help?")


def test_without_push_reminders_are_not_offered_and_settings_says_why(wk, base_url):
    open_app(wk, base_url)
    wait(lambda: controlled(wk), message="the service worker to control the page")
    assert wk.execute_async_script(FEATURES) == {
        "PushManager": False,
        "PushEvent": False,
        "pushManager": False,
        "Notification": True,
        "showNotification": True,
        "getNotifications": True,
    }
    today = local_today(wk)
    seed(wk, [make_entry(today, 8, "calm", "peaceful"), make_entry(today, 9, "sad", "lonely")])
    check_in(wk, "Happy", "content")  # the third check-in, where Chromium offers reminders
    assert "Naming it is the practice." in wk.find_element("id", "checkin-root").text
    # The offer is drawn with the moment or not at all: here it would lead to a dead end.
    assert not OFFER.all(wk), "reminders offered in a browser that cannot show them"
    go(wk, "Settings")
    visible(wk, By("heading", "Reminders"))
    no_push = "This browser cannot show reminders from a web app."
    wait(lambda: no_push in wk.find_element("id", "settings-root").text, message=no_push)


@pytest.mark.skip(reason=NO_PUSH)
def test_a_reminder_push_shows_a_notification_and_numb_is_saved_from_it() -> None:
    """tests/e2e/test_reminders_sw.py's journey: a push → one notification with two actions →
    "Numb / can't tell" saved by the worker → History shows it."""


@pytest.mark.skip(reason=NO_PUSH)
def test_numb_answered_while_thaw_was_closed_joins_at_the_next_open() -> None:
    """The worker's saveNumb() runs only from a notification's action, which needs a push."""
