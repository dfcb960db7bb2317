"""The hand-written fast paths of a push give exactly what the plain definitions give.

`base64_size` checks base64 with bytes.translate instead of the BASE64 regex, and
`envelope_text` quotes a payload that needs no escape instead of running it through the JSON
encoder: for any text, both must agree with the definitions they replace.
"""

from __future__ import annotations

import json
import string

from hypothesis import given
from hypothesis import strategies as st

from pwa.schemas import BASE64, base64_size
from pwa.store.base import ENVELOPE_FIELDS, envelope_text

B64_CHARS = string.ascii_letters + string.digits + "+/="
# Mostly base64-like text, with the characters that matter mixed in.
texts = st.one_of(
    st.text(alphabet=B64_CHARS, max_size=24),
    st.text(alphabet=B64_CHARS + '-_ \n"\\\x00\x7f\u2028é', max_size=24),
    st.text(max_size=24),
)


def regex_size(text: str) -> int | None:
    """base64_size as it was defined: the BASE64 regex, then the length."""
    if len(text) % 4 or not BASE64.fullmatch(text):
        return None
    return len(text) // 4 * 3 - text.count("=", -2)


@given(texts)
def test_base64_size_is_the_regex(text):
    assert base64_size(text) == regex_size(text)


def test_base64_size_edges():
    for text in ["", "AA==", "AAA=", "A===", "====", "=AAA", "AA=A", "AAAA\n", "ÄAAA", "AA-_"]:
        assert base64_size(text) == regex_size(text), text


@given(texts, texts, st.booleans(), texts, texts)
def test_envelope_text_is_compact_json_of_the_five_fields(id_, clock, deleted, iv, data):
    change = {"id": id_, "hlc": clock, "deleted": deleted, "iv": iv, "data": data}
    expected = json.dumps(
        {name: change[name] for name in ENVELOPE_FIELDS}, separators=(",", ":"), ensure_ascii=False
    )
    assert envelope_text(change) == expected
