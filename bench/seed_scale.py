"""The mock with seeds of 13, 1,000 and 10,000 objects: start-up, memory, reset and reads.

    make bench-seed   (runs .venv/bin/python -m bench.seed_scale [--rounds 3] [--no-write])

The larger seeds are the bundled one plus copies of its first product under
new oIds, in the first workspace. For each seed, in one run:

- start-up to healthy, cold (an empty seed cache) and warm (the cache the cold
  start left), each `--rounds` times: an `octave-mock serve` process on a free
  port, timed from spawning to its first answer on /_mock/health; its CPU time
  (user + system, from /proc) and its RSS at that moment;
- reset as the pytest fixture does it (`RunningMock.reset()`, in-process, on
  an in-memory database), each after one updateReference over HTTP;
- getProduct latency over HTTP, sequential on one keep-alive connection, from
  one warm server per seed, in interleaved blocks with the order rotating;
  the ratio to the bundled seed is taken block by block, so drift in the
  machine's load hits every seed alike;
- the RSS of each serving process after those reads.

Writes the "Mock with large seeds" section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import copy
import http.client
import json
import os
import platform
import sqlite3
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory

import yaml

from bench.lib.common import api_key, command_line
from bench.lib.report import benchmarks_file, write_section
from bench.lib.servers import BIN, HOST, Server, ServerSpec
from octave_kit.seed import DEFAULT_SEED
from octave_kit.seed_cache import CACHE_DIR_ENV
from octave_mock.settings import Settings
from octave_mock.testing import running_mock

HEADING = "## Mock with large seeds"
SIZES = (13, 1_000, 10_000)
PRODUCT_PATH = "/api/v2/product/get?oId=p_acme_api"
UPDATE_PATH = "/api/v2/reference/update"
HEALTH_PATH = "/_mock/health"
TICKS = os.sysconf("SC_CLK_TCK")
# The targets.
WARM_TARGET_S = 2.0
COLD_TARGET_S = 5.0
RSS_TARGET_MB = 150.0
RESET_TARGET_MS = {13: 2.0, 10_000: 5.0}
READ_TARGET_RATIO = 1.2
COLUMNS = (
    "seed (objects)",
    "cold start s (CPU s)",
    "warm start s (CPU s)",
    "RSS at start MB, cold / warm",
    "RSS serving MB",
    "reset median ms",
    "getProduct p50 µs",
    "p50 vs bundled (range)",
)


def write_seed(size: int, folder: Path) -> Path:
    """The bundled seed, grown to `size` objects with copies of its first product."""
    data = yaml.safe_load(DEFAULT_SEED.read_text(encoding="utf-8"))
    workspace = data["workspaces"][0]
    sections = ("products", "segments", "references")
    bundled = sum(len(ws.get(name, [])) for ws in data["workspaces"] for name in sections)
    first = workspace["products"][0]
    for index in range(size - bundled):
        workspace["products"].append({**copy.deepcopy(first), "oId": f"p_copy_{index:06d}"})
    path = folder / f"seed-{size}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def serve(seed: Path) -> ServerSpec:
    return ServerSpec(
        f"mock-{seed.stem}",
        f"`octave-mock serve --seed {seed.name}`",
        lambda port: [
            str(BIN / "octave-mock"),
            "serve",
            "--host",
            HOST,
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--seed",
            str(seed),
        ],
    )


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (fields 14 and 15 of /proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise LookupError(f"no VmRSS for process {pid}")


@dataclass(frozen=True)
class Start:
    seconds: float
    cpu: float
    rss: float


def start_once(seed: Path, logs: Path) -> tuple[Server, Start]:
    server = Server(serve(seed), logs)
    try:
        seconds = server.wait_ready(HEALTH_PATH, {})
        return server, Start(seconds, cpu_seconds(server.pid), rss_mb(server.pid))
    except BaseException:
        server.stop()
        raise


def starts(seed: Path, logs: Path, cache: Path, rounds: int) -> tuple[list[Start], list[Start]]:
    """`rounds` cold starts (the cache emptied before each) and as many warm ones."""
    cold, warm = [], []
    for _ in range(rounds):
        for image in cache.glob("*"):
            image.unlink()
        server, figures = start_once(seed, logs)
        server.stop()
        cold.append(figures)
        server, figures = start_once(seed, logs)
        server.stop()
        warm.append(figures)
    return cold, warm


def resets(seed: Path, count: int) -> list[float]:
    """Seconds per fixture reset, each after one update made over HTTP."""
    body = json.dumps({"oId": "r_acme_dropbox", "name": "Changed by the test"})
    headers = {"api_key": api_key(), "Content-Type": "application/json"}
    samples = []
    with running_mock(Settings(seed_path=seed)) as mock:
        connection = http.client.HTTPConnection(mock.base_url.removeprefix("http://"))
        for _ in range(count):
            connection.request("POST", UPDATE_PATH, body, headers)
            response = connection.getresponse()
            response.read()
            assert response.status == 200, response.status
            started = time.perf_counter()
            mock.reset()
            samples.append(time.perf_counter() - started)
        connection.close()
    return samples


def read_block(connection: http.client.HTTPConnection, calls: int) -> float:
    """The median seconds of `calls` sequential getProduct calls."""
    samples = []
    for _ in range(calls):
        started = time.perf_counter()
        connection.request("GET", PRODUCT_PATH, headers={"api_key": api_key()})
        response = connection.getresponse()
        response.read()
        samples.append(time.perf_counter() - started)
        assert response.status == 200, response.status
    return statistics.median(samples)


def reads(servers: dict[int, Server], rounds: int, block: int) -> dict[int, list[float]]:
    """Each seed's median getProduct seconds per block, blocks interleaved over the seeds."""
    connections = {
        size: http.client.HTTPConnection(HOST, server.port) for size, server in servers.items()
    }
    medians: dict[int, list[float]] = {size: [] for size in servers}
    for connection in connections.values():  # warm-up
        read_block(connection, block)
    order = list(connections.items())
    for round_index in range(rounds):
        shift = round_index % len(order)
        for size, connection in order[shift:] + order[:shift]:
            medians[size].append(read_block(connection, block))
    for connection in connections.values():
        connection.close()
    return medians


