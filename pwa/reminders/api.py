"""The reminders API (/api/v1/reminders): opt-in Web Push reminders; every error is JSON.

Same conventions as pwa/api.py (whose JSON error handlers, body parsing and rate limiter it
reuses): strict application/json bodies, marshmallow schemas, `{"error": {code, message,
details?}}`, one shared rate limit per client address.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any, NoReturn

from flask import Blueprint, Flask, Response, current_app, jsonify, request
from marshmallow import Schema, ValidationError

from ..api import TOO_MANY, fail, json_body
from .schedule import next_time
from .schemas import CheckedInSchema, ReminderRequestSchema, ReminderUpdateSchema
from .sender import Sender
from .store import Reminder, ReminderStore, digest, secret_matches, valid_id
from .vapid import public_key

bp = Blueprint("reminders", __name__, url_prefix="/api/v1")
create_request = ReminderRequestSchema()
update_request = ReminderUpdateSchema()
checked_in_request = CheckedInSchema()


def store() -> ReminderStore:
    return current_app.extensions["thaw.reminders"]


def now() -> datetime:
    clock: Callable[[], datetime] = current_app.extensions["thaw.reminders.clock"]
    return clock()


def load(schema: Schema, what: str) -> dict[str, Any]:
    try:
        return schema.load(json_body())
    except ValidationError as exc:
        messages = exc.messages if isinstance(exc.messages, dict) else {"_body": exc.messages}
        fail(400, "invalid_request", f"The {what} does not match the schema.", messages)


def unknown() -> NoReturn:
    fail(404, "unknown_reminder", "There is no reminder with this id (it may have been deleted).")


def authorised(reminder_id: str) -> Reminder:
    """The reminder, once the request's `Authorization: Bearer <secret>` opens it."""
    if not valid_id(reminder_id):
        unknown()
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret:
        fail(401, "missing_token", "Send the secret as 'Authorization: Bearer <secret>'.")
    reminder = store().get(reminder_id)
    if reminder is None:
        unknown()
    if not secret_matches(reminder, secret):
        fail(401, "invalid_token", "The secret is not right for this reminder.")
    return reminder


def scheduled(reminder: Reminder) -> Reminder:
    """The reminder with its next time worked out from now."""
    after = now()
    return replace(
        reminder,
        next_at=next_time(
            reminder.schedule, reminder.time_zone, reminder.id, after, reminder.checked_in
        ),
    )


def no_content() -> Response:
    response = Response(status=204)
    del response.headers["Content-Type"]
    return response


def iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z") if moment else None


@bp.get("/reminders/key")
def vapid_key() -> Response:
    return jsonify(public_key=public_key(current_app.extensions["thaw.reminders.vapid"]))


@bp.post("/reminders")
def create() -> tuple[Response, int]:
    body = load(create_request, "reminder")
    secret = secrets.token_urlsafe(32)
    reminder = scheduled(
        Reminder(
            id=str(uuid.uuid4()),
            secret_sha256=digest(secret),
            subscription=body["subscription"],
            time_zone=body["time_zone"],
            schedule=body["schedule"],
            next_at=None,
        )
    )
    store().add(reminder)
    response = jsonify(id=reminder.id, secret=secret)
    response.headers["Cache-Control"] = "no-store"
    return response, 201


@bp.put("/reminders/<reminder_id>")
def update(reminder_id: str) -> Response:
    reminder = authorised(reminder_id)
    body = load(update_request, "reminder")
    keep_check_in = body["schedule"]["mode"] == "if_not_yet"
    changed = scheduled(
        replace(
            reminder,
            subscription=body.get("subscription", reminder.subscription),
            time_zone=body["time_zone"],
            schedule=body["schedule"],
            checked_in=reminder.checked_in if keep_check_in else None,
        )
    )
    if not store().save(changed):
        unknown()
    return jsonify(id=changed.id, next_at=iso(changed.next_at))


@bp.delete("/reminders/<reminder_id>")
def delete(reminder_id: str) -> Response:
    authorised(reminder_id)
    if not store().delete(reminder_id):
        unknown()
    return no_content()


@bp.post("/reminders/<reminder_id>/test")
def test_send(reminder_id: str) -> Response:
    """Send one reminder now (Settings → Send a test reminder)."""
    reminder = authorised(reminder_id)
    sender: Sender = current_app.extensions["thaw.reminders.sender"]
    outcome = sender.send(reminder)
    if outcome.kind == "gone":
        store().delete(reminder_id)
        fail(
            410,
            "subscription_gone",
            "The push service no longer knows this subscription; the reminder was deleted.",
        )
    if outcome.kind != "sent":
        fail(
            502,
            "push_failed",
            "The push service did not take the reminder; try again later.",
            {"status": outcome.status} if outcome.status else None,
        )
    return no_content()


@bp.post("/reminders/<reminder_id>/checked-in")
def checked_in(reminder_id: str) -> Response:
    """A check-in on a local date: an if_not_yet reminder stays quiet that day. Other modes
    keep no date (the server holds the date only where it changes anything)."""
    reminder = authorised(reminder_id)
    day = date.fromisoformat(load(checked_in_request, "check-in")["date"])
    if reminder.schedule.get("mode") != "if_not_yet":
        return no_content()
    newer = reminder.checked_in is None or day > reminder.checked_in
    if newer and not store().save(scheduled(replace(reminder, checked_in=day))):
        unknown()
    return no_content()


def init_app(app: Flask) -> None:
    """Register the blueprint under the API's shared rate limit (pwa.api.init_app first)."""
    limiter = app.extensions["thaw.limiter"]
    limit, create_limit = app.config["RATE_LIMIT"], app.config["CREATE_LIMIT"]
    if limit != "off":
        limiter.shared_limit(limit, scope="api", error_message=TOO_MANY)(bp)
    app.register_blueprint(bp)
    if create_limit != "off":  # new reminders and test sends cost the push services' goodwill
        costly = limiter.shared_limit(
            create_limit,
            scope="reminders",
            override_defaults=False,  # the shared limit applies as well
            deduct_when=lambda response: response.status_code < 400,
            error_message=TOO_MANY,
        )
        for view in (create, test_send):
            endpoint = f"{bp.name}.{view.__name__}"
            app.view_functions[endpoint] = costly(app.view_functions[endpoint])
