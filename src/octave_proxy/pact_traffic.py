"""`--pact FILE`: what passed through the proxy, written at exit as the app's Pact file.

The same writer as the pytest plugin's (octave_kit.pact_writer): one interaction per request
shape and status of each operation. The proxy does not know the upstream's workspaces, so a
key's role is read from the answer: a 401 says the key is unknown, a 403 that it may only
read; any other, a read-write key. The key is blanked wherever it appears, before anything is
kept; so is any of the request's credentials.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from octave_kit.http_io import now_iso
from octave_kit.keys import BLANKED_KEY
from octave_kit.pact_writer import (
    DEFAULT_PROVIDER,
    KeyRole,
    Sent,
    pact_document,
    pact_text,
)
from octave_kit.traffic import Exchange

UNAUTHORIZED, FORBIDDEN = 401, 403


class PactTraffic:
    def __init__(self, path: Path, consumer: str) -> None:
        self.path = path
        self.consumer = consumer
        self.sent: list[Sent] = []
        self.began = now_iso()  # the upstream's timestamps from here on were minted meanwhile

    def add(
        self,
        method: str,
        path: str,
        operation: str | None,
        query: Sequence[tuple[str, str]],
        sent: Any,
        status: int,
        answered: Any,
        request_id: str | None,
        key: str | None,
    ) -> None:
        """Keep one exchange, every credential blanked."""
        secret = key or None
        exchange = Exchange(
            method=method,
            path=path,
            operation=operation,
            query={name: _blanked(value, secret) for name, value in query},
            request_json=_blanked(sent, secret),
            status=status,
            response_json=_blanked(answered, secret),
        )
        role = None
        if key is not None:
            role = KeyRole(known=status != UNAUTHORIZED, read_only=status == FORBIDDEN)
        sequence = len(self.sent)
        self.sent.append(Sent("", sequence, exchange, role, request_id, minted_since=self.began))

    def write(self) -> str:
        """Write the file; what to tell the user."""
        document = pact_document(self.consumer, DEFAULT_PROVIDER, self.sent)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(pact_text(document), encoding="utf-8")
        count = len(document["interactions"])
        return f"pact: {self.path} ({count} interactions from {len(self.sent)} requests)"


def _blanked(value: Any, secret: str | None) -> Any:
    if secret is None or value is None:
        return value
    text = json.dumps(value)
    if secret not in text:
        return value
    return json.loads(text.replace(secret, BLANKED_KEY))
