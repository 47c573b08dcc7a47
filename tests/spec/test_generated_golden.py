"""generated/octave-client is exactly what the pinned generator makes of openapi.yaml."""

from __future__ import annotations

import filecmp
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from spec_tools.finish_client import MADE_BY_TOOLS
from tests.installing import run
from tests.openapi_document import REPO_ROOT

GENERATED = REPO_ROOT / "generated" / "octave-client"
VENV_BIN = Path(sys.executable).parent
ADVICE = (
    "openapi.yaml or generator-config.yml changed without regenerating, or generated/ "
    "was edited by hand: run `make generate` and commit generated/"
)


def differences(comparison: filecmp.dircmp[str], folder: str = "") -> Iterator[str]:
    """Each file the committed client (left) and the regeneration (right) do not share."""
    yield from (f"differs: {folder}{name}" for name in comparison.diff_files)
    yield from (f"not made by the generator: {folder}{name}" for name in comparison.left_only)
    yield from (f"missing from generated/: {folder}{name}" for name in comparison.right_only)
    for name, subfolder in comparison.subdirs.items():
        yield from differences(subfolder, f"{folder}{name}/")


def test_generated_client_matches_a_fresh_regeneration(tmp_path: Path) -> None:
    """Regenerating with the pinned generator reproduces generated/octave-client byte for byte."""
    output = tmp_path / "octave-client"
    env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    # `make generate` into another folder: the generator command is written once, in the Makefile.
    run("make", "--no-print-directory", "generate", f"GENERATED={output}", env=env)
    # dircmp compares contents whenever size or mtime differ, as they do after a regeneration.
    found = list(differences(filecmp.dircmp(GENERATED, output, ignore=sorted(MADE_BY_TOOLS))))
    assert not found, "\n".join([ADVICE, *found])
