"""`octave-mock`'s commands run by `main()` in the test's own process.

For the commands that exit at once (a refusal, a check, a report): nothing of what they do
needs a process around them, and starting one costs each test half a second of CPU. The entry
point as a process is tested where the process matters: the signals that stop `serve` and
`proxy`, and a refused start and a clean one (tests/mock/test_cli.py, tests/mock/test_seed.py).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from octave_cli.main import main


@dataclass(frozen=True)
class Ran:
    """What a command did: its exit status, stdout and stderr."""

    returncode: int
    stdout: str
    stderr: str


Cli = Callable[..., Ran]  # the `cli` fixture: cli("serve", "--port", "0", ...)


def run_main(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture, *argv: str | Path
) -> Ran:
    """`octave-mock ARGV`, run to its end. What the command logs (at the default --log-level,
    info) counts as stderr, as it would in a process; the worker's other threads (the session's
    mock) are not the command's."""
    capsys.readouterr()
    caplog.clear()
    with caplog.at_level(logging.INFO):
        try:
            returncode = main([str(arg) for arg in argv])
        except SystemExit as exit_:  # argparse's refusals and --version
            returncode = int(exit_.code or 0)
    out, err = capsys.readouterr()
    logged = "".join(
        f"{record.getMessage()}\n"
        for record in caplog.records
        if record.thread == threading.get_ident()
    )
    return Ran(returncode, out, err + logged)
