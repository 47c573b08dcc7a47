"""Injected faults: a per-key rate limit (429 + Retry-After), a 500 rate, added latency."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from octave_client.api.product import get_product
from octave_client.api.reference import update_reference
from octave_client.api.segment import get_segment
from octave_client.models import Error, UpdateReferenceRequest
from octave_client.types import Response

from octave_mock.settings import Faults, Settings
from octave_mock.testing import RunningMock
from tests.mock.support import (
    ACME,
    FULL_SEGMENT,
    GLOBEX,
    GLOBEX_PRODUCT,
    PRODUCT,
    REFERENCE,
    StartMock,
    new_client,
    snapshot,
)


def with_faults(start_mock: StartMock, faults: Faults) -> RunningMock:
    """A mock of its own with these faults and response validation on."""
    return start_mock(Settings(validate_responses=True, faults=faults))


def test_rate_limit_answers_429_with_retry_after(start_mock: StartMock) -> None:
    """Past N requests a minute a key gets 429, with Retry-After in seconds and in the message."""
    mock = with_faults(start_mock, Faults(rate_limit_per_minute=3))
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
    mock = with_faults(start_mock, Faults(rate_limit_per_minute=2))
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
    mock = with_faults(start_mock, Faults(rate_limit_per_minute=1))
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
    expected = [(500, "Internal server error (injected)")] * 3
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
        (partial(Faults, rate_limit_per_minute=0), "rate_limit_per_minute: must be 1 or more"),
        (partial(Faults, error_rate=1.5), "error_rate: must be between 0 and 1"),
        (partial(Faults, error_rate=-0.1), "error_rate: must be between 0 and 1"),
    ],
)
def test_impossible_faults_are_refused(make: Callable[[], Faults], message: str) -> None:
    """Faults out of range raise ValueError naming the setting."""
    with pytest.raises(ValueError, match=re.escape(message)):
        make()
