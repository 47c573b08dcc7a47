"""Each package's module table in its guide names every module of the package, and only those.

docs/mock.md, docs/proxy.md and docs/contract-tests.md each have an "Inside ..." table of
their package; docs/development.md has the core's and the command line's, with the package
in each row's path.
"""

from __future__ import annotations

import re

import pytest

from tests.openapi_document import REPO_ROOT

SOURCE = REPO_ROOT / "src"
# package -> (guide, the heading its table follows, the prefix of each listed path)
TABLES = {
    "octave_mock": ("mock.md", "## Inside the mock", ""),
    "octave_proxy": ("proxy.md", "## Inside the proxy", ""),
    "octave_contract": ("contract-tests.md", "## Inside the contract run", ""),
    "octave_kit": ("development.md", "### Inside the core and the command line", "octave_kit/"),
    "octave_cli": ("development.md", "### Inside the core and the command line", "octave_cli/"),
}
# Modules that are only a package's doorway, never a job of their own.
DOORWAYS = {"__init__.py", "__main__.py"}


def listed(guide: str, heading: str, prefix: str) -> set[str]:
    """The .py files the first column of the table under `heading` names, within `prefix`."""
    text = (REPO_ROOT / "docs" / guide).read_text(encoding="utf-8")
    section = text.split(f"\n{heading}\n", 1)[1]
    table = section.split("\n| module |", 1)[1].split("\n\n")[0]
    names = {
        name
        for row in table.splitlines()
        if row.startswith("| `")
        for name in re.findall(r"`([\w/]+\.py)`", row.split(" | ")[0])
    }
    return {name.removeprefix(prefix) for name in names if name.startswith(prefix)}


@pytest.mark.parametrize("package", sorted(TABLES))
def test_the_guide_s_table_names_every_module_of_the_package(package: str) -> None:
    guide, heading, prefix = TABLES[package]
    modules = {
        path.relative_to(SOURCE / package).as_posix()
        for path in (SOURCE / package).rglob("*.py")
        if path.name not in DOORWAYS
    }
    assert sorted(modules) == sorted(listed(guide, heading, prefix))


def test_every_package_of_the_kit_has_a_table() -> None:
    packages = {path.parent.name for path in SOURCE.glob("octave_*/__init__.py")}
    assert packages == set(TABLES)
