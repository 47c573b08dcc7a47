"""The mock's ASGI app: one request pipeline over the layers, and the /_mock/ admin routes.

A request goes through, in order: route (404, 405), the test's scripts
(fail_next), read the body (bounded), faults that disrupt (hang, reset,
gateway), injected latency, a scripted status, authenticate (401), faults
that answer (rate limit, Prefer, error rate), validate (400, 413, 415),
operate (403, 404, 200), respond. The steps after routing are listed once, in
`MockServer`; everything from the scripted status to the answer is one turn
on the store that never awaits: for an update, one write transaction; for a
read, its one statement, or what an earlier read found (store.py). The request
journal's entry is kept after it, apart from the store (see journal.py),
before the answer is sent.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from octave_kit import validation
from octave_kit.http_io import (
    Body,
    ClientDisconnected,
    HTTPError,
    Request,
    Response,
    lifespan,
    log_access,
    metadata,
    new_request_id,
    read_body,
    reset_connection,
    send_response,
    wait_for_disconnect,
)
from octave_kit.json_text import Json
from octave_kit.keys import KEY_HEADER
from octave_kit.seed import DEFAULT_SEED, SeedError, load_seed
from octave_kit.spec import Operation, Spec
from octave_mock.admin import ADMIN_PREFIX, Admin
from octave_mock.auth import authenticate
from octave_mock.double import Double
from octave_mock.faults import FaultInjector, Prefer
from octave_mock.journal import Journal
from octave_mock.operations import Operations
from octave_mock.refusal import refusal, routed
from octave_mock.scripts import Script, take_script
from octave_mock.settings import Settings
from octave_mock.store import Caller, Store

if TYPE_CHECKING:  # ASGI's types only; Starlette is not needed at run time
    from starlette.types import Receive, Scope, Send

access_log = logging.getLogger("octave_mock.access")
NO_BODY = Body()
NO_PREFERENCE = Prefer()
log = logging.getLogger("octave_mock")


@dataclass(slots=True)
class RequestContext:
    """One request on its way through the pipeline: what each step has found so far."""

    request: Request
    request_id: str
    op: Operation
    prefer: Prefer = NO_PREFERENCE
    body: Body = NO_BODY
    caller: Caller | None = None
    params: Json = field(default_factory=dict)
    document: Json | None = None
    result: Json = field(default_factory=dict)
    script: Script | None = None  # what fail_next scripted for this request, if anything


class Disrupted(Exception):
    """An injected disruption ended the request: a gateway's page, or no answer (None)."""

    def __init__(self, name: str, answer: Response | None) -> None:
        self.name = name
        self.answer = answer


@dataclass(frozen=True)
class Step:
    """One step of the pipeline, named for the benchmark that times it."""

    name: str
    run: Callable[[RequestContext], None]


@dataclass(frozen=True)
class AsyncStep:
    """A step before the transaction, which may wait (for the body, for injected latency)."""

    name: str
    run: Callable[[RequestContext], Coroutine[Any, Any, None]]


