"""git and the comparison tools, run as a user runs them, each within a time limit, and the
error of a tool that could not be used."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

# git answers at once; a minute means it waits on something (a lock, a prompt).
GIT_SECONDS = 60
# Optic's and Specmatic's time limit for one run over a batch of specs, far above a loaded
# machine's (the corpus of 44 took 86 to 130 s, both tools at once): past it, it hangs.
SECONDS_PER_RUN, SECONDS_PER_SPEC = 120, 10


class ToolError(Exception):
    """A file, git or a comparison tool could not be used; the message names which."""


def run_tool(
    argv: Sequence[str],
    cwd: Path,
    seconds: float,
    *,
    env: Mapping[str, str] | None = None,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """`argv` in `cwd`, its output captured; a run past `seconds` is stopped, with whatever it
    started (its own process group), and a ToolError."""
    try:
        process = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
            argv,
            cwd=cwd,
            env=env,
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
    except OSError as error:
        raise ToolError(f"{argv[0]} could not be started: {error}") from error
    try:
        stdout, stderr = process.communicate(stdin, timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
        raise ToolError(
            f"{' '.join(argv[:2])} did not finish in {seconds:g} s and was stopped (in {cwd})"
            f"{':' if stdout or stderr else ''}\n{stdout}{stderr}".rstrip()
        ) from None
    return subprocess.CompletedProcess(argv, process.returncode, stdout, stderr)


def tool_seconds(specs: int) -> float:
    return SECONDS_PER_RUN + SECONDS_PER_SPEC * specs


def git(root: Path, *args: str) -> str:
    completed = run_tool(["git", *args], root, GIT_SECONDS)
    if completed.returncode != 0:
        raise ToolError(f"git {' '.join(args)}: {completed.stderr.strip()}")
    return completed.stdout
