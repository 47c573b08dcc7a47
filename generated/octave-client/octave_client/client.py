import ssl
from typing import Any, Self

import httpx
from attrs import define, evolve, field

# Octave's defaults: a finite timeout (httpx's `None` would wait forever), the `api_key` header, no prefix.
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)


@define
class Client:
    """A class for keeping track of data related to the API

    The following are accepted as keyword arguments and will be used to construct httpx Clients internally:

        ``base_url``: The base URL for the API, all requests are made to a relative path to this URL

        ``cookies``: A dictionary of cookies to be sent with every request

        ``headers``: A dictionary of headers to be sent with every request

        ``timeout``: The maximum amount of a time a request can take. API functions will raise
        httpx.TimeoutException if this is exceeded.

        ``verify_ssl``: Whether or not to verify the SSL certificate of the API server. This should be True in production,
        but can be set to False for testing purposes.

        ``follow_redirects``: Whether or not to follow redirects. Default value is False.

        ``httpx_args``: A dictionary of additional arguments to be passed to the ``httpx.Client`` and ``httpx.AsyncClient`` constructor.

    """

    raise_on_unexpected_status: bool = field(default=False, kw_only=True)
    """Whether or not to raise an errors.UnexpectedStatus if the API returns a status code that was not documented in the source OpenAPI document. Can also be provided as a keyword argument to the constructor."""
    _base_url: str = field(alias="base_url")
    _cookies: dict[str, str] = field(factory=dict, kw_only=True, alias="cookies")
    _headers: dict[str, str] = field(factory=dict, kw_only=True, alias="headers")
    _timeout: httpx.Timeout | None = field(default=DEFAULT_TIMEOUT, kw_only=True, alias="timeout")
    _verify_ssl: str | bool | ssl.SSLContext = field(default=True, kw_only=True, alias="verify_ssl")
    _follow_redirects: bool = field(default=False, kw_only=True, alias="follow_redirects")
    _httpx_args: dict[str, Any] = field(factory=dict, kw_only=True, alias="httpx_args")
    _client: httpx.Client | None = field(default=None, init=False)
    _async_client: httpx.AsyncClient | None = field(default=None, init=False)

    def with_headers(self, headers: dict[str, str]) -> "Client":
        """Get a new client matching this one with additional headers"""
        if self._client is not None:
            self._client.headers.update(headers)
        if self._async_client is not None:
            self._async_client.headers.update(headers)
        return evolve(self, headers={**self._headers, **headers})

    def with_cookies(self, cookies: dict[str, str]) -> "Client":
        """Get a new client matching this one with additional cookies"""
        if self._client is not None:
            self._client.cookies.update(cookies)
        if self._async_client is not None:
            self._async_client.cookies.update(cookies)
        return evolve(self, cookies={**self._cookies, **cookies})

    def with_timeout(self, timeout: httpx.Timeout) -> "Client":
        """Get a new client matching this one with a new timeout configuration"""
        if self._client is not None:
            self._client.timeout = timeout
        if self._async_client is not None:
            self._async_client.timeout = timeout
        return evolve(self, timeout=timeout)

    def set_httpx_client(self, client: httpx.Client) -> Self:
        """Manually set the underlying httpx.Client

        **NOTE**: This will override any other settings on the client, including cookies, headers, and timeout.
        """
        self._client = client
        return self

    def get_httpx_client(self) -> httpx.Client:
        """Get the underlying httpx.Client, constructing a new one if not previously set"""
        if self._client is None:
            self._client = httpx.Client(
                base_url=self._base_url,
                cookies=self._cookies,
                headers=self._headers,
                timeout=self._timeout,
                verify=self._verify_ssl,
                follow_redirects=self._follow_redirects,
                **self._httpx_args,
            )
        return self._client

    def __enter__(self) -> Self:
        """Enter a context manager for self.client—you cannot enter twice (see httpx docs)"""
        self.get_httpx_client().__enter__()
        return self

    def __exit__(self, *args: Any, **kwargs: Any) -> None:
        """Exit a context manager for internal httpx.Client (see httpx docs)"""
        self.get_httpx_client().__exit__(*args, **kwargs)

    def set_async_httpx_client(self, async_client: httpx.AsyncClient) -> Self:
        """Manually set the underlying httpx.AsyncClient

        **NOTE**: This will override any other settings on the client, including cookies, headers, and timeout.
        """
        self._async_client = async_client
        return self

    def get_async_httpx_client(self) -> httpx.AsyncClient:
        """Get the underlying httpx.AsyncClient, constructing a new one if not previously set"""
        if self._async_client is None:
            self._async_client = httpx.AsyncClient(
                base_url=self._base_url,
                cookies=self._cookies,
                headers=self._headers,
                timeout=self._timeout,
                verify=self._verify_ssl,
                follow_redirects=self._follow_redirects,
                **self._httpx_args,
            )
        return self._async_client

    async def __aenter__(self) -> Self:
        """Enter a context manager for underlying httpx.AsyncClient—you cannot enter twice (see httpx docs)"""
        await self.get_async_httpx_client().__aenter__()
        return self

    async def __aexit__(self, *args: Any, **kwargs: Any) -> None:
        """Exit a context manager for underlying httpx.AsyncClient (see httpx docs)"""
        await self.get_async_httpx_client().__aexit__(*args, **kwargs)


