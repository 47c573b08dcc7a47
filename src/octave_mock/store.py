"""The mock's state: workspaces, API keys and objects in SQLite.

One connection per process. Each transaction holds the store's lock, so that
a test's thread (the test-double calls, the fixture's reset) and the event
loop's thread take turns on it. Each request runs in one turn that never
awaits; a writing one is a transaction that takes SQLite's write lock at
BEGIN, so a partial update is an atomic read-modify-write even when several
worker processes share one WAL file.

Reads are served from memory while the data has not changed. Every write
transaction moves a change counter that all processes sharing the database
see (`ChangeCounter`); what reads found is kept only while it stays where it
was (`Kept`). So a read costs no SQL at all while nothing is written, and
a read in a WAL file, where each SQLite transaction takes two file locks,
costs as little as one in memory: that is what lets a second worker add
throughput. A process's own write keeps what it wrote rather than dropping
what is kept, when nothing else changed meanwhile and the transaction wrote
nothing but objects through `put`: an update reads the object it changes
from memory, and reads of every other object stay in memory after it.

Reset costs what changed, not what is stored: triggers on every table of the
store keep, for each row changed since the baseline (the state just after
seeding), its values as they were then, once, in a table of the same columns
beside it (`undo_<table>`). `reset()` deletes the changed rows and puts the
kept ones back. It is the "Automatic Undo/Redo" technique of sqlite.org, with
the old values in columns rather than in SQL text, so that undoing is a few
set-wise statements per table. The triggers live in the database, so changes
made by every worker process sharing a file are undone alike.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import mmap
import os
import sqlite3
import struct
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any

from octave_kit import json_text
from octave_kit.json_text import Json

if TYPE_CHECKING:
    from octave_kit.seed import Seed

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
-- Older kits kept the request journal here; it lives apart now (journal.py).
DROP TABLE IF EXISTS journal;
DROP TABLE IF EXISTS undo_journal;
"""
# The meta rows: the seed file's digest, and that a baseline was set.
SEED_DIGEST = "seed_sha256"
BASELINE = "baseline"
# What a table's change log is named: `undo_objects` for `objects`.
UNDO_PREFIX = "undo_"
UNDO_ROWID = "undo_rowid"  # the changed row's rowid
# 1: the row was there at the baseline (its values follow); 0: it was not.
UNDO_EXISTED = "undo_existed"
SET_DOC = "UPDATE objects SET doc = ? WHERE rowid = ?"
PUT = (
    # An upsert changes the row in place; INSERT OR REPLACE would delete and re-insert it.
    "INSERT INTO objects (kind, oid, workspace_oid, doc) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (kind, oid) DO UPDATE SET workspace_oid = excluded.workspace_oid, "
    "doc = excluded.doc"
)


def hash_key(key: str) -> bytes:
    """Keys are stored and looked up by their SHA-256, never in clear."""
    return hashlib.sha256(key.encode()).digest()


@dataclass(frozen=True)
class Caller:
    workspace_oid: str
    read_only: bool
    key_hash: bytes  # what per-key faults count by


COUNTER = struct.Struct("<Q")
# The writers' file holds the change counters, 8 bytes each: of all the data, and of the scripts.
DATA_COUNTER, SCRIPTS_COUNTER = 0, COUNTER.size
COUNTERS_SIZE = 2 * COUNTER.size


def shared_counters(writers_fd: int) -> mmap.mmap:
    """The writers' file's counters, mapped into this process: reading one is no system call."""
    if os.fstat(writers_fd).st_size < COUNTERS_SIZE:  # a new file, or an older kit's
        os.ftruncate(writers_fd, COUNTERS_SIZE)  # zeros; never shrinks a written one
    return mmap.mmap(writers_fd, COUNTERS_SIZE)


class ChangeCounter:
    """How often part of the store changed, as every process sharing the database sees it.

    A sequence lock's counter: a writer makes it odd before it commits and even
    again after, under the writers' lock. A reader that sees an even value that
    has not moved since it last looked knows nothing was committed in between.
    An odd value says a commit may be under way (or its writer died before
    finishing), and nothing read then is kept; the next writer makes it even
    again. In memory (one process) it is a plain number; with a file, 8 bytes of
    the writers' file, mapped into every process.
    """

    def __init__(self, shared: mmap.mmap | None, offset: int) -> None:
        self._local = 0
        self._shared = shared
        self._offset = offset
        self.moving = False  # made odd by this process's open transaction

    def value(self) -> int:
        if self._shared is None:
            return self._local
        return int(COUNTER.unpack_from(self._shared, self._offset)[0])

    def committing(self) -> None:
        """Odd, once per transaction (from odd, a writer died: a new odd value)."""
        if not self.moving:
            now = self.value()
            self._set(now + 1 if now % 2 == 0 else now + 2)
            self.moving = True

    def committed(self) -> None:
        if self.moving:
            self._set(self.value() + 1)
            self.moving = False

    def _set(self, value: int) -> None:
        if self._shared is None:
            self._local = value
        else:
            COUNTER.pack_into(self._shared, self._offset, value)


