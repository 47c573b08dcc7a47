"""Fixtures for the generated-client tests: JSON bodies from tests/fixtures."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture
def read_fixture() -> Callable[[str], dict[str, Any]]:
    """Read a JSON fixture by its path under tests/fixtures; a fresh copy on every call."""

    def read(relative: str) -> dict[str, Any]:
        body = json.loads((FIXTURES / relative).read_text(encoding="utf-8"))
        assert isinstance(body, dict), f"{relative} is not a JSON object"
        return body

    return read


@pytest.fixture
def docs_product(read_fixture: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
    """The Get Product response printed in Octave's docs."""
    return read_fixture("docs/get-product-response.json")


@pytest.fixture
def docs_segment(read_fixture: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
    """The Get Segment response printed in Octave's docs."""
    return read_fixture("docs/get-segment-response.json")


@pytest.fixture
def docs_update_response(read_fixture: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
    """The Update Reference response printed in Octave's docs."""
    return read_fixture("docs/update-reference-response.json")


@pytest.fixture
def docs_update_request(read_fixture: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
    """The Update Reference request body printed in Octave's docs."""
    return read_fixture("docs/update-reference-request.json")
