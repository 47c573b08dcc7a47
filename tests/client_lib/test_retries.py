"""client_lib/retries.py as it lies in the repository: what is retried, and the pauses."""

from __future__ import annotations

import httpx
import pytest
import tenacity

from client_lib.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    OctaveError,
    error_for_response,
)
from client_lib.retries import (
    INITIAL_RETRY_DELAY,
    MAX_RETRY_AFTER,
    MAX_RETRY_DELAY,
    retry_delay,
    retrying,
    should_retry,
)

REQUEST = httpx.Request("GET", "http://127.0.0.1:9/api/v2/product/get?oId=p_1")


def status_error(status: int, retry_after: str | None = None) -> APIStatusError:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    response = httpx.Response(status, json={"message": "m"}, headers=headers, request=REQUEST)
    return error_for_response(response)


def after_attempt(number: int, exception: BaseException) -> tenacity.RetryCallState:
    """tenacity's state after attempt `number` failed with `exception`."""
    state = tenacity.RetryCallState(tenacity.Retrying(), fn=None, args=(), kwargs={})
    state.attempt_number = number
    state.set_exception((type(exception), exception, None))
    return state


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504, 599])
def test_these_statuses_are_retried(status: int) -> None:
    assert should_retry(status_error(status))


@pytest.mark.parametrize("status", [400, 401, 403, 404, 413, 415, 422])
def test_other_client_errors_are_final(status: int) -> None:
    assert not should_retry(status_error(status))


def test_no_answer_is_retried() -> None:
    assert should_retry(APIConnectionError(REQUEST, "ConnectError('refused')"))
    assert should_retry(APITimeoutError(REQUEST, "ReadTimeout('')"))


def test_what_is_not_an_answer_error_is_not_retried() -> None:
    assert not should_retry(OctaveError("no key"))
    assert not should_retry(ValueError("a bug"))


def test_a_retry_after_up_to_the_limit_is_waited_and_a_longer_one_is_not() -> None:
    limit = int(MAX_RETRY_AFTER)
    assert should_retry(status_error(429, str(limit)))
    assert not should_retry(status_error(429, str(limit + 1)))
    assert not should_retry(status_error(503, str(limit + 1)))


def test_the_pause_is_the_servers_retry_after_when_it_gave_one() -> None:
    assert 7.0 == retry_delay(after_attempt(1, status_error(429, "7")))
    assert 0.0 == retry_delay(after_attempt(3, status_error(503, "0")))


def test_backoff_doubles_from_the_initial_delay_up_to_the_cap_with_jitter() -> None:
    """0.5, 1, 2, 4, 8, 8 s after attempts 1 to 6, each plus up to 0.25 s of jitter."""
    floors = [INITIAL_RETRY_DELAY * 2**n for n in range(4)] + [MAX_RETRY_DELAY] * 2
    assert [0.5, 1.0, 2.0, 4.0, 8.0, 8.0] == floors
    for attempt, floor in enumerate(floors, start=1):
        for _ in range(20):
            delay = retry_delay(after_attempt(attempt, status_error(503)))
            assert floor <= delay <= min(floor + 0.25, MAX_RETRY_DELAY)


class Loop:
    """retrying(max_retries) around a call that fails with `failure` every time."""

    def __init__(self, max_retries: int, failure: APIStatusError) -> None:
        self.max_retries = max_retries
        self.failure = failure
        self.attempts = 0
        self.pauses: list[float] = []

    def run(self) -> None:
        for attempt in retrying(self.max_retries, self.pauses.append):
            with attempt:
                self.attempts += 1
                raise self.failure


def test_the_loop_makes_max_retries_more_attempts_then_raises_the_last_error() -> None:
    loop = Loop(3, status_error(503, "0"))
    with pytest.raises(APIStatusError) as raised:
        loop.run()
    assert (4, [0.0, 0.0, 0.0], loop.failure) == (loop.attempts, loop.pauses, raised.value)


def test_the_loop_stops_at_a_final_error() -> None:
    loop = Loop(3, status_error(404))
    with pytest.raises(APIStatusError):
        loop.run()
    assert (1, []) == (loop.attempts, loop.pauses)
