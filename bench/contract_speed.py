"""Contract test speed: cases per second, the whole suite's time, and how reliably
the broken variants of the mock are caught.

    .venv/bin/python -m bench.contract_speed [--rounds 3] [--variant-runs 5]

Writes the "Contract test speed" section of BENCHMARKS.md. Every run uses a
fresh random seed, so "caught 5/5" means five different generated suites each
found the defect, as `make test` must on every run. The variants are caught
by running their own test (tests/contract/test_broken_variants.py) under
pytest, as `make test` runs it, once per round; nothing of `tests` is imported.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree

from schemathesis.python import asgi

from bench.lib.common import checkout_dir
from bench.lib.report import benchmarks_file, markdown_table, write_section
from octave_contract.engine import BASE_URL, run_contract
from octave_contract.principles import Client, check_principles
from octave_contract.run_inputs import mock_inputs
from octave_contract.run_state import load_schema
from octave_contract.summary import read_har
from octave_kit.contract_file import SPEC_PATH
from octave_mock import Settings, create_app

# The variants' tests: in process, and over a socket (test_the_contract_catches*).
VARIANT_TESTS = ["tests/contract/test_broken_variants.py", "-k", "test_the_contract_catches"]
HEADING = "## Contract test speed"
COMMAND = ".venv/bin/python -m bench.contract_speed"


@dataclass(frozen=True)
class Timed:
    cases: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.cases / self.seconds


@dataclass
class Detection:
    variant: str
    expected_check: str
    caught: int = 0
    runs: int = 0
    seconds: list[float] = field(default_factory=list)


def in_process_round() -> Timed:
    started = time.perf_counter()
    outcome = run_contract(create_app(Settings()))
    seconds = time.perf_counter() - started
    if outcome.failures or outcome.errors:
        raise SystemExit(f"the mock failed its contract: {outcome.failures or outcome.errors}")
    report = outcome.report
    return Timed(sum(op.cases for op in report.operations) + sum(report.other.values()), seconds)


def principles_round() -> Timed:
    """The principles alone, in process: their share of every run above."""
    inputs = mock_inputs()
    spec = load_schema(inputs).raw_schema
    with asgi.get_client(create_app(Settings())) as session:  # type: ignore[arg-type]
        started = time.perf_counter()
        checked = check_principles(inputs, spec, Client(session, BASE_URL))
        seconds = time.perf_counter() - started
    if checked.findings:
        raise SystemExit(f"the mock failed a principle: {checked.findings}")
    return Timed(checked.client.sent, seconds)


def cli_round() -> Timed:
    with tempfile.TemporaryDirectory() as reports:
        command = [sys.executable, "-m", "octave_contract", "mock", "--report-dir", reports]
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=checkout_dir())  # noqa: S603
        seconds = time.perf_counter() - started
        report = read_har(Path(reports) / "har.json", SPEC_PATH)
    return Timed(sum(op.cases for op in report.operations) + sum(report.other.values()), seconds)


def detect(runs: int) -> list[Detection]:
    """Run the variants' test `runs` times; per variant, how often it passed (= caught)."""
    found: dict[str, Detection] = {}
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as scratch:
            junit = Path(scratch) / "variants.xml"
            # One worker per core, as `make test` runs it.
            command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "auto"]
            # xunit1: the JUnit flavour that keeps the recorded expected_check property.
            command += [*VARIANT_TESTS, f"--junitxml={junit}", "-o", "junit_family=xunit1"]
            ran = subprocess.run(  # noqa: S603
                command, capture_output=True, text=True, cwd=checkout_dir(), check=False
            )
            if not junit.exists():
                raise SystemExit(f"pytest did not run the variants:\n{ran.stdout}{ran.stderr}")
            for case in ElementTree.parse(junit).getroot().iter("testcase"):  # noqa: S314 - our own report
                name = case.attrib["name"].split("[", 1)[1].rstrip("]")
                check = case.find("properties/property[@name='expected_check']")
                expected = "" if check is None else check.attrib["value"]
                detection = found.setdefault(name, Detection(name, expected))
                detection.runs += 1
                detection.caught += case.find("failure") is None and case.find("error") is None
                detection.seconds.append(float(case.attrib["time"]))
    return list(found.values())


def whole_suite() -> tuple[str, float]:
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "auto"]
    started = time.perf_counter()
    result = subprocess.run(  # noqa: S603
        command, capture_output=True, text=True, cwd=checkout_dir(), check=False
    )
    seconds = time.perf_counter() - started
    tally = re.findall(r"^(\d+ passed.*?) in [\d.]+s", result.stdout, re.MULTILINE)
    return (tally[-1] if tally else f"pytest exited {result.returncode}"), seconds


def section(
    in_process: list[Timed],
    principles: list[Timed],
    cli: Timed,
    detections: list[Detection],
    suite: tuple[str, float],
) -> str:
    median = statistics.median
    rows = [
        [d.variant, f"`{d.expected_check}`", f"{d.caught}/{d.runs}", f"{median(d.seconds):.2f}"]
        for d in detections
    ]
    header = ["variant", "expected check", "caught", "median time to catch (s)"]
    runs = ", ".join(f"{t.cases} cases in {t.seconds:.1f} s" for t in in_process)
    missed = [d.variant for d in detections if d.caught < d.runs]
    verdict = (
        "every variant was caught in every run above"
        if not missed
        else f"{len(missed)} variants were missed in some run: {', '.join(missed)}"
    )
    return "\n".join(
        [
            HEADING,
            "",
            f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, with `{COMMAND}`.",
            "",
            "**The contract against the mock** (every phase and check, "
            "`generation.max-examples = 50` in schemathesis.toml):",
            "",
            f"- in-process over ASGI: {median(t.per_second for t in in_process):.0f} cases/s "
            f"(median of {len(in_process)} rounds: {runs});",
            f"- of which the principles (fixed requests, docs/contract-tests.md): "
            f"{principles[0].cases} requests in "
            f"{median(t.seconds for t in principles):.2f} s (median of {len(principles)});",
            f"- `make contract` (CLI, mock over HTTP, start and stop included): {cli.cases} cases "
            f"in {cli.seconds:.1f} s, {cli.per_second:.0f} cases/s.",
            "",
            "**Broken variants**, each run with a fresh random seed and stopped once the "
            "expected check fails:",
            "",
            markdown_table(header, rows, right={2, 3}),
            "",
            "**The whole test suite** (`pytest -n auto`, i.e. `make test` once set up): "
            f"{suite[0]} in {suite[1]:.0f} s.",
            "",
            f"At 50 examples per operation {verdict}.",
            "",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.contract_speed", description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--variant-runs", type=int, default=5)
    parser.add_argument("--output", type=Path, default=benchmarks_file())
    args = parser.parse_args(argv)
    in_process = [in_process_round() for _ in range(args.rounds)]
    principles = [principles_round() for _ in range(args.rounds)]
    cli = cli_round()
    detections = detect(args.variant_runs)
    suite = whole_suite()
    text = section(in_process, principles, cli, detections, suite)
    print(text)
    write_section(args.output, text, HEADING)
    return 0 if all(d.caught == d.runs for d in detections) else 1


if __name__ == "__main__":
    raise SystemExit(main())
