"""Deliberately broken variants of the mock, each with one defect the contract must catch.

Each variant is the real mock with one thing wrapped or swapped: an ASGI
wrapper that rewrites a request or a response, or a store write that is
dropped. Nothing of the mock is copied.
"""

from __future__ import annotations

import copy
import itertools
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from octave_contract.probes import PROBE_CHECK
from octave_contract.run_inputs import mock_inputs
from octave_mock import Settings, create_app
from octave_mock.app import MockApp

Headers = list[tuple[bytes, bytes]]
ResponseRewrite = Callable[[Scope, int, Headers, bytes], tuple[int, Headers, bytes]]
ScopeRewrite = Callable[[Scope], Scope]

INPUTS = mock_inputs()
SEEDED_KEY = INPUTS.key.encode()
READ_ONLY_KEY = str(INPUTS.read_only_key).encode()
OTHER_WORKSPACE_KEY = str(INPUTS.other_key).encode()
PRODUCT_PATH = "/api/v2/product/get"
SEGMENT_PATH = "/api/v2/segment/get"
UPDATE_PATH = "/api/v2/reference/update"


def rewriting_responses(app: ASGIApp, rewrite: ResponseRewrite) -> ASGIApp:
    """Buffer each HTTP response of `app` and pass it through `rewrite`."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            status, headers, body = rewrite(
                scope, start["status"], start["headers"], b"".join(chunks)
            )
            headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await app(scope, receive, capture)

    return wrapped


def rewriting_requests(app: ASGIApp, rewrite: ScopeRewrite) -> ASGIApp:
    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        await app(rewrite(scope) if scope["type"] == "http" else scope, receive, send)

    return wrapped


def query_oid(scope: Scope) -> str:
    values: list[str] = parse_qs(scope["query_string"].decode()).get("oId", [""])
    return values[0]


def drop_product_oid(
    scope: Scope, status: int, headers: Headers, body: bytes
) -> tuple[int, Headers, bytes]:
    if scope["path"] == PRODUCT_PATH and status == 200:
        doc = json.loads(body)
        del doc["oId"]
        body = json.dumps(doc).encode()
    return status, headers, body


def segment_rejected_as_text(
    scope: Scope, status: int, headers: Headers, body: bytes
) -> tuple[int, Headers, bytes]:
    if scope["path"] == SEGMENT_PATH and status == 200:
        doc = json.loads(body)
        doc["rejected"] = "no"
        body = json.dumps(doc).encode()
    return status, headers, body


def crash_on_service(
    scope: Scope, status: int, headers: Headers, body: bytes
) -> tuple[int, Headers, bytes]:
    """Valid input, a seeded SERVICE offering, makes the server fail."""
    if scope["path"] == PRODUCT_PATH and query_oid(scope) == "p_acme_sprint":
        error = {"_metadata": {"message": "Internal Server Error"}, "message": "boom"}
        return 500, headers, json.dumps(error).encode()
    return status, headers, body


def gone_instead_of_not_found(
    scope: Scope, status: int, headers: Headers, body: bytes
) -> tuple[int, Headers, bytes]:
    return (410 if status == 404 else status), headers, body


def text_content_type(
    scope: Scope, status: int, headers: Headers, body: bytes
) -> tuple[int, Headers, bytes]:
    kept = [(k, v) for k, v in headers if k.lower() != b"content-type"]
    return status, [*kept, (b"content-type", b"text/plain; charset=utf-8")], body


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
        before = copy.deepcopy(server.operations.find("reference", caller, body["oId"]))
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


def json_rewrite(change: Callable[[Scope, int, dict[str, Any]], None]) -> ResponseRewrite:
    """Answers with a JSON body, edited in place by `change`."""

    def rewrite(
        scope: Scope, status: int, headers: Headers, body: bytes
    ) -> tuple[int, Headers, bytes]:
        doc = json.loads(body) if body.startswith(b"{") else None
        if doc is None:
            return status, headers, body
        change(scope, status, doc)
        return status, headers, json.dumps(doc).encode()

    return rewrite


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
]


def build(variant: Variant) -> ASGIApp:
    return variant.build(create_app(Settings()))