@dataclass(frozen=True)
class Figures:
    size: int
    cold: list[Start]
    warm: list[Start]
    reset_ms: float
    read_us: float
    read_ratios: list[float]  # per block, against the bundled seed's
    serving_rss: float


def section(figures: list[Figures], args: argparse.Namespace, command: str, took: float) -> str:
    median = statistics.median
    rows = []
    for f in figures:
        ratios = sorted(f.read_ratios)
        rows.append(
            f"| {f.size:,} "
            f"| {median(s.seconds for s in f.cold):.2f} ({median(s.cpu for s in f.cold):.2f}) "
            f"| {median(s.seconds for s in f.warm):.2f} ({median(s.cpu for s in f.warm):.2f}) "
            f"| {median(s.rss for s in f.cold):.0f} / {median(s.rss for s in f.warm):.0f} "
            f"| {f.serving_rss:.0f} "
            f"| {f.reset_ms:.2f} "
            f"| {f.read_us:.0f} "
            f"| {median(ratios):.2f} ({ratios[0]:.2f}-{ratios[-1]:.2f}) |"
        )
    largest = figures[-1]
    bundled = figures[0]
    warm = median(s.seconds for s in largest.warm)
    cold = median(s.seconds for s in largest.cold)
    cold_cpu = median(s.cpu for s in largest.cold)
    ratio = median(largest.read_ratios)
    checks = [  # (the target, what was measured, met)
        (
            f"warm start-up of the {largest.size:,}-object seed <= {WARM_TARGET_S:g} s",
            f"{warm:.2f} s",
            warm <= WARM_TARGET_S,
        ),
        (
            f"cold start-up of the {largest.size:,}-object seed <= {COLD_TARGET_S:g} s",
            f"{cold:.2f} s, of which {cold_cpu:.2f} s of CPU",
            cold <= COLD_TARGET_S,
        ),
        (
            f"RSS serving the {largest.size:,}-object seed <= {RSS_TARGET_MB:g} MB",
            f"{largest.serving_rss:.0f} MB",
            largest.serving_rss <= RSS_TARGET_MB,
        ),
        *(
            (
                f"reset with the {f.size:,}-object seed <= {RESET_TARGET_MS[f.size]:g} ms",
                f"{f.reset_ms:.2f} ms",
                f.reset_ms <= RESET_TARGET_MS[f.size],
            )
            for f in figures
            if f.size in RESET_TARGET_MS
        ),
        (
            f"getProduct p50 at {largest.size:,} objects <= {READ_TARGET_RATIO:g}x the bundled's",
            f"{ratio:.2f}x",
            ratio <= READ_TARGET_RATIO,
        ),
    ]
    header = "| " + " | ".join(COLUMNS) + " |\n|" + " ---: |" * len(COLUMNS)
    table = "\n".join([header, *rows])
    larger = " and ".join(f"{f.size:,}" for f in figures[1:])
    targets = "\n".join(
        f"- {what}: {measured}, {'met' if ok else '**not met**'}" for what, measured, ok in checks
    )
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return f"""{HEADING}

Written by `bench/seed_scale.py` (`make bench-seed`); re-running it rewrites this section only.

- Date: {time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}; the run took {took / 60:.1f} minutes;
  Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, {os.cpu_count()} CPUs;
  load average after the run: {load}.
- Command: `{command}`
- Seeds: the bundled one ({bundled.size} objects), and {larger} objects (the bundled
  seed plus copies of its first product under new oIds).
- Start-up: `octave-mock serve --seed FILE` (in-memory database), from spawning the process
  to its first answer on `/_mock/health`; cold with an empty seed cache, warm with the one
  the cold start left; the median of {args.rounds} starts each, with the CPU time the process
  had used by then (user + system) in brackets: on a loaded machine the wall time grows, the
  CPU time much less. RSS is the process's at that moment, cold / warm.
- Reset: `RunningMock.reset()`, as the `octave_mock` fixture calls it before each test, on an
  in-memory database, each after one updateReference over HTTP; the median of {args.resets}.
- Reads: getProduct (`{PRODUCT_PATH}`) over HTTP, sequential on one keep-alive connection
  per server (warm-started), {args.read_rounds} interleaved blocks of {args.block} calls per
  seed; "p50" is the median over blocks of each block's median, and the ratio to the bundled
  seed's is taken block by block (median, and range). "RSS serving" is each server's after
  the reads.

{table}

Start-up of the {largest.size:,}-object seed against the bundled seed's in the same run, wall
time: warm {warm / median(s.seconds for s in bundled.warm):.2f}x, cold \
{cold / median(s.seconds for s in bundled.cold):.2f}x; CPU time: warm \
{median(s.cpu for s in largest.warm) / median(s.cpu for s in bundled.warm):.2f}x, cold \
{cold_cpu / median(s.cpu for s in bundled.cold):.2f}x.

Targets (issue 23):

{targets}
"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.seed_scale", description=__doc__)
    parser.add_argument("--rounds", type=int, default=3, help="cold and warm starts per seed")
    parser.add_argument("--resets", type=int, default=300, help="timed resets per seed")
    parser.add_argument("--read-rounds", type=int, default=20, help="blocks of reads per seed")
    parser.add_argument("--block", type=int, default=200, help="getProduct calls per block")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md")
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    began = time.monotonic()
    with TemporaryDirectory() as scratch:
        folder = Path(scratch)
        cache = folder / "cache"
        cache.mkdir()
        os.environ[CACHE_DIR_ENV] = str(cache)  # the servers and the fixture use it alike
        logs = folder / "logs"
        logs.mkdir()
        seeds = {size: write_seed(size, folder) for size in SIZES}
        started = {size: starts(seed, logs, cache, args.rounds) for size, seed in seeds.items()}
        reset_ms = {
            size: statistics.median(resets(seed, args.resets)) * 1000
            for size, seed in seeds.items()
        }
        servers = {size: start_once(seed, logs)[0] for size, seed in seeds.items()}
        try:
            read_s = reads(servers, args.read_rounds, args.block)
            serving = {size: rss_mb(server.pid) for size, server in servers.items()}
        finally:
            for server in servers.values():
                server.stop()
    bundled = read_s[SIZES[0]]
    figures = [
        Figures(
            size=size,
            cold=started[size][0],
            warm=started[size][1],
            reset_ms=reset_ms[size],
            read_us=statistics.median(read_s[size]) * 1e6,
            read_ratios=[value / base for value, base in zip(read_s[size], bundled, strict=True)],
            serving_rss=serving[size],
        )
        for size in SIZES
    ]
    command = command_line(argv, "bench.seed_scale", "bench-seed")
    report = section(figures, args, command, time.monotonic() - began)
    print(report)
    if not args.no_write:
        write_section(benchmarks_file(), report, HEADING)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
