"""The facts every benchmark reads: where the checkout is, the key it calls with, the two
operations it loads, and how a run says the command that started it."""

from __future__ import annotations

import functools
import json
import os
import shlex
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from spec_tools.repository import checkout


@functools.cache
def checkout_dir() -> Path:
    """The checkout the benchmark runs in (git's answer, from the working directory)."""
    return checkout()


@functools.cache
def api_key() -> str:
    """The contract run's key: read-write, of the bundled seed (src/octave_kit/seed.yaml)."""
    # Imported when asked: the contract run brings schemathesis and Hypothesis, a second to
    # import, which the benchmarks that never call it (and their tests) need not pay.
    from octave_contract.run_inputs import mock_inputs

    return mock_inputs().key


@dataclass(frozen=True)
class Operation:
    name: str
    method: str
    path: str
    headers: dict[str, str]
    body: str = ""


@functools.cache
def operations() -> tuple[Operation, ...]:
    """The two operations the load benchmarks send: a read, and an update of the bundled seed."""
    return (
        Operation(
            "getProduct", "GET", "/api/v2/product/get?oId=p_acme_api", {"api_key": api_key()}
        ),
        Operation(
            "updateReference",
            "POST",
            "/api/v2/reference/update",
            {"api_key": api_key(), "content-type": "application/json"},
            json.dumps({"oId": "r_acme_dropbox", "name": "Large filesharing service"}),
        ),
    )


def command_line(argv: Sequence[str], module: str = "bench", target: str = "bench") -> str:
    """How this run was started: `make <target> (runs python -m <module> ...)`."""
    try:
        python = Path(sys.executable).relative_to(checkout_dir())
    except ValueError:
        python = Path(sys.executable)
    command = shlex.join([str(python), "-m", module, *argv])
    return f"make {target} (runs {command})" if os.environ.get("MAKELEVEL") else command
