"""Octave and AsyncOctave against the mock: the three operations return the seeded objects."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from octave_client import AsyncOctave, Octave, OctaveError
from octave_client.models import Product, ProductData, Segment, UpdateReferenceResponse

from octave_mock.testing import RunningMock
from tests.openapi_document import load_openapi


@pytest.mark.usefixtures("env")
def test_products_get_returns_the_seeded_product() -> None:
    """products.get gives the Product with its typed data."""
    with Octave() as octave:
        product = octave.products.get("p_acme_api")
    assert isinstance(product, Product)
    assert ("p_acme_api", "Acme Onboarding API") == (product.o_id, product.name)
    assert isinstance(product.data, ProductData)


@pytest.mark.usefixtures("env")
def test_segments_get_returns_the_seeded_segment() -> None:
    """segments.get gives the Segment."""
    with Octave() as octave:
        segment = octave.segments.get("sg_acme_mmsaas")
    assert isinstance(segment, Segment)
    assert ("sg_acme_mmsaas", "Mid-market SaaS") == (segment.o_id, segment.name)


@pytest.mark.usefixtures("env")
def test_references_update_sends_only_the_given_fields() -> None:
    """references.update changes the named fields and keeps the others as stored."""
    with Octave() as octave:
        before = octave.references.update("r_acme_dropbox")
        answer = octave.references.update("r_acme_dropbox", impact_they_saw=["Setup in a day"])
    assert isinstance(answer, UpdateReferenceResponse)
    assert before.data is not None
    assert answer.data is not None
    assert before.data.data is not None
    assert answer.data.data is not None
    assert ["Setup in a day"] == answer.data.data.impact_they_saw
    assert before.data.data.their_challenge == answer.data.data.their_challenge


@pytest.mark.usefixtures("env")
def test_async_octave_reads_and_updates() -> None:
    """AsyncOctave does the same with await."""

    async def run() -> tuple[Product, Segment, UpdateReferenceResponse]:
        async with AsyncOctave() as octave:
            return (
                await octave.products.get("p_acme_api"),
                await octave.segments.get("sg_acme_mmsaas"),
                await octave.references.update("r_acme_dropbox", name="Dropbox, Inc."),
            )

    product, segment, answer = asyncio.run(run())
    assert ("p_acme_api", "sg_acme_mmsaas") == (product.o_id, segment.o_id)
    assert answer.data is not None
    assert "Dropbox, Inc." == answer.data.name


def test_explicit_arguments_win_over_the_environment(
    monkeypatch: pytest.MonkeyPatch, mock: RunningMock, key: str
) -> None:
    """api_key and base_url given to Octave() are used instead of the environment's."""
    monkeypatch.setenv("OCTAVE_API_KEY", "not-this-one")
    monkeypatch.setenv("OCTAVE_BASE_URL", "http://127.0.0.1:9")
    with Octave(api_key=key, base_url=mock.base_url + "/") as octave:
        assert "p_acme_api" == octave.products.get("p_acme_api").o_id


def test_without_a_key_construction_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    """No api_key and no OCTAVE_API_KEY: the error says how to give one."""
    monkeypatch.delenv("OCTAVE_API_KEY", raising=False)
    with pytest.raises(OctaveError, match="OCTAVE_API_KEY"):
        Octave()


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    """The base URL defaults to the spec's first server, with a finite timeout and 2 retries."""
    monkeypatch.delenv("OCTAVE_BASE_URL", raising=False)
    octave = Octave(api_key="k")
    assert (load_openapi()["servers"][0]["url"], 2) == (octave.base_url, octave.max_retries)
    assert httpx.Timeout(30.0, connect=5.0) == octave.timeout


def test_with_options_changes_only_the_copy() -> None:
    """with_options returns a copy with its own timeout and retries; the original keeps its own."""
    octave = Octave(api_key="k", timeout=20.0, max_retries=5)
    quick = octave.with_options(timeout=5.0, max_retries=0)
    assert (httpx.Timeout(5.0), 0) == (quick.timeout, quick.max_retries)
    assert (httpx.Timeout(20.0), 5) == (octave.timeout, octave.max_retries)


def test_the_low_level_client_defaults_to_octaves_auth_and_a_timeout() -> None:
    """AuthenticatedClient sends the api_key header with no prefix and has a finite timeout."""
    from octave_client import AuthenticatedClient

    client = AuthenticatedClient(base_url="http://127.0.0.1:9", token="k")
    http = client.get_httpx_client()
    assert "k" == http.headers["api_key"]
    assert http.timeout.read is not None
