"""Summaries of the runs, the table, and the BENCHMARKS.md section that holds them.

BENCHMARKS.md may hold other sections (contract test speed, ...): a tool
rewrites only the section under its own heading (SECTION_HEADING here), up to
the next heading of level 1 or 2, and keeps everything else byte for byte; a
section not there yet is appended at the end.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.loadgen import LoadResult

SECTION_HEADING = "## Mock server throughput"
FILE_PREAMBLE = (
    "# Benchmarks\n\n"
    "Measured figures of the kit. Each section is written by the tool it names;\n"
    "re-running that tool rewrites its own section and leaves the others alone.\n"
)
TARGET_VS_PRISM = 2.0
TARGET_VS_BARE = 0.5


@dataclass(frozen=True)
class Summary:
    server: str
    operation: str
    rps: float  # median over rounds
    rps_min: float
    rps_max: float
    p50_ms: float  # of every request of every round
    p99_ms: float
    checked: int
    errors: int
    error_kinds: dict[str, int]
    server_cpu: float | None  # median over rounds, 1.0 = one core
    loadgen_cpu: float
    other_cpu: float | None  # the rest of the machine (other processes), median over rounds
    per_core: float | None  # req/s per core the server used: median over rounds of rps/cpu
    body_bytes: int
    rounds: int


def percentile(sorted_values: Sequence[int], fraction: float) -> float:
    """Nearest-rank percentile of sorted values."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return float(sorted_values[min(rank, len(sorted_values)) - 1])


def other_cpu(result: LoadResult) -> float | None:
    """CPU the rest of the machine used while measured: the noise, in cores."""
    if result.machine_cpu is None or result.server_cpu is None:
        return None
    return max(0.0, result.machine_cpu - result.server_cpu - result.loadgen_cpu)


def rps_per_core(result: LoadResult) -> float | None:
    """Requests per CPU-second of the server: its speed with the noise taken out."""
    if not result.server_cpu:
        return None
    return result.rps / result.server_cpu


def summarize(server: str, operation: str, results: Sequence[LoadResult]) -> Summary:
    latencies = sorted(us for result in results for us in result.latencies_us)
    rates = [result.rps for result in results]
    cpus = [result.server_cpu for result in results if result.server_cpu is not None]
    others = [other for result in results if (other := other_cpu(result)) is not None]
    per_core = [rate for result in results if (rate := rps_per_core(result)) is not None]
    kinds: dict[str, int] = {}
    for result in results:
        for kind, count in result.error_kinds.items():
            kinds[kind] = kinds.get(kind, 0) + count
    return Summary(
        server=server,
        operation=operation,
        rps=statistics.median(rates),
        rps_min=min(rates),
        rps_max=max(rates),
        p50_ms=percentile(latencies, 0.50) / 1000,
        p99_ms=percentile(latencies, 0.99) / 1000,
        checked=sum(result.checked for result in results),
        errors=sum(result.errors for result in results),
        error_kinds=kinds,
        server_cpu=statistics.median(cpus) if cpus else None,
        loadgen_cpu=statistics.median(result.loadgen_cpu for result in results),
        other_cpu=statistics.median(others) if others else None,
        per_core=statistics.median(per_core) if per_core else None,
        body_bytes=results[-1].body_bytes,
        rounds=len(results),
    )


@dataclass(frozen=True)
class Ratio:
    operation: str
    versus: str  # "prism" or "bare"
    value: float  # ratio of the medians
    low: float  # lowest and highest ratio within one round
    high: float
    target: float
    per_core: float | None  # the ratio of the medians of req/s per server core

    @property
    def met(self) -> bool:
        return self.value >= self.target


def ratio(
    operation: str,
    versus: str,
    target: float,
    mock_runs: Sequence[LoadResult],
    other_runs: Sequence[LoadResult],
) -> Ratio:
    per_round = [m.rps / o.rps for m, o in zip(mock_runs, other_runs, strict=True) if o.rps]
    value = statistics.median(r.rps for r in mock_runs) / statistics.median(
        r.rps for r in other_runs
    )
    mine = [rate for r in mock_runs if (rate := rps_per_core(r)) is not None]
    theirs = [rate for r in other_runs if (rate := rps_per_core(r)) is not None]
    per_core = statistics.median(mine) / statistics.median(theirs) if mine and theirs else None
    return Ratio(operation, versus, value, min(per_round), max(per_round), target, per_core)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> str:
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        padded = (
            cell.rjust(width) if index in right else cell.ljust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        )
        return "| " + " | ".join(padded) + " |"

    rule = (
        "|"
        + "|".join(
            ("-" * (width + 1) + ":") if index in right else ("-" * (width + 2))
            for index, width in enumerate(widths)
        )
        + "|"
    )
    return "\n".join([line(header), rule, *(line(row) for row in rows)])


def _cpu(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.0f}%"


def figures_table(summaries: Sequence[Summary]) -> str:
    header = [
        "Server",
        "Operation",
        "req/s (median)",
        "req/s (min-max)",
        "p50 ms",
        "p99 ms",
        "Errors / checked",
        "Body bytes",
        "Server CPU",
        "Load gen CPU",
        "Other CPU",
        "req/s per server core",
    ]
    rows = [
        [
            s.server,
            s.operation,
            f"{s.rps:,.0f}",
            f"{s.rps_min:,.0f}-{s.rps_max:,.0f}",
            f"{s.p50_ms:.2f}",
            f"{s.p99_ms:.2f}",
            f"{s.errors} / {s.checked:,}",
            str(s.body_bytes),
            _cpu(s.server_cpu),
            _cpu(s.loadgen_cpu),
            _cpu(s.other_cpu),
            "n/a" if s.per_core is None else f"{s.per_core:,.0f}",
        ]
        for s in summaries
    ]
    return _table(header, rows, right=set(range(2, len(header))))


def ratios_table(ratios: Sequence[Ratio]) -> str:
    header = ["Operation", "Ratio", "Value", "Per round", "Target", "Met", "Per server core"]
    rows = [
        [
            r.operation,
            f"mock / {r.versus}",
            f"{r.value:.2f}",
            f"{r.low:.2f}-{r.high:.2f}",
            f">= {r.target:g}",
            "yes" if r.met else "**no**",
            "n/a" if r.per_core is None else f"{r.per_core:.2f}",
        ]
        for r in ratios
    ]
    return _table(header, rows, right={2, 3, 6})


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


def write_section(path: Path, section: str, heading: str = SECTION_HEADING) -> None:
    """Rewrite the `heading` section of the file (which `section` starts with)."""
    document = path.read_text(encoding="utf-8") if path.exists() else FILE_PREAMBLE
    path.write_text(replace_section(document, section, heading), encoding="utf-8")
