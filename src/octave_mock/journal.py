"""The request journal: what the mock received and answered, for a test to read back.

Each API request the mock answers (or leaves unanswered through a fault) is
one entry, kept in a ring of the last `journal_size` entries so that a
long-running `serve` does not grow; a reset empties it. No key is ever
written: the entry has a `key_hint`, the presented key is blanked wherever
else it appears (path, query, body), and the headers keep only a hint of the
key and of every credential (`kept_headers`). Entries are stored as received
and parsed when read.

A journal is diagnostic, so it stays off the store's path: a SQLite database
of its own (`<db>.requests` beside a database file, in memory beside an
in-memory one), outside the store's change log (a reset simply empties it)
and outside the request's transaction, so that a read stays a read and two
workers never queue on the store's write lock for it. A request leaves its
entry, as received, in this process's buffer, which is written in one
transaction:

- beside a file, which other processes read (`serve --workers N`): before the
  answer is sent, together with the entries of every request answered in the
  same turn of the event loop (a group commit). A journal read through any
  worker sees every request already answered, and a worker killed after
  answering has lost no entry of it;
- in memory (one process): when the journal is read, so that a load test that
  never reads it pays for keeping the entries and nothing else.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import orjson

from octave_kit.http_io import Request, Response, iso_time
from octave_kit.json_text import Json
from octave_kit.keys import KEY_HEADER, key_hint
from octave_kit.spec import Operation
from octave_mock.settings import IN_MEMORY
from octave_mock.store import Caller, Database, Store

BLANKED_KEY = "[api key]"
# Headers whose value is a credential: the journal keeps a hint of it, as of the key.
SECRET_HEADERS = frozenset({KEY_HEADER, "authorization", "cookie", "proxy-authorization"})
SLACK = 64  # entries beyond the ring's size before the oldest are deleted
# An entry's columns, after its sequence number (see SCHEMA).
COLUMNS = (
    "operation",
    "method",
    "path",
    "query",
    "body",
    "status",
    "request_id",
    "key_hint",
    "workspace",
    "fault",
    "time",
    "headers",
)
SCHEMA = """
CREATE TABLE IF NOT EXISTS journal (
    seq INTEGER PRIMARY KEY,  -- no AUTOINCREMENT: a reset empties the table, so seq may restart
    operation TEXT,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    query TEXT NOT NULL,
    body BLOB NOT NULL,
    status INTEGER,
    request_id TEXT NOT NULL,
    key_hint TEXT,
    workspace TEXT,
    fault TEXT,
    time TEXT NOT NULL,
    headers BLOB NOT NULL  -- JSON, names lower-cased, secrets as hints (kept_headers)
);
"""
_INSERT = (
    f"INSERT INTO journal ({', '.join(COLUMNS)}) "  # noqa: S608 - fixed names
    f"VALUES ({', '.join('?' for _ in COLUMNS)})"
)
_SELECT = f"SELECT {', '.join(COLUMNS)} FROM journal WHERE seq > ?"  # noqa: S608
log = logging.getLogger("octave_mock")


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the journal holds it (and GET /_mock/requests lists it)."""

    operation: str | None  # None when the path is no operation of the spec
    method: str
    path: str
    query: dict[str, str]
    json: Any  # the parsed body, or None when it is empty or not JSON
    body: str
    status: int | None  # None when a hang or reset fault left it unanswered
    request_id: str
    key_hint: str | None
    workspace: str | None  # the key's workspace; None for a missing or unknown key
    fault: str | None  # the injected or scripted fault that shaped the answer
    time: str
    headers: dict[str, str]  # names lower-cased; credentials as hints (see kept_headers)


def journal_path(db_path: str) -> str:
    """Where the journal of a store lives: in memory beside memory, else beside the file."""
    return IN_MEMORY if db_path == IN_MEMORY else f"{db_path}.requests"


# An entry as the request left it, key and all, kept in this process until written: a plain
# tuple, the cheapest thing to make per request. Its fields, in order:
# (operation, method, path, query string, body, status, request id, key, workspace, fault,
#  time.time(), headers).
Received = tuple[Any, ...]


def written_row(received: Received) -> tuple[Any, ...]:
    """An entry as written (COLUMNS): the key blanked wherever it appears, and hinted."""
    (operation, method, path, query, body, status, request_id, key, workspace, fault, moment,
     headers) = received  # fmt: skip
    query = query.decode("latin-1")
    if key is not None:
        blanked = key.encode()
        if blanked in body:  # a key sent where it does not belong is not kept either
            body = body.replace(blanked, BLANKED_KEY.encode())
        path, query = path.replace(key, BLANKED_KEY), query.replace(key, BLANKED_KEY)
    hint = None if key is None else key_hint(key)
    kept = orjson.dumps(kept_headers(headers, key))
    return (
        operation,
        method,
        path,
        query,
        body,
        status,
        request_id,
        hint,
        workspace,
        fault,
        iso_time(moment),
        kept,
    )


