"""getProduct and getSegment: the seeded object, flat beside `_metadata`."""

from __future__ import annotations

import json

import pytest
from octave_client import AuthenticatedClient
from octave_client.api.product import get_product
from octave_client.api.segment import get_segment
from octave_client.models import (
    Firmographics,
    OfferingData,
    Product,
    ProductData,
    Segment,
    SegmentData,
    ServiceData,
)
from octave_client.types import UNSET

from octave_mock.testing import RunningMock
from tests.mock.support import (
    FULL_SEGMENT,
    MINIMAL_SEGMENT,
    PRODUCT,
    SERVICE,
    SOLUTION,
    ClientFor,
    seed_doc,
    without_metadata,
)


@pytest.mark.parametrize(
    ("oid", "data_model"),
    [(PRODUCT, ProductData), (SERVICE, ServiceData), (SOLUTION, OfferingData)],
    ids=["PRODUCT", "SERVICE", "SOLUTION"],
)
def test_get_product_answers_the_seeded_offering(
    mock: RunningMock, client: AuthenticatedClient, oid: str, data_model: type
) -> None:
    """Each offering type comes back as seeded and parses into its own data model."""
    response = get_product.sync_detailed(client=client, o_id=oid)
    assert isinstance(response.parsed, Product), response.content
    expected = (200, seed_doc(mock.server, "product", oid), data_model, oid)
    actual = (
        response.status_code,
        without_metadata(json.loads(response.content)),
        type(response.parsed.data),
        response.parsed.o_id,
    )
    assert expected == actual


def test_get_segment_answers_a_full_segment(mock: RunningMock, client: AuthenticatedClient) -> None:
    """A segment with data, questions and user comes back as seeded, with nested models."""
    response = get_segment.sync_detailed(client=client, o_id=FULL_SEGMENT)
    segment = response.parsed
    assert isinstance(segment, Segment), response.content
    assert isinstance(segment.data, SegmentData)
    expected = (200, seed_doc(mock.server, "segment", FULL_SEGMENT), Firmographics)
    actual = (
        response.status_code,
        without_metadata(json.loads(response.content)),
        type(segment.data.firmographics),
    )
    assert expected == actual


def test_get_segment_answers_a_minimal_segment(
    mock: RunningMock, client: AuthenticatedClient
) -> None:
    """A segment with only its required fields parses with `data` and `user` unset."""
    response = get_segment.sync_detailed(client=client, o_id=MINIMAL_SEGMENT)
    segment = response.parsed
    assert isinstance(segment, Segment), response.content
    expected = (200, seed_doc(mock.server, "segment", MINIMAL_SEGMENT), UNSET, UNSET, None)
    actual = (
        response.status_code,
        without_metadata(json.loads(response.content)),
        segment.data,
        segment.user,
        segment.created_at,
    )
    assert expected == actual


def test_read_only_key_reads(
    mock: RunningMock, client_for: ClientFor, key_a_read_only: str
) -> None:
    """A read-only key gets products and segments like any other key."""
    reader = client_for(key_a_read_only)
    statuses = [
        get_product.sync_detailed(client=reader, o_id=PRODUCT).status_code,
        get_segment.sync_detailed(client=reader, o_id=FULL_SEGMENT).status_code,
    ]
    expected = [200, 200]
    assert expected == statuses
