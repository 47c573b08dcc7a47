"""The mock's state: workspaces, API keys and objects in SQLite.

One connection per process, used from the event loop's thread only. Each
request runs in one transaction that never awaits; a writing one takes
SQLite's write lock at BEGIN, so a partial update is an atomic
read-modify-write even when several worker processes share one WAL file.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import sqlite3
from dataclasses import dataclass
from types import TracebackType
from typing import Any, TextIO

from octave_mock import json_text

Json = dict[str, Any]
JOURNAL_SLACK = 64  # journal entries beyond its size before the oldest are deleted
# A journal entry's columns, after its sequence number (see SCHEMA).
JOURNAL_COLUMNS = (
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
)
_JOURNAL_INSERT = (
    f"INSERT INTO journal ({', '.join(JOURNAL_COLUMNS)}) "  # noqa: S608 - fixed names
    f"VALUES ({', '.join('?' for _ in JOURNAL_COLUMNS)})"
)
_JOURNAL_SELECT = f"SELECT {', '.join(JOURNAL_COLUMNS)} FROM journal WHERE seq > ?"  # noqa: S608

SCHEMA = """
CREATE TABLE IF NOT EXISTS workspaces (
    oid TEXT PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS api_keys (
    key_hash BLOB PRIMARY KEY,
    workspace_oid TEXT NOT NULL REFERENCES workspaces(oid),
    read_only INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS meta (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS objects (
    kind TEXT NOT NULL,
    oid TEXT NOT NULL,
    workspace_oid TEXT NOT NULL REFERENCES workspaces(oid),
    doc TEXT NOT NULL,
    PRIMARY KEY (kind, oid)
);
-- What a test scripted with fail_next: consumed oldest first, per operation.
CREATE TABLE IF NOT EXISTS scripts (
    seq INTEGER PRIMARY KEY,
    operation TEXT NOT NULL,
    key_hash BLOB,
    remaining INTEGER NOT NULL,
    script TEXT NOT NULL
);
-- The request journal: a ring of the last requests answered, never with a key. Stored
-- as received (query string, body bytes) and parsed when read, off the request's path.
CREATE TABLE IF NOT EXISTS journal (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
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
    time TEXT NOT NULL
);
"""


def hash_key(key: str) -> bytes:
    """Keys are stored and looked up by their SHA-256, never in clear."""
    return hashlib.sha256(key.encode()).digest()


@dataclass(frozen=True)
class Caller:
    workspace_oid: str
    read_only: bool
    key_hash: bytes  # what per-key faults count by


class Store:
    def __init__(self, path: str) -> None:
        self.path = path
        # The connection is made on the thread that serves requests and used
        # only there; isolation_level=None lets us issue BEGIN ourselves. Another
        # worker holding the write lock is waited for, up to `timeout` seconds.
        self._db = sqlite3.connect(
            path, isolation_level=None, check_same_thread=False, timeout=10.0
        )
        # Writers in other processes (serve --workers) queue on this file's lock before
        # BEGIN IMMEDIATE: the kernel wakes the next one at once, where SQLite's busy
        # handler would sleep 1, 2, 5, 10 ms... between tries and stretch the tail.
        self._writers: TextIO | None = None
        if path != ":memory:":
            self._writers = open(f"{path}.writers", "a")  # noqa: SIM115 - held until close()
            self._db.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode survives a crash of the process; only power loss
            # can drop the last commits.
            self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(SCHEMA)
        # Keys only ever come from the seed (every worker loads the same one), so a
        # key found once stays valid until this process clears the store.
        self._callers: dict[bytes, Caller] = {}

    def close(self) -> None:
        self._db.close()
        if self._writers is not None:
            self._writers.close()

    def transaction(self, write: bool = True) -> Transaction:
        """One transaction, write-locked from its start if it may write; rolled back on error."""
        if not write:
            return Transaction(self._db, "BEGIN")
        return Transaction(self._db, "BEGIN IMMEDIATE", self._writers)

    def is_empty(self) -> bool:
        count: int = self._db.execute("SELECT COUNT(*) FROM workspaces").fetchone()[0]
        return count == 0

    def clear(self) -> None:
        self._callers.clear()
        for table in ("journal", "scripts", "objects", "api_keys", "workspaces", "meta"):
            self._db.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names

    def seed_digest(self) -> str | None:
        """The digest of the seed file the data came from, if recorded."""
        row = self._db.execute("SELECT value FROM meta WHERE name = 'seed_sha256'").fetchone()
        return None if row is None else str(row[0])

    def set_seed_digest(self, digest: str) -> None:
        self._db.execute(
            "INSERT INTO meta (name, value) VALUES ('seed_sha256', ?) "
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            (digest,),
        )

    def count(self, table: str) -> int:
        """Rows in one of the store's tables (workspaces, api_keys, objects)."""
        found: int = self._db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608
        return found

    def add_workspace(self, oid: str, name: str) -> None:
        self._db.execute("INSERT INTO workspaces (oid, name) VALUES (?, ?)", (oid, name))

    def add_key(self, key: str, workspace_oid: str, read_only: bool) -> None:
        self._db.execute(
            "INSERT INTO api_keys (key_hash, workspace_oid, read_only) VALUES (?, ?, ?)",
            (hash_key(key), workspace_oid, int(read_only)),
        )

    def caller(self, key: str) -> Caller | None:
        """The workspace a key belongs to, or None for an unknown key."""
        digest = hash_key(key)
        known = self._callers.get(digest)
        if known is not None:
            return known
        row = self._db.execute(
            "SELECT key_hash, workspace_oid, read_only FROM api_keys WHERE key_hash = ?",
            (digest,),
        ).fetchone()
        if row is None or not hmac.compare_digest(row[0], digest):
            return None
        found = Caller(workspace_oid=row[1], read_only=bool(row[2]), key_hash=digest)
        self._callers[digest] = found
        return found

    def put(self, kind: str, workspace_oid: str, doc: Json) -> None:
        self._db.execute(
            # An upsert changes the row in place; INSERT OR REPLACE would delete and re-insert it.
            "INSERT INTO objects (kind, oid, workspace_oid, doc) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (kind, oid) DO UPDATE SET workspace_oid = excluded.workspace_oid, "
            "doc = excluded.doc",
            (kind, doc["oId"], workspace_oid, json_text.dumps(doc)),
        )

    def get(self, kind: str, workspace_oid: str, oid: str) -> Json | None:
        """An object of the workspace; another workspace's looks like none at all."""
        row = self._db.execute(
            "SELECT doc FROM objects WHERE kind = ? AND oid = ? AND workspace_oid = ?",
            (kind, oid, workspace_oid),
        ).fetchone()
        if row is None:
            return None
        doc: Json = json_text.loads(row[0])
        return doc

    def holds(self, kind: str, oid: str) -> bool:
        """Whether an object of that kind and oId is stored, in any workspace."""
        row = self._db.execute(
            "SELECT 1 FROM objects WHERE kind = ? AND oid = ?", (kind, oid)
        ).fetchone()
        return row is not None

    def has_workspace(self, oid: str) -> bool:
        row = self._db.execute("SELECT 1 FROM workspaces WHERE oid = ?", (oid,)).fetchone()
        return row is not None

    def add_script(self, operation: str, key_hash: bytes | None, times: int, script: Json) -> None:
        self._db.execute(
            "INSERT INTO scripts (operation, key_hash, remaining, script) VALUES (?, ?, ?, ?)",
            (operation, key_hash, times, json_text.dumps(script)),
        )

    def has_scripts(self) -> bool:
        """Whether any script waits: the one read every request pays while none does."""
        return self._db.execute("SELECT 1 FROM scripts LIMIT 1").fetchone() is not None

    def take_script(self, operation: str, key_hash: bytes | None) -> Json | None:
        """The oldest script for this operation and key, counted down once (a write)."""
        row = self._db.execute(
            "SELECT seq, remaining, script FROM scripts WHERE operation = ? "
            "AND (key_hash IS NULL OR key_hash = ?) ORDER BY seq LIMIT 1",
            (operation, key_hash),
        ).fetchone()
        if row is None:
            return None
        seq, remaining, script = row
        if remaining > 1:
            self._db.execute("UPDATE scripts SET remaining = ? WHERE seq = ?", (remaining - 1, seq))
        else:
            self._db.execute("DELETE FROM scripts WHERE seq = ?", (seq,))
        taken: Json = json_text.loads(script)
        return taken

    def record(self, entry: tuple[Any, ...], keep: int) -> None:
        """Add a journal entry (its JOURNAL_COLUMNS in order), keeping about the last `keep`.

        The oldest go in batches of JOURNAL_SLACK, so that most requests pay one INSERT;
        reads return the last `keep` only.
        """
        cursor = self._db.execute(_JOURNAL_INSERT, entry)
        newest = cursor.lastrowid or 0
        if newest > keep and newest % JOURNAL_SLACK == 0:
            self._db.execute("DELETE FROM journal WHERE seq <= ?", (newest - keep,))

    def journal(self, keep: int, operation: str | None = None) -> list[tuple[Any, ...]]:
        """The last `keep` journal entries, oldest first; of one operation if named."""
        newest = self._db.execute("SELECT MAX(seq) FROM journal").fetchone()[0] or 0
        if operation is None:
            rows = self._db.execute(_JOURNAL_SELECT + " ORDER BY seq", (newest - keep,))
        else:
            rows = self._db.execute(
                _JOURNAL_SELECT + " AND operation = ? ORDER BY seq", (newest - keep, operation)
            )
        return rows.fetchall()

    def clear_journal(self) -> None:
        self._db.execute("DELETE FROM journal")

    def oids(self, kind: str) -> list[str]:
        rows = self._db.execute("SELECT oid FROM objects WHERE kind = ? ORDER BY oid", (kind,))
        return [row[0] for row in rows]


class Transaction:
    """BEGIN on entry; COMMIT on a clean exit, ROLLBACK on any exception.

    A class, not @contextmanager: it runs on every request, and the generator
    machinery cost about 1 us of the mock's ~25 us per read.
    """

    def __init__(self, db: sqlite3.Connection, begin: str, queue: TextIO | None = None) -> None:
        self._db = db
        self._begin = begin
        self._queue = queue  # a file whose lock writers across processes take in turn

    def __enter__(self) -> None:
        if self._queue is not None:
            fcntl.flock(self._queue, fcntl.LOCK_EX)
        try:
            self._db.execute(self._begin)
        except BaseException:
            self._release()
            raise

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            self._db.execute("COMMIT" if kind is None else "ROLLBACK")
        finally:
            self._release()

    def _release(self) -> None:
        if self._queue is not None:
            fcntl.flock(self._queue, fcntl.LOCK_UN)
