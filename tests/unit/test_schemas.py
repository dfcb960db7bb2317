"""The sync request's fast way through validation agrees with marshmallow's own, always.

`Envelopes` takes a list whose envelopes are all `plainly_valid` as it is, and sends any other
through `List(Nested(EnvelopeSchema))`: for any list, both ways must give the same data or the
same error messages.
"""

from __future__ import annotations

import base64
import time
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError, fields

from pwa.schemas import (
    MAX_CLOCK_AHEAD_MS,
    MAX_DATA_BYTES,
    Envelopes,
    EnvelopeSchema,
    SyncRequestSchema,
    plainly_valid,
)
from tests.envelopes import envelope, hlc

REFERENCE = fields.List(fields.Nested(EnvelopeSchema))
FAST = Envelopes()


def b64(size: int, fill: bytes = b"\xfb") -> str:
    return base64.b64encode(fill * size).decode()


def now_ms() -> int:
    return int(time.time() * 1000)


ids = st.one_of(
    st.uuids().map(str),
    st.uuids().map(lambda u: str(u).upper()),
    st.uuids().map(lambda u: str(u) + "\n"),
    st.uuids().map(lambda u: u.hex),
    st.text(max_size=40),
    st.integers(),
    st.none(),
)
clocks = st.one_of(
    st.integers(0, 9_999_999_999_999).map(hlc),
    st.sampled_from([-60_000, 3_600_000, MAX_CLOCK_AHEAD_MS - 60_000]).map(
        lambda ahead: hlc(now_ms() + ahead)
    ),
    st.sampled_from([MAX_CLOCK_AHEAD_MS + 60_000, 10**9]).map(lambda ahead: hlc(now_ms() + ahead)),
    st.just("١٧٣٢٤٥١٢٣٤٥٦٧-0000-9f3a6c01d2e4b5a7"),  # Arabic-Indic digits
    st.just(hlc(1_732_451_234_567) + "\n"),
    st.just("17324512345678-0000-9f3a6c01d2e4b5a7"),
    st.just("1732451234567-0000-9F3A6C01D2E4B5A7"),
    st.text(max_size=40),
    st.integers(),
)
flags = st.one_of(st.booleans(), st.sampled_from([0, 1, "true", None, []]))
ivs = st.one_of(
    st.sampled_from([11, 12, 13]).map(b64),
    st.just(b64(12).replace("+", "-")),
    st.just(b64(12) + "\n"),
    st.just(b64(12)[:-2] + "=="),
    st.text(max_size=20),
    st.integers(),
)
datas = st.one_of(
    st.integers(0, 40).map(b64),
    st.sampled_from([MAX_DATA_BYTES - 1, MAX_DATA_BYTES, MAX_DATA_BYTES + 1]).map(b64),
    st.integers(1, 40).map(lambda n: b64(n)[:-1]),
    st.integers(1, 40).map(lambda n: b64(n) + "="),
    st.just("===="),
    st.just("ab=c"),
    st.text(max_size=20),
    st.none(),
)


@st.composite
def items(draw):
    item = envelope()
    for name, values in (
        ("id", ids),
        ("hlc", clocks),
        ("deleted", flags),
        ("iv", ivs),
        ("data", datas),
    ):
        if draw(st.integers(0, 3)) == 0:  # mostly valid, so both ways are taken often
            item[name] = draw(values)
    change = draw(st.sampled_from(["none"] * 5 + ["missing", "extra", "not a dict"]))
    if change == "missing":
        del item[draw(st.sampled_from(sorted(item)))]
    elif change == "extra":
        item[draw(st.sampled_from(["seq", "x", "Id"]))] = 1
    elif change == "not a dict":
        return draw(st.sampled_from([None, [], "envelope", 7, [item]]))
    return item


def outcome(field: fields.Field, value) -> tuple[str, object]:
    try:
        return "ok", field.deserialize(value)
    except ValidationError as exc:
        return "error", exc.messages


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(items(), max_size=4))
def test_the_fast_way_agrees_with_marshmallow(changes):
    assert outcome(FAST, changes) == outcome(REFERENCE, changes)


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(items())
def test_plainly_valid_only_what_envelope_schema_accepts_unchanged(item):
    if plainly_valid(item, time.time() * 1000 + MAX_CLOCK_AHEAD_MS):
        assert EnvelopeSchema().load(item) == item


def test_the_usual_push_takes_the_fast_way_and_is_copied():
    changes = [envelope(deleted=i % 2 == 1, size=300) for i in range(20)]
    latest = time.time() * 1000 + MAX_CLOCK_AHEAD_MS
    assert all(plainly_valid(change, latest) for change in changes)
    loaded = SyncRequestSchema().load({"cursor": 0, "changes": changes})["changes"]
    assert loaded == changes and all(a is not b for a, b in zip(loaded, changes, strict=True))


def test_one_bad_envelope_gets_marshmallows_messages_for_its_index():
    changes = [envelope(), {**envelope(), "iv": b64(11)}, envelope(id=str(uuid.uuid4()))]
    try:
        SyncRequestSchema().load({"cursor": 0, "changes": changes})
    except ValidationError as exc:
        message = "Must decode to exactly 12 bytes, not 11."
        assert exc.messages == {"changes": {1: {"iv": [message]}}}
    else:
        raise AssertionError("an iv of 11 bytes was accepted")
