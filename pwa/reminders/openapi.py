"""The reminders API's part of the OpenAPI document (pwa/openapi.py calls `document`)."""

from __future__ import annotations

from typing import Any

from apispec import APISpec

from .schemas import (
    CheckedInSchema,
    CreatedSchema,
    PublicKeySchema,
    ReminderRequestSchema,
    ReminderUpdateSchema,
    UpdatedSchema,
)

ID_PARAM = {
    "name": "reminder_id",
    "in": "path",
    "required": True,
    "description": "The id the server gave the reminder (a uuid).",
    "schema": {"type": "string", "format": "uuid"},
}
TEXT = {
    400: "Malformed JSON or a schema error (field messages in details): an endpoint not on a "
    "known push service, bad keys, an unknown time zone, a window ending before it starts, "
    "more than 5 times.",
    401: "Missing or wrong secret.",
    404: "Unknown reminder.",
    410: "The push service no longer knows the subscription; the reminder was deleted.",
    413: "Body over 2 MiB.",
    415: "Body is not application/json with charset utf-8.",
    429: "Too many requests (see Retry-After).",
    502: "The push service did not take the message.",
    503: "The server cannot reach its storage (see Retry-After).",
}


def errors(*statuses: int) -> dict[str, Any]:
    return {
        str(s): {"description": TEXT[s], "content": {"application/json": {"schema": "Error"}}}
        for s in statuses
    }


def body(schema: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def ok(description: str, schema: str | None = None) -> dict[str, Any]:
    reply: dict[str, Any] = {"description": description}
    if schema:
        reply["content"] = {"application/json": {"schema": schema}}
    return reply


def document(api: APISpec) -> None:
    api.components.schema("ReminderRequest", schema=ReminderRequestSchema)
    api.components.schema("ReminderUpdate", schema=ReminderUpdateSchema)
    api.components.schema("ReminderCreated", schema=CreatedSchema)
    api.components.schema("ReminderUpdated", schema=UpdatedSchema)
    api.components.schema("CheckedIn", schema=CheckedInSchema)
    api.components.schema("PublicKey", schema=PublicKeySchema)
    secured = [{"bearer": []}]
    api.path(
        path="/reminders/key",
        operations={
            "get": {
                "summary": "The server's VAPID public key (applicationServerKey).",
                "responses": {"200": ok("The key.", "PublicKey"), **errors(429)},
            }
        },
    )
    api.path(
        path="/reminders",
        operations={
            "post": {
                "summary": "Register a push subscription with a schedule.",
                "description": "The server keeps the subscription, time zone, schedule and next "
                "time; the secret (kept only as its SHA-256) opens the reminder later.",
                "requestBody": body("ReminderRequest"),
                "responses": {
                    "201": ok("Registered.", "ReminderCreated"),
                    **errors(400, 413, 415, 429, 503),
                },
            }
        },
    )
    api.path(
        path="/reminders/{reminder_id}",
        parameters=[ID_PARAM],
        operations={
            "put": {
                "summary": "A new schedule and time zone (and optionally subscription).",
                "security": secured,
                "requestBody": body("ReminderUpdate"),
                "responses": {
                    "200": ok("Changed; when it is due next.", "ReminderUpdated"),
                    **errors(400, 401, 404, 413, 415, 429, 503),
                },
            },
            "delete": {
                "summary": "Forget the reminder.",
                "security": secured,
                "responses": {"204": ok("Deleted."), **errors(401, 404, 429, 503)},
            },
        },
    )
    api.path(
        path="/reminders/{reminder_id}/test",
        parameters=[ID_PARAM],
        operations={
            "post": {
                "summary": "Send one reminder now.",
                "security": secured,
                "responses": {
                    "204": ok("The push service took it."),
                    **errors(401, 404, 410, 429, 502, 503),
                },
            }
        },
    )
    api.path(
        path="/reminders/{reminder_id}/checked-in",
        parameters=[ID_PARAM],
        operations={
            "post": {
                "summary": "A check-in on a local date: 'only if not yet' stays quiet that day.",
                "security": secured,
                "requestBody": body("CheckedIn"),
                "responses": {
                    "204": ok("Noted."),
                    **errors(400, 401, 404, 413, 415, 429, 503),
                },
            }
        },
    )