@define
class AuthenticatedClient:
    """A Client which has been authenticated for use on secured endpoints

    The following are accepted as keyword arguments and will be used to construct httpx Clients internally:

        ``base_url``: The base URL for the API, all requests are made to a relative path to this URL

        ``cookies``: A dictionary of cookies to be sent with every request

        ``headers``: A dictionary of headers to be sent with every request

        ``timeout``: The maximum amount of a time a request can take. API functions will raise
        httpx.TimeoutException if this is exceeded.

        ``verify_ssl``: Whether or not to verify the SSL certificate of the API server. This should be True in production,
        but can be set to False for testing purposes.

        ``follow_redirects``: Whether or not to follow redirects. Default value is False.

        ``httpx_args``: A dictionary of additional arguments to be passed to the ``httpx.Client`` and ``httpx.AsyncClient`` constructor.

    """

    raise_on_unexpected_status: bool = field(default=False, kw_only=True)
    """Whether or not to raise an errors.UnexpectedStatus if the API returns a status code that was not documented in the source OpenAPI document. Can also be provided as a keyword argument to the constructor."""
    _base_url: str = field(alias="base_url")
    _cookies: dict[str, str] = field(factory=dict, kw_only=True, alias="cookies")
    _headers: dict[str, str] = field(factory=dict, kw_only=True, alias="headers")
    _timeout: httpx.Timeout | None = field(default=DEFAULT_TIMEOUT, kw_only=True, alias="timeout")
    _verify_ssl: str | bool | ssl.SSLContext = field(default=True, kw_only=True, alias="verify_ssl")
    _follow_redirects: bool = field(default=False, kw_only=True, alias="follow_redirects")
    _httpx_args: dict[str, Any] = field(factory=dict, kw_only=True, alias="httpx_args")
    _client: httpx.Client | None = field(default=None, init=False)
    _async_client: httpx.AsyncClient | None = field(default=None, init=False)

    token: str
    """The token to use for authentication"""
    prefix: str = ""
    """The prefix to put before the token in the auth header (none for Octave)"""
    auth_header_name: str = "api_key"
    """The name of the auth header (Octave's is api_key)"""

    def with_headers(self, headers: dict[str, str]) -> "AuthenticatedClient":
        """Get a new client matching this one with additional headers"""
        if self._client is not None:
            self._client.headers.update(headers)
        if self._async_client is not None:
            self._async_client.headers.update(headers)
        return evolve(self, headers={**self._headers, **headers})

    def with_cookies(self, cookies: dict[str, str]) -> "AuthenticatedClient":
        """Get a new client matching this one with additional cookies"""
        if self._client is not None:
            self._client.cookies.update(cookies)
        if self._async_client is not None:
            self._async_client.cookies.update(cookies)
        return evolve(self, cookies={**self._cookies, **cookies})

    def with_timeout(self, timeout: httpx.Timeout) -> "AuthenticatedClient":
        """Get a new client matching this one with a new timeout configuration"""
        if self._client is not None:
            self._client.timeout = timeout
        if self._async_client is not None:
            self._async_client.timeout = timeout
        return evolve(self, timeout=timeout)

    def set_httpx_client(self, client: httpx.Client) -> Self:
        """Manually set the underlying httpx.Client

        **NOTE**: This will override any other settings on the client, including cookies, headers, and timeout.
        """
        self._client = client
        return self

    def get_httpx_client(self) -> httpx.Client:
        """Get the underlying httpx.Client, constructing a new one if not previously set"""
        if self._client is None:
            self._headers[self.auth_header_name] = f"{self.prefix} {self.token}" if self.prefix else self.token
            self._client = httpx.Client(
                base_url=self._base_url,
                cookies=self._cookies,
                headers=self._headers,
                timeout=self._timeout,
                verify=self._verify_ssl,
                follow_redirects=self._follow_redirects,
                **self._httpx_args,
            )
        return self._client

    def __enter__(self) -> Self:
        """Enter a context manager for self.client—you cannot enter twice (see httpx docs)"""
        self.get_httpx_client().__enter__()
        return self

    def __exit__(self, *args: Any, **kwargs: Any) -> None:
        """Exit a context manager for internal httpx.Client (see httpx docs)"""
        self.get_httpx_client().__exit__(*args, **kwargs)

    def set_async_httpx_client(self, async_client: httpx.AsyncClient) -> Self:
        """Manually set the underlying httpx.AsyncClient

        **NOTE**: This will override any other settings on the client, including cookies, headers, and timeout.
        """
        self._async_client = async_client
        return self

    def get_async_httpx_client(self) -> httpx.AsyncClient:
        """Get the underlying httpx.AsyncClient, constructing a new one if not previously set"""
        if self._async_client is None:
            self._headers[self.auth_header_name] = f"{self.prefix} {self.token}" if self.prefix else self.token
            self._async_client = httpx.AsyncClient(
                base_url=self._base_url,
                cookies=self._cookies,
                headers=self._headers,
                timeout=self._timeout,
                verify=self._verify_ssl,
                follow_redirects=self._follow_redirects,
                **self._httpx_args,
            )
        return self._async_client

    async def __aenter__(self) -> Self:
        """Enter a context manager for underlying httpx.AsyncClient—you cannot enter twice (see httpx docs)"""
        await self.get_async_httpx_client().__aenter__()
        return self

    async def __aexit__(self, *args: Any, **kwargs: Any) -> None:
        """Exit a context manager for underlying httpx.AsyncClient (see httpx docs)"""
        await self.get_async_httpx_client().__aexit__(*args, **kwargs)


