"""Fixtures for the SDK tests: a seeded key, the environment, and a recording sleep."""

from __future__ import annotations

import pytest

from octave_mock.testing import RunningMock

ACME = "wa_acme0001"


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
