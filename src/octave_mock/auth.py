"""Who is calling: the `api_key` header, looked up in the store."""

from __future__ import annotations

from octave_kit.http_io import Problem
from octave_kit.validation import KEY_HEADER, key_violations
from octave_mock.store import Caller, Store


def key_hint(key: str) -> str:
    """Enough of a key to tell which one it is, never the whole of it."""
    return f"{key[:8]}…{key[-4:]}" if len(key) >= 16 else f"…{key[-2:]}"


def presented_key(headers: dict[str, str]) -> str:
    """The key the request carries; 401 when there is none."""
    key = headers.get(KEY_HEADER)
    if not key:
        raise Problem(401, key_violations(headers)[0].message)
    return key


def authenticate(headers: dict[str, str], store: Store) -> Caller:
    """The caller the key belongs to; 401 for a missing or unknown key."""
    caller = store.caller(presented_key(headers))
    if caller is None:
        raise Problem(401, f"{KEY_HEADER}: Invalid API key")
    return caller
