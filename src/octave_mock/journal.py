"""The request journal: what the mock received and answered, for a test to read back.

Each API request the mock answers (or leaves unanswered through a fault) is
one entry in the store's `journal` table, a ring of the last `journal_size`
entries, so a long-running `serve` does not grow; a reset empties it. No key
is ever written: the entry has a `key_hint`, and the presented key is
blanked wherever else it appears (path, query, body).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import orjson

from octave_mock.auth import key_hint
from octave_mock.http_io import Answer, Json, Request, now_iso
from octave_mock.spec import Operation
from octave_mock.store import Store
from octave_mock.validation import KEY_HEADER

BLANKED_KEY = "[api key]"


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


class Journal:
    def __init__(self, store: Store, size: int) -> None:
        self.store = store
        self.size = size  # 0: off

    def record(
        self,
        request: Request,
        op: Operation | None,
        body: bytes,
        answer: Answer | None,
        request_id: str,
        fault: str | None = None,
    ) -> None:
        """Add the request's entry in the open transaction; `fault` defaults to the answer's.

        `op` is None for a path or method the spec does not have.
        """
        if not self.size:
            return
        operation = None if op is None else op.operation_id
        key = request.headers.get(KEY_HEADER) or None
        caller = None if key is None else self.store.caller(key)
        path, query_string, text = request.path, request.query_string.decode("latin-1"), ""
        if body:
            text = body.decode("utf-8", "replace")
        if key is not None:  # a key sent where it does not belong is not kept either
            path, query_string, text = (
                part.replace(key, BLANKED_KEY) for part in (path, query_string, text)
            )
        entry = {
            "operation": operation,
            "method": request.method,
            "path": path,
            "query": dict(parse_qsl(query_string, keep_blank_values=True)),
            "json": _parsed(text),
            "body": text,
            "status": None if answer is None else answer.status,
            "request_id": request_id,
            "key_hint": None if key is None else key_hint(key),
            "workspace": None if caller is None else caller.workspace_oid,
            "fault": fault or (None if answer is None else answer.fault),
            "time": now_iso(),
        }
        self.store.record(operation, entry, self.size)

    def entries(self, operation: str | None = None) -> list[Json]:
        return self.store.journal(operation)


def _parsed(text: str) -> Any:
    if not text:
        return None
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return None
