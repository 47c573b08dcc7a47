"""How long `make test` (the fast tier) and `make check` (everything CI runs) take, warm.

    .venv/bin/python -m bench.suite_time [--runs 2] [--targets test check]
        [--baseline PATH [--baseline-targets check]] [--no-write]

Runs each target RUNS times in this checkout (and, with --baseline, in another checkout of
the kit, such as a worktree of an older commit, alternating run by run so that the machine's
drift falls on both alike), each run's output kept in build/suite-time/. Warm means set up:
.venv, node_modules, Chromium and the mypy cache in place, as after a first `make check`.
Prints each run's wall time, the CPU time of everything it started and the load average
before and after it, and rewrites the "make test and make check, warm" section of
BENCHMARKS.md. Each run waits (up to two minutes) for the load the one before it left to
decay; a run that still starts with the load average above twice the machine's cores
shares the machine with other work: it is marked and left out of the medians.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.lib.common import checkout_dir, command_line
from bench.lib.report import benchmarks_file, write_section

HEADING = "## make test and make check, warm"
CORES = len(os.sched_getaffinity(0))
BUSY_LOAD = 2 * CORES  # above this when a run starts, others share the machine
# The 1-minute load average a run leaves behind decays for a while: the next run waits for it
# to fall below BUSY_LOAD (at most this long), so that a run's own tail does not mark the next.
SETTLE_SECONDS = 120
MAKE_VARIABLES = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")
PYTEST_SUMMARY = re.compile(r"=+ (?P<counts>\d+ passed[^=]*?) in (?P<seconds>[\d.]+)s")


@dataclass(frozen=True)
class Run:
    checkout: str  # the commit, with the folder when it is not this checkout
    target: str
    number: int
    exit_code: int
    seconds: float
    cpu_seconds: float  # user + system of make and everything it started
    load_before: float
    load_after: float
    pytest: str  # pytest's own summary line: tests and seconds

    @property
    def busy(self) -> bool:
        return self.load_before > BUSY_LOAD

    @property
    def counts(self) -> bool:
        return self.exit_code == 0 and not self.busy


def commit(folder: Path) -> str:
    return subprocess.run(  # noqa: S603 - git's answer about a checkout
        ["git", "-C", str(folder), "rev-parse", "--short", "HEAD"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def timed_make(folder: Path, target: str, number: int, log_dir: Path) -> Run:
    """One `make <target>` in `folder`, its output in a log file."""
    name = commit(folder) if folder == checkout_dir() else f"{commit(folder)} ({folder})"
    log = log_dir / f"{commit(folder)}-{target}-{number}.log"
    # A make of its own, not a sub-make of `make bench-suite`'s.
    env = {name: value for name, value in os.environ.items() if name not in MAKE_VARIABLES}
    load_before = settled_load()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with log.open("w", encoding="utf-8") as output:
        completed = subprocess.run(  # noqa: S603 - make, on a checkout of the kit
            ["make", "--no-print-directory", target],  # noqa: S607
            cwd=folder,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            check=False,
        )
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - children.ru_utime) + (after.ru_stime - children.ru_stime)
    found = PYTEST_SUMMARY.findall(log.read_text(encoding="utf-8", errors="replace"))
    pytest = f"{found[-1][0]} in {float(found[-1][1]):.1f} s" if found else "no pytest summary"
    return Run(
        name, target, number, completed.returncode, seconds, cpu, load_before,
        os.getloadavg()[0], pytest,
    )  # fmt: skip


def settled_load() -> float:
    """The 1-minute load average, once it has fallen to BUSY_LOAD or SETTLE_SECONDS passed."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while os.getloadavg()[0] > BUSY_LOAD and time.monotonic() < deadline:
        time.sleep(2)
    return os.getloadavg()[0]


def describe(run: Run) -> str:
    status = "" if run.exit_code == 0 else f", **exit {run.exit_code}**"
    busy = f", **load {run.load_before:.1f} > {BUSY_LOAD}: not counted**" if run.busy else ""
    return (
        f"| {run.checkout} | make {run.target} | {run.number} | {run.seconds:.1f} |"
        f" {run.cpu_seconds:.1f} | {run.pytest} | {run.load_before:.2f} / {run.load_after:.2f}"
        f"{status}{busy} |"
    )


