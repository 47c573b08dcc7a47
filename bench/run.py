"""`python -m bench`: throughput of the mock against Prism and a bare Starlette endpoint.

Starts every server as its own process on a free loopback port, checks one
answer of each, then loads them one at a time from a separate load-generator
process (bench.loadgen), in rounds whose server order rotates so that the
machine's noise falls on all of them alike. Prints the figures and rewrites
the "Mock server throughput" section of BENCHMARKS.md.

It is a benchmark, not a test: a missed target is reported, not fatal. The
exit status is 1 only when the figures cannot be trusted (a wrong status, a
broken connection, a server that died) and 2 when it cannot run at all.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType

import starlette
import uvicorn

from bench import report, servers
from bench.loadgen import LoadResult, LoadSpec
from bench.servers import HOST, PRISM, ROOT, Server, ServerError, ServerSpec

# A read-write key of the bundled seed (src/octave_mock/seed.yaml) and two of its objects.
API_KEY = "mock_acme_rw_9f2c41d7e8"
EXPECT_STATUS = 200
LOADGEN_TIMEOUT_EXTRA_SECONDS = 30.0
DESCRIPTION = "Throughput of the mock against Prism and a bare Starlette endpoint."


@dataclass(frozen=True)
class Operation:
    name: str
    method: str
    path: str
    headers: dict[str, str]
    body: str = ""


OPERATIONS = [
    Operation("getProduct", "GET", "/api/v2/product/get?oId=p_acme_api", {"api_key": API_KEY}),
    Operation(
        "updateReference",
        "POST",
        "/api/v2/reference/update",
        {"api_key": API_KEY, "content-type": "application/json"},
        json.dumps({"oId": "r_acme_dropbox", "name": "Large filesharing service"}),
    ),
]


class Interrupted(Exception):
    """SIGTERM or SIGHUP: unwind like Ctrl-C so that every server is stopped."""


def _on_signal(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signal.Signals(signum).name)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=DESCRIPTION)
    parser.add_argument("--duration", type=float, default=5.0, help="measured seconds per run")
    parser.add_argument("--warmup", type=float, default=2.0, help="warm-up seconds per run")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over all the servers")
    parser.add_argument("--concurrency", type=int, default=16, help="keep-alive connections")
    parser.add_argument(
        "--no-log-variant",
        action="store_true",
        help="skip the run of the mock with its default info log (last round only)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=ROOT / "BENCHMARKS.md",
        help="file whose 'Mock server throughput' section is rewritten (default: %(default)s)",
    )
    parser.add_argument("--no-write", action="store_true", help="print only; leave the file")
    args = parser.parse_args(argv)
    if args.duration <= 0 or args.warmup < 0 or args.rounds < 1 or args.concurrency < 1:
        parser.error("--duration and --rounds and --concurrency must be positive")
    return args


@dataclass(frozen=True)
class Job:
    round: int
    operation: Operation
    server: Server


def schedule(
    main: Sequence[Server], check: Server, variants: Sequence[Server], rounds: int
) -> list[Job]:
    """Every server for every operation in every round, the order rotating per round.

    The load generator's check runs in the first round only, the variants (the
    mock with its access log) in the last, each next to the servers it is compared with.
    """
    jobs = []
    for number in range(rounds):
        shift = number % len(main)
        order = list(main[shift:]) + list(main[:shift])
        if number == 0:
            order.insert(0, check)
        if number == rounds - 1:
            order += variants
        for operation in OPERATIONS:
            jobs += [Job(number + 1, operation, server) for server in order]
    return jobs


def load(job: Job, args: argparse.Namespace) -> LoadResult:
    """Run the load generator in its own process against one server."""
    job.server.check_alive()
    headers = list(job.operation.headers.items())
    spec = LoadSpec(
        host=HOST,
        port=job.server.port,
        method=job.operation.method,
        path=job.operation.path,
        headers=headers,
        body=job.operation.body,
        expect_status=EXPECT_STATUS,
        concurrency=args.concurrency,
        warmup_s=args.warmup,
        duration_s=args.duration,
        cpu_pids=[job.server.pid],
    )
    command = [sys.executable, "-m", "bench.loadgen", json.dumps(asdict(spec))]
    process = subprocess.Popen(  # noqa: S603 - our own argv, no shell
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        out, err = process.communicate(
            timeout=args.warmup + args.duration + LOADGEN_TIMEOUT_EXTRA_SECONDS
        )
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    if process.returncode != 0:
        raise ServerError(
            f"the load generator failed against {job.server.spec.name} "
            f"(status {process.returncode}):\n{err.strip()}"
        )
    job.server.check_alive()
    return LoadResult(**json.loads(out))


def sanity_check(server: Server) -> None:
    """One request of each operation, answered with the expected status and JSON."""
    for operation in OPERATIONS:
        status, body = servers.request(
            server.port, operation.method, operation.path, operation.headers, operation.body
        )
        problem = None
        if status != EXPECT_STATUS:
            problem = f"status {status}, expected {EXPECT_STATUS}"
        else:
            try:
                json.loads(body)
            except ValueError:
                problem = "a body that is not JSON"
        if problem:
            raise ServerError(
                f"{server.spec.name} answered {operation.name} with {problem}: "
                f"{body[:300]!r}\nits log ends:\n{server.log_tail()}"
            )


def command_line(argv: Sequence[str]) -> str:
    try:
        python = Path(sys.executable).relative_to(ROOT)
    except ValueError:
        python = Path(sys.executable)
    command = shlex.join([str(python), "-m", "bench", *argv])
    return f"make bench (runs {command})" if os.environ.get("MAKELEVEL") else command


def http_stack() -> str:
    """What uvicorn's defaults (loop="auto", http="auto") pick in this environment."""
    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    http = "httptools" if importlib.util.find_spec("httptools") else "h11"
    return f"{loop}, {http}"


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        node = subprocess.run(
            ["node", "--version"],  # noqa: S607 - the node on PATH is the one prism runs on
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        node = "unknown"
    prism_package = ROOT / "node_modules" / "@stoplight" / "prism-cli" / "package.json"
    prism_version = json.loads(prism_package.read_text(encoding="utf-8"))["version"]
    cores = len(os.sched_getaffinity(0))
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"{cores} CPUs (nproc) of {os.cpu_count()} ({model}), {platform.system()} "
        f"{platform.release()}; load average before the run: {load}. "
        f"Python {platform.python_version()}, uvicorn {uvicorn.__version__} "
        f"(loop and HTTP: {http_stack()}), Starlette {starlette.__version__}; "
        f"Node {node}, Prism {prism_version}"
    )


