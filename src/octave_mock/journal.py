"""The request journal: what the mock received and answered, for a test to read back.

Each API request the mock answers (or leaves unanswered through a fault) is
one entry, kept in a ring of the last `journal_size` entries so that a
long-running `serve` does not grow; a reset empties it. No key is ever
written: the entry has a `key_hint`, the presented key is blanked wherever
else it appears (path, query, body), and the headers keep only a hint of the
key and of every credential (`kept_headers`). The response (its header names
and JSON body) is kept only when asked (`journal_responses`, which coverage of
the contract turns on): it costs a serialisation per request.

A journal is diagnostic, so it stays off the store's path: outside the
store's change log (a reset simply empties it) and outside the request's
transaction, so that a read stays a read and two workers never queue on each
other for it.

- In memory (the default, one process), the entries are kept as the request
  left them, in a ring in this process, and made into entries when read: a
  load test that never reads the journal pays for keeping them and no more.
- Beside a database file, which other processes share (`serve --workers N`),
  each process appends its entries to a log of its own in `<db>.requests/`,
  one line each, before their answers are sent: a read through any worker
  merges every log, so it sees every request already answered, and a worker
  killed after answering has lost no entry. The entries of one turn of the
  event loop go in one write, at the start of the next turn, ahead of the
  answers: the mock's protocol (`OneWritePerTick`) sends what a turn wrote at
  the next turn too, in the order the two were asked for, and the entry is
  asked for first. A process's log is a slot
  it holds a lock on (a worker killed and started again takes the free slot
  and goes on with its log), rotated to `<slot>.1.log` when it holds `size`
  entries, so the ring's last `size` are always in the two.
"""

from __future__ import annotations

import asyncio
import fcntl
import itertools
import logging
import os
import threading
import time
from collections import deque
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from octave_kit import json_text
from octave_kit.http_io import Request, Response, iso_time
from octave_kit.json_text import Json
from octave_kit.keys import BLANKED_KEY, CREDENTIAL_HEADERS, KEY_HEADER, key_hint
from octave_kit.spec import Operation
from octave_mock.settings import IN_MEMORY
from octave_mock.store import Caller, Store

# An entry's fields, in the order a line holds them after its time in nanoseconds (the
# time is formatted when read).
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
    "headers",
    "response",
)
log = logging.getLogger("octave_mock")
LOG = "{slot}.log"  # a process's log; the one before it is {slot}.1.log
OLDER = ".1"


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
    # With journal_responses: {"headers": [names, lower-cased], "json": the body or None}.
    response: Json | None = None


# An entry as the request left it, key and all, kept in this process: a plain tuple, the
# cheapest thing to make per request. Its fields, in order: (time.time_ns(), operation,
# method, path, query string, body, status, request id, key, workspace, fault, headers,
# the response if kept).
Received = tuple[Any, ...]


def logs_path(db_path: str) -> Path:
    """Where the workers sharing a database file keep their logs."""
    return Path(f"{db_path}.requests")


class Journal:
    def __init__(self, store: Store, size: int, responses: bool = False) -> None:
        self.store = store
        self.size = size  # 0: off
        self.responses = responses
        self._lock = threading.Lock()  # the serving thread's and a test's
        # In memory: the ring of entries as received. Beside a file: this process's log.
        self._recent: deque[Received] = deque(maxlen=size)
        self._log: Log | None = None
        self._unwritten: list[Received] = []  # beside a file: this turn's, written at the next
        if size and store.path != IN_MEMORY:
            self._log = Log(logs_path(store.path), size)

    def close(self) -> None:
        if self._log is not None:
            self.write()
            self._log.close()

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
        """Keep the request's entry: beside a file, written at the event loop's next turn, ahead
        of the answer (at once without a running loop).

        `op` is None for a path or method the spec does not have; `fault` defaults to the
        answer's; without `caller` (an unauthenticated request), the key is looked up.
        """
        if not self.size:
            return
        key = request.headers.get(KEY_HEADER) or None
        if key is not None and caller is None:
            caller = self.store.caller(key)
        received = (
            time.time_ns(),
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
            request.headers,
            answer if self.responses else None,
        )
        if self._log is None:  # one call, atomic: a read copies the ring in one call too
            self._recent.append(received)
            return
        with self._lock:
            self._unwritten.append(received)
            if len(self._unwritten) > 1:  # the write this turn asked for takes it too
                return
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:  # no event loop to wait a turn for: written at once
                self._write()
                return
            loop.call_soon(self.write)

    def write(self) -> None:
        """Beside a file: the entries not yet in this process's log, in one write."""
        with self._lock:
            self._write()

    def _write(self) -> None:
        unwritten = self._unwritten
        if not unwritten or self._log is None:
            return
        lines = b"".join([json_text.dumps(written(received)) + b"\n" for received in unwritten])
        try:
            self._log.append(lines, len(unwritten))
        except OSError:  # a journal that cannot be written must not fail the answers
            log.exception("the request journal could not be written")
        unwritten.clear()

    def entries(self, operation: str | None = None) -> list[Json]:
        """The journal, oldest first, each entry as RecordedRequest's fields."""
        with self._lock:
            if self._log is None:
                lines = [written(received) for received in list(self._recent)]
            else:
                self._write()
                lines = self._log.every_line()[-self.size :]
        found = []
        for nanoseconds, *fields in lines:
            entry = dict(zip(COLUMNS, fields, strict=True))
            if operation is None or entry["operation"] == operation:
                found.append(
                    {
                        **entry,
                        "query": dict(parse_qsl(entry["query"], keep_blank_values=True)),
                        "json": json_text.loads_or_none(entry["body"]),
                        "time": iso_time(nanoseconds / 1e9),
                        "response": entry["response"] and json_text.loads(entry["response"]),
                    }
                )
        return found

    def clear(self) -> None:
        """Empty the journal: every process's log, beside a file."""
        with self._lock:
            self._recent.clear()
            self._unwritten.clear()
            if self._log is not None:
                self._log.clear()


