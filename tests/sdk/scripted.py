"""An ASGI app that plays scripted answers, then hands requests to another app (the mock).

It stands for what the mock never sends: a load balancer's HTML 502, a 2xx body off the
contract, a Retry-After of a chosen length.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Receive, Scope, Send


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"


class ScriptedApp:
    def __init__(self, answers: Iterable[Answer], then: ASGIApp | None = None) -> None:
        self._answers = list(answers)
        self._then = then
        self.requests = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return  # no lifespan: the app it hands over to belongs to another server
        self.requests += 1
        if not self._answers:
            assert self._then is not None, "the script ran out of answers"
            await self._then(scope, receive, send)
            return
        answer = self._answers.pop(0)
        headers = [(b"content-type", answer.content_type.encode())]
        headers += [
            (name.lower().encode(), value.encode()) for name, value in answer.headers.items()
        ]
        await send({"type": "http.response.start", "status": answer.status, "headers": headers})
        await send({"type": "http.response.body", "body": answer.body})