class Kept:
    """What reads found, kept while a change counter stays at one even value; and what the
    open write transaction of this process wrote, kept after it if nothing else changed."""

    # Enough for any suite's working set; a seed of many objects read one by one
    # (a load test over all of them) starts again rather than growing without end.
    LIMIT = 10_000

    def __init__(self, counter: ChangeCounter) -> None:
        self._counter = counter
        self._kept_at: int | None = None
        self.found: dict[object, Any] = {}
        # Of the open write transaction: the value it began at, if what is kept held then
        # (None if not, or with no transaction open), and what it wrote or read.
        self._began_at: int | None = None
        self._writing = False
        self._noted: dict[object, Any] = {}

    def valid(self) -> bool:
        """Whether what is kept still holds; if not, it is dropped."""
        now = self._counter.value()
        if now != self._kept_at:
            self.found.clear()
            self._kept_at = now if now % 2 == 0 else None
        elif len(self.found) > self.LIMIT:
            self.found.clear()
        return self._kept_at is not None

    def begin(self) -> None:
        """A write transaction has the write lock; the counter has not moved for it yet."""
        self._began_at = self._kept_at if self.valid() else None
        self._writing = True
        self._noted.clear()

    def current(self, key: object) -> Any | None:
        """In the open write transaction, what it noted or what is kept of `key`, if either."""
        if key in self._noted:
            return self._noted[key]
        return None if self._began_at is None else self.found.get(key)

    def noted(self, key: object, value: Any) -> None:
        """What the open write transaction wrote, or read, of `key`."""
        if self._writing:
            self._noted[key] = value

    def end(self, kept: bool) -> None:
        """The write transaction is over; what it noted is kept if `kept` (it committed,
        having written only what it noted) and no other writer came between."""
        if kept and self._began_at is not None and self._counter.value() == self._began_at + 2:
            self._kept_at = self._began_at + 2
            self.found.update(self._noted)
        self._began_at = None
        self._writing = False
        self._noted.clear()


@dataclass(slots=True)
class KeptObject:
    """One (kind, oId) as a read found it: its workspace and stored JSON (None for no such
    object), its rowid (0 if not known), and the JSON parsed once for the reads that share it."""

    workspace_oid: str | None
    text: bytes | str = b""
    rowid: int = 0
    doc: Json | None = None


