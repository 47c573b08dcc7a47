"""Every file of generated/octave-client says, on its first line, that it is generated; the
SDK's hand-written modules are there as client_lib/ has them, below that line."""

from __future__ import annotations

from pathlib import Path

import pytest

from spec_tools.finish_client import finish, generated_files
from tests.openapi_document import REPO_ROOT

GENERATED = REPO_ROOT / "generated" / "octave-client"
HAND_WRITTEN = REPO_ROOT / "client_lib"
COPIED = GENERATED / "octave_client" / "_lib"
SAYING = "Generated from openapi.yaml by `make generate`: do not edit."
# The first line of each kind of file, in its own comment syntax.
FIRST_LINE = {"md": f"<!-- {SAYING} -->"}
HASH_COMMENT = f"# {SAYING}"


def first_line(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("\n", 1)[0]


def relative(path: Path) -> str:
    return path.relative_to(GENERATED).as_posix()


@pytest.mark.parametrize("path", generated_files(GENERATED), ids=relative)
def test_every_generated_file_starts_with_the_header(path: Path) -> None:
    expected = FIRST_LINE.get(path.suffix.lstrip("."), HASH_COMMENT)
    assert expected == first_line(path)


def test_the_files_checked_are_the_whole_client() -> None:
    """The walk sees the package, its metadata and the copied modules, and no cache."""
    names = {relative(path) for path in generated_files(GENERATED)}
    expected = {"README.md", "pyproject.toml", ".gitignore", "octave_client/py.typed"}
    assert expected <= names
    assert "octave_client/_lib/retries.py" in names
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]


def test_the_hand_written_modules_are_copied_unchanged_below_the_header() -> None:
    written = sorted(path.name for path in HAND_WRITTEN.glob("*.py"))
    assert written == sorted(path.name for path in COPIED.glob("*.py"))
    for name in written:
        source = f"client_lib/{name}"
        expected = f"{HASH_COMMENT}\n# Copied from {source}: edit that file.\n"
        expected += (HAND_WRITTEN / name).read_text(encoding="utf-8")
        assert expected == (COPIED / name).read_text(encoding="utf-8"), source


def test_a_kind_of_file_without_a_known_comment_stops_generation(tmp_path: Path) -> None:
    """A new kind of generated file needs its header syntax decided, not skipped silently."""
    (tmp_path / "octave_client").mkdir()
    (tmp_path / "octave_client" / "schema.json").write_text("{}", encoding="utf-8")
    with pytest.raises(SystemExit, match=r"schema\.json: no comment syntax is known for '\.json'"):
        finish(tmp_path, REPO_ROOT)
