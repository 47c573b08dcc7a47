"""Everything the SDK raises (`OctaveError` and its subclasses), and the error for an answer."""

import datetime
import email.utils
from typing import Any

import httpx


class OctaveError(Exception):
    """Base class of every error the SDK (`Octave`, `AsyncOctave`) raises."""


class APIConnectionError(OctaveError):
    """The request never got an answer: refused connection, DNS failure, reset, TLS error.

    The message names the URL that could not be reached (`request.url`), and what happened.
    """

    what = "Connection error: could not reach"

    def __init__(self, request: httpx.Request, cause: str) -> None:
        super().__init__(f"{self.what} {request.method} {request.url} ({cause})")
        self.request = request


class APITimeoutError(APIConnectionError):
    """The request timed out (connect, read, write or pool timeout)."""

    what = "Request timed out:"


class APIResponseValidationError(OctaveError):
    """A 2xx answer whose body does not match the spec.

    Not JSON, a required field missing, or a scalar of the wrong type.
    """

    def __init__(self, response: httpx.Response, message: str) -> None:
        super().__init__(message)
        self.response = response
        self.status_code = response.status_code


class APIStatusError(OctaveError):
    """The API answered with a status that is not 2xx."""

    def __init__(self, message: str, *, response: httpx.Response, body: object) -> None:
        super().__init__(f"{response.status_code}: {message}")
        self.message = message
        self.response = response
        self.status_code = response.status_code
        self.headers = response.headers
        self.body = body
        self.request_id = request_id_of(response, body)
        self.retry_after = parse_retry_after(response.headers.get("Retry-After"))
        """Seconds the server asked to wait before retrying (`Retry-After`), or None."""


class BadRequestError(APIStatusError):
    """400: the request does not match the contract; the message names the field."""


class AuthenticationError(APIStatusError):
    """401: the `api_key` header is missing or not a known key."""


class PermissionDeniedError(APIStatusError):
    """403: the key may not do this (e.g. a read-only key updating)."""


class NotFoundError(APIStatusError):
    """404: no object with this oId in the key's workspace."""


class RateLimitError(APIStatusError):
    """429: too many requests; `retry_after` says how long to wait, if the server said."""


class InternalServerError(APIStatusError):
    """Any status of 500 or above."""


_ERRORS_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    429: RateLimitError,
}


def error_for_response(response: httpx.Response) -> APIStatusError:
    """The typed error for a non-2xx answer.

    A body that is not JSON (a proxy's HTML page) becomes the message.
    """
    body: Any
    try:
        body = response.json()
    except ValueError:
        body = response.text
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        message = body["message"]
    else:
        message = (body if isinstance(body, str) else "") or response.reason_phrase
    error_class: type[APIStatusError]
    if response.status_code >= 500:
        error_class = InternalServerError
    else:
        error_class = _ERRORS_BY_STATUS.get(response.status_code, APIStatusError)
    return error_class(message.strip(), response=response, body=body)


def parse_retry_after(value: str | None) -> float | None:
    """`Retry-After` in seconds, from delta-seconds or an HTTP date; None if absent or bad."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.UTC)
    return max(0.0, (when - datetime.datetime.now(datetime.UTC)).total_seconds())


def request_id_of(response: httpx.Response, body: object) -> str | None:
    """The answer's request id: its `X-Request-Id` header, else its body's `_metadata.requestId`."""
    header: str | None = response.headers.get("X-Request-Id")
    if header is not None:
        return header
    if isinstance(body, dict) and isinstance(body.get("_metadata"), dict):
        request_id: object = body["_metadata"].get("requestId")
        if isinstance(request_id, str):
            return request_id
    return None


__all__ = [
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "InternalServerError",
    "NotFoundError",
    "OctaveError",
    "PermissionDeniedError",
    "RateLimitError",
    "error_for_response",
    "parse_retry_after",
    "request_id_of",
]
