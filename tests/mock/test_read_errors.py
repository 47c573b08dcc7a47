"""Errors of getProduct and getSegment, and of routing: status, Error body, field named."""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from pathlib import Path

import httpx
import pytest
from octave_client import AuthenticatedClient, Client
from octave_client.api.product import get_product
from octave_client.api.segment import get_segment
from octave_client.models import Error, Product, Segment
from octave_client.types import Response

from octave_mock.settings import Settings
from octave_mock.testing import RunningMock
from tests.mock.support import (
    DELETED_PRODUCT,
    FULL_SEGMENT,
    GLOBEX_PRODUCT,
    GLOBEX_SEGMENT,
    PRODUCT,
    PRODUCT_PATH,
    SEGMENT_PATH,
    TIMEOUT,
    TLS,
    UNKNOWN_KEY,
    UPDATE_PATH,
    ClientFor,
    StartMock,
    documented,
    error_of,
    new_client,
    outcome,
)

READ_PATHS = [PRODUCT_PATH, SEGMENT_PATH]


@pytest.mark.parametrize("path", READ_PATHS)
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "oId: is required"),
        ("?other=1", "oId: is required"),
        ("?oId=a&oId=b", "oId: give it once, not 2 times"),
    ],
    ids=["missing", "only-other-parameters", "repeated"],
)
def test_bad_oid_is_400_naming_it(
    http: httpx.Client, key_a: str, path: str, query: str, message: str
) -> None:
    """A missing or repeated `oId` is a 400 whose message names `oId`."""
    response = http.get(path + query, headers={"api_key": key_a})
    expected = (400, message)
    assert expected == (response.status_code, error_of(response).message)


def test_empty_oid_through_the_generated_client(client: AuthenticatedClient) -> None:
    """The generated client sends `oId=` for an empty string: it names no segment, a 404."""
    response = get_segment.sync_detailed(client=client, o_id="")
    expected = (404, "oId: no segment  in this workspace")
    assert isinstance(response.parsed, Error), response.content
    assert expected == (response.status_code, response.parsed.message)


def test_missing_key_is_401(mock: RunningMock) -> None:
    """Without the `api_key` header the answer is a 401 naming the header."""
    with Client(base_url=mock.base_url, timeout=TIMEOUT, verify_ssl=TLS) as anonymous:
        response = get_product.sync_detailed(client=anonymous, o_id=PRODUCT)
    assert isinstance(response.parsed, Error), response.content
    expected = (401, "api_key: header is required")
    assert expected == (response.status_code, response.parsed.message)


@pytest.mark.parametrize(
    "make_key",
    [lambda key: UNKNOWN_KEY, lambda key: f"Bearer {key}", str.upper],
    ids=["unknown", "bearer-prefixed", "wrong-case"],
)
def test_unknown_key_is_401(
    client_for: ClientFor, key_a: str, make_key: Callable[[str], str]
) -> None:
    """A key that names no workspace (nor a real key with a prefix or changed case) is a 401."""
    response = get_segment.sync_detailed(client=client_for(make_key(key_a)), o_id=FULL_SEGMENT)
    expected = (401, "api_key: Invalid API key")
    assert expected == outcome(response)


def test_unknown_deleted_and_foreign_products_look_alike(client: AuthenticatedClient) -> None:
    """A product that does not exist, was deleted, or is another workspace's: the same 404."""
    oids = ["p_does_not_exist", DELETED_PRODUCT, GLOBEX_PRODUCT]
    expected = [(404, f"oId: no product {oid} in this workspace") for oid in oids]
    assert expected == [outcome(get_product.sync_detailed(client=client, o_id=o)) for o in oids]


def test_unknown_and_foreign_segments_look_alike(client: AuthenticatedClient) -> None:
    """A segment that does not exist and another workspace's segment: the same 404."""
    oids = ["sg_does_not_exist", GLOBEX_SEGMENT]
    expected = [(404, f"oId: no segment {oid} in this workspace") for oid in oids]
    assert expected == [outcome(get_segment.sync_detailed(client=client, o_id=o)) for o in oids]


DELETED_SEGMENT_SEED = """\
workspaces:
  - oId: wa_one
    keys: [{key: k_one}]
    segments:
      - oId: sg_live
        createdAt: null
        name: Live
        internalName: LIVE
        description: Served.
        unrecognized: false
        rejected: false
      - oId: sg_gone
        createdAt: null
        name: Gone
        internalName: GONE
        description: Deleted; answered 404.
        unrecognized: false
        rejected: false
        deletedAt: '2026-01-01T00:00:00.000Z'
"""


def test_deleted_segment_looks_like_a_missing_one(start_mock: StartMock, tmp_path: Path) -> None:
    """A segment with `deletedAt` set answers the same 404 as one that never existed."""
    seed = tmp_path / "seed.yaml"
    seed.write_text(DELETED_SEGMENT_SEED, encoding="utf-8")
    mock = start_mock(Settings(seed_path=seed, validate_responses=True))
    with new_client(mock.base_url, "k_one") as client:
        found = [
            outcome(get_segment.sync_detailed(client=client, o_id=oid))
            for oid in ("sg_live", "sg_gone", "sg_never")
        ]
    expected = [
        (200, None),
        (404, "oId: no segment sg_gone in this workspace"),
        (404, "oId: no segment sg_never in this workspace"),
    ]
    assert expected == found