class MockServer:
    """The spec, the store and the layers, wired for one process."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.spec = Spec.load(settings.spec_path)
        self.seed = load_seed(settings.seed_path or DEFAULT_SEED, self.spec)
        self.faults = FaultInjector(settings.faults, list(self.spec.by_id))
        self.store = Store(settings.db_path)
        self.journal = Journal(self.store, settings.journal_size, settings.journal_responses)
        # One transaction: worker processes starting together on one file seed it once.
        with self.store.transaction():
            self.database_state = self.prepare_database()
        if self.database_state != "reused":
            self.journal.clear()
        self.operations = Operations(self.spec, self.store)
        self.handlers = self.operations.handlers
        self.double = Double(self.spec, self.store, self.seed, self.journal, self.faults)
        # The pipeline after routing, in order; bench.request_costs times each step.
        self.before_transaction = (
            AsyncStep("scripts", self.scripts),
            AsyncStep("read the body", self.read),
            AsyncStep("faults: disruptions", self.disruptions),
            AsyncStep("faults: latency", self.latency),
        )
        # From here on nothing awaits: the request is one turn on the store.
        self.in_transaction = (
            Step("scripts: status", self.scripted_status),
            Step("authenticate", self.authenticate),
            Step("faults: errors", self.inject_faults),
            Step("parameters", self.parameters),
            Step("body", self.body),
            Step("operate", self.operate),
        )

    async def answer(self, request: Request) -> Response | None:
        """The pipeline: route, script, read, faults, authenticate, validate, operate, respond.

        None when an injected fault leaves the request unanswered (hang, reset).
        """
        started = time.perf_counter()
        request_id = new_request_id()
        op: Operation | None = None
        context: RequestContext | None = None
        answer: Response | None
        try:
            context = self.route(request, request_id)
            op = context.op
            for before in self.before_transaction:
                await before.run(context)
            with self.store.transaction(write=op.method != "GET"):
                answer = self.transact(context)
            body, caller = context.body.raw, context.caller
            self.journal.record(request, op, body, answer, request_id, None, caller)
            self.log_access(request, answer, started, request_id, answer.fault)
            return answer
        except HTTPError as error:
            answer = Response.error(error, request_id)
        except Disrupted as disrupted:
            self.log_access(request, disrupted.answer, started, request_id, disrupted.name)
            return disrupted.answer
        except ClientDisconnected:
            raise
        except Exception:
            log.exception("request %s failed", request_id)
            answer = Response.error(HTTPError.internal(), request_id)
        answer = self.finished(op, answer, request_id)
        body = b"" if context is None else context.body.raw
        self.journal.record(request, op, body, answer, request_id)
        self.log_access(request, answer, started, request_id, answer.fault)
        return answer

    def transact(self, context: RequestContext) -> Response:
        """The steps in the transaction: the answer, checked."""
        try:
            for step in self.in_transaction:
                step.run(context)
            answer = self.respond(context)
        except HTTPError as error:  # every step refuses before the operation writes anything
            answer = Response.error(error, context.request_id)
        return self.finished(context.op, answer, context.request_id)

    def finished(self, op: Operation | None, answer: Response, request_id: str) -> Response:
        """The answer checked against the contract (when asked), marked with its request id."""
        # op is None when routing failed (404, 405): there is no schema to check.
        if self.settings.validate_responses and op is not None:
            answer = self.checked(op, answer, request_id)
        answer.headers["X-Request-Id"] = request_id
        return answer

    def route(self, request: Request, request_id: str) -> RequestContext:
        """The request with its operation: else a 404, or a 405 with `Allow`."""
        return RequestContext(request, request_id, routed(self.spec, request.method, request.path))

    async def scripts(self, context: RequestContext) -> None:
        """The test's script for this request, if any (fail_next); its latency waited out."""
        key = context.request.headers.get(KEY_HEADER)
        context.script = take_script(self.store, context.op.operation_id, key)
        if context.script is not None and context.script.latency_ms:
            await asyncio.sleep(context.script.latency_ms / 1000)

    async def disruptions(self, context: RequestContext) -> None:
        """Prefer's wishes; a disruption (hang, reset, gateway) ends the request here."""
        preferences = context.request.headers.get("prefer")
        if preferences:
            context.prefer = Prefer.parse(preferences)
        disruption = self.faults.disruption(context.op, context.prefer)
        script = context.script
        if script is not None and script.disruption is not None:
            disruption = script.disruption
        if disruption is not None:
            raise Disrupted(disruption, await self.disrupt(disruption, context))

    async def read(self, context: RequestContext) -> None:
        if context.op.body_check is not None:
            context.body = await read_body(context.request, self.settings.max_body_bytes)

    async def latency(self, context: RequestContext) -> None:
        delay = self.faults.latency_seconds(context.op, context.prefer)
        if delay:
            await asyncio.sleep(delay)

    def scripted_status(self, context: RequestContext) -> None:
        """A scripted status answers in place of everything after it."""
        if context.script is not None and context.script.status is not None:
            raise context.script.http_error()

    def authenticate(self, context: RequestContext) -> None:
        context.caller = authenticate(context.request.headers, self.store)

    def inject_faults(self, context: RequestContext) -> None:
        assert context.caller is not None  # authenticate comes first
        self.faults.inject(context.op, context.caller, context.prefer)

    def parameters(self, context: RequestContext) -> None:
        context.params, found = validation.parameters(context.op, context.request.query)
        if found:
            raise refusal(found)

    def body(self, context: RequestContext) -> None:
        request = context.request
        context.document, found = validation.request_body(
            context.op, request.media_type, context.body
        )
        if found:
            raise refusal(found)

    def operate(self, context: RequestContext) -> None:
        assert context.caller is not None  # authenticate comes first
        handler = self.handlers[context.op.operation_id]
        context.result = handler(context.op, context.caller, context.params, context.document)

    def respond(self, context: RequestContext) -> Response:
        return Response(200, {"_metadata": metadata(context.request_id, "OK"), **context.result})

    async def disrupt(self, disruption: str, context: RequestContext) -> Response | None:
        """A gateway's page, or no answer at all: the connection hangs or is reset.

        Journalled first, so a test sees a hanging request while it hangs.
        """
        request, script, answer = context.request, context.script, None
        if disruption == "gateway":
            scripted = script is not None and script.disruption == "gateway"
            status = script.status if script is not None and scripted else None
            answer = Response.gateway(status or self.faults.gateway_status())
            if script is not None and scripted:
                answer.headers.update(script.headers)
        body, request_id = context.body.raw, context.request_id
        self.journal.record(request, context.op, body, answer, request_id, disruption)
        if answer is not None:
            return answer
        if disruption == "reset" and not reset_connection(request.scope):
            log.warning("this server cannot reset connections; the request hangs instead")
        await wait_for_disconnect(request)
        return None

    def log_access(
        self,
        request: Request,
        answer: Response | None,
        started: float,
        request_id: str,
        fault: str | None,
    ) -> None:
        """One line per request; `-` for no answer, and the injected fault, if any."""
        status = None if answer is None else answer.status
        note = f"fault={fault}" if fault else None
        log_access(access_log, request, status, started, request_id, note)

    def checked(self, op: Operation, answer: Response, request_id: str) -> Response:
        """With response validation on, an answer off the contract becomes a 500.

        A gateway fault's page is off the contract on purpose, and passes.
        """
        if answer.raw is not None:
            return answer
        found = validation.answer_violations(op, answer.status, answer.body)
        if not found:
            return answer
        problems = validation.messages(found)
        log.error("response %s breaks the contract: %s", request_id, problems)
        error = HTTPError(500, "response breaks the contract: " + problems)
        return Response.error(error, request_id)

    def prepare_database(self) -> str:
        """Seed an empty (or reset) database; `fresh`, `reset` or `reused`.

        A database that holds data from another seed file than the one asked
        for is refused: serving its data would hide the seed silently.
        """
        settings = self.settings
        if settings.reset_db or self.store.is_empty():
            self.store.seed_anew(self.seed)
            return "reset" if settings.reset_db else "fresh"
        if settings.seed_path is not None and self.store.seed_digest() != self.seed.digest:
            raise SeedError(
                f"{settings.db_path}: holds data that is not from {settings.seed_path}; "
                "start with --reset-db (Settings.reset_db) to replace it with the seed"
            )
        return "reused"

    def close(self) -> None:
        """Write what the journal holds, and close both databases."""
        self.journal.close()
        self.store.close()


class MockApp:
    """The ASGI app: the API operations, and the /_mock/ admin API."""

    def __init__(self, server: MockServer) -> None:
        self.state = SimpleNamespace(mock=server)
        self.server = server
        self.admin = Admin(server.double, server.settings.max_body_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await lifespan(receive, send, on_shutdown=self.close)
            return
        request = Request.from_scope(scope, receive)
        try:
            if request.path.startswith(ADMIN_PREFIX):
                answer: Response | None = await self.admin.answer(request)
            else:
                answer = await self.server.answer(request)
        except ClientDisconnected:
            return
        if answer is None:  # a hang or a reset: nothing to send
            return
        await send_response(send, answer)

    async def close(self) -> None:
        self.server.close()


def create_app(settings: Settings | None = None) -> MockApp:
    """Build the mock app; start-up errors (spec, seed, database) raise here."""
    return MockApp(MockServer(settings or Settings()))
