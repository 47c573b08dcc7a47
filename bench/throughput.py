"""`python -m bench`: the mock's throughput, latency and start-up against Prism and a bare endpoint.

Starts every server as its own process on a free loopback port, checks one
answer of each, then loads them one at a time with wrk (a separate process),
in rounds whose server order rotates so that the machine's noise falls on all
of them alike. Start-up is timed apart, one server at a time. Prints the
figures and rewrites the "Mock server throughput" section of BENCHMARKS.md.

The mock is measured as it is served by default and with its request journal
off (`--journal-size 0`), with one worker and with two, so that the journal's
cost and the second worker's gain are ratios of the same rounds.

It is a benchmark, not a test: a missed target is reported, not fatal. The
exit status is 1 only when the figures cannot be trusted (a wrong status, a
broken connection, a server that died, a machine so busy that the section is
not written: see report.MachineLoad) and 2 when it cannot run at all.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import platform
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType

import httpx
import uvicorn

from bench.lib import report, servers, wrk
from bench.lib.common import Operation, checkout_dir, command_line, operations
from bench.lib.servers import HOST, Server, ServerError, ServerSpec, prism_path

EXPECT_STATUS = 200
WORKERS = 2  # the mock with several processes, over one database file
STARTS = 3  # start-up is timed over this many fresh starts of each server
DESCRIPTION = "Throughput, latency and start-up of the mock against Prism and a bare endpoint."


class Interrupted(Exception):
    """SIGTERM or SIGHUP: unwind like Ctrl-C so that every server is stopped."""


def _on_signal(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signal.Signals(signum).name)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=DESCRIPTION)
    parser.add_argument("--duration", type=float, default=5.0, help="measured seconds per run")
    parser.add_argument("--warmup", type=float, default=2.0, help="warm-up seconds per run")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over all the servers")
    parser.add_argument("--connections", type=int, default=16, help="keep-alive connections")
    parser.add_argument(
        "--no-variants",
        action="store_true",
        help="skip the last round's extra server (the mock with its info log)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=report.benchmarks_file(),
        help="file whose 'Mock server throughput' section is rewritten (default: %(default)s)",
    )
    parser.add_argument("--no-write", action="store_true", help="print only; leave the file")
    args = parser.parse_args(argv)
    if args.duration < 1 or args.warmup < 0 or args.rounds < 1 or args.connections < 1:
        parser.error("--duration (at least 1 s), --rounds and --connections must be positive")
    return args


@dataclass(frozen=True)
class Job:
    round: int
    operation: Operation
    server: Server


def schedule(main: Sequence[Server], variants: Sequence[Server], rounds: int) -> list[Job]:
    """Every server for every operation in every round, the order rotating per round.

    The variants run in the last round only, next to the servers they are compared with.
    """
    jobs = []
    for number in range(rounds):
        order = report.rotated(main, number)
        if number == rounds - 1:
            order += variants
        for operation in operations():
            jobs += [Job(number + 1, operation, server) for server in order]
    return jobs


def load(job: Job, args: argparse.Namespace) -> wrk.WrkResult:
    """A warm-up run, then the measured one, of wrk against one server."""
    job.server.check_alive()
    op = job.operation
    url = f"http://{HOST}:{job.server.port}{op.path}"

    def for_seconds(seconds: float) -> wrk.Load:
        return wrk.Load(op.method, url, op.headers, op.body, args.connections, seconds)

    if args.warmup:
        wrk.run(for_seconds(args.warmup))
    result = job.server.loaded(for_seconds(args.duration))  # with the server's CPU time
    job.server.check_alive()
    return result


def sanity_check(server: Server) -> None:
    """One request of each operation, answered with the expected status and JSON."""
    for op in operations():
        url = f"http://{HOST}:{server.port}{op.path}"
        answer = httpx.request(op.method, url, headers=op.headers, content=op.body, timeout=5)
        problem = None
        if answer.status_code != EXPECT_STATUS:
            problem = f"status {answer.status_code}, expected {EXPECT_STATUS}"
        else:
            try:
                answer.json()
            except ValueError:
                problem = "a body that is not JSON"
        if problem:
            raise ServerError(
                f"{server.spec.name} answered {op.name} with {problem}: "
                f"{answer.content[:300]!r}\nits log ends:\n{server.log_tail()}"
            )


def startup_seconds(spec: ServerSpec, log_dir: Path) -> list[float]:
    """Seconds from spawning the server to its first answer, over fresh starts, alone."""
    probe = operations()[0]
    times = []
    for _ in range(STARTS):
        with servers.running([spec], log_dir, probe.path, probe.headers) as (server,):
            assert server.ready_after is not None  # running() waited for it
            times.append(server.ready_after)
    return times


def http_stack() -> str:
    """What uvicorn's defaults (loop="auto", http="auto") pick in this environment."""
    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    http = "httptools" if importlib.util.find_spec("httptools") else "h11"
    return f"{loop}, {http}"


