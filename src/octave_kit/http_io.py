"""HTTP in and out: a request read from ASGI, a bounded body, and the bytes of an answer."""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import random
import socket
import struct
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from octave_kit import json_text
from octave_kit.json_text import Json

if TYPE_CHECKING:  # ASGI's types only; Starlette is not needed at run time
    from starlette.types import Receive, Scope, Send

JSON_HEADERS = [(b"content-type", b"application/json")]
RESET_EXTENSION = "octave_mock.reset"


class ClientDisconnected(Exception):
    """The client went away before sending its whole body: nothing to answer."""


class HTTPError(Exception):
    """An error answer: a status, a message naming the field, maybe headers."""

    def __init__(
        self,
        status: int,
        message: str,
        headers: dict[str, str] | None = None,
        fault: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}
        self.fault = fault  # the injected fault that caused it, for the access log

    @property
    def phrase(self) -> str:
        return HTTPStatus(self.status).phrase

    @classmethod
    def internal(cls, fault: str | None = None) -> HTTPError:
        """The 500 of a failure inside the server; an injected one reads the same."""
        return cls(500, "Internal server error", fault=fault)


_second_text: dict[int, str] = {}  # the current second, formatted once


def now_iso() -> str:
    """UTC now as ISO 8601 with milliseconds and `Z`, the form Octave prints."""
    return iso_time(time.time())


def iso_time(now: float) -> str:
    """A time.time() in the form of now_iso()."""
    second = int(now)
    text = _second_text.get(second)
    if text is None:
        _second_text.clear()
        text = _second_text[second] = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
    return f"{text}.{int(now % 1 * 1000):03d}Z"


# Request ids come from their own generator, not `secrets`: an id needs to be unique, not
# unguessable, and os.urandom's system call was a tenth of a read's time on the mock. Not the
# shared `random` either, which Hypothesis seeds alike for every example of a contract run.
_ids = random.Random()  # noqa: S311 - unique, not secret
os.register_at_fork(after_in_child=_ids.seed)  # a forked worker draws its own ids


def new_request_id() -> str:
    """A request id of either server, `req_` and 16 hex digits, as Octave's look."""
    return f"req_{_ids.getrandbits(64):016x}"


def metadata(request_id: str, message: str) -> Json:
    """The `_metadata` of every answer, as Octave sends it."""
    return {"requestId": request_id, "timestamp": now_iso(), "usage": 0, "message": message}


@dataclass(frozen=True)
class Request:
    """What the mock reads of an HTTP request: plain ASGI, no framework in between."""

    method: str
    path: str
    headers: dict[str, str]
    query_string: bytes
    receive: Receive
    scope: Scope

    @classmethod
    def from_scope(cls, scope: Scope, receive: Receive) -> Request:
        headers: dict[str, str] = {}
        for name, value in scope["headers"]:
            key = header_name(name)
            if key not in headers:  # the first of a repeated header
                headers[key] = value.decode("latin-1")
        return cls(scope["method"], scope["path"], headers, scope["query_string"], receive, scope)

    @property
    def query(self) -> tuple[tuple[str, str], ...]:
        return parsed_query(self.query_string)

    @property
    def media_type(self) -> str:
        return media_type(self.headers.get("content-type", ""))


@functools.lru_cache(maxsize=256)  # clients send the same few header names, request after request
def header_name(raw: bytes) -> str:
    return raw.decode("latin-1").lower()


@functools.lru_cache(maxsize=1024)  # a suite, or a load test, asks the same few queries again
def parsed_query(query_string: bytes) -> tuple[tuple[str, str], ...]:
    return tuple(parse_qsl(query_string.decode("latin-1"), keep_blank_values=True))


def media_type(content_type: str) -> str:
    """`application/json` of `Application/JSON; charset=utf-8`: the type, without parameters."""
    return content_type.split(";")[0].strip().lower()


@dataclass(frozen=True)
class Body:
    """A request body read up to a limit; once it went over, its bytes are dropped."""

    raw: bytes = b""
    over_limit: int | None = None  # the limit it went over, if it did

    @property
    def too_large(self) -> bool:
        return self.over_limit is not None


