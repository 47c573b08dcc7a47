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

import json
import logging
import ssl
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx

from octave_kit import validation
from octave_kit.http_io import (
    Body,
    ClientDisconnected,
    HTTPError,
    Request,
    Response,
    lifespan,
    log_access,
    media_type,
    new_request_id,
    now_iso,
    read_body,
    send_response,
)
from octave_kit.json_text import Json
from octave_kit.keys import KEY_HEADER
from octave_kit.seed import SeedError
from octave_kit.spec import Operation, Spec
from octave_kit.validation import Violation
from octave_proxy.drift import Drift, drift_path
from octave_proxy.objects import carried_objects
from octave_proxy.pact_traffic import PactTraffic
from octave_proxy.prism import VIOLATIONS_HEADER, prism_format, violations_header
from octave_proxy.recording import Recording
from octave_proxy.report import Entry, Report
from octave_proxy.settings import ProxySettings

if TYPE_CHECKING:  # ASGI's types only; Starlette is not needed at run time
    from starlette.types import Receive, Scope, Send

log = logging.getLogger("octave_proxy")
access_log = logging.getLogger("octave_proxy.access")
OID = "oId"  # the member that names an object, in a query or a body
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


@dataclass
class RequestContext:
    """One request through the proxy, as its report line and its log lines tell it."""

    request: Request
    operation: str
    started: float = field(default_factory=time.perf_counter)
    arrived: str = field(default_factory=now_iso)
    own_id: str = field(default_factory=new_request_id)
    oid: str | None = None
    found: list[dict[str, Any]] = field(default_factory=list)


