"""What every benchmark shares: BENCHMARKS.md's one writer, its tables, the rounds' order.

BENCHMARKS.md holds one section per tool (mock throughput, contract test speed, ...):
`write_section` rewrites only the section under the tool's heading, up to the next
heading of level 1 or 2, and keeps everything else byte for byte; a section not
there yet is appended at the end. The throughput run's summaries and ratios live
here too (SECTION_HEADING is its heading), and the watch on the machine's load that
keeps figures taken on a busy machine out of the file (MachineLoad).
"""

from __future__ import annotations

import os
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from tabulate import tabulate

from bench.lib.common import checkout_dir
from bench.lib.wrk import WrkResult


def benchmarks_file() -> Path:
    return checkout_dir() / "BENCHMARKS.md"


SECTION_HEADING = "## Mock server throughput"
FILE_PREAMBLE = (
    "# Benchmarks\n\n"
    "Measured figures of the kit. Each section is written by the tool it names;\n"
    "re-running that tool rewrites its own section and leaves the others alone.\n"
)
TARGET_VS_PRISM = 3.0
# The bare endpoint answers a fixed body; the mock's update also writes the store.
TARGET_VS_BARE = {"getProduct": 0.7, "updateReference": 0.6}
TARGET_JOURNAL = 0.9  # the mock with its request journal on, over the same mock with it off
TARGET_WORKERS = 1.4  # two workers over one, on reads
TARGET_STARTUP_SECONDS = 0.5
# Figures taken while the 1-minute load average is above this many times the cores
# measure the machine, not the code: they are not written.
NOISY_LOAD_PER_CORE = 2.0


@dataclass(frozen=True)
class Summary:
    server: str
    operation: str
    rps: float  # median over rounds
    rps_min: float
    rps_max: float
    p50_ms: float  # median over rounds of each round's percentile
    p99_ms: float
    requests: int
    errors: int
    wrk_cpu: float  # the most wrk used of one core in any round
    server_cpu_us: float | None = None  # median over rounds of the server's CPU per request


def summarize(server: str, operation: str, results: Sequence[WrkResult]) -> Summary:
    median = statistics.median
    rates = [result.rps for result in results]
    return Summary(
        server=server,
        operation=operation,
        rps=median(rates),
        rps_min=min(rates),
        rps_max=max(rates),
        p50_ms=median(result.latency_us["p50"] for result in results) / 1000,
        p99_ms=median(result.latency_us["p99"] for result in results) / 1000,
        requests=sum(result.requests for result in results),
        errors=sum(result.error_count for result in results),
        wrk_cpu=max(result.wrk_cpu for result in results),
        server_cpu_us=_median_or_none([result.server_cpu_us_per_request for result in results]),
    )


def cpu_cost(server: Summary, peer: Summary) -> str:
    """A Markdown item: what `server` costs per request in CPU over `peer` (from the
    "Server CPU" column)."""
    if server.server_cpu_us is None or peer.server_cpu_us is None:
        return f"- {server.server}, {server.operation}: not measured (no /proc)"
    cost = server.server_cpu_us - peer.server_cpu_us
    return (
        f"- {server.server} over {peer.server}, {server.operation}: {cost:+.1f} µs "
        f"({server.server_cpu_us:.1f} against {peer.server_cpu_us:.1f}, "
        f"{cost / peer.server_cpu_us:+.0%})"
    )


def _median_or_none(values: Sequence[float | None]) -> float | None:
    known = [value for value in values if value is not None]
    return statistics.median(known) if known else None


@dataclass(frozen=True)
class Ratio:
    operation: str
    server: str  # whose req/s is over the other's
    versus: str
    value: float  # ratio of the medians
    low: float  # lowest and highest ratio within one round
    high: float
    target: float

    @property
    def met(self) -> bool:
        return self.value >= self.target


def ratio(
    operation: str,
    server: str,
    versus: str,
    target: float,
    results: dict[tuple[str, str], list[WrkResult]],
) -> Ratio:
    """`server`'s req/s over `versus`'s on one operation, from the runs of the same rounds."""
    runs, other_runs = results[server, operation], results[versus, operation]
    per_round = [m.rps / o.rps for m, o in zip(runs, other_runs, strict=True) if o.rps]
    value = statistics.median(r.rps for r in runs) / statistics.median(r.rps for r in other_runs)
    return Ratio(operation, server, versus, value, min(per_round), max(per_round), target)


T = TypeVar("T")


