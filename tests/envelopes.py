"""Made-up vaults and envelopes for API tests: opaque bytes, as the server sees them."""

from __future__ import annotations

import base64
import os
import secrets
import uuid

NODE = "9f3a6c01d2e4b5a7"


def new_vault() -> tuple[str, str]:
    """A vault id and its token, shaped like the ones a device derives."""
    token = base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode()
    return secrets.token_hex(16), token


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def hlc(wall: int, counter: int = 0, node: str = NODE) -> str:
    return f"{wall:013d}-{counter:04x}-{node}"


def envelope(
    id: str | None = None,
    clock: str | None = None,
    deleted: bool = False,
    size: int = 64,
) -> dict:
    return {
        "id": id or str(uuid.uuid4()),
        "hlc": clock or hlc(1_732_451_234_567),
        "deleted": deleted,
        "iv": base64.b64encode(os.urandom(12)).decode(),
        "data": base64.b64encode(os.urandom(size)).decode(),
    }
