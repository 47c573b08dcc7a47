"""Fixtures for the SDK tests: the mock on a real socket, its keys, and a recording sleep."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from octave_mock.settings import Settings
from octave_mock.testing import RunningMock, running_mock

ACME = "wa_acme0001"
GLOBEX = "wa_globex001"


@pytest.fixture(scope="session")
def shared_mock() -> Iterator[RunningMock]:
    """One mock for every SDK test that needs no special settings."""
    with running_mock(Settings(validate_responses=True)) as mock:
        yield mock


@pytest.fixture
def mock(shared_mock: RunningMock) -> RunningMock:
    """The shared mock, reset to its seed data before the test."""
    httpx.post(f"{shared_mock.base_url}/_mock/reset", timeout=5.0).raise_for_status()
    return shared_mock


@pytest.fixture
def key(mock: RunningMock) -> str:
    """Workspace Acme's read-write key."""
    return mock.key(ACME)


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, mock: RunningMock, key: str) -> None:
    """OCTAVE_API_KEY and OCTAVE_BASE_URL point at the mock, as the README says to set them."""
    monkeypatch.setenv("OCTAVE_API_KEY", key)
    monkeypatch.setenv("OCTAVE_BASE_URL", mock.base_url)


class RecordingSleep:
    """A stand-in for time.sleep that records each pause the SDK chose instead of waiting."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)

    async def asleep(self, seconds: float) -> None:
        self.delays.append(seconds)


@pytest.fixture
def sleep() -> RecordingSleep:
    """The pauses between attempts, recorded and not waited."""
    return RecordingSleep()