# ---------------------------------------------------------------------------------------------
# The SDK: `Octave` and `AsyncOctave`. They raise typed errors (errors.py), retry with backoff and
# honour Retry-After (tenacity), log under the "octave_client" logger, and return the exact
# model of each operation's success answer. Retries use tenacity at this level rather than a
# retrying httpx transport (httpx-retries): the decision needs the typed error, e.g. a
# Retry-After over MAX_RETRY_AFTER must raise at once, where a transport would cap and wait it.
# ---------------------------------------------------------------------------------------------
import asyncio
import logging
import os
import platform
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Generic, Protocol, TypeVar

import tenacity

from . import errors
from .api.product import get_product
from .api.reference import update_reference
from .api.segment import get_segment
from .models import (
    CustomField,
    Product,
    Segment,
    UpdateReferenceRequest,
    UpdateReferenceResponse,
)
from .types import UNSET, Unset

# openapi.yaml's first server (the generator does not pass `servers` to templates; a test compares them).
DEFAULT_BASE_URL = "https://app.octavehq.com"
DEFAULT_MAX_RETRIES = 2
INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
# A longer Retry-After is not waited out: the RateLimitError is raised at once.
MAX_RETRY_AFTER = 60.0
# Retried besides connection errors and timeouts; every status of 500 and above is too.
RETRYABLE_STATUSES = frozenset({408, 409, 429})

# What Octave's support asks for: the client's version and what it runs on.
USER_AGENT = f"octave-client/2.0.1 python/{platform.python_version()} httpx/{httpx.__version__}"

logger = logging.getLogger("octave_client")


class _Returned(Protocol):
    """A model the SDK returns: it carries the request id of its answer."""

    request_id_: str


_T = TypeVar("_T", bound=_Returned)


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


def _configure_logging_from_env() -> None:
    """OCTAVE_LOG=info|debug turns on the SDK's log lines on stderr without code."""
    level = os.environ.get("OCTAVE_LOG", "").strip().lower()
    if level in ("info", "debug") and not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG if level == "debug" else logging.INFO)


_configure_logging_from_env()


def _should_retry(exception: BaseException) -> bool:
    if isinstance(exception, errors.APIConnectionError):
        return True
    if isinstance(exception, errors.APIStatusError):
        retryable = exception.status_code >= 500 or exception.status_code in RETRYABLE_STATUSES
        return retryable and (exception.retry_after is None or exception.retry_after <= MAX_RETRY_AFTER)
    return False


_backoff = tenacity.wait_exponential_jitter(multiplier=INITIAL_RETRY_DELAY, max=MAX_RETRY_DELAY, jitter=0.25)


def _retry_delay(state: tenacity.RetryCallState) -> float:
    """The server's Retry-After when it gave one, else exponential backoff with jitter."""
    exception = state.outcome.exception() if state.outcome else None
    if isinstance(exception, errors.APIStatusError) and exception.retry_after is not None:
        return exception.retry_after
    return _backoff(state)


def _log_retry(state: tenacity.RetryCallState) -> None:
    exception = state.outcome.exception() if state.outcome else None
    sleep = state.next_action.sleep if state.next_action else 0.0
    logger.info("retrying in %.2fs after attempt %d: %s", sleep, state.attempt_number, exception)


def _missing_api_key() -> errors.OctaveError:
    return errors.OctaveError("No API key: pass Octave(api_key=...) or set the OCTAVE_API_KEY environment variable.")


def _result(
    response: httpx.Response, parse: Callable[[dict[str, Any]], _T], attempt: int, started: float
) -> APIResponse[_T]:
    """The answer with its parsed success model, or the typed error for it."""
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
        raise errors.error_for_response(response)
    try:
        body = response.json()
    except ValueError as exc:
        raise errors.APIResponseValidationError(response, f"the {response.status_code} answer is not JSON") from exc
    if not isinstance(body, dict):
        raise errors.APIResponseValidationError(response, "the answer is not a JSON object")
    try:
        model = parse(body)
    except KeyError as exc:
        raise errors.APIResponseValidationError(response, f"required field {exc} is missing") from exc
    except (TypeError, ValueError, AttributeError) as exc:
        raise errors.APIResponseValidationError(response, f"the answer does not match the spec: {exc}") from exc
    model.request_id_ = errors.request_id_of(response, body) or ""
    return APIResponse(response, model)


