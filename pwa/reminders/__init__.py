"""Reminders by Web Push (issue 15): schedules, VAPID, the store, the sender and the API.

`init_app` wires them into the app: the store (a JSON file in the data folder, or PostgreSQL
when THAW_DATABASE_URL is set), the VAPID key, the sender and the blueprint. The scheduler's
thread starts only when REMINDERS_SCHEDULER is on (`thaw serve` turns it on).
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask


def init_app(app: Flask) -> None:
    from . import api, sender, store, vapid

    app.extensions["thaw.reminders"] = store.open_reminders(app.config)
    key = vapid.load_or_create(app.config["DATA_DIR"], app.config["VAPID_PRIVATE_KEY"])
    app.extensions["thaw.reminders.vapid"] = key
    app.extensions["thaw.reminders.sender"] = sender.Sender(key, app.config["VAPID_SUBJECT"])
    app.extensions["thaw.reminders.clock"] = lambda: datetime.now(UTC)
    api.init_app(app)
    if app.config["REMINDERS_SCHEDULER"]:
        sender.start(app)
