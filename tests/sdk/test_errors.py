"""Every error class is raised from a real answer: the mock's, or a scripted server's."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from octave_client import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    AsyncOctave,
    AuthenticationError,
    BadRequestError,
    InternalServerError,
    NotFoundError,
    Octave,
    PermissionDeniedError,
    RateLimitError,
)
from octave_client.errors import UnexpectedStatus

from octave_kit.local_server import free_port
from octave_mock.testing import RunningMock, serving
from tests.mock.support import TLS
from tests.sdk.conftest import ACME
from tests.sdk.scripted import Answer, ScriptedApp


@pytest.fixture
def octave(mock: RunningMock, key: str) -> Iterator[Octave]:
    """An SDK client on the mock that does not retry."""
    with Octave(api_key=key, base_url=mock.base_url, max_retries=0) as client:
        yield client


def prefer(mock: RunningMock, key: str, code: int) -> Octave:
    """A client whose every request asks the mock for an injected status."""
    http = httpx.Client(headers={"Prefer": f"code={code}"})
    return Octave(api_key=key, base_url=mock.base_url, max_retries=0, http_client=http)


def test_bad_key_is_authentication_error(mock: RunningMock) -> None:
    """401 for an unknown key, with the server's message and request id."""
    with (
        pytest.raises(AuthenticationError) as caught,
        Octave(api_key="not_a_key", base_url=mock.base_url) as octave,
    ):
        octave.products.get("p_acme_api")
    assert 401 == caught.value.status_code
    assert "api_key" in caught.value.message
    assert caught.value.request_id is not None
    assert caught.value.request_id.startswith("req_")


def test_read_only_update_is_permission_denied(mock: RunningMock) -> None:
    """403 when the read-only key updates."""
    read_only = mock.key(ACME, read_only=True)
    with (
        pytest.raises(PermissionDeniedError) as caught,
        Octave(api_key=read_only, base_url=mock.base_url) as octave,
    ):
        octave.references.update("r_acme_dropbox", name="x")
    assert 403 == caught.value.status_code


def test_unknown_oid_is_not_found(octave: Octave) -> None:
    """404 names the missing object."""
    with pytest.raises(NotFoundError, match="p_missing") as caught:
        octave.products.get("p_missing")
    assert isinstance(caught.value.body, dict)


def test_invalid_request_is_bad_request(octave: Octave) -> None:
    """400 names the field at fault (a field the update does not know)."""
    with pytest.raises(BadRequestError, match="bogus: is not a known field"):
        octave.references.update("r_acme_dropbox", extra_body={"bogus": 1})


def test_oversized_update_is_a_413_status_error(octave: Octave) -> None:
    """413 has no class of its own: a plain APIStatusError with its status."""
    with pytest.raises(APIStatusError) as caught:
        octave.references.update("r_acme_dropbox", description="x" * 2_000_000)
    assert (413, APIStatusError) == (caught.value.status_code, type(caught.value))


def test_injected_429_is_rate_limit_error_with_retry_after(mock: RunningMock, key: str) -> None:
    """429 carries the server's Retry-After in seconds."""
    with pytest.raises(RateLimitError) as caught, prefer(mock, key, 429) as octave:
        octave.products.get("p_acme_api")
    assert 1.0 == caught.value.retry_after


def test_injected_500_is_internal_server_error(mock: RunningMock, key: str) -> None:
    """500 and above are InternalServerError."""
    with pytest.raises(InternalServerError) as caught, prefer(mock, key, 500) as octave:
        octave.segments.get("sg_acme_mmsaas")
    assert 500 == caught.value.status_code


def test_async_client_raises_the_same_classes(mock: RunningMock) -> None:
    """AsyncOctave raises NotFoundError for a missing object too."""

    async def run() -> None:
        async with AsyncOctave(api_key=mock.key(ACME), base_url=mock.base_url) as octave:
            await octave.products.get("p_missing")

    with pytest.raises(NotFoundError):
        asyncio.run(run())


@contextmanager
def scripted(answer: Answer) -> Iterator[Octave]:
    """An SDK client, without retries, on a server that gives one scripted answer."""
    with (
        serving(ScriptedApp([answer])) as base_url,
        Octave(api_key="k", base_url=base_url, max_retries=0) as octave,
    ):
        yield octave


def test_html_502_is_internal_server_error_with_the_text() -> None:
    """A load balancer's HTML page becomes the status's error, never a JSONDecodeError."""
    page = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
    with (
        scripted(Answer(502, page, content_type="text/html")) as octave,
        pytest.raises(InternalServerError) as caught,
    ):
        octave.products.get("p_1")
    assert "502 Bad Gateway" in caught.value.message
    assert page.decode() == caught.value.body


def test_non_json_success_is_a_validation_error() -> None:
    """A 200 that is not JSON is APIResponseValidationError."""
    with (
        scripted(Answer(200, b"<html>ok</html>", content_type="text/html")) as octave,
        pytest.raises(APIResponseValidationError, match="not JSON"),
    ):
        octave.products.get("p_1")


@pytest.fixture
def product_body(mock: RunningMock, key: str) -> dict[str, object]:
    """The seeded product as the mock serves it."""
    answer = httpx.get(
        f"{mock.base_url}/api/v2/product/get",
        params={"oId": "p_acme_api"},
        headers={"api_key": key},
        timeout=5.0,
        verify=TLS,
    )
    body: dict[str, object] = answer.raise_for_status().json()
    return body


def test_missing_required_field_is_a_validation_error(product_body: dict[str, object]) -> None:
    """A 200 without a required field names the field."""
    del product_body["_metadata"]
    body = httpx.Response(200, json=product_body).content
    with (
        scripted(Answer(200, body)) as octave,
        pytest.raises(APIResponseValidationError, match="_metadata"),
    ):
        octave.products.get("p_acme_api")


def test_wrong_type_is_a_validation_error(product_body: dict[str, object]) -> None:
    """A 200 with a number where the spec says string names the field."""
    product_body["oId"] = 1234
    body = httpx.Response(200, json=product_body).content
    with (
        scripted(Answer(200, body)) as octave,
        pytest.raises(APIResponseValidationError, match="oId: expected str, got int"),
    ):
        octave.products.get("p_acme_api")


def test_refused_connection_is_a_connection_error() -> None:
    """Nothing listening: APIConnectionError, not an httpx exception."""
    octave = Octave(api_key="k", base_url=f"http://127.0.0.1:{free_port()}", max_retries=0)
    with pytest.raises(APIConnectionError) as caught:
        octave.products.get("p_1")
    assert isinstance(caught.value.__cause__, httpx.ConnectError)


def test_low_level_unexpected_status_still_works() -> None:
    """The generated API's UnexpectedStatus keeps its fields."""
    error = UnexpectedStatus(418, b"teapot")
    assert (418, b"teapot") == (error.status_code, error.content)