def _connection_error(request: httpx.Request, exception: httpx.TransportError) -> errors.APIConnectionError:
    if isinstance(exception, httpx.TimeoutException):
        return errors.APITimeoutError(request, repr(exception))
    return errors.APIConnectionError(request, repr(exception))


_EXTRA_ARGUMENTS = {"params": "extra_query", "json": "extra_body"}


def _add_extra(
    request: dict[str, Any], part: str, extra: Mapping[str, object] | None, keywords: Mapping[str, str], method: str
) -> None:
    """Merge a call's `extra_query` or `extra_body` into the request's `part`.

    A key the spec names for the operation is an error: it has a keyword of its own, and a
    silent override would send something other than what the keyword says.
    """
    if not extra:
        return
    for key in extra:
        if key in keywords:
            raise TypeError(
                f"{method}(): {_EXTRA_ARGUMENTS[part]} key {key!r} is named by the spec; pass {keywords[key]}= instead"
            )
    request[part] = {**request.get(part, {}), **extra}


def _checked_base_url(given: str | None) -> str:
    """The base URL, refused at once when no request to it could work (no http(s) scheme, no host)."""
    source = "base_url" if given else "OCTAVE_BASE_URL"
    base_url = given or os.environ.get("OCTAVE_BASE_URL") or DEFAULT_BASE_URL
    try:
        url = httpx.URL(base_url)
    except httpx.InvalidURL as exc:
        raise errors.OctaveError(f"{source} {base_url!r} is not a URL: {exc}") from exc
    if url.scheme not in ("http", "https") or not url.host:
        raise errors.OctaveError(
            f"{source} {base_url!r} needs an http:// or https:// scheme and a host, e.g. {DEFAULT_BASE_URL}"
        )
    return base_url.rstrip("/")


class _Options:
    """What a client and its `with_options` copies share, and what they may change."""

    def __init__(
        self,
        api_key: str | None,
        base_url: str | None,
        timeout: float | httpx.Timeout,
        max_retries: int,
        default_headers: Mapping[str, str] | None,
    ) -> None:
        api_key = api_key if api_key is not None else os.environ.get("OCTAVE_API_KEY")
        if not api_key:
            raise _missing_api_key()
        if max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        self.api_key = api_key
        self.base_url = _checked_base_url(base_url)
        self.timeout = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        self.max_retries = max_retries
        self.default_headers = dict(default_headers or {})

    def headers(self) -> dict[str, str]:
        """Every request's headers: the key and the User-Agent, then `default_headers` over them."""
        headers = httpx.Headers({"api_key": self.api_key, "User-Agent": USER_AGENT})
        headers.update(self.default_headers)
        return dict(headers.items())


class ReferencesWithRawResponse:
    """`references` operations returning the whole answer: an `APIResponse` with the status, headers and request id, whose `parse()` gives the model."""

    def __init__(self, client: "Octave") -> None:
        self._client = client

    def update(
        self,
        o_id: str,
        *,
        name: str | Unset = UNSET,
        internal_name: str | Unset = UNSET,
        description: str | Unset = UNSET,
        business_model: str | Unset = UNSET,
        their_challenge: str | Unset = UNSET,
        how_they_use_us: str | Unset = UNSET,
        why_they_chose_us: str | Unset = UNSET,
        impact_they_saw: list[str] | Unset = UNSET,
        stakeholders_involved: list[str] | Unset = UNSET,
        custom_fields: list[CustomField] | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
        timeout: float | httpx.Timeout | None = None,
    ) -> APIResponse[UpdateReferenceResponse]:
        """Update a reference: the whole answer; `.parse()` gives the `UpdateReferenceResponse`.

        Raises what `references.update` raises.
        """
        body = UpdateReferenceRequest(
            o_id=o_id,
            name=name,
            internal_name=internal_name,
            description=description,
            business_model=business_model,
            their_challenge=their_challenge,
            how_they_use_us=how_they_use_us,
            why_they_chose_us=why_they_chose_us,
            impact_they_saw=impact_they_saw,
            stakeholders_involved=stakeholders_involved,
            custom_fields=custom_fields,
        )
        request = update_reference._get_kwargs(
            body=body,
        )
        _add_extra(request, "params", extra_query, {}, "references.update")
        _add_extra(
            request,
            "json",
            extra_body,
            {
                "oId": "o_id",
                "name": "name",
                "internalName": "internal_name",
                "description": "description",
                "businessModel": "business_model",
                "theirChallenge": "their_challenge",
                "howTheyUseUs": "how_they_use_us",
                "whyTheyChoseUs": "why_they_chose_us",
                "impactTheySaw": "impact_they_saw",
                "stakeholdersInvolved": "stakeholders_involved",
                "customFields": "custom_fields",
            },
            "references.update",
        )
        return self._client._request(request, UpdateReferenceResponse.from_dict, extra_headers, timeout)