def rotated(items: Sequence[T], round_index: int) -> list[T]:
    """The order of one round: each round starts one item later, so the machine's
    drift during a round falls on every peer alike over the rounds."""
    shift = round_index % len(items)
    return [*items[shift:], *items[:shift]]


def markdown_table(
    header: Sequence[str], rows: Sequence[Sequence[str]], right: set[int] | None = None
) -> str:
    """A Markdown table of formatted cells; the columns numbered in `right` align right."""
    align = ["right" if index in (right or set()) else "left" for index in range(len(header))]
    return tabulate(rows, headers=header, tablefmt="pipe", colalign=align, disable_numparse=True)


def figures_table(summaries: Sequence[Summary]) -> str:
    header = [
        "Server",
        "Operation",
        "req/s (median)",
        "req/s (min-max)",
        "p50 ms",
        "p99 ms",
        "Errors / requests",
        "Server CPU µs / request",
        "wrk CPU (max)",
    ]
    rows = [
        [
            s.server,
            s.operation,
            f"{s.rps:,.0f}",
            f"{s.rps_min:,.0f}-{s.rps_max:,.0f}",
            f"{s.p50_ms:.2f}",
            f"{s.p99_ms:.2f}",
            f"{s.errors} / {s.requests:,}",
            "-" if s.server_cpu_us is None else f"{s.server_cpu_us:.1f}",
            f"{s.wrk_cpu * 100:.0f}%",
        ]
        for s in summaries
    ]
    return markdown_table(header, rows, right=set(range(2, len(header))))


def ratios_table(ratios: Sequence[Ratio]) -> str:
    header = ["Operation", "Ratio", "Value", "Per round", "Target", "Met"]
    rows = [
        [
            r.operation,
            f"{r.server} / {r.versus}",
            f"{r.value:.2f}",
            f"{r.low:.2f}-{r.high:.2f}",
            f">= {r.target:g}",
            "yes" if r.met else "**no**",
        ]
        for r in ratios
    ]
    return markdown_table(header, rows, right={2, 3})


def replace_section(document: str, section: str, heading: str = SECTION_HEADING) -> str:
    """The document with its `heading` section replaced by `section` (or appended)."""
    lines = document.splitlines(keepends=True)
    start = next((i for i, text in enumerate(lines) if text.rstrip() == heading), None)
    block = section.rstrip("\n") + "\n"
    if start is None:
        head = document.rstrip("\n")
        return (head + "\n\n" if head else "") + block
    end, fenced = len(lines), False
    for index in range(start + 1, len(lines)):
        text = lines[index]
        if text.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and (text.startswith("# ") or text.startswith("## ")):
            end = index
            break
    tail = "".join(lines[end:])
    return "".join(lines[:start]) + block + ("\n" + tail if tail else "")


class MachineLoad:
    """The machine's 1-minute load average over a benchmark's run, sampled before it, between
    its measurements and after it; the run's own processes count too (about 2 on 2 cores)."""

    def __init__(self) -> None:
        self.cores = len(os.sched_getaffinity(0))
        self.samples = [os.getloadavg()[0]]

    def sample(self) -> None:
        self.samples.append(os.getloadavg()[0])

    @property
    def limit(self) -> float:
        return NOISY_LOAD_PER_CORE * self.cores

    @property
    def noisy(self) -> bool:
        return max(self.samples) > self.limit

    def describe(self) -> str:
        """The load, for the section and the console: at the start and at its highest."""
        verdict = "**noisy**" if self.noisy else "quiet enough"
        return (
            f"1-minute load average {self.samples[0]:.2f} at the start and {max(self.samples):.2f} "
            f"at most during the run, on {self.cores} cores ({verdict}: figures are written "
            f"only at a load of at most {self.limit:g}, {NOISY_LOAD_PER_CORE:g}x the cores)"
        )

    def refusal(self) -> str | None:
        """Why the figures must not be written, if the machine was too busy."""
        if not self.noisy:
            return None
        return (
            f"not written: the load average reached {max(self.samples):.2f}, above "
            f"{self.limit:g} ({NOISY_LOAD_PER_CORE:g}x the {self.cores} cores), so these "
            "figures measure the machine; re-run on a quiet machine"
        )


def write_section(path: Path, section: str, heading: str = SECTION_HEADING) -> None:
    """Rewrite the `heading` section of the file (which `section` starts with)."""
    document = path.read_text(encoding="utf-8") if path.exists() else FILE_PREAMBLE
    path.write_text(replace_section(document, section, heading), encoding="utf-8")
