"""Deliberately broken variants of the mock, each with one defect the contract must catch.

Each variant is the real mock with one thing wrapped or swapped: an ASGI
wrapper that rewrites a request or a response, or a store write that is
dropped. Nothing of the mock is copied.
"""

from __future__ import annotations

import http.client
import itertools
import json
import random
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from octave_contract import principles
from octave_contract.principles import operations_of
from octave_contract.probes import PROBE_CHECK
from octave_contract.run_inputs import mock_inputs
from octave_contract.run_state import load_schema
from octave_mock import Settings, create_app
from octave_mock.app import MockApp
from tests.rewriting import (
    PRODUCT_PATH,
    SEGMENT_PATH,
    Headers,
    ResponseRewrite,
    drop_product_oid,
    gone_instead_of_not_found,
    json_rewrite,
    rewriting_responses,
    segment_rejected_as_text,
    text_content_type,
)

ScopeRewrite = Callable[[Scope], Scope]

INPUTS = mock_inputs()
SEEDED_KEY = INPUTS.key.encode()
READ_ONLY_KEY = str(INPUTS.read_only_key).encode()
OTHER_WORKSPACE_KEY = str(INPUTS.other_key).encode()
UPDATE_PATH = "/api/v2/reference/update"


def rewriting_requests(app: ASGIApp, rewrite: ScopeRewrite) -> ASGIApp:
    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        await app(rewrite(scope) if scope["type"] == "http" else scope, receive, send)

    return wrapped


def query_oid(scope: Scope) -> str:
    values: list[str] = parse_qs(scope["query_string"].decode()).get("oId", [""])
    return values[0]


def crash_on_service(
    scope: Scope, status: int, headers: Headers, body: bytes
) -> tuple[int, Headers, bytes]:
    """Valid input, a seeded SERVICE offering, makes the server fail."""
    if scope["path"] == PRODUCT_PATH and query_oid(scope) == "p_acme_sprint":
        error = {"_metadata": {"message": "Internal Server Error"}, "message": "boom"}
        return 500, headers, json.dumps(error).encode()
    return status, headers, body


def any_key_accepted(scope: Scope) -> Scope:
    headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"api_key"]
    return {**scope, "headers": [*headers, (b"api_key", SEEDED_KEY)]}


def key_swapped(method: str, swapped: bytes) -> ScopeRewrite:
    """Requests of `method` that carry the `swapped` key run as the seeded read-write key."""

    def rewrite(scope: Scope) -> Scope:
        if scope["method"] != method:
            return scope
        headers = [
            (k, SEEDED_KEY if k.lower() == b"api_key" and v == swapped else v)
            for k, v in scope["headers"]
        ]
        return {**scope, "headers": headers}

    return rewrite


def new_created_at_on_update(
    scope: Scope, status: int, headers: Headers, body: bytes
) -> tuple[int, Headers, bytes]:
    if scope["path"] == UPDATE_PATH and status == 200:
        doc = json.loads(body)
        doc["data"]["createdAt"] = datetime.now(UTC).isoformat()
        body = json.dumps(doc).encode()
    return status, headers, body


