"""The mock's ASGI app: one request pipeline over the layers, and the /_mock/ admin routes.

A request goes through, in order: route (404, 405), read the body (bounded),
authenticate (401), faults (latency, rate limit, Prefer, error rate),
validate (400, 413, 415), operate (403, 404, 200), respond. Everything
between authentication and the operation is one database transaction.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Callable
from types import SimpleNamespace
from typing import TYPE_CHECKING

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
from octave_mock.store import Store

if TYPE_CHECKING:  # ASGI's types only; Starlette is not needed at run time
    from starlette.types import Receive, Scope, Send

access_log = logging.getLogger("octave_mock.access")
NO_BODY = Body()
NO_PREFERENCE = Prefer()
log = logging.getLogger("octave_mock")


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

    async def answer(self, request: Request) -> Answer | None:
        """The pipeline: route, faults, read, authenticate, validate, operate, respond.

        None when an injected fault leaves the request unanswered (hang, reset).
        """
        started = time.perf_counter()
        request_id = "req_" + secrets.token_hex(8)
        op: Operation | None = None
        limit = self.settings.max_body_bytes
        answer: Answer | None
        try:
            op = validation.route(self.spec, request.method, request.path)
            preferences = request.headers.get("prefer")
            prefer = Prefer.parse(preferences) if preferences else NO_PREFERENCE
            disruption = self.faults.disruption(op, prefer)
            if disruption is not None:
                answer = await self.disrupt(disruption, request)
                self.log_access(request, answer, started, request_id, disruption)
                return answer
            body = await read_body(request, limit) if op.body_check else NO_BODY
            delay = self.faults.latency_seconds(op, prefer)
            if delay:
                await asyncio.sleep(delay)
            # From here on nothing awaits: the request is one atomic transaction.
            with self.store.transaction(write=op.method != "GET"):
                caller = authenticate(request.headers, self.store)
                self.faults.inject(op, caller, prefer)
                params = validation.parameters(op, request.query)
                document = validation.json_body(op, request.media_type, body, limit)
                result = self.handlers[op.operation_id](op, caller, params, document)
            answer = Answer(200, {"_metadata": metadata(request_id, "OK"), **result})
        except Problem as problem:
            answer = Answer.error(problem, request_id)
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
        problems = validation.answer_problems(op, answer.status, answer.body)
        if not problems:
            return answer
        log.error("response %s breaks the contract: %s", request_id, "; ".join(problems))
        problem = Problem(500, "response breaks the contract: " + "; ".join(problems))
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
            self.store.set_baseline()
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
            self.store.reset()


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
            await self.lifespan(receive, send)
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

    async def lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.server.store.close()
                await send({"type": "lifespan.shutdown.complete"})
                return


def create_app(settings: Settings | None = None) -> MockApp:
    """Build the mock app; start-up errors (spec, seed, database) raise here."""
    return MockApp(MockServer(settings or Settings()))
