"""Retries: which failures are retried, how many attempts, and which pauses the SDK chooses."""

from __future__ import annotations

import asyncio
import email.utils
import random
import time

import httpx
import pytest
from octave_client import (
    APIConnectionError,
    APITimeoutError,
    AsyncOctave,
    InternalServerError,
    NotFoundError,
    Octave,
    RateLimitError,
)

from octave_kit.local_server import free_port
from octave_mock.faults import Faults
from octave_mock.settings import Settings
from octave_mock.testing import RunningMock, running_mock, serving
from tests.sdk.conftest import ACME, RecordingSleep
from tests.sdk.scripted import Answer, ScriptedApp

ERROR_RATE = 0.5
CALLS = 20


def attempts_the_seed_implies(seed: int) -> list[int]:
    """Attempts per call when the mock fails each request with ERROR_RATE from this seed."""
    draws = random.Random(seed)
    attempts = []
    for _ in range(CALLS):
        count = 1
        while draws.random() < ERROR_RATE:
            count += 1
        attempts.append(count)
    return attempts


@pytest.mark.parametrize("seed", [3, 11])
def test_every_call_succeeds_with_the_attempts_the_seed_implies(
    seed: int, sleep: RecordingSleep
) -> None:
    """With --error-rate and --fault-seed, each call succeeds after exactly the implied retries."""
    expected = attempts_the_seed_implies(seed)
    settings = Settings(faults=Faults(error_rate=ERROR_RATE, seed=seed))
    attempts = []
    with (
        running_mock(settings) as mock,
        Octave(
            api_key=mock.key(ACME), base_url=mock.base_url, max_retries=max(expected), sleep=sleep
        ) as octave,
    ):
        for _ in range(CALLS):
            before = len(sleep.delays)
            assert "p_acme_api" == octave.products.get("p_acme_api").o_id
            attempts.append(len(sleep.delays) - before + 1)
    assert expected == attempts
    assert max(expected) > 1, "the seed should make some calls fail"


