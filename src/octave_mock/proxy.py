"""`octave-mock proxy`: forward each request to an upstream, checking both ways against the spec.

Put it between an app and the real Octave (or anything that claims to be
it): the app works unchanged, and every way a request or an answer breaks
`openapi.yaml` is reported with the validators the mock itself uses, in an
`sl-violations` header (Prism's format), one log line per violation, and a
JSON Lines report. With `errors` it refuses instead: a bad request gets the
spec's 400 and is not forwarded, a bad answer becomes a 502 listing why.
Keys are passed through, never logged or reported.
"""

from __future__ import annotations

import json
import logging
import secrets
import ssl
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import httpx

from octave_mock import json_text, validation
from octave_mock.auth import KEY_HEADER, presented_key
from octave_mock.http_io import (
    Answer,
    Body,
    ClientDisconnected,
    Problem,
    Request,
    read_body,
    send_answer,
)
from octave_mock.spec import Operation, Spec
from octave_mock.validation import Violation

if TYPE_CHECKING:  # ASGI's types only; Starlette is not needed at run time
    from starlette.types import Receive, Scope, Send

log = logging.getLogger("octave_mock.proxy")
VIOLATIONS_HEADER = "sl-violations"
# Prism cuts its header here, so that no server refuses the answer for its size.
MAX_VIOLATIONS_HEADER = 8 * 1024 - 100
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


@dataclass(frozen=True)
class ProxySettings:
    upstream: str  # e.g. https://app.octavehq.com
    spec_path: Path
    errors: bool = False  # refuse bad requests (400) and bad answers (502)
    read_only: bool = False  # refuse anything but GET, HEAD and OPTIONS (403)
    report_path: Path | None = None  # JSON Lines: one line per request, a summary at exit
    timeout_seconds: float = 30.0
    max_body_bytes: int = 1024 * 1024


def prism_format(side: str, violation: Violation) -> dict[str, Any]:
    """One violation as Prism's `sl-violations` header lists it."""
    return {
        "location": [side, violation.place, *violation.path],
        "severity": "Error",
        "code": violation.code,
        "message": violation.message,
    }


@dataclass
class OperationTally:
    requests: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    violations: Counter[str] = field(default_factory=Counter)  # by "<side>.<place>:<code>"


class Report:
    """What went through the proxy: a line per request, and per operation when it stops."""

    def __init__(self, path: Path | None) -> None:
        self._file: TextIO | None = path.open("a", encoding="utf-8") if path else None
        self.tallies: dict[str, OperationTally] = {}

    def add(
        self,
        operation: str,
        method: str,
        path: str,
        status: int | None,
        found: list[dict[str, Any]],
    ) -> None:
        tally = self.tallies.setdefault(operation, OperationTally())
        tally.requests += 1
        tally.statuses[str(status) if status is not None else "none"] += 1
        for violation in found:
            side, place = violation["location"][:2]
            tally.violations[f"{side}.{place}:{violation['code']}"] += 1
        self._write(
            {
                "operation": operation,
                "method": method,
                "path": path,
                "status": status,
                "violations": found,
            }
        )

    def close(self) -> None:
        for operation, tally in sorted(self.tallies.items()):
            self._write(
                {
                    "summary": operation,
                    "requests": tally.requests,
                    "statuses": dict(sorted(tally.statuses.items())),
                    "violations": dict(sorted(tally.violations.items())),
                }
            )
        if self._file is not None:
            self._file.close()
            self._file = None

    def _write(self, line: dict[str, Any]) -> None:
        if self._file is not None:
            self._file.write(json.dumps(line, ensure_ascii=False) + "\n")
            self._file.flush()


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
            await self.lifespan(receive, send)
            return
        request = Request.from_scope(scope, receive)
        try:
            answer = await self.forward(request)
        except ClientDisconnected:
            return
        await send_answer(send, answer)

    async def lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
        self.report.close()

    async def forward(self, request: Request) -> Answer:
        request_id = "req_" + secrets.token_hex(8)
        op, misrouted = self.route(request)
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
        checked = self.request_violations(op, request, body) if op else misrouted
        asked = [prism_format("request", v) for v in checked]
        self.log_violations(name, asked)
        if asked and self.settings.errors:
            refusal = Problem(400, "; ".join(v["message"] for v in asked))
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
        answered = [prism_format("response", v) for v in self.answer_violations(op, upstream)]
        self.log_violations(name, answered)
        found = asked + answered
        if answered and self.settings.errors:
            refusal = Problem(
                502,
                "upstream answer breaks the contract: " + "; ".join(v["message"] for v in answered),
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

    def route(self, request: Request) -> tuple[Operation | None, list[Violation]]:
        """The operation, or why the request matches none (forwarded all the same)."""
        try:
            return validation.route(self.spec, request.method, request.path), []
        except Problem as problem:
            place = "path" if problem.status == 404 else "method"
            return None, [Violation(place, (), place, problem.message)]

    def request_violations(self, op: Operation, request: Request, body: Body) -> list[Violation]:
        found: list[Violation] = []
        try:
            presented_key(request.headers)
        except Problem as problem:
            found.append(Violation("header", (KEY_HEADER,), "required", problem.message))
        found += validation.parameter_violations(op, request.query)[1]
        if op.body_check is not None:
            try:
                document = validation.parsed_body(
                    request.media_type, body, self.settings.max_body_bytes
                )
            except Problem as problem:
                place = "header" if problem.status == 415 else "body"
                found.append(
                    Violation(
                        place,
                        ("content-type",) if place == "header" else (),
                        "body",
                        problem.message,
                    )
                )
            else:
                found += validation.body_violations(op, document)
        return found

    def answer_violations(self, op: Operation | None, upstream: httpx.Response) -> list[Violation]:
        if op is None:
            return []
        status = upstream.status_code
        check = op.responses.get(status)
        media_type = upstream.headers.get("content-type", "").split(";")[0].strip().lower()
        if status in op.responses and check is not None and media_type != "application/json":
            sent = media_type or "no Content-Type"
            return [
                Violation(
                    "header",
                    ("content-type",),
                    "content-type",
                    f"Content-Type: expected application/json, got {sent}",
                )
            ]
        document: Any = None
        if check is not None and status in op.responses:
            try:
                document = json_text.loads(upstream.content)
            except ValueError as exc:
                return [Violation("body", (), "json", f"response: not valid JSON ({exc})")]
        return validation.answer_violations(op, status, document)

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


def violations_header(found: list[dict[str, Any]]) -> str:
    """Prism's `sl-violations` value: the JSON list, cut like Prism cuts it."""
    value = json.dumps(found, ensure_ascii=True, separators=(",", ":"))
    if len(value) > MAX_VIOLATIONS_HEADER:
        value = f"Too many violations! {value[:MAX_VIOLATIONS_HEADER]}"
    return value


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