class Journal:
    def __init__(self, store: Store, size: int) -> None:
        self.store = store
        self.size = size  # 0: off
        self.path = journal_path(store.path)
        # Other processes read a file: each entry is written before its answer is sent.
        self.shared = self.path != IN_MEMORY
        self._rows = Rows(self.path)
        self._lock = threading.Lock()  # the buffer's: the serving thread's and a test's
        # Entries not yet written, as received: the work of an entry (the key blanked, the
        # time formatted) is done when it is written, in memory only if it is read. Beyond
        # `size`, the oldest are dropped: the ring would not keep them.
        self._pending: deque[Received] = deque(maxlen=size)
        self._waiting: list[asyncio.Future[None]] = []  # answers held until the next write

    def close(self) -> None:
        if self.shared:
            self._write()
        self._rows.close()

    def record(
        self,
        request: Request,
        op: Operation | None,
        body: bytes,
        answer: Response | None,
        request_id: str,
        fault: str | None = None,
        caller: Caller | None = None,
    ) -> None:
        """Keep the request's entry; `written()` says when it is in the journal.

        `op` is None for a path or method the spec does not have; `fault` defaults to the
        answer's; without `caller` (an unauthenticated request), the key is looked up.
        """
        if not self.size:
            return
        key = request.headers.get(KEY_HEADER) or None
        if key is not None and caller is None:
            caller = self.store.caller(key)
        received = (
            None if op is None else op.operation_id,
            request.method,
            request.path,
            request.query_string,
            body,
            None if answer is None else answer.status,
            request_id,
            key,
            None if caller is None else caller.workspace_oid,
            fault or (None if answer is None else answer.fault),
            time.time(),
            request.headers,
        )
        with self._lock:
            self._pending.append(received)

    async def written(self) -> None:
        """Once the entries recorded so far are where every process reads them.

        In a shared file, the entries of all the requests that reach this point in one
        turn of the event loop are written together at the start of the next.
        """
        if not self.shared or not self._pending:
            return
        loop = asyncio.get_running_loop()
        if not self._waiting:
            loop.call_soon(self._write_for_waiting)
        done = loop.create_future()  # one per answer: a cancelled one leaves the others be
        self._waiting.append(done)
        await done

    def _write_for_waiting(self) -> None:
        waiting, self._waiting = self._waiting, []
        try:
            self._write()
        except sqlite3.Error:  # a journal that cannot be written must not hold the answers
            log.exception("the request journal could not be written")
        for done in waiting:
            if not done.done():
                done.set_result(None)

    def _write(self) -> None:
        # Under the buffer's lock until committed, so that a read on another thread that
        # finds the buffer empty finds its entries in the table.
        with self._lock:
            pending, self._pending = self._pending, deque(maxlen=self.size)
            if pending:
                self._rows.add([written_row(received) for received in pending], self.size)

    def entries(self, operation: str | None = None) -> list[Json]:
        """The journal, oldest first, each entry as RecordedRequest's fields."""
        self._write()
        found = []
        for row in self._rows.last(self.size, operation):
            entry = dict(zip(COLUMNS, row, strict=True))
            text = bytes(entry["body"]).decode("utf-8", "replace")
            query = dict(parse_qsl(entry["query"], keep_blank_values=True))
            headers = orjson.loads(entry["headers"])
            found.append(
                {**entry, "query": query, "json": _parsed(text), "body": text, "headers": headers}
            )
        return found

    def clear(self) -> None:
        """Empty the journal, this process's buffer included."""
        with self._lock:
            self._pending.clear()
            self._rows.clear()


class Rows(Database):
    """The journal's table, in a database of its own: no change log, a ring of entries."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        # A journal an older kit wrote, without today's columns, starts again empty: it
        # holds only past requests, and its rows could not take the new ones.
        found = {row[1] for row in self._db.execute("PRAGMA table_info(journal)")}
        if found and found != {"seq", *COLUMNS}:
            self._db.execute("DROP TABLE journal")
        self._db.executescript(SCHEMA)

    def add(self, entries: list[tuple[Any, ...]], keep: int) -> None:
        """Entries (their COLUMNS in order), in one transaction, keeping about the last `keep`.

        The oldest go in batches of SLACK, so that most writes are INSERTs alone; reads
        return the last `keep` only.
        """
        with self.transaction():
            self._db.executemany(_INSERT, entries)
            newest = self._db.execute("SELECT last_insert_rowid()").fetchone()[0]
            if newest > keep and newest // SLACK != (newest - len(entries)) // SLACK:
                self._db.execute("DELETE FROM journal WHERE seq <= ?", (newest - keep,))

    def last(self, keep: int, operation: str | None = None) -> list[tuple[Any, ...]]:
        """The last `keep` entries, oldest first; of one operation if named."""
        with self.transaction(write=False):
            newest = self._db.execute("SELECT MAX(seq) FROM journal").fetchone()[0] or 0
            if operation is None:
                rows = self._db.execute(_SELECT + " ORDER BY seq", (newest - keep,))
            else:
                rows = self._db.execute(
                    _SELECT + " AND operation = ? ORDER BY seq", (newest - keep, operation)
                )
            return rows.fetchall()

    def clear(self) -> None:
        with self.transaction():
            self._db.execute("DELETE FROM journal")


def kept_headers(headers: dict[str, str], key: str | None) -> dict[str, str]:
    """A request's headers as the journal keeps them: every credential as a hint.

    The names are lower-cased already (Request); the key, blanked in any other header.
    """
    kept = {}
    for name, value in headers.items():
        if name in SECRET_HEADERS:
            kept[name] = key_hint(value)
        elif key and key in value:
            kept[name] = value.replace(key, BLANKED_KEY)
        else:
            kept[name] = value
    return kept


def _parsed(text: str) -> Any:
    if not text:
        return None
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return None
