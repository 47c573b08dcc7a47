# Generated from openapi.yaml by `make generate`: do not edit.
# Copied from client_lib/retries.py: edit that file.
"""Which failures are retried, and how long to wait before the next attempt.

Retries use tenacity at the SDK's level rather than a retrying httpx transport (httpx-retries):
the decision needs the typed error, e.g. a Retry-After over MAX_RETRY_AFTER must raise at
once, where a transport would cap and wait it.
"""

from collections.abc import Awaitable, Callable

import tenacity

from .errors import APIConnectionError, APIStatusError
from .log import logger

DEFAULT_MAX_RETRIES = 2
INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
# A longer Retry-After is not waited out: the RateLimitError is raised at once.
MAX_RETRY_AFTER = 60.0
# Retried besides connection errors and timeouts; every status of 500 and above is too.
RETRYABLE_STATUSES = frozenset({408, 409, 429})


def should_retry(exception: BaseException) -> bool:
    """Whether another attempt may succeed where this one failed."""
    if isinstance(exception, APIConnectionError):
        return True
    if isinstance(exception, APIStatusError):
        retryable = exception.status_code >= 500 or exception.status_code in RETRYABLE_STATUSES
        retry_after = exception.retry_after
        return retryable and (retry_after is None or retry_after <= MAX_RETRY_AFTER)
    return False


_backoff = tenacity.wait_exponential_jitter(
    multiplier=INITIAL_RETRY_DELAY, max=MAX_RETRY_DELAY, jitter=0.25
)


def retry_delay(state: tenacity.RetryCallState) -> float:
    """The server's Retry-After when it gave one, else exponential backoff with jitter."""
    exception = state.outcome.exception() if state.outcome else None
    if isinstance(exception, APIStatusError) and exception.retry_after is not None:
        return exception.retry_after
    return _backoff(state)


def _log_retry(state: tenacity.RetryCallState) -> None:
    exception = state.outcome.exception() if state.outcome else None
    sleep = state.next_action.sleep if state.next_action else 0.0
    logger.info("retrying in %.2fs after attempt %d: %s", sleep, state.attempt_number, exception)


def retrying(max_retries: int, sleep: Callable[[float], None]) -> tenacity.Retrying:
    """The retry loop of a client: `max_retries` attempts after the first, `sleep` between."""
    return tenacity.Retrying(
        stop=tenacity.stop_after_attempt(max_retries + 1),
        wait=retry_delay,
        retry=tenacity.retry_if_exception(should_retry),
        before_sleep=_log_retry,
        reraise=True,
        sleep=sleep,
    )


def async_retrying(
    max_retries: int, sleep: Callable[[float], Awaitable[None]]
) -> tenacity.AsyncRetrying:
    """The retry loop of an async client, as `retrying`."""
    return tenacity.AsyncRetrying(
        stop=tenacity.stop_after_attempt(max_retries + 1),
        wait=retry_delay,
        retry=tenacity.retry_if_exception(should_retry),
        before_sleep=_log_retry,
        reraise=True,
        sleep=sleep,
    )
