"""The sync API (/api/v1): vaults of end-to-end encrypted envelopes; every error is JSON."""

from __future__ import annotations

import json
from typing import Any, NoReturn

from flask import Blueprint, Flask, Response, current_app, jsonify, request
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from . import __version__
from .schemas import (
    PAGE_SIZE,
    TOKEN,
    VAULT_ID,
    DeleteRequestSchema,
    HealthSchema,
    SyncRequestSchema,
)
from .store import (
    QuotaExceeded,
    Store,
    StoreUnavailable,
    UnknownVault,
    VaultDeleted,
    WrongToken,
    open_store,
)

bp = Blueprint("api", __name__, url_prefix="/api/v1")
sync_request = SyncRequestSchema()
delete_request = DeleteRequestSchema()
health_reply = HealthSchema()  # made once: a marshmallow Schema costs ~90 µs to instantiate
TOO_MANY = "Too many requests from this address; wait a little and try again."
TOO_MANY_VAULTS = "Too many new vaults from this address; wait a while and try again."
MAX_JSON_DEPTH = 32  # the deepest valid body (a sync request) is 4 levels deep
RETRY_AFTER_SECONDS = 5  # when the database cannot be reached


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details


def error_response(status: int, code: str, message: str, details: dict | None = None) -> Response:
    body: dict[str, Any] = {"code": code, "message": message}
    if details:
        body["details"] = details
    response = jsonify(error=body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def fail(status: int, code: str, message: str, details: dict | None = None) -> NoReturn:
    raise ApiError(status, code, message, details)


def store() -> Store:
    return current_app.extensions["thaw.store"]


def checked_vault_id(vault_id: str) -> str:
    if not VAULT_ID.fullmatch(vault_id):
        fail(400, "invalid_vault_id", "A vault id is 32 lowercase hexadecimal characters.")
    return vault_id


def bearer_token() -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        fail(401, "missing_token", "Send the vault's token as 'Authorization: Bearer <token>'.")
    if not TOKEN.fullmatch(token):
        fail(401, "invalid_token", "The token is not right for this vault.")
    return token


def deleted(exc: VaultDeleted) -> NoReturn:
    """410 with the notice the deleting device left, for the devices that held the vault."""
    fail(
        410,
        "vault_deleted",
        "This vault was deleted by one of its devices.",
        {"notice": exc.notice},
    )


def authorised(vault_id: str) -> str:
    """The request's token, once it opens the vault (404, 401 or 410 otherwise). The store may
    answer this from a short-lived cache: what the route then asks of the store passes the
    token again, and the store checks it in the same step."""
    checked_vault_id(vault_id)
    token = bearer_token()
    try:
        store().check_token(vault_id, token)
    except UnknownVault:
        fail(404, "unknown_vault", "There is no vault with this id (it may have been deleted).")
    except WrongToken:
        wrong_token()
    except VaultDeleted as exc:
        deleted(exc)
    return token


def wrong_token() -> NoReturn:
    fail(401, "invalid_token", "The token is not right for this vault.")


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """json.loads hook: a repeated key is a client bug or a smuggling attempt, never 'last wins'."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"the key {key!r} appears more than once in an object")
        result[key] = value
    return result


def too_deep(value: Any, limit: int) -> bool:
    """Whether arrays and objects nest deeper than `limit` (iterative: no recursion to exhaust)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def json_body() -> Any:
    """The request's JSON: UTF-8, no repeated keys, at most MAX_JSON_DEPTH deep; else 4xx."""
    if request.mimetype != "application/json":
        fail(415, "unsupported_media_type", "Send the body as application/json.")
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in {"utf-8", "utf8"}:
        fail(415, "unsupported_media_type", "Send the body as UTF-8 (charset=utf-8).")
    raw = request.get_data(cache=False)  # 413 past MAX_CONTENT_LENGTH
    try:
        body = json.loads(raw.decode("utf-8"), object_pairs_hook=unique_keys)
    except UnicodeDecodeError:
        fail(400, "malformed_json", "The body is not UTF-8 text.")
    except RecursionError:  # deeper than Python's stack allows: far past the limit anyway
        fail(400, "malformed_json", f"The body nests deeper than {MAX_JSON_DEPTH} levels.")
    except ValueError as exc:
        fail(400, "malformed_json", f"The body is not valid JSON ({exc}).")
    # Nesting deeper than the limit needs more openers than that: counting them (in C) spares
    # the walk for every usual push of up to ~30 envelopes.
    openers = raw.count(b"[") + raw.count(b"{")
    if openers > MAX_JSON_DEPTH and too_deep(body, MAX_JSON_DEPTH):
        fail(400, "malformed_json", f"The body nests deeper than {MAX_JSON_DEPTH} levels.")
    return body


def has_body() -> bool:
    return (
        bool(request.content_length)
        or "chunked" in request.headers.get("Transfer-Encoding", "").lower()
    )


@bp.get("/health")
def health() -> Response:
    return jsonify(health_reply.dump({"status": "ok", "version": __version__}))


@bp.put("/vaults/<vault_id>")
def create_vault(vault_id: str) -> tuple[Response, int]:
    checked_vault_id(vault_id)
    token = bearer_token()
    try:
        created = store().create(vault_id, token)
    except WrongToken:
        fail(401, "invalid_token", "This vault exists with another token.")
    except VaultDeleted as exc:  # a deleted vault's id is never given out again
        deleted(exc)
    return jsonify(vault_id=vault_id, created=created), 201 if created else 200


@bp.post("/vaults/<vault_id>/sync")
def sync(vault_id: str) -> Response:
    token = authorised(vault_id)
    body = json_body()
    try:
        push = sync_request.load(body)
    except ValidationError as exc:
        messages = exc.messages if isinstance(exc.messages, dict) else {"_body": exc.messages}
        fail(400, "invalid_request", "The sync request does not match the schema.", messages)
    try:
        page = store().sync(vault_id, push["changes"], push["cursor"], PAGE_SIZE, token=token)
    except UnknownVault:
        fail(404, "unknown_vault", "This vault was deleted.")
    except WrongToken:  # the vault was deleted and made again with another token meanwhile
        wrong_token()
    except VaultDeleted as exc:  # deleted while this request waited
        deleted(exc)
    except QuotaExceeded as exc:
        fail(403, "quota_exceeded", exc.message)
    # The stored envelopes' JSON goes out as it was stored (validated on the way in), not
    # re-serialised field by field; the shape is SyncResponseSchema's.
    body = b'{"cursor":%d,"changes":[%s],"more":%s,"remaining":%d}' % (
        page.cursor,
        b",".join(page.raw),
        b"true" if page.remaining else b"false",
        page.remaining,
    )
    response = current_app.response_class(body, mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.delete("/vaults/<vault_id>")
def erase_vault(vault_id: str) -> Response:
    """Erase every envelope. With a body `{"notice": …}` the server keeps the id, the token's
    hash and the notice, answers 410 with it from then on, and never creates the id again."""
    token = authorised(vault_id)
    notice = None
    if has_body():
        try:
            notice = delete_request.load(json_body())["notice"]
        except ValidationError as exc:
            messages = exc.messages if isinstance(exc.messages, dict) else {"_body": exc.messages}
            fail(400, "invalid_request", "The delete request does not match the schema.", messages)
    try:
        store().erase(vault_id, notice, token=token)
    except UnknownVault:
        fail(404, "unknown_vault", "There is no vault with this id.")
    except WrongToken:
        wrong_token()
    except VaultDeleted as exc:
        deleted(exc)
    response = Response(status=204)
    del response.headers["Content-Type"]  # no body, so no type (it said text/html)
    return response


@bp.get("/openapi.json")
def openapi() -> Response:
    from .openapi import spec

    return jsonify(spec())


def handle_api_error(exc: ApiError) -> Response:
    return error_response(exc.status, exc.code, exc.message, exc.details)


def handle_store_unavailable(exc: StoreUnavailable) -> Response:
    """The database is away (stopped, restarting, a dropped connection): 503, try again soon."""
    current_app.logger.warning("store unavailable: %s", exc)
    response = error_response(
        503, "store_unavailable", "The server cannot reach its storage right now; try again soon."
    )
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def handle_http_error(exc: HTTPException) -> Response | HTTPException:
    """JSON for every HTTP error under /api/ (404, 405, 413, 429 …); the shell keeps Flask's."""
    if not request.path.startswith("/api/"):
        return exc
    code = (exc.name or "error").lower().replace(" ", "_")
    messages = {
        413: "The body is larger than 2 MiB.",
        429: exc.description if exc.description in {TOO_MANY, TOO_MANY_VAULTS} else TOO_MANY,
        405: f"{request.method} is not allowed here.",
        404: "There is nothing at this address.",
    }
    response = error_response(exc.code or 500, code, messages.get(exc.code or 0, exc.description))
    if exc.code == 405 and exc.valid_methods:  # type: ignore[attr-defined]
        response.headers["Allow"] = ", ".join(exc.valid_methods)  # type: ignore[attr-defined]
    return response


def handle_unexpected(exc: Exception) -> Response:
    if isinstance(exc, HTTPException):
        return handle_http_error(exc)  # type: ignore[return-value]
    current_app.logger.exception("unexpected error")
    return error_response(500, "internal_error", "Something went wrong on the server.")


def vault_exists() -> bool:
    """Whether the PUT names a vault already on the server (in any state): then it creates
    nothing, so the creation limit neither counts nor refuses it."""
    vault_id = (request.view_args or {}).get("vault_id", "")
    token = request.headers.get("Authorization", "").partition(" ")[2]
    try:
        store().check_token(vault_id, token)
    except UnknownVault:
        return False
    except (WrongToken, VaultDeleted):
        return True
    return True


def init_app(app: Flask) -> None:
    """Register the API with its store, rate limits and JSON error handlers."""
    from flask_limiter import Limiter
    from flask_limiter.util import get_remote_address

    app.extensions["thaw.store"] = open_store(app.config)
    limit, create_limit = app.config["RATE_LIMIT"], app.config["CREATE_LIMIT"]
    # The client address is REMOTE_ADDR, which waitress sets from X-Forwarded-For only when
    # THAW_TRUSTED_PROXIES says a proxy stands in front (config.waitress_options).
    limiter = Limiter(
        get_remote_address,
        app=app,
        storage_uri="memory://",
        headers_enabled=True,
        retry_after="delta-seconds",
        enabled=limit != "off",  # "off" (benchmarks, browser tests) turns every limit off
    )
    app.extensions["thaw.limiter"] = limiter  # its limits hold it only by a weak reference
    if limit != "off":  # one budget per client, shared by every route under /api/v1
        limiter.shared_limit(limit, scope="api", error_message=TOO_MANY)(bp)
    app.register_blueprint(bp)
    if create_limit != "off":  # and a much smaller one for new vaults, which cost disk
        endpoint = f"{bp.name}.{create_vault.__name__}"
        app.view_functions[endpoint] = limiter.limit(
            create_limit,
            override_defaults=False,  # the shared limit applies as well
            exempt_when=vault_exists,  # a device re-opening its vault is never refused
            deduct_when=lambda response: response.status_code == 201,  # only real creations
            error_message=TOO_MANY_VAULTS,
        )(app.view_functions[endpoint])
    app.register_error_handler(ApiError, handle_api_error)
    app.register_error_handler(StoreUnavailable, handle_store_unavailable)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
