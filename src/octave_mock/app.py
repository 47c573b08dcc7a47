"""The mock's ASGI app: one request pipeline over the layers, and the /_mock/ admin routes.

A request goes through, in order: route (404, 405), faults that disrupt
(hang, reset, gateway), read the body (bounded), injected latency,
authenticate (401), faults that answer (rate limit, Prefer, error rate),
validate (400, 413, 415), operate (403, 404, 200), respond. The steps after
routing are listed once, in `MockServer`; everything from authentication to
the operation is one database transaction.
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
from octave_mock.auth import authenticate
from octave_mock.faults import FaultInjector, Prefer
from octave_mock.http_io import (
    Answer,
    Body,
    ClientDisconnected,
    Json,
    Problem,
    Request,
    lifespan,
    metadata,
    read_body,
    reset_connection,
    send_answer,
    wait_for_disconnect,
)
from octave_mock.operations import Operations
from octave_mock.seed import DEFAULT_SEED, SeedError, load_seed
from octave_mock.settings import Settings
from octave_mock.spec import Operation, Spec
from octave_mock.store import Caller, Store
from octave_mock.validation import Violation

if TYPE_CHECKING:  # ASGI's types only; Starlette is not needed at run time
    from starlette.types import Receive, Scope, Send

access_log = logging.getLogger("octave_mock.access")
NO_BODY = Body()
NO_PREFERENCE = Prefer()
log = logging.getLogger("octave_mock")
# A refused request's status, by the kind of violation that refused it; 400 for the rest.
REFUSAL_STATUS = {"path": 404, "method": 405, "too-large": 413, "content-type": 415}


def refusal(found: list[Violation], headers: dict[str, str] | None = None) -> Problem:
    """The mock's answer to a request the spec refuses: every violation in one message."""
    return Problem(REFUSAL_STATUS.get(found[0].code, 400), validation.messages(found), headers)


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
        # One transaction: worker processes starting together on one file seed it once.
        with self.store.transaction():
            self.database_state = self.prepare_database()
        self.operations = Operations(self.spec, self.store)
        self.handlers = self.operations.handlers
        # The pipeline after routing, in order; bench.request_costs times each step.
        self.before_transaction = (
            AsyncStep("faults: disruptions", self.disruptions),
            AsyncStep("read the body", self.read),
            AsyncStep("faults: latency", self.latency),
        )
        # From here on nothing awaits: the request is one atomic transaction.
        self.in_transaction = (
            Step("authenticate", self.authenticate),
            Step("faults: errors", self.inject_faults),
            Step("parameters", self.parameters),
            Step("body", self.body),
            Step("operate", self.operate),
        )

    async def answer(self, request: Request) -> Answer | None:
        """The pipeline: route, faults, read, authenticate, validate, operate, respond.

        None when an injected fault leaves the request unanswered (hang, reset).
        """
        started = time.perf_counter()
        request_id = "req_" + secrets.token_hex(8)
        op: Operation | None = None
        answer: Answer | None
        try:
            exchange = self.route(request, request_id)
            op = exchange.op
            for before in self.before_transaction:
                await before.run(exchange)
            with self.store.transaction(write=op.method != "GET"):
                for step in self.in_transaction:
                    step.run(exchange)
            answer = self.respond(exchange)
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
        # op is None when routing failed (404, 405): there is no schema to check.
        if self.settings.validate_responses and op is not None:
            answer = self.checked(op, answer, request_id)
        answer.headers["X-Request-Id"] = request_id
        self.log_access(request, answer, started, request_id, answer.fault)
        return answer

    def route(self, request: Request, request_id: str) -> Exchange:
        """The request with its operation: else a 404, or a 405 with `Allow`."""
        op = self.spec.route(request.method, request.path)
        if op is None:
            miss = validation.misrouted(self.spec, request.method, request.path)
            allow = {"Allow": ", ".join(self.spec.methods(request.path))}
            raise refusal([miss], allow if miss.place == "method" else None)
        return Exchange(request, request_id, op)

    async def disruptions(self, exchange: Exchange) -> None:
        """Prefer's wishes; a disruption (hang, reset, gateway) ends the request here."""
        preferences = exchange.request.headers.get("prefer")
        if preferences:
            exchange.prefer = Prefer.parse(preferences)
        disruption = self.faults.disruption(exchange.op, exchange.prefer)
        if disruption is not None:
            raise Disrupted(disruption, await self.disrupt(disruption, exchange.request))

    async def read(self, exchange: Exchange) -> None:
        if exchange.op.body_check is not None:
            exchange.body = await read_body(exchange.request, self.settings.max_body_bytes)

    async def latency(self, exchange: Exchange) -> None:
        delay = self.faults.latency_seconds(exchange.op, exchange.prefer)
        if delay:
            await asyncio.sleep(delay)

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

    async def disrupt(self, disruption: str, request: Request) -> Answer | None:
        """A gateway's page, or no answer at all: the connection hangs or is reset."""
        if disruption == "gateway":
            return Answer.gateway(self.faults.gateway_status())
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
        if not access_log.isEnabledFor(logging.INFO):
            return
        status = "-" if answer is None else str(answer.status)
        elapsed = (time.perf_counter() - started) * 1000
        mark = f" fault={fault}" if fault else ""
        access_log.info(
            "%s %s %s %.1fms %s%s", request.method, request.path, status, elapsed, request_id, mark
        )

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
        if settings.reset_db:
            self.store.clear()
        if self.store.is_empty():
            self.seed.load_into(self.store)
            return "reset" if settings.reset_db else "fresh"
        if settings.seed_path is not None and self.store.seed_digest() != self.seed.digest:
            raise SeedError(
                f"{settings.db_path}: holds data that is not from {settings.seed_path}; "
                "start with --reset-db (Settings.reset_db) to replace it with the seed"
            )
        return "reused"

    def reset(self) -> None:
        with self.store.transaction():
            self.store.clear()
            self.seed.load_into(self.store)


def _health(server: MockServer) -> Json:
    return {"status": "ok", "database": server.store.path}


def _reset(server: MockServer) -> Json:
    server.reset()
    return {"status": "reset"}


# Outside /api/, so not part of the Octave contract: path -> (method, handler).
ADMIN_ROUTES: dict[str, tuple[str, Callable[[MockServer], Json]]] = {
    "/_mock/health": ("GET", _health),
    "/_mock/reset": ("POST", _reset),
}


class MockApp:
    """The ASGI app: the API operations, /_mock/health and /_mock/reset."""

    def __init__(self, server: MockServer) -> None:
        self.state = SimpleNamespace(mock=server)
        self.server = server

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await lifespan(receive, send, on_shutdown=self.close)
            return
        request = Request.from_scope(scope, receive)
        admin = ADMIN_ROUTES.get(request.path)
        if admin is None:
            try:
                answer = await self.server.answer(request)
            except ClientDisconnected:
                return
            if answer is None:  # a hang or a reset: nothing to send
                return
        elif admin[0] != request.method:
            message = f"method: {request.path} accepts {admin[0]}"
            answer = Answer(405, {"message": message}, {"Allow": admin[0]})
        else:
            answer = Answer(200, admin[1](self.server))
        await send_answer(send, answer)

    async def close(self) -> None:
        self.server.store.close()


def create_app(settings: Settings | None = None) -> MockApp:
    """Build the mock app; start-up errors (spec, seed, database) raise here."""
    return MockApp(MockServer(settings or Settings()))
