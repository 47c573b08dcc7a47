"""The generated client sends what the contract says and reads every documented answer."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

import httpx
import pytest
from octave_client import AuthenticatedClient
from octave_client.api.product import get_product
from octave_client.api.reference import update_reference
from octave_client.api.segment import get_segment
from octave_client.models import (
    Error,
    Metadata,
    Product,
    Segment,
    UpdateReferenceRequest,
    UpdateReferenceResponse,
)
from octave_client.types import Response

from tests.openapi_document import load_openapi, operations

ReadExample = Callable[[str], dict[str, Any]]

BASE_URL = "https://octave.test"
API_KEY = "oct_test_4f9a2c7e1b8d"
MODES = ("sync", "asyncio")
OPERATION_IDS = ("getProduct", "getSegment", "updateReference")
O_IDS = {"getProduct": "p_1234", "getSegment": "sg_1234", "updateReference": "r_1234"}
SUCCESS_EXAMPLES = {
    "getProduct": "ProductDocs",
    "getSegment": "SegmentDocs",
    "updateReference": "UpdateReferenceResponseDocs",
}
PARTIAL_UPDATE = UpdateReferenceRequest(
    o_id="r_1234", impact_they_saw=["Reduced customer onboarding time by 60%"]
)
ERROR_CASES = [
    (operation_id, int(status))
    for operation_id, _method, _path, operation in operations(load_openapi())
    for status in operation["responses"]
    if not status.startswith("2")
]


class Server:
    """An httpx.MockTransport that records each request and answers with a canned response."""

    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        self.status = status
        self.body = body
        self.headers = headers or {}
        self.requests: list[httpx.Request] = []
        self.transport = httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Record the request; answer with the configured status, JSON body and headers."""
        self.requests.append(request)
        return httpx.Response(self.status, json=self.body, headers=self.headers)

    @property
    def request(self) -> httpx.Request:
        """The one request the client sent."""
        if len(self.requests) != 1:
            raise AssertionError(f"expected one request, got {self.requests}")
        return self.requests[0]


def ok_server(read_example: ReadExample, operation_id: str) -> Server:
    """A server answering 200 with the docs' example answer of the operation."""
    return Server(200, read_example(SUCCESS_EXAMPLES[operation_id]))


def make_client(server: Server) -> AuthenticatedClient:
    """A client set up for Octave (`api_key` header, no prefix, a timeout) on the mock transport."""
    return AuthenticatedClient(
        base_url=BASE_URL,
        token=API_KEY,
        prefix="",
        auth_header_name="api_key",
        timeout=httpx.Timeout(5.0),
        httpx_args={"transport": server.transport},
    )


def call_detailed(
    server: Server,
    operation_id: str,
    mode: str,
    body: UpdateReferenceRequest = PARTIAL_UPDATE,
) -> Response[Any]:
    """Call an operation's *_detailed function, sync or asyncio, on a fresh client."""
    client = make_client(server)
    if mode == "sync":
        with client:
            if operation_id == "getProduct":
                return get_product.sync_detailed(client=client, o_id=O_IDS[operation_id])
            if operation_id == "getSegment":
                return get_segment.sync_detailed(client=client, o_id=O_IDS[operation_id])
            return update_reference.sync_detailed(client=client, body=body)

    async def run() -> Response[Any]:
        async with client:
            if operation_id == "getProduct":
                return await get_product.asyncio_detailed(client=client, o_id=O_IDS[operation_id])
            if operation_id == "getSegment":
                return await get_segment.asyncio_detailed(client=client, o_id=O_IDS[operation_id])
            return await update_reference.asyncio_detailed(client=client, body=body)

    return asyncio.run(run())


def call_parsed(server: Server, operation_id: str, mode: str) -> object:
    """Call an operation's sync() or asyncio() function on a fresh client; return what it parsed."""
    client = make_client(server)
    if mode == "sync":
        with client:
            if operation_id == "getProduct":
                return get_product.sync(client=client, o_id=O_IDS[operation_id])
            if operation_id == "getSegment":
                return get_segment.sync(client=client, o_id=O_IDS[operation_id])
            return update_reference.sync(client=client, body=PARTIAL_UPDATE)

    async def run() -> object:
        async with client:
            if operation_id == "getProduct":
                return await get_product.asyncio(client=client, o_id=O_IDS[operation_id])
            if operation_id == "getSegment":
                return await get_segment.asyncio(client=client, o_id=O_IDS[operation_id])
            return await update_reference.asyncio(client=client, body=PARTIAL_UPDATE)

    return asyncio.run(run())


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("operation_id", OPERATION_IDS)
def test_api_key_is_sent_verbatim_in_api_key_header(
    read_example: ReadExample, operation_id: str, mode: str
) -> None:
    """The key goes in the `api_key` header exactly, with no Bearer prefix and no Authorization."""
    server = ok_server(read_example, operation_id)
    call_detailed(server, operation_id, mode)
    headers = server.request.headers
    expected: dict[str, object] = {
        "api_key": API_KEY,
        "authorization": None,
        "bearer anywhere": [],
    }
    actual = {
        "api_key": headers.get("api_key"),
        "authorization": headers.get("authorization"),
        "bearer anywhere": [name for name, value in headers.items() if "bearer" in value.lower()],
    }
    assert expected == actual


