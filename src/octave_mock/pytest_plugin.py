"""The `octave_mock` pytest fixture, installed with the kit (entry point `pytest11`).

One mock per test session on a free loopback port, reset to its seed before
each test that uses it:

    def test_reads_a_product(octave_mock):
        with octave_mock.client() as octave:
            assert octave.products.get("p_acme_api").name == "Acme Onboarding API"

Options (command line, or the same names in the `[pytest]` ini section):
`--octave-mock-seed PATH` and `--octave-mock-faults "--latency-ms 50:200 ..."`
(the fault options of `octave-mock serve`); `--octave-pact FILE` writes what the
session's tests exchanged with their mocks as a Pact file (with
`--octave-pact-consumer`, default the project's name, and `--octave-pact-provider`,
default Octave), every xdist worker's traffic in it. Per module, class or test:
`@pytest.mark.octave_mock(seed=..., faults=...)`, or an override of
`octave_mock_settings` at any scope. They add up key by key: the markers over the
settings, the test's over its class's over its module's, the nearest naming a key
winning it. Each distinct choice gets a mock of its own, started once per session.
A choice that cannot take effect is a usage error.
`--octave-coverage` reports what the tests exercised of the contract
(octave_mock.pytest_coverage).
"""

from __future__ import annotations

import argparse
import functools
import shlex
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from octave_kit.pact_writer import DEFAULT_PROVIDER, project_name
from octave_kit.seed import SeedError, load_seed
from octave_kit.spec import Spec
from octave_mock import pytest_coverage
from octave_mock.faults import (
    FaultInjector,
    Faults,
    UnknownOperation,
    add_fault_arguments,
    faults_from,
)
from octave_mock.pact_recording import WORKER_OUTPUT, PactRecorder
from octave_mock.settings import Settings
from octave_mock.testing import RunningMock, running_mock

SEED_OPTION = "octave_mock_seed"
FAULTS_OPTION = "octave_mock_faults"
PACT_OPTION = "octave_pact"
CONSUMER_OPTION = "octave_pact_consumer"
PROVIDER_OPTION = "octave_pact_provider"
PACT = pytest.StashKey[PactRecorder]()
PACT_SAID = pytest.StashKey[str]()
SETTINGS = pytest.StashKey[Settings]()
MARKED = pytest.StashKey[dict[str, Any]]()
COVERAGE = pytest.StashKey[pytest_coverage.SessionCoverage]()
MARKER = "octave_mock"
# What a marker may choose: Settings fields, the seed by its path from the test file's folder.
MARKER_CHOICES = ("seed", "faults", "validate_responses", "journal_size", "max_body_bytes")
MARKER_HELP = (
    "the octave_mock fixture's settings for this test, class or module; seed relative to "
    "the test file, faults as a Faults or serve's fault flags"
)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("octave-mock", "the Octave mock server (octave_mock fixture)")
    group.addoption(
        "--octave-mock-seed",
        dest=SEED_OPTION,
        metavar="PATH",
        help="seed YAML for the octave_mock fixture (default: the bundled seed)",
    )
    group.addoption(
        "--octave-mock-faults",
        dest=FAULTS_OPTION,
        metavar="FLAGS",
        help='fault options of `octave-mock serve`, e.g. "--latency-ms 50:200 --rate-limit 5/s"',
    )
    group.addoption(
        "--octave-pact",
        dest=PACT_OPTION,
        metavar="FILE",
        help="write what the tests exchanged with the octave_mock fixture as a Pact file",
    )
    group.addoption(
        "--octave-pact-consumer",
        dest=CONSUMER_OPTION,
        metavar="NAME",
        help="the Pact file's consumer (default: the project's name in pyproject.toml)",
    )
    group.addoption(
        "--octave-pact-provider",
        dest=PROVIDER_OPTION,
        metavar="NAME",
        help=f"the Pact file's provider (default: {DEFAULT_PROVIDER})",
    )
    parser.addini(SEED_OPTION, "seed YAML for the octave_mock fixture")
    parser.addini(FAULTS_OPTION, "fault options of `octave-mock serve` for the octave_mock fixture")
    parser.addini(PACT_OPTION, "Pact file to write of what the tests exchanged with the mock")
    parser.addini(CONSUMER_OPTION, "the Pact file's consumer name")
    parser.addini(PROVIDER_OPTION, "the Pact file's provider name")
    pytest_coverage.add_options(parser, group)


def _option(config: pytest.Config, name: str) -> str | None:
    value = config.getoption(name) or config.getini(name)
    return str(value) if value else None


def _path_option(config: pytest.Config, name: str) -> Path | None:
    """A file option: relative to where pytest runs, or (in the ini file) to the ini's folder."""
    given = config.getoption(name)
    if given:
        return config.invocation_params.dir / str(given)
    written = config.getini(name)
    return config.rootpath / str(written) if written else None


