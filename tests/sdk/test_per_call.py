"""What one call may change (headers, query, body, timeout), what every request says it is, and
base URLs that cannot work."""

from __future__ import annotations

import asyncio
import platform
import re

import httpx
import pytest
from octave_client import (
    APIConnectionError,
    APITimeoutError,
    AsyncOctave,
    BadRequestError,
    NotFoundError,
    Octave,
    OctaveError,
    __version__,
)

from octave_kit.local_server import free_port
from octave_mock.testing import RunningMock

PRODUCT = "p_acme_api"
REFERENCE = "r_acme_dropbox"
USER_AGENT = re.compile(
    r"octave-client/(?P<client>\S+) python/(?P<python>\S+) httpx/(?P<httpx>\S+)"
)


def recording(sent: list[httpx.Request]) -> httpx.Client:
    """An httpx client that keeps each request it sends."""
    return httpx.Client(event_hooks={"request": [sent.append]})


def test_per_call_headers_and_query_go_with_that_call_only(mock: RunningMock, key: str) -> None:
    """extra_headers and extra_query are added to one request; the next is as before."""
    sent: list[httpx.Request] = []
    with Octave(api_key=key, base_url=mock.base_url, http_client=recording(sent)) as octave:
        octave.products.get(PRODUCT, extra_headers={"X-Trace-Id": "t-1"}, extra_query={"v": 2})
        octave.products.get(PRODUCT)
    traced, plain = sent
    assert ("t-1", "2", PRODUCT) == (
        traced.headers["X-Trace-Id"],
        traced.url.params["v"],
        traced.url.params["oId"],
    )
    assert "X-Trace-Id" not in plain.headers
    assert "v" not in plain.url.params


def test_a_per_call_header_reaches_the_server(mock: RunningMock, key: str) -> None:
    """The mock acts on a per-call Prefer header: that one call gets the status it asked for."""
    with mock.client(key, max_retries=0) as octave:
        with pytest.raises(NotFoundError, match="asked for by Prefer"):
            octave.products.get(PRODUCT, extra_headers={"Prefer": "code=404"})
        assert PRODUCT == octave.products.get(PRODUCT).o_id


def test_extra_body_is_merged_into_the_update(mock: RunningMock, key: str) -> None:
    """A field the client does not know is sent: the mock's closed request refuses it by name."""
    sent: list[httpx.Request] = []
    client = Octave(api_key=key, base_url=mock.base_url, max_retries=0, http_client=recording(sent))
    with client as octave, pytest.raises(BadRequestError, match="colour"):
        octave.references.update(REFERENCE, name="Dropbox", extra_body={"colour": "blue"})
    assert b'"name":"Dropbox"' in sent[0].content.replace(b" ", b"")
    assert b'"colour":"blue"' in sent[0].content.replace(b" ", b"")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"extra_body": {"impactTheySaw": []}}, "extra_body key 'impactTheySaw'.*impact_they_saw="),
        ({"extra_body": {"oId": "r_other"}}, "extra_body key 'oId'.*o_id="),
    ],
)
def test_a_key_the_spec_names_is_an_error_not_an_override(
    extra: dict[str, dict[str, object]], message: str
) -> None:
    """The spec's fields have keywords of their own; nothing is sent."""
    with (
        Octave(api_key="k", base_url=f"http://127.0.0.1:{free_port()}") as octave,
        pytest.raises(TypeError, match=rf"references\.update\(\): {message}"),
    ):
        octave.references.update(REFERENCE, **extra)  # type: ignore[arg-type]


def test_a_query_parameter_the_spec_names_is_an_error() -> None:
    with (
        Octave(api_key="k", base_url=f"http://127.0.0.1:{free_port()}") as octave,
        pytest.raises(TypeError, match=r"products.get\(\): extra_query key 'oId'.*o_id="),
    ):
        octave.products.get(PRODUCT, extra_query={"oId": "p_other"})


