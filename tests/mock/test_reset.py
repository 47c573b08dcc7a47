"""Reset undoes what changed since seeding, in every table of the store, and only that."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from octave_mock.app import MockServer
from octave_mock.settings import Settings
from octave_mock.store import UNDO_PREFIX, Store
from octave_mock.testing import RunningMock
from tests.mock.support import ACME, GLOBEX, PRODUCT, REFERENCE, StartMock

Rows = dict[str, list[tuple[object, ...]]]


def tables(db: sqlite3.Connection) -> list[str]:
    """The store's own tables: every table but the change logs and SQLite's."""
    rows = db.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'table' "
        "AND name NOT GLOB 'sqlite_*' AND name NOT GLOB ? ORDER BY name",
        (UNDO_PREFIX + "*",),
    )
    return [row[0] for row in rows]


def everything(db: sqlite3.Connection) -> Rows:
    """Every row of every table of the store, rowid first, in rowid order."""
    return {
        table: db.execute(f'SELECT rowid, * FROM "{table}" ORDER BY rowid').fetchall()  # noqa: S608
        for table in tables(db)
    }


def logged(db: sqlite3.Connection) -> int:
    """How many rows the change logs hold, over all tables."""
    return sum(
        db.execute(f'SELECT COUNT(*) FROM "{UNDO_PREFIX}{table}"').fetchone()[0]  # noqa: S608
        for table in tables(db)
    )


def database(server: MockServer) -> sqlite3.Connection:
    return server.store._db


def change_every_table(server: MockServer) -> None:
    """Add, change and delete rows in every table, and re-add a deleted object's key."""
    store = server.store
    db = database(server)
    with store.transaction():
        db.execute("PRAGMA defer_foreign_keys=ON")
        store.add_workspace("wa_added", "Added by a test")
        store.add_key("mock_added_key_000001", "wa_added", read_only=False)
        doc = store.get("reference", ACME, REFERENCE)
        assert doc is not None
        store.put("reference", ACME, {**doc, "name": "Changed"})
        store.put("product", "wa_added", {"oId": "p_added"})
        # The same (kind, oid) again under a new rowid: the kept row must not clash with it.
        db.execute("DELETE FROM objects WHERE kind = 'product' AND oid = ?", (PRODUCT,))
        store.put("product", GLOBEX, {"oId": PRODUCT, "name": "Not the seeded one"})
        for table in tables(db):
            db.execute(f'UPDATE "{table}" SET rowid = rowid')  # noqa: S608 - every row "changed"
        db.execute("DELETE FROM api_keys WHERE workspace_oid = ?", (GLOBEX,))
        db.execute("DELETE FROM meta")


def test_every_table_has_its_change_log_and_triggers(mock: RunningMock) -> None:
    """Each table of the store, whoever added it to the schema, is covered by reset."""
    db = database(mock.server)
    triggers = {
        row[0] for row in db.execute("SELECT name FROM sqlite_schema WHERE type = 'trigger'")
    }
    expected = {
        table: {f"{UNDO_PREFIX}{table}_{event}" for event in ("insert", "update", "delete")}
        for table in tables(db)
    }
    actual = {table: triggers & expected[table] for table in tables(db)}
    assert expected == actual
    assert {"workspaces", "api_keys", "objects", "meta"} <= set(expected)


def test_reset_undoes_additions_changes_and_deletions_in_every_table(mock: RunningMock) -> None:
    """After changes to every table, a reset leaves each row exactly as seeded, rowids too."""
    db = database(mock.server)
    seeded = everything(db)
    change_every_table(mock.server)
    assert seeded != everything(db)
    mock.reset()
    assert (seeded, 0) == (everything(db), logged(db))


def test_reset_logs_only_what_changed(mock: RunningMock) -> None:
    """The change log holds one row per row changed, however often it changed: reset costs that."""
    store = mock.server.store
    db = database(mock.server)
    for name in ("First", "Second", "Third"):
        with store.transaction():
            doc = store.get("reference", ACME, REFERENCE)
            assert doc is not None
            store.put("reference", ACME, {**doc, "name": name})
    with store.transaction():
        store.put("product", ACME, {"oId": "p_added_then_deleted"})
        db.execute("DELETE FROM objects WHERE oid = 'p_added_then_deleted'")
    expected = 1  # the reference, logged once; the object added and deleted again left nothing
    assert expected == logged(db)


def test_a_failed_request_leaves_no_trace_to_undo(mock: RunningMock) -> None:
    """A transaction rolled back takes its change-log rows with it."""
    store = mock.server.store

    def add_then_fail() -> None:
        with store.transaction():
            store.put("product", ACME, {"oId": "p_rolled_back"})
            raise RuntimeError

    with pytest.raises(RuntimeError):
        add_then_fail()
    expected = 0
    assert expected == logged(database(mock.server))


def test_reset_undoes_what_another_process_changed(tmp_path: Path, start_mock: StartMock) -> None:
    """Workers share one file: a reset in one undoes another's changes (the log is in the file)."""
    path = tmp_path / "mock.db"
    mock = start_mock(Settings(db_path=str(path)))
    seeded = everything(database(mock.server))
    other = Store(str(path))  # as another worker process opens it
    try:
        with other.transaction():
            other.put("product", ACME, {"oId": "p_from_another_worker"})
    finally:
        other.close()
    mock.reset()
    assert seeded == everything(database(mock.server))


def test_reset_after_a_restart_still_restores_the_seed(
    tmp_path: Path, start_mock: StartMock
) -> None:
    """Changes made before a restart of a file database are undone by a reset after it."""
    settings = Settings(db_path=str(tmp_path / "mock.db"))
    first = start_mock(settings)
    seeded = everything(database(first.server))
    change_every_table(first.server)
    first.server.store.close()
    with closing(sqlite3.connect(tmp_path / "mock.db")) as db:
        assert seeded != everything(db)
    second = start_mock(settings)
    second.reset()
    assert seeded == everything(database(second.server))


def test_a_table_without_rowid_is_refused(tmp_path: Path) -> None:
    """Reset works on rowids; a table without them is a clear error when the store opens."""
    path = tmp_path / "mock.db"
    with closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE scripts (name TEXT PRIMARY KEY) WITHOUT ROWID")
    with pytest.raises(ValueError, match="table scripts: reset needs a rowid"):
        Store(str(path))


def test_a_database_seeded_before_change_logs_is_seeded_anew_on_reset(
    tmp_path: Path, start_mock: StartMock
) -> None:
    """A file an older kit seeded has no change log to undo: its first reset seeds it again."""
    settings = Settings(db_path=str(tmp_path / "mock.db"))
    first = start_mock(settings)
    seeded = everything(database(first.server))
    first.server.store.close()
    with closing(sqlite3.connect(tmp_path / "mock.db")) as db:
        logs = db.execute(
            "SELECT type, name FROM sqlite_schema WHERE name GLOB ? ORDER BY type = 'table'",
            (UNDO_PREFIX + "*",),
        ).fetchall()
        for kind, name in logs:  # the triggers first, then the tables they write
            db.execute(f'DROP {kind.upper()} "{name}"')
        db.execute("DELETE FROM meta WHERE name = 'baseline'")
        db.execute("UPDATE objects SET doc = '{\"oId\": \"changed\"}' WHERE kind = 'reference'")
        db.commit()
    second = start_mock(settings)
    second.reset()
    assert seeded == everything(database(second.server))