def test_foreign_404_has_the_same_shape_as_a_missing_one(http: httpx.Client, key_a: str) -> None:
    """Headers and body members of the two 404s are the same, so nothing tells them apart."""

    def shape(oid: str) -> tuple[int, list[str], list[str], list[str]]:
        response = http.get(PRODUCT_PATH, params={"oId": oid}, headers={"api_key": key_a})
        body = response.json()
        return (
            response.status_code,
            sorted(response.headers),
            sorted(body),
            sorted(body["_metadata"]),
        )

    expected = shape("p_does_not_exist")
    assert expected == shape(GLOBEX_PRODUCT)


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", PRODUCT_PATH, "GET"),
        ("POST", SEGMENT_PATH, "GET"),
        ("PUT", PRODUCT_PATH, "GET"),
        ("GET", UPDATE_PATH, "POST"),
        ("PATCH", UPDATE_PATH, "POST"),
    ],
)
def test_wrong_method_is_405_with_allow(
    http: httpx.Client, key_a: str, method: str, path: str, allow: str
) -> None:
    """A method the path does not have is a 405 with `Allow` and an Error body."""
    response = http.request(method, path, params={"oId": PRODUCT}, headers={"api_key": key_a})
    expected = (405, allow, f"method: {path} accepts {allow}, not {method}")
    actual = (response.status_code, response.headers.get("Allow"), error_of(response).message)
    assert expected == actual


@pytest.mark.parametrize("path", ["/api/v2/product/list", "/api/v3/product/get", "/"])
def test_unknown_path_is_404(http: httpx.Client, path: str) -> None:
    """A path the spec does not have is a 404 naming the path, before any key is asked for."""
    response = http.get(path)
    expected = (404, f"path: no operation at {path}")
    assert expected == (response.status_code, error_of(response).message)


@pytest.mark.parametrize("operation", ["getProduct", "getSegment"])
def test_prefer_code_answers_each_documented_error(
    client_for: ClientFor, key_a: str, operation: str
) -> None:
    """`Prefer: code=N` answers N, for every error status the operation documents."""
    codes = [code for code in documented(operation) if code >= 400]
    found = []
    for code in codes:
        preferring = client_for(key_a, {"Prefer": f"code={code}"})
        response: Response[Error | Product] | Response[Error | Segment] = (
            get_product.sync_detailed(client=preferring, o_id=PRODUCT)
            if operation == "getProduct"
            else get_segment.sync_detailed(client=preferring, o_id=FULL_SEGMENT)
        )
        assert isinstance(response.parsed, Error), response.content
        found.append((response.status_code, response.parsed.message))
    expected = [
        (code, f"{HTTPStatus(code).phrase} (asked for by Prefer: code={code})") for code in codes
    ]
    assert expected == found


def test_prefer_429_carries_retry_after(http: httpx.Client, key_a: str) -> None:
    """The 429 asked for by Prefer has the Retry-After header the spec requires."""
    response = http.get(
        SEGMENT_PATH,
        params={"oId": GLOBEX_SEGMENT},
        headers={"api_key": key_a, "Prefer": "respond-async, code=429"},
    )
    expected = (429, "1")
    assert expected == (response.status_code, response.headers.get("Retry-After"))


@pytest.mark.parametrize(
    "code", [code for code in (402, 413, 418, 503) if code not in documented("getProduct")]
)
def test_prefer_of_an_undocumented_code_is_400(
    client_for: ClientFor, key_a: str, code: int
) -> None:
    """`Prefer: code=N` for an N getProduct does not document is a 400 naming `Prefer`."""
    preferring = client_for(key_a, {"Prefer": f"code={code}"})
    response = get_product.sync_detailed(client=preferring, o_id=PRODUCT)
    assert isinstance(response.parsed, Error), response.content
    statuses = ", ".join(map(str, documented("getProduct")))
    expected = (
        400,
        f"Prefer: code={code} is not documented for getProduct (documented: {statuses})",
    )
    assert expected == (response.status_code, response.parsed.message)


def test_prefer_200_answers_normally(client_for: ClientFor, key_a: str) -> None:
    """`Prefer: code=200` asks for the ordinary answer."""
    preferring = client_for(key_a, {"Prefer": "code=200"})
    response = get_product.sync_detailed(client=preferring, o_id=PRODUCT)
    assert isinstance(response.parsed, Product), response.content
    assert (200, PRODUCT) == (response.status_code, response.parsed.o_id)


def test_prefer_needs_a_valid_key_first(client_for: ClientFor) -> None:
    """An unknown key is a 401 even when Prefer asks for another status."""
    preferring = client_for(UNKNOWN_KEY, {"Prefer": "code=404"})
    response = get_product.sync_detailed(client=preferring, o_id=PRODUCT)
    assert isinstance(response.parsed, Error), response.content
    assert (401, "api_key: Invalid API key") == (response.status_code, response.parsed.message)
