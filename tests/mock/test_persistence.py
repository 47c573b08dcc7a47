"""State: a file database survives restarts, memory starts fresh, /_mock/reset restores the seed."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from octave_client.api.reference import update_reference
from octave_client.models import UpdateReferenceRequest

from octave_mock.settings import Settings
from octave_mock.testing import RunningMock, running_mock
from tests.mock.support import (
    ACME,
    NULL_DATA_REFERENCE,
    REFERENCE,
    new_client,
    raw_client,
    seed_doc,
    stored_reference,
)


def rename(mock: RunningMock, name: str, oid: str = REFERENCE) -> None:
    """Rename a reference of workspace A through the generated client."""
    with new_client(mock.base_url, mock.key(ACME)) as client:
        response = update_reference.sync_detailed(
            client=client, body=UpdateReferenceRequest(o_id=oid, name=name)
        )
    expected = 200
    assert expected == response.status_code, response.content


def test_file_database_keeps_updates_across_restarts(tmp_path: Path) -> None:
    """An update made before a restart is there after it; the seed is not loaded over it."""
    settings = Settings(db_path=str(tmp_path / "mock.db"), validate_responses=True)
    with running_mock(settings) as first:
        rename(first, "Renamed before the restart")
        updated = stored_reference(first.server)
    with running_mock(settings) as second:
        after_restart = stored_reference(second.server)
        seeded = seed_doc(second.server, "reference", REFERENCE)
    expected = updated
    assert expected == after_restart
    assert seeded["name"] != after_restart["name"]


def test_file_database_is_in_wal_mode(tmp_path: Path) -> None:
    """The database file is left in WAL journal mode, so readers never block the writer."""
    path = tmp_path / "mock.db"
    with running_mock(Settings(db_path=str(path))):
        pass
    with closing(sqlite3.connect(path)) as db:
        mode = db.execute("PRAGMA journal_mode").fetchone()[0]
    expected = "wal"
    assert expected == mode


def test_memory_database_starts_fresh() -> None:
    """The default database is in memory: a new server has the seed, not the last one's updates."""
    expected = ":memory:"
    assert expected == Settings().db_path
    with running_mock(Settings()) as first:
        rename(first, "Forgotten")
    with running_mock(Settings()) as second:
        fresh = stored_reference(second.server)
    assert seed_doc(second.server, "reference", REFERENCE) == fresh


def test_reset_restores_the_seed(mock: RunningMock) -> None:
    """POST /_mock/reset puts back every seeded object after updates."""
    rename(mock, "Changed")
    rename(mock, "Changed too", NULL_DATA_REFERENCE)
    with raw_client(mock.base_url) as http:
        response = http.post("/_mock/reset")
    expected = (
        200,
        {"status": "reset"},
        seed_doc(mock.server, "reference", REFERENCE),
        seed_doc(mock.server, "reference", NULL_DATA_REFERENCE),
    )
    actual = (
        response.status_code,
        response.json(),
        stored_reference(mock.server),
        stored_reference(mock.server, NULL_DATA_REFERENCE),
    )
    assert expected == actual


def test_reset_of_a_file_database_persists(tmp_path: Path) -> None:
    """A reset of a file database is itself kept across a restart."""
    settings = Settings(db_path=str(tmp_path / "mock.db"))
    with running_mock(settings) as first:
        rename(first, "Changed")
        with raw_client(first.base_url) as http:
            http.post("/_mock/reset").raise_for_status()
    with running_mock(settings) as second:
        found = stored_reference(second.server)
    assert seed_doc(second.server, "reference", REFERENCE) == found


def test_health_names_the_database(tmp_path: Path) -> None:
    """GET /_mock/health answers ok and the database in use."""
    path = str(tmp_path / "mock.db")
    with running_mock(Settings(db_path=path)) as mock, raw_client(mock.base_url) as http:
        response = http.get("/_mock/health")
    expected = (200, {"status": "ok", "database": path})
    assert expected == (response.status_code, response.json())


def test_a_journal_from_an_older_kit_starts_again_and_the_data_stays(tmp_path: Path) -> None:
    """A file whose journal an older kit kept in the store's file, with its change log,
    serves, journals (apart now), and keeps its data; the old journal is gone."""
    settings = Settings(db_path=str(tmp_path / "mock.db"))
    with running_mock(settings) as first:
        rename(first, "Kept across the upgrade")
    old_journal = "CREATE TABLE {} (seq INTEGER PRIMARY KEY, undo_existed INTEGER, path TEXT)"
    with closing(sqlite3.connect(settings.db_path)) as db, db:
        db.execute(old_journal.format("journal"))
        db.execute(old_journal.format("undo_journal"))
        db.execute(
            "CREATE TRIGGER undo_journal_insert AFTER INSERT ON journal "
            "BEGIN INSERT INTO undo_journal (undo_existed) VALUES (0); END"
        )
    with running_mock(settings) as second:
        rename(second, "Kept across the upgrade")
        assert "Kept across the upgrade" == stored_reference(second.server)["name"]
        entries = second.requests()  # the journal, too, outlives a restart
        assert ["updateReference"] * 2 == [entry.operation for entry in entries]
        assert "application/json" == entries[-1].headers["content-type"]
    with closing(sqlite3.connect(settings.db_path)) as db:
        names = {row[0] for row in db.execute("SELECT name FROM sqlite_schema")}
    assert not {name for name in names if "journal" in name}
