"""What the test double costs: throughput with the request journal on and off, and a reset.

    .venv/bin/python -m bench.double [--rounds 3] [--duration 5] [--resets 300] [--no-write]

Throughput: the mock as `octave-mock serve` runs it (journal on, its default) and the
same with `--journal-size 0`, each with one worker (in memory) and with two (over one
WAL file), loaded by wrk one at a time in rounds whose order rotates; the ratio on/off
of the median req/s is the figure (target at least 0.9), with one worker and with two.
Reset: in this process, the `octave_mock` fixture's reset of a mock on the bundled
seed (what runs before each test), after a few requests that change an object and
fill the journal as a test would; median and p90 over `--resets` resets (target:
median at most 2 ms). Writes the "Test double costs" section of BENCHMARKS.md, with the
machine's load, unless that load makes the figures noisy (report.MachineLoad): then it
prints them, writes nothing and exits 1.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import httpx

from bench.lib import report, servers, wrk
from bench.lib.common import command_line, operations
from octave_mock.testing import running_mock

HEADING = "## Test double costs"
WORKERS = 2
TARGET_RESET_MS = 2.0
CONNECTIONS = 16
REQUESTS_PER_TEST = 5  # each of the two operations, between two resets
FIXTURE_RESET = "after a test's requests"
STORE_RESET = "after nothing (a second reset at once)"


def peers(scratch: Path) -> list[tuple[servers.ServerSpec, servers.ServerSpec]]:
    """The mock with its journal on and off: with one worker, and with WORKERS."""
    return [
        (servers.mock(), servers.mock(journal=False)),
        (
            servers.mock_workers(WORKERS, scratch / "on.db"),
            servers.mock_workers(WORKERS, scratch / "off.db", journal=False),
        ),
    ]


def throughput(
    rounds: int, duration: float, warmup: float, load: report.MachineLoad
) -> dict[tuple[str, str], list[wrk.WrkResult]]:
    """(server, operation) -> one wrk result per round."""
    probe = operations()[0]
    found: dict[tuple[str, str], list[wrk.WrkResult]] = {}
    with tempfile.TemporaryDirectory(prefix="octave-bench-") as scratch:
        specs = [spec for pair in peers(Path(scratch)) for spec in pair]
        with servers.running(specs, Path(scratch), probe.path, probe.headers) as running:
            for number in range(rounds):
                measure(report.rotated(running, number), number, duration, warmup, found)
                load.sample()
    return found


def measure(
    order: Sequence[servers.Server],
    number: int,
    duration: float,
    warmup: float,
    found: dict[tuple[str, str], list[wrk.WrkResult]],
) -> None:
    """One round: each operation on each server, in this order."""
    for op in operations():
        for server in order:
            url = f"http://{servers.HOST}:{server.port}{op.path}"
            wrk.run(wrk.Load(op.method, url, op.headers, op.body, CONNECTIONS, warmup))
            measured = server.loaded(
                wrk.Load(op.method, url, op.headers, op.body, CONNECTIONS, duration)
            )
            if measured.error_count:
                raise wrk.WrkError(f"{server.spec.name} {op.name}: {measured.errors}")
            found.setdefault((server.spec.name, op.name), []).append(measured)
            print(
                f"round {number + 1} {op.name:15} {server.spec.name:30} {measured.rps:,.0f} req/s",
                flush=True,
            )


def reset_times_ms(resets: int) -> dict[str, list[float]]:
    """The fixture's reset timed after a test's worth of requests, and as its peer a second
    reset straight after it (nothing to undo), `resets` times each."""
    times: dict[str, list[float]] = {FIXTURE_RESET: [], STORE_RESET: []}
    with running_mock() as mock, httpx.Client(base_url=mock.base_url) as http:
        for _ in range(resets):
            for op in operations():
                for _ in range(REQUESTS_PER_TEST):
                    http.request(op.method, op.path, headers=op.headers, content=op.body)
            for name in (FIXTURE_RESET, STORE_RESET):
                started = time.perf_counter()
                mock.reset()
                times[name].append((time.perf_counter() - started) * 1000)
    return times


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m bench.double", description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=5.0, help="measured seconds per run")
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--resets", type=int, default=300)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    load = report.MachineLoad()
    found = throughput(args.rounds, args.duration, args.warmup, load)
    resets = reset_times_ms(args.resets)
    load.sample()
    text = section(found, resets, argv, args, load)
    print(text)
    refusal = load.refusal()
    if refusal:
        print(f"bench.double: {refusal}")
        return 1
    if not args.no_write:
        report.write_section(report.benchmarks_file(), text, HEADING)
    return 0


def section(
    found: dict[tuple[str, str], list[wrk.WrkResult]],
    resets: dict[str, list[float]],
    argv: Sequence[str],
    args: argparse.Namespace,
    load: report.MachineLoad,
) -> str:
    pairs = peers(Path("FILE"))
    summaries = [report.summarize(name, op, runs) for (name, op), runs in found.items()]
    ratios = [
        report.ratio(op.name, on.name, off.name, report.TARGET_JOURNAL, found)
        for op in operations()
        for on, off in pairs
    ]
    servers_text = [f"  - `{spec.name}`: {spec.description}" for pair in pairs for spec in pair]
    by_name = {(summary.server, summary.operation): summary for summary in summaries}
    journal_costs = [
        report.cpu_cost(by_name[on.name, op.name], by_name[off.name, op.name])
        for op in operations()
        for on, off in pairs
    ]
    reset_rows = []
    for name, times in resets.items():
        median = statistics.median(times)
        target, met = "(its peer)", "-"
        if name == FIXTURE_RESET:
            target = f"median <= {TARGET_RESET_MS:g} ms"
            met = "yes" if median <= TARGET_RESET_MS else "**no**"
        p90 = statistics.quantiles(times, n=10)[-1]
        reset_rows.append(f"| {name} | {median:.2f} | {p90:.2f} | {target} | {met} |")
    return "\n".join(
        [
            HEADING,
            "",
            f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with "
            f"`{command_line(argv, 'bench.double', 'bench-double')}`; {load.describe()}.",
            "",
            f"- Throughput: wrk, 1 thread, {CONNECTIONS} keep-alive connections, "
            f"{args.warmup:g} s of warm-up then {args.duration:g} s measured per run, "
            f"{args.rounds} rounds in rotating order, over the mock with its journal on (its "
            "default, the last 1000 requests) and off:",
            *servers_text,
            f"- Reset: `octave_mock`'s reset on the bundled seed, in-process, after "
            f"{REQUESTS_PER_TEST} requests of each operation (a reference updated, the journal "
            f"filled), {len(resets[FIXTURE_RESET])} times, each followed by a second reset at "
            "once as its peer.",
            "",
            report.figures_table(summaries),
            "",
            report.ratios_table(ratios),
            "",
            "What the journal costs in the server's CPU per request (journal on less off, the "
            "medians of the table's \"Server CPU\" column; see `make bench`'s section):",
            *journal_costs,
            "",
            "| `octave_mock.reset()`, bundled seed | median ms | p90 ms | Target | Met |",
            "| --- | ---: | ---: | --- | --- |",
            *reset_rows,
            "",
        ]
    )


if __name__ == "__main__":
    raise SystemExit(main())
