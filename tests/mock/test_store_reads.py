"""Reads served from memory while nothing changed, and never after a change, from any process.

Two `Store`s on one file stand for two `serve --workers` processes. A raw SQLite connection
writes behind the stores' back, which no part of the kit does: it shows when a read goes to
the file and when it is served from what an earlier read found.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from octave_mock.store import COUNTER, Store
from tests.mock.support import ACME, PRODUCT


def stored_name(store: Store) -> str:
    doc = store.get_shared("product", ACME, PRODUCT)
    assert doc is not None
    return str(doc["name"])


def write_behind_the_stores_back(path: Path, name: str) -> None:
    with closing(sqlite3.connect(path)) as db, db:
        db.execute(
            "UPDATE objects SET doc = json_set(doc, '$.name', ?) WHERE oid = ?", (name, PRODUCT)
        )


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "mock.db"


@pytest.fixture
def workers(path: Path) -> Iterator[tuple[Store, Store]]:
    first = Store(str(path))
    with first.transaction():
        first.add_workspace(ACME, "Acme")
        first.put("product", ACME, {"oId": PRODUCT, "name": "as seeded"})
    second = Store(str(path))
    yield first, second
    first.close()
    second.close()


def test_a_read_sees_what_another_worker_wrote(workers: tuple[Store, Store]) -> None:
    first, second = workers
    assert stored_name(first) == "as seeded"
    with second.transaction():
        second.put("product", ACME, {"oId": PRODUCT, "name": "changed by the other worker"})
    assert stored_name(first) == "changed by the other worker"


def test_while_nothing_is_written_reads_come_from_memory(
    workers: tuple[Store, Store], path: Path
) -> None:
    first, second = workers
    assert stored_name(first) == "as seeded"
    write_behind_the_stores_back(path, "unseen")
    assert stored_name(first) == "as seeded"
    with second.transaction():  # any write moves the counter, even one that changes nothing
        pass
    assert stored_name(first) == "unseen"


def test_after_a_writer_died_mid_commit_every_read_goes_to_the_file(
    workers: tuple[Store, Store], path: Path
) -> None:
    """A writer killed between COMMIT and moving the counter on leaves it odd: nothing read
    is kept then, until the next writer makes it even again."""
    first, second = workers
    assert stored_name(first) == "as seeded"
    with Path(f"{path}.writers").open("r+b") as writers:
        (value,) = COUNTER.unpack(writers.read(COUNTER.size))
        writers.seek(0)
        writers.write(COUNTER.pack(value + 1))  # as a writer leaves it before COMMIT
    for name in ("after the crash", "and again"):
        write_behind_the_stores_back(path, name)
        assert stored_name(first) == name
    with second.transaction():
        pass
    assert stored_name(first) == "and again"
    write_behind_the_stores_back(path, "unseen")
    assert stored_name(first) == "and again"


def test_a_script_another_worker_adds_is_met(workers: tuple[Store, Store]) -> None:
    first, second = workers
    assert not first.has_scripts()
    with second.transaction():
        second.add_script("getProduct", None, 1, {"status": 500})
    assert first.has_scripts()
    with second.transaction():
        assert second.take_script("getProduct", None) is not None
    assert not first.has_scripts()


def test_an_update_reads_afresh_and_never_changes_what_reads_share(
    workers: tuple[Store, Store],
) -> None:
    first, _ = workers
    shared = first.get_shared("product", ACME, PRODUCT)
    with first.transaction():
        doc = first.get("product", ACME, PRODUCT)
        assert doc == shared
        assert doc is not shared
