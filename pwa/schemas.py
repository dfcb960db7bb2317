"""Marshmallow schemas of the sync API's bodies: what a client may send and what it gets back."""

from __future__ import annotations

import re
import time
from collections import Counter
from typing import Any

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    validate,
    validates_schema,
)

VAULT_ID = re.compile(r"^[0-9a-f]{32}$")
TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")
HLC = re.compile(r"^[0-9]{13}-[0-9a-f]{4}-[0-9a-f]{16}$")  # ASCII digits only
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
BASE64 = re.compile(r"^[A-Za-z0-9+/]*={0,2}$")

IV_BYTES = 12
NOTICE_BYTES = 32  # an HMAC-SHA-256
MAX_DATA_BYTES = 16 * 1024
MAX_CHANGES = 500
PAGE_SIZE = 1000
MAX_CLOCK_AHEAD_MS = 24 * 60 * 60 * 1000  # an hlc this far past the server's clock is forged


class FullMatch(validate.Regexp):
    """validate.Regexp with `fullmatch`: `re.match` lets `$` match before a final newline."""

    def __call__(self, value: str) -> str:
        if self.regex.fullmatch(value) is None:
            raise ValidationError(self._format_error(value))
        return value


def not_far_future(value: str) -> None:
    """An hlc whose wall time is more than 24 h past the server's clock would outrank every
    honest change and drag devices' clocks into the future: refuse it."""
    if HLC.fullmatch(value) and int(value[:13]) > time.time() * 1000 + MAX_CLOCK_AHEAD_MS:
        raise ValidationError("The clock is more than 24 hours ahead of the server's time.")


BASE64_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def base64_size(text: str) -> int | None:
    """How many bytes standard base64 text decodes to; None if it is not base64.

    Exactly BASE64 (alphabet, then at most two "=") with a length divisible by 4, checked with
    bytes.translate, which is twice as fast as the regex on a push's 400-character payloads.
    """
    if len(text) % 4 or not text.isascii():
        return None
    body = text.rstrip("=")
    padding = len(text) - len(body)
    if padding > 2 or body.encode("ascii").translate(None, BASE64_ALPHABET):
        return None  # more "=" than base64 ends with, or a character outside the alphabet
    return len(text) // 4 * 3 - padding


