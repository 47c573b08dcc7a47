"""`make lint`'s own checks on a copy of the checkout: the layers (import-linter) and merge-conflict
markers. Each breaks the copy as a careless change would and expects make to fail naming it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.installing import run
from tests.openapi_document import REPO_ROOT

PACKAGES = ("octave_cli", "octave_mock", "octave_proxy", "octave_contract", "octave_kit")
# What the Makefile reads when it starts, beside the target's own files.
MAKE_FILES = ("Makefile", "pyproject.toml", "requirements.txt", "package.json")
# The contracts' names, as pyproject.toml's [tool.importlinter] gives them.
LAYERS = "octave_cli above octave_mock, octave_proxy and octave_contract, above octave_kit"
PEERS = "octave_mock, octave_proxy and octave_contract never import each other"
ACYCLIC = "no import cycle among the modules of a package"


def copy_of_the_checkout(tmp_path: Path) -> Path:
    """The Makefile, its settings and the kit's packages, with this checkout's .venv."""
    copy = tmp_path / "checkout"
    copy.mkdir()
    for name in MAKE_FILES:
        shutil.copy(REPO_ROOT / name, copy / name)
    for package in PACKAGES:
        shutil.copytree(
            REPO_ROOT / "src" / package,
            copy / "src" / package,
            ignore=shutil.ignore_patterns("__pycache__"),
        )
    (copy / ".venv").symlink_to(REPO_ROOT / ".venv")
    return copy


def make(copy: Path, target: str, expect: int) -> tuple[str, str]:
    """`make TARGET` in the copy, its packages first on the path; (stdout, stderr)."""
    env = {**os.environ, "PYTHONPATH": str(copy / "src")}
    # -o: the copy's .venv is this checkout's, already set up.
    argv = ("make", "--no-print-directory", "-o", ".venv/bin/.installed", target)
    completed = run(*argv, cwd=copy, env=env, expect=expect)
    return completed.stdout, completed.stderr


@pytest.mark.parametrize(
    ("module", "imported", "contract"),
    [
        # a peer importing a peer
        ("octave_proxy/objects.py", "octave_mock.settings", PEERS),
        # the core importing what stands on it
        ("octave_kit/keys.py", "octave_mock.store", LAYERS),
        # the mock importing the command line
        ("octave_mock/testing.py", "octave_cli.parsing", LAYERS),
    ],
)
def test_an_import_across_the_layers_fails_lint_naming_it(
    tmp_path: Path, module: str, imported: str, contract: str
) -> None:
    copy = copy_of_the_checkout(tmp_path)
    make(copy, "lint-imports", expect=0)  # the copy as it is keeps every contract
    path = copy / "src" / module
    path.write_text(path.read_text(encoding="utf-8") + f"\nimport {imported}  # noqa\n")
    out, _ = make(copy, "lint-imports", expect=2)
    broken = out.split("Broken contracts", 1)[-1]
    importer = module.removesuffix(".py").replace("/", ".")
    assert (True, True) == (contract in broken, f"- {importer} -> {imported} (l." in broken), out


def test_an_import_cycle_within_a_package_fails_lint_naming_it(tmp_path: Path) -> None:
    """The double importing the app, which imports the double (as admin.py and app.py did)."""
    copy = copy_of_the_checkout(tmp_path)
    double = copy / "src" / "octave_mock" / "double.py"
    double.write_text(double.read_text(encoding="utf-8") + "\nimport octave_mock.app  # noqa\n")
    out, _ = make(copy, "lint-imports", expect=2)
    broken = out.split("Broken contracts", 1)[-1]
    expected = (True, True, True)
    assert expected == (
        ACYCLIC in broken,
        "No cycles are allowed in octave_mock." in broken,
        "- .double -> .app (1 import)" in broken,
    ), out


def test_a_conflict_marker_in_a_tracked_file_fails_lint_naming_the_line(tmp_path: Path) -> None:
    copy = copy_of_the_checkout(tmp_path)
    notes = copy / "notes.md"
    # A heading underlined with = and a line holding ======= are no markers.
    notes.write_text("Notes\n=====\n\na ======= b\n", encoding="utf-8")
    run("git", "init", "--quiet", cwd=copy)
    run("git", "add", "notes.md", "Makefile", cwd=copy)
    make(copy, "lint-conflicts", expect=0)
    ours, theirs = "<" * 7 + " HEAD", ">" * 7 + " feature"
    text = f"Notes\n=====\n{ours}\nmine\n{'=' * 7}\nyours\n{theirs}\n"
    notes.write_text(text, encoding="utf-8")
    untracked = copy / "scratch.md"
    untracked.write_text(f"{ours}\n", encoding="utf-8")  # not in git: not lint's business
    out, err = make(copy, "lint-conflicts", expect=2)
    assert [f"notes.md:3:{ours}", "notes.md:5:=======", f"notes.md:7:{theirs}"] == (
        out.splitlines()
    )
    assert "merge-conflict markers" in err
