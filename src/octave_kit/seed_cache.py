"""Checked seeds kept on disk, so that a start with an unchanged seed neither parses nor checks it.

A checked seed is written once as an image: a small SQLite file of its
workspaces, keys and objects in their stored form. The file's name is the
digest of all that decides what the check finds and what is stored: the seed
file's bytes, the spec, and the kit's own code (so another kit version, or an
edited checkout, checks again). A seed that changed by one byte misses and is
checked in full; only a seed that passed is ever kept, so a bad one is refused
by the same check on every start.

Where: $OCTAVE_MOCK_CACHE_DIR, else $XDG_CACHE_HOME/octave-mock, else
~/.cache/octave-mock. The newest KEEP images stay; deleting the folder is
always safe (the next start checks again). Where no cache folder can be
written, images go to a temporary folder that lives as long as the process.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import logging
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing, suppress
from pathlib import Path
from types import TracebackType
from typing import Any

import orjson

from octave_kit import json_text

CACHE_DIR_ENV = "OCTAVE_MOCK_CACHE_DIR"
KEEP = 8  # images kept: a few seeds in turn, each with a few edits
IMAGE_GLOB = "seed-*.sqlite"
IMAGE_SCHEMA = """
CREATE TABLE workspaces (oid TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE keys (key TEXT PRIMARY KEY, workspace_oid TEXT NOT NULL, read_only INTEGER NOT NULL);
CREATE TABLE objects (kind TEXT NOT NULL, oid TEXT NOT NULL, workspace_oid TEXT NOT NULL,
                      doc BLOB NOT NULL);
"""
log = logging.getLogger("octave_mock")

StoredObject = tuple[str, str, str, bytes]  # kind, oid, workspace oid, JSON text


def cache_dir() -> Path:
    configured = os.environ.get(CACHE_DIR_ENV)
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "octave-mock"


@functools.cache
def _fallback_dir() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="octave-mock-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


@functools.cache
def code_digest() -> str:
    """The digest of the kit's own modules: what checks a seed and how it is stored."""
    digest = hashlib.sha256()
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.name.encode() + b"\0" + module.read_bytes() + b"\0")
    return digest.hexdigest()


def image_path(seed_digest: str, spec_document: Any) -> Path:
    """Where the image of this seed, checked against this spec by this code, is kept."""
    spec = orjson.dumps(spec_document, option=orjson.OPT_SORT_KEYS, default=str)
    key = hashlib.sha256(
        f"{seed_digest}\n{hashlib.sha256(spec).hexdigest()}\n{code_digest()}".encode()
    ).hexdigest()
    return _writable(cache_dir()) / f"seed-{key[:40]}.sqlite"


def _writable(folder: Path) -> Path:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if os.access(folder, os.W_OK):
            return folder
    except OSError:
        pass
    fallback = _fallback_dir()
    log.warning("cannot write the seed cache %s; using %s for this run", folder, fallback)
    return fallback


class Image:
    """One kept image, opened read-only."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # mode=ro: a reader never creates or changes a cache file.
        self._db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)

    @classmethod
    def open(cls, path: Path) -> Image | None:
        """The image at `path`, or None if there is none (or it is unreadable: it is rebuilt)."""
        if not path.exists():
            return None
        try:
            image = cls(path)
            image.count()
        except sqlite3.Error:
            return None
        with suppress(OSError):
            os.utime(path)  # the newest used are the ones kept
        return image

    def close(self) -> None:
        self._db.close()

    def workspaces(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT oid, name FROM workspaces ORDER BY rowid"))

    def api_keys(self) -> list[tuple[str, str, bool]]:
        rows = self._db.execute("SELECT key, workspace_oid, read_only FROM keys ORDER BY rowid")
        return [(key, workspace, bool(read_only)) for key, workspace, read_only in rows]

    def count(self) -> int:
        found: int = self._db.execute("SELECT COUNT(*) FROM objects").fetchone()[0]
        return found

    def objects(self) -> Iterator[StoredObject]:
        """Every object in its stored form, in the seed's order, read as they are used."""
        yield from self._db.execute(
            "SELECT kind, oid, workspace_oid, doc FROM objects ORDER BY rowid"
        )


class ImageWriter:
    """Write an image beside its place and move it there only once complete.

    Two processes checking the same seed at once each write their own file; the
    last move wins, and either file is whole.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        handle, temporary = tempfile.mkstemp(prefix=".writing-", dir=path.parent)
        os.close(handle)
        self._temporary = Path(temporary)
        self._db = sqlite3.connect(temporary, isolation_level=None)
        self._db.executescript(IMAGE_SCHEMA)
        self._db.execute("BEGIN")

    def __enter__(self) -> ImageWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if kind is None:
                self._db.execute("COMMIT")
            self._db.close()
            if kind is None:
                os.replace(self._temporary, self.path)
        finally:
            self._temporary.unlink(missing_ok=True)
        if kind is None:
            _prune(self.path.parent)

    def add_workspace(self, oid: str, name: str) -> None:
        self._db.execute("INSERT INTO workspaces (oid, name) VALUES (?, ?)", (oid, name))

    def add_key(self, key: str, workspace_oid: str, read_only: bool) -> None:
        self._db.execute(
            "INSERT INTO keys (key, workspace_oid, read_only) VALUES (?, ?, ?)",
            (key, workspace_oid, int(read_only)),
        )

    def add_object(self, kind: str, workspace_oid: str, doc: dict[str, Any]) -> None:
        self._db.execute(
            "INSERT INTO objects (kind, oid, workspace_oid, doc) VALUES (?, ?, ?, ?)",
            (kind, doc["oId"], workspace_oid, json_text.dumps(doc)),
        )


def _prune(folder: Path) -> None:
    """Keep the KEEP most recently used images."""
    images = sorted(folder.glob(IMAGE_GLOB), key=_last_used, reverse=True)
    for old in images[KEEP:]:
        old.unlink(missing_ok=True)


def _last_used(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def read_objects(path: Path) -> Iterator[StoredObject]:
    """The objects of the image at `path`, closing it when done."""
    with closing(Image(path)) as image:
        yield from image.objects()
