# Generated from openapi.yaml by `make generate`: do not edit.
# Copied from client_lib/base_client.py: edit that file.
"""What `Octave` and `AsyncOctave` do for every operation: headers, the request, retries, the
answer. The generated subclasses add what the spec names: one resource per tag."""

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Self, TypeVar

import httpx

from .errors import OctaveError
from .options import Options
from .response import APIResponse, Returned, connection_error, parse_response
from .retries import async_retrying, retrying, should_retry

_T = TypeVar("_T", bound=Returned)
# What `_request` receives: the generated low-level `_get_kwargs(...)` of an operation, and the
# `from_dict` of the model of its success.
Request = dict[str, Any]
Parse = Callable[[dict[str, Any]], _T]


class _BaseAPIClient:
    """The settings and the request building that the sync and the async client share."""

    _options: Options
    _headers: dict[str, str]

    @property
    def base_url(self) -> str:
        return self._options.base_url

    @property
    def timeout(self) -> httpx.Timeout:
        return self._options.timeout

    @property
    def max_retries(self) -> int:
        return self._options.max_retries

    def _add_resources(self) -> None:
        """Give the client its resources (`products`, ...): the generated subclass names them."""
        raise NotImplementedError

    def _build_request(
        self,
        http: httpx.Client | httpx.AsyncClient,
        request: Request,
        extra_headers: Mapping[str, str] | None,
        timeout: float | httpx.Timeout | None,
    ) -> httpx.Request:
        """One request, sent again as it is on each retry."""
        request["url"] = self._options.base_url + request["url"]
        headers = {**self._headers, **request.get("headers", {})}
        if extra_headers:  # they win, whatever their case; plain dicts cost less than httpx.Headers
            extra = {name.lower(): value for name, value in extra_headers.items()}
            headers = {name: value for name, value in headers.items() if name.lower() not in extra}
            headers.update(extra)
        request["headers"] = headers
        timeout = self._options.timeout if timeout is None else timeout
        return http.build_request(**request, timeout=timeout)

    def _may_retry(self, failure: OctaveError) -> bool:
        return self._options.max_retries > 0 and should_retry(failure)


class SyncAPIClient(_BaseAPIClient):
    """`Octave`'s machinery: blocking calls on an `httpx.Client`."""

    def __init__(
        self,
        options: Options,
        http_client: httpx.Client | None,
        sleep: Callable[[float], None] | None,
    ) -> None:
        self._options = options
        # Requests carry absolute URLs, so a given http_client needs no base_url of its own.
        self._http = http_client or httpx.Client()
        self._sleep = sleep
        self._retrying = retrying(options.max_retries, sleep or time.sleep)
        self._headers = options.headers()
        self._add_resources()

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> Self:
        """A copy with another timeout or retry count, sharing this client's connections."""
        copy = object.__new__(type(self))
        # Not type(self)(...): the subclass's own __init__ would read the environment again.
        SyncAPIClient.__init__(
            copy, self._options.replace(timeout, max_retries), self._http, self._sleep
        )
        return copy

    def _request(
        self,
        request: Request,
        parse: Parse[_T],
        extra_headers: Mapping[str, str] | None,
        timeout: float | httpx.Timeout | None,
    ) -> APIResponse[_T]:
        http_request = self._build_request(self._http, request, extra_headers, timeout)
        # The first attempt runs outside tenacity, whose bookkeeping costs about as much as
        # parsing the answer; only a failure that may be retried enters the retry loop.
        try:
            return self._attempt(http_request, parse, 1)
        except OctaveError as first_failure:
            if not self._may_retry(first_failure):
                raise
            failure = first_failure
        for attempt in self._retrying.copy():
            with attempt:
                number = attempt.retry_state.attempt_number
                if number == 1:
                    raise failure  # tenacity counts it, logs it and waits before attempt 2
                return self._attempt(http_request, parse, number)
        raise AssertionError("unreachable: tenacity re-raises the last error")  # for type checkers

    def _attempt(
        self, http_request: httpx.Request, parse: Parse[_T], number: int
    ) -> APIResponse[_T]:
        started = time.monotonic()
        try:
            response = self._http.send(http_request)
        except httpx.TransportError as exc:
            raise connection_error(http_request, exc) from exc
        response.read()
        return parse_response(response, parse, number, started)

    def close(self) -> None:
        """Close the connections (also done by leaving a `with` block)."""
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *args: object) -> None:
        self.close()


class AsyncAPIClient(_BaseAPIClient):
    """`AsyncOctave`'s machinery: `SyncAPIClient`'s, awaited, on an `httpx.AsyncClient`."""

    def __init__(
        self,
        options: Options,
        http_client: httpx.AsyncClient | None,
        sleep: Callable[[float], Awaitable[None]] | None,
    ) -> None:
        self._options = options
        self._http = http_client or httpx.AsyncClient()
        self._sleep = sleep
        self._retrying = async_retrying(options.max_retries, sleep or asyncio.sleep)
        self._headers = options.headers()
        self._add_resources()

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> Self:
        """A copy with another timeout or retry count, sharing this client's connections."""
        copy = object.__new__(type(self))
        AsyncAPIClient.__init__(
            copy, self._options.replace(timeout, max_retries), self._http, self._sleep
        )
        return copy

    async def _request(
        self,
        request: Request,
        parse: Parse[_T],
        extra_headers: Mapping[str, str] | None,
        timeout: float | httpx.Timeout | None,
    ) -> APIResponse[_T]:
        http_request = self._build_request(self._http, request, extra_headers, timeout)
        try:
            return await self._attempt(http_request, parse, 1)
        except OctaveError as first_failure:
            if not self._may_retry(first_failure):
                raise
            failure = first_failure
        async for attempt in self._retrying.copy():
            with attempt:
                number = attempt.retry_state.attempt_number
                if number == 1:
                    raise failure
                return await self._attempt(http_request, parse, number)
        raise AssertionError("unreachable: tenacity re-raises the last error")

    async def _attempt(
        self, http_request: httpx.Request, parse: Parse[_T], number: int
    ) -> APIResponse[_T]:
        started = time.monotonic()
        try:
            response = await self._http.send(http_request)
        except httpx.TransportError as exc:
            raise connection_error(http_request, exc) from exc
        await response.aread()
        return parse_response(response, parse, number, started)

    async def close(self) -> None:
        """Close the connections (also done by leaving a `with` block)."""
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *args: object) -> None:
        await self.close()
