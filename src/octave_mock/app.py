"""The mock's ASGI app: routing and validation from the spec, state in SQLite.

A request goes through, in order: routing (404, 405), reading the body
(bounded), authentication (401, 403), injected faults (Prefer, rate limit,
error rate), input validation (415, 413, 400), then the operation. All the
database work of one request happens in one transaction.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import secrets
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from octave_mock.faults import FaultInjector
from octave_mock.seed import load_seed
from octave_mock.settings import Settings
from octave_mock.spec import Operation, Spec, describe_errors
from octave_mock.store import Caller, Store, hash_key

access_log = logging.getLogger("octave_mock.access")
log = logging.getLogger("octave_mock")

Json = dict[str, Any]
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"]
PREFER_CODE = re.compile(r"(?:^|[;,\s])code=(\d{3})(?:$|[;,\s])")
KEY_HEADER = "api_key"
# The store kind each read operation serves.
READ_KINDS = {"getProduct": "product", "getSegment": "segment"}


class Problem(Exception):
    """An error answer: a status, a message naming the field, maybe headers."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def now_iso() -> str:
    """UTC now as ISO 8601 with milliseconds and `Z`, the form Octave prints."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def metadata(request_id: str, message: str) -> Json:
    return {"requestId": request_id, "timestamp": now_iso(), "usage": 0, "message": message}


class MockServer:
    """The behaviour of the three operations over a store, driven by the spec."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.spec = Spec.load(settings.spec_path)
        self.seed = load_seed(settings.seed_path, self.spec)
        self.store = Store(settings.db_path)
        if self.store.is_empty():
            with self.store.transaction():
                self.seed.load_into(self.store)
        self.faults = FaultInjector(settings.faults)
        self.handlers = {
            "getProduct": self.get_object,
            "getSegment": self.get_object,
            "updateReference": self.update_reference,
        }
        missing = set(self.spec.by_id) - set(self.handlers)
        if missing:
            raise ValueError(f"{settings.spec_path}: no behaviour for {sorted(missing)}")
        # Where each update field lands: beside oId, or in the nested `data`.
        fields = self.spec.properties("UpdateReferenceRequest") - {"oId"}
        self.reference_top = fields & self.spec.properties("Reference")
        self.reference_data = fields & self.spec.properties("ReferenceData")
        unplaced = fields - self.reference_top - self.reference_data
        if unplaced:
            raise ValueError(f"{settings.spec_path}: update fields with no place: {unplaced}")

    # -- the operations -------------------------------------------------

    def get_object(self, op: Operation, caller: Caller, params: Json, body: Json | None) -> Json:
        return self.find(READ_KINDS[op.operation_id], caller, params["oId"])

    def update_reference(
        self, op: Operation, caller: Caller, params: Json, body: Json | None
    ) -> Json:
        assert body is not None  # the spec requires the body; validation ran
        if caller.read_only:
            raise Problem(403, f"{KEY_HEADER}: this key is read-only and cannot update")
        doc = self.find("reference", caller, body["oId"])
        for name, value in body.items():
            if name in self.reference_top:
                doc[name] = value
            elif name in self.reference_data:
                doc["data"] = doc.get("data") or {}
                doc["data"][name] = value
        doc["updatedAt"] = now_iso()
        self.store.put("reference", caller.workspace_oid, doc)
        return {"data": doc}

    def find(self, kind: str, caller: Caller, oid: str) -> Json:
        """The caller's object; deleted ones and other workspaces' answer 404."""
        doc = self.store.get(kind, caller.workspace_oid, oid)
        if doc is None or doc.get("deletedAt"):
            raise Problem(404, f"oId: no {kind} {oid} in this workspace")
        return doc

    # -- the request pipeline ------------------------------------------

    async def dispatch(self, request: Request) -> Response:
        started = time.perf_counter()
        request_id = "req_" + secrets.token_hex(8)
        try:
            status, body, headers = await self.handle(request, request_id)
        except Problem as problem:
            status, headers = problem.status, problem.headers
            body = self.error_body(problem, request_id)
        except Exception:
            log.exception("request %s failed", request_id)
            status, headers = 500, {}
            body = self.error_body(Problem(500, "Internal server error"), request_id)
        op = self.route(request.url.path, request.method, quiet=True)
        if self.settings.validate_responses and op is not None:
            status, body, headers = self.checked(op, status, body, headers, request_id)
        response = JSONResponse(body, status, {**headers, "X-Request-Id": request_id})
        access_log.info(
            "%s %s %d %.1fms %s",
            request.method,
            request.url.path,
            status,
            (time.perf_counter() - started) * 1000,
            request_id,
        )
        return response

    async def handle(self, request: Request, request_id: str) -> tuple[int, Json, dict[str, str]]:
        op = self.route(request.url.path, request.method)
        assert op is not None
        raw, too_large = await self.read_body(request) if op.body_validator else (b"", False)
        if self.settings.faults.latency_ms:
            await asyncio.sleep(self.settings.faults.latency_ms / 1000)
        # From here on nothing awaits: the request is one atomic transaction.
        with self.store.transaction():
            caller = self.authenticate(request)
            self.inject_faults(op, request)
            params = self.parameters(op, request)
            body = self.body(op, request, raw, too_large)
            result = self.handlers[op.operation_id](op, caller, params, body)
        return 200, {"_metadata": metadata(request_id, "OK"), **result}, {}

    def route(self, path: str, method: str, quiet: bool = False) -> Operation | None:
        methods = self.spec.operations.get(path)
        if methods is None:
            if quiet:
                return None
            raise Problem(404, f"path: no operation at {path}")
        op = methods.get(method)
        if op is None:
            if quiet:
                return None
            allow = ", ".join(sorted(methods))
            raise Problem(405, f"method: {path} accepts {allow}, not {method}", {"Allow": allow})
        return op

    async def read_body(self, request: Request) -> tuple[bytes, bool]:
        """The body, or (b"", True) as soon as it is over the size limit."""
        limit = self.settings.max_body_bytes
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            return b"", True
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                return b"", True
            chunks.append(chunk)
        return b"".join(chunks), False

    def authenticate(self, request: Request) -> Caller:
        key = request.headers.get(KEY_HEADER)
        if not key:
            raise Problem(401, f"{KEY_HEADER}: header is required")
        caller = self.store.caller(key)
        if caller is None:
            raise Problem(401, f"{KEY_HEADER}: Invalid API key")
        retry_after = self.faults.retry_after(hash_key(key))
        if retry_after is not None:
            raise Problem(
                429,
                f"Rate limit exceeded; retry after {retry_after} seconds",
                {"Retry-After": str(retry_after)},
            )
        return caller

    def inject_faults(self, op: Operation, request: Request) -> None:
        prefer = PREFER_CODE.search(request.headers.get("prefer", ""))
        if prefer is not None:
            code = int(prefer.group(1))
            if code not in op.responses:
                documented = ", ".join(map(str, sorted(op.responses)))
                raise Problem(
                    400,
                    f"Prefer: code={code} is not documented for {op.operation_id} "
                    f"(documented: {documented})",
                )
            if code >= 300:
                headers = {"Retry-After": "1"} if code in op.retry_after_statuses else {}
                message = f"{HTTPStatus(code).phrase} (asked for by Prefer: code={code})"
                raise Problem(code, message, headers)
        if self.faults.server_error():
            raise Problem(500, "Internal server error (injected)")

    def parameters(self, op: Operation, request: Request) -> Json:
        values: Json = {}
        problems: list[str] = []
        for param in op.parameters:
            given = request.query_params.getlist(param.name)
            if not given:
                if param.required:
                    problems.append(f"{param.name}: is required")
                continue
            if len(given) > 1:
                problems.append(f"{param.name}: give it once, not {len(given)} times")
                continue
            problems += describe_errors(param.validator.iter_errors(given[0]), param.name)
            values[param.name] = given[0]
        if problems:
            raise Problem(400, "; ".join(problems))
        return values

    def body(self, op: Operation, request: Request, raw: bytes, too_large: bool) -> Json | None:
        if op.body_validator is None:
            return None
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media != "application/json":
            sent = media or "no Content-Type"
            raise Problem(415, f"Content-Type: send application/json, not {sent}")
        if too_large:
            limit = self.settings.max_body_bytes
            raise Problem(413, f"body: larger than the limit of {limit} bytes")
        if not raw.strip():
            raise Problem(400, "body: is required")
        try:
            body = json.loads(raw, parse_constant=_reject_constant)
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            # RecursionError: nesting deeper than the parser goes is bad input, not a 500.
            raise Problem(400, f"body: not valid JSON ({exc})") from None
        if not isinstance(body, dict):
            raise Problem(400, "body: expected a JSON object")
        # JSON lets "\ud800" through; such text cannot be stored or answered as UTF-8.
        unpaired = _unpaired_surrogate(body)
        if unpaired is not None:
            raise Problem(400, f"{unpaired}: is not valid Unicode (an unpaired surrogate)")
        problems = describe_errors(op.body_validator.iter_errors(body), "body")
        if problems:
            raise Problem(400, "; ".join(problems))
        return body

    def error_body(self, problem: Problem, request_id: str) -> Json:
        return {
            "_metadata": metadata(request_id, HTTPStatus(problem.status).phrase),
            "message": problem.message,
        }

    def checked(
        self, op: Operation, status: int, body: Json, headers: dict[str, str], request_id: str
    ) -> tuple[int, Json, dict[str, str]]:
        """With response validation on, a response off the contract becomes a 500."""
        if status == 405:
            return status, body, headers
        validator = op.responses.get(status)
        if status not in op.responses:
            problems = [f"status {status} is not documented for {op.operation_id}"]
        elif validator is None:
            problems = []
        else:
            problems = describe_errors(validator.iter_errors(body), "response")
        if not problems:
            return status, body, headers
        log.error("response %s breaks the contract: %s", request_id, "; ".join(problems))
        problem = Problem(500, "response breaks the contract: " + "; ".join(problems))
        return 500, self.error_body(problem, request_id), {}

    def reset(self) -> None:
        with self.store.transaction():
            self.store.clear()
            self.seed.load_into(self.store)


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _unpaired_surrogate(body: Json) -> str | None:
    """The field whose text (or member name) is not valid Unicode, if any; no recursion."""
    pending: list[tuple[str, Any]] = [("body", body)]
    while pending:
        where, value = pending.pop()
        if isinstance(value, str) and not _is_unicode(value):
            return where
        if isinstance(value, dict):
            for name, item in value.items():
                if not _is_unicode(name):
                    return where
                pending.append((name if where == "body" else f"{where}.{name}", item))
        elif isinstance(value, list):
            pending.extend((f"{where}[{index}]", item) for index, item in enumerate(value))
    return None


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def create_app(settings: Settings | None = None) -> Starlette:
    """Build the mock app; start-up errors (spec, seed, database) raise here."""
    server = MockServer(settings or Settings())

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok", "database": server.store.path})

    async def reset(request: Request) -> Response:
        server.reset()
        return JSONResponse({"status": "reset"})

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        server.store.close()

    app = Starlette(
        routes=[
            Route("/_mock/health", health, methods=["GET"]),
            Route("/_mock/reset", reset, methods=["POST"]),
            Route("/{path:path}", server.dispatch, methods=ALL_METHODS),
        ],
        lifespan=lifespan,
    )
    app.state.mock = server
    return app
