"""The request journal: what the mock received and answered, for a test to read back.

Each API request the mock answers (or leaves unanswered through a fault) is
one entry in the store's `journal` table, a ring of the last `journal_size`
entries, so a long-running `serve` does not grow; a reset empties it. No key
is ever written: the entry has a `key_hint`, the presented key is blanked
wherever else it appears (path, query, body), and the headers keep only a hint
of the key and of every credential (`kept_headers`). Entries are stored as
received and parsed when read, so that a request pays one INSERT. The
response (its header names and JSON body) is kept only when asked
(`journal_responses`, which coverage of the contract turns on): it costs a
serialisation per request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import orjson

from octave_kit import json_text
from octave_kit.http_io import Request, Response, now_iso
from octave_kit.json_text import Json
from octave_kit.keys import BLANKED_KEY, KEY_HEADER, key_hint
from octave_kit.spec import Operation
from octave_mock.store import JOURNAL_COLUMNS, Caller, Store

# Headers whose value is a credential: the journal keeps a hint of it, as of the key.
SECRET_HEADERS = frozenset({KEY_HEADER, "authorization", "cookie", "proxy-authorization"})


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the journal holds it (and GET /_mock/requests lists it)."""

    operation: str | None  # None when the path is no operation of the spec
    method: str
    path: str
    query: dict[str, str]
    json: Any  # the parsed body, or None when it is empty or not JSON
    body: str
    status: int | None  # None when a hang or reset fault left it unanswered
    request_id: str
    key_hint: str | None
    workspace: str | None  # the key's workspace; None for a missing or unknown key
    fault: str | None  # the injected or scripted fault that shaped the answer
    time: str
    headers: dict[str, str]  # names lower-cased; credentials as hints (see kept_headers)
    # With journal_responses: {"headers": [names, lower-cased], "json": the body or None}.
    response: Json | None = None


class Journal:
    def __init__(self, store: Store, size: int, responses: bool = False) -> None:
        self.store = store
        self.size = size  # 0: off
        self.responses = responses

    def record(
        self,
        request: Request,
        op: Operation | None,
        body: bytes,
        answer: Response | None,
        request_id: str,
        fault: str | None = None,
        caller: Caller | None = None,
    ) -> None:
        """Add the request's entry in the open transaction.

        `op` is None for a path or method the spec does not have; `fault` defaults to the
        answer's; without `caller` (an unauthenticated request), the key is looked up.
        """
        if not self.size:
            return
        path, query = request.path, request.query_string.decode("latin-1")
        key = request.headers.get(KEY_HEADER) or None
        if key is not None:
            if caller is None:
                caller = self.store.caller(key)
            blanked = key.encode()
            if blanked in body:  # a key sent where it does not belong is not kept either
                body = body.replace(blanked, BLANKED_KEY.encode())
            path, query = path.replace(key, BLANKED_KEY), query.replace(key, BLANKED_KEY)
        entry = (
            None if op is None else op.operation_id,
            request.method,
            path,
            query,
            body,
            None if answer is None else answer.status,
            request_id,
            None if key is None else key_hint(key),
            None if caller is None else caller.workspace_oid,
            fault or (None if answer is None else answer.fault),
            now_iso(),
            orjson.dumps(kept_headers(request.headers, key)),
            _response(answer, key) if self.responses and answer is not None else None,
        )
        self.store.record(entry, self.size)

    def entries(self, operation: str | None = None) -> list[Json]:
        """The journal, oldest first, each entry as RecordedRequest's fields."""
        found = []
        for row in self.store.journal(self.size, operation):
            entry = dict(zip(JOURNAL_COLUMNS, row, strict=True))
            text = bytes(entry["body"]).decode("utf-8", "replace")
            query = dict(parse_qsl(entry["query"], keep_blank_values=True))
            headers = orjson.loads(entry["headers"])
            response = entry["response"] and json_text.loads(entry["response"])
            found.append(
                {
                    **entry,
                    "query": query,
                    "json": _parsed(text),
                    "body": text,
                    "headers": headers,
                    "response": response,
                }
            )
        return found


def kept_headers(headers: dict[str, str], key: str | None) -> dict[str, str]:
    """A request's headers as the journal keeps them: every credential as a hint.

    The names are lower-cased already (Request); the key, blanked in any other header.
    """
    kept = {}
    for name, value in headers.items():
        if name in SECRET_HEADERS:
            kept[name] = key_hint(value)
        elif key and key in value:
            kept[name] = value.replace(key, BLANKED_KEY)
        else:
            kept[name] = value
    return kept


def _response(answer: Response, key: str | None) -> bytes:
    """The response as the journal keeps it: header names, and the JSON body (never a key)."""
    body = None if answer.raw is not None else answer.body
    headers = sorted(name.lower() for name in answer.headers)
    text = json_text.dumps({"headers": headers, "json": body})
    if key and key.encode() in text:
        text = text.replace(key.encode(), BLANKED_KEY.encode())
    return text


def _parsed(text: str) -> Any:
    if not text:
        return None
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return None
