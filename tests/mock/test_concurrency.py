"""Concurrent partial updates of one reference lose nothing, in memory and on a WAL file."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from octave_client.api.reference import update_reference
from octave_client.models import UpdateReferenceRequest

from octave_mock.settings import Settings
from octave_mock.testing import RunningMock, running_mock
from tests.mock.support import (
    ACME,
    REFERENCE,
    new_client,
    stored_field,
    stored_reference,
    update_fields,
    update_value,
)

UPDATES_PER_THREAD = 50
FIELDS = update_fields()  # one thread per field the request body may change


def hammer(mock: RunningMock, field: str) -> list[tuple[int, Any]]:
    """Update one field of the reference many times; each answer's status and value of it."""
    found: list[tuple[int, Any]] = []
    with new_client(mock.base_url, mock.key(ACME)) as client:
        for index in range(UPDATES_PER_THREAD):
            body = {"oId": REFERENCE, field: update_value(field, f"{field} #{index}")}
            response = update_reference.sync_detailed(
                client=client, body=UpdateReferenceRequest.from_dict(body)
            )
            reference = json.loads(response.content).get("data") or {}
            found.append((response.status_code, stored_field(reference, field)))
    return found


@pytest.fixture(params=["memory", "wal-file"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """The in-memory default, and a file database (WAL)."""
    path = ":memory:" if request.param == "memory" else str(tmp_path / "mock.db")
    return Settings(db_path=path, validate_responses=True)


def test_concurrent_updates_of_distinct_fields_all_land(settings: Settings) -> None:
    """Threads each updating their own field: every answer is 200 and every last value is kept."""
    assert len(FIELDS) >= 8, FIELDS
    with running_mock(settings) as mock:
        with ThreadPoolExecutor(max_workers=len(FIELDS)) as pool:
            results = dict(zip(FIELDS, pool.map(lambda f: hammer(mock, f), FIELDS), strict=True))
        stored = stored_reference(mock.server)
    expected_answers = {
        field: [
            (200, update_value(field, f"{field} #{index}")) for index in range(UPDATES_PER_THREAD)
        ]
        for field in FIELDS
    }
    assert expected_answers == results
    expected_stored = {
        field: update_value(field, f"{field} #{UPDATES_PER_THREAD - 1}") for field in FIELDS
    }
    assert expected_stored == {field: stored_field(stored, field) for field in FIELDS}
