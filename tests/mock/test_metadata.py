"""`_metadata` on every answer: a unique requestId (also in X-Request-Id) and a UTC timestamp."""

from __future__ import annotations

import json
from collections.abc import MutableMapping
from datetime import UTC

import httpx
from octave_client import AuthenticatedClient
from octave_client.api.product import get_product
from octave_client.api.reference import update_reference
from octave_client.api.segment import get_segment
from octave_client.models import Product, UpdateReferenceRequest

from octave_mock.testing import RunningMock
from tests.mock.support import (
    FULL_SEGMENT,
    PRODUCT,
    PRODUCT_PATH,
    REFERENCE,
    UPDATE_PATH,
    Json,
    now_to_the_millisecond,
    parse_timestamp,
)


def answers(client: AuthenticatedClient, http: httpx.Client) -> list[tuple[str, Json]]:
    """(X-Request-Id, `_metadata`) of a mix of successes and errors over every operation."""
    body = UpdateReferenceRequest(o_id=REFERENCE, name="Meta")
    responses: list[tuple[MutableMapping[str, str], bytes]] = [
        (answer.headers, answer.content)
        for answer in (
            http.get(PRODUCT_PATH, params={"oId": PRODUCT}),
            http.post(UPDATE_PATH, content=b"{"),
            http.delete(PRODUCT_PATH),
            http.get("/api/v2/nowhere"),
        )
    ]
    responses += [
        (answer.headers, answer.content)
        for answer in (
            get_product.sync_detailed(client=client, o_id=PRODUCT),
            get_product.sync_detailed(client=client, o_id="p_missing"),
            get_segment.sync_detailed(client=client, o_id=FULL_SEGMENT),
            update_reference.sync_detailed(client=client, body=body),
        )
    ]
    return [
        (headers["X-Request-Id"], json.loads(content)["_metadata"])
        for headers, content in responses
    ]


def test_every_answer_has_a_request_id_equal_to_its_header(
    mock: RunningMock, client: AuthenticatedClient, http: httpx.Client
) -> None:
    """`_metadata.requestId` is the X-Request-Id header, on successes and errors alike."""
    found = answers(client, http)
    expected = [header for header, _ in found]
    assert expected == [metadata["requestId"] for _, metadata in found]
    assert all(expected), expected


def test_request_ids_are_unique(
    mock: RunningMock, client: AuthenticatedClient, http: httpx.Client
) -> None:
    """No two requests share a requestId, even the same request sent twice."""
    ids = [metadata["requestId"] for _ in range(3) for _, metadata in answers(client, http)]
    expected = len(ids)
    assert expected == len(set(ids))


def test_timestamp_is_now_in_utc_with_milliseconds(
    mock: RunningMock, client: AuthenticatedClient, http: httpx.Client
) -> None:
    """`_metadata.timestamp` is ISO 8601 with milliseconds and Z, between send and receipt."""
    started = now_to_the_millisecond()
    found = answers(client, http)
    finished = now_to_the_millisecond()
    stamps = [parse_timestamp(metadata["timestamp"]) for _, metadata in found]
    expected = [True] * len(stamps)
    assert expected == [started <= stamp <= finished for stamp in stamps], stamps


def test_success_metadata_says_ok_and_costs_nothing(
    mock: RunningMock, client: AuthenticatedClient
) -> None:
    """A 200 carries `message: OK`, `usage: 0` and a timestamp the client passes through."""
    product = get_product.sync(client=client, o_id=PRODUCT)
    assert isinstance(product, Product), product
    metadata = product.field_metadata
    assert isinstance(metadata.timestamp, str), metadata
    expected = ("OK", 0, UTC)
    actual = (metadata.message, metadata.usage, parse_timestamp(metadata.timestamp).tzinfo)
    assert expected == actual
