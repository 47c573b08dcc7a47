"""Each error example of openapi.yaml is what the mock sends, as info.description promises."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from octave_mock.faults import Faults, RateLimit
from octave_mock.settings import Settings
from octave_mock.testing import RunningMock, running_mock
from tests.mock.support import (
    FULL_SEGMENT,
    PRODUCT,
    PRODUCT_PATH,
    SEGMENT_PATH,
    UNKNOWN_KEY,
    UPDATE_PATH,
    raw_client,
)
from tests.openapi_document import error_example, shared_openapi

GET_PRODUCT = f"{PRODUCT_PATH}?oId={PRODUCT}"
GET_SEGMENT = f"{SEGMENT_PATH}?oId={FULL_SEGMENT}"
JSON = {"Content-Type": "application/json"}


@dataclass(frozen=True)
class Provoke:
    """A request that makes the mock answer with the example's error."""

    method: str
    path: str
    key: str = "read-write"  # or "read-only", or "unknown"
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    repeat: int = 1  # the answer to the last one counts


SCENARIOS = {
    "BadRequest": Provoke("POST", UPDATE_PATH, headers=JSON, body=b"{}"),
    "Unauthorized": Provoke("GET", GET_PRODUCT, key="unknown"),
    "Forbidden": Provoke("POST", UPDATE_PATH, "read-only", JSON, b'{"oId": "r_acme_dropbox"}'),
    "NotFound": Provoke("POST", UPDATE_PATH, headers=JSON, body=b'{"oId": "r_9999"}'),
    "PayloadTooLarge": Provoke("POST", UPDATE_PATH, headers=JSON, body=b" " * 2_000_000),
    "UnsupportedMediaType": Provoke(
        "POST", UPDATE_PATH, headers={"Content-Type": "text/plain"}, body=b"{}"
    ),
    "TooManyRequests": Provoke("GET", GET_PRODUCT, repeat=2),
    "InternalServerError": Provoke("GET", GET_SEGMENT),
}
ERROR_EXAMPLES = {name: error_example(name) for name in shared_openapi()["components"]["responses"]}


@pytest.fixture(scope="module")
def strict_mock() -> Iterator[RunningMock]:
    """getProduct allows one request a minute per key, so the second is a 429; getSegment fails."""
    faults = Faults(
        rate_limit=RateLimit(1, 60.0),
        error_rate=1.0,
        only={"rate_limit": "getProduct", "error_rate": "getSegment"},
    )
    with running_mock(Settings(faults=faults)) as mock:
        yield mock


def test_every_error_example_has_a_scenario() -> None:
    assert sorted(SCENARIOS) == sorted(ERROR_EXAMPLES)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_the_mock_sends_the_error_example(strict_mock: RunningMock, name: str) -> None:
    """The body equals the example, but for the request's own id and time."""
    scenario = SCENARIOS[name]
    strict_mock.reset()
    keys = {
        "read-write": strict_mock.key(),
        "read-only": strict_mock.key(read_only=True),
        "unknown": UNKNOWN_KEY,
    }
    headers = {"api_key": keys[scenario.key], **scenario.headers}
    with raw_client(strict_mock.base_url) as http:
        for _ in range(scenario.repeat):
            response = http.request(
                scenario.method, scenario.path, headers=headers, content=scenario.body
            )
    sent = response.json()
    example = ERROR_EXAMPLES[name]
    for varying in ("requestId", "timestamp"):
        sent["_metadata"][varying] = example["_metadata"][varying]
    assert example == sent
