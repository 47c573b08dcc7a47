"""The suite's two tiers, decided here and nowhere else.

`make test` runs the fast tier (`-m "not slow"`): what needs Python alone. `make test-all`
(and so `make check`) runs both. A test is slow when it needs more than Python and in-process
servers: Node, Java or Chromium, a wheel build or a fresh virtualenv, pytest in a subprocess,
or a whole contract or corpus run. Two rules mark it so, at collection:

- where it lives: a folder or module of SLOW_PATHS;
- what it uses: a fixture of SLOW_FIXTURES, directly or through another fixture.

So a new test is classified by where it is written and what it asks for, never by hand. The
fast tier does not even import the modules of SLOW_PATHS (`pytest_ignore_collect`). A
test that starts one of the slow tier's programs without being classified slow fails, with
a message saying what it started and where to classify it (`refuse_unclassified`), so the
fast tier cannot quietly grow a slow test.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

SLOW = "slow"  # the marker, registered in pyproject.toml
FAST_TIER = f"not {SLOW}"  # the marker expression of `make test`

# Folders and modules (relative to the suite's root folder) whose every test is slow.
SLOW_PATHS = {
    "tests/docs/test_reference_page.py": "the reference page of make docs in Chromium",
    "tests/spec/test_versions.py": "Optic and Specmatic judging the corpus, make diff",
    "tests/spec/test_tools_read_the_spec.py": "each Node and Java tool reading the spec",
    "tests/contract": "whole contract runs, in-process and through make contract",
    "tests/make/test_setup.py": "make setup in a fresh virtualenv",
    "tests/pact/test_comparator.py": "PactFlow's comparator on Node, over the corpus",
    "tests/proxy/test_contract_live_drift.py": "a whole contract run (octave-contract live)",
}
# Fixtures that make a test slow wherever it is.
SLOW_FIXTURES = {
    "dist": "builds the wheels of make dist, installed into fresh virtualenvs",
    "node_tools": "runs a Node tool",
    "browser": "starts Chromium (tests/docs/test_reference_page.py)",
    "written_pact": "runs the example app's suite, pytest in a subprocess",
    # The kit's pytester tests run pytest in a subprocess, as a user's project loads the plugin.
    "pytester": "runs pytest on a throwaway project",
}
# What a test of the fast tier may not start: the program's name, or a module or subcommand
# in its first arguments, and why it is slow.
SLOW_PROGRAMS = {
    "node": "Node",
    "npm": "npm",
    "npx": "npm",
    "java": "Java",
    "chromium": "Chromium",
    "octave-contract": "a whole contract run",
}
SLOW_ARGUMENTS = {
    "venv": "a fresh virtualenv",
    "ensurepip": "a fresh virtualenv",
    "build": "a wheel build",
    "pytest": "pytest in a subprocess",
    "-mpytest": "pytest in a subprocess",
    "octave_contract": "a whole contract run",
}
NODE_TOOLS = f"{os.sep}node_modules{os.sep}"


def pytest_configure(config: pytest.Config) -> None:
    if not RUNNING.hook_added:  # an audit hook stays for the process's life
        sys.addaudithook(refuse_unclassified)
        RUNNING.hook_added = True


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """The fast tier leaves the modules of SLOW_PATHS unimported: all their tests would be
    deselected, and some read the contract or a corpus as they load, in every worker."""
    root = config.rootpath
    fast = config.option.markexpr == FAST_TIER and collection_path.is_relative_to(root)
    if fast and slow_path(collection_path.relative_to(root).as_posix()):
        return True
    return None  # for the other plugins to decide


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if why_slow(item, config.rootpath):
            item.add_marker(SLOW)
    # The slow tests first, so that the many short ones fill in around them at the end
    # instead of a long one ending the run alone on one worker.
    items.sort(key=lambda item: item.get_closest_marker(SLOW) is None)


def why_slow(item: pytest.Item, root: Path) -> str | None:
    """Why the item belongs to the slow tier, or None: the one rule."""
    used = getattr(item, "fixturenames", ())
    return slow_path(item.path.relative_to(root).as_posix()) or next(
        (why for name, why in SLOW_FIXTURES.items() if name in used), None
    )


def slow_path(where: str) -> str | None:
    """Why every test under `where` (relative to the suite's root, in / form) is slow, or None."""
    for path, why in SLOW_PATHS.items():
        if where == path or where.startswith(f"{path}/"):
            return why
    return None


class Running:
    """The test being run, and whether it is in the slow tier."""

    test: pytest.Item | None = None
    hook_added = False


RUNNING = Running()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    # Saved and restored: pytester runs a session inside a test, with its own items.
    outer, RUNNING.test = RUNNING.test, item
    try:
        yield
    finally:
        RUNNING.test = outer


def refuse_unclassified(event: str, args: tuple[Any, ...]) -> None:
    """An audit hook: a fast-tier test starting a slow-tier program fails at once."""
    test = RUNNING.test
    if event != "subprocess.Popen" or test is None or test.get_closest_marker(SLOW):
        return
    executable, argv = args[0], args[1]
    command = [str(argv)] if isinstance(argv, str | bytes | os.PathLike) else list(argv)
    what = slow_program([str(executable or command[0]), *map(str, command[1:])])
    if what is not None:
        raise SlowTestInFastTier(
            f"{test.nodeid} starts {what} ({' '.join(map(str, command))[:200]}), which"
            " belongs to the slow tier, but the test is not classified slow: add its module"
            " to SLOW_PATHS or the fixture that starts it to SLOW_FIXTURES in tests/tiers.py"
        )


def slow_program(command: Sequence[str]) -> str | None:
    """What makes this command slow, or None."""
    program = Path(command[0]).name
    if NODE_TOOLS in command[0]:
        return f"the Node tool {program}"
    if program in SLOW_PROGRAMS or program.startswith("chromium"):
        return SLOW_PROGRAMS.get(program, "Chromium")
    for argument in command[1:4]:
        if argument in SLOW_ARGUMENTS:
            return SLOW_ARGUMENTS[argument]
    return None


class SlowTestInFastTier(RuntimeError):
    """A test of the fast tier started a program that only the slow tier may start."""
