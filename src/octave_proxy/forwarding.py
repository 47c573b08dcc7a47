"""Forward each request to an upstream, checking both ways against the spec.

Put it between an app and the real Octave (or anything that claims to be
it): the app works unchanged, and every way a request or an answer breaks
`openapi.yaml` is reported with the validators the mock itself uses, in an
`sl-violations` header (Prism's format), one log line per violation, and a
JSON Lines report. With `errors` it refuses instead: a bad request gets the
spec's 400 and is not forwarded, a bad answer becomes a 502 listing why.
Keys are passed through, never logged or reported.
"""

from __future__ import annotations

import logging
import secrets
import ssl
from typing import TYPE_CHECKING, Any

import httpx

from octave_mock import validation
from octave_mock.http_io import (
    Answer,
    Body,
    ClientDisconnected,
    Problem,
    Request,
    lifespan,
    media_type,
    read_body,
    send_answer,
)
from octave_mock.spec import Operation, Spec
from octave_mock.validation import Violation
from octave_proxy.prism import VIOLATIONS_HEADER, prism_format, violations_header
from octave_proxy.report import Report
from octave_proxy.settings import ProxySettings

if TYPE_CHECKING:  # ASGI's types only; Starlette is not needed at run time
    from starlette.types import Receive, Scope, Send

log = logging.getLogger("octave_proxy")
# Headers about one hop, not the message: never forwarded either way.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "host",
        "content-length",
    }
)
# Besides those: httpx has decoded the body, so its encoding no longer applies.
NOT_PASSED_BACK = HOP_BY_HOP | {"content-encoding"}
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ValidatingProxy:
    """The ASGI app of `octave-mock proxy`."""

    def __init__(
        self, settings: ProxySettings, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.settings = settings
        self.spec = Spec.load(settings.spec_path)
        self.upstream = settings.upstream.rstrip("/")
        self.report = Report(settings.report_path)
        self._transport = transport
        self._client: httpx.AsyncClient | None = None

    @property
    def client(self) -> httpx.AsyncClient:
        """One pooled, keep-alive client for the upstream, made in the serving event loop."""
        if self._client is None:
            self._client = httpx.AsyncClient(
                timeout=self.settings.timeout_seconds,
                transport=self._transport,
                follow_redirects=False,
            )
        return self._client

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await lifespan(receive, send, on_shutdown=self.close)
            return
        request = Request.from_scope(scope, receive)
        try:
            answer = await self.forward(request)
        except ClientDisconnected:
            return
        await send_answer(send, answer)

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
        self.report.close()

    async def forward(self, request: Request) -> Answer:
        request_id = "req_" + secrets.token_hex(8)
        op = self.spec.route(request.method, request.path)
        name = op.operation_id if op else f"{request.method} {request.path}"
        body = await read_body(request, self.settings.max_body_bytes)
        if body.too_large:
            refusal = Problem(
                413, f"body: larger than the proxy's limit of {self.settings.max_body_bytes} bytes"
            )
            return self.refuse(name, request, refusal, request_id, [])
        if self.settings.read_only and request.method not in SAFE_METHODS:
            refusal = Problem(
                403, f"method: the proxy is read-only; {request.method} is not forwarded"
            )
            return self.refuse(name, request, refusal, request_id, [])
        if op is None:  # forwarded all the same: the upstream may know better
            checked = [validation.misrouted(self.spec, request.method, request.path)]
        else:
            checked = request_violations(op, request, body)
        asked = [prism_format("request", v) for v in checked]
        self.log_violations(name, asked)
        if asked and self.settings.errors:
            refusal = Problem(400, validation.messages(checked))
            return self.refuse(name, request, refusal, request_id, asked)
        try:
            upstream = await self.client.request(
                request.method,
                self.upstream_url(request),
                headers=[(k, v) for k, v in request.headers.items() if k not in HOP_BY_HOP],
                content=body.raw,
            )
        except httpx.TimeoutException:
            refusal = Problem(
                504,
                f"upstream: no answer from {self.upstream} in {self.settings.timeout_seconds:g} s",
            )
            return self.refuse(name, request, refusal, request_id, asked)
        except httpx.TransportError as exc:
            refusal = Problem(
                502, f"upstream: {self.upstream} could not be reached ({describe(exc)})"
            )
            return self.refuse(name, request, refusal, request_id, asked)
        wrong = [] if op is None else answer_violations(op, upstream)
        answered = [prism_format("response", v) for v in wrong]
        self.log_violations(name, answered)
        found = asked + answered
        if answered and self.settings.errors:
            refusal = Problem(
                502, "upstream answer breaks the contract: " + validation.messages(wrong)
            )
            return self.refuse(name, request, refusal, request_id, found)
        self.report.add(name, request.method, request.path, upstream.status_code, found)
        headers = {k: v for k, v in upstream.headers.items() if k.lower() not in NOT_PASSED_BACK}
        if found:
            headers[VIOLATIONS_HEADER] = violations_header(found)
        return Answer(upstream.status_code, {}, headers, raw=upstream.content)

    def refuse(
        self,
        name: str,
        request: Request,
        problem: Problem,
        request_id: str,
        found: list[dict[str, Any]],
    ) -> Answer:
        """The proxy's own answer, in the spec's `Error` shape; reported like any other."""
        log.warning("%s %s: %d %s", request.method, request.path, problem.status, problem.message)
        self.report.add(name, request.method, request.path, problem.status, found)
        answer = Answer.error(problem, request_id)
        answer.headers["X-Request-Id"] = request_id
        if found:
            answer.headers[VIOLATIONS_HEADER] = violations_header(found)
        return answer

    def upstream_url(self, request: Request) -> str:
        raw_path: bytes = request.scope.get("raw_path") or request.path.encode()
        query = f"?{request.query_string.decode('latin-1')}" if request.query_string else ""
        return f"{self.upstream}{raw_path.decode('latin-1')}{query}"

    def log_violations(self, name: str, found: list[dict[str, Any]]) -> None:
        for violation in found:
            side, *where = violation["location"]
            log.warning(
                "violation %s %s %s: %s",
                name,
                side,
                ".".join(map(str, where)),
                violation["message"],
            )


def request_violations(op: Operation, request: Request, body: Body) -> list[Violation]:
    """How a request breaks the spec: its key header, its parameters, its body."""
    found = validation.key_violations(request.headers)
    found += validation.parameters(op, request.query)[1]
    return found + validation.request_body(op, request.media_type, body)[1]


def answer_violations(op: Operation, upstream: httpx.Response) -> list[Violation]:
    content_type = media_type(upstream.headers.get("content-type", ""))
    return validation.answer_bytes(op, upstream.status_code, content_type, upstream.content)[1]


def describe(error: httpx.TransportError) -> str:
    """What went wrong with the upstream, in words: refused, TLS, or the error's own."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, ssl.SSLError):
            return f"TLS error: {cause.reason or cause}"
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        cause = cause.__cause__ or cause.__context__
    return str(error) or type(error).__name__