def medians(runs: Sequence[Run]) -> list[str]:
    """Each checkout's median per target, then, for a target timed in two checkouts, the
    first one's median over the other's."""
    lines = []
    found: dict[str, dict[str, float]] = {}
    # Only the pairs that were run: a baseline may be timed on fewer targets.
    for checkout_name, target in dict.fromkeys((run.checkout, run.target) for run in runs):
        counted = [
            run.seconds
            for run in runs
            if run.checkout == checkout_name and run.target == target and run.counts
        ]
        figure = f"{statistics.median(counted):.1f} s" if counted else "no run counted"
        lines.append(f"- {checkout_name}, `make {target}`: median {figure} ({len(counted)} runs)")
        if counted:
            found.setdefault(target, {})[checkout_name] = statistics.median(counted)
    for target, by_checkout in found.items():
        if len(by_checkout) == 2:
            (this, ours), (other, theirs) = by_checkout.items()
            lines.append(f"- `make {target}`, {this} over {other}: {ours / theirs:.2f}")
    return lines


def section(runs: Sequence[Run], command: str, started: datetime, minutes: float) -> str:
    return "\n".join(
        [
            HEADING,
            "",
            "Written by `bench/suite_time.py`; re-running it rewrites this section only.",
            "",
            f"- Date: {started:%Y-%m-%d %H:%M} UTC; the runs took {minutes:.1f} minutes;"
            f" {CORES} CPUs.",
            f"- Command: `{command}`",
            "- Each run is `make <target>` in a set-up checkout (warm: `.venv`, `node_modules`,"
            " Chromium and the mypy cache in place). CPU is the user and system time of make and"
            " everything it started. A run that started with a load average (1 minute) above"
            f" {BUSY_LOAD}, twice the cores, shared the machine and is not counted.",
            "",
            "| checkout | target | run | wall s | CPU s | pytest | load before / after |",
            "| --- | --- | ---: | ---: | ---: | --- | --- |",
            *(describe(run) for run in runs),
            "",
            *medians(runs),
            "",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m bench.suite_time", description=__doc__)
    parser.add_argument("--runs", type=int, default=2, help="runs of each target (default 2)")
    parser.add_argument("--targets", nargs="+", default=["test", "check"], help="make targets")
    parser.add_argument(
        "--baseline", type=Path, help="another checkout of the kit, timed alternately with this"
    )
    parser.add_argument(
        "--baseline-targets",
        nargs="+",
        metavar="TARGET",
        help="the targets also timed in the baseline (default: every target); a target the "
        "baseline's Makefile means otherwise, such as test before it had tiers, is left out",
    )
    parser.add_argument("--no-write", action="store_true", help="print, do not write")
    options = parser.parse_args(argv)
    if options.runs < 1:
        parser.error("--runs must be at least 1")
    if options.baseline_targets and not options.baseline:
        parser.error("--baseline-targets needs --baseline")
    unknown = set(options.baseline_targets or ()) - set(options.targets)
    if unknown:
        parser.error(f"--baseline-targets: {', '.join(sorted(unknown))} not among --targets")
    here = checkout_dir()
    baseline = options.baseline.resolve() if options.baseline else None
    log_dir = here / "build" / "suite-time"
    log_dir.mkdir(parents=True, exist_ok=True)
    started, clock = datetime.now(UTC), time.perf_counter()
    runs = []
    for number in range(1, options.runs + 1):
        for target in options.targets:
            folders = [here]
            if baseline is not None and target in (options.baseline_targets or options.targets):
                folders.append(baseline)
            for folder in folders if number % 2 else folders[::-1]:
                runs.append(timed_make(folder, target, number, log_dir))
                print(describe(runs[-1]), flush=True)
    command = command_line(argv, "bench.suite_time", "bench-suite")
    text = section(runs, command, started, (time.perf_counter() - clock) / 60)
    print(f"\n{text}")
    if not options.no_write:
        write_section(benchmarks_file(), text, HEADING)
    return 0 if all(run.exit_code == 0 for run in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
