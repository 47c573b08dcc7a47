"""Workspaces are sealed: a key sees and changes only its own workspace's objects."""

from __future__ import annotations

import pytest
from octave_client.api.product import get_product
from octave_client.api.reference import update_reference
from octave_client.api.segment import get_segment
from octave_client.models import Product, Segment, UpdateReferenceRequest, Workspace

from octave_mock.testing import RunningMock
from tests.mock.support import (
    ACME,
    FULL_SEGMENT,
    GLOBEX,
    GLOBEX_PRODUCT,
    GLOBEX_REFERENCE,
    GLOBEX_SEGMENT,
    PRODUCT,
    REFERENCE,
    ClientFor,
    outcome,
    stored_reference,
)

OWN = {
    ACME: {"product": PRODUCT, "segment": FULL_SEGMENT, "reference": REFERENCE},
    GLOBEX: {"product": GLOBEX_PRODUCT, "segment": GLOBEX_SEGMENT, "reference": GLOBEX_REFERENCE},
}
PAIRS = [(ACME, GLOBEX), (GLOBEX, ACME)]


@pytest.mark.parametrize("mine", [ACME, GLOBEX])
def test_a_key_reads_its_own_workspace(mock: RunningMock, client_for: ClientFor, mine: str) -> None:
    """A key gets its workspace's product and segment, each naming that workspace."""
    client = client_for(mock.key(mine))
    product = get_product.sync_detailed(client=client, o_id=OWN[mine]["product"]).parsed
    segment = get_segment.sync_detailed(client=client, o_id=OWN[mine]["segment"]).parsed
    assert isinstance(product, Product), product
    assert isinstance(segment, Segment), segment
    assert isinstance(segment.workspace, Workspace), segment
    expected = (OWN[mine]["product"], mine, OWN[mine]["segment"], mine)
    actual = (product.o_id, product.workspace.o_id, segment.o_id, segment.workspace.o_id)
    assert expected == actual


@pytest.mark.parametrize(("mine", "theirs"), PAIRS)
def test_a_key_never_sees_another_workspace(
    mock: RunningMock, client_for: ClientFor, mine: str, theirs: str
) -> None:
    """The other workspace's product and segment answer 404, as if they did not exist."""
    client = client_for(mock.key(mine))
    product, segment = OWN[theirs]["product"], OWN[theirs]["segment"]
    found = [
        outcome(get_product.sync_detailed(client=client, o_id=product)),
        outcome(get_segment.sync_detailed(client=client, o_id=segment)),
    ]
    expected = [
        (404, f"oId: no product {product} in this workspace"),
        (404, f"oId: no segment {segment} in this workspace"),
    ]
    assert expected == found


@pytest.mark.parametrize(("mine", "theirs"), PAIRS)
def test_a_key_cannot_update_another_workspace(
    mock: RunningMock, client_for: ClientFor, mine: str, theirs: str
) -> None:
    """Updating the other workspace's reference is a 404 and leaves that reference unchanged."""
    client = client_for(mock.key(mine))
    reference = OWN[theirs]["reference"]
    before = stored_reference(mock.server, reference, theirs)
    body = UpdateReferenceRequest(o_id=reference, name="Hijacked", business_model="Hijacked")
    found = outcome(update_reference.sync_detailed(client=client, body=body))
    expected = (404, f"oId: no reference {reference} in this workspace")
    assert expected == found
    assert before == stored_reference(mock.server, reference, theirs)


def test_a_read_only_key_cannot_update_another_workspace_either(
    mock: RunningMock, client_for: ClientFor, key_a_read_only: str
) -> None:
    """A read-only key is refused before the reference is even looked up."""
    body = UpdateReferenceRequest(o_id=GLOBEX_REFERENCE, name="Hijacked")
    found = outcome(update_reference.sync_detailed(client=client_for(key_a_read_only), body=body))
    expected = (403, "api_key: this key is read-only and cannot update")
    assert expected == found
