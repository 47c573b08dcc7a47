"""Injected faults: rate limits, errors, latency, hangs, resets, gateways; scoped, per request."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from functools import partial
from typing import Any

import httpx
import pytest
from octave_client.api.product import get_product
from octave_client.api.reference import update_reference
from octave_client.api.segment import get_segment
from octave_client.models import Error, UpdateReferenceRequest
from octave_client.types import Response

from octave_mock.faults import Faults, RateLimit
from octave_mock.settings import Settings
from octave_mock.testing import RunningMock
from tests.mock.support import (
    ACME,
    FULL_SEGMENT,
    GLOBEX,
    GLOBEX_PRODUCT,
    PRODUCT,
    REFERENCE,
    TLS,
    StartMock,
    new_client,
    snapshot,
)


def with_faults(start_mock: StartMock, faults: Faults) -> RunningMock:
    """A mock of its own with these faults and response validation on."""
    return start_mock(Settings(validate_responses=True, faults=faults))


def test_rate_limit_answers_429_with_retry_after(start_mock: StartMock) -> None:
    """Past N requests a minute a key gets 429, with Retry-After in seconds and in the message."""
    mock = with_faults(start_mock, Faults(rate_limit=RateLimit(3)))
    with new_client(mock.base_url, mock.key(ACME)) as client:
        answers = [get_product.sync_detailed(client=client, o_id=PRODUCT) for _ in range(4)]
    limited = answers[-1]
    assert isinstance(limited.parsed, Error), limited.content
    retry_after = limited.headers["Retry-After"]
    expected = ([200, 200, 200, 429], f"Rate limit exceeded; retry after {retry_after} seconds")
    assert expected == ([a.status_code for a in answers], limited.parsed.message)
    assert 1 <= int(retry_after) <= 60, retry_after


def test_rate_limit_counts_each_key_apart(start_mock: StartMock) -> None:
    """One key over its limit does not limit another key."""
    mock = with_faults(start_mock, Faults(rate_limit=RateLimit(2)))
    with (
        new_client(mock.base_url, mock.key(ACME)) as acme,
        new_client(mock.base_url, mock.key(GLOBEX)) as globex,
    ):
        statuses = [get_product.sync_detailed(client=acme, o_id=PRODUCT).status_code for _ in "abc"]
        statuses.append(get_product.sync_detailed(client=globex, o_id=GLOBEX_PRODUCT).status_code)
    expected = [200, 200, 429, 200]
    assert expected == statuses


def test_rate_limited_update_is_not_applied(start_mock: StartMock) -> None:
    """An update refused with 429 leaves the reference as it was."""
    mock = with_faults(start_mock, Faults(rate_limit=RateLimit(1)))
    body = UpdateReferenceRequest(o_id=REFERENCE, name="Too many")
    with new_client(mock.base_url, mock.key(ACME)) as client:
        get_segment.sync_detailed(client=client, o_id=FULL_SEGMENT)
        before = snapshot(mock.server)
        response = update_reference.sync_detailed(client=client, body=body)
    expected = (429, before)
    assert expected == (response.status_code, snapshot(mock.server))


def test_error_rate_one_fails_every_request(start_mock: StartMock) -> None:
    """With error_rate=1.0 every operation answers 500 and no update is applied."""
    mock = with_faults(start_mock, Faults(error_rate=1.0))
    before = snapshot(mock.server)
    with new_client(mock.base_url, mock.key(ACME)) as client:
        answers: list[Response[Any]] = [
            get_product.sync_detailed(client=client, o_id=PRODUCT),
            get_segment.sync_detailed(client=client, o_id=FULL_SEGMENT),
            update_reference.sync_detailed(
                client=client, body=UpdateReferenceRequest(o_id=REFERENCE, name="Lost")
            ),
        ]
    found = [
        (a.status_code, a.parsed.message if isinstance(a.parsed, Error) else None) for a in answers
    ]
    expected = [(500, "Internal server error")] * 3
    assert expected == found
    assert before == snapshot(mock.server)


def test_error_rate_with_a_seed_repeats(start_mock: StartMock) -> None:
    """The same fault seed fails the same requests of a run, and some but not all of them."""
    runs = []
    for _ in range(2):
        mock = with_faults(start_mock, Faults(error_rate=0.5, seed=20261102))
        with new_client(mock.base_url, mock.key(ACME)) as client:
            runs.append(
                [
                    get_product.sync_detailed(client=client, o_id=PRODUCT).status_code
                    for _ in range(24)
                ]
            )
    expected = runs[0]
    assert expected == runs[1]
    assert {200, 500} == set(runs[0]), runs[0]


def test_latency_delays_each_request(start_mock: StartMock) -> None:
    """With latency_ms the answer takes at least that long."""
    mock = with_faults(start_mock, Faults(latency_ms=250))
    with new_client(mock.base_url, mock.key(ACME)) as client:
        started = time.perf_counter()
        response = get_product.sync_detailed(client=client, o_id=PRODUCT)
        elapsed = time.perf_counter() - started
    expected = 200
    assert expected == response.status_code
    assert elapsed >= 0.25, elapsed


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (partial(Faults, latency_ms=-1), "latency_ms: must be 0 or more"),
        (partial(Faults, latency_ms=(200, 50)), "latency_ms: must be 0 or more, and a range"),
        (partial(RateLimit, 0), "rate_limit.requests: must be 1 or more"),
        (partial(RateLimit, 5, 0), "rate_limit.per_seconds: must be more than 0"),
        (partial(Faults, error_rate=1.5), "error_rate: must be between 0 and 1"),
        (partial(Faults, hang_rate=-0.1), "hang_rate: must be between 0 and 1"),
        (partial(Faults, only={"colour": "getProduct"}), "only: colour is not a fault"),
    ],
    ids=["negative", "reversed-range", "no-requests", "no-window", "error", "hang", "only"],
)
def test_impossible_faults_are_refused(make: Callable[[], object], message: str) -> None:
    """Faults out of range raise ValueError naming the setting."""
    with pytest.raises(ValueError, match=re.escape(message)):
        make()


def raw_get(
    mock: RunningMock, headers: dict[str, str] | None = None, timeout: float = 5.0
) -> httpx.Response:
    """getProduct of the seeded product over plain httpx, with extra headers."""
    with httpx.Client(base_url=mock.base_url, timeout=timeout, verify=TLS) as http:
        return http.get(
            "/api/v2/product/get",
            params={"oId": PRODUCT},
            headers={"api_key": mock.key(ACME), **(headers or {})},
        )


def test_rate_limit_window_of_a_second_reopens(
    start_mock: StartMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`5/s`-style limits: over the limit is a 429 saying 1 s; a second later it serves again.

    The window is read on a clock the test moves: on a busy machine, requests sent together
    could otherwise come more than a second apart, and the window reopen between them."""
    mock = with_faults(start_mock, Faults(rate_limit=RateLimit(2, per_seconds=1.0)))
    injector, clock = mock.server.faults, [1000.0]
    window = injector.retry_after
    monkeypatch.setattr(injector, "retry_after", lambda op, key: window(op, key, now=clock[0]))
    first = [raw_get(mock).status_code for _ in range(3)]
    refused = raw_get(mock)
    clock[0] += 1.05
    expected = ([200, 200, 429], "1", 200)
    assert expected == (first, refused.headers.get("Retry-After"), raw_get(mock).status_code)


