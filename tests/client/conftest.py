"""Fixtures for the generated-client tests: JSON bodies from openapi.yaml's examples."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from tests.openapi_document import error_example, shared_openapi


@pytest.fixture
def read_example() -> Callable[[str], dict[str, Any]]:
    """components/examples/<name> of openapi.yaml, or the example of the error response <name>.

    A fresh copy on every call.
    """

    def read(name: str) -> dict[str, Any]:
        examples = shared_openapi()["components"]["examples"]
        body = copy.deepcopy(examples[name]["value"]) if name in examples else error_example(name)
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
    """The answer to the Update Reference request printed in Octave's docs."""
    return read_example("UpdateReferenceResponseDocs")


@pytest.fixture
def docs_update_request(read_example: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
    """The Update Reference request body printed in Octave's docs."""
    return read_example("UpdateReferenceRequestDocs")