def written(received: Received) -> list[Any]:
    """An entry as the journal keeps it: its time in nanoseconds, then COLUMNS, the key
    blanked wherever it appears and hinted, the body and the response as text."""
    (nanoseconds, operation, method, path, query, body, status, request_id, key, workspace,
     fault, headers, answer) = received  # fmt: skip
    query = query.decode("latin-1")
    if key is not None:
        blanked = key.encode()
        if blanked in body:  # a key sent where it does not belong is not kept either
            body = body.replace(blanked, BLANKED_KEY.encode())
        path, query = path.replace(key, BLANKED_KEY), query.replace(key, BLANKED_KEY)
    hint = None if key is None else key_hint(key)
    return [
        nanoseconds,
        operation,
        method,
        path,
        query,
        body.decode("utf-8", "replace"),
        status,
        request_id,
        hint,
        workspace,
        fault,
        kept_headers(headers, key, hint),
        None if answer is None else _response(answer, key).decode(),
    ]


class Log:
    """This process's log among those of every process sharing one database file."""

    def __init__(self, folder: Path, size: int) -> None:
        self.folder = folder
        self.size = size
        folder.mkdir(exist_ok=True)
        # The first slot no live process holds; the kernel frees it when its holder dies.
        for slot in itertools.count():
            self._slot = os.open(folder / f"{slot}.lock", os.O_CREAT | os.O_RDWR)
            try:
                fcntl.flock(self._slot, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                os.close(self._slot)
        self.path = folder / LOG.format(slot=slot)
        self._fd = self._open()

    def _open(self) -> int:
        fd = os.open(self.path, os.O_CREAT | os.O_WRONLY | os.O_APPEND)
        self._count = self.path.read_bytes().count(b"\n")
        return fd

    def append(self, lines: bytes, count: int) -> None:
        """`count` entries, one line each, in one write: another process reads them once this
        returns."""
        if self._count >= self.size:  # rotate: the ring's last `size` stay in the two
            os.close(self._fd)
            older = self.path.with_suffix(OLDER + self.path.suffix)
            # Not a rename over it: ext4 would flush the file first (milliseconds).
            older.unlink(missing_ok=True)
            self.path.rename(older)
            self._fd = self._open()
        os.write(self._fd, lines)
        self._count += count

    def every_line(self) -> list[list[Any]]:
        """Every entry of every process's logs, oldest first (by the time each was kept)."""
        found: dict[tuple[int, str], list[Any]] = {}
        # Each log before the one it rotates into: an entry moved meanwhile is read twice
        # (and kept once), never missed.
        for path in sorted(self.folder.glob("*.log"), key=lambda path: path.name.count(".")):
            try:
                text = path.read_bytes()
            except FileNotFoundError:  # rotated away while listed: its lines are in the next
                continue
            # A line another process is writing has no newline yet.
            for line in text.split(b"\n")[:-1]:
                entry = json_text.loads(line)
                found[entry[0], entry[7]] = entry  # its time and request id
        return sorted(found.values(), key=lambda entry: entry[0])

    def clear(self) -> None:
        """Empty every log in place: a process appending to one goes on at its start."""
        for path in self.folder.glob("*.log"):
            with suppress(FileNotFoundError):  # rotated away while listed: emptied as the next
                os.truncate(path, 0)
        self._count = 0

    def close(self) -> None:
        os.close(self._fd)
        os.close(self._slot)


def kept_headers(
    headers: dict[str, str], key: str | None, hint: str | None = None
) -> dict[str, str]:
    """A request's headers as the journal keeps them: every credential as a hint (`hint`,
    the key's, if known already).

    The names are lower-cased already (Request); the key, blanked in any other header.
    """
    kept = {}
    for name, value in headers.items():
        if name in CREDENTIAL_HEADERS:  # the journal keeps a hint, as of the key
            kept[name] = hint if hint is not None and value == key else key_hint(value)
        elif key and key in value:
            kept[name] = value.replace(key, BLANKED_KEY)
        else:
            kept[name] = value
    return kept


def _response(answer: Response, key: str | None) -> bytes:
    """The response as the journal keeps it: header names, and the JSON body (never a key)."""
    body = None if answer.raw is not None else answer.body
    headers = sorted(name.lower() for name in answer.headers)
    text = json_text.dumps({"headers": headers, "json": body})
    if key and key.encode() in text:
        text = text.replace(key.encode(), BLANKED_KEY.encode())
    return text
