"""ASGI wrappers that rewrite a server's answers, and the small rewrites the suite breaks the
mock with: for the broken variants of tests/contract, the validating proxy's upstreams and the
Pact verifier's. Apart from tests/contract/broken.py, so that the fast tier's tests that use
them do not load the contract run's inputs with it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

Headers = list[tuple[bytes, bytes]]
ResponseRewrite = Callable[[Scope, int, Headers, bytes], tuple[int, Headers, bytes]]

PRODUCT_PATH = "/api/v2/product/get"
SEGMENT_PATH = "/api/v2/segment/get"


def rewriting_responses(app: ASGIApp, rewrite: ResponseRewrite) -> ASGIApp:
    """Buffer each HTTP response of `app` and pass it through `rewrite`."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            status, headers, body = rewrite(
                scope, start["status"], start["headers"], b"".join(chunks)
            )
            headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await app(scope, receive, capture)

    return wrapped


def drop_product_oid(
    scope: Scope, status: int, headers: Headers, body: bytes
) -> tuple[int, Headers, bytes]:
    if scope["path"] == PRODUCT_PATH and status == 200:
        doc = json.loads(body)
        del doc["oId"]
        body = json.dumps(doc).encode()
    return status, headers, body


def segment_rejected_as_text(
    scope: Scope, status: int, headers: Headers, body: bytes
) -> tuple[int, Headers, bytes]:
    if scope["path"] == SEGMENT_PATH and status == 200:
        doc = json.loads(body)
        doc["rejected"] = "no"
        body = json.dumps(doc).encode()
    return status, headers, body


def gone_instead_of_not_found(
    scope: Scope, status: int, headers: Headers, body: bytes
) -> tuple[int, Headers, bytes]:
    return (410 if status == 404 else status), headers, body


def text_content_type(
    scope: Scope, status: int, headers: Headers, body: bytes
) -> tuple[int, Headers, bytes]:
    kept = [(k, v) for k, v in headers if k.lower() != b"content-type"]
    return status, [*kept, (b"content-type", b"text/plain; charset=utf-8")], body


def json_rewrite(change: Callable[[Scope, int, dict[str, Any]], None]) -> ResponseRewrite:
    """Answers with a JSON body, edited in place by `change`."""

    def rewrite(
        scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        doc = json.loads(body) if body.startswith(b"{") else None
        if doc is None:
            return status, headers, body
        change(scope, status, doc)
        return status, headers, json.dumps(doc).encode()

    return rewrite