class References:
    """`reference` operations: `update`. `with_raw_response` has the same methods, returning the whole answer."""

    with_raw_response: ReferencesWithRawResponse

    def __init__(self, client: "Octave") -> None:
        self.with_raw_response = ReferencesWithRawResponse(client)

    def update(
        self,
        o_id: str,
        *,
        name: str | Unset = UNSET,
        internal_name: str | Unset = UNSET,
        description: str | Unset = UNSET,
        business_model: str | Unset = UNSET,
        their_challenge: str | Unset = UNSET,
        how_they_use_us: str | Unset = UNSET,
        why_they_chose_us: str | Unset = UNSET,
        impact_they_saw: list[str] | Unset = UNSET,
        stakeholders_involved: list[str] | Unset = UNSET,
        custom_fields: list[CustomField] | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
        timeout: float | httpx.Timeout | None = None,
    ) -> UpdateReferenceResponse:
        """Update a reference

        Returns the `UpdateReferenceResponse` (its `request_id_` is the answer's request id), or raises an
        `OctaveError` (`NotFoundError`, `AuthenticationError`, ...). `extra_headers`, `extra_query`, `extra_body`
        and `timeout` apply to this call only; a key the spec names is an error in `extra_query` and `extra_body`.
        """
        answer = self.with_raw_response.update(
            o_id=o_id,
            name=name,
            internal_name=internal_name,
            description=description,
            business_model=business_model,
            their_challenge=their_challenge,
            how_they_use_us=how_they_use_us,
            why_they_chose_us=why_they_chose_us,
            impact_they_saw=impact_they_saw,
            stakeholders_involved=stakeholders_involved,
            custom_fields=custom_fields,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
            timeout=timeout,
        )
        return answer.parse()


class ProductsWithRawResponse:
    """`products` operations returning the whole answer: an `APIResponse` with the status, headers and request id, whose `parse()` gives the model."""

    def __init__(self, client: "Octave") -> None:
        self._client = client

    def get(
        self,
        o_id: str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        timeout: float | httpx.Timeout | None = None,
    ) -> APIResponse[Product]:
        """Get a product: the whole answer; `.parse()` gives the `Product`.

        Raises what `products.get` raises.
        """
        request = get_product._get_kwargs(
            o_id=o_id,
        )
        _add_extra(request, "params", extra_query, {"oId": "o_id"}, "products.get")
        return self._client._request(request, Product.from_dict, extra_headers, timeout)


class Products:
    """`product` operations: `get`. `with_raw_response` has the same methods, returning the whole answer."""

    with_raw_response: ProductsWithRawResponse

    def __init__(self, client: "Octave") -> None:
        self.with_raw_response = ProductsWithRawResponse(client)

    def get(
        self,
        o_id: str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        timeout: float | httpx.Timeout | None = None,
    ) -> Product:
        """Get a product

        Returns the `Product` (its `request_id_` is the answer's request id), or raises an
        `OctaveError` (`NotFoundError`, `AuthenticationError`, ...). `extra_headers`, `extra_query`
        and `timeout` apply to this call only; a key the spec names is an error in `extra_query`.
        """
        answer = self.with_raw_response.get(
            o_id=o_id,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
        )
        return answer.parse()


class SegmentsWithRawResponse:
    """`segments` operations returning the whole answer: an `APIResponse` with the status, headers and request id, whose `parse()` gives the model."""

    def __init__(self, client: "Octave") -> None:
        self._client = client

    def get(
        self,
        o_id: str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        timeout: float | httpx.Timeout | None = None,
    ) -> APIResponse[Segment]:
        """Get a segment: the whole answer; `.parse()` gives the `Segment`.

        Raises what `segments.get` raises.
        """
        request = get_segment._get_kwargs(
            o_id=o_id,
        )
        _add_extra(request, "params", extra_query, {"oId": "o_id"}, "segments.get")
        return self._client._request(request, Segment.from_dict, extra_headers, timeout)


class Segments:
    """`segment` operations: `get`. `with_raw_response` has the same methods, returning the whole answer."""

    with_raw_response: SegmentsWithRawResponse

    def __init__(self, client: "Octave") -> None:
        self.with_raw_response = SegmentsWithRawResponse(client)

    def get(
        self,
        o_id: str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        timeout: float | httpx.Timeout | None = None,
    ) -> Segment:
        """Get a segment

        Returns the `Segment` (its `request_id_` is the answer's request id), or raises an
        `OctaveError` (`NotFoundError`, `AuthenticationError`, ...). `extra_headers`, `extra_query`
        and `timeout` apply to this call only; a key the spec names is an error in `extra_query`.
        """
        answer = self.with_raw_response.get(
            o_id=o_id,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
        )
        return answer.parse()


