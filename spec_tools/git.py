"""git, run as a user runs it, and the error of a tool that could not be used."""

from __future__ import annotations

import subprocess
from pathlib import Path


class ToolError(Exception):
    """A file, git or a comparison tool could not be used; the message names which."""


def git(root: Path, *args: str) -> str:
    completed = subprocess.run(  # noqa: S603 - fixed argv, no shell
        ["git", *args],  # noqa: S607 - the git on PATH, as a user runs it
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise ToolError(f"git {' '.join(args)}: {completed.stderr.strip()}")
    return completed.stdout
