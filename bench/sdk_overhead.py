"""What an SDK call costs over raw httpx on the same server: `make bench-sdk`.

One mock process serves; this process calls it sequentially over one keep-alive connection
per client, alternating short blocks of each peer so that drift in the machine's load hits
all of them alike. The figure is the median per-call time of each peer and its ratio to raw
httpx + .json(). The instrument (a perf_counter pair per call) is timed too, to show it is
not what is measured.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from tempfile import TemporaryDirectory

import httpx
from octave_client import AuthenticatedClient, Octave
from octave_client.api.product import get_product

from bench.lib.common import api_key, command_line
from bench.lib.report import benchmarks_file, markdown_table, rotated, write_section
from bench.lib.servers import HOST, mock, running

O_ID = "p_acme_api"
PATH = "/api/v2/product/get"
HEADING = "## SDK call overhead"
TARGET = 1.10
RAW = "raw httpx + .json()"
SDK = "Octave().products.get (retries on)"
RAW_RESPONSE = "products.with_raw_response.get"
PER_CALL = "products.get, extra_headers + timeout"


def timed_block(call: Callable[[], object], calls: int) -> list[float]:
    """Seconds per call for `calls` sequential calls.

    Timed here rather than with pyperf: pyperf runs each benchmark in its own worker
    processes, one after the other, so it cannot interleave the peers round by round
    against one server, which is what keeps this shared machine's drift out of the ratios.
    """
    samples = []
    for _ in range(calls):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return samples


def measure(
    peers: dict[str, Callable[[], object]], rounds: int, block: int
) -> dict[str, list[float]]:
    """Each peer's median seconds per call in each of `rounds` rounds of `block` calls per peer.

    Within a round the peers take turns call by call, so a burst of load on the shared machine
    falls on all of them alike instead of on one peer's block.
    """
    medians: dict[str, list[float]] = {name: [] for name in peers}
    for call in peers.values():  # warm-up: connections, caches
        timed_block(call, block)
    for round_index in range(rounds):
        samples: dict[str, list[float]] = {name: [] for name in peers}
        order = rotated(list(peers.items()), round_index)
        for _ in range(block):
            for name, call in order:
                samples[name] += timed_block(call, 1)
        for name, values in samples.items():
            medians[name].append(statistics.median(values))
    return medians


def section(
    rounds: dict[str, list[float]], instrument: float, command: str, args: argparse.Namespace
) -> str:
    raw_rounds = rounds[RAW]
    rows = []
    for name, values in rounds.items():
        ratios = sorted(value / raw for value, raw in zip(values, raw_rounds, strict=True))
        rows.append(
            [
                name,
                f"{statistics.median(values) * 1e6:.0f}",
                f"{statistics.median(ratios):.3f}",
                f"{ratios[0]:.3f}-{ratios[-1]:.3f}",
            ]
        )
    header = ["peer", "µs per call (median)", "x raw httpx (median of rounds)", "range over rounds"]
    sdk_ratio, raw_response_ratio, per_call_ratio = (
        statistics.median(value / raw for value, raw in zip(rounds[name], raw_rounds, strict=True))
        for name in (SDK, RAW_RESPONSE, PER_CALL)
    )
    raw = statistics.median(raw_rounds)
    table = markdown_table(header, rows, right={1, 2, 3})
    return f"""{HEADING}

Written by `bench/sdk_overhead.py` (`make bench-sdk`); re-running it rewrites this section only.

- Date: {time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}; Python {platform.python_version()},
  httpx {httpx.__version__}; a 2-core machine.
- Command: `{command}`
- Server: one `octave-mock serve` process (in-memory database), getProduct `{PATH}?oId={O_ID}`.
- Load: sequential calls from one process, one keep-alive connection per peer; {args.rounds} rounds
  of {args.block} calls per peer, the peers taking turns call by call (the order rotating each
  round), after one warm-up block each. A peer's ratio is taken round by round against the raw
  calls of the same round (the median of its calls over raw's), so drift in the machine's load
  cancels out; the table gives the median ratio over the rounds and its range.
- Instrument: the perf_counter pair around each call costs {instrument * 1e9:.0f} ns,
  {instrument / raw * 100:.3f} % of a raw call.

{table}

The SDK call costs **{sdk_ratio:.3f}x** a raw httpx call plus `.json()` (target <= {TARGET:.2f}x:
{"met" if sdk_ratio <= TARGET else "**not met**"}). It includes building the request, the retry
wrapper (tenacity), the status check, the scalar type checks, parsing into `Product` and setting
its `request_id_`. Through `with_raw_response` it costs {raw_response_ratio:.3f}x, and with a
per-call header and timeout {per_call_ratio:.3f}x.
"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sdk_overhead", description=__doc__)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--block", type=int, default=200)
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md")
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    headers = {"api_key": api_key()}
    with (
        TemporaryDirectory() as logs,
        running([mock()], Path(logs), f"{PATH}?oId={O_ID}", headers) as (server,),
    ):
        base_url = f"http://{HOST}:{server.port}"
        with (
            httpx.Client(base_url=base_url, headers=headers) as raw,
            Octave(api_key=api_key(), base_url=base_url) as octave,
            AuthenticatedClient(base_url=base_url, token=api_key()) as low_level,
        ):
            peers: dict[str, Callable[[], object]] = {
                RAW: lambda: raw.get(PATH, params={"oId": O_ID}).json(),
                SDK: lambda: octave.products.get(O_ID),
                RAW_RESPONSE: lambda: octave.products.with_raw_response.get(O_ID),
                PER_CALL: lambda: octave.products.get(
                    O_ID, extra_headers={"X-Trace-Id": "bench"}, timeout=10.0
                ),
                "get_product.sync (low-level)": lambda: get_product.sync(
                    client=low_level, o_id=O_ID
                ),
            }
            rounds = measure(peers, args.rounds, args.block)
    instrument = statistics.median(timed_block(lambda: None, 10_000))
    command = command_line(argv, "bench.sdk_overhead", "bench-sdk")
    report = section(rounds, instrument, command, args)
    print(report)
    if not args.no_write:
        write_section(benchmarks_file(), report, HEADING)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
