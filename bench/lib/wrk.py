"""Drive wrk (Debian's package) against one URL and read its summary.

wrk runs in its own process; bench/lib/wrk_report.lua makes it print its summary
as one JSON line. The CPU wrk itself used comes from the kernel's account of
the child (os.wait4), so the report can show that wrk had headroom left.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(__file__).with_name("wrk_report.lua")
INSTALL_HINT = "wrk is not installed: `sudo apt-get install wrk` (Debian/Ubuntu), then re-run"


class WrkError(RuntimeError):
    pass


@dataclass(frozen=True)
class Load:
    method: str
    url: str
    headers: dict[str, str]
    body: str
    connections: int
    seconds: float


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    errors: dict[str, int]  # connect, read, write, status (not 2xx/3xx), timeout
    latency_us: dict[str, float]  # p50, p90, p99, p999, max, mean
    wrk_cpu_seconds: float
    # What the server's processes used meanwhile (Server.loaded), if measured.
    server_cpu_seconds: float | None = None

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    @property
    def server_cpu_us_per_request(self) -> float | None:
        """The server's CPU time per answered request, in microseconds: what a request cost
        it, leaving out the time it waited for wrk or for a core."""
        if self.server_cpu_seconds is None or not self.requests:
            return None
        return self.server_cpu_seconds / self.requests * 1e6

    @property
    def wrk_cpu(self) -> float:
        """The share of one core wrk used: well under 1.0 means it had room to send more."""
        return self.wrk_cpu_seconds / self.seconds


def executable() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise WrkError(INSTALL_HINT)
    return found


def version() -> str:
    # `wrk --version` prints its banner and usage, then exits 1.
    banner = subprocess.run(  # noqa: S603 - a fixed argv
        [executable(), "--version"], capture_output=True, text=True, check=False
    )
    return banner.stdout.split(" [", 1)[0].strip() or "unknown"


def run(load: Load) -> WrkResult:
    """One wrk run: 1 thread, `connections` keep-alive connections, `seconds` long."""
    env = {
        **os.environ,
        "BENCH_METHOD": load.method,
        "BENCH_BODY": load.body,
        "BENCH_HEADERS": "\n".join(f"{name}: {value}" for name, value in load.headers.items()),
    }
    command = [
        executable(),
        "--threads",
        "1",
        "--connections",
        str(load.connections),
        "--duration",
        f"{load.seconds:g}s",
        "--timeout",
        "5s",
        "--script",
        str(SCRIPT),
        load.url,
    ]
    process = subprocess.Popen(  # noqa: S603 - our own argv, no shell
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert process.stdout is not None
    output = process.stdout.read()
    # wait4 reaps wrk and returns what the kernel counted of its CPU time.
    _, wait_status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(wait_status)
    process.stdout.close()
    if process.returncode != 0:
        raise WrkError(f"wrk exited {process.returncode}: {output.strip()}")
    summary = json.loads(output.strip().splitlines()[-1])
    return WrkResult(
        requests=summary["requests"],
        seconds=summary["duration_us"] / 1e6,
        errors=summary["errors"],
        latency_us=summary["latency_us"],
        wrk_cpu_seconds=usage.ru_utime + usage.ru_stime,
    )
