"""A stand-in for the remote Octave API: the mock behind a wrapper that records every request."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Message, Receive, Scope, Send


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes
    at: float


@dataclass
class Traffic:
    """What the stand-in saw: every request, in the order they arrived."""

    requests: list[Recorded] = field(default_factory=list)

    def operation_requests(self) -> list[Recorded]:
        """Requests to the API's paths: all but schemathesis' one capability probe."""
        return [r for r in self.requests if r.path.startswith("/api/")]

    def most_in_one_second(self) -> int:
        """The largest number of operation requests that arrived within any one second."""
        times = sorted(r.at for r in self.operation_requests())
        return max(
            (sum(1 for t in times[i:] if t - start < 1.0) for i, start in enumerate(times)),
            default=0,
        )


class Recorder(Traffic):
    """The ASGI app `app`, recording the traffic it serves."""

    def __init__(self, app: ASGIApp) -> None:
        super().__init__()
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        at = time.monotonic()
        chunks: list[bytes] = []

        async def receiving() -> Message:
            message = await receive()
            chunks.append(message.get("body", b""))
            return message

        try:
            await self.app(scope, receiving, send)
        finally:
            headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
            self.requests.append(
                Recorded(
                    method=scope["method"],
                    path=scope["path"],
                    query=scope["query_string"].decode(),
                    headers=headers,
                    body=b"".join(chunks),
                    at=at,
                )
            )
