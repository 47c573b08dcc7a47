"""Fixtures shared by every test folder."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from octave_mock.settings import Settings
from octave_mock.testing import RunningMock, running_mock
from tests.openapi_document import Node, load_openapi


@pytest.fixture
def openapi() -> Node:
    """openapi.yaml as plain Python data; a fresh copy per test, so tests may change it."""
    return load_openapi()


@pytest.fixture(scope="session")
def shared_mock() -> Iterator[RunningMock]:
    """One mock on a real socket, response validation on, for every test needing no settings."""
    with running_mock(Settings(validate_responses=True)) as mock:
        yield mock


@pytest.fixture
def mock(shared_mock: RunningMock) -> RunningMock:
    """The shared mock, reset to its seed data before the test."""
    httpx.post(f"{shared_mock.base_url}/_mock/reset", timeout=5.0).raise_for_status()
    return shared_mock
