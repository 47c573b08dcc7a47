"""Fixtures for the generated-client tests: JSON bodies from openapi.yaml's examples."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from tests.openapi_document import shared_openapi


@pytest.fixture
def read_example() -> Callable[[str], dict[str, Any]]:
    """The value of components/examples/<name> in openapi.yaml; a fresh copy on every call."""

    def read(name: str) -> dict[str, Any]:
        body = copy.deepcopy(shared_openapi()["components"]["examples"][name]["value"])
        assert isinstance(body, dict), f"example {name} is not a JSON object"
        return body

    return read


@pytest.fixture
def docs_product(read_example: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
    """The Get Product response printed in Octave's docs."""
    return read_example("ProductDocs")


@pytest.fixture
def docs_segment(read_example: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
    """The Get Segment response printed in Octave's docs."""
    return read_example("SegmentDocs")


@pytest.fixture
def docs_update_response(read_example: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
    """The Update Reference response printed in Octave's docs."""
    return read_example("UpdateReferenceResponseDocs")


@pytest.fixture
def docs_update_request(read_example: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
    """The Update Reference request body printed in Octave's docs."""
    return read_example("UpdateReferenceRequestDocs")
