"""`octave-mock coverage FILE...`: the contract's coverage from traffic files and coverage files.

Each FILE is a HAR file (a contract run's, or an app's or a browser's), the
proxy's JSON Lines report, a traffic file, or a coverage JSON file written
before (by the pytest plugin, `make contract` or this command); all are merged
into one report, so runs combine (a team's tests and a nightly live run).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from octave_kit.contract_file import SPEC_PATH
from octave_kit.coverage import Coverage, Model, coverage_of
from octave_kit.coverage_report import (
    CoverageFileError,
    Gate,
    from_json,
    is_coverage_file,
    terminal,
    write,
)
from octave_kit.spec import Spec
from octave_kit.traffic import TrafficError, read_file

REPORT_TYPES = ("term", "term-missing", "json", "markdown", "html")
FILE_TYPES = ("json", "markdown", "html")


def add_command(commands: argparse._SubParsersAction[Any], spec_help: str) -> None:
    command = commands.add_parser(
        "coverage",
        help="what traffic (HAR, the proxy's report, coverage files) exercised of the contract",
        description=__doc__,
    )
    command.add_argument(
        "files",
        nargs="+",
        type=Path,
        metavar="FILE",
        help="a HAR file, the proxy's report, a traffic file or a coverage JSON file",
    )
    command.add_argument("--spec", type=Path, default=SPEC_PATH, help=spec_help)
    command.add_argument(
        "--report",
        action="append",
        metavar="TYPE[:PATH]",
        type=_report,
        help="term (the default), term-missing, or json, markdown, html with a PATH "
        "(- for standard output); repeat for several",
    )
    command.add_argument(
        "--fail-under",
        action="append",
        default=[],
        metavar="[DIMENSION=]PERCENT",
        type=_gate,
        help="exit 1 when the total, or a dimension (statuses=100: every documented status "
        "met), is under PERCENT; repeat for several",
    )


def _report(text: str) -> tuple[str, str | None]:
    kind, _, path = text.partition(":")
    if kind not in REPORT_TYPES:
        raise argparse.ArgumentTypeError(f"{text}: not a report type ({', '.join(REPORT_TYPES)})")
    if kind in FILE_TYPES and not path:
        raise argparse.ArgumentTypeError(f"{text}: say where, e.g. {kind}:coverage.{kind[:4]}")
    return kind, path or None


def _gate(text: str) -> Gate:
    try:
        return Gate.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def run(args: argparse.Namespace) -> int:
    """0: every gate passed; 1: a gate failed, naming what is missing; 2: a file is unreadable."""
    model = Model(Spec.load(args.spec))
    try:
        coverage = combined(model, args.files)
    except (TrafficError, CoverageFileError) as error:
        print(f"octave-mock coverage: {error}", file=sys.stderr)
        return 2
    for kind, path in args.report or [("term", None)]:
        if kind.startswith("term"):
            print(terminal(coverage, missing=kind == "term-missing"))
        elif path == "-":
            write(coverage, kind, Path("/dev/stdout"))
        else:
            try:
                write(coverage, kind, Path(path))
            except OSError as error:  # worded as the pytest plugin words it
                print(
                    f"octave-mock coverage: {path}: cannot write the {kind} report: {error}",
                    file=sys.stderr,
                )
                return 2
            print(f"Coverage written to {path}")
    failures = [failure for gate in args.fail_under if (failure := gate.failure(coverage))]
    for failure in failures:
        print(f"coverage failed: {failure}", file=sys.stderr)
    return 1 if failures else 0


def combined(model: Model, files: list[Path]) -> Coverage:
    """Every file's coverage, merged: a coverage file as it is, traffic computed from."""
    total: Coverage | None = None
    for path in files:
        document = _json_document(path)
        if is_coverage_file(document):
            found = from_json(model, path, document)
        else:
            found = coverage_of(model, read_file(path))
        total = found if total is None else total.merged(found)
    assert total is not None  # argparse asks for at least one file
    return total


def _json_document(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise TrafficError(f"{path}: cannot read it ({error})") from None
    except json.JSONDecodeError:
        return None  # JSON Lines, or not JSON: read_file says which
