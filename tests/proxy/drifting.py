"""An upstream stand-in that drifts from the contract: the mock, with fields added, one renamed.

What real drift looks like: Octave adds members the spec does not declare, and
renames an optional one. Every answer still keeps to the contract (the tolerant
reader allows unknown members), so the proxy reports no violation, only drift.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Scope

from tests.rewriting import Headers, rewriting_responses

PRODUCT_PATH = "/api/v2/product/get"
SEGMENT_PATH = "/api/v2/segment/get"
UPDATE_PATH = "/api/v2/reference/update"
# (location in the drift report, the schema it is declared in, member): what the stand-in adds.
ADDED = {
    ("Product", "Product", "colour"),
    ("Product.data", "ProductData", "pricingTier"),
    ("Segment", "Segment", "priority"),
    ("Reference.data", "ReferenceData", "industryTags"),
}
# The optional Product member the stand-in sends under another name.
RENAMED = ("Product", "Product", "primaryUrl", "url")
UNDECLARED = {member for _, _, member in ADDED} | {RENAMED[3]}


def drift(path: str, body: dict[str, Any]) -> dict[str, Any]:
    """One answer's body as the drifted upstream sends it."""
    if path == PRODUCT_PATH:
        renamed = {RENAMED[3] if name == RENAMED[2] else name: v for name, v in body.items()}
        data = renamed["data"]
        if data.get("type") == "PRODUCT":
            renamed["data"] = {**data, "pricingTier": 2}
        return {**renamed, "colour": "teal"}
    if path == SEGMENT_PATH:
        return {**body, "priority": "high"}
    if path == UPDATE_PATH and isinstance(body["data"].get("data"), dict):
        reference = body["data"]
        return {
            **body,
            "data": {**reference, "data": {**reference["data"], "industryTags": ["fintech"]}},
        }
    return body


def drifting(app: ASGIApp) -> ASGIApp:
    """`app` (the mock) behind a rewrite of its 200 answers."""

    def rewrite(
        scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if status != 200:
            return status, headers, body
        return status, headers, json.dumps(drift(scope["path"], json.loads(body))).encode()

    return rewriting_responses(app, rewrite)


def without_undeclared(body: dict[str, Any]) -> dict[str, Any]:
    """An answer's object as a seed can hold it: the members the contract declares."""
    kept = {name: value for name, value in body.items() if name not in UNDECLARED}
    if isinstance(kept.get("data"), dict):
        kept["data"] = without_undeclared(kept["data"])
    return kept
