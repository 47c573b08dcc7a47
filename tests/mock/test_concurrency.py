"""Concurrent partial updates of one reference lose nothing: in memory, on a WAL file, and
over two worker processes sharing that file."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from octave_client.api.reference import update_reference
from octave_client.models import UpdateReferenceRequest

from octave_kit.local_server import NotAnswering, free_port, wait_until, wait_until_answering
from octave_mock.settings import Settings
from octave_mock.store import Store
from octave_mock.testing import running_mock
from tests.mock.support import (
    ACME,
    REFERENCE,
    Json,
    bundled_key,
    new_client,
    stored_field,
    stored_reference,
    update_fields,
    update_value,
)

UPDATES_PER_THREAD = 50
FIELDS = update_fields()  # one thread per field the request body may change


WORKERS = 2
START_SECONDS = 20.0
UPDATE_LINE = re.compile(r"\[(\d+)\] octave_mock\.access: POST /api/v2/reference/update 200 ")


@dataclass(frozen=True)
class Served:
    base_url: str
    key: str
    stored: Callable[[], Json]  # the reference as the database holds it now
    log: Path | None = None  # the server's log, when it runs as a process


def hammer(served: Served, field: str) -> list[tuple[int, Any]]:
    """Update one field of the reference many times; each answer's status and value of it."""
    found: list[tuple[int, Any]] = []
    with new_client(served.base_url, served.key) as client:
        for index in range(UPDATES_PER_THREAD):
            body = {"oId": REFERENCE, field: update_value(field, f"{field} #{index}")}
            response = update_reference.sync_detailed(
                client=client, body=UpdateReferenceRequest.from_dict(body)
            )
            reference = json.loads(response.content).get("data") or {}
            found.append((response.status_code, stored_field(reference, field)))
    return found


@contextmanager
def worker_processes(db: Path, log: Path) -> Iterator[str]:
    """`octave-mock serve --workers 2` on a WAL file, its log in `log`: at debug, so that
    uvicorn's start-up line of each worker says when all are up."""
    port = free_port()
    command = [sys.executable, "-m", "octave_mock", "serve", "--port", str(port)]
    command += ["--db", str(db), "--workers", str(WORKERS), "--log-level", "debug"]
    with log.open("w") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)  # noqa: S603
        base_url = f"http://127.0.0.1:{port}"
        try:
            try:
                # Every worker up, or the first could take every connection before the next starts.
                wait_until(
                    lambda: log.read_text().count("Application startup complete") == WORKERS,
                    START_SECONDS,
                    what=f"octave-mock serve --workers {WORKERS}",
                    still_running=lambda: process.poll() is None,
                )
                wait_until_answering(f"{base_url}/_mock/health", START_SECONDS)
            except NotAnswering as exc:
                raise AssertionError(f"{exc}; its log:\n{log.read_text()}") from None
            yield base_url
        finally:
            process.terminate()
            process.wait(START_SECONDS)


def stored_in_file(db: Path) -> Json:
    store = Store(str(db))
    try:
        return stored_reference_in(store)
    finally:
        store.close()


def stored_reference_in(store: Store) -> Json:
    doc = store.get("reference", ACME, REFERENCE)
    assert doc is not None, f"no reference {REFERENCE} in {ACME}"
    return doc


@pytest.fixture(params=["memory", "wal-file", f"{WORKERS}-workers"])
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Served]:
    """The in-memory default, a file database (WAL), and worker processes sharing that file."""
    db = tmp_path / "mock.db"
    if request.param == f"{WORKERS}-workers":
        log = tmp_path / "serve.log"
        with worker_processes(db, log) as base_url:
            yield Served(base_url, bundled_key(), lambda: stored_in_file(db), log)
        return
    path = ":memory:" if request.param == "memory" else str(db)
    with running_mock(Settings(db_path=path, validate_responses=True)) as mock:
        yield Served(mock.base_url, mock.key(ACME), lambda: stored_reference(mock.server))


def test_concurrent_updates_of_distinct_fields_all_land(served: Served) -> None:
    """Threads each updating their own field: every answer is 200 and every last value is kept."""
    assert len(FIELDS) >= 8, FIELDS
    with ThreadPoolExecutor(max_workers=len(FIELDS)) as pool:
        results = dict(zip(FIELDS, pool.map(lambda f: hammer(served, f), FIELDS), strict=True))
    stored = served.stored()
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
    if served.log is not None:
        # Otherwise one worker could have served every update, and proved nothing.
        pids = set(UPDATE_LINE.findall(served.log.read_text(encoding="utf-8")))
        assert len(pids) == WORKERS, f"updates answered by processes {pids}"


def test_workers_log_in_the_mock_s_one_format(tmp_path: Path) -> None:
    """At info, uvicorn's supervisor and workers add no lines of their own format."""
    log = tmp_path / "serve.log"
    port = free_port()
    command = [sys.executable, "-m", "octave_mock", "serve", "--port", str(port)]
    command += ["--db", str(tmp_path / "octave.db"), "--workers", str(WORKERS)]
    with log.open("w") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)  # noqa: S603
        try:
            wait_until_answering(f"http://127.0.0.1:{port}/_mock/health", START_SECONDS)
        finally:
            process.terminate()
            process.wait(START_SECONDS)
    lines = log.read_text().splitlines()
    assert any("serving http://127.0.0.1" in line for line in lines)
    stamped = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO \[\d+\] octave_mock")
    assert [line for line in lines if not stamped.match(line)] == []