def faults_option(text: str, what: str = "--octave-mock-faults") -> argparse.Namespace:
    """Parse fault flags as `octave-mock serve` parses them; errors name `what` and the flag."""
    parser = argparse.ArgumentParser(prog=what, add_help=False, exit_on_error=False)
    add_fault_arguments(parser)
    try:
        args, others = parser.parse_known_args(shlex.split(text))
    except argparse.ArgumentError as exc:  # `what: --flag: message`, as serve's own refusals
        raise pytest.UsageError(f"{what}: {exc.argument_name}: {exc.message}") from None
    if others:
        raise pytest.UsageError(f"{what}: not fault options: {' '.join(others)}")
    return args


def checked_settings(settings: Settings, seed_what: str, faults_what: str) -> Settings:
    """The settings, once their seed and faults are known to start a mock; else a usage error.

    One line naming the file, line and field (a seed, under `seed_what`), or the flag (a
    fault, under `faults_what`), as at start-up. The seed's path is shown as the user gave it.
    """
    if settings.seed_path is None and not settings.faults.only:
        return settings  # the bundled seed, and faults for every operation: nothing to check
    spec = _spec(settings.spec_path)
    try:
        if settings.seed_path is not None:
            load_seed(_as_given(settings.seed_path), spec)
        FaultInjector(settings.faults, list(spec.by_id))
    except SeedError as exc:
        raise pytest.UsageError(f"{seed_what}: {exc}") from None
    except UnknownOperation as exc:
        raise pytest.UsageError(f"{faults_what}: {exc.as_flag()}") from None
    return settings


def _as_given(path: Path) -> Path:
    """A path under the folder pytest runs in, relative to it, as a user names it."""
    here = Path.cwd()
    return path.relative_to(here) if path.is_relative_to(here) else path


@functools.cache
def _spec(path: Path) -> Spec:
    return Spec.load(path)


def pytest_configure(config: pytest.Config) -> None:
    """Check the options when pytest starts: a bad one is a usage error, before any test."""
    config.addinivalue_line("markers", f"{MARKER}({', '.join(MARKER_CHOICES)}): {MARKER_HELP}")
    faults = faults_from(faults_option(_option(config, FAULTS_OPTION) or ""))
    settings = Settings(seed_path=_path_option(config, SEED_OPTION), faults=faults)
    config.stash[SETTINGS] = checked_settings(
        settings, "--octave-mock-seed", "--octave-mock-faults"
    )
    if pytest_coverage.wanted(config):
        coverage = pytest_coverage.SessionCoverage(config, settings.spec_path)
        config.stash[COVERAGE] = coverage
        config.pluginmanager.register(coverage)
    pact_path = _path_option(config, PACT_OPTION)
    if pact_path is not None:
        consumer = _option(config, CONSUMER_OPTION) or project_name(config.rootpath)
        provider = _option(config, PROVIDER_OPTION) or DEFAULT_PROVIDER
        config.stash[PACT] = PactRecorder(pact_path, consumer, provider)
        if config.pluginmanager.hasplugin("xdist"):
            config.pluginmanager.register(_WorkersTraffic(config), "octave-pact-workers")


class _WorkersTraffic:
    """Under xdist: each worker's kept traffic, merged by the controller as workers finish."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config

    @pytest.hookimpl
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        output = getattr(node, "workeroutput", {}).get(WORKER_OUTPUT)
        if output:
            self.config.stash[PACT].merge(output)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """A worker hands its traffic to the controller; the controller (or a lone process) writes."""
    recorder = session.config.stash.get(PACT, None)
    if recorder is None:
        return
    workerinput = getattr(session.config, "workeroutput", None)
    if workerinput is not None:
        workerinput[WORKER_OUTPUT] = recorder.worker_output()
        return
    count = recorder.write()
    said = f"{count} interaction{'s' if count != 1 else ''} from {len(recorder.sent)} requests"
    if recorder.left_out:
        said += f"; {recorder.left_out} left out: of a test's own seed, or not JSON"
    session.config.stash[PACT_SAID] = f"octave-mock: wrote {_as_given(recorder.path)} ({said})"


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    said = config.stash.get(PACT_SAID, None)
    if said:
        terminalreporter.write_line(said)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every marker is checked before any test runs: one that cannot take effect is an error.

    A test's choices are those of its module's, class's and own markers, key by key, the
    nearest marker winning each key it names (iter_markers gives the nearest first).
    """
    for item in items:
        markers = list(item.iter_markers(MARKER))
        if not markers:
            continue
        uses_fixture = "octave_mock" in getattr(item, "fixturenames", ())
        if not uses_fixture and any(m.name == MARKER for m in item.own_markers):
            raise pytest.UsageError(
                f"{item.nodeid}: @pytest.mark.{MARKER} has no effect: "
                "the test does not use the octave_mock fixture"
            )
        choices: dict[str, Any] = {}
        for marker in reversed(markers):
            choices.update(marked_choices(marker, item.path.parent, item.nodeid))
        item.stash[MARKED] = choices