def test_a_per_call_timeout_applies_to_that_call_only(mock: RunningMock, key: str) -> None:
    """A 0.1 s timeout on a call the mock delays by 0.5 s times out; the next call succeeds."""
    slow = {"Prefer": "latency=500"}
    with mock.client(key, max_retries=0) as octave:
        with pytest.raises(APITimeoutError, match="Request timed out: GET http://"):
            octave.products.get(PRODUCT, extra_headers=slow, timeout=0.1)
        assert PRODUCT == octave.products.get(PRODUCT, extra_headers=slow).o_id


def test_async_per_call_options(mock: RunningMock, key: str) -> None:
    """AsyncOctave takes the same per-call options."""

    async def run() -> str:
        async with AsyncOctave(api_key=key, base_url=mock.base_url, max_retries=0) as octave:
            with pytest.raises(APITimeoutError):
                await octave.segments.get(
                    "sg_acme_mmsaas", extra_headers={"Prefer": "latency=500"}, timeout=0.1
                )
            with pytest.raises(BadRequestError, match="colour"):
                await octave.references.update(REFERENCE, extra_body={"colour": "blue"})
            return (await octave.references.update(REFERENCE, name="Async")).data.name or ""

    assert "Async" == asyncio.run(run())


def test_the_user_agent_names_the_client_python_and_httpx(mock: RunningMock, key: str) -> None:
    sent: list[httpx.Request] = []
    with Octave(api_key=key, base_url=mock.base_url, http_client=recording(sent)) as octave:
        octave.products.get(PRODUCT)
    found = USER_AGENT.fullmatch(sent[0].headers["User-Agent"])
    assert found is not None, sent[0].headers["User-Agent"]
    assert (__version__, platform.python_version(), httpx.__version__) == (
        found["client"],
        found["python"],
        found["httpx"],
    )


def test_default_headers_and_extra_headers_override_the_user_agent(
    mock: RunningMock, key: str
) -> None:
    """default_headers win over the SDK's, any case; extra_headers win over both; one value each."""
    sent: list[httpx.Request] = []
    with Octave(
        api_key=key,
        base_url=mock.base_url,
        default_headers={"user-agent": "my-app/1.0"},
        http_client=recording(sent),
    ) as octave:
        octave.products.get(PRODUCT)
        octave.products.get(PRODUCT, extra_headers={"USER-AGENT": "my-job/2.0"})
        octave.with_options(timeout=5.0).products.get(PRODUCT)
    assert [["my-app/1.0"], ["my-job/2.0"], ["my-app/1.0"]] == [
        request.headers.get_list("User-Agent") for request in sent
    ]


@pytest.mark.parametrize(
    "base_url", ["app.octavehq.com", "localhost:8765", "127.0.0.1:8765", "http://", "ftp://x.org"]
)
def test_a_base_url_that_cannot_work_is_refused_at_construction(base_url: str) -> None:
    """No http(s) scheme or no host: an error naming it, before any request or retry."""
    with pytest.raises(OctaveError, match=f"base_url '{re.escape(base_url)}' needs an http"):
        Octave(api_key="k", base_url=base_url)


def test_a_bad_base_url_from_the_environment_names_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OCTAVE_BASE_URL", "app.octavehq.com")
    with pytest.raises(OctaveError, match=r"OCTAVE_BASE_URL 'app\.octavehq\.com' needs an http"):
        AsyncOctave(api_key="k")


def test_a_connection_error_names_the_url_it_could_not_reach() -> None:
    base_url = f"http://127.0.0.1:{free_port()}"
    with (
        Octave(api_key="k", base_url=base_url, max_retries=0) as octave,
        pytest.raises(APIConnectionError) as caught,
    ):
        octave.products.get(PRODUCT)
    assert str(caught.value).startswith(
        f"Connection error: could not reach GET {base_url}/api/v2/product/get?oId={PRODUCT} ("
    ), caught.value
    assert "Connection refused" in str(caught.value)