NO_OBJECT = KeptObject(None)


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
        self._writers: int | None = None
        self._counters: mmap.mmap | None = None
        try:  # a file that is no database fails here: nothing is left open
            if path != ":memory:":
                self._writers = os.open(f"{path}.writers", os.O_RDWR | os.O_CREAT, 0o644)
                self._db.execute("PRAGMA journal_mode=WAL")
                # NORMAL in WAL mode survives a crash of the process; only power loss
                # can drop the last commits.
                self._db.execute("PRAGMA synchronous=NORMAL")
                self._counters = shared_counters(self._writers)
            # Every write moves the data's counter; only a write to the scripts moves theirs,
            # so that the question every request asks (does a script wait?) survives updates.
            self._changes = ChangeCounter(self._counters, DATA_COUNTER)
            self._script_changes = ChangeCounter(self._counters, SCRIPTS_COUNTER)
            self._objects = Kept(self._changes)
            self._scripts = Kept(self._script_changes)
            self._db.execute("PRAGMA foreign_keys=ON")
            # A row that INSERT OR REPLACE removes then fires its delete trigger, so it is
            # undone too.
            self._db.execute("PRAGMA recursive_triggers=ON")
            self._db.executescript(SCHEMA)
            self._tables = self._track_changes()
        except BaseException:
            self.close()
            raise
        # Keys only ever come from the seed (every worker loads the same one), so a
        # key found once stays valid until this process clears the store.
        self._callers: dict[str, Caller] = {}  # by the key as presented
        self._changes_at_begin = self._changes_by_put = 0  # of the open write transaction
        # Whose turn it is on the connection: the serving thread or a test's (reentrant, so a
        # transaction begun inside another fails as SQLite says, instead of waiting forever).
        self._turn = threading.RLock()
        # Made once: neither holds anything of one transaction but what its turn holds.
        counters = (self._changes, self._script_changes)
        self._write = Transaction(
            self._db, self._turn, counters, self._writers, self._began, self._ended
        )
        self._read = ReadTurn(self._turn)

    def close(self) -> None:
        self._db.close()
        if self._counters is not None:
            self._counters.close()
        if self._writers is not None:
            os.close(self._writers)

    def transaction(self, write: bool = True) -> Transaction | ReadTurn:
        """One write transaction, write-locked from its start and rolled back on error; or,
        for a request that only reads, the store's turn: each read is one statement, and
        keys never change under a request, so no transaction is needed to see one state."""
        return self._write if write else self._read

    def _began(self) -> None:
        self._objects.begin()
        self._changes_at_begin = self._db.total_changes
        self._changes_by_put = 0

    def _ended(self, committed: bool) -> None:
        # SQLite counts every row written, through triggers too: only puts wrote if they
        # account for them all (not a reset, a seed, nor SQL of a test's own).
        only_puts = self._db.total_changes - self._changes_at_begin == self._changes_by_put
        self._objects.end(committed and only_puts)

    def is_empty(self) -> bool:
        count: int = self._db.execute("SELECT COUNT(*) FROM workspaces").fetchone()[0]
        return count == 0

    def clear(self) -> None:
        """Empty every table, in the open transaction; the caller seeds and sets the baseline."""
        self._callers.clear()
        self._script_changes.committing()
        self._db.execute("PRAGMA defer_foreign_keys=ON")  # any order; checked at COMMIT
        for table in self._tables:
            self._db.execute(f'DELETE FROM "{table}"')  # noqa: S608 - the schema's own names

    def seed_anew(self, seed: Seed) -> None:
        """Replace what the store holds with the seed, in the open transaction: the baseline."""
        self.clear()
        seed.load_into(self)
        self.set_baseline()

    def set_baseline(self) -> None:
        """What `reset` goes back to: the store as it is now, in the open transaction."""
        self._set_meta(BASELINE, "set")
        for table in self._tables:
            self._db.execute(f'DELETE FROM "{UNDO_PREFIX}{table}"')  # noqa: S608

    def has_baseline(self) -> bool:
        """False for a database seeded before stores kept a change log: reset cannot undo it."""
        return self._meta(BASELINE) is not None

    def reset(self) -> None:
        """Undo every change since the baseline, in the open transaction: rows added,
        changed or deleted, in every table, by any process sharing the database."""
        self._callers.clear()
        self._script_changes.committing()
        self._db.execute("PRAGMA defer_foreign_keys=ON")  # rows come back in any order
        for table in self._tables:
            undo = f'"{UNDO_PREFIX}{table}"'
            # Rows changed or added go first, so that no kept row meets a key now in use.
            self._db.execute(
                f'DELETE FROM "{table}" WHERE rowid IN (SELECT {UNDO_ROWID} FROM {undo})'  # noqa: S608
            )
        for table, columns in self._tables.items():
            undo = f'"{UNDO_PREFIX}{table}"'
            names = ", ".join(columns)
            self._db.execute(
                f'INSERT INTO "{table}" (rowid, {names}) '  # noqa: S608
                f"SELECT {UNDO_ROWID}, {names} FROM {undo} WHERE {UNDO_EXISTED}"
            )
            self._db.execute(f"DELETE FROM {undo}")  # noqa: S608

    def _track_changes(self) -> dict[str, list[str]]:
        """Give every table of the schema its change log and triggers; each table's columns."""
        tables: dict[str, list[str]] = {}
        rows = self._db.execute(
            "SELECT name, sql FROM sqlite_schema WHERE type = 'table' "
            "AND name NOT GLOB 'sqlite_*' AND name NOT GLOB ? ORDER BY name",
            (UNDO_PREFIX + "*",),
        ).fetchall()
        for table, sql in rows:
            if "WITHOUT ROWID" in sql.upper():
                raise ValueError(f"table {table}: reset needs a rowid; drop WITHOUT ROWID")
            columns = [f'"{row[1]}"' for row in self._db.execute(f'PRAGMA table_info("{table}")')]
            tables[table] = columns
            self._db.executescript(_undo_schema(table, columns))
        return tables

    def seed_digest(self) -> str | None:
        """The digest of the seed file the data came from, if recorded."""
        return self._meta(SEED_DIGEST)

    def set_seed_digest(self, digest: str) -> None:
        self._set_meta(SEED_DIGEST, digest)

    def _meta(self, name: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return None if row is None else str(row[0])

    def _set_meta(self, name: str, value: str) -> None:
        self._db.execute(
            "INSERT INTO meta (name, value) VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            (name, value),
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
        known = self._callers.get(key)
        if known is not None:
            return known
        digest = hash_key(key)
        with self._turn:  # in a transaction, or on its own (the journal of a refused request)
            row = self._db.execute(
                "SELECT key_hash, workspace_oid, read_only FROM api_keys WHERE key_hash = ?",
                (digest,),
            ).fetchone()
        if row is None or not hmac.compare_digest(row[0], digest):
            return None
        found = Caller(workspace_oid=row[1], read_only=bool(row[2]), key_hash=digest)
        self._callers[key] = found
        return found

    def put(self, kind: str, workspace_oid: str, doc: Json) -> None:
        key, text, before = (kind, doc["oId"]), json_text.dumps(doc), self._db.total_changes
        # An object the transaction knows, staying in its workspace, is changed by its rowid:
        # no conflict to resolve, no foreign key to check.
        known = self._objects.current(key)
        rowid = known.rowid if known is not None and known.workspace_oid == workspace_oid else 0
        if not rowid or self._db.execute(SET_DOC, (text, rowid)).rowcount != 1:
            rowid = 0
            self._db.execute(PUT, (kind, doc["oId"], workspace_oid, text))
        self._changes_by_put += self._db.total_changes - before
        self._objects.noted(key, KeptObject(workspace_oid, text, rowid))

    def put_stored(self, rows: Iterable[tuple[str, str, str, bytes]]) -> None:
        """Objects already in their stored form: (kind, oid, workspace_oid, JSON text)."""
        self._db.executemany(PUT, rows)

    def get(self, kind: str, workspace_oid: str, oid: str) -> Json | None:
        """An object of the workspace, a copy of its own; another workspace's looks like none
        at all. In a write transaction, what it noted or what reads kept serves, if current."""
        key = (kind, oid)
        found = self._objects.current(key)
        if found is None:
            found = self._stored(kind, oid)
            self._objects.noted(key, found)
        if found.workspace_oid != workspace_oid:
            return None
        doc: Json = json_text.loads(found.text)
        return doc

    def get_shared(self, kind: str, workspace_oid: str, oid: str) -> Json | None:
        """As `get`, from what reads found while nothing changed: the same object for every
        caller, so it must not be changed (an update reads with `get`, in its transaction)."""
        if not self._objects.valid():
            return self.get(kind, workspace_oid, oid)
        key = (kind, oid)
        found: KeptObject | None = self._objects.found.get(key)
        if found is None:
            found = self._objects.found[key] = self._stored(kind, oid)
        if found.workspace_oid != workspace_oid:
            return None
        if found.doc is None:
            found.doc = json_text.loads(found.text)
        return found.doc

    def _stored(self, kind: str, oid: str) -> KeptObject:
        row = self._db.execute(
            "SELECT workspace_oid, doc, rowid FROM objects WHERE kind = ? AND oid = ?", (kind, oid)
        ).fetchone()
        return NO_OBJECT if row is None else KeptObject(*row)

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
        self._script_changes.committing()
        self._db.execute(
            "INSERT INTO scripts (operation, key_hash, remaining, script) VALUES (?, ?, ?, ?)",
            (operation, key_hash, times, json_text.dumps(script)),
        )

    def has_scripts(self) -> bool:
        """Whether any script waits: asked by every request, read once per change."""
        with self._turn:
            valid = self._scripts.valid()
            if valid and "waiting" in self._scripts.found:
                return bool(self._scripts.found["waiting"])
            waiting = self._db.execute("SELECT 1 FROM scripts LIMIT 1").fetchone() is not None
            if valid:
                self._scripts.found["waiting"] = waiting
            return waiting

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
        self._script_changes.committing()
        if remaining > 1:
            self._db.execute("UPDATE scripts SET remaining = ? WHERE seq = ?", (remaining - 1, seq))
        else:
            self._db.execute("DELETE FROM scripts WHERE seq = ?", (seq,))
        taken: Json = json_text.loads(script)
        return taken

    def oids(self, kind: str) -> list[str]:
        rows = self._db.execute("SELECT oid FROM objects WHERE kind = ? ORDER BY oid", (kind,))
        return [row[0] for row in rows]


def _undo_schema(table: str, columns: list[str]) -> str:
    """The change log of one table and the triggers that fill it.

    Each row is logged once, at its first change since the baseline: with its
    values if it existed then, as added (undo_existed 0) if not. A row added
    and then deleted again leaves no trace.
    """
    undo = f'"{UNDO_PREFIX}{table}"'
    names = ", ".join(columns)
    old = ", ".join(f"OLD.{column}" for column in columns)
    # WHERE NOT EXISTS, not INSERT OR IGNORE: the conflict clause of the statement that
    # fires the trigger (an upsert's, say) would override the trigger's own.
    first = f"WHERE NOT EXISTS (SELECT 1 FROM {undo} WHERE {UNDO_ROWID} = {{}}.rowid);"  # noqa: S608
    keep_old = (
        f"INSERT INTO {undo} ({UNDO_ROWID}, {UNDO_EXISTED}, {names}) "
        f"SELECT OLD.rowid, 1, {old} {first.format('OLD')}"
    )
    added = (
        f"INSERT INTO {undo} ({UNDO_ROWID}, {UNDO_EXISTED}) "
        f"SELECT NEW.rowid, 0 {first.format('NEW')}"
    )
    trigger = f'CREATE TRIGGER IF NOT EXISTS "{UNDO_PREFIX}{table}_{{}}" AFTER {{}} ON "{table}"'
    # A row changed again (an object updated over and over) skips the trigger's body, which
    # would find it logged and do nothing: such an update costs a third less.
    logged = f"EXISTS (SELECT 1 FROM {undo} WHERE {UNDO_ROWID} = OLD.rowid)"  # noqa: S608
    changed_again = f"WHEN NOT {logged} OR NEW.rowid <> OLD.rowid"
    return f"""
CREATE TABLE IF NOT EXISTS {undo} (
    {UNDO_ROWID} INTEGER PRIMARY KEY, {UNDO_EXISTED} INTEGER NOT NULL, {names}
);
{trigger.format("insert", "INSERT")} BEGIN {added} END;
{trigger.format("update", "UPDATE")} {changed_again} BEGIN {keep_old} {added} END;
{trigger.format("delete", "DELETE")} BEGIN
    {keep_old}
    DELETE FROM {undo} WHERE {UNDO_ROWID} = OLD.rowid AND {UNDO_EXISTED} = 0;
END;
"""  # noqa: S608 - the schema's own names


class ReadTurn:
    """The store's turn for a request that only reads: the thread lock, no SQL."""

    def __init__(self, turn: threading.RLock) -> None:
        self._turn = turn

    def __enter__(self) -> None:
        self._turn.acquire()

    def __exit__(self, *exc_info: object) -> None:
        self._turn.release()


class Transaction:
    """BEGIN IMMEDIATE on entry; COMMIT on a clean exit, ROLLBACK on any exception; the
    change counter moved around it.

    A class, not @contextmanager: it runs on every request, and the generator
    machinery cost about 1 us of the mock's ~25 us per read.
    """

    def __init__(
        self,
        db: sqlite3.Connection,
        turn: threading.RLock,
        counters: tuple[ChangeCounter, ...],
        queue: int | None,
        began: Callable[[], None],
        ended: Callable[[bool], None],
    ) -> None:
        self._statements = db.cursor()  # BEGIN and COMMIT: no cursor made for each
        self._turn = turn  # the lock threads of this process take in turn
        self._data, *_ = self._counters = counters  # the first moves with every write
        self._queue = queue  # a file whose lock writers across processes take in turn
        self._began = began  # told once the write lock is held, before the counter moves
        self._ended = ended  # told whether it committed, once the counter has moved on

    def __enter__(self) -> None:
        self._turn.acquire()
        if self._queue is not None:
            fcntl.flock(self._queue, fcntl.LOCK_EX)
        try:
            self._statements.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._release()
            raise
        self._began()
        self._data.committing()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        committed = False
        try:
            self._statements.execute("COMMIT" if kind is None else "ROLLBACK")
            for counter in self._counters:
                counter.committed()
            committed = kind is None
        finally:
            self._ended(committed)
            self._release()

    def _release(self) -> None:
        if self._queue is not None:
            fcntl.flock(self._queue, fcntl.LOCK_UN)
        self._turn.release()