class AsyncReferencesWithRawResponse:
    """`references` operations returning the whole answer: an `APIResponse` with the status, headers and request id, whose `parse()` gives the model."""

    def __init__(self, client: "AsyncOctave") -> None:
        self._client = client

    async def update(
        self,
        o_id: str,
        *,
        name: str | Unset = UNSET,
        internal_name: str | Unset = UNSET,
        description: str | Unset = UNSET,
        business_model: str | Unset = UNSET,
        their_challenge: str | Unset = UNSET,
        how_they_use_us: str | Unset = UNSET,
        why_they_chose_us: str | Unset = UNSET,
        impact_they_saw: list[str] | Unset = UNSET,
        stakeholders_involved: list[str] | Unset = UNSET,
        custom_fields: list[CustomField] | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
        timeout: float | httpx.Timeout | None = None,
    ) -> APIResponse[UpdateReferenceResponse]:
        """Update a reference: the whole answer; `.parse()` gives the `UpdateReferenceResponse`.

        Raises what `references.update` raises.
        """
        body = UpdateReferenceRequest(
            o_id=o_id,
            name=name,
            internal_name=internal_name,
            description=description,
            business_model=business_model,
            their_challenge=their_challenge,
            how_they_use_us=how_they_use_us,
            why_they_chose_us=why_they_chose_us,
            impact_they_saw=impact_they_saw,
            stakeholders_involved=stakeholders_involved,
            custom_fields=custom_fields,
        )
        request = update_reference._get_kwargs(
            body=body,
        )
        _add_extra(request, "params", extra_query, {}, "references.update")
        _add_extra(
            request,
            "json",
            extra_body,
            {
                "oId": "o_id",
                "name": "name",
                "internalName": "internal_name",
                "description": "description",
                "businessModel": "business_model",
                "theirChallenge": "their_challenge",
                "howTheyUseUs": "how_they_use_us",
                "whyTheyChoseUs": "why_they_chose_us",
                "impactTheySaw": "impact_they_saw",
                "stakeholdersInvolved": "stakeholders_involved",
                "customFields": "custom_fields",
            },
            "references.update",
        )
        return await self._client._request(request, UpdateReferenceResponse.from_dict, extra_headers, timeout)


class AsyncReferences:
    """`reference` operations: `update`. `with_raw_response` has the same methods, returning the whole answer."""

    with_raw_response: AsyncReferencesWithRawResponse

    def __init__(self, client: "AsyncOctave") -> None:
        self.with_raw_response = AsyncReferencesWithRawResponse(client)

    async def update(
        self,
        o_id: str,
        *,
        name: str | Unset = UNSET,
        internal_name: str | Unset = UNSET,
        description: str | Unset = UNSET,
        business_model: str | Unset = UNSET,
        their_challenge: str | Unset = UNSET,
        how_they_use_us: str | Unset = UNSET,
        why_they_chose_us: str | Unset = UNSET,
        impact_they_saw: list[str] | Unset = UNSET,
        stakeholders_involved: list[str] | Unset = UNSET,
        custom_fields: list[CustomField] | Unset = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
        timeout: float | httpx.Timeout | None = None,
    ) -> UpdateReferenceResponse:
        """Update a reference

        Returns the `UpdateReferenceResponse` (its `request_id_` is the answer's request id), or raises an
        `OctaveError` (`NotFoundError`, `AuthenticationError`, ...). `extra_headers`, `extra_query`, `extra_body`
        and `timeout` apply to this call only; a key the spec names is an error in `extra_query` and `extra_body`.
        """
        answer = await self.with_raw_response.update(
            o_id=o_id,
            name=name,
            internal_name=internal_name,
            description=description,
            business_model=business_model,
            their_challenge=their_challenge,
            how_they_use_us=how_they_use_us,
            why_they_chose_us=why_they_chose_us,
            impact_they_saw=impact_they_saw,
            stakeholders_involved=stakeholders_involved,
            custom_fields=custom_fields,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
            timeout=timeout,
        )
        return answer.parse()


class AsyncProductsWithRawResponse:
    """`products` operations returning the whole answer: an `APIResponse` with the status, headers and request id, whose `parse()` gives the model."""

    def __init__(self, client: "AsyncOctave") -> None:
        self._client = client

    async def get(
        self,
        o_id: str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        timeout: float | httpx.Timeout | None = None,
    ) -> APIResponse[Product]:
        """Get a product: the whole answer; `.parse()` gives the `Product`.

        Raises what `products.get` raises.
        """
        request = get_product._get_kwargs(
            o_id=o_id,
        )
        _add_extra(request, "params", extra_query, {"oId": "o_id"}, "products.get")
        return await self._client._request(request, Product.from_dict, extra_headers, timeout)


class AsyncProducts:
    """`product` operations: `get`. `with_raw_response` has the same methods, returning the whole answer."""

    with_raw_response: AsyncProductsWithRawResponse

    def __init__(self, client: "AsyncOctave") -> None:
        self.with_raw_response = AsyncProductsWithRawResponse(client)

    async def get(
        self,
        o_id: str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        timeout: float | httpx.Timeout | None = None,
    ) -> Product:
        """Get a product

        Returns the `Product` (its `request_id_` is the answer's request id), or raises an
        `OctaveError` (`NotFoundError`, `AuthenticationError`, ...). `extra_headers`, `extra_query`
        and `timeout` apply to this call only; a key the spec names is an error in `extra_query`.
        """
        answer = await self.with_raw_response.get(
            o_id=o_id,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
        )
        return answer.parse()