def machine(load: report.MachineLoad) -> str:
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    prism_package = checkout_dir() / "node_modules" / "@stoplight" / "prism-cli" / "package.json"
    prism_version = json.loads(prism_package.read_text(encoding="utf-8"))["version"]
    return (
        f"{load.cores} CPUs ({model}), {platform.system()} "
        f"{platform.release()}; {load.describe()}. "
        f"Python {platform.python_version()}, uvicorn {uvicorn.__version__} "
        f"(loop and HTTP: {http_stack()}); Node {node_version()}, Prism {prism_version}; "
        f"{wrk.version()}"
    )


def node_version() -> str:
    try:
        return subprocess.run(
            ["node", "--version"],  # noqa: S607 - the node on PATH is the one Prism runs on
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def section(
    args: argparse.Namespace,
    argv: Sequence[str],
    when: datetime,
    specs: Sequence[ServerSpec],
    summaries: Sequence[report.Summary],
    ratios: Sequence[report.Ratio],
    startups: dict[str, list[float]],
    seconds: float,
    load: report.MachineLoad,
) -> str:
    by_key = {(s.server, s.operation): s for s in summaries}
    servers_text = "\n".join(f"  - {spec.name}: {spec.description}" for spec in specs)
    journal_costs = [
        report.cpu_cost(by_key[r.server, r.operation], by_key[r.versus, r.operation])
        for r in ratios
        if servers.JOURNAL_OFF_NOTE in r.versus
    ]
    latency_lines = []
    for op in operations():
        mine, prisms = by_key["mock", op.name], by_key["prism", op.name]
        verdict = "met" if mine.p99_ms <= prisms.p99_ms else "**not met**"
        latency_lines.append(
            f"- {op.name}: mock p99 {mine.p99_ms:.2f} ms, Prism (warn) {prisms.p99_ms:.2f} ms: "
            f"{verdict}."
        )
    startup_lines = []
    for name, times in startups.items():
        worst = max(times)
        verdict = "met" if worst <= report.TARGET_STARTUP_SECONDS else "**not met**"
        shown = ", ".join(f"{t:.2f}" for t in times)
        target = (
            f"target <= {report.TARGET_STARTUP_SECONDS:g} s: {verdict}"
            if name == "mock"
            else "no target"
        )
        startup_lines.append(f"- {name}: {shown} s (slowest {worst:.2f} s; {target}).")
    busiest = max(summaries, key=lambda s: s.wrk_cpu)
    fastest = max(summaries, key=lambda s: s.rps)
    all_met = all(r.met for r in ratios)
    bare_targets = " and ".join(
        f"{target:g}x ({name})" for name, target in report.TARGET_VS_BARE.items()
    )
    return f"""{report.SECTION_HEADING}

Written by `bench/` (`make bench`); re-running it rewrites this section only.

- Date: {when:%Y-%m-%d %H:%M} UTC; the run took {seconds / 60:.1f} minutes.
- Machine: {machine(load)}.
- Command: `{command_line(argv)}`
- Servers, each its own process (single worker unless named) on a free loopback port:
{servers_text}
- Load: wrk, 1 thread, {args.connections} keep-alive connections, in its own process; per
  run {args.warmup:g} s of warm-up (discarded), then {args.duration:g} s measured;
  {args.rounds} rounds, the server order rotating each round (the last round adds the
  variants). req/s is the median over the rounds (min-max beside it); p50 and p99 are
  wrk's, the median over the rounds. "Errors" counts answers other than 2xx and broken,
  refused or timed-out connections. "Server CPU µs / request" is the CPU time the
  server's processes used during a measured run (the kernel's count in /proc, every
  process of its group) over the requests answered, the median over the rounds: what a
  request costs the server. Unlike req/s it leaves out the time a server waits for wrk
  or for a core; a machine slowed by other work still raises it.
- Operations: getProduct (`GET /api/v2/product/get?oId=p_acme_api`) and updateReference
  (`POST /api/v2/reference/update`, body `{operations()[1].body}`), both with the `api_key`
  header. Prism answers its static example; the bare endpoint, a fixed small body.

{report.figures_table(summaries)}

**Throughput targets**: the mock at least {report.TARGET_VS_PRISM:g}x Prism's, Prism taken
like for like (at warn, as the mock at warning), and at least {bare_targets} of the bare
endpoint on the same server stack; the request journal costing almost nothing, the mock
with it on (its default) at least {report.TARGET_JOURNAL:g}x the same mock with it off, with
one worker and with two; and two workers at least {report.TARGET_WORKERS:g}x one on reads:
{"all met" if all_met else "not all met"}. "mock / prism (info log)" compares with Prism as
its documented command runs it. "Value" is the ratio of the median req/s; "Per round", the
spread of the ratios within one round.

{report.ratios_table(ratios)}

What the journal costs in the server's CPU per request (journal on less off, the
"Server CPU" column's medians):
{chr(10).join(journal_costs)}

**Latency target**, the mock's p99 no higher than Prism's (at warn):
{chr(10).join(latency_lines)}

**Start-up**, from spawning the process to its first HTTP answer, {STARTS} fresh starts
each, one server at a time:
{chr(10).join(startup_lines)}

**The load generator is not the bottleneck**: wrk used at most {busiest.wrk_cpu * 100:.0f}% of
one core in any run ({busiest.server}, {busiest.operation}), so it always had room to
send more, and the same wrk drove {fastest.server} at {fastest.rps:,.0f} req/s, above every
other figure here. Its CPU time is the kernel's account of the wrk process (`os.wait4`).
"""


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    if not prism_path().exists() or not (servers.BIN / "octave-mock").exists():
        print("bench: run `make setup` first (needs .venv and node_modules)", file=sys.stderr)
        return 2
    try:
        wrk.executable()
    except wrk.WrkError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _on_signal)
    started, when = time.monotonic(), datetime.now(UTC)
    machine_load = report.MachineLoad()
    probe = operations()[0]
    results: dict[tuple[str, str], list[wrk.WrkResult]] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="octave-bench-") as scratch:
            log_dir = Path(scratch)
            # Prism at its default log level is the command as documented; at warn, the
            # peer of the mock at warning: both are measured in every round.
            # The mock's peers (journal off, two workers) are measured in every round too:
            # their ratios are targets.
            mocks = [
                servers.mock(),
                servers.mock(journal=False),
                servers.mock_workers(WORKERS, log_dir / "workers.db"),
                servers.mock_workers(WORKERS, log_dir / "workers-off.db", journal=False),
            ]
            main_specs = [*mocks, servers.prism(), servers.prism("info"), servers.bare()]
            variant_specs = [] if args.no_variants else [servers.mock("info")]
            startups = {
                spec.name: startup_seconds(spec, log_dir)
                for spec in (servers.mock(), servers.prism())
            }
            with servers.running(
                [*main_specs, *variant_specs], log_dir, probe.path, probe.headers
            ) as running:
                for server in running:
                    sanity_check(server)
                jobs = schedule(running[: len(main_specs)], running[len(main_specs) :], args.rounds)
                minutes = len(jobs) * (args.warmup + args.duration + 0.2) / 60
                print(
                    f"bench: {len(running)} servers up; {len(jobs)} runs of "
                    f"{args.warmup:g}+{args.duration:g} s, about {minutes:.1f} min",
                    flush=True,
                )
                for index, job in enumerate(jobs, 1):
                    result = load(job, args)
                    machine_load.sample()
                    results.setdefault((job.server.spec.name, job.operation.name), []).append(
                        result
                    )
                    flag = f"  ERRORS {result.errors}" if result.error_count else ""
                    print(
                        f"[{index:2}/{len(jobs)}] round {job.round} {job.operation.name:15} "
                        f"{job.server.spec.name:18} {result.rps:8,.0f} req/s  "
                        f"p99 {result.latency_us['p99'] / 1000:6.2f} ms  "
                        f"wrk CPU {result.wrk_cpu * 100:3.0f}%{flag}",
                        flush=True,
                    )
    except (KeyboardInterrupt, Interrupted) as exc:
        print(f"\nbench: interrupted ({str(exc) or 'Ctrl-C'}); servers stopped", file=sys.stderr)
        return 130
    except (ServerError, wrk.WrkError) as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1

    names = [spec.name for spec in [*main_specs, *variant_specs]]
    summaries = [
        report.summarize(name, op.name, results[(name, op.name)])
        for op in operations()
        for name in names
    ]
    ratios = [
        report.ratio(op.name, server, versus, target, results)
        for op in operations()
        for server, versus, target in targets(op.name, mocks)
    ]
    text = section(
        args,
        argv,
        when,
        [*main_specs, *variant_specs],
        summaries,
        ratios,
        startups,
        time.monotonic() - started,
        machine_load,
    )
    print()
    print(text)
    refusal = machine_load.refusal()
    if refusal:
        print(f"bench: {refusal}")
    elif not args.no_write:
        report.write_section(args.output, text)
        print(f"bench: wrote the '{report.SECTION_HEADING[3:]}' section of {args.output}")
    errors = sum(s.errors for s in summaries)
    if errors:
        print(f"bench: {errors} responses were errors; the figures are not trustworthy")
    return 1 if errors or refusal else 0


def targets(operation: str, mocks: Sequence[ServerSpec]) -> list[tuple[str, str, float]]:
    """(server, versus, target) of each ratio with a target on this operation; `mocks`: the
    mock, with its journal off, with WORKERS workers, and with those and the journal off."""
    mock, journal_off, workers, workers_journal_off = (spec.name for spec in mocks)
    found = [
        (mock, "prism", report.TARGET_VS_PRISM),
        (mock, "prism (info log)", report.TARGET_VS_PRISM),
        (mock, "bare", report.TARGET_VS_BARE[operation]),
        (mock, journal_off, report.TARGET_JOURNAL),
        (workers, workers_journal_off, report.TARGET_JOURNAL),
    ]
    if operation == operations()[0].name:  # the read: an update takes the one write lock
        found.append((workers, mock, report.TARGET_WORKERS))
    return found


if __name__ == "__main__":
    raise SystemExit(main())
