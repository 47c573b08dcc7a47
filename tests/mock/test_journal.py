"""The request journal off the store's path: a read takes no write lock, every worker's
answered requests are in the journal before their answers leave, and a killed worker has
lost neither an acknowledged update nor its entry."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sqlite3
from contextlib import closing
from pathlib import Path

import httpx
import pytest

from octave_kit.http_io import Request, Response
from octave_mock.journal import Journal, Log, logs_path
from octave_mock.settings import Settings
from octave_mock.store import Store
from tests.mock.support import (
    PRODUCT,
    PRODUCT_PATH,
    REFERENCE,
    TLS,
    UPDATE_PATH,
    StartMock,
    bundled_key,
)
from tests.mock.test_concurrency import stored_in_file, worker_processes

ACCESS_LINE = re.compile(r"\[(\d+)\] octave_mock\.access: (\S+) (\S+) (\d+) \S+ (req_\w+)")
REQUESTS = 40  # on a new connection each (a client of its own): both workers answer some


def answered_by(log: Path) -> dict[str, int]:
    """Each request id of the access log, with the pid of the worker that answered it."""
    return {match[5]: int(match[1]) for match in ACCESS_LINE.finditer(log.read_text())}


def journalled(base_url: str) -> list[str]:
    entries = httpx.get(f"{base_url}/_mock/requests", verify=TLS).json()["requests"]
    return [entry["request_id"] for entry in entries]


def test_a_read_takes_no_write_lock(tmp_path: Path, start_mock: StartMock) -> None:
    """While another process holds the database's write lock, reads are answered and
    journalled at once: neither the read nor its journal entry waits for the lock."""
    db = tmp_path / "mock.db"
    mock = start_mock(Settings(db_path=str(db)))
    headers = {"api_key": mock.key()}
    with closing(sqlite3.connect(db, isolation_level=None)) as writer:
        writer.execute("BEGIN IMMEDIATE")  # held for the whole of the reads below
        with httpx.Client(base_url=mock.base_url, timeout=5) as http:
            statuses = [
                http.get(f"{PRODUCT_PATH}?oId={PRODUCT}", headers=headers).status_code
                for _ in range(3)
            ]
        writer.execute("ROLLBACK")
    assert ([200] * 3, 3) == (statuses, len(mock.requests()))


def test_the_journal_of_a_file_is_a_ring_in_logs_beside_it(
    tmp_path: Path, start_mock: StartMock
) -> None:
    """Beside `--db FILE`, the journal is the logs in `FILE.requests/`; they keep the last N
    entries however many came (two logs of at most N each), and the store's file none."""
    db = tmp_path / "mock.db"
    mock = start_mock(Settings(db_path=str(db), journal_size=5))
    with httpx.Client(base_url=mock.base_url) as http:
        for index in range(23):
            http.get(f"{PRODUCT_PATH}?oId=p_{index}", headers={"api_key": mock.key()})
    expected = [f"p_{index}" for index in range(18, 23)]
    assert expected == [entry.query["oId"] for entry in mock.requests()]
    logs = {
        path.name: path.read_text().count("\n")
        for path in (tmp_path / "mock.db.requests").glob("*.log")
    }
    assert {"0.log": 3, "0.1.log": 5} == logs
    with closing(sqlite3.connect(db)) as store:
        tables = {row[0] for row in store.execute("SELECT name FROM sqlite_schema")}
    assert not any("journal" in table for table in tables), tables
    mock.reset()
    assert [] == mock.requests()


def test_a_journal_read_through_either_worker_sees_every_answered_request(
    tmp_path: Path,
) -> None:
    """`serve --workers 2`: right after each answer, a read on a new connection (through
    whichever worker takes it) finds that request in the journal, in the order sent."""
    log = tmp_path / "serve.log"
    headers = {"api_key": bundled_key()}
    sent, missing = [], []
    with worker_processes(tmp_path / "mock.db", log) as base_url:
        for index in range(REQUESTS):
            if index % 2:
                url = f"{base_url}{PRODUCT_PATH}?oId={PRODUCT}"
                answer = httpx.get(url, headers=headers, verify=TLS)
            else:
                body = {"oId": REFERENCE, "name": f"Name #{index}"}
                answer = httpx.post(
                    f"{base_url}{UPDATE_PATH}", json=body, headers=headers, verify=TLS
                )
            assert 200 == answer.status_code, answer.text
            sent.append(answer.headers["x-request-id"])
            if sent[-1] not in journalled(base_url):
                missing.append(sent[-1])
        journal = journalled(base_url)
    workers = answered_by(log)
    assert ([], sent) == (missing, journal)
    assert 2 == len({workers[request_id] for request_id in sent}), "one worker took every request"


