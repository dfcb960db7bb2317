"""Marshmallow schemas of the reminders API's bodies."""

from __future__ import annotations

import base64
import binascii
import re
from datetime import date, timedelta
from functools import cache
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import available_timezones

from cryptography.hazmat.primitives.asymmetric import ec
from flask import current_app
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from ..schemas import FullMatch
from .schedule import MAX_PER_DAY, MAX_WINDOW_MINUTES, MODES, WEEKDAYS, minutes

HHMM = r"^(?:[01][0-9]|2[0-3]):[0-5][0-9]$"
DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
BASE64URL = re.compile(r"^[A-Za-z0-9_-]+={0,2}$")
LOOPBACK = {"127.0.0.1", "::1", "localhost"}
MAX_PAUSE_DAYS = 366
MAX_ENDPOINT = 2048


@cache
def time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def b64url_bytes(text: str) -> bytes:
    if not BASE64URL.fullmatch(text):
        raise ValidationError("Must be base64url.")
    try:
        return base64.urlsafe_b64decode(text.rstrip("=") + "=" * (-len(text.rstrip("=")) % 4))
    except (binascii.Error, ValueError):
        raise ValidationError("Must be base64url.") from None


def p256_point(text: str) -> None:
    raw = b64url_bytes(text)
    if len(raw) != 65 or raw[0] != 4:
        raise ValidationError("Must be a 65-byte uncompressed P-256 public key (base64url).")
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError:
        raise ValidationError("Is not a point on the P-256 curve.") from None


def auth_secret(text: str) -> None:
    if len(b64url_bytes(text)) != 16:
        raise ValidationError("Must be 16 bytes (base64url).")


def host_allowed(host: str, allowed: tuple[str, ...]) -> bool:
    host = host.lower().rstrip(".")
    for pattern in allowed:
        if pattern.startswith("*."):
            if host.endswith(pattern[1:]) and len(host) > len(pattern) - 1:
                return True
        elif host == pattern:
            return True
    return False


def push_endpoint(url: str) -> None:
    """https on a host in THAW_PUSH_HOSTS (default port); plain http only for a loopback host
    listed there (tests stand a local receiver in for the push service)."""
    allowed = tuple(current_app.config["PUSH_HOSTS"])
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise ValidationError("Is not a URL.") from None
    host = parts.hostname or ""
    if parts.username is not None or parts.password is not None or not host:
        raise ValidationError("Is not a push service's URL.")
    loopback = host in LOOPBACK
    if parts.scheme != "https" and not (parts.scheme == "http" and loopback):
        raise ValidationError("Must be an https:// URL.")
    if not host_allowed(host, allowed):
        raise ValidationError("Is not on a known push service (THAW_PUSH_HOSTS).")
    if port not in (None, 443) and not loopback:
        raise ValidationError("Must use the push service's usual port.")


def time_zone(value: str) -> None:
    if value not in time_zones():
        raise ValidationError("Is not an IANA time zone (like Europe/Berlin).")


def iso_date(value: str) -> None:
    try:
        date.fromisoformat(value)
    except ValueError:
        raise ValidationError("Is not a date (YYYY-MM-DD).") from None


class Strict(Schema):
    class Meta:
        unknown = RAISE


class KeysSchema(Strict):
    p256dh = fields.String(required=True, validate=p256_point, metadata={"format": "base64url"})
    auth = fields.String(required=True, validate=auth_secret, metadata={"format": "base64url"})


class SubscriptionSchema(Strict):
    """What the browser's PushSubscription.toJSON() gives."""

    endpoint = fields.String(
        required=True, validate=[validate.Length(max=MAX_ENDPOINT), push_endpoint]
    )
    # A DOMHighResTimeStamp (ms, may have a fraction) or null; kept, never acted on.
    expirationTime = fields.Float(allow_none=True, load_default=None, allow_nan=False)  # noqa: N815
    keys = fields.Nested(KeysSchema, required=True)


class WindowSchema(Strict):
    start = fields.String(required=True, validate=FullMatch(HHMM))
    end = fields.String(required=True, validate=FullMatch(HHMM))


MODE_FIELDS = {"random": {"count", "window"}, "fixed": {"times"}, "if_not_yet": {"time"}}


class ScheduleSchema(Strict):
    mode = fields.String(required=True, validate=validate.OneOf(MODES))
    count = fields.Integer(strict=True, validate=validate.Range(1, MAX_PER_DAY))
    window = fields.Nested(WindowSchema)
    times = fields.List(
        fields.String(validate=FullMatch(HHMM)), validate=validate.Length(1, MAX_PER_DAY)
    )
    time = fields.String(validate=FullMatch(HHMM))
    quiet_days = fields.List(
        fields.String(validate=validate.OneOf(WEEKDAYS)), validate=validate.Length(max=6)
    )
    paused_until = fields.String(validate=[FullMatch(DATE), iso_date])

    @validates_schema
    def check_mode(self, data: dict[str, Any], **kwargs: Any) -> None:
        mode = data.get("mode")
        if mode not in MODE_FIELDS:
            return
        errors: dict[str, list[str]] = {}
        for name in MODE_FIELDS[mode]:
            if name not in data:
                errors[name] = [f"Required in {mode} mode."]
        for other in set().union(*MODE_FIELDS.values()) - MODE_FIELDS[mode]:
            if other in data:
                errors[other] = [f"Not used in {mode} mode."]
        if mode == "random" and "window" in data and "count" in data:
            length = minutes(data["window"]["end"]) - minutes(data["window"]["start"])
            if length <= 0:
                errors["window"] = ["The window must end after it starts."]
            elif length > MAX_WINDOW_MINUTES:
                errors["window"] = ["The window can be at most 22 hours long."]
            elif length < (data["count"] - 1) * 60:
                errors["window"] = [f"{data['count']} moments an hour apart do not fit in it."]
        if mode == "fixed" and "times" in data and len(set(data["times"])) != len(data["times"]):
            errors["times"] = ["The times must differ."]
        if len(set(data.get("quiet_days", ()))) != len(data.get("quiet_days", ())):
            errors["quiet_days"] = ["A day is named twice."]
        paused = data.get("paused_until")
        if paused and "paused_until" not in errors:
            try:
                far = date.fromisoformat(paused) > date.today() + timedelta(days=MAX_PAUSE_DAYS)
            except ValueError:
                far = False
            if far:
                errors["paused_until"] = ["A pause can last at most a year."]
        if errors:
            raise ValidationError(errors)


class ReminderRequestSchema(Strict):
    subscription = fields.Nested(SubscriptionSchema, required=True)
    time_zone = fields.String(required=True, validate=time_zone)
    schedule = fields.Nested(ScheduleSchema, required=True)


class ReminderUpdateSchema(Strict):
    subscription = fields.Nested(SubscriptionSchema)  # a browser may renew its subscription
    time_zone = fields.String(required=True, validate=time_zone)
    schedule = fields.Nested(ScheduleSchema, required=True)


class CheckedInSchema(Strict):
    date = fields.String(required=True, validate=[FullMatch(DATE), iso_date])


class CreatedSchema(Schema):
    id = fields.String(required=True, metadata={"format": "uuid"})
    secret = fields.String(required=True, metadata={"description": "Send as Bearer token."})


class UpdatedSchema(Schema):
    id = fields.String(required=True, metadata={"format": "uuid"})
    next_at = fields.String(allow_none=True, metadata={"format": "date-time"})


class PublicKeySchema(Schema):
    public_key = fields.String(
        required=True,
        metadata={"description": "VAPID application server key: base64url, 65-byte point."},
    )
