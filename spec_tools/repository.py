"""Which checkout the tools work on: the git work tree around the working directory.

Never where the kit is installed: a second clone or worktree that shares a virtualenv
must run git, Optic and the benchmarks in itself, not in the clone the kit came from.
"""

from __future__ import annotations

import subprocess
from pathlib import Path


class NotACheckout(Exception):
    """The directory is in no git work tree; the message names it."""


def checkout(start: Path | None = None) -> Path:
    """The top of the git work tree holding `start` (by default, the working directory)."""
    where = start or Path.cwd()
    try:
        completed = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],  # noqa: S607 - git from PATH, as make runs it
            cwd=where,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as exc:
        raise NotACheckout(f"{where}: cannot run git to find the checkout: {exc}") from exc
    if completed.returncode != 0:
        raise NotACheckout(
            f"{where}: not inside a checkout of the kit (git: {completed.stderr.strip()}); "
            "run the command from the checkout"
        )
    return Path(completed.stdout.strip())
