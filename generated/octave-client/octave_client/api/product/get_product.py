# Generated from openapi.yaml by `make generate`: do not edit.
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.product import Product
from ...types import UNSET, Response


def _get_kwargs(
    *,
    o_id: str,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["oId"] = o_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v2/product/get",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | Product | None:
    if response.status_code == 200:
        response_200 = Product.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Error.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())

        return response_404

    if response.status_code == 429:
        response_429 = Error.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = Error.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Error | Product]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    o_id: str,
) -> Response[Error | Product]:
    """Get a product

     Returns one offering of the workspace by its `oId`. The answer is flat:
    `_metadata` sits beside the offering's own fields. Products, services
    and solutions are stored together, so `data.type` may be `PRODUCT`,
    `SERVICE` or `SOLUTION`, and `data` then has that type's shape.

    Args:
        o_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Product]
    """

    kwargs = _get_kwargs(
        o_id=o_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    o_id: str,
) -> Error | Product | None:
    """Get a product

     Returns one offering of the workspace by its `oId`. The answer is flat:
    `_metadata` sits beside the offering's own fields. Products, services
    and solutions are stored together, so `data.type` may be `PRODUCT`,
    `SERVICE` or `SOLUTION`, and `data` then has that type's shape.

    Args:
        o_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Product
    """

    return sync_detailed(
        client=client,
        o_id=o_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    o_id: str,
) -> Response[Error | Product]:
    """Get a product

     Returns one offering of the workspace by its `oId`. The answer is flat:
    `_metadata` sits beside the offering's own fields. Products, services
    and solutions are stored together, so `data.type` may be `PRODUCT`,
    `SERVICE` or `SOLUTION`, and `data` then has that type's shape.

    Args:
        o_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Product]
    """

    kwargs = _get_kwargs(
        o_id=o_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    o_id: str,
) -> Error | Product | None:
    """Get a product

     Returns one offering of the workspace by its `oId`. The answer is flat:
    `_metadata` sits beside the offering's own fields. Products, services
    and solutions are stored together, so `data.type` may be `PRODUCT`,
    `SERVICE` or `SOLUTION`, and `data` then has that type's shape.

    Args:
        o_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Product
    """

    return (
        await asyncio_detailed(
            client=client,
            o_id=o_id,
        )
    ).parsed