class StrictBoolean(fields.Boolean):
    """Only JSON true or false: "yes" or 1 would be a client bug worth hearing about."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise ValidationError("Must be true or false.")
        return value


class Base64(fields.String):
    """Standard base64 text whose decoded length is checked; kept as text."""

    def __init__(self, *, exact: int | None = None, maximum: int | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.exact, self.maximum = exact, maximum
        quads = "(?:[A-Za-z0-9+/]{4})"
        if (
            exact is not None
        ):  # the spec describes exactly what is accepted, for clients and fuzzers
            chars = 4 * -(-exact // 3)
            tail = {0: "", 1: "[A-Za-z0-9+/]{2}==", 2: "[A-Za-z0-9+/]{3}="}[exact % 3]
            self.metadata.setdefault("description", f"base64 of exactly {exact} bytes")
            self.metadata.update(
                pattern=f"^{quads}{{{exact // 3}}}{tail}$", minLength=chars, maxLength=chars
            )
        if maximum is not None:
            self.metadata.setdefault("description", f"base64 of at most {maximum} bytes")
            self.metadata.update(
                pattern=f"^{quads}*(?:[A-Za-z0-9+/]{{2}}==|[A-Za-z0-9+/]{{3}}=)?$",
                maxLength=4 * -(-maximum // 3),
            )

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        size = base64_size(text)
        if size is None:
            raise ValidationError("Not valid base64.")
        if self.exact is not None and size != self.exact:
            raise ValidationError(f"Must decode to exactly {self.exact} bytes, not {size}.")
        if self.maximum is not None and size > self.maximum:
            raise ValidationError(f"Must decode to at most {self.maximum} bytes, not {size}.")
        return text


class EnvelopeSchema(Schema):
    """One encrypted entry: the server sees its id, clock and tombstone flag, never its content."""

    class Meta:
        unknown = RAISE

    id = fields.String(required=True, validate=FullMatch(UUID, error="Must be a UUID."))
    hlc = fields.String(
        required=True,
        validate=[FullMatch(HLC, error="Must be <13 digits>-<4 hex>-<16 hex>."), not_far_future],
        metadata={"description": "wall time at most 24 hours past the server's clock"},
    )
    deleted = StrictBoolean(required=True)
    iv = Base64(required=True, exact=IV_BYTES)
    data = Base64(required=True, maximum=MAX_DATA_BYTES)


ENVELOPE_KEYS = frozenset(EnvelopeSchema().fields)


def plainly_valid(item: Any, latest_ms: float) -> bool:
    """Whether EnvelopeSchema accepts `item` as it is, by its own rules written as plain checks
    (the same compiled patterns, base64_size, the clock limit `latest_ms`). False means "ask
    EnvelopeSchema", never "invalid": anything unusual takes marshmallow's way, with its
    messages. tests/unit/test_schemas.py holds the two to agreeing."""
    if type(item) is not dict or item.keys() != ENVELOPE_KEYS:
        return False
    id_, clock, deleted, iv, data = (
        item["id"],
        item["hlc"],
        item["deleted"],
        item["iv"],
        item["data"],
    )
    if type(id_) is not str or type(clock) is not str or type(iv) is not str:
        return False
    if type(data) is not str or type(deleted) is not bool:
        return False
    if UUID.fullmatch(id_) is None or HLC.fullmatch(clock) is None:
        return False
    if int(clock[:13]) > latest_ms:
        return False
    if base64_size(iv) != IV_BYTES:
        return False
    size = base64_size(data)
    return size is not None and size <= MAX_DATA_BYTES


class Envelopes(fields.List):
    """`changes`: a list of EnvelopeSchema. marshmallow's machinery costs ~5 µs per field, most
    of a push's validation; a list whose envelopes are all `plainly_valid` (the usual case) is
    taken as it is (copied), and any other goes through EnvelopeSchema for its messages."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(fields.Nested(EnvelopeSchema), **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list:
        if type(value) is list:
            latest_ms = time.time() * 1000 + MAX_CLOCK_AHEAD_MS
            if all(plainly_valid(item, latest_ms) for item in value):
                return [dict(item) for item in value]
        return super()._deserialize(value, attr, data, **kwargs)


class StoredEnvelopeSchema(EnvelopeSchema):
    seq = fields.Integer(required=True, metadata={"minimum": 1})


class SyncRequestSchema(Schema):
    class Meta:
        unknown = RAISE

    cursor = fields.Integer(
        required=True, strict=True, validate=validate.Range(min=0, max=2**53 - 1)
    )
    changes = Envelopes(
        required=True,
        validate=validate.Length(max=MAX_CHANGES, error=f"At most {MAX_CHANGES} changes a push."),
    )

    @validates_schema
    def one_change_per_id(self, data: dict, **kwargs: Any) -> None:
        ids = [change["id"] for change in data.get("changes", [])]
        if len(set(ids)) == len(ids):  # the usual push: no need to count
            return
        counts = Counter(ids)
        repeated = sorted(i for i, n in counts.items() if n > 1)
        if repeated:
            raise ValidationError(
                f"Each id may appear once in a push; repeated: {', '.join(repeated[:5])}.",
                field_name="changes",
            )


class DeleteRequestSchema(Schema):
    """DELETE's optional body: a deletion notice the server keeps in place of the vault."""

    class Meta:
        unknown = RAISE

    notice = Base64(
        required=True,
        exact=NOTICE_BYTES,
        metadata={
            "description": "base64 of 32 bytes: HMAC-SHA-256(notice key, 'thaw/v1/deleted/' + "
            "vault_id), returned with 410 to devices that still hold the token"
        },
    )


class SyncResponseSchema(Schema):
    cursor = fields.Integer(required=True, metadata={"minimum": 0})
    changes = fields.List(fields.Nested(StoredEnvelopeSchema), required=True)
    more = fields.Boolean(required=True)
    remaining = fields.Integer(
        required=True,
        metadata={"minimum": 0, "description": "envelopes after this page (for progress)"},
    )


class VaultSchema(Schema):
    vault_id = fields.String(required=True)
    created = fields.Boolean(required=True)


class HealthSchema(Schema):
    status = fields.String(required=True)
    version = fields.String(required=True)


class ErrorDetailSchema(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)
    details = fields.Dict()


class ErrorSchema(Schema):
    error = fields.Nested(ErrorDetailSchema, required=True)