def marked_choices(marker: pytest.Mark, folder: Path, where: str) -> dict[str, Any]:
    """The Settings fields a marker chooses; a bad choice is a usage error naming it."""
    what = f"{where}: @pytest.mark.{MARKER}"
    if marker.args:
        raise pytest.UsageError(f"{what}: takes keywords only ({', '.join(MARKER_CHOICES)})")
    unknown = set(marker.kwargs) - set(MARKER_CHOICES)
    if unknown:
        raise pytest.UsageError(
            f"{what}: {', '.join(sorted(unknown))}: not a choice ({', '.join(MARKER_CHOICES)})"
        )
    choices = dict(marker.kwargs)
    if "seed" in choices:
        choices["seed_path"] = folder / str(choices.pop("seed"))
    faults = choices.get("faults")
    if isinstance(faults, str):
        choices["faults"] = faults_from(faults_option(faults, f"{what}(faults=...)"))
    elif faults is not None and not isinstance(faults, Faults):
        raise pytest.UsageError(f"{what}: faults: give a Faults or serve's fault flags as text")
    try:
        checked_settings(replace(Settings(), **choices), what, f"{what}(faults=...)")
    except (TypeError, ValueError) as exc:
        raise pytest.UsageError(f"{what}: {exc}") from None
    return choices


@dataclass(frozen=True)
class _Using:
    """Who has used a mock since its last reset: the Pact file's test, and if of its seed."""

    test: str = ""  # "" for octave_mock_session, which no test resets
    same_seed: bool = True


class MockPool:
    """The session's mocks: one per distinct settings, started when a test first needs it.

    With a reading of the traffic on (--octave-coverage, --octave-pact), each mock keeps its
    responses, and its journal is read once per test, before the mock's next reset and when
    it stops, and handed to each reading.
    """

    def __init__(
        self,
        stack: ExitStack,
        coverage: pytest_coverage.SessionCoverage | None = None,
        pact: PactRecorder | None = None,
    ) -> None:
        self.stack = stack
        self.coverage = coverage
        self.pact = pact
        self.running: dict[str, RunningMock] = {}
        self.using: dict[int, _Using] = {}  # by id() of the mock

    @property
    def reading(self) -> bool:
        return self.coverage is not None or self.pact is not None

    def get(self, settings: Settings) -> RunningMock:
        if self.reading:
            settings = replace(settings, journal_responses=True)
        key = repr(settings)  # Settings holds a dict (faults.only), so it has no hash
        if key not in self.running:
            try:
                mock = self.stack.enter_context(running_mock(settings))
            except (SeedError, UnknownOperation, ValueError, OSError) as exc:
                pytest.fail(f"octave_mock_settings: {exc}", pytrace=False)
            if self.reading:  # read before it stops (callbacks run first)
                self.stack.callback(self.read, mock)
            self.running[key] = mock
        return self.running[key]

    def reset(self, mock: RunningMock, using: _Using) -> None:
        """Read what the mock's last test exchanged, reset it, and note its next test."""
        self.read(mock)
        mock.reset()
        self.using[id(mock)] = using

    def read(self, mock: RunningMock) -> None:
        if not self.reading:
            return
        entries = mock.server.double.requests()
        if self.coverage is not None:
            self.coverage.add_journal(entries)
        if self.pact is not None:
            using = self.using.get(id(mock), _Using())
            self.pact.collect(using.test, mock, entries, using.same_seed)


@pytest.fixture(scope="session")
def octave_mock_settings(pytestconfig: pytest.Config) -> Settings:
    """The mock's settings, from the plugin's options; override it (at any scope) to choose."""
    return pytestconfig.stash[SETTINGS]


@pytest.fixture(scope="session")
def octave_mock_pool(pytestconfig: pytest.Config) -> Iterator[MockPool]:
    """The session's running mocks; each stops when the session ends."""
    with ExitStack() as stack:
        yield MockPool(
            stack, pytestconfig.stash.get(COVERAGE, None), pytestconfig.stash.get(PACT, None)
        )


@pytest.fixture(scope="session")
def octave_mock_session(octave_mock_pool: MockPool, octave_mock_settings: Settings) -> RunningMock:
    """The mock of the session's settings, not reset: prefer `octave_mock`."""
    return octave_mock_pool.get(octave_mock_settings)


@pytest.fixture
def octave_mock(
    request: pytest.FixtureRequest, octave_mock_pool: MockPool, octave_mock_settings: Settings
) -> RunningMock:
    """A mock of the test's settings, reset to its seed: `base_url`, `key()`, `client()`, ...

    The settings are `octave_mock_settings` (as overridden where the test is) with the
    choices of the `@pytest.mark.octave_mock(...)` markers on top, the nearest first.
    """
    choices = request.node.stash.get(MARKED, {})
    mock = octave_mock_pool.get(replace(octave_mock_settings, **choices))
    same_seed = mock.server.settings.seed_path == octave_mock_settings.seed_path
    octave_mock_pool.reset(mock, _Using(request.node.nodeid, same_seed))
    return mock