def test_backoff_doubles_from_half_a_second_with_jitter(sleep: RecordingSleep) -> None:
    """Without Retry-After the pauses are 0.5, 1, 2, 4, 8 s (capped), plus up to 0.25 s jitter."""
    failures = [Answer(503, b'{"message": "busy"}') for _ in range(7)]
    with (
        serving(ScriptedApp(failures)) as base_url,
        Octave(api_key="k", base_url=base_url, max_retries=6, sleep=sleep) as octave,
        pytest.raises(InternalServerError),
    ):
        octave.products.get("p_1")
    floors = [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert len(floors) == len(sleep.delays)
    for floor, delay in zip(floors, sleep.delays, strict=True):
        assert floor <= delay <= min(floor + 0.25, 8.0)


@pytest.mark.parametrize(("retry_after", "expected"), [("3", 3.0), ("0", 0.0), ("60", 60.0)])
def test_retry_after_in_seconds_is_honoured(
    mock: RunningMock, sleep: RecordingSleep, retry_after: str, expected: float
) -> None:
    """A 429 with Retry-After up to 60 s is waited out exactly, then the call succeeds."""
    busy = Answer(429, b'{"message": "slow down"}', {"Retry-After": retry_after})
    with (
        serving(ScriptedApp([busy], then=mock.app)) as base_url,
        Octave(api_key=mock.key(ACME), base_url=base_url, sleep=sleep) as octave,
    ):
        assert "p_acme_api" == octave.products.get("p_acme_api").o_id
    assert [expected] == sleep.delays


def test_retry_after_as_an_http_date_is_honoured(mock: RunningMock, sleep: RecordingSleep) -> None:
    """Retry-After given as an HTTP date becomes the seconds until then."""
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    busy = Answer(503, b'{"message": "maintenance"}', {"Retry-After": when})
    with (
        serving(ScriptedApp([busy], then=mock.app)) as base_url,
        Octave(api_key=mock.key(ACME), base_url=base_url, sleep=sleep) as octave,
    ):
        octave.segments.get("sg_acme_mmsaas")
    assert 1 == len(sleep.delays)
    assert 28.0 <= sleep.delays[0] <= 30.0


def test_a_long_retry_after_raises_at_once(sleep: RecordingSleep) -> None:
    """A Retry-After over 60 s is not waited out: RateLimitError on the first answer."""
    app = ScriptedApp([Answer(429, b'{"message": "quota"}', {"Retry-After": "120"})])
    with (
        serving(app) as base_url,
        Octave(api_key="k", base_url=base_url, sleep=sleep) as octave,
        pytest.raises(RateLimitError) as caught,
    ):
        octave.products.get("p_1")
    assert (120.0, [], 1) == (caught.value.retry_after, sleep.delays, app.requests)


def test_no_retries_raise_on_the_first_failure(mock: RunningMock, sleep: RecordingSleep) -> None:
    """max_retries=0: the first 500 is raised."""
    http = httpx.Client(headers={"Prefer": "code=500"})
    with (
        Octave(
            api_key=mock.key(ACME),
            base_url=mock.base_url,
            max_retries=0,
            http_client=http,
            sleep=sleep,
        ) as octave,
        pytest.raises(InternalServerError),
    ):
        octave.products.get("p_acme_api")
    assert [] == sleep.delays


def test_client_errors_are_not_retried(mock: RunningMock, sleep: RecordingSleep) -> None:
    """A 404 is final: no retry."""
    with (
        Octave(api_key=mock.key(ACME), base_url=mock.base_url, sleep=sleep) as octave,
        pytest.raises(NotFoundError, match="p_missing"),
    ):
        octave.products.get("p_missing")
    assert [] == sleep.delays


def test_updates_are_retried_too(mock: RunningMock, sleep: RecordingSleep) -> None:
    """A partial update is safe to repeat, so a 503 before it is retried."""
    busy = Answer(503, b'{"message": "busy"}')
    with (
        serving(ScriptedApp([busy], then=mock.app)) as base_url,
        Octave(api_key=mock.key(ACME), base_url=base_url, sleep=sleep) as octave,
    ):
        answer = octave.references.update("r_acme_dropbox", name="Dropbox")
    assert answer.data is not None
    assert "Dropbox" == answer.data.name
    assert 1 == len(sleep.delays)


def test_refused_connection_is_retried_then_raised(sleep: RecordingSleep) -> None:
    """Nothing listening: max_retries + 1 attempts, then APIConnectionError."""
    with (
        Octave(
            api_key="k", base_url=f"http://127.0.0.1:{free_port()}", max_retries=2, sleep=sleep
        ) as octave,
        pytest.raises(APIConnectionError),
    ):
        octave.products.get("p_1")
    assert 2 == len(sleep.delays)


def test_read_timeout_is_a_timeout_error(sleep: RecordingSleep) -> None:
    """A mock slower than the timeout: APITimeoutError after every attempt timed out."""
    with (
        running_mock(Settings(faults=Faults(latency_ms=500))) as mock,
        Octave(
            api_key=mock.key(ACME), base_url=mock.base_url, timeout=0.1, max_retries=1, sleep=sleep
        ) as octave,
        pytest.raises(APITimeoutError),
    ):
        octave.products.get("p_acme_api")
    assert 1 == len(sleep.delays)


def test_async_client_honours_retry_after(mock: RunningMock, sleep: RecordingSleep) -> None:
    """AsyncOctave waits the Retry-After through its own (async) sleep."""
    busy = Answer(429, b'{"message": "slow down"}', {"Retry-After": "2"})

    async def run(base_url: str) -> str:
        async with AsyncOctave(
            api_key=mock.key(ACME), base_url=base_url, sleep=sleep.asleep
        ) as octave:
            return (await octave.products.get("p_acme_api")).o_id

    with serving(ScriptedApp([busy], then=mock.app)) as base_url:
        assert "p_acme_api" == asyncio.run(run(base_url))
    assert [2.0] == sleep.delays
