"""The OpenAPI 3 document of the sync API, generated from the marshmallow schemas."""

from __future__ import annotations

from functools import cache
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from . import __version__
from .schemas import (
    MAX_CHANGES,
    DeleteRequestSchema,
    ErrorSchema,
    HealthSchema,
    SyncRequestSchema,
    SyncResponseSchema,
    VaultSchema,
)

VAULT_PARAM = {
    "name": "vault_id",
    "in": "path",
    "required": True,
    "description": "32 lowercase hex characters, derived from the vault key on the device.",
    "schema": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
}


def errors(*statuses: int) -> dict[str, Any]:
    text = {
        400: "Malformed JSON (not UTF-8, a repeated key, nested over 32 levels) or a schema "
        "error (field messages in details), e.g. an hlc more than 24 hours ahead.",
        401: "Missing or wrong token.",
        404: "Unknown vault.",
        410: "The vault was deleted with a notice (code vault_deleted, details.notice: the "
        "notice the deleting device sent). Only for the right token; its id is never reused.",
        413: "Body over 2 MiB.",
        415: "Body is not application/json with charset utf-8.",
        429: "Too many requests (see Retry-After).",
    }
    return {
        str(s): {"description": text[s], "content": {"application/json": {"schema": "Error"}}}
        for s in statuses
    }


@cache
def spec() -> dict[str, Any]:
    api = APISpec(
        title="Thaw sync API",
        version=__version__,
        openapi_version="3.0.3",
        info={
            "description": "Stores end-to-end encrypted envelopes per vault. "
            "The server never sees an entry in plain text."
        },
        servers=[{"url": "/api/v1"}],
        plugins=[MarshmallowPlugin()],
    )
    api.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    api.components.schema("Error", schema=ErrorSchema)
    api.components.schema("Health", schema=HealthSchema)
    api.components.schema("Vault", schema=VaultSchema)
    api.components.schema("SyncRequest", schema=SyncRequestSchema)
    api.components.schema("DeleteRequest", schema=DeleteRequestSchema)
    api.components.schema("SyncResponse", schema=SyncResponseSchema)
    secured = [{"bearer": []}]
    api.path(
        path="/health",
        operations={
            "get": {
                "summary": "Is the server up?",
                "responses": {
                    "200": {
                        "description": "Up.",
                        "content": {"application/json": {"schema": "Health"}},
                    }
                },
            }
        },
    )
    api.path(
        path="/vaults/{vault_id}",
        parameters=[VAULT_PARAM],
        operations={
            "put": {
                "summary": "Create a vault (idempotent with the same token).",
                "security": secured,
                "responses": {
                    "201": {
                        "description": "Created.",
                        "content": {"application/json": {"schema": "Vault"}},
                    },
                    "200": {
                        "description": "Already there with this token.",
                        "content": {"application/json": {"schema": "Vault"}},
                    },
                    **errors(400, 401, 410, 429),
                },
            },
            "delete": {
                "summary": "Erase the vault and everything in it.",
                "description": "Without a body the vault is forgotten (404 afterwards). With a "
                "notice the server keeps only the id, the token's hash and the notice, and "
                "answers PUT, sync and DELETE with the right token with 410 and the notice.",
                "security": secured,
                "requestBody": {
                    "required": False,
                    "content": {"application/json": {"schema": "DeleteRequest"}},
                },
                "responses": {
                    "204": {"description": "Erased."},
                    **errors(400, 401, 404, 410, 413, 415, 429),
                },
            },
        },
    )
    api.path(
        path="/vaults/{vault_id}/sync",
        parameters=[VAULT_PARAM],
        operations={
            "post": {
                "summary": f"Push up to {MAX_CHANGES} envelopes and pull those after a cursor.",
                "security": secured,
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": "SyncRequest"}},
                },
                "responses": {
                    "200": {
                        "description": "Changes after the cursor, oldest first, paged.",
                        "content": {"application/json": {"schema": "SyncResponse"}},
                    },
                    **errors(400, 401, 404, 410, 413, 415, 429),
                },
            }
        },
    )
    from .reminders.openapi import document

    document(api)
    return api.to_dict()
