"""Who is calling: the `api_key` header, looked up in the store."""

from __future__ import annotations

from octave_kit.http_io import HTTPError
from octave_kit.keys import KEY_HEADER
from octave_kit.validation import key_violations
from octave_mock.store import Caller, Store


def presented_key(headers: dict[str, str]) -> str:
    """The key the request carries; 401 when there is none."""
    key = headers.get(KEY_HEADER)
    if not key:
        raise HTTPError(401, key_violations(headers)[0].message)
    return key


def authenticate(headers: dict[str, str], store: Store) -> Caller:
    """The caller the key belongs to; 401 for a missing or unknown key."""
    caller = store.caller(presented_key(headers))
    if caller is None:
        raise HTTPError(401, f"{KEY_HEADER}: Invalid API key")
    return caller
