"""generated/octave-client is exactly what the pinned generator makes of openapi.yaml."""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from pathlib import Path

from tests.openapi_document import REPO_ROOT

GENERATED = REPO_ROOT / "generated" / "octave-client"
VENV_BIN = Path(sys.executable).parent
IGNORED_DIRS = {"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"}
ADVICE = (
    "openapi.yaml or generator-config.yml changed without regenerating, or generated/ "
    "was edited by hand: run `make generate` and commit generated/"
)
MAX_DIFF_LINES = 60


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (caches and build metadata left out), by relative path."""
    files: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        parts = path.relative_to(root).parts
        if any(part in IGNORED_DIRS or part.endswith(".egg-info") for part in parts):
            continue
        if path.is_file():
            files[path.relative_to(root).as_posix()] = path.read_bytes()
    return files


def compare_trees(committed: dict[str, bytes], regenerated: dict[str, bytes]) -> list[str]:
    """Human-readable differences between the committed and the regenerated client."""
    lines: list[str] = []
    for name in sorted(regenerated.keys() - committed.keys()):
        lines.append(f"missing from generated/octave-client: {name}")
    for name in sorted(committed.keys() - regenerated.keys()):
        lines.append(f"extra in generated/octave-client (the generator does not make it): {name}")
    for name in sorted(committed.keys() & regenerated.keys()):
        if committed[name] != regenerated[name]:
            lines.append(f"differs: {name}")
            diff = difflib.unified_diff(
                regenerated[name].decode("utf-8", "replace").splitlines(),
                committed[name].decode("utf-8", "replace").splitlines(),
                fromfile=f"regenerated/{name}",
                tofile=f"committed/{name}",
                lineterm="",
            )
            lines.extend(f"    {line}" for line in list(diff)[:MAX_DIFF_LINES])
    return lines


def test_generated_client_matches_a_fresh_regeneration(tmp_path: Path) -> None:
    """Regenerating with the pinned generator reproduces generated/octave-client byte for byte."""
    output = tmp_path / "octave-client"
    env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    # `make generate` into another folder: the generator command is written once, in the Makefile.
    completed = subprocess.run(  # noqa: S603 - fixed argv, no shell
        ["make", "--no-print-directory", "generate", f"GENERATED={output}"],  # noqa: S607
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    expected_exit = 0
    assert expected_exit == completed.returncode, (
        f"openapi-python-client failed (exit {completed.returncode}):\n"
        f"{completed.stdout}\n{completed.stderr}"
    )
    differences = compare_trees(tree(GENERATED), tree(output))
    assert not differences, "\n".join([ADVICE, *differences])


def test_comparison_reports_missing_extra_and_differing_files() -> None:
    """The tree comparison names each kind of difference, so a drift cannot pass unnoticed."""
    committed = {"same.py": b"x = 1\n", "edited.py": b"x = 2\n", "stray.py": b""}
    regenerated = {"same.py": b"x = 1\n", "edited.py": b"x = 1\n", "new.py": b""}
    report = compare_trees(committed, regenerated)
    expected = [
        "missing from generated/octave-client: new.py",
        "extra in generated/octave-client (the generator does not make it): stray.py",
        "differs: edited.py",
    ]
    assert expected == [line for line in report if not line.startswith("    ")]


def test_tree_leaves_out_caches(tmp_path: Path) -> None:
    """Bytecode, mypy/ruff/pytest caches and egg-info do not count as generated files."""
    for relative in (
        "pkg/__init__.py",
        "pkg/__pycache__/mod.cpython-311.pyc",
        ".mypy_cache/3.11/cache.db",
        ".ruff_cache/CACHEDIR.TAG",
        "octave_client.egg-info/PKG-INFO",
    ):
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"")
    expected = ["pkg/__init__.py"]
    assert expected == list(tree(tmp_path))
