"""The mock's state: workspaces, API keys and objects in SQLite.

One connection, used from the event loop's thread only. Each request runs in
one transaction that never awaits, so a partial update is an atomic
read-modify-write and concurrent updates of one reference lose nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

Json = dict[str, Any]

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
CREATE TABLE IF NOT EXISTS objects (
    kind TEXT NOT NULL,
    oid TEXT NOT NULL,
    workspace_oid TEXT NOT NULL REFERENCES workspaces(oid),
    doc TEXT NOT NULL,
    PRIMARY KEY (kind, oid)
);
"""


def hash_key(key: str) -> bytes:
    """Keys are stored and looked up by their SHA-256, never in clear."""
    return hashlib.sha256(key.encode()).digest()


@dataclass(frozen=True)
class Caller:
    workspace_oid: str
    read_only: bool


class Store:
    def __init__(self, path: str) -> None:
        self.path = path
        # The connection is made on the thread that serves requests and used
        # only there; isolation_level=None lets us issue BEGIN ourselves.
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        if path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode survives a crash of the process; only power loss
            # can drop the last commits.
            self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write-locked transaction; rolled back on any exception."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def is_empty(self) -> bool:
        count: int = self._db.execute("SELECT COUNT(*) FROM workspaces").fetchone()[0]
        return count == 0

    def clear(self) -> None:
        for table in ("objects", "api_keys", "workspaces"):
            self._db.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names

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
        row = self._db.execute(
            "SELECT key_hash, workspace_oid, read_only FROM api_keys WHERE key_hash = ?",
            (digest,),
        ).fetchone()
        if row is None or not hmac.compare_digest(row[0], digest):
            return None
        return Caller(workspace_oid=row[1], read_only=bool(row[2]))

    def put(self, kind: str, workspace_oid: str, doc: Json) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO objects (kind, oid, workspace_oid, doc) VALUES (?, ?, ?, ?)",
            (kind, doc["oId"], workspace_oid, json.dumps(doc)),
        )

    def get(self, kind: str, workspace_oid: str, oid: str) -> Json | None:
        """An object of the workspace; another workspace's looks like none at all."""
        row = self._db.execute(
            "SELECT doc FROM objects WHERE kind = ? AND oid = ? AND workspace_oid = ?",
            (kind, oid, workspace_oid),
        ).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def oids(self, kind: str) -> list[str]:
        rows = self._db.execute("SELECT oid FROM objects WHERE kind = ? ORDER BY oid", (kind,))
        return [row[0] for row in rows]
