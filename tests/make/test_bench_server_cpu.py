"""The benchmarks' second figure beside req/s: the CPU time a server's processes used per
request, read from /proc for its whole process group (a server and its workers)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from bench.lib import report, servers
from bench.lib.wrk import WrkResult

# A parent and the child it started, each busy for 0.3 s of CPU, then both idle and alive
# (a reaped child's time would move to its parent's count of its children).
BUSY = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass\n"
BUSY_PAIR = f"""
import subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", {BUSY + "print(flush=True); time.sleep(30)"!r}],
                         stdout=subprocess.PIPE)
{BUSY}
child.stdout.readline()
print("done", flush=True)
time.sleep(30)
"""


@contextmanager
def process_group(code: str) -> Iterator[subprocess.Popen[str]]:
    """`code` run in a process group of its own, killed whole (children too) at the end."""
    with subprocess.Popen(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, start_new_session=True
    ) as process:
        try:
            yield process
        finally:
            os.killpg(process.pid, signal.SIGKILL)


@pytest.mark.skipif(not servers.PROC.is_dir(), reason="needs Linux's /proc")
def test_a_group_s_cpu_time_counts_every_process_of_it() -> None:
    with process_group(BUSY_PAIR) as busy, process_group("import time; time.sleep(30)") as idle:
        assert busy.stdout is not None
        assert "done" == busy.stdout.readline().strip()  # both have been busy by now
        time.sleep(0.05)
        busy_seconds = servers.group_cpu_seconds(busy.pid)
        idle_seconds = servers.group_cpu_seconds(idle.pid)
    assert busy_seconds is not None
    assert idle_seconds is not None
    # The parent's 0.3 s alone would not reach 0.5 s: the child's time is counted too...
    assert busy_seconds >= 0.5, busy_seconds
    assert idle_seconds < 0.2, idle_seconds  # ...and no other group's


def wrk_result(requests: int, server_cpu_seconds: float | None) -> WrkResult:
    latency = {"p50": 500.0, "p99": 900.0}
    return WrkResult(requests, 5.0, {}, latency, 0.5, server_cpu_seconds)


def test_the_cpu_per_request_is_the_median_over_rounds_and_its_cost_a_difference() -> None:
    on = report.summarize(
        "mock",
        "getProduct",
        [wrk_result(100_000, 4.0), wrk_result(100_000, 4.4), wrk_result(50_000, 9.0)],
    )
    off = report.summarize("mock (journal off)", "getProduct", [wrk_result(100_000, 3.6)])
    unmeasured = report.summarize("prism", "getProduct", [wrk_result(100_000, None)])
    assert on.server_cpu_us == pytest.approx(44.0)  # the median of 40, 44 and 180
    assert off.server_cpu_us == pytest.approx(36.0)
    assert unmeasured.server_cpu_us is None
    assert "+8.0 µs (44.0 against 36.0, +22%)" in report.cpu_cost(on, off)
    assert "not measured" in report.cpu_cost(unmeasured, off)
