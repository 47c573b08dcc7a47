# Generated from openapi.yaml by `make generate`: do not edit.
import ssl
from typing import Any, Self

import httpx
from attrs import define, evolve, field

# Octave's defaults: a finite timeout (httpx's `None` would wait forever), the `api_key` header, no prefix.
from ._lib.options import DEFAULT_TIMEOUT


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
# The SDK: `Octave` and `AsyncOctave`, one resource per tag and one method per operation. What
# every operation shares (options, retries, answers, errors, logging) is hand-written Python in
# the kit's client_lib/, copied here as `octave_client._lib` by `make generate`.
# ---------------------------------------------------------------------------------------------
import platform
from collections.abc import Awaitable, Callable, Mapping

# The SDK's own names stay private here (a leading underscore); the public ones are re-exported.
from ._lib.arguments import add_extra as _add_extra
from ._lib.arguments import require_non_blank as _require_non_blank
from ._lib.base_client import AsyncAPIClient as _AsyncAPIClient
from ._lib.base_client import SyncAPIClient as _SyncAPIClient
from ._lib.log import configure_logging_from_env as _configure_logging_from_env
from ._lib.log import logger as logger
from ._lib.options import DEFAULT_BASE_URL as DEFAULT_BASE_URL
from ._lib.options import Options as _Options
from ._lib.response import APIResponse as APIResponse
from ._lib.retries import DEFAULT_MAX_RETRIES as DEFAULT_MAX_RETRIES
from ._lib.retries import INITIAL_RETRY_DELAY as INITIAL_RETRY_DELAY
from ._lib.retries import MAX_RETRY_AFTER as MAX_RETRY_AFTER
from ._lib.retries import MAX_RETRY_DELAY as MAX_RETRY_DELAY
from ._lib.retries import RETRYABLE_STATUSES as RETRYABLE_STATUSES
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

# What Octave's support asks for: the client's version and what it runs on.
USER_AGENT = f"octave-client/2.1.0 python/{platform.python_version()} httpx/{httpx.__version__}"
# Shown where users meet it (repr, type checkers' messages) under the module they import it from.
APIResponse.__module__ = __name__

# OCTAVE_LOG=info|debug: read once, when the package is imported.
_configure_logging_from_env()


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
        _require_non_blank("references.update", "o_id", o_id)
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
        _require_non_blank("products.get", "o_id", o_id)
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
        _require_non_blank("segments.get", "o_id", o_id)
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
        _require_non_blank("references.update", "o_id", o_id)
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
        _require_non_blank("products.get", "o_id", o_id)
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
        _require_non_blank("segments.get", "o_id", o_id)
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


class Octave(_SyncAPIClient):
    """Client of Octave's API: one object, typed errors, retries.

    ``api_key`` defaults to the OCTAVE_API_KEY environment variable and ``base_url`` to
    OCTAVE_BASE_URL, then https://app.octavehq.com; a base URL without an http(s) scheme or a
    host is refused here. ``timeout`` is in seconds (or an ``httpx.Timeout``), else
    OCTAVE_TIMEOUT, else 30 (5 to connect). ``max_retries`` (else OCTAVE_MAX_RETRIES, else 2)
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
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.Client | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        options = _Options(api_key, base_url, timeout, max_retries, default_headers, USER_AGENT)
        super().__init__(options, http_client, sleep)

    def _add_resources(self) -> None:
        self.references = References(self)
        self.products = Products(self)
        self.segments = Segments(self)


class AsyncOctave(_AsyncAPIClient):
    """Asynchronous client of Octave's API: one object, typed errors, retries.

    ``api_key`` defaults to the OCTAVE_API_KEY environment variable and ``base_url`` to
    OCTAVE_BASE_URL, then https://app.octavehq.com; a base URL without an http(s) scheme or a
    host is refused here. ``timeout`` is in seconds (or an ``httpx.Timeout``), else
    OCTAVE_TIMEOUT, else 30 (5 to connect). ``max_retries`` (else OCTAVE_MAX_RETRIES, else 2)
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
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.AsyncClient | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        options = _Options(api_key, base_url, timeout, max_retries, default_headers, USER_AGENT)
        super().__init__(options, http_client, sleep)

    def _add_resources(self) -> None:
        self.references = AsyncReferences(self)
        self.products = AsyncProducts(self)
        self.segments = AsyncSegments(self)
