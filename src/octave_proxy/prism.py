"""Prism's `sl-violations` header: how tools that read Prism's proxy learn of violations."""

from __future__ import annotations

import json
from typing import Any

from octave_kit.validation import Violation

VIOLATIONS_HEADER = "sl-violations"
# Prism cuts its header here, so that no server refuses the answer for its size.
MAX_VIOLATIONS_HEADER = 8 * 1024 - 100


def prism_format(side: str, violation: Violation) -> dict[str, Any]:
    """One violation as Prism's header lists it; `side` is `request` or `response`."""
    return {
        "location": [side, violation.place, *violation.path],
        "severity": "Error",
        "code": violation.code,
        "message": violation.message,
    }


def violations_header(found: list[dict[str, Any]]) -> str:
    """The header's value: the JSON list, cut like Prism cuts it."""
    value = json.dumps(found, ensure_ascii=True, separators=(",", ":"))
    if len(value) > MAX_VIOLATIONS_HEADER:
        value = f"Too many violations! {value[:MAX_VIOLATIONS_HEADER]}"
    return value
