# Generated from openapi.yaml by `make generate`: do not edit.
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.update_reference_request import UpdateReferenceRequest
from ...models.update_reference_response import UpdateReferenceResponse
from ...types import Response


def _get_kwargs(
    *,
    body: UpdateReferenceRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v2/reference/update",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | UpdateReferenceResponse | None:
    if response.status_code == 200:
        response_200 = UpdateReferenceResponse.from_dict(response.json())

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

    if response.status_code == 413:
        response_413 = Error.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Error.from_dict(response.json())

        return response_415

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | UpdateReferenceResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: UpdateReferenceRequest,
) -> Response[Error | UpdateReferenceResponse]:
    """Update a reference

     Partially updates one reference, named by `oId` in the body. Every
    field present in the body replaces the stored value; every field left
    out keeps its stored value. Arrays (`impactTheySaw`,
    `stakeholdersInvolved`, `customFields`) are replaced whole, not merged.
    The answer wraps the whole updated reference under `data`; the
    reference's own content sits in its nested `data`.

    Args:
        body (UpdateReferenceRequest): A partial update of one reference. Only `oId` is required;
            every other
            field present replaces the stored value. Field names are those of the
            newest docs generation; the older names (`howTheyMakeMoney`,
            `keyStats`, ...) and unknown fields are rejected with 400 so that a
            misspelt field cannot be dropped silently.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | UpdateReferenceResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: UpdateReferenceRequest,
) -> Error | UpdateReferenceResponse | None:
    """Update a reference

     Partially updates one reference, named by `oId` in the body. Every
    field present in the body replaces the stored value; every field left
    out keeps its stored value. Arrays (`impactTheySaw`,
    `stakeholdersInvolved`, `customFields`) are replaced whole, not merged.
    The answer wraps the whole updated reference under `data`; the
    reference's own content sits in its nested `data`.

    Args:
        body (UpdateReferenceRequest): A partial update of one reference. Only `oId` is required;
            every other
            field present replaces the stored value. Field names are those of the
            newest docs generation; the older names (`howTheyMakeMoney`,
            `keyStats`, ...) and unknown fields are rejected with 400 so that a
            misspelt field cannot be dropped silently.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | UpdateReferenceResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: UpdateReferenceRequest,
) -> Response[Error | UpdateReferenceResponse]:
    """Update a reference

     Partially updates one reference, named by `oId` in the body. Every
    field present in the body replaces the stored value; every field left
    out keeps its stored value. Arrays (`impactTheySaw`,
    `stakeholdersInvolved`, `customFields`) are replaced whole, not merged.
    The answer wraps the whole updated reference under `data`; the
    reference's own content sits in its nested `data`.

    Args:
        body (UpdateReferenceRequest): A partial update of one reference. Only `oId` is required;
            every other
            field present replaces the stored value. Field names are those of the
            newest docs generation; the older names (`howTheyMakeMoney`,
            `keyStats`, ...) and unknown fields are rejected with 400 so that a
            misspelt field cannot be dropped silently.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | UpdateReferenceResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: UpdateReferenceRequest,
) -> Error | UpdateReferenceResponse | None:
    """Update a reference

     Partially updates one reference, named by `oId` in the body. Every
    field present in the body replaces the stored value; every field left
    out keeps its stored value. Arrays (`impactTheySaw`,
    `stakeholdersInvolved`, `customFields`) are replaced whole, not merged.
    The answer wraps the whole updated reference under `data`; the
    reference's own content sits in its nested `data`.

    Args:
        body (UpdateReferenceRequest): A partial update of one reference. Only `oId` is required;
            every other
            field present replaces the stored value. Field names are those of the
            newest docs generation; the older names (`howTheyMakeMoney`,
            `keyStats`, ...) and unknown fields are rejected with 400 so that a
            misspelt field cannot be dropped silently.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | UpdateReferenceResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