@pytest.mark.parametrize("mode", MODES)
def test_timeout_is_passed_to_the_request(read_example: ReadExample, mode: str) -> None:
    """The timeout given to the client reaches the request (the generated default is none)."""
    server = ok_server(read_example, "getProduct")
    call_detailed(server, "getProduct", mode)
    expected = {"connect": 5.0, "read": 5.0, "write": 5.0, "pool": 5.0}
    assert expected == server.request.extensions["timeout"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("operation_id", "path"),
    [("getProduct", "/api/v2/product/get"), ("getSegment", "/api/v2/segment/get")],
)
def test_get_sends_o_id_as_query_parameter(
    read_example: ReadExample, operation_id: str, path: str, mode: str
) -> None:
    """Get Product and Get Segment are GETs with `oId` as the only query parameter and no body."""
    server = ok_server(read_example, operation_id)
    call_detailed(server, operation_id, mode)
    request = server.request
    expected = ("GET", "octave.test", path, [("oId", O_IDS[operation_id])], b"")
    actual = (
        request.method,
        request.url.host,
        request.url.path,
        list(request.url.params.multi_items()),
        request.content,
    )
    assert expected == actual


@pytest.mark.parametrize("mode", MODES)
def test_update_reference_posts_only_the_set_fields(read_example: ReadExample, mode: str) -> None:
    """Update Reference POSTs JSON holding oId and the set fields only: a partial update."""
    server = ok_server(read_example, "updateReference")
    call_detailed(server, "updateReference", mode)
    request = server.request
    expected = (
        "POST",
        "/api/v2/reference/update",
        b"",
        "application/json",
        {"oId": "r_1234", "impactTheySaw": ["Reduced customer onboarding time by 60%"]},
    )
    actual = (
        request.method,
        request.url.path,
        request.url.query,
        request.headers.get("content-type"),
        json.loads(request.content),
    )
    assert expected == actual


@pytest.mark.parametrize("mode", MODES)
def test_update_reference_sends_the_docs_body_unchanged(
    read_example: ReadExample, docs_update_request: dict[str, Any], mode: str
) -> None:
    """A request built from the docs' body is sent as exactly that JSON."""
    server = ok_server(read_example, "updateReference")
    body = UpdateReferenceRequest.from_dict(docs_update_request)
    call_detailed(server, "updateReference", mode, body=body)
    assert docs_update_request == json.loads(server.request.content)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("operation_id", "model"),
    [
        ("getProduct", Product),
        ("getSegment", Segment),
        ("updateReference", UpdateReferenceResponse),
    ],
)
def test_success_parses_to_the_operation_model(
    read_example: ReadExample, operation_id: str, model: type[object], mode: str
) -> None:
    """A 200 with the docs' example answer parses to the operation's model."""
    parsed = call_parsed(ok_server(read_example, operation_id), operation_id, mode)
    assert isinstance(parsed, model), f"got {type(parsed).__name__}"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("operation_id", "status"), ERROR_CASES, ids=[f"{op}-{status}" for op, status in ERROR_CASES]
)
def test_documented_error_parses_to_error(
    read_example: ReadExample, operation_id: str, status: int, mode: str
) -> None:
    """Every documented error status with an Error body parses to Error, message and metadata."""
    body = read_example("NotFound")
    body["message"] = f"status {status}"
    parsed = call_parsed(Server(status, body), operation_id, mode)
    assert isinstance(parsed, Error)
    assert isinstance(parsed.field_metadata, Metadata)
    expected = (f"status {status}", "req_1d6f3a8c5b2e9074")
    assert expected == (parsed.message, parsed.field_metadata.request_id)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("operation_id", OPERATION_IDS)
def test_detailed_429_gives_status_and_retry_after(
    read_example: ReadExample, operation_id: str, mode: str
) -> None:
    """*_detailed on a 429 returns the status, the Retry-After header and the parsed Error."""
    body = read_example("NotFound")
    server = Server(429, body, headers={"Retry-After": "30"})
    response = call_detailed(server, operation_id, mode)
    assert isinstance(response.parsed, Error)
    expected = (HTTPStatus.TOO_MANY_REQUESTS, "30", body)
    actual = (
        response.status_code,
        response.headers.get("Retry-After"),
        json.loads(response.content),
    )
    assert expected == actual


@pytest.mark.parametrize("mode", MODES)
def test_undocumented_status_parses_to_none(read_example: ReadExample, mode: str) -> None:
    """A status the operation does not document (409 on Get Product) gives parsed None, no error."""
    server = Server(409, read_example("NotFound"))
    response = call_detailed(server, "getProduct", mode)
    expected = (HTTPStatus.CONFLICT, None)
    assert expected == (response.status_code, response.parsed)
