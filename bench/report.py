"""Summaries of the runs, the table, and the BENCHMARKS.md section that holds them.

BENCHMARKS.md may hold other sections (contract test speed, ...): a tool
rewrites only the section under its own heading (SECTION_HEADING here), up to
the next heading of level 1 or 2, and keeps everything else byte for byte; a
section not there yet is appended at the end.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.wrk import WrkResult

SECTION_HEADING = "## Mock server throughput"
FILE_PREAMBLE = (
    "# Benchmarks\n\n"
    "Measured figures of the kit. Each section is written by the tool it names;\n"
    "re-running that tool rewrites its own section and leaves the others alone.\n"
)
TARGET_VS_PRISM = 3.0
TARGET_VS_BARE = 0.5
TARGET_STARTUP_SECONDS = 0.5


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
    )


@dataclass(frozen=True)
class Ratio:
    operation: str
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
    versus: str,
    target: float,
    mock_runs: Sequence[WrkResult],
    other_runs: Sequence[WrkResult],
) -> Ratio:
    per_round = [m.rps / o.rps for m, o in zip(mock_runs, other_runs, strict=True) if o.rps]
    value = statistics.median(r.rps for r in mock_runs) / statistics.median(
        r.rps for r in other_runs
    )
    return Ratio(operation, versus, value, min(per_round), max(per_round), target)


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


def figures_table(summaries: Sequence[Summary]) -> str:
    header = [
        "Server",
        "Operation",
        "req/s (median)",
        "req/s (min-max)",
        "p50 ms",
        "p99 ms",
        "Errors / requests",
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
            f"{s.wrk_cpu * 100:.0f}%",
        ]
        for s in summaries
    ]
    return _table(header, rows, right=set(range(2, len(header))))


def ratios_table(ratios: Sequence[Ratio]) -> str:
    header = ["Operation", "Ratio", "Value", "Per round", "Target", "Met"]
    rows = [
        [
            r.operation,
            f"mock / {r.versus}",
            f"{r.value:.2f}",
            f"{r.low:.2f}-{r.high:.2f}",
            f">= {r.target:g}",
            "yes" if r.met else "**no**",
        ]
        for r in ratios
    ]
    return _table(header, rows, right={2, 3})


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
