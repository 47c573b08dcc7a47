"""Fixtures for the mock's tests: a shared server on a real socket, keys and clients."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import httpx
import pytest
from octave_client import AuthenticatedClient

from octave_mock.settings import Settings
from octave_mock.testing import RunningMock, running_mock
from tests.mock.support import (
    ACME,
    GLOBEX,
    ClientFor,
    StartMock,
    new_client,
    raw_client,
)


@pytest.fixture
def start_mock() -> Iterator[StartMock]:
    """Start a mock of its own with the given settings; it stops when the test ends."""
    with ExitStack() as stack:

        def start(settings: Settings) -> RunningMock:
            return stack.enter_context(running_mock(settings))

        yield start


@pytest.fixture
def key_a(mock: RunningMock) -> str:
    """A read-write key of workspace A (Acme)."""
    return mock.key(ACME)


@pytest.fixture
def key_a_read_only(mock: RunningMock) -> str:
    """A read-only key of workspace A (Acme)."""
    return mock.key(ACME, read_only=True)


@pytest.fixture
def key_b(mock: RunningMock) -> str:
    """A read-write key of workspace B (Globex)."""
    return mock.key(GLOBEX)


@pytest.fixture
def client_for(mock: RunningMock) -> Iterator[ClientFor]:
    """Make a generated client for the shared mock with a given key; closed at the end."""
    with ExitStack() as stack:

        def make(key: str, headers: dict[str, str] | None = None) -> AuthenticatedClient:
            return stack.enter_context(new_client(mock.base_url, key, headers))

        yield make


@pytest.fixture
def client(client_for: ClientFor, key_a: str) -> AuthenticatedClient:
    """The generated client with workspace A's read-write key."""
    return client_for(key_a)


@pytest.fixture
def http(mock: RunningMock) -> Iterator[httpx.Client]:
    """Raw httpx on the shared mock, no key: for requests the generated client cannot make."""
    with raw_client(mock.base_url) as raw:
        yield raw