def test_a_killed_worker_has_lost_no_acknowledged_update_or_entry(tmp_path: Path) -> None:
    """A worker killed (SIGKILL) straight after its answers: every update it acknowledged
    is in the database, and every request it answered is in the journal."""
    db, log = tmp_path / "mock.db", tmp_path / "serve.log"
    headers = {"api_key": bundled_key()}
    names: dict[str, str] = {}  # request id -> the name that update set
    with worker_processes(db, log) as base_url:
        for index in range(REQUESTS):
            body = {"oId": REFERENCE, "name": f"Name #{index}"}
            url = f"{base_url}{UPDATE_PATH}"
            answer = httpx.post(url, json=body, headers=headers, verify=TLS)
            assert 200 == answer.status_code, answer.text
            names[answer.headers["x-request-id"]] = body["name"]
        last = list(names)[-1]
        killed = answered_by(log)[last]
        os.kill(killed, signal.SIGKILL)
        journal = journalled(base_url)  # through the other worker (or the killed one's heir)
    assert (names[last], list(names)) == (stored_in_file(db)["name"], journal)


def logged_request_ids(db: Path) -> bytes:
    """Every log of the journal beside `db`, as the bytes another process would read."""
    return b"".join(path.read_bytes() for path in logs_path(str(db)).glob("*.log"))


def test_answers_sent_together_each_leave_after_their_entry(
    tmp_path: Path, start_mock: StartMock
) -> None:
    """Requests on many connections at once, answered in the same turns of the event loop:
    whenever an answer arrives, its entry is in the log file already."""
    db = tmp_path / "mock.db"
    mock = start_mock(Settings(db_path=str(db)))
    headers = {"api_key": mock.key()}

    async def read_many() -> list[str]:
        limits = httpx.Limits(max_connections=8)
        async with httpx.AsyncClient(base_url=mock.base_url, limits=limits, timeout=5) as http:

            async def read() -> str | None:
                answer = await http.get(f"{PRODUCT_PATH}?oId={PRODUCT}", headers=headers)
                request_id = answer.headers["x-request-id"]
                return None if request_id.encode() in logged_request_ids(db) else request_id

            found = await asyncio.gather(*(read() for _ in range(64)))
        return [request_id for request_id in found if request_id is not None]

    assert [] == asyncio.run(read_many())
    assert 64 == len(mock.requests())


def test_the_entries_of_one_turn_go_in_one_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(str(tmp_path / "mock.db"))
    journal = Journal(store, size=10)
    writes: list[int] = []  # the entries each write took
    append = Log.append

    def counted(log: Log, lines: bytes, count: int) -> None:
        writes.append(count)
        append(log, lines, count)

    monkeypatch.setattr(Log, "append", counted)
    scope = {"method": "GET", "path": PRODUCT_PATH, "query_string": b"", "headers": []}

    async def one_turn() -> tuple[int, list[int]]:
        for number in range(3):
            request = Request.from_scope(scope, receive=None)  # type: ignore[arg-type]
            journal.record(request, None, b"", Response(404, {}), f"req_{number}")
        unwritten = len(logged_request_ids(tmp_path / "mock.db").splitlines())
        await asyncio.sleep(0)
        return unwritten, list(writes)

    try:
        assert (0, [3]) == asyncio.run(one_turn())
        journal.record(Request.from_scope(scope, None), None, b"", Response(404, {}), "req_3")  # type: ignore[arg-type]
        assert [3, 1] == writes, "with no event loop, an entry is written at once"
        assert 4 == len(journal.entries())
    finally:
        journal.close()
        store.close()
