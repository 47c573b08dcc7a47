"""An empty or blank oId is refused before anything is sent: by every operation of the spec,
sync and async, plain and `with_raw_response`, with a ValueError naming the parameter."""

from __future__ import annotations

import asyncio
import itertools
import re
from typing import Any

import pytest
from octave_client import AsyncOctave, Octave

from octave_mock.testing import RunningMock
from tests.openapi_document import operations, shared_openapi

pytestmark = pytest.mark.usefixtures("env")


def sdk_methods() -> list[str]:
    """`resource.method` of every operation, as the SDK names it (getProduct: products.get)."""
    return [
        f"{operation['tags'][0].lower()}s.{operation_id.removesuffix(operation['tags'][0])}"
        for operation_id, _, _, operation in operations(shared_openapi())
    ]


def method_of(client: Octave | AsyncOctave, name: str, raw: bool) -> Any:
    resource_name, method = name.split(".")
    resource = getattr(client, resource_name)
    return getattr(resource.with_raw_response if raw else resource, method)


CASES = list(itertools.product(sdk_methods(), ["", "   ", "\t"], [False, True]))


def case_id(case: tuple[str, str, bool]) -> str:
    name, value, raw = case
    return f"{name}{'-raw' if raw else ''}-{value!r}"


def test_the_spec_gives_the_three_operations() -> None:
    assert ["references.update", "products.get", "segments.get"] == sdk_methods()


@pytest.mark.parametrize("case", CASES, ids=map(case_id, CASES))
def test_octave_refuses_a_blank_o_id(mock: RunningMock, case: tuple[str, str, bool]) -> None:
    name, value, raw = case
    expected = f"{name}(): expected a non-empty value for `o_id` but received {value!r}"
    with Octave() as octave, pytest.raises(ValueError, match=f"^{re.escape(expected)}$"):
        method_of(octave, name, raw)(value)
    assert [] == mock.requests()


@pytest.mark.parametrize("case", CASES, ids=map(case_id, CASES))
def test_async_octave_refuses_a_blank_o_id(mock: RunningMock, case: tuple[str, str, bool]) -> None:
    name, value, raw = case
    expected = f"{name}(): expected a non-empty value for `o_id` but received {value!r}"

    async def run() -> None:
        async with AsyncOctave() as octave:
            await method_of(octave, name, raw)(value)

    with pytest.raises(ValueError, match=f"^{re.escape(expected)}$"):
        asyncio.run(run())
    assert [] == mock.requests()
