"""The `octave_mock` pytest fixture, installed with the kit (entry point `pytest11`).

One mock per test session on a free loopback port, reset to its seed before
each test that uses it:

    def test_reads_a_product(octave_mock):
        with octave_mock.client() as octave:
            assert octave.products.get("p_acme_api").name == "Acme Onboarding API"

Options (command line, or the same names in the `[pytest]` ini section):
`--octave-mock-seed PATH` and `--octave-mock-faults "--latency-ms 50:200 ..."`
(the fault options of `octave-mock serve`). Override the session fixture
`octave_mock_settings` for anything else.
"""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest

from octave_mock.fault_flags import add_fault_arguments, faults_from
from octave_mock.settings import Settings
from octave_mock.testing import RunningMock, running_mock

SEED_OPTION = "octave_mock_seed"
FAULTS_OPTION = "octave_mock_faults"
SETTINGS = pytest.StashKey[Settings]()


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
    parser.addini(SEED_OPTION, "seed YAML for the octave_mock fixture")
    parser.addini(FAULTS_OPTION, "fault options of `octave-mock serve` for the octave_mock fixture")


def _option(config: pytest.Config, name: str) -> str | None:
    value = config.getoption(name) or config.getini(name)
    return str(value) if value else None


def _seed_path(config: pytest.Config) -> Path | None:
    """The seed: relative to where pytest runs, or (in the ini file) to the ini's folder."""
    given = config.getoption(SEED_OPTION)
    if given:
        return config.invocation_params.dir / str(given)
    written = config.getini(SEED_OPTION)
    return config.rootpath / str(written) if written else None


def faults_option(text: str) -> argparse.Namespace:
    """Parse the faults option as `octave-mock serve` parses its flags; errors name the flag."""
    parser = argparse.ArgumentParser(
        prog="--octave-mock-faults", add_help=False, exit_on_error=False
    )
    add_fault_arguments(parser)
    try:
        args, others = parser.parse_known_args(shlex.split(text))
    except argparse.ArgumentError as exc:
        raise pytest.UsageError(f"--octave-mock-faults: {exc}") from None
    if others:
        raise pytest.UsageError(f"--octave-mock-faults: not fault options: {' '.join(others)}")
    return args


def pytest_configure(config: pytest.Config) -> None:
    """Check the options when pytest starts: a bad one is a usage error, before any test."""
    faults = faults_from(faults_option(_option(config, FAULTS_OPTION) or ""))
    config.stash[SETTINGS] = Settings(seed_path=_seed_path(config), faults=faults)


@pytest.fixture(scope="session")
def octave_mock_settings(pytestconfig: pytest.Config) -> Settings:
    """The mock's settings, from the plugin's options; override it to choose anything else."""
    return pytestconfig.stash[SETTINGS]


@pytest.fixture(scope="session")
def octave_mock_session(octave_mock_settings: Settings) -> Iterator[RunningMock]:
    """The session's one mock server."""
    with running_mock(octave_mock_settings) as mock:
        yield mock


@pytest.fixture
def octave_mock(octave_mock_session: RunningMock) -> RunningMock:
    """The session's mock, reset to its seed: `base_url`, `key()`, `client()`, ..."""
    octave_mock_session.reset()
    return octave_mock_session
