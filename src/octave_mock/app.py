"""The mock's ASGI app: one request pipeline over the layers, and the /_mock/ admin routes.

A request goes through, in order: route (404, 405), the test's scripts
(fail_next), read the body (bounded), faults that disrupt (hang, reset,
gateway), injected latency, a scripted status, authenticate (401), faults
that answer (rate limit, Prefer, error rate), validate (400, 413, 415),
operate (403, 404, 200), respond. The steps after routing are listed once, in
`MockServer`; everything from the scripted status to the answer is one
database transaction, which writes only when the operation does. The request
journal's entry is buffered in it and written apart (see journal.py), before
the answer is sent.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from octave_mock import validation
from octave_mock.admin import ADMIN_PREFIX, Admin
from octave_mock.auth import authenticate
from octave_mock.double import Double
from octave_mock.faults import FaultInjector, Prefer
from octave_mock.http_io import (
    Answer,
    Body,
    ClientDisconnected,
    Json,
    Problem,
    Request,
    lifespan,
    log_access,
    metadata,
    read_body,
    reset_connection,
    send_answer,
    wait_for_disconnect,
)
from octave_mock.journal import Journal
from octave_mock.operations import Operations
from octave_mock.refusal import refusal, routed
from octave_mock.scripts import RETRY_AT_ONCE, Script, take_script
from octave_mock.seed import DEFAULT_SEED, SeedError, load_seed
from octave_mock.settings import Settings
from octave_mock.spec import Operation, Spec
from octave_mock.store import Caller, Store

if TYPE_CHECKING:  # ASGI's types only; Starlette is not needed at run time
    from starlette.types import Receive, Scope, Send

access_log = logging.getLogger("octave_mock.access")
NO_BODY = Body()
NO_PREFERENCE = Prefer()
log = logging.getLogger("octave_mock")


@dataclass(slots=True)
class Exchange:
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

    def __init__(self, name: str, answer: Answer | None) -> None:
        self.name = name
        self.answer = answer


@dataclass(frozen=True)
class Step:
    """One step of the pipeline, named for the benchmark that times it."""

    name: str
    run: Callable[[Exchange], None]


@dataclass(frozen=True)
class AsyncStep:
    """A step before the transaction, which may wait (for the body, for injected latency)."""

    name: str
    run: Callable[[Exchange], Coroutine[Any, Any, None]]


class MockServer:
    """The spec, the store and the layers, wired for one process."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.spec = Spec.load(settings.spec_path)
        self.seed = load_seed(settings.seed_path or DEFAULT_SEED, self.spec)
        self.faults = FaultInjector(settings.faults, list(self.spec.by_id))
        self.store = Store(settings.db_path)
        self.journal = Journal(self.store, settings.journal_size)
        # One transaction: worker processes starting together on one file seed it once.
        with self.store.transaction():
            self.database_state = self.prepare_database()
        if self.database_state != "reused":
            self.journal.clear()
        self.operations = Operations(self.spec, self.store)
        self.handlers = self.operations.handlers
        self.double = Double(self.spec, self.store, self.seed, self.journal)
        # The pipeline after routing, in order; bench.request_costs times each step.
        self.before_transaction = (
            AsyncStep("scripts", self.scripts),
            AsyncStep("read the body", self.read),
            AsyncStep("faults: disruptions", self.disruptions),
            AsyncStep("faults: latency", self.latency),
        )
        # From here on nothing awaits: the request is one atomic transaction.
        self.in_transaction = (
            Step("scripts: status", self.scripted_status),
            Step("authenticate", self.authenticate),
            Step("faults: errors", self.inject_faults),
            Step("parameters", self.parameters),
            Step("body", self.body),
            Step("operate", self.operate),
        )

    async def answer(self, request: Request) -> Answer | None:
        """The pipeline: route, script, read, faults, authenticate, validate, operate, respond.

        None when an injected fault leaves the request unanswered (hang, reset).
        """
        started = time.perf_counter()
        request_id = "req_" + secrets.token_hex(8)
        op: Operation | None = None
        exchange: Exchange | None = None
        answer: Answer | None
        try:
            exchange = self.route(request, request_id)
            op = exchange.op
            for before in self.before_transaction:
                await before.run(exchange)
            with self.store.transaction(write=op.method != "GET"):
                answer = self.transact(exchange)
            await self.journal.written()
            self.log_access(request, answer, started, request_id, answer.fault)
            return answer
        except Problem as problem:
            answer = Answer.error(problem, request_id)
        except Disrupted as disrupted:
            self.log_access(request, disrupted.answer, started, request_id, disrupted.name)
            return disrupted.answer
        except ClientDisconnected:
            raise
        except Exception:
            log.exception("request %s failed", request_id)
            answer = Answer.error(Problem.internal(), request_id)
        answer = self.finished(op, answer, request_id)
        body = b"" if exchange is None else exchange.body.raw
        self.journal.record(request, op, body, answer, request_id)
        await self.journal.written()
        self.log_access(request, answer, started, request_id, answer.fault)
        return answer

    def transact(self, exchange: Exchange) -> Answer:
        """The steps in the transaction, then the request's journal entry (buffered)."""
        try:
            for step in self.in_transaction:
                step.run(exchange)
            answer = self.respond(exchange)
        except Problem as problem:  # every step refuses before the operation writes anything
            answer = Answer.error(problem, exchange.request_id)
        answer = self.finished(exchange.op, answer, exchange.request_id)
        request, body, request_id = exchange.request, exchange.body.raw, exchange.request_id
        self.journal.record(request, exchange.op, body, answer, request_id, None, exchange.caller)
        return answer

    def finished(self, op: Operation | None, answer: Answer, request_id: str) -> Answer:
        """The answer checked against the contract (when asked), marked with its request id."""
        # op is None when routing failed (404, 405): there is no schema to check.
        if self.settings.validate_responses and op is not None:
            answer = self.checked(op, answer, request_id)
        answer.headers["X-Request-Id"] = request_id
        return answer

    def route(self, request: Request, request_id: str) -> Exchange:
        """The request with its operation: else a 404, or a 405 with `Allow`."""
        return Exchange(request, request_id, routed(self.spec, request.method, request.path))

    async def scripts(self, exchange: Exchange) -> None:
        """The test's script for this request, if any (fail_next); its latency waited out."""
        key = exchange.request.headers.get(validation.KEY_HEADER)
        exchange.script = take_script(self.store, exchange.op.operation_id, key)
        if exchange.script is not None and exchange.script.latency_ms:
            await asyncio.sleep(exchange.script.latency_ms / 1000)

    async def disruptions(self, exchange: Exchange) -> None:
        """Prefer's wishes; a disruption (hang, reset, gateway) ends the request here."""
        preferences = exchange.request.headers.get("prefer")
        if preferences:
            exchange.prefer = Prefer.parse(preferences)
        disruption = self.faults.disruption(exchange.op, exchange.prefer)
        script = exchange.script
        if script is not None and script.disruption is not None:
            disruption = script.disruption
        if disruption is not None:
            raise Disrupted(disruption, await self.disrupt(disruption, exchange))

    async def read(self, exchange: Exchange) -> None:
        if exchange.op.body_check is not None:
            exchange.body = await read_body(exchange.request, self.settings.max_body_bytes)

    async def latency(self, exchange: Exchange) -> None:
        delay = self.faults.latency_seconds(exchange.op, exchange.prefer)
        if delay:
            await asyncio.sleep(delay)

    def scripted_status(self, exchange: Exchange) -> None:
        """A scripted status answers in place of everything after it."""
        if exchange.script is not None and exchange.script.status is not None:
            raise exchange.script.problem()

    def authenticate(self, exchange: Exchange) -> None:
        exchange.caller = authenticate(exchange.request.headers, self.store)

    def inject_faults(self, exchange: Exchange) -> None:
        assert exchange.caller is not None  # authenticate comes first
        self.faults.inject(exchange.op, exchange.caller, exchange.prefer)

    def parameters(self, exchange: Exchange) -> None:
        exchange.params, found = validation.parameters(exchange.op, exchange.request.query)
        if found:
            raise refusal(found)

    def body(self, exchange: Exchange) -> None:
        request = exchange.request
        exchange.document, found = validation.request_body(
            exchange.op, request.media_type, exchange.body
        )
        if found:
            raise refusal(found)

    def operate(self, exchange: Exchange) -> None:
        assert exchange.caller is not None  # authenticate comes first
        handler = self.handlers[exchange.op.operation_id]
        exchange.result = handler(exchange.op, exchange.caller, exchange.params, exchange.document)

    def respond(self, exchange: Exchange) -> Answer:
        return Answer(200, {"_metadata": metadata(exchange.request_id, "OK"), **exchange.result})

    async def disrupt(self, disruption: str, exchange: Exchange) -> Answer | None:
        """A gateway's page, or no answer at all: the connection hangs or is reset.

        Journalled first, so a test sees a hanging request while it hangs.
        """
        request, script, answer = exchange.request, exchange.script, None
        if disruption == "gateway":
            scripted = script is not None and script.disruption == "gateway"
            status = script.status if script is not None and scripted else None
            answer = Answer.gateway(status or self.faults.gateway_status())
            if scripted:
                answer.headers.update(RETRY_AT_ONCE)
        body, request_id = exchange.body.raw, exchange.request_id
        self.journal.record(request, exchange.op, body, answer, request_id, disruption)
        await self.journal.written()
        if answer is not None:
            return answer
        if disruption == "reset" and not reset_connection(request.scope):
            log.warning("this server cannot reset connections; the request hangs instead")
        await wait_for_disconnect(request)
        return None

    def log_access(
        self,
        request: Request,
        answer: Answer | None,
        started: float,
        request_id: str,
        fault: str | None,
    ) -> None:
        """One line per request; `-` for no answer, and the injected fault, if any."""
        status = None if answer is None else answer.status
        note = f"fault={fault}" if fault else None
        log_access(access_log, request, status, started, request_id, note)

    def checked(self, op: Operation, answer: Answer, request_id: str) -> Answer:
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
        problem = Problem(500, "response breaks the contract: " + problems)
        return Answer.error(problem, request_id)

    def prepare_database(self) -> str:
        """Seed an empty (or reset) database; `fresh`, `reset` or `reused`.

        A database that holds data from another seed file than the one asked
        for is refused: serving its data would hide the seed silently.
        """
        settings = self.settings
        if settings.reset_db or self.store.is_empty():
            self.seed_anew()
            return "reset" if settings.reset_db else "fresh"
        if settings.seed_path is not None and self.store.seed_digest() != self.seed.digest:
            raise SeedError(
                f"{settings.db_path}: holds data that is not from {settings.seed_path}; "
                "start with --reset-db (Settings.reset_db) to replace it with the seed"
            )
        return "reused"

    def reset(self) -> None:
        """Back to the seed: what changed since the database was seeded is undone."""
        with self.store.transaction():
            if self.store.has_baseline():
                self.store.reset()
            else:  # a file seeded by an older kit, which kept no change log
                self.seed_anew()
        self.journal.clear()

    def close(self) -> None:
        """Write what the journal holds, and close both databases."""
        self.journal.close()
        self.store.close()

    def seed_anew(self) -> None:
        """Replace what the store holds with the seed, in the open transaction: the baseline."""
        self.store.clear()
        self.seed.load_into(self.store)
        self.store.set_baseline()


class MockApp:
    """The ASGI app: the API operations, and the /_mock/ admin API."""

    def __init__(self, server: MockServer) -> None:
        self.state = SimpleNamespace(mock=server)
        self.server = server
        self.admin = Admin(server)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await lifespan(receive, send, on_shutdown=self.close)
            return
        request = Request.from_scope(scope, receive)
        try:
            if request.path.startswith(ADMIN_PREFIX):
                answer: Answer | None = await self.admin.answer(request)
            else:
                answer = await self.server.answer(request)
        except ClientDisconnected:
            return
        if answer is None:  # a hang or a reset: nothing to send
            return
        await send_answer(send, answer)

    async def close(self) -> None:
        self.server.close()


def create_app(settings: Settings | None = None) -> MockApp:
    """Build the mock app; start-up errors (spec, seed, database) raise here."""
    return MockApp(MockServer(settings or Settings()))
