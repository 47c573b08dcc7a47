"""HTTP in and out: a request read from ASGI, a bounded body, and the bytes of an answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from octave_mock import json_text

if TYPE_CHECKING:  # ASGI's types only; Starlette is not needed at run time
    from starlette.types import Receive, Scope, Send

Json = dict[str, Any]
JSON_HEADERS = [(b"content-type", b"application/json")]


class ClientDisconnected(Exception):
    """The client went away before sending its whole body: nothing to answer."""


class Problem(Exception):
    """An error answer: a status, a message naming the field, maybe headers."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}

    @property
    def phrase(self) -> str:
        return HTTPStatus(self.status).phrase


@dataclass(frozen=True)
class Request:
    """What the mock reads of an HTTP request: plain ASGI, no framework in between."""

    method: str
    path: str
    headers: dict[str, str]
    query_string: bytes
    receive: Receive

    @classmethod
    def from_scope(cls, scope: Scope, receive: Receive) -> Request:
        headers: dict[str, str] = {}
        for name, value in scope["headers"]:
            headers.setdefault(name.decode("latin-1").lower(), value.decode("latin-1"))
        return cls(scope["method"], scope["path"], headers, scope["query_string"], receive)

    @property
    def query(self) -> list[tuple[str, str]]:
        return parse_qsl(self.query_string.decode("latin-1"), keep_blank_values=True)

    @property
    def media_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


@dataclass(frozen=True)
class Body:
    """A request body read up to a limit; `too_large` once it went over (its bytes dropped)."""

    raw: bytes = b""
    too_large: bool = False


async def read_body(request: Request, limit: int) -> Body:
    """The body, stopping as soon as it is over `limit` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return Body(too_large=True)
    chunks, size = [], 0
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnected
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return Body(too_large=True)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return Body(b"".join(chunks))


@dataclass
class Answer:
    """What goes back: a status, a JSON body and extra headers."""

    status: int
    body: Json
    headers: dict[str, str] = field(default_factory=dict)


async def send_answer(send: Send, answer: Answer) -> None:
    """The one place an answer becomes status, headers and bytes."""
    body = json_text.dumps(answer.body)
    headers = [(k.lower().encode(), v.encode()) for k, v in answer.headers.items()]
    headers += [*JSON_HEADERS, (b"content-length", b"%d" % len(body))]
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
