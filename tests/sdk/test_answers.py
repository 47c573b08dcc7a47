"""The whole answer of a success: request ids on the models, and `with_raw_response`."""

from __future__ import annotations

import asyncio
import json

import attrs
import httpx
import pytest
from octave_client import (
    APIResponse,
    APIResponseValidationError,
    AsyncOctave,
    NotFoundError,
    Octave,
)
from octave_client.models import Product, Segment, UpdateReferenceResponse

from octave_mock.testing import RunningMock, serving
from tests.sdk.scripted import Answer, ScriptedApp

PRODUCT = "p_acme_api"
SEGMENT = "sg_acme_mmsaas"
REFERENCE = "r_acme_dropbox"


def recorded(answers: list[httpx.Response]) -> httpx.Client:
    """An httpx client that keeps each answer it receives, as the server sent it."""
    return httpx.Client(event_hooks={"response": [answers.append]})


def test_each_returned_model_carries_the_answers_request_id(mock: RunningMock, key: str) -> None:
    """request_id_ of products.get, segments.get and references.update is the X-Request-Id."""
    answers: list[httpx.Response] = []
    with Octave(api_key=key, base_url=mock.base_url, http_client=recorded(answers)) as octave:
        models: list[Product | Segment | UpdateReferenceResponse] = [
            octave.products.get(PRODUCT),
            octave.segments.get(SEGMENT),
            octave.references.update(REFERENCE, name="Dropbox"),
        ]
    headers = [answer.headers["X-Request-Id"] for answer in answers]
    assert headers == [model.request_id_ for model in models]
    assert all(request_id.startswith("req_") for request_id in headers)


def test_the_request_id_is_not_part_of_equality_or_repr(mock: RunningMock, key: str) -> None:
    """A copy without the request id equals the model, whose repr shows the spec's fields only."""
    with mock.client(key) as octave:
        product = octave.products.get(PRODUCT)
    copy = attrs.evolve(product)
    assert ("", True) == (copy.request_id_, copy == product)
    assert "request_id_" not in repr(product)


def test_without_the_header_the_request_id_comes_from_the_body() -> None:
    """No X-Request-Id: `_metadata.requestId` of the answer is used."""
    body = {"_metadata": {"requestId": "req_from_body"}, "data": None}
    app = ScriptedApp([Answer(200, json.dumps({**body, "data": reference_body()}).encode())])
    with serving(app) as base_url, Octave(api_key="k", base_url=base_url) as octave:
        answer = octave.references.with_raw_response.update(REFERENCE)
    assert ("req_from_body", "req_from_body") == (answer.request_id, answer.parse().request_id_)


def reference_body() -> dict[str, object]:
    user = {"oId": "u_1", "firstName": "A", "lastName": "B", "email": "a@b.c"}
    return {
        "oId": REFERENCE,
        "createdAt": "2026-01-01",
        "data": None,
        "user": user,
        "workspace": {"oId": "wa_1", "name": "W"},
    }


def test_raw_responses_give_status_headers_request_id_and_the_model(
    mock: RunningMock, key: str
) -> None:
    """products, segments and references: the answer as it came, and parse() the typed model."""
    with mock.client(key) as octave:
        product = octave.products.with_raw_response.get(PRODUCT)
        segment = octave.segments.with_raw_response.get(SEGMENT)
        update = octave.references.with_raw_response.update(REFERENCE, name="Dropbox")
    assert isinstance(product.parse(), Product)
    assert isinstance(segment.parse(), Segment)
    assert isinstance(update.parse(), UpdateReferenceResponse)
    assert PRODUCT == product.parse().o_id
    raw: list[APIResponse[Product] | APIResponse[Segment] | APIResponse[UpdateReferenceResponse]]
    raw = [product, segment, update]
    for answer in raw:
        assert isinstance(answer, APIResponse)
        assert isinstance(answer.http_response, httpx.Response)
        assert 200 == answer.status_code == answer.http_response.status_code
        assert answer.headers["content-type"].startswith("application/json")
        assert answer.headers["X-Request-Id"] == answer.request_id == answer.parse().request_id_


def test_a_raw_call_raises_as_the_plain_call_does(mock: RunningMock, key: str) -> None:
    """A 404 through with_raw_response is the same NotFoundError, never an APIResponse."""
    with mock.client(key, max_retries=0) as octave:
        with pytest.raises(NotFoundError) as raw:
            octave.products.with_raw_response.get("p_missing")
        with pytest.raises(NotFoundError) as plain:
            octave.products.get("p_missing")
    assert raw.value.message == plain.value.message
    assert raw.value.request_id is not None


def test_a_raw_call_checks_the_answer_as_the_plain_call_does() -> None:
    """A 200 off the spec raises APIResponseValidationError at the call, not later in parse()."""
    app = ScriptedApp([Answer(200, b'{"oId": 1}')])
    with (
        serving(app) as base_url,
        Octave(api_key="k", base_url=base_url) as octave,
        pytest.raises(APIResponseValidationError, match="required field"),
    ):
        octave.segments.with_raw_response.get(SEGMENT)


def test_async_raw_responses(mock: RunningMock, key: str) -> None:
    """AsyncOctave has with_raw_response on every resource, awaited."""

    async def run() -> list[APIResponse[Product] | APIResponse[Segment]]:
        async with AsyncOctave(api_key=key, base_url=mock.base_url) as octave:
            update = await octave.references.with_raw_response.update(REFERENCE, name="Dropbox")
            assert "Dropbox" == update.parse().data.name
            return [
                await octave.products.with_raw_response.get(PRODUCT),
                await octave.segments.with_raw_response.get(SEGMENT),
            ]

    product, segment = asyncio.run(run())
    assert (200, 200) == (product.status_code, segment.status_code)
    assert product.headers["X-Request-Id"] == product.parse().request_id_
    assert SEGMENT == segment.parse().o_id
