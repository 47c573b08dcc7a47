"""The corpus of spec changes judged by Optic alone, by Specmatic alone and by `make diff`,
and what each judge costs.

    .venv/bin/python -m bench.spec_diff [--no-write]

Writes the "Spec change verdicts" section of BENCHMARKS.md. The corpus is
tests/spec/spec_changes.yaml; each case's verdict there is by docs/changing-the-contract.md.
Optic alone and Specmatic alone answer only "breaking or not", so they are right on a case
when they call a major change breaking and a minor or patch change not; `make diff` must also
tell a minor change from a patch.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from bench.lib.common import command_line
from bench.lib.report import benchmarks_file, write_section
from spec_tools import optic, specmatic
from spec_tools.compatibility import (
    OPTIC,
    SPECMATIC,
    Judgement,
    combine,
    comparable,
    judge,
    scratch_repository,
)
from spec_tools.git import ToolError, run_tool, tool_seconds
from spec_tools.specmatic_tests import specmatic_jar
from spec_tools.verdicts import Level
from tests.spec.spec_changes import SpecChange, spec_changes

HEADING = "## Spec change verdicts"
T = TypeVar("T")


def timed(call: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = call()
    return result, time.perf_counter() - started


def mark(right: bool) -> str:
    return "yes" if right else "**no**"


def verdict_table(cases: Sequence[SpecChange], judgements: Sequence[Judgement]) -> str:
    rows = ["| change | verdict | Optic alone | Specmatic alone | make diff |", "| --- " * 5 + "|"]
    for case, judgement in zip(cases, judgements, strict=True):
        cells = [case.name, str(case.verdict)]
        for tool in (OPTIC, SPECMATIC):
            breaking = judgement.breaking_by(tool)
            right = breaking == (case.verdict is Level.MAJOR)
            cells.append(f"{'breaking' if breaking else 'no break'} ({mark(right)})")
        cells.append(f"{judgement.level} ({mark(judgement.level is case.verdict)})")
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def right_counts(cases: Sequence[SpecChange], judgements: Sequence[Judgement]) -> dict[str, int]:
    counts = dict.fromkeys((OPTIC, SPECMATIC, "make diff"), 0)
    for case, judgement in zip(cases, judgements, strict=True):
        for tool in (OPTIC, SPECMATIC):
            counts[tool] += judgement.breaking_by(tool) == (case.verdict is Level.MAJOR)
        counts["make diff"] += judgement.level is case.verdict
    return counts


def java_start_seconds() -> float:
    """The JVM starting Specmatic and printing its version: what every Specmatic run pays."""
    argv = ["java", "-jar", str(specmatic_jar()), "--version"]
    completed, seconds = timed(lambda: run_tool(argv, Path.cwd(), tool_seconds(0)))
    if completed.returncode != 0:
        raise ToolError(f"{' '.join(argv)} failed:\n{completed.stderr}")
    return seconds


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m bench.spec_diff", description=__doc__)
    parser.add_argument("--no-write", action="store_true", help="print, do not write")
    args = parser.parse_args(argv)
    load = os.getloadavg()
    started = datetime.now(UTC)
    cases = spec_changes()
    changes = comparable([case.as_change() for case in cases])
    names = [change.name for change in changes]
    # Each tool alone over the whole batch, one after the other, to time each.
    with scratch_repository(changes) as repo:
        by_optic, optic_seconds = timed(lambda: optic.compare(repo, names))
        by_specmatic, specmatic_seconds = timed(lambda: specmatic.compare(repo, names))
    judgements = combine(changes, by_optic, by_specmatic)
    # What one `make diff` costs: the judge of one change, both tools at once.
    single, single_seconds = timed(lambda: judge([changes[0]]))
    assert single[0].level is judgements[0].level
    jvm_seconds = java_start_seconds()
    counts = right_counts(cases, judgements)
    total = len(cases)
    command = command_line(argv, "bench.spec_diff", "bench-diff")
    section = f"""{HEADING}

Measured {started:%Y-%m-%d %H:%M} UTC with `{command}`, on {os.cpu_count()} CPUs (load
average before the run: {", ".join(f"{value:.2f}" for value in load)}). The corpus is
`tests/spec/spec_changes.yaml`: {total} changes to `openapi.yaml`, each with its verdict by
docs/changing-the-contract.md. Optic alone (`optic diff-all --check`) and Specmatic alone
(`specmatic backward-compatibility-check`) say only "breaking or not": they are right when
they call a major change breaking and a minor or patch change not. `make diff` (both tools
and the kit's rules) must give the verdict itself.

Judged right: Optic alone {counts[OPTIC]}/{total}, Specmatic alone {counts[SPECMATIC]}/{total},
`make diff` {counts["make diff"]}/{total}.

{verdict_table(cases, judgements)}

Cost, in seconds of wall time:

| run | seconds |
| --- | ---: |
| Optic over the {total} changes, one run | {optic_seconds:.1f} |
| Specmatic over the {total} changes, one run | {specmatic_seconds:.1f} |
| Specmatic's JVM starting (`java -jar specmatic.jar --version`) | {jvm_seconds:.1f} |
| one `make diff`'s judge (one change, both tools at once) | {single_seconds:.1f} |
"""
    print(section)
    if not args.no_write:
        write_section(benchmarks_file(), section, HEADING)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