class AsyncSegmentsWithRawResponse:
    """`segments` operations returning the whole answer: an `APIResponse` with the status, headers and request id, whose `parse()` gives the model."""

    def __init__(self, client: "AsyncOctave") -> None:
        self._client = client

    async def get(
        self,
        o_id: str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        timeout: float | httpx.Timeout | None = None,
    ) -> APIResponse[Segment]:
        """Get a segment: the whole answer; `.parse()` gives the `Segment`.

        Raises what `segments.get` raises.
        """
        request = get_segment._get_kwargs(
            o_id=o_id,
        )
        _add_extra(request, "params", extra_query, {"oId": "o_id"}, "segments.get")
        return await self._client._request(request, Segment.from_dict, extra_headers, timeout)


class AsyncSegments:
    """`segment` operations: `get`. `with_raw_response` has the same methods, returning the whole answer."""

    with_raw_response: AsyncSegmentsWithRawResponse

    def __init__(self, client: "AsyncOctave") -> None:
        self.with_raw_response = AsyncSegmentsWithRawResponse(client)

    async def get(
        self,
        o_id: str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        timeout: float | httpx.Timeout | None = None,
    ) -> Segment:
        """Get a segment

        Returns the `Segment` (its `request_id_` is the answer's request id), or raises an
        `OctaveError` (`NotFoundError`, `AuthenticationError`, ...). `extra_headers`, `extra_query`
        and `timeout` apply to this call only; a key the spec names is an error in `extra_query`.
        """
        answer = await self.with_raw_response.get(
            o_id=o_id,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
        )
        return answer.parse()


class Octave:
    """Client of Octave's API: one object, typed errors, retries.

    ``api_key`` defaults to the OCTAVE_API_KEY environment variable and ``base_url`` to
    OCTAVE_BASE_URL, then https://app.octavehq.com; a base URL without an http(s) scheme or a
    host is refused here. ``timeout`` is in seconds (or an ``httpx.Timeout``). ``max_retries``
    retries connection errors, timeouts, 408, 409, 429 and 5xx with exponential backoff,
    honouring ``Retry-After`` up to MAX_RETRY_AFTER seconds. ``default_headers`` go with every
    request, over the SDK's own (``User-Agent``: USER_AGENT). ``sleep`` replaces the pause
    between attempts (for tests).
    """

    references: References
    products: Products
    segments: Segments

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.Client | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self._setup(_Options(api_key, base_url, timeout, max_retries, default_headers), http_client, sleep)

    def _setup(
        self,
        options: _Options,
        http_client: httpx.Client | None,
        sleep: Callable[[float], None] | None,
    ) -> None:
        self._options = options
        # Requests carry absolute URLs, so a given http_client needs no base_url of its own.
        self._http = http_client or httpx.Client()
        self._sleep = sleep
        self._retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(options.max_retries + 1),
            wait=_retry_delay,
            retry=tenacity.retry_if_exception(_should_retry),
            before_sleep=_log_retry,
            reraise=True,
            sleep=sleep or time.sleep,
        )
        self._headers = options.headers()
        self.references = References(self)
        self.products = Products(self)
        self.segments = Segments(self)

    @property
    def base_url(self) -> str:
        return self._options.base_url

    @property
    def timeout(self) -> httpx.Timeout:
        return self._options.timeout

    @property
    def max_retries(self) -> int:
        return self._options.max_retries

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> "Octave":
        """A copy with another timeout or retry count, sharing this client's connections."""
        options = _Options(
            self._options.api_key,
            self._options.base_url,
            self._options.timeout if timeout is None else timeout,
            self._options.max_retries if max_retries is None else max_retries,
            self._options.default_headers,
        )
        copy = object.__new__(type(self))
        copy._setup(options, self._http, self._sleep)
        return copy

    def _request(
        self,
        request: dict[str, Any],
        parse: Callable[[dict[str, Any]], _T],
        extra_headers: Mapping[str, str] | None,
        timeout: float | httpx.Timeout | None,
    ) -> APIResponse[_T]:
        # One request, sent again as it is on each retry.
        request["url"] = self._options.base_url + request["url"]
        headers = {**self._headers, **request.get("headers", {})}
        if extra_headers:  # they win, whatever their case; plain dicts cost less than httpx.Headers
            extra = {name.lower(): value for name, value in extra_headers.items()}
            headers = {name: value for name, value in headers.items() if name.lower() not in extra}
            headers.update(extra)
        request["headers"] = headers
        timeout = self._options.timeout if timeout is None else timeout
        http_request = self._http.build_request(**request, timeout=timeout)
        # The first attempt runs outside tenacity, whose bookkeeping costs about as much as
        # parsing the answer; only a failure that may be retried enters the retry loop.
        try:
            return self._attempt(http_request, parse, 1)
        except errors.OctaveError as first_failure:
            if self._options.max_retries == 0 or not _should_retry(first_failure):
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
        self, http_request: httpx.Request, parse: Callable[[dict[str, Any]], _T], number: int
    ) -> APIResponse[_T]:
        started = time.monotonic()
        try:
            response = self._http.send(http_request)
        except httpx.TransportError as exc:
            raise _connection_error(http_request, exc) from exc
        response.read()
        return _result(response, parse, number, started)

    def close(self) -> None:
        """Close the connections (also done by leaving a `with` block)."""
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *args: object) -> None:
        self.close()


