"""`pytest --octave-coverage`: what a team's tests exercised of the contract, for the session.

Each mock the fixtures start keeps its responses in its journal; before each
reset and when the session's mocks stop, the journal is read into the session's
traffic (octave_kit.traffic). At the end of a process the traffic becomes its
coverage (octave_kit.coverage); under pytest-xdist each worker sends its own
to the controller (workeroutput), which merges them by union, so `-n 2` gives
the report a serial run gives. Options are modelled on pytest-cov's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from octave_kit.coverage import Coverage, Model, coverage_of
from octave_kit.coverage_report import Gate, from_json, terminal, to_json, write
from octave_kit.spec import Spec
from octave_kit.traffic import TESTS, Traffic, from_journal
from octave_mock.testing import RunningMock

COVERAGE_OPTION = "octave_coverage"
REPORT_OPTION = "octave_coverage_report"
FAIL_UNDER_OPTION = "octave_coverage_fail_under"
WORKER_OUTPUT = "octave_coverage"
DEFAULT_FILES = {
    "json": "octave-coverage.json",
    "markdown": "octave-coverage.md",
    "html": "octave-coverage.html",
}
REPORT_TYPES = ("term", "term-missing", *DEFAULT_FILES)
COULD_NOT_JUDGE = 2


def add_options(parser: pytest.Parser, group: pytest.OptionGroup) -> None:
    group.addoption(
        "--octave-coverage",
        dest=COVERAGE_OPTION,
        action="store_true",
        default=None,
        help="report what the tests exercised of Octave's contract (docs/testing-your-app.md)",
    )
    group.addoption(
        "--octave-coverage-report",
        dest=REPORT_OPTION,
        action="append",
        metavar="TYPE[:PATH]",
        help="term (the default), term-missing, json, markdown or html; a file type may name "
        "its path (default octave-coverage.json, .md, .html); repeat for several",
    )
    group.addoption(
        "--octave-coverage-fail-under",
        dest=FAIL_UNDER_OPTION,
        action="append",
        metavar="[DIMENSION=]PERCENT",
        help="fail (exit 1) when the total, or a dimension (statuses=100: every documented "
        "status met), is under PERCENT; repeat for several",
    )
    parser.addini(COVERAGE_OPTION, "report coverage of Octave's contract", type="bool")
    parser.addini(REPORT_OPTION, "coverage reports, as --octave-coverage-report", type="linelist")
    parser.addini(FAIL_UNDER_OPTION, "coverage gates, as --octave-coverage-fail-under", "linelist")


def _choices(config: pytest.Config, name: str) -> list[str]:
    given = config.getoption(name)
    return list(given) if given else [str(line) for line in config.getini(name)]


def reports(config: pytest.Config) -> list[tuple[str, Path | None]]:
    """The reports asked for, each (type, path); a bad type is a usage error naming it."""
    chosen: list[tuple[str, Path | None]] = []
    for text in _choices(config, REPORT_OPTION) or ["term"]:
        kind, _, path = text.partition(":")
        if kind not in REPORT_TYPES:
            raise pytest.UsageError(
                f"--octave-coverage-report {text}: not a report type ({', '.join(REPORT_TYPES)})"
            )
        if kind.startswith("term"):
            chosen.append((kind, None))
        else:
            where = Path(path) if path else Path(DEFAULT_FILES[kind])
            chosen.append((kind, config.invocation_params.dir / where))
    return chosen


def gates(config: pytest.Config) -> list[Gate]:
    found = []
    for text in _choices(config, FAIL_UNDER_OPTION):
        try:
            found.append(Gate.parse(text))
        except ValueError as error:
            raise pytest.UsageError(f"--octave-coverage-fail-under {text}: {error}") from None
    return found


def wanted(config: pytest.Config) -> bool:
    given = config.getoption(COVERAGE_OPTION)
    return bool(given if given is not None else config.getini(COVERAGE_OPTION))


class SessionCoverage:
    """The session's traffic, its coverage at the end, and what to report of it."""

    def __init__(self, config: pytest.Config, spec_path: Path) -> None:
        self.config = config
        self.spec_path = spec_path
        self.reports = reports(config)
        self.gates = gates(config)
        self.traffic = Traffic(kinds={TESTS})
        self.coverage: Coverage | None = None
        self.problems: list[str] = []
        self.written: list[Path] = []
        if config.pluginmanager.hasplugin("xdist"):
            config.pluginmanager.register(WorkerMerge(self))

    def read_journal(self, mock: RunningMock) -> None:
        """What the mock answered since its last reset: call before each reset, and at the end."""
        self.traffic.add(from_journal(entry.__dict__ for entry in mock.requests()))

    def own_coverage(self) -> Coverage:
        if self.coverage is None:
            self.coverage = coverage_of(Model(Spec.load(self.spec_path)), self.traffic)
        return self.coverage

    def add_worker(self, document: dict[str, Any]) -> None:
        worker = from_json(self.own_coverage().model, Path("<worker>"), document)
        self.coverage = self.own_coverage().merged(worker)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        coverage = self.own_coverage()
        workeroutput = getattr(self.config, "workeroutput", None)
        if workeroutput is not None:  # an xdist worker: the controller reports
            workeroutput[WORKER_OUTPUT] = to_json(coverage)
            return
        for kind, path in self.reports:
            if path is not None:
                try:
                    write(coverage, kind, path)
                    self.written.append(path)
                except OSError as error:
                    self.problems.append(f"{path}: cannot write the {kind} report: {error}")
        failures = [failure for gate in self.gates if (failure := gate.failure(coverage))]
        self.problems += [f"coverage failed: {failure}" for failure in failures]
        if self.problems and session.exitstatus == 0:
            session.exitstatus = 1 if failures else COULD_NOT_JUDGE

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if self.coverage is None or hasattr(self.config, "workeroutput"):
            return
        terminalreporter.write_sep("-", "Octave contract coverage")
        for kind, _ in self.reports:
            if kind.startswith("term"):
                terminalreporter.write_line(terminal(self.coverage, kind == "term-missing"))
        for path in self.written:
            terminalreporter.write_line(f"Coverage written to {path}")
        for problem in self.problems:
            terminalreporter.write_line(problem, red=True)


class WorkerMerge:
    """On the xdist controller: each worker's coverage, merged into the session's."""

    def __init__(self, session: SessionCoverage) -> None:
        self.session = session

    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        document = getattr(node, "workeroutput", {}).get(WORKER_OUTPUT)
        if document is not None:
            self.session.add_worker(document)
