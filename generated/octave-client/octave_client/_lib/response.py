# Generated from openapi.yaml by `make generate`: do not edit.
# Copied from client_lib/response.py: edit that file.
"""An answer as the SDK returns it: the typed model, or the whole answer (`APIResponse`)."""

import logging
import time
from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar

import httpx

from .errors import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    error_for_response,
    request_id_of,
)
from .log import logger


class Returned(Protocol):
    """A model the SDK returns: it carries the request id of its answer."""

    request_id_: str


_T = TypeVar("_T", bound=Returned)


class APIResponse(Generic[_T]):
    """A whole answer, from `with_raw_response`: status, headers and request id beside the model.

    `parse()` gives the same model the plain call returns; `http_response` is httpx's response.
    """

    __slots__ = ("_parsed", "headers", "http_response", "request_id", "status_code")

    def __init__(self, http_response: httpx.Response, parsed: _T) -> None:
        self.http_response = http_response
        self.status_code = http_response.status_code
        self.headers = http_response.headers
        self.request_id = parsed.request_id_
        self._parsed = parsed

    def parse(self) -> _T:
        """The typed model of the answer (already checked against the spec when it arrived)."""
        return self._parsed


def parse_response(
    response: httpx.Response, parse: Callable[[dict[str, Any]], _T], attempt: int, started: float
) -> APIResponse[_T]:
    """The answer with its parsed success model, or the typed error for it; logs the attempt."""
    request = response.request
    if logger.isEnabledFor(logging.INFO):
        logger.info(
            "%s %s -> %d request_id=%s attempt=%d elapsed=%.3fs",
            request.method,
            request.url.path,
            response.status_code,
            response.headers.get("X-Request-Id"),
            attempt,
            time.monotonic() - started,
        )
    if not response.is_success:
        raise error_for_response(response)
    try:
        body = response.json()
    except ValueError as exc:
        message = f"the {response.status_code} answer is not JSON"
        raise APIResponseValidationError(response, message) from exc
    if not isinstance(body, dict):
        raise APIResponseValidationError(response, "the answer is not a JSON object")
    try:
        model = parse(body)
    except KeyError as exc:
        message = f"required field {exc} is missing"
        raise APIResponseValidationError(response, message) from exc
    except (TypeError, ValueError, AttributeError) as exc:
        message = f"the answer does not match the spec: {exc}"
        raise APIResponseValidationError(response, message) from exc
    model.request_id_ = request_id_of(response, body) or ""
    return APIResponse(response, model)


def connection_error(request: httpx.Request, exception: httpx.TransportError) -> APIConnectionError:
    """The SDK's error for a request that got no answer."""
    if isinstance(exception, httpx.TimeoutException):
        return APITimeoutError(request, repr(exception))
    return APIConnectionError(request, repr(exception))
