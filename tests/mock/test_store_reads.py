"""Reads served from memory while nothing changed, and never after a change, from any process.

Two `Store`s on one file stand for two `serve --workers` processes. A raw SQLite connection
writes behind the stores' back, which no part of the kit does: it shows when a read goes to
the file and when it is served from what an earlier read found.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
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


def put_name(store: Store, name: str, oid: str = PRODUCT) -> None:
    with store.transaction():
        store.put("product", ACME, {"oId": oid, "name": name})


def test_a_write_of_this_process_keeps_what_reads_found(
    workers: tuple[Store, Store], path: Path
) -> None:
    """Its own write, with nothing else written meanwhile, leaves every other object's read
    in memory and serves the object it wrote from memory too."""
    first, _ = workers
    put_name(first, "another", oid="p_another")
    assert stored_name(first) == "as seeded"
    write_behind_the_stores_back(path, "unseen")
    put_name(first, "written", oid="p_another")
    assert stored_name(first) == "as seeded"  # still what the read before the write found
    assert first.get_shared("product", ACME, "p_another") == {"oId": "p_another", "name": "written"}
    with first.transaction():  # an update reads what the last write left, not the file
        assert first.get("product", ACME, "p_another") == {"oId": "p_another", "name": "written"}


def test_updates_one_after_another_read_what_the_last_one_wrote(
    workers: tuple[Store, Store], path: Path
) -> None:
    """With no read between them (a load test of updates), each update finds the object in
    memory, as the one before it left it."""
    first, _ = workers
    put_name(first, "first update")
    write_behind_the_stores_back(path, "unseen")
    put_name(first, "second update", oid="p_another")
    with first.transaction():
        assert first.get("product", ACME, PRODUCT) == {"oId": PRODUCT, "name": "first update"}


def test_what_a_write_keeps_is_the_object_under_its_workspace(workers: tuple[Store, Store]) -> None:
    """An object moved to another workspace by a write is that workspace's, and no other's."""
    first, _ = workers
    with first.transaction():
        first.add_workspace("wa_other", "Other")
    assert stored_name(first) == "as seeded"
    with first.transaction():
        first.put("product", "wa_other", {"oId": PRODUCT, "name": "moved"})
    assert first.get_shared("product", ACME, PRODUCT) is None
    assert first.get_shared("product", "wa_other", PRODUCT) == {"oId": PRODUCT, "name": "moved"}
    with first.transaction():
        assert first.get("product", ACME, PRODUCT) is None


@pytest.mark.parametrize(
    "other_write",
    [
        pytest.param(lambda store: store.reset(), id="a reset"),
        pytest.param(lambda store: store.add_workspace("wa_other", "Other"), id="a workspace"),
        pytest.param(
            lambda store: store._db.execute("DELETE FROM objects WHERE oid = ?", (PRODUCT,)),
            id="SQL of its own",
        ),
    ],
)
def test_a_transaction_that_writes_more_than_objects_keeps_nothing(
    workers: tuple[Store, Store], path: Path, other_write: Callable[[Store], object]
) -> None:
    """A write SQLite counts but `put` did not make drops everything kept, as any write of
    another process does: what it changed is read from the file again."""
    first, _ = workers
    assert stored_name(first) == "as seeded"
    with first.transaction():
        first.put("product", ACME, {"oId": "p_another", "name": "written"})
        other_write(first)
    write_behind_the_stores_back(path, "read again")
    found = first.get_shared("product", ACME, PRODUCT)
    assert found is None or found["name"] == "read again"


def test_a_write_rolled_back_or_after_another_worker_s_keeps_nothing(
    workers: tuple[Store, Store], path: Path
) -> None:
    first, second = workers
    assert stored_name(first) == "as seeded"

    def put_then_fail() -> None:
        with first.transaction():
            first.put("product", ACME, {"oId": PRODUCT, "name": "rolled back"})
            raise RuntimeError

    with pytest.raises(RuntimeError):
        put_then_fail()
    assert stored_name(first) == "as seeded"
    put_name(second, "by the other worker")
    put_name(first, "written", oid="p_another")  # began after the other's: what it kept is old
    assert stored_name(first) == "by the other worker"
    write_behind_the_stores_back(path, "unseen")
    assert stored_name(first) == "by the other worker"  # kept again, from the last read


def test_an_update_of_a_row_gone_under_it_stores_the_object_anew(
    workers: tuple[Store, Store],
) -> None:
    """The transaction changes a row it knows by rowid; if SQL of its own removed that row
    meanwhile, the object is stored anew rather than lost."""
    first, _ = workers
    with first.transaction():
        doc = first.get("product", ACME, PRODUCT)
        assert doc is not None
        first._db.execute("DELETE FROM objects WHERE oid = ?", (PRODUCT,))
        first.put("product", ACME, {**doc, "name": "stored anew"})
    assert stored_name(first) == "stored anew"