class ValidatingProxy:
    """The ASGI app of `octave-mock proxy`."""

    def __init__(
        self, settings: ProxySettings, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.settings = settings
        self.spec = Spec.load(settings.spec_path)
        self.upstream = settings.upstream.rstrip("/")
        self.carried = carried_objects(self.spec)
        self.drift = Drift(self.spec)
        self.recording = (
            Recording(settings.record_path, self.spec, self.upstream)
            if settings.record_path
            else None
        )
        self.report = Report(settings.report_path)
        self.pact = (
            PactTraffic(settings.pact_path, settings.pact_consumer) if settings.pact_path else None
        )
        self.closing_notes: list[str] = []  # for the user once the proxy stops: the keys
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
        await send_response(send, answer)

    async def close(self) -> None:
        """At exit: the report's summaries, the drift report beside it, the recording."""
        if self._client is not None:
            await self._client.aclose()
        self.report.close()
        # Said in the log, not raised: at shutdown there is no one to answer.
        if self.settings.report_path is not None:
            where = drift_path(self.settings.report_path)
            try:
                self.drift.write(where, self.upstream)
                self.closing_notes.append(f"drift report: {where} (octave-mock drift {where})")
            except OSError as error:
                log.error("%s: cannot write the drift report: %s", where, error.strerror)
        if self.pact is not None:
            try:
                self.closing_notes.append(self.pact.write())
            except OSError as error:
                log.error("--pact %s: cannot write it: %s", self.pact.path, error.strerror)
        if self.recording is not None:
            try:
                self.closing_notes += self.recording.write()
            except SeedError as error:  # it says where the recording was kept instead
                log.error("%s", error)
            except OSError as error:
                log.error("--record %s: cannot write it: %s", self.recording.path, error.strerror)

    async def forward(self, request: Request) -> Response:
        op = self.spec.route(request.method, request.path)
        context = RequestContext(
            request, op.operation_id if op else f"{request.method} {request.path}"
        )
        context.oid = next((value for name, value in request.query if name == OID), None)
        body = await read_body(request, self.settings.max_body_bytes)
        if body.too_large:
            limit = self.settings.max_body_bytes
            return self.refuse(
                context, HTTPError(413, f"body: larger than the proxy's limit of {limit} bytes")
            )
        if self.settings.read_only and request.method not in SAFE_METHODS:
            refusal = HTTPError(
                403, f"method: the proxy is read-only; {request.method} is not forwarded"
            )
            return self.refuse(context, refusal)
        if op is None:  # forwarded all the same: the upstream may know better
            checked = [validation.misrouted(self.spec, request.method, request.path)]
        else:
            checked, sent = request_violations(op, request, body)
            if context.oid is None and sent is not None and isinstance(sent.get(OID), str):
                context.oid = sent[OID]
        self.note_violations(context, "request", checked)
        if checked and self.settings.errors:
            return self.refuse(context, HTTPError(400, validation.messages(checked)))
        try:
            upstream = await self.client.request(
                request.method,
                self.upstream_url(request),
                headers=[(k, v) for k, v in request.headers.items() if k not in HOP_BY_HOP],
                content=body.raw,
            )
        except httpx.TimeoutException:
            refusal = HTTPError(
                504,
                f"upstream: no answer from {self.upstream} in {self.settings.timeout_seconds:g} s",
            )
            return self.refuse(context, refusal)
        except httpx.TransportError as exc:
            refusal = HTTPError(
                502, f"upstream: {self.upstream} could not be reached ({describe(exc)})"
            )
            return self.refuse(context, refusal)
        document: Any = None
        wrong: list[Violation] = []
        if op is not None:
            content_type = media_type(upstream.headers.get("content-type", ""))
            status = upstream.status_code
            document, wrong = validation.answer_bytes(op, status, content_type, upstream.content)
            if 200 <= status < 300:
                self.keep(op, document, recordable=not wrong)
        request_id = upstream_request_id(upstream, document)
        if self.pact is not None and (sent_json(body) is not None or not body.raw):
            self.pact.add(
                request.method,
                request.path,
                None if op is None else op.operation_id,
                request.query,
                sent_json(body),
                upstream.status_code,
                document,
                request_id,
                request.headers.get(KEY_HEADER),
            )
        self.note_violations(context, "response", wrong)
        if wrong and self.settings.errors:
            refusal = HTTPError(
                502, "upstream answer breaks the contract: " + validation.messages(wrong)
            )
            return self.refuse(context, refusal)
        self.finish(context, upstream.status_code, request_id)
        headers = {k: v for k, v in upstream.headers.items() if k.lower() not in NOT_PASSED_BACK}
        if context.found:
            headers[VIOLATIONS_HEADER] = violations_header(context.found)
        return Response(upstream.status_code, {}, headers, raw=upstream.content)

    def keep(self, op: Operation, document: Any, recordable: bool) -> None:
        """Count the drift of the object an answer carries, and record it if it may be."""
        carried = self.carried.get(op.operation_id)
        found = None if carried is None else carried.object_in(document)
        if carried is None or found is None:
            return
        declared = self.drift.observe(carried.resource.schema, found)
        if self.recording is None:
            return
        if not recordable:
            log.warning("not recorded: this %s answer breaks the contract", op.operation_id)
            return
        why_not = self.recording.add(carried.resource, declared)
        if why_not is not None:
            log.warning("not recorded: the %s in this answer: %s", carried.resource.kind, why_not)

    def refuse(self, context: RequestContext, error: HTTPError) -> Response:
        """The proxy's own answer, in the spec's `Error` shape; reported like any other."""
        log.warning(
            "%s %s: %d %s",
            context.request.method,
            context.request.path,
            error.status,
            error.message,
        )
        self.finish(context, error.status, context.own_id, note="refused")
        answer = Response.error(error, context.own_id)
        answer.headers["X-Request-Id"] = context.own_id
        if context.found:
            answer.headers[VIOLATIONS_HEADER] = violations_header(context.found)
        return answer

    def finish(
        self, context: RequestContext, status: int, request_id: str | None, note: str | None = None
    ) -> None:
        """The request's report line and access line."""
        request = context.request
        self.report.add(
            Entry(
                context.arrived,
                request_id,
                context.operation,
                request.method,
                request.path,
                context.oid,
                status,
                context.found,
                refused=note == "refused",
            )
        )
        log_access(access_log, request, status, context.started, request_id or "-", note)

    def upstream_url(self, request: Request) -> str:
        raw_path: bytes = request.scope.get("raw_path") or request.path.encode()
        query = f"?{request.query_string.decode('latin-1')}" if request.query_string else ""
        return f"{self.upstream}{raw_path.decode('latin-1')}{query}"

    def note_violations(self, context: RequestContext, side: str, found: list[Violation]) -> None:
        """Into the header and the report (Prism's format), and a log line each."""
        for violation in found:
            context.found.append(prism_format(side, violation))
            log.warning(
                "violation %s %s %s: %s",
                context.operation,
                side,
                violation.place,
                violation.message,
            )


def request_violations(
    op: Operation, request: Request, body: Body
) -> tuple[list[Violation], Json | None]:
    """How a request breaks the spec (its key header, parameters, body), and its body."""
    found = validation.key_violations(request.headers)
    found += validation.parameters(op, request.query)[1]
    document, wrong = validation.request_body(op, request.media_type, body)
    return found + wrong, document


def sent_json(body: Body) -> Any:
    """The request's JSON body, or None when it has none or it is not JSON."""
    if not body.raw:
        return None
    try:
        return json.loads(body.raw)
    except (ValueError, UnicodeDecodeError):
        return None


def upstream_request_id(upstream: httpx.Response, document: Any = None) -> str | None:
    """The id the upstream gave the request, to quote to its support: `_metadata`'s, or a header."""
    if isinstance(document, dict):
        given = document.get("_metadata")
        if isinstance(given, dict) and isinstance(given.get("requestId"), str):
            return str(given["requestId"])
    given_header: str | None = upstream.headers.get("x-request-id")
    return given_header


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
