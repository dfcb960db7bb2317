"""Sending reminders: one Web Push message (pywebpush: RFC 8291 aes128gcm + VAPID), and the
scheduler thread that claims due reminders every ~20 s and sends them."""

from __future__ import annotations

import json
import logging
import random
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush

from ..store.base import StoreUnavailable
from .schedule import local_date, next_time
from .store import Reminder, ReminderStore

log = logging.getLogger("thaw.reminders")

TITLE = "A moment to notice how you are?"
BODIES = (
    "Whatever is there is welcome, even nothing much.",
    "A few seconds to name what you feel.",
    "How is it in you right now?",
    "Numb counts too. What is here?",
    "Pause, breathe, and notice.",
)
TAG = "thaw-reminder"
TTL_SECONDS = 2 * 60 * 60  # a reminder hours late is no longer a moment; the service drops it
TIMEOUT_SECONDS = 10
LATE_LIMIT = timedelta(minutes=30)  # claimed later than this (server was down): skip, not send
BACKOFF = (timedelta(minutes=2), timedelta(minutes=5), timedelta(minutes=10))
CLAIM_BATCH = 200


def payload(rng: random.Random | None = None) -> str:
    body = (rng or random).choice(BODIES)
    return json.dumps({"title": TITLE, "body": body, "tag": TAG})


@dataclass(frozen=True)
class Outcome:
    kind: str  # "sent", "gone" (404/410: delete), "retry" (429/5xx/network), "failed"
    status: int | None = None


class Sender:
    def __init__(self, key: Vapid02, subject: str, timeout: float = TIMEOUT_SECONDS) -> None:
        self.key, self.subject, self.timeout = key, subject, timeout
        self.session = requests.Session()
        self.session.max_redirects = 0  # a push service answers; it never sends us elsewhere
        self.session.trust_env = False  # no proxy from the environment
        self.attempts: dict[str, int] = {}  # failed tries per reminder id, in this process

    def send(self, reminder: Reminder) -> Outcome:
        try:
            response = webpush(
                reminder.subscription,
                data=payload(),
                vapid_private_key=self.key,
                vapid_claims={"sub": self.subject},  # aud (the endpoint's origin) and exp added
                ttl=TTL_SECONDS,
                timeout=self.timeout,
                headers={"Urgency": "low", "Topic": TAG},  # a new one replaces an unread one
                requests_session=self.session,
            )
        except WebPushException as exc:
            status = getattr(exc.response, "status_code", None)
            if status in (404, 410):
                return Outcome("gone", status)
            if status is None or status == 429 or status >= 500:
                return Outcome("retry", status)
            log.warning("push service refused a reminder: %s", status)
            return Outcome("failed", status)
        except (requests.RequestException, OSError) as exc:
            log.info("push service unreachable: %s", exc)
            return Outcome("retry")
        return Outcome("sent", getattr(response, "status_code", None))


def reschedule(reminder: Reminder, now: datetime) -> datetime | None:
    """The next regular time after this one. A stored schedule that cannot be read (the API
    would have refused it) parks the reminder (None: never due) rather than failing the claim,
    which would hold back every other due reminder."""
    after = max(now, reminder.next_at or now)
    try:
        return next_time(
            reminder.schedule, reminder.time_zone, reminder.id, after, reminder.checked_in
        )
    except Exception:
        log.exception("reminders: cannot schedule %s; it is parked", reminder.id)
        return None


def skip_send(reminder: Reminder, now: datetime) -> bool:
    """A due reminder that should not go out: far too late, or if_not_yet already checked in."""
    if reminder.next_at is None or now - reminder.next_at > LATE_LIMIT:
        return True
    if reminder.schedule.get("mode") == "if_not_yet" and reminder.checked_in is not None:
        return reminder.checked_in == local_date(reminder.next_at, reminder.time_zone)
    return False


def run_once(
    store: ReminderStore, sender: Sender, now: datetime | None = None, limit: int = CLAIM_BATCH
) -> dict[str, int]:
    """Claim what is due and send it; returns counts by outcome."""
    now = now or datetime.now(UTC)
    counts: dict[str, int] = {}
    while True:
        due = store.claim_due(now, limit, reschedule)
        for reminder in due:
            if skip_send(reminder, now):
                counts["skipped"] = counts.get("skipped", 0) + 1
                continue
            outcome = sender.send(reminder)
            counts[outcome.kind] = counts.get(outcome.kind, 0) + 1
            if outcome.kind == "gone":
                store.delete(reminder.id)
            if outcome.kind != "retry":
                sender.attempts.pop(reminder.id, None)
                continue
            # 429/5xx/unreachable: try again 2, 5, then 10 minutes later (with jitter); after
            # that, or if the next regular time comes first, wait for the next regular time.
            attempt = sender.attempts.get(reminder.id, 0)
            if attempt >= len(BACKOFF):
                sender.attempts.pop(reminder.id, None)
                continue
            sender.attempts[reminder.id] = attempt + 1
            retry_at = now + BACKOFF[attempt] + timedelta(seconds=random.uniform(0, 30))
            regular = reschedule(reminder, now)
            if regular is None or retry_at < regular:
                store.postpone(reminder.id, retry_at)
        if len(due) < limit:
            return counts


class Scheduler(threading.Thread):
    """Every `interval` seconds (with a little jitter), claim due reminders and send them."""

    def __init__(self, store: ReminderStore, sender: Sender, interval: float = 20.0) -> None:
        super().__init__(name="thaw-reminders", daemon=True)
        self.store, self.sender, self.interval = store, sender, interval
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(self.interval * random.uniform(0.8, 1.2)):
            try:
                counts = run_once(self.store, self.sender)
                if counts:
                    log.info("reminders: %s", counts)
            except StoreUnavailable as exc:
                log.warning("reminders: store unavailable: %s", exc)
            except Exception:  # the thread must outlive any one bad round
                log.exception("reminders: unexpected error")

    def stop(self) -> None:
        self.stopping.set()


def start(app: Any) -> Scheduler:
    ext = app.extensions
    scheduler = Scheduler(
        ext["thaw.reminders"], ext["thaw.reminders.sender"], app.config["REMINDERS_INTERVAL"]
    )
    scheduler.start()
    ext["thaw.reminders.scheduler"] = scheduler
    return scheduler
