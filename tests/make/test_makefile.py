"""The Makefile as a user meets it: `make help` off a terminal, and a Node target without npm."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from tests.installing import run
from tests.openapi_document import REPO_ROOT


def test_help_has_no_colour_off_a_terminal_and_aligned_columns() -> None:
    lines = run("make", "--no-print-directory", "help").stdout.splitlines()
    starts = {re.match(r"  \S+\s+", line).end() for line in lines}  # type: ignore[union-attr]
    expected = (False, 1, True)
    assert expected == (
        any("\033" in line for line in lines),
        len(starts),
        {"contract", "lint", "template-changes"} <= {line.split()[0] for line in lines},
    ), lines


def test_a_node_target_without_npm_says_so_in_one_line(tmp_path: Path) -> None:
    """Only what make needs is on PATH, and node_modules is out of date (-W); .venv is left
    as it is (-o): the target stops before npm, saying what needs which Node."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("make", "bash", "sh", "grep", "sed"):
        found = shutil.which(tool)
        assert found, tool
        (bin_dir / tool).symlink_to(found)
    node_modules = REPO_ROOT / "node_modules"
    had_node_modules = node_modules.exists()  # a checkout set up for make test has none
    completed = run(
        "make",
        "--no-print-directory",
        "-W",
        "package.json",
        "-o",
        ".venv/bin/.installed",
        "lint",
        env={"PATH": str(bin_dir)},
        expect=2,
    )
    said, *make_own = completed.stderr.splitlines()
    package = json.loads((REPO_ROOT / "package.json").read_text(encoding="utf-8"))
    node = package["devDependencies"]["node"]
    assert said.startswith(
        f"make lint runs Redocly and Spectral on the spec, on Node {node}: npm installs both from"
        " package.json"
    )
    assert said.endswith("make contract, mock, generate, dist, versions and test need only Python")
    assert [] == [line for line in make_own if not line.startswith("make: *** ")]
    assert had_node_modules == node_modules.exists()  # untouched: npm never ran
