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
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import Receive, Scope, Send

from octave_mock.faults import FaultInjector
from octave_mock.seed import load_seed
from octave_mock.settings import Settings
from octave_mock.spec import Operation, Spec
from octave_mock.store import Caller, Store, hash_key

access_log = logging.getLogger("octave_mock.access")
log = logging.getLogger("octave_mock")

Json = dict[str, Any]
PREFER_CODE = re.compile(r"(?:^|[;,\s])code=(\d{3})(?:$|[;,\s])")
KEY_HEADER = "api_key"
# The store kind each read operation serves.
READ_KINDS = {"getProduct": "product", "getSegment": "segment"}


class ClientDisconnected(Exception):
    """The client went away before sending its whole body: nothing to answer."""


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


@dataclass(frozen=True)
class Request:
    """What the mock reads of an HTTP request: plain ASGI, no framework in between."""

    method: str
    path: str
    headers: dict[str, str]
    query: list[tuple[str, str]]
    receive: Receive

    @classmethod
    def from_scope(cls, scope: Scope, receive: Receive) -> Request:
        headers: dict[str, str] = {}
        for name, value in scope["headers"]:
            headers.setdefault(name.decode("latin-1").lower(), value.decode("latin-1"))
        query = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
        return cls(scope["method"], scope["path"], headers, query, receive)


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

    async def dispatch(self, request: Request) -> tuple[int, bytes, list[tuple[bytes, bytes]]]:
        """Answer one API request: status, JSON body and headers."""
        started = time.perf_counter()
        request_id = "req_" + secrets.token_hex(8)
        op: Operation | None = None
        try:
            op = self.route(request.path, request.method)
            status, body, headers = await self.handle(op, request, request_id)
        except Problem as problem:
            status, headers = problem.status, problem.headers
            body = self.error_body(problem, request_id)
        except ClientDisconnected:
            raise
        except Exception:
            log.exception("request %s failed", request_id)
            status, headers = 500, {}
            body = self.error_body(Problem(500, "Internal server error"), request_id)
        # op is None when routing failed (404, 405): there is no schema to check.
        if self.settings.validate_responses and op is not None:
            status, body, headers = self.checked(op, status, body, headers, request_id)
        encoded = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
        encoded.append((b"x-request-id", request_id.encode()))
        if access_log.isEnabledFor(logging.INFO):
            elapsed = (time.perf_counter() - started) * 1000
            access_log.info(
                "%s %s %d %.1fms %s", request.method, request.path, status, elapsed, request_id
            )
        return status, to_json(body), encoded

    async def handle(
        self, op: Operation, request: Request, request_id: str
    ) -> tuple[int, Json, dict[str, str]]:
        raw, too_large = await self.read_body(request) if op.body_check else (b"", False)
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

    def route(self, path: str, method: str) -> Operation:
        methods = self.spec.operations.get(path)
        if methods is None:
            raise Problem(404, f"path: no operation at {path}")
        op = methods.get(method)
        if op is None:
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
        while True:
            message = await request.receive()
            if message["type"] == "http.disconnect":
                raise ClientDisconnected
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                return b"", True
            chunks.append(chunk)
            if not message.get("more_body", False):
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
            given = [value for name, value in request.query if name == param.name]
            if not given:
                if param.required:
                    problems.append(f"{param.name}: is required")
                continue
            if len(given) > 1:
                problems.append(f"{param.name}: give it once, not {len(given)} times")
                continue
            problems += param.check.problems(given[0], param.name)
            values[param.name] = given[0]
        if problems:
            raise Problem(400, "; ".join(problems))
        return values

    def body(self, op: Operation, request: Request, raw: bytes, too_large: bool) -> Json | None:
        if op.body_check is None:
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
        unpaired = _unpaired_surrogate(body) if _may_hold_surrogates(raw) else None
        if unpaired is not None:
            raise Problem(400, f"{unpaired}: is not valid Unicode (an unpaired surrogate)")
        problems = op.body_check.problems(body, "body")
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
        check = op.responses.get(status)
        if status not in op.responses:
            problems = [f"status {status} is not documented for {op.operation_id}"]
        elif check is None:
            problems = []
        else:
            problems = check.problems(body, "response")
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


SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _may_hold_surrogates(raw: bytes) -> bool:
    """A cheap look at the bytes, so that only suspect bodies are walked."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return SURROGATE_ESCAPE.search(raw) is not None


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


def to_json(body: Json) -> bytes:
    return json.dumps(body, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


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
                status, body, headers = await self.server.dispatch(request)
            except ClientDisconnected:
                return
        elif admin[0] != request.method:
            status, headers = 405, [(b"allow", admin[0].encode())]
            body = to_json({"message": f"method: {request.path} accepts {admin[0]}"})
        else:
            status, body, headers = 200, to_json(admin[1](self.server)), []
        headers += [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.server.store.close()
                await send({"type": "lifespan.shutdown.complete"})
                return


def _health(server: MockServer) -> Json:
    return {"status": "ok", "database": server.store.path}


def _reset(server: MockServer) -> Json:
    server.reset()
    return {"status": "reset"}


# Outside /api/, so not part of the Octave contract: path -> (method, handler).
ADMIN_ROUTES = {"/_mock/health": ("GET", _health), "/_mock/reset": ("POST", _reset)}


def create_app(settings: Settings | None = None) -> MockApp:
    """Build the mock app; start-up errors (spec, seed, database) raise here."""
    return MockApp(MockServer(settings or Settings()))
