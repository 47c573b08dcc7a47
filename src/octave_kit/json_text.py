"""JSON text of the mock's documents: fast, and exact for every value JSON can carry.

orjson reads and writes documents several times faster than the standard
library, but it refuses to write integers beyond 64 bits (which JSON allows,
and a client may send in a free-form field) and reads them back as floats.
So such a document is written by the standard library instead, with a
leading space, which JSON allows and orjson never writes; reading sends it
back to the standard library, which keeps every integer exact.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

Json = dict[str, Any]  # a JSON object, as parsed: the kit's one name for it
STANDARD_LIBRARY_MARK = b" "


def dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON, members in their order.

    No NaN or infinity gets this far: request parsing refuses them.
    """
    try:
        return orjson.dumps(value)
    except TypeError:  # an integer beyond 64 bits
        text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return STANDARD_LIBRARY_MARK + text.encode()


def loads_or_none(text: str) -> Any:
    """The JSON in a text, or None where the text is empty or not JSON (a page, say)."""
    if not text:
        return None
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return None


def loads(text: bytes | str) -> Any:
    """What `dumps` wrote (or, in older databases, `json.dumps`), every integer exact."""
    if isinstance(text, str) or text.startswith(STANDARD_LIBRARY_MARK):
        return json.loads(text)
    return orjson.loads(text)