async def read_body(request: Request, limit: int) -> Body:
    """The body, stopping as soon as it is over `limit` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return Body(over_limit=limit)
    chunks, size = [], 0
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnected
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return Body(over_limit=limit)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return Body(b"".join(chunks))


@dataclass
class Response:
    """What goes back: a status, a JSON body (or raw bytes) and extra headers."""

    status: int
    body: Json
    headers: dict[str, str] = field(default_factory=dict)
    fault: str | None = None  # the injected fault that made it, for the access log
    raw: bytes | None = None  # bytes sent as they are (a gateway's page, a proxied answer)

    @classmethod
    def error(cls, error: HTTPError, request_id: str) -> Response:
        """The spec's `Error` body: `_metadata` and a message naming the field."""
        body = {"_metadata": metadata(request_id, error.phrase), "message": error.message}
        return cls(error.status, body, dict(error.headers), fault=error.fault)

    @classmethod
    def gateway(cls, status: int) -> Response:
        """What a load balancer in front of the API sends: an HTML page, no `Error` JSON."""
        title = f"{status} {HTTPStatus(status).phrase}"
        page = f"<html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>\n"
        headers = {"Content-Type": "text/html; charset=utf-8"}
        return cls(status, {}, headers, fault="gateway", raw=page.encode())


async def send_response(send: Send, answer: Response) -> None:
    """The one place an answer becomes status, headers and bytes."""
    headers = [(k.lower().encode(), v.encode()) for k, v in answer.headers.items()]
    if answer.raw is None:
        body = json_text.dumps(answer.body)
        headers += JSON_HEADERS
    else:
        body = answer.raw
    headers.append((b"content-length", b"%d" % len(body)))
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def lifespan(
    receive: Receive, send: Send, on_shutdown: Callable[[], Awaitable[None]]
) -> None:
    """ASGI's lifespan protocol for a server that needs nothing at start-up."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await on_shutdown()
            await send({"type": "lifespan.shutdown.complete"})
            return


def log_access(
    log: logging.Logger,
    request: Request,
    status: int | None,
    started: float,
    request_id: str,
    note: str | None = None,
) -> None:
    """One line per request, in one format for both servers; `-` for no answer."""
    if log.isEnabledFor(logging.INFO):
        elapsed = (time.perf_counter() - started) * 1000
        shown = "-" if status is None else str(status)
        mark = f" {note}" if note else ""
        log.info(
            "%s %s %s %.1fms %s%s", request.method, request.path, shown, elapsed, request_id, mark
        )


async def wait_for_disconnect(request: Request) -> None:
    """Read and drop whatever the client sends until it goes away."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


class OneWritePerTick:
    """A transport that sends what is written in one turn of the event loop as one write.

    ASGI sends an answer's head and its body as two messages, and uvicorn writes
    each to the socket at once: two TCP segments, two system calls and two
    wake-ups of the client per answer, which cost the mock about a fifth of a
    read's time on loopback. Held until the loop's next turn, they go as one.
    Everything else is the wrapped transport's.
    """

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._held: list[bytes] = []

    def write(self, data: bytes) -> None:
        if not self._held:
            self._loop.call_soon(self._send)
        self._held.append(data)

    def _send(self) -> None:
        if self._held and not self._transport.is_closing():
            self._transport.write(b"".join(self._held))
        self._held.clear()

    def close(self) -> None:
        self._send()
        self._transport.close()

    def abort(self) -> None:
        self._held.clear()
        self._transport.abort()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class ResettableHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, with a way for the app to reset the connection, and an
    answer's head and body sent together (`OneWritePerTick`).

    ASGI has no way to drop a connection without answering, so each request's
    scope gets an extension that closes the socket with a TCP reset (SO_LINGER
    0, then abort), as a crashed peer or a middlebox does.
    """

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(OneWritePerTick(transport, self.loop))  # type: ignore[arg-type]

    def on_message_begin(self) -> None:
        super().on_message_begin()
        # The scope is a TypedDict whose extensions uvicorn types narrowly.
        self.scope["extensions"] = {RESET_EXTENSION: self._reset}  # type: ignore[dict-item]

    def _reset(self) -> None:
        sock = self.transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.transport.abort()


def reset_connection(scope: Scope) -> bool:
    """Reset the request's connection, if the server offers it (see ResettableHttpToolsProtocol)."""
    reset = scope.get("extensions", {}).get(RESET_EXTENSION)
    if reset is None:
        return False
    reset()
    return True


# How the mock is served by uvicorn, in the CLI and in tests alike. Our own access
# log replaces uvicorn's (one line per request, with its requestId). No proxy-header
# rewriting and no `server: uvicorn` header: the mock is not behind a proxy, Octave
# sends no such header, and both cost time on every request. Open requests (a hang
# fault's) get a few seconds once the server is asked to stop.
UVICORN_OPTIONS: dict[str, Any] = {
    "access_log": False,
    "proxy_headers": False,
    "server_header": False,
    "http": ResettableHttpToolsProtocol,
    "timeout_graceful_shutdown": 2,
}
