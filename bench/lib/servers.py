"""Start the benchmarked servers as separate processes and always stop them.

Each server runs in its own session (so a Ctrl-C in the terminal reaches only
the benchmark, which then stops the servers in order) with its output in a log
file; a server that dies or never answers fails the run with its log's tail.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from pathlib import Path

from bench.lib import wrk
from bench.lib.common import checkout_dir
from octave_kit.contract_file import SPEC_PATH
from octave_kit.local_server import NotAnswering, free_port, wait_until_answering

BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
START_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 5.0
JOURNAL_OFF = ["--journal-size", "0"]
JOURNAL_OFF_NOTE = "journal off"  # in the name of a mock with JOURNAL_OFF
PROC = Path("/proc")


def prism_path() -> Path:
    return checkout_dir() / "node_modules" / ".bin" / "prism"


class ServerError(RuntimeError):
    pass


@dataclass(frozen=True)
class ServerSpec:
    name: str  # short, for the table: "mock", "prism", ...
    description: str  # what exactly runs, for BENCHMARKS.md
    command: Callable[[int], list[str]]  # the argv, given the port


def mock(log_level: str = "warning", journal: bool = True) -> ServerSpec:
    """The mock on its in-memory database; with its request journal turned off, the peer
    that says what the journal costs."""
    notes = [] if log_level == "warning" else [f"{log_level} log"]
    options = ["--log-level", log_level]
    if not journal:
        notes, options = [*notes, JOURNAL_OFF_NOTE], [*options, *JOURNAL_OFF]
    return ServerSpec(
        _named("mock", notes),
        f"`octave-mock serve --port PORT {' '.join(options)}` (in-memory database)",
        lambda port: [*_serve(port), *options],
    )


def mock_workers(workers: int, db_path: Path, journal: bool = True) -> ServerSpec:
    """The mock from several processes over one WAL file."""
    notes = [f"{workers} workers"]
    options = ["--log-level", "warning", "--workers", str(workers)]
    if not journal:
        notes, options = [*notes, JOURNAL_OFF_NOTE], [*options, *JOURNAL_OFF]
    return ServerSpec(
        _named("mock", notes),
        f"`octave-mock serve --port PORT {' '.join(options)} --db FILE` (a fresh WAL file)",
        lambda port: [*_serve(port), *options, "--db", str(db_path)],
    )


def _named(name: str, notes: list[str]) -> str:
    return f"{name} ({', '.join(notes)})" if notes else name


def _serve(port: int) -> list[str]:
    return [str(BIN / "octave-mock"), "serve", "--host", HOST, "--port", str(port)]


def prism(log_level: str = "warn") -> ServerSpec:
    name = "prism" if log_level == "warn" else f"prism ({log_level} log)"
    return ServerSpec(
        name,
        f"`prism mock openapi.yaml -h 127.0.0.1 -p PORT -v {log_level}` (static examples)",
        lambda port: [
            str(prism_path()),
            "mock",
            str(SPEC_PATH),
            "-h",
            HOST,
            "-p",
            str(port),
            "-v",
            log_level,
        ],
    )


def bare() -> ServerSpec:
    return ServerSpec(
        "bare",
        "`python -m bench.lib.bare_app --port PORT` (uvicorn + Starlette, fixed JSON body)",
        lambda port: [
            sys.executable,
            "-m",
            "bench.lib.bare_app",
            "--host",
            HOST,
            "--port",
            str(port),
        ],
    )


class Server:
    """One running server process."""

    def __init__(self, spec: ServerSpec, log_dir: Path) -> None:
        self.spec = spec
        self.port = free_port()
        self.log_path = log_dir / f"{spec.name.split()[0]}-{self.port}.log"
        self._log = self.log_path.open("wb")
        self.started = time.monotonic()
        self.ready_after: float | None = None  # seconds from spawning to the first answer
        self.process = subprocess.Popen(  # noqa: S603 - our own argv, no shell
            spec.command(self.port),
            cwd=checkout_dir(),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def loaded(self, load: wrk.Load) -> wrk.WrkResult:
        """One wrk run against this server, with the CPU time its processes used meanwhile."""
        before = group_cpu_seconds(self.pid)
        result = wrk.run(load)
        after = group_cpu_seconds(self.pid)
        if before is None or after is None:
            return result
        return replace(result, server_cpu_seconds=after - before)

    def log_tail(self, lines: int = 20) -> str:
        self._log.flush()
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def check_alive(self) -> None:
        code = self.process.poll()
        if code is not None:
            raise ServerError(
                f"{self.spec.name} exited with status {code}; its log ends:\n{self.log_tail()}"
            )

    def wait_ready(self, probe_path: str, headers: dict[str, str]) -> float:
        """Wait until the server answers an HTTP request, whatever the status; seconds taken."""
        try:
            wait_until_answering(
                f"http://{HOST}:{self.port}{probe_path}",
                START_TIMEOUT_SECONDS,
                headers=headers,
                still_running=lambda: self.process.poll() is None,
            )
        except NotAnswering as exc:
            raise ServerError(
                f"{self.spec.name}: {exc}; its log ends:\n{self.log_tail()}"
            ) from None
        self.ready_after = time.monotonic() - self.started
        return self.ready_after

    def stop(self) -> None:
        """SIGTERM to the server's own process group, SIGKILL if it lingers."""
        try:
            if self.process.poll() is None:
                _signal_group(self.pid, signal.SIGTERM)
                try:
                    self.process.wait(STOP_TIMEOUT_SECONDS)
                except subprocess.TimeoutExpired:
                    _signal_group(self.pid, signal.SIGKILL)
                    self.process.wait(STOP_TIMEOUT_SECONDS)
            # Anything the server left in its group (it started the group) goes too.
            _signal_group(self.pid, signal.SIGKILL)
        finally:
            self._log.close()


def group_cpu_seconds(pgid: int) -> float | None:
    """The CPU time (user and system) of every process of a process group, as the kernel
    counts it in /proc: a server and the workers it started. None without /proc."""
    if not PROC.is_dir():
        return None
    ticks = 0
    for entry in os.scandir(PROC):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_bytes()
        except OSError:  # gone meanwhile
            continue
        # After the command's name in parentheses: state, ppid, pgrp, ... utime, stime.
        fields = stat.rsplit(b")", 1)[1].split()
        if int(fields[2]) == pgid:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with suppress(ProcessLookupError):
        os.killpg(pgid, sig)


@contextmanager
def running(
    specs: list[ServerSpec], log_dir: Path, probe_path: str, headers: dict[str, str]
) -> Iterator[list[Server]]:
    """Start the servers together, wait for all, and stop every one of them on the way out."""
    servers: list[Server] = []
    try:
        for spec in specs:
            servers.append(Server(spec, log_dir))
        for server in servers:
            server.wait_ready(probe_path, headers)
        yield servers
    finally:
        # A second Ctrl-C must not leave servers behind: stopping is not interruptible.
        signals = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
        previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in signals}
        try:
            for server in reversed(servers):
                server.stop()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
