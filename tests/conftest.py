"""Fixtures shared by every test folder; the mock comes from the kit's own pytest plugin."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from pathlib import Path

# pytester's in-process runs forget the modules first imported inside them. httpx imports
# httpcore only when its first client is made, and maps httpcore's errors by class from then
# on: had that happened in an in-process run, every later httpcore error (a refused or reset
# connection, a timeout) would escape the mapping. So httpcore is imported here, before any.
import httpcore  # noqa: F401
import pytest

from octave_kit.seed_cache import CACHE_DIR_ENV
from octave_mock.settings import Settings
from octave_mock.testing import RunningMock
from tests.cli_main import Cli, run_main
from tests.installing import fresh_venv, once_per_run, suite_dist
from tests.openapi_document import REPO_ROOT, Node, load_openapi

NODE_BIN = REPO_ROOT / "node_modules" / ".bin"

# pytester runs throwaway projects, as a user of the kit's pytest plugin would write them;
# tests.tiers decides which tests are slow (`make test` runs the others).
pytest_plugins = ["pytester", "tests.tiers"]


@pytest.fixture(scope="session", autouse=True)
def seed_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The suite's own seed cache (inherited by the mocks it starts), never the user's."""
    os.environ[CACHE_DIR_ENV] = str(tmp_path_factory.mktemp("seed-cache"))
    yield
    del os.environ[CACHE_DIR_ENV]


@pytest.fixture
def openapi() -> Node:
    """openapi.yaml as plain Python data; a fresh copy per test, so tests may change it."""
    return load_openapi()


@pytest.fixture(scope="session")
def octave_mock_settings() -> Settings:
    """The plugin's session mock, with response validation on: an answer off the contract fails."""
    return Settings(validate_responses=True)


@pytest.fixture
def mock(octave_mock: RunningMock) -> RunningMock:
    """The shared mock (the plugin's `octave_mock`), reset to its seed data before the test."""
    return octave_mock


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> Cli:
    """`octave-mock ARGV` run to its end by `main()` in this process: for the commands that
    exit at once (tests/cli_main.py)."""
    return functools.partial(run_main, capsys, caplog)


@pytest.fixture(scope="session")
def node_tools() -> Path:
    """node_modules/.bin, where `make node-tools` puts the pinned Node tools (and Node): a test
    that runs one asks for this, which puts it in the slow tier (tests/tiers.py)."""
    if not (NODE_BIN / "node").exists():
        pytest.fail(f"{NODE_BIN}/node is missing: `make node-tools` installs the Node tools")
    return NODE_BIN


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """The wheels and sdists of `make dist`, built once for the whole run."""
    return suite_dist(tmp_path_factory, worker_id)


@pytest.fixture(scope="session")
def installed_kit(tmp_path_factory: pytest.TempPathFactory, worker_id: str, dist: Path) -> Path:
    """A fresh virtualenv with the kit's and the client's wheels alone; its bin folder.

    Made once per run and shared by every worker: a test only runs things from it, in a
    project folder of its own, and leaves the virtualenv as it found it.
    """
    wheels = [*dist.glob("octave_contract_kit-*.whl"), *dist.glob("octave_client-*.whl")]
    assert len(wheels) == 2, wheels
    team = once_per_run(
        tmp_path_factory,
        worker_id,
        "installed-kit",
        lambda folder: fresh_venv(folder / "venv", *wheels),
    )
    return team / "venv" / "bin"
