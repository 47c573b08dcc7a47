"""Fixtures shared by every test folder."""

from __future__ import annotations

import pytest

from tests.openapi_document import Node, load_openapi


@pytest.fixture
def openapi() -> Node:
    """openapi.yaml as plain Python data; a fresh copy per test, so tests may change it."""
    return load_openapi()
