"""What coverage of the contract costs: `make bench-coverage`.

Two figures. A team's test session (a throwaway project of tests on the
`octave_mock` fixture, run by pytest in its own process) with and without
`--octave-coverage`, the two alternating round by round so that the machine's
drift falls on both; target: at most 5 % more. And computing the coverage of
10,000 recorded requests (real journal entries of the mock, repeated) from
the traffic model; target: under 1 s.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import httpx

from bench.lib.common import command_line
from bench.lib.report import benchmarks_file, markdown_table, write_section
from octave_kit.contract_file import SPEC_PATH
from octave_kit.coverage import Model, coverage_of
from octave_kit.spec import Spec
from octave_kit.traffic import TESTS, Traffic, from_journal
from octave_mock import Settings
from octave_mock.testing import running_mock

HEADING = "## Coverage of the contract: its cost"
SESSION_TARGET = 1.05
COMPUTE_TARGET_SECONDS = 1.0
# One test of the team's project: reads, an error and an update, through the SDK.
TEAM_TEST = """
def test_{number}(octave_mock):
    with octave_mock.client(max_retries=0) as octave:
        for _ in range({calls}):
            octave.products.get("p_acme_api")
            octave.segments.get("sg_acme_mmsaas")
            octave.references.update("r_acme_dropbox", name="Bench {number}")
            try:
                octave.products.get("p_nope")
            except Exception:
                pass
"""
CALLS_PER_LOOP = 4


def team_project(folder: Path, tests: int, calls: int) -> None:
    body = "".join(TEAM_TEST.format(number=n, calls=calls) for n in range(tests))
    (folder / "test_team.py").write_text(body, encoding="utf-8")


def session_seconds(folder: Path, coverage: bool) -> float:
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x"]
    command += ["--octave-coverage"] if coverage else []
    started = time.perf_counter()
    subprocess.run(command, cwd=folder, check=True, capture_output=True)  # noqa: S603
    return time.perf_counter() - started


def recorded_traffic(requests: int) -> Traffic:
    """`requests` exchanges: a mix recorded by the mock's journal, repeated to the count."""
    with running_mock(Settings(journal_responses=True, journal_size=1000)) as mock:
        headers = {"api_key": mock.key()}
        with httpx.Client(base_url=mock.base_url, headers=headers) as client:
            for oid in ("p_acme_api", "p_acme_sprint", "p_acme_suite", "p_nope"):
                client.get("/api/v2/product/get", params={"oId": oid})
            for oid in ("sg_acme_mmsaas", "sg_acme_entfin", ""):
                client.get("/api/v2/segment/get", params={"oId": oid})
            for body in ({"oId": "r_acme_dropbox", "name": "N"}, {"name": "no oId"}):
                client.post("/api/v2/reference/update", json=body)
        recorded = from_journal(entry.__dict__ for entry in mock.requests()).exchanges
    exchanges = [recorded[n % len(recorded)] for n in range(requests)]
    return Traffic(exchanges, {TESTS})


def compute_seconds(traffic: Traffic, repeats: int) -> list[float]:
    """Seconds to read the contract's items and compute the traffic's coverage, each repeat."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        coverage_of(Model(Spec.load(SPEC_PATH)), traffic)
        times.append(time.perf_counter() - started)
    return times


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.coverage_cost", description=__doc__)
    parser.add_argument("--rounds", type=int, default=10, help="sessions of each kind")
    parser.add_argument("--tests", type=int, default=100, help="tests in the team's project")
    parser.add_argument("--calls", type=int, default=5, help=f"x{CALLS_PER_LOOP} calls per test")
    parser.add_argument("--requests", type=int, default=10_000, help="requests to compute")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md")
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    sessions: dict[bool, list[float]] = {False: [], True: []}
    with tempfile.TemporaryDirectory() as folder:
        team_project(Path(folder), args.tests, args.calls)
        session_seconds(Path(folder), coverage=True)  # warm-up: imports, the seed cache
        for round_index in range(args.rounds):
            for coverage in (False, True) if round_index % 2 == 0 else (True, False):
                sessions[coverage].append(session_seconds(Path(folder), coverage))
    ratios = sorted(on / off for on, off in zip(sessions[True], sessions[False], strict=True))
    ratio = statistics.median(ratios)
    compute = compute_seconds(recorded_traffic(args.requests), repeats=5)
    load_after = os.getloadavg()[0]
    cores = len(os.sched_getaffinity(0))
    trusted = max(load_before, load_after) <= 2 * cores
    requests = args.tests * args.calls * CALLS_PER_LOOP
    rows = [
        ["session without coverage", f"{statistics.median(sessions[False]):.2f} s", ""],
        [
            "session with --octave-coverage",
            f"{statistics.median(sessions[True]):.2f} s",
            f"{ratio:.3f}x (rounds {ratios[0]:.3f}-{ratios[-1]:.3f})",
        ],
        [f"coverage of {args.requests} requests", f"{statistics.median(compute):.3f} s", ""],
    ]
    table = markdown_table(["what", "median", "ratio"], rows, right={1, 2})
    compute_median = statistics.median(compute)
    verdict = (
        f"Coverage adds **{(ratio - 1) * 100:+.1f} %** to the session (target at most "
        f"{(SESSION_TARGET - 1) * 100:.0f} %: "
        f"{'met' if ratio <= SESSION_TARGET else '**not met**'}) "
        f"and computes {args.requests} requests in **{compute_median:.3f} s** (target under "
        f"{COMPUTE_TARGET_SECONDS:.0f} s: "
        f"{'met' if compute_median < COMPUTE_TARGET_SECONDS else '**not met**'})."
    )
    section = f"""{HEADING}

Written by `bench/coverage_cost.py` (`make bench-coverage`); re-running it rewrites this section.

- Date: {time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}; Python {platform.python_version()};
  {cores} CPUs; load average (1 min) {load_before:.2f} before, {load_after:.2f} after
  {"" if trusted else "(**above twice the cores: these figures measure the machine**)"}.
- Command: `{command_line(argv, "bench.coverage_cost", "bench-coverage")}`
- Session: a project of {args.tests} tests on the `octave_mock` fixture, {requests} requests
  through the SDK (reads, a 404, updates), run by pytest in its own process; {args.rounds}
  sessions of each kind, alternating; a round's ratio is its session with coverage over its
  session without. Computing: {args.requests} journal entries of the mock (a mix of the three
  operations, 200s and errors, repeated), the contract's items read and the coverage computed,
  median of 5.

{table}

{verdict}
"""
    print(section)
    if not args.no_write:
        write_section(benchmarks_file(), section, HEADING)
    return 0


if __name__ == "__main__":
    sys.exit(main())