def test_latency_range_draws_between_its_bounds(
    start_mock: StartMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`latency_ms=(low, high)`: every delay lies in the range, they are not all alike, and
    each answer waits out its own. The delays are read as the mock draws them: a wall clock
    alone measures the machine's load as well (its upper bound failed on a busy machine)."""
    mock = with_faults(start_mock, Faults(latency_ms=(40, 160), seed=7))
    injector = mock.server.faults
    draw, drawn = injector.latency_seconds, []

    def recorded(*args: Any) -> float:
        drawn.append(draw(*args))
        return drawn[-1]

    monkeypatch.setattr(injector, "latency_seconds", recorded)
    waited = []
    for _ in range(8):
        started = time.perf_counter()
        assert raw_get(mock).status_code == 200
        waited.append(time.perf_counter() - started)
    assert (8, True) == (len(drawn), all(0.04 <= delay <= 0.16 for delay in drawn)), drawn
    assert max(drawn) - min(drawn) > 0.02, drawn
    assert all(took >= delay for took, delay in zip(waited, drawn, strict=True)), (waited, drawn)


def test_a_fault_limited_to_one_operation_spares_the_others(start_mock: StartMock) -> None:
    """`only={"error_rate": "getProduct"}`: every product read fails, segment reads do not."""
    mock = with_faults(start_mock, Faults(error_rate=1.0, only={"error_rate": "getProduct"}))
    with new_client(mock.base_url, mock.key(ACME)) as client:
        product = get_product.sync_detailed(client=client, o_id=PRODUCT).status_code
        segment = get_segment.sync_detailed(client=client, o_id=FULL_SEGMENT).status_code
    expected = (500, 200)
    assert expected == (product, segment)


def test_a_fault_limited_to_an_unknown_operation_is_refused(start_mock: StartMock) -> None:
    """An operation the spec lacks is a ValueError naming the fault and the operations."""
    with pytest.raises(ValueError, match=re.escape("only: hang_rate is limited to getProduc,")):
        with_faults(start_mock, Faults(hang_rate=0.5, only={"hang_rate": "getProduc"}))


@pytest.mark.parametrize("how", ["rate", "prefer"])
def test_gateway_answers_an_html_page_without_error_json(start_mock: StartMock, how: str) -> None:
    """502/503/504 with text/html, as a load balancer sends: not the API's Error body."""
    mock = with_faults(start_mock, Faults(gateway_rate=1.0 if how == "rate" else 0.0))
    answer = raw_get(mock, {"Prefer": "fault=gateway"} if how == "prefer" else None)
    assert answer.status_code in (502, 503, 504), answer.status_code
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    assert f"<title>{answer.status_code} " in answer.text, answer.text


@pytest.mark.parametrize("how", ["rate", "prefer"])
def test_hang_accepts_and_never_answers(start_mock: StartMock, how: str) -> None:
    """The request is read, and no answer comes: the client's read timeout is what ends it."""
    mock = with_faults(start_mock, Faults(hang_rate=1.0 if how == "rate" else 0.0))
    with pytest.raises(httpx.ReadTimeout):
        raw_get(mock, {"Prefer": "fault=hang"} if how == "prefer" else None, timeout=0.5)


@pytest.mark.parametrize("how", ["rate", "prefer"])
def test_reset_drops_the_connection_without_an_answer(start_mock: StartMock, how: str) -> None:
    """The connection is reset (TCP RST): the client sees a transport error, no status."""
    mock = with_faults(start_mock, Faults(reset_rate=1.0 if how == "rate" else 0.0))
    with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
        raw_get(mock, {"Prefer": "fault=reset"} if how == "prefer" else None)


def test_prefer_latency_delays_that_request(mock: RunningMock) -> None:
    """`Prefer: latency=300` delays that one answer by 300 ms."""
    started = time.perf_counter()
    answer = raw_get(mock, {"Prefer": "latency=300"})
    elapsed = time.perf_counter() - started
    assert answer.status_code == 200
    assert elapsed >= 0.3, elapsed


@pytest.mark.parametrize(
    ("prefer", "message"),
    [
        ("code=abc", "Prefer: code=abc is not an HTTP status"),
        ("latency=soon", "Prefer: latency=soon is not a whole number of milliseconds up to 60000"),
        ("fault=explode", "Prefer: fault=explode is not one of hang, reset, gateway"),
    ],
    ids=["code", "latency", "fault"],
)
def test_an_unusable_prefer_value_is_a_400_naming_it(
    mock: RunningMock, prefer: str, message: str
) -> None:
    answer = raw_get(mock, {"Prefer": prefer})
    expected = (400, message)
    assert expected == (answer.status_code, answer.json()["message"])


def test_faulted_requests_are_marked_in_the_access_log(
    start_mock: StartMock, caplog: pytest.LogCaptureFixture
) -> None:
    """Each access-log line of an injected fault ends with `fault=<kind>`; others do not."""
    mock = with_faults(start_mock, Faults(error_rate=1.0, only={"error_rate": "getSegment"}))
    with caplog.at_level(logging.INFO, logger="octave_mock.access"):
        raw_get(mock)
        raw_get(mock, {"Prefer": "fault=gateway"})
        raw_get(mock, {"Prefer": "code=404"})
        with new_client(mock.base_url, mock.key(ACME)) as client:
            get_segment.sync_detailed(client=client, o_id=FULL_SEGMENT)
    marks = [
        record.getMessage().split(" req_")[1].partition(" ")[2]
        for record in caplog.records
        if record.name == "octave_mock.access"
    ]
    expected = ["", "fault=gateway", "fault=prefer", "fault=error"]
    assert expected == marks