class AsyncOctave:
    """Asynchronous client of Octave's API: one object, typed errors, retries.

    ``api_key`` defaults to the OCTAVE_API_KEY environment variable and ``base_url`` to
    OCTAVE_BASE_URL, then https://app.octavehq.com; a base URL without an http(s) scheme or a
    host is refused here. ``timeout`` is in seconds (or an ``httpx.Timeout``). ``max_retries``
    retries connection errors, timeouts, 408, 409, 429 and 5xx with exponential backoff,
    honouring ``Retry-After`` up to MAX_RETRY_AFTER seconds. ``default_headers`` go with every
    request, over the SDK's own (``User-Agent``: USER_AGENT). ``sleep`` replaces the pause
    between attempts (for tests).
    """

    references: AsyncReferences
    products: AsyncProducts
    segments: AsyncSegments

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.AsyncClient | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        self._setup(_Options(api_key, base_url, timeout, max_retries, default_headers), http_client, sleep)

    def _setup(
        self,
        options: _Options,
        http_client: httpx.AsyncClient | None,
        sleep: Callable[[float], Awaitable[None]] | None,
    ) -> None:
        self._options = options
        # Requests carry absolute URLs, so a given http_client needs no base_url of its own.
        self._http = http_client or httpx.AsyncClient()
        self._sleep = sleep
        self._retrying = tenacity.AsyncRetrying(
            stop=tenacity.stop_after_attempt(options.max_retries + 1),
            wait=_retry_delay,
            retry=tenacity.retry_if_exception(_should_retry),
            before_sleep=_log_retry,
            reraise=True,
            sleep=sleep or asyncio.sleep,
        )
        self._headers = options.headers()
        self.references = AsyncReferences(self)
        self.products = AsyncProducts(self)
        self.segments = AsyncSegments(self)

    @property
    def base_url(self) -> str:
        return self._options.base_url

    @property
    def timeout(self) -> httpx.Timeout:
        return self._options.timeout

    @property
    def max_retries(self) -> int:
        return self._options.max_retries

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
    ) -> "AsyncOctave":
        """A copy with another timeout or retry count, sharing this client's connections."""
        options = _Options(
            self._options.api_key,
            self._options.base_url,
            self._options.timeout if timeout is None else timeout,
            self._options.max_retries if max_retries is None else max_retries,
            self._options.default_headers,
        )
        copy = object.__new__(type(self))
        copy._setup(options, self._http, self._sleep)
        return copy

    async def _request(
        self,
        request: dict[str, Any],
        parse: Callable[[dict[str, Any]], _T],
        extra_headers: Mapping[str, str] | None,
        timeout: float | httpx.Timeout | None,
    ) -> APIResponse[_T]:
        # One request, sent again as it is on each retry.
        request["url"] = self._options.base_url + request["url"]
        headers = {**self._headers, **request.get("headers", {})}
        if extra_headers:  # they win, whatever their case; plain dicts cost less than httpx.Headers
            extra = {name.lower(): value for name, value in extra_headers.items()}
            headers = {name: value for name, value in headers.items() if name.lower() not in extra}
            headers.update(extra)
        request["headers"] = headers
        timeout = self._options.timeout if timeout is None else timeout
        http_request = self._http.build_request(**request, timeout=timeout)
        # The first attempt runs outside tenacity, whose bookkeeping costs about as much as
        # parsing the answer; only a failure that may be retried enters the retry loop.
        try:
            return await self._attempt(http_request, parse, 1)
        except errors.OctaveError as first_failure:
            if self._options.max_retries == 0 or not _should_retry(first_failure):
                raise
            failure = first_failure
        async for attempt in self._retrying.copy():
            with attempt:
                number = attempt.retry_state.attempt_number
                if number == 1:
                    raise failure  # tenacity counts it, logs it and waits before attempt 2
                return await self._attempt(http_request, parse, number)
        raise AssertionError("unreachable: tenacity re-raises the last error")  # for type checkers

    async def _attempt(
        self, http_request: httpx.Request, parse: Callable[[dict[str, Any]], _T], number: int
    ) -> APIResponse[_T]:
        started = time.monotonic()
        try:
            response = await self._http.send(http_request)
        except httpx.TransportError as exc:
            raise _connection_error(http_request, exc) from exc
        await response.aread()
        return _result(response, parse, number, started)

    async def close(self) -> None:
        """Close the connections (also done by leaving a `with` block)."""
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *args: object) -> None:
        await self.close()