def flipping_workspace() -> ResponseRewrite:
    """About half the 200 reads, at random, answer under the other workspace's oId."""
    coin = random.Random(0)

    def rewrite(
        scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        if scope["method"] == "GET" and status == 200 and coin.random() < 0.5:
            doc = json.loads(body)
            doc["workspace"]["oId"] = "wa_globex001"
            body = json.dumps(doc).encode()
        return status, headers, body

    return rewrite


def answering_the_old_state(app: MockApp) -> ASGIApp:
    """Store the update, but answer the reference as it was before it."""
    server = app.server
    update = server.handlers["updateReference"]

    def old_state(op: Any, caller: Any, params: Any, body: Any) -> Any:
        before = server.store.get("reference", caller.workspace_oid, body["oId"])
        update(op, caller, params, body)
        return {"data": before}

    server.handlers["updateReference"] = old_state
    return app


def wiping_unsent_fields(app: MockApp) -> ASGIApp:
    """An update also clears every data field it did not send."""
    server = app.server
    update = server.handlers["updateReference"]

    def wiping(op: Any, caller: Any, params: Any, body: Any) -> Any:
        answer = update(op, caller, params, body)
        doc = answer["data"]
        doc["data"] = {k: v for k, v in (doc.get("data") or {}).items() if k in body}
        server.store.put("reference", caller.workspace_oid, doc)
        return answer

    server.handlers["updateReference"] = wiping
    return app


def no_retry_after(
    scope: Scope, status: int, headers: Headers, body: bytes
) -> tuple[int, Headers, bytes]:
    if status == 429:
        headers = [(k, v) for k, v in headers if k.lower() != b"retry-after"]
    return status, headers, body


def errors_off_the_contract(
    scope: Scope, status: int, headers: Headers, body: bytes
) -> tuple[int, Headers, bytes]:
    """The statuses no generated input provokes answer a body that is not `Error`."""
    if status in {403, 413, 429, 500}:
        body = json.dumps({"error": {"code": status}}).encode()
    return status, headers, body


def always_the_first_product(scope: Scope) -> Scope:
    if scope["path"] == PRODUCT_PATH and query_oid(scope):
        return {**scope, "query_string": b"oId=p_acme_api"}
    return scope


def forgetting_updates(app: MockApp) -> ASGIApp:
    """Answer updates as if stored, but never write references."""
    put = app.server.store.put

    def put_all_but_references(kind: str, workspace_oid: str, doc: dict[str, object]) -> None:
        if kind != "reference":
            put(kind, workspace_oid, doc)

    app.server.store.put = put_all_but_references  # type: ignore[method-assign]
    return app


def update_answer(change: Callable[[dict[str, Any]], None]) -> ResponseRewrite:
    """Every 200 update's reference, edited by `change`."""

    def edit(scope: Scope, status: int, doc: dict[str, Any]) -> None:
        if scope["path"] == UPDATE_PATH and status == 200:
            change(doc["data"])

    return json_rewrite(edit)


def frozen_updated_at(reference: dict[str, Any]) -> None:
    reference["updatedAt"] = "2026-01-05T08:30:00.000Z"


def clock_running_backwards() -> Callable[[dict[str, Any]], None]:
    """Each update answers an updatedAt a minute before the previous one's."""
    minutes = itertools.count()
    start = datetime(2099, 1, 1, tzinfo=UTC)

    def stamp(reference: dict[str, Any]) -> None:
        reference["updatedAt"] = (start - timedelta(minutes=next(minutes))).isoformat()

    return stamp


def product_updated_before_created(scope: Scope, status: int, doc: dict[str, Any]) -> None:
    if scope["path"] == PRODUCT_PATH and status == 200:
        doc["updatedAt"] = "2000-01-01T00:00:00.000Z"


def clock_an_hour_behind(scope: Scope, status: int, doc: dict[str, Any]) -> None:
    if isinstance(doc.get("_metadata"), dict):
        late = datetime.now(UTC) - timedelta(hours=1)
        doc["_metadata"]["timestamp"] = late.isoformat(timespec="milliseconds")


def constant_request_id(
    scope: Scope, status: int, headers: Headers, body: bytes
) -> tuple[int, Headers, bytes]:
    """Every answer carries the same request id, in its header and its body alike."""
    same = "req_0000000000000000"
    headers = [(k, same.encode() if k.lower() == b"x-request-id" else v) for k, v in headers]
    if body.startswith(b"{"):
        doc = json.loads(body)
        if isinstance(doc.get("_metadata"), dict):
            doc["_metadata"]["requestId"] = same
            body = json.dumps(doc).encode()
    return status, headers, body


def header_request_id_of_its_own(
    scope: Scope, status: int, headers: Headers, body: bytes
) -> tuple[int, Headers, bytes]:
    """X-Request-Id is not the request id the body's _metadata carries."""
    fresh = f"req_{random.getrandbits(64):016x}".encode()
    return status, [(k, fresh if k.lower() == b"x-request-id" else v) for k, v in headers], body


Leak = Callable[[Scope, int, Headers, bytes], tuple[int, Headers, bytes]]


def telling_foreign_objects_apart(leak: Leak) -> Callable[[MockApp], ASGIApp]:
    """The other workspace's key, asking for an object this seed holds elsewhere, gets `leak`'s
    version of its 404 (the mock's 404 names the oId it was asked for)."""

    def build(app: MockApp) -> ASGIApp:
        seeded = {entry.doc["oId"] for entry in app.server.seed.entries}

        def rewrite(
            scope: Scope, status: int, headers: Headers, body: bytes
        ) -> tuple[int, Headers, bytes]:
            key = dict(scope["headers"]).get(b"api_key")
            words = set(json.loads(body).get("message", "").split()) if status == 404 else set()
            if key == OTHER_WORKSPACE_KEY and words & seeded:
                return leak(scope, status, headers, body)
            return status, headers, body

        return rewriting_responses(app, rewrite)

    return build


def forbidden_on_reads(
    scope: Scope, status: int, headers: Headers, body: bytes
) -> tuple[int, Headers, bytes]:
    return (403 if scope["method"] == "GET" else status), headers, body


def hinting_header(
    scope: Scope, status: int, headers: Headers, body: bytes
) -> tuple[int, Headers, bytes]:
    return status, [*headers, (b"x-octave-owner", b"another-workspace")], body


def naming_the_owner_on_updates(
    scope: Scope, status: int, headers: Headers, body: bytes
) -> tuple[int, Headers, bytes]:
    if scope["method"] != "POST":
        return status, headers, body
    doc = json.loads(body)
    doc["message"] = "oId: that reference belongs to another workspace"
    return status, headers, json.dumps(doc).encode()


# -- Principles: writes on error answers, keys and kinds beyond their own, equivalent forms --

KIND_OF_PATH = {PRODUCT_PATH: "product", SEGMENT_PATH: "segment", UPDATE_PATH: "reference"}


@dataclass(frozen=True)
class Seeded:
    """Who owns what in the mock's seed, as a broken server would look it up."""

    owner: dict[str, str]  # oId -> workspace
    kind: dict[str, str]  # oId -> kind
    workspace: dict[bytes, str]  # key -> workspace
    writer: dict[str, bytes]  # workspace -> a read-write key of it

    @classmethod
    def of(cls, app: MockApp) -> Seeded:
        seed = app.server.seed
        return cls(
            {e.doc["oId"]: e.workspace_oid for e in seed.entries},
            {e.doc["oId"]: e.kind for e in seed.entries},
            {k.key.encode(): k.workspace_oid for k in seed.keys},
            {k.workspace_oid: k.key.encode() for k in reversed(seed.keys) if not k.read_only},
        )


async def discard(message: Message) -> None:
    """Where the answer of a request the broken server sends on its own goes."""


@dataclass(frozen=True)
class Call:
    """A request read whole, to send on to the mock as it is or changed."""

    scope: Scope
    body: bytes

    @property
    def key(self) -> bytes | None:
        return dict(self.scope["headers"]).get(b"api_key")

    @property
    def content_type(self) -> bytes:
        return bytes(dict(self.scope["headers"]).get(b"content-type", b""))

    @property
    def document(self) -> object:
        """The body as JSON, whatever its Content-Type says; None when it is not JSON."""
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    @property
    def oid(self) -> str | None:
        """The oId named in the query, or in the body."""
        if self.scope["query_string"]:
            return query_oid(self.scope) or None
        document = self.document
        value = document.get("oId") if isinstance(document, dict) else None
        return value if isinstance(value, str) else None

    def changed(
        self,
        *,
        key: bytes | None = None,
        method: str | None = None,
        path: str | None = None,
        query: bytes | None = None,
        body: bytes | None = None,
    ) -> Call:
        headers = [(k, key if k == b"api_key" and key else v) for k, v in self.scope["headers"]]
        if body is not None:  # a body of the broken server's own: JSON, and nothing else asked
            dropped = {b"content-type", b"content-length", b"prefer"}
            headers = [(k, v) for k, v in headers if k not in dropped]
            headers += [
                (b"content-type", b"application/json"),
                (b"content-length", b"%d" % len(body)),
            ]
        scope = {**self.scope, "headers": headers}
        if method is not None:
            scope["method"] = method
        if path is not None:
            scope.update(path=path, raw_path=path.encode())
        if query is not None:
            scope["query_string"] = query
        return Call(scope, self.body if body is None else body)

    async def send_to(self, app: ASGIApp, send: Send) -> int:
        """The mock's answer to this request, passed to `send`; its status."""
        status = 0
        delivered = False

        async def receive() -> Message:
            nonlocal delivered
            if delivered:
                return {"type": "http.disconnect"}
            delivered = True
            return {"type": "http.request", "body": self.body, "more_body": False}

        async def passing_on(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        await app(self.scope, receive, passing_on)
        return status


def intercepting(app: ASGIApp, handle: Callable[[Call, Send], Awaitable[None]]) -> ASGIApp:
    """Each HTTP request of `app`, read whole, goes to `handle` instead."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        chunks, more = [], True
        while more:
            message = await receive()
            chunks.append(message.get("body", b""))
            more = message["type"] == "http.request" and message.get("more_body", False)
        await handle(Call(scope, b"".join(chunks)), send)

    return wrapped


def writing_although_refused(status: int) -> Callable[[MockApp], ASGIApp]:
    """An update answered `status` still stores every member the mock takes on its own."""

    def build(app: MockApp) -> ASGIApp:
        seeded = Seeded.of(app)

        async def handle(call: Call, send: Send) -> None:
            answered = await call.send_to(app, send)
            oid, document = call.oid, call.document
            if answered != status or call.scope["path"] != UPDATE_PATH:
                return
            if oid not in seeded.owner or not isinstance(document, dict):
                return
            writer = seeded.writer[seeded.owner[oid]]
            for name, value in document.items():
                member = json.dumps({"oId": oid, name: value}).encode()
                await call.changed(key=writer, method="POST", body=member).send_to(app, discard)

        return intercepting(app, handle)

    return build


def reaching_other_workspaces(role_key: bytes) -> Callable[[MockApp], ASGIApp]:
    """Requests under `role_key` that name another workspace's object run as its owner's."""

    def build(app: MockApp) -> ASGIApp:
        seeded = Seeded.of(app)

        async def handle(call: Call, send: Send) -> None:
            owner = seeded.owner.get(call.oid or "")
            if call.key == role_key and owner not in (None, seeded.workspace[role_key]):
                call = call.changed(key=seeded.writer[str(owner)])
            await call.send_to(app, send)

        return intercepting(app, handle)

    return build


def serving_other_kinds(kind: str) -> Callable[[MockApp], ASGIApp]:
    """An oId of `kind`, asked of another kind's operation, is answered by its own kind's."""

    def build(app: MockApp) -> ASGIApp:
        seeded = Seeded.of(app)

        async def handle(call: Call, send: Send) -> None:
            oid = call.oid or ""
            asked = KIND_OF_PATH.get(call.scope["path"])
            mine = seeded.owner.get(oid) == seeded.workspace.get(call.key or b"")
            if asked not in (None, kind) and seeded.kind.get(oid) == kind and mine:
                if kind == "reference":  # read by an update that sends only its oId
                    body = json.dumps({"oId": oid}).encode()
                    call = call.changed(method="POST", path=UPDATE_PATH, query=b"", body=body)
                else:
                    path = next(p for p, k in KIND_OF_PATH.items() if k == kind)
                    query = urlencode({"oId": oid}).encode()
                    call = call.changed(method="GET", path=path, query=query, body=b"")
            await call.send_to(app, send)

        return intercepting(app, handle)

    return build


def refusing(form: Callable[[Call], bool]) -> Callable[[MockApp], ASGIApp]:
    """A request in `form` is spoilt before the mock sees it: its body, or its query, emptied
    of meaning, as a server that does not know the form fails to read it."""

    def build(app: MockApp) -> ASGIApp:
        async def handle(call: Call, send: Send) -> None:
            if form(call):
                call = call.changed(body=b"{") if call.body else call.changed(query=b"")
            await call.send_to(app, send)

        return intercepting(app, handle)

    return build


def first_member(call: Call) -> str | None:
    """The name of the body's first member, as an order-minded parser would take it."""
    try:
        pairs = json.loads(call.body, object_pairs_hook=list)
    except ValueError:
        return None
    first = pairs[0] if isinstance(pairs, list) and pairs else None
    return first[0] if isinstance(first, tuple) else None


# One broken server per form of EQUIVALENT_FORMS (a test keeps them alike): each fails to
# read that form alone. The header-name forms need a socket: ASGI lowers header names.
REFUSED_FORMS: dict[str, Callable[[Call], bool]] = {
    "a charset parameter on the media type": lambda call: b"charset=utf-8" in call.content_type,
    "the media type in other letter case": lambda call: (
        call.content_type.split(b";")[0] != call.content_type.split(b";")[0].lower()
    ),
    "a parameter without whitespace, its name and value in capitals": lambda call: (
        b";" in call.content_type and b"; " not in call.content_type
    ),
    "JSON members in another order": lambda call: first_member(call) not in (None, "oId"),
    "JSON with whitespace between its tokens": lambda call: b"\n" in call.body,
    "the query value percent-encoded, in lower-case hex": lambda call: (
        b"%" in call.scope["query_string"]
    ),
}


class Forwarding(BaseHTTPRequestHandler):
    """Sends each request on to the mock, but for the header fields its server cannot read."""

    server: HeaderReadingProxy
    protocol_version = "HTTP/1.1"
    # The head and the body go out in two writes: without TCP_NODELAY the body waits for the
    # client's delayed ACK, some 40 ms a request.
    disable_nagle_algorithm = True

    def forward(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        upstream = http.client.HTTPConnection(self.server.upstream, timeout=30)
        upstream.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
        for name, value in self.headers.items():
            if not self.server.unread(name):
                upstream.putheader(name, value)
        upstream.endheaders(body or None)
        answer = upstream.getresponse()
        content = answer.read()
        upstream.close()
        self.send_response_only(answer.status)
        for name, value in answer.getheaders():
            if name.lower() not in {"content-length", "connection", "transfer-encoding"}:
                self.send_header(name, value)
        self.send_header("content-length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    do_GET = do_POST = forward

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the contract's requests are no news."""


class HeaderReadingProxy(ThreadingHTTPServer):
    def __init__(self, upstream: str, unread: Callable[[str], bool]) -> None:
        super().__init__(("127.0.0.1", 0), Forwarding)
        self.upstream = urlsplit(upstream).netloc
        self.unread = unread


@dataclass(frozen=True)
class SocketVariant:
    """A broken server only a socket can show: a proxy in front of the mock served on one."""

    name: str
    expected_check: str
    unread: Callable[[str], bool]  # header names its server does not read

    @contextmanager
    def serving(self, mock_url: str) -> Iterator[str]:
        proxy = HeaderReadingProxy(mock_url, self.unread)
        thread = threading.Thread(target=proxy.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{proxy.server_address[1]}"
        finally:
            proxy.shutdown()
            proxy.server_close()
            thread.join()


def key_header_spelt(test: Callable[[str], bool]) -> Callable[[str], bool]:
    return lambda name: name.lower() == "api_key" and name != "api_key" and test(name)


SOCKET_VARIANTS = [
    SocketVariant(
        "the key header in capitals goes unread",
        principles.EQUIVALENT_FORMS_ALIKE,
        key_header_spelt(str.isupper),
    ),
    SocketVariant(
        "the key header capitalised goes unread",
        principles.EQUIVALENT_FORMS_ALIKE,
        key_header_spelt(lambda name: not name.isupper()),
    ),
]
# Which form each socket variant's server fails to read.
SOCKET_FORMS = {
    "header names in capitals": SOCKET_VARIANTS[0],
    "header names capitalised": SOCKET_VARIANTS[1],
}


def spec_document() -> dict[str, Any]:
    return dict(load_schema(INPUTS).raw_schema)


# Every error status the spec documents for an operation that changes state.
WRITE_ERROR_STATUSES = sorted(
    {
        s
        for op in operations_of(spec_document())
        if op.changes_state
        for s in op.statuses
        if s >= 400
    }
)
KEY_ROLES = {"read-write": SEEDED_KEY, "read-only": READ_ONLY_KEY}


@dataclass(frozen=True)
class Variant:
    name: str
    expected_check: str
    build: Callable[[MockApp], ASGIApp]


VARIANTS = [
    Variant(
        "required field missing",
        "response_schema_conformance",
        lambda app: rewriting_responses(app, drop_product_oid),
    ),
    Variant(
        "field of the wrong type",
        "response_schema_conformance",
        lambda app: rewriting_responses(app, segment_rejected_as_text),
    ),
    Variant(
        "500 on valid input",
        "not_a_server_error",
        lambda app: rewriting_responses(app, crash_on_service),
    ),
    Variant(
        "auth not enforced", "ignored_auth", lambda app: rewriting_requests(app, any_key_accepted)
    ),
    Variant(
        "undocumented status",
        "status_code_conformance",
        lambda app: rewriting_responses(app, gone_instead_of_not_found),
    ),
    Variant(
        "wrong Content-Type",
        "content_type_conformance",
        lambda app: rewriting_responses(app, text_content_type),
    ),
    Variant("update not persisted", "update_is_persisted", forgetting_updates),
    Variant(
        "requested oId ignored",
        "requested_object_returned",
        lambda app: rewriting_requests(app, always_the_first_product),
    ),
    Variant(
        "read-only key's update carried out",
        "read_only_key_cannot_write",
        lambda app: rewriting_requests(app, key_swapped("POST", READ_ONLY_KEY)),
    ),
    Variant(
        "another workspace's object served",
        "other_workspace_cannot_read",
        lambda app: rewriting_requests(app, key_swapped("GET", OTHER_WORKSPACE_KEY)),
    ),
    Variant(
        "another workspace's update carried out",
        "other_workspace_is_refused",
        lambda app: rewriting_requests(app, key_swapped("POST", OTHER_WORKSPACE_KEY)),
    ),
    Variant(
        "createdAt changes on update",
        "identity_is_stable",
        lambda app: rewriting_responses(app, new_created_at_on_update),
    ),
    Variant(
        "workspace flips",
        "identity_is_stable",
        lambda app: rewriting_responses(app, flipping_workspace()),
    ),
    Variant(
        "update answers the old state", "update_answer_is_stored_state", answering_the_old_state
    ),
    Variant("update not partial", "partial_update_keeps_other_fields", wiping_unsent_fields),
    Variant(
        "429 without Retry-After",
        PROBE_CHECK,
        lambda app: rewriting_responses(app, no_retry_after),
    ),
    Variant(
        "rare errors off the contract",
        PROBE_CHECK,
        lambda app: rewriting_responses(app, errors_off_the_contract),
    ),
    Variant(
        "updatedAt does not move",
        "updated_at_moves_forward",
        lambda app: rewriting_responses(app, update_answer(frozen_updated_at)),
    ),
    Variant(
        "updatedAt runs backwards",
        "updated_at_moves_forward",
        lambda app: rewriting_responses(app, update_answer(clock_running_backwards())),
    ),
    Variant(
        "updatedAt before createdAt",
        "updated_at_moves_forward",
        lambda app: rewriting_responses(app, json_rewrite(product_updated_before_created)),
    ),
    Variant(
        "server clock an hour behind",
        "metadata_timestamp_is_now",
        lambda app: rewriting_responses(app, json_rewrite(clock_an_hour_behind)),
    ),
    Variant(
        "one request id for every answer",
        "request_ids_identify",
        lambda app: rewriting_responses(app, constant_request_id),
    ),
    Variant(
        "X-Request-Id unlike _metadata.requestId",
        "request_ids_identify",
        lambda app: rewriting_responses(app, header_request_id_of_its_own),
    ),
    Variant(
        "another workspace's object answers 403 on reads",
        "foreign_object_is_not_disclosed",
        telling_foreign_objects_apart(forbidden_on_reads),
    ),
    Variant(
        "a header tells another workspace's object apart",
        "foreign_object_is_not_disclosed",
        telling_foreign_objects_apart(hinting_header),
    ),
    Variant(
        "an update's 404 says the reference is another workspace's",
        "foreign_object_is_not_disclosed",
        telling_foreign_objects_apart(naming_the_owner_on_updates),
    ),
    *[
        Variant(
            f"an update answered {status} still writes",
            principles.NO_ERROR_CHANGES,
            writing_although_refused(status),
        )
        for status in WRITE_ERROR_STATUSES
    ],
    Variant(
        "an update answered 400 stores the valid members of a generated body",
        "refused_update_changes_nothing",
        writing_although_refused(400),
    ),
    *[
        Variant(
            f"the {role} key reaches another workspace's objects",
            principles.FOREIGN_LOOKS_ABSENT,
            reaching_other_workspaces(key),
        )
        for role, key in KEY_ROLES.items()
    ],
    *[
        Variant(
            f"a {kind}'s oId is found by other kinds' operations",
            principles.KINDS_KEEP_APART,
            serving_other_kinds(kind),
        )
        for kind in sorted(INPUTS.own_objects)
    ],
    *[
        Variant(f"{form} refused", principles.EQUIVALENT_FORMS_ALIKE, refusing(test))
        for form, test in REFUSED_FORMS.items()
    ],
]


def build(variant: Variant) -> ASGIApp:
    return variant.build(create_app(Settings()))
