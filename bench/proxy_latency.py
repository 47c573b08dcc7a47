"""The validating proxy's added latency, next to Prism's proxy mode, in front of the same mock.

    .venv/bin/python -m bench.proxy_latency [--rounds 3] [--duration 5] [--no-write]

One mock process is the upstream. wrk sends getProduct and updateReference
over one keep-alive connection (one request at a time, so the figures are
latency, not queueing) straight to the mock, through `octave-mock proxy`, and
through `prism proxy` (5.14.2, log level warn), in rounds whose order rotates.
The added latency is the proxy's percentile minus the direct one, per round;
the median over rounds is reported. Writes the "Proxy overhead" section of
BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from bench.lib import servers, wrk
from bench.lib.common import command_line, operations
from bench.lib.report import benchmarks_file, markdown_table, rotated, write_section
from bench.lib.servers import BIN, HOST, ServerSpec, prism_path
from octave_kit.contract_file import SPEC_PATH

HEADING = "## Proxy overhead"
TARGETS = ("direct", "octave-mock proxy", "prism proxy")


def our_proxy(upstream: str) -> ServerSpec:
    return ServerSpec(
        "octave-mock proxy",
        f"`octave-mock proxy --upstream {upstream} --port PORT --log-level warning`",
        lambda port: [
            str(BIN / "octave-mock"),
            "proxy",
            "--upstream",
            upstream,
            "--host",
            HOST,
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
    )


def prism_proxy(upstream: str) -> ServerSpec:
    return ServerSpec(
        "prism proxy",
        f"`prism proxy openapi.yaml {upstream} -h 127.0.0.1 -p PORT -v warn`",
        lambda port: [
            str(prism_path()),
            "proxy",
            str(SPEC_PATH),
            upstream,
            "-h",
            HOST,
            "-p",
            str(port),
            "-v",
            "warn",
        ],
    )


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m bench.proxy_latency", description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=5.0, help="measured seconds per run")
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    probe = operations()[0]
    # (target, operation) -> per round: (p50 us, p99 us)
    figures: dict[tuple[str, str], list[tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="octave-bench-") as scratch:
        log_dir = Path(scratch)
        with servers.running([servers.mock()], log_dir, probe.path, probe.headers) as (mock,):
            upstream = f"http://{HOST}:{mock.port}"
            specs = [our_proxy(upstream), prism_proxy(upstream)]
            with servers.running(specs, log_dir, probe.path, probe.headers) as proxies:
                ports = {"direct": mock.port} | {p.spec.name: p.port for p in proxies}
                for number in range(args.rounds):
                    order = rotated(TARGETS, number)
                    for op in operations():
                        for target in order:
                            url = f"http://{HOST}:{ports[target]}{op.path}"
                            load = wrk.Load(op.method, url, op.headers, op.body, 1, args.warmup)
                            wrk.run(load)
                            measured = wrk.run(
                                wrk.Load(op.method, url, op.headers, op.body, 1, args.duration)
                            )
                            if measured.error_count:
                                print(
                                    f"bench: {target} {op.name}: {measured.errors}", file=sys.stderr
                                )
                                return 1
                            latency = (measured.latency_us["p50"], measured.latency_us["p99"])
                            figures.setdefault((target, op.name), []).append(latency)
                            print(
                                f"round {number + 1} {op.name:15} {target:18} "
                                f"p50 {latency[0] / 1000:.2f} ms  p99 {latency[1] / 1000:.2f} ms",
                                flush=True,
                            )
    text = section(figures, argv, specs)
    print(text)
    if not args.no_write:
        write_section(benchmarks_file(), text, HEADING)
    return 0


def section(
    figures: dict[tuple[str, str], list[tuple[float, float]]],
    argv: Sequence[str],
    specs: Sequence[ServerSpec],
) -> str:
    median = statistics.median
    rows = []
    for op in operations():
        direct = figures["direct", op.name]
        for target in TARGETS:
            runs = figures[target, op.name]
            added = [
                (mine[0] - base[0], mine[1] - base[1])
                for mine, base in zip(runs, direct, strict=True)
            ]
            extra = (
                ("", "")
                if target == "direct"
                else tuple(f"{median(a[i] for a in added) / 1000:.2f}" for i in (0, 1))
            )
            p50, p99 = (f"{median(r[i] for r in runs) / 1000:.2f}" for i in (0, 1))
            rows.append([op.name, target, p50, p99, *extra])
    header = ["operation", "through", "p50 ms", "p99 ms", "added p50 ms", "added p99 ms"]
    described = "\n".join(f"- {spec.name}: {spec.description}" for spec in specs)
    return "\n".join(
        [
            HEADING,
            "",
            f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with "
            f"`{command_line(argv, 'bench.proxy_latency', 'bench-proxy')}`: one mock "
            "process as the upstream; wrk, one connection (one request at a time), "
            "straight to it and through each proxy, rounds in rotating order. Percentiles "
            "are wrk's, the median over rounds; \"added\" is the proxy's minus the direct "
            "one, per round, then the median.",
            "",
            described,
            "",
            markdown_table(header, rows, right={2, 3, 4, 5}),
            "",
        ]
    )


if __name__ == "__main__":
    raise SystemExit(main())
