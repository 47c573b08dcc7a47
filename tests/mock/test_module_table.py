"""docs/mock.md's "Inside the mock" table names the mock's modules, every one and only those."""

from __future__ import annotations

import re

from tests.mock.support import REPO_ROOT

PACKAGE = REPO_ROOT / "src" / "octave_mock"


def test_the_module_table_names_every_module_of_the_mock() -> None:
    """Each module of src/octave_mock but __init__ and __main__ has a row; each row, a module."""
    guide = (REPO_ROOT / "docs" / "mock.md").read_text(encoding="utf-8")
    table = guide.split("## Inside the mock", 1)[1].split("\n\n| module |", 1)[1].split("\n\n")[0]
    listed = {
        name
        for row in table.splitlines()
        if row.startswith("| `")
        for name in re.findall(r"`([\w/]+\.py)`", row.split("|")[1])
    }
    modules = {
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if path.name not in {"__init__.py", "__main__.py"}
    }
    assert sorted(modules) == sorted(listed)
