"""client_lib/errors.py as it lies in the repository: the error of an answer, Retry-After."""

from __future__ import annotations

import email.utils
import time

import httpx
import pytest

from client_lib.errors import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    error_for_response,
    parse_retry_after,
    request_id_of,
)

REQUEST = httpx.Request("GET", "http://127.0.0.1:9/api/v2/product/get?oId=p_1")


def answer(
    status: int,
    *,
    json: object = None,
    text: str | None = None,
    content: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """An answer to REQUEST, as httpx builds it from the wire."""
    return httpx.Response(
        status, json=json, text=text, content=content, headers=headers, request=REQUEST
    )


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (429, RateLimitError),
        (500, InternalServerError),
        (502, InternalServerError),
        (599, InternalServerError),
        (409, APIStatusError),
        (413, APIStatusError),
        (415, APIStatusError),
    ],
)
def test_each_status_has_its_error_class(status: int, error_class: type[APIStatusError]) -> None:
    """The documented statuses have their own class; any other is a plain APIStatusError."""
    error = error_for_response(answer(status, json={"message": "oId: is required"}))
    assert error_class is type(error)
    assert (status, "oId: is required") == (error.status_code, error.message)
    assert f"{status}: oId: is required" == str(error)


def test_a_body_that_is_not_json_becomes_the_message() -> None:
    """A load balancer's HTML page is the message, never a JSONDecodeError."""
    page = "<html><body>502 Bad Gateway</body></html>\n"
    error = error_for_response(answer(502, text=page))
    assert (InternalServerError, page.strip(), page) == (type(error), error.message, error.body)


def test_an_empty_body_gives_the_reason_phrase() -> None:
    error = error_for_response(answer(503, content=b""))
    assert "Service Unavailable" == error.message


def test_a_json_body_without_a_message_gives_the_reason_phrase() -> None:
    error = error_for_response(answer(404, json={"error": "nope"}))
    assert ("Not Found", {"error": "nope"}) == (error.message, error.body)


def test_the_request_id_is_the_header_else_the_bodys_metadata() -> None:
    body = {"message": "x", "_metadata": {"requestId": "req_body"}}
    with_header = answer(404, json=body, headers={"X-Request-Id": "req_header"})
    assert "req_header" == error_for_response(with_header).request_id
    assert "req_body" == error_for_response(answer(404, json=body)).request_id
    assert request_id_of(answer(404, json={"_metadata": {"requestId": 7}}), {}) is None
    assert request_id_of(answer(404), "text") is None


def test_a_429_carries_its_retry_after() -> None:
    error = error_for_response(answer(429, json={"message": "slow"}, headers={"Retry-After": "5"}))
    assert 5.0 == error.retry_after


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("3", 3.0),
        (" 7 ", 7.0),
        ("0", 0.0),
        (None, None),
        ("soon", None),
        ("1.5", None),
        ("-1", None),
    ],
)
def test_retry_after_in_delta_seconds(value: str | None, seconds: float | None) -> None:
    """Whole seconds only, as RFC 9110 says; anything else unreadable is None (no wait known)."""
    assert seconds == parse_retry_after(value)


def test_retry_after_as_an_http_date_is_the_seconds_until_then() -> None:
    seconds = parse_retry_after(email.utils.formatdate(time.time() + 30, usegmt=True))
    assert seconds is not None
    assert 28.0 <= seconds <= 30.0


def test_a_retry_after_date_in_the_past_is_no_wait() -> None:
    assert 0.0 == parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT")


def test_a_retry_after_date_without_a_zone_is_read_as_utc() -> None:
    assert 0.0 == parse_retry_after("Wed, 21 Oct 2015 07:28:00")