def section(
    args: argparse.Namespace,
    argv: Sequence[str],
    when: datetime,
    machine_text: str,
    specs: Sequence[ServerSpec],
    summaries: Sequence[report.Summary],
    ratios: Sequence[report.Ratio],
    check: Sequence[report.Summary],
    seconds: float,
) -> str:
    fastest = max(s.rps for s in summaries if s.server != "trivial")
    check_rps = max(s.rps for s in check)
    servers_text = "\n".join(f"  - {spec.name}: {spec.description}" for spec in specs)
    all_met = all(r.met for r in ratios if r.versus in ("prism", "bare"))
    by_key = {(s.server, s.operation): s for s in summaries}
    beyond = [
        f"{op.name}: {report.TARGET_VS_PRISM:g}x Prism is "
        f"{report.TARGET_VS_PRISM * by_key['prism', op.name].rps:,.0f} req/s, the bare "
        f"endpoint does {by_key['bare', op.name].rps:,.0f}"
        for op in OPERATIONS
        if report.TARGET_VS_PRISM * by_key["prism", op.name].rps > by_key["bare", op.name].rps
    ]
    ceiling = (
        "\n\nThe Prism target is above the ceiling of this HTTP stack ("
        + "; ".join(beyond)
        + f"): no app served like the bare endpoint (uvicorn: {http_stack()}) can meet it here."
        if beyond
        else ""
    )
    check_verdict = (
        "so the load generator is not what limits these figures."
        if check_rps >= 3 * fastest
        else "too close to the servers' rates: the load generator may limit these figures."
    )
    variants = (
        "\n- The info-log servers run with their tool's default log level: a line or more per"
        "\n  request, here into a file. The mock's ran in the last round only."
    )
    return f"""{report.SECTION_HEADING}

Written by `bench/` (`make bench`); re-running it rewrites this section only.

- Date: {when:%Y-%m-%d %H:%M} UTC; the run took {seconds / 60:.1f} minutes.
- Machine: {machine_text}.
- Command: `{command_line(argv)}`
- Servers, each its own single-worker process on a free loopback port:
{servers_text}
- Load: `bench/loadgen.py` in a separate process, {args.concurrency} HTTP/1.1 keep-alive
  connections with one request in flight each; per run {args.warmup:g} s of warm-up, then
  {args.duration:g} s measured; {args.rounds} rounds, the server order rotating each round.
  req/s is the median over the rounds (min-max beside it); p50/p99 are over every measured
  request of every round. Every response's status is checked (expected: {EXPECT_STATUS});
  "Errors" counts other statuses and broken connections, warm-up included.
- Operations: getProduct (`GET /api/v2/product/get?oId=p_acme_api`) and updateReference
  (`POST /api/v2/reference/update`, body `{OPERATIONS[1].body}`), both with the `api_key`
  header. Prism answers its static example; the bare endpoint, a fixed small body.
- CPU, while measured, in shares of one core: the server's, the load generator's, and
  "Other": the rest of the machine (other jobs on a shared machine: the noise). "req/s per
  server core" divides req/s by the server's CPU: its speed with that noise taken out.{variants}

{report.figures_table(summaries)}

Targets: the mock at least {report.TARGET_VS_PRISM:g}x Prism's throughput and at least
{report.TARGET_VS_BARE:g}x the bare endpoint's, Prism taken like for like (at warn, as the
mock at warning): {"all met." if all_met else "not all met."} "mock / prism (info log)" compares
with Prism as its documented command runs it, at its default log level.
"Value" is the ratio of the median req/s, "Per round" the spread of the ratios within one
round, "Per server core" the ratio of the req/s per server core.

{report.ratios_table(ratios)}{ceiling}

Load generator check: against the trivial asyncio server it completed {check_rps:,.0f} req/s,
{check_rps / fastest:.1f}x the fastest server above, {check_verdict}
"""


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    if not PRISM.exists() or not (servers.BIN / "octave-mock").exists():
        print("bench: run `make setup` first (needs .venv and node_modules)", file=sys.stderr)
        return 2
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _on_signal)
    started, when = time.monotonic(), datetime.now(UTC)
    machine_text = machine()
    # Prism at its default log level is the command as documented; at warn, the peer of
    # the mock at warning: both are measured in every round.
    main_specs = [servers.mock(), servers.prism(), servers.prism("info"), servers.bare()]
    check_spec = servers.trivial()
    variant_specs = [] if args.no_log_variant else [servers.mock("info")]
    probe = OPERATIONS[0]
    results: dict[tuple[str, str], list[LoadResult]] = {}
    try:
        with (
            tempfile.TemporaryDirectory(prefix="octave-bench-") as log_dir,
            servers.running(
                [*main_specs, check_spec, *variant_specs], Path(log_dir), probe.path, probe.headers
            ) as running,
        ):
            for server in running:
                sanity_check(server)
            main_servers, check = running[: len(main_specs)], running[len(main_specs)]
            jobs = schedule(main_servers, check, running[len(main_specs) + 1 :], args.rounds)
            per_job = args.warmup + args.duration + 0.5
            print(
                f"bench: {len(running)} servers up; {len(jobs)} runs of "
                f"{args.warmup:g}+{args.duration:g} s, about {len(jobs) * per_job / 60:.1f} min",
                flush=True,
            )
            for index, job in enumerate(jobs, 1):
                result = load(job, args)
                results.setdefault((job.server.spec.name, job.operation.name), []).append(result)
                p50 = report.percentile(result.latencies_us, 0.5) / 1000
                flag = f"  ERRORS {result.error_kinds}" if result.errors else ""
                print(
                    f"[{index:2}/{len(jobs)}] round {job.round} {job.operation.name:15} "
                    f"{job.server.spec.name:18} {result.rps:8,.0f} req/s  p50 {p50:6.2f} ms"
                    f"{flag}",
                    flush=True,
                )
    except (KeyboardInterrupt, Interrupted) as exc:
        print(f"\nbench: interrupted ({str(exc) or 'Ctrl-C'}); servers stopped", file=sys.stderr)
        return 130
    except ServerError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1

    names = [spec.name for spec in [*main_specs, *variant_specs]]
    summaries = [
        report.summarize(name, op.name, results[(name, op.name)])
        for op in OPERATIONS
        for name in names
    ]
    check_summaries = [
        report.summarize(check_spec.name, op.name, results[(check_spec.name, op.name)])
        for op in OPERATIONS
    ]
    ratios = [
        report.ratio(
            op.name, versus, target, results[("mock", op.name)], results[(versus, op.name)]
        )
        for op in OPERATIONS
        for versus, target in (
            ("prism", report.TARGET_VS_PRISM),
            ("prism (info log)", report.TARGET_VS_PRISM),
            ("bare", report.TARGET_VS_BARE),
        )
    ]
    text = section(
        args,
        argv,
        when,
        machine_text,
        [*main_specs, *variant_specs, check_spec],
        [*summaries, *check_summaries],
        ratios,
        check_summaries,
        time.monotonic() - started,
    )
    print()
    print(text)
    if not args.no_write:
        report.write_section(args.output, text)
        print(f"bench: wrote the '{report.SECTION_HEADING[3:]}' section of {args.output}")
    errors = sum(s.errors for s in [*summaries, *check_summaries])
    if errors:
        print(f"bench: {errors} responses were errors; the figures are not trustworthy")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
