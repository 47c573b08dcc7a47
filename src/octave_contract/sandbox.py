"""Put the live run's sandbox reference back as it was before the run.

Before the run, its updatable fields are read (an update that sends only the oId changes
nothing else); after it, one update sends them back. A field that was null or absent cannot
be sent back (the update request does not accept null), so it is named instead.
"""

from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from octave_kit.keys import KEY_HEADER

UPDATE_PATH = "/api/v2/reference/update"
TIMEOUT_SECONDS = 20


def updatable_fields(spec_path: Path) -> list[str]:
    """The fields of the update request besides oId, as the spec lists them."""
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    properties = spec["components"]["schemas"]["UpdateReferenceRequest"]["properties"]
    return [name for name in properties if name != "oId"]


def update(base_url: str, key: str, body: dict[str, Any]) -> dict[str, Any]:
    """POST an update; the reference it answers (raises on a non-2xx answer)."""
    request = urllib.request.Request(  # noqa: S310 - the run's own base URL
        base_url.rstrip("/") + UPDATE_PATH,
        data=json.dumps(body).encode(),
        headers={KEY_HEADER: key, "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310
        reference: dict[str, Any] = json.loads(answer.read())["data"]
        return reference


@dataclass(frozen=True)
class Snapshot:
    oid: str
    values: dict[str, Any]
    unrestorable: list[str]

    @classmethod
    def take(cls, base_url: str, key: str, oid: str, fields: list[str]) -> Snapshot:
        reference = update(base_url, key, {"oId": oid})
        data = reference.get("data") or {}
        values, unrestorable = {}, []
        for name in fields:
            value = reference.get(name, data.get(name))
            if value is None:
                unrestorable.append(name)
            else:
                values[name] = value
        return cls(oid, values, unrestorable)

    def restore(self, base_url: str, key: str) -> str:
        """Send the values back; a line saying what was restored and what could not be."""
        update(base_url, key, {"oId": self.oid, **self.values})
        line = f"sandbox reference {self.oid}: restored {len(self.values)} fields"
        if self.unrestorable:
            line += (
                f"; cannot restore {', '.join(self.unrestorable)} (null or absent before the "
                "run, and an update cannot send null): check them by hand"
            )
        return line
