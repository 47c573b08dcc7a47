"""OCTAVE_TIMEOUT and OCTAVE_MAX_RETRIES: an app's own `Octave()` meets a hang or a failing
server within the time and the attempts its environment sets, against the mock over a socket."""

from __future__ import annotations

import asyncio
import re

import httpx
import pytest
from octave_client import APITimeoutError, AsyncOctave, InternalServerError, Octave

from octave_mock.testing import RunningMock

pytestmark = pytest.mark.usefixtures("env")


def test_a_hang_ends_after_octave_timeout_without_retries(
    monkeypatch: pytest.MonkeyPatch, mock: RunningMock
) -> None:
    """OCTAVE_TIMEOUT=0.3, OCTAVE_MAX_RETRIES=0: one request, given up after 0.3 s."""
    monkeypatch.setenv("OCTAVE_TIMEOUT", "0.3")
    monkeypatch.setenv("OCTAVE_MAX_RETRIES", "0")
    mock.fail_next("getProduct", fault="hang")
    with Octave() as octave:
        assert (httpx.Timeout(0.3), 0) == (octave.timeout, octave.max_retries)
        with pytest.raises(APITimeoutError):
            octave.products.get("p_acme_api")
    assert ["hang"] == [entry.fault for entry in mock.requests()]


def test_async_octave_reads_the_same_variables(
    monkeypatch: pytest.MonkeyPatch, mock: RunningMock
) -> None:
    monkeypatch.setenv("OCTAVE_TIMEOUT", "0.3")
    monkeypatch.setenv("OCTAVE_MAX_RETRIES", "0")
    mock.fail_next("getSegment", fault="hang")

    async def run() -> tuple[httpx.Timeout, int]:
        async with AsyncOctave() as octave:
            with pytest.raises(APITimeoutError):
                await octave.segments.get("sg_acme_mmsaas")
            return octave.timeout, octave.max_retries

    assert (httpx.Timeout(0.3), 0) == asyncio.run(run())
    assert ["hang"] == [entry.fault for entry in mock.requests()]


@pytest.mark.parametrize(
    ("retries", "statuses"),
    [("1", [503, 503]), ("2", [503, 503, 200])],
    ids=["gives-up", "gets-it"],
)
def test_octave_max_retries_sets_the_attempts(
    monkeypatch: pytest.MonkeyPatch, mock: RunningMock, retries: str, statuses: list[int]
) -> None:
    """Two scripted 503s (with Retry-After: 0): one retry gives up, two get the product."""
    monkeypatch.setenv("OCTAVE_MAX_RETRIES", retries)
    mock.fail_next("getProduct", status=503, times=2)
    with Octave() as octave:
        try:
            octave.products.get("p_acme_api")
        except InternalServerError:
            assert 503 == statuses[-1]
    assert statuses == [entry.status for entry in mock.requests()]


def test_arguments_win_over_the_environment(
    monkeypatch: pytest.MonkeyPatch, mock: RunningMock
) -> None:
    """max_retries=0 and timeout=5.0 given: the environment's 5 retries and 1 ms are not used."""
    monkeypatch.setenv("OCTAVE_MAX_RETRIES", "5")
    monkeypatch.setenv("OCTAVE_TIMEOUT", "0.001")
    mock.fail_next("getProduct", status=503)
    with Octave(max_retries=0, timeout=5.0) as octave:
        with pytest.raises(InternalServerError):
            octave.products.get("p_acme_api")
        assert "p_acme_api" == octave.products.get("p_acme_api").o_id
    assert [503, 200] == [entry.status for entry in mock.requests()]


@pytest.mark.parametrize("client", [Octave, AsyncOctave])
@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("OCTAVE_TIMEOUT", "soon", "is not a timeout: give seconds above 0, e.g. 2.5"),
        ("OCTAVE_TIMEOUT", "0", "is not a timeout: give seconds above 0, e.g. 2.5"),
        ("OCTAVE_MAX_RETRIES", "-1", "is not a retry count: give a whole number, 0 or more"),
        ("OCTAVE_MAX_RETRIES", "two", "is not a retry count: give a whole number, 0 or more"),
    ],
)
def test_a_bad_value_is_a_value_error_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch,
    mock: RunningMock,
    client: type[Octave] | type[AsyncOctave],
    name: str,
    value: str,
    expected: str,
) -> None:
    """Refused at construction, before any request."""
    monkeypatch.setenv(name, value)
    message = f"{name}={value!r} {expected}"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        client()
    assert [] == mock.requests()
