"""Fixtures of the Pact tests: the example app's suite run with --octave-pact, once."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from tests.installing import once_per_run, run
from tests.openapi_document import REPO_ROOT

# pact-python sends usage events unless told not to; only loopback is reachable here.
os.environ["PACT_DO_NOT_TRACK"] = "true"

EXAMPLE_APP = REPO_ROOT / "examples" / "testing-your-app"
# The Pact file the example app's suite writes, kept: the corpus is judged against it, and a
# test shows the suite still writes exactly these bytes.
CATALOG_PACT = Path(__file__).with_name("catalog.pact.json")
CONSUMER = "catalog"


def example_suite(folder: Path, *options: str) -> Path:
    """Copy examples/testing-your-app to `folder`, run its tests with --octave-pact; the file."""
    team = shutil.copytree(EXAMPLE_APP, folder)
    pact = team / "catalog.pact.json"
    argv = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "--octave-pact", str(pact)]
    run(sys.executable, *argv, "--octave-pact-consumer", CONSUMER, *options, cwd=team)
    return pact


@pytest.fixture(scope="session")
def written_pact(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """The Pact file the example app's suite writes, run serially, once for the whole run."""
    catalog = once_per_run(
        tmp_path_factory, worker_id, "catalog", lambda folder: example_suite(folder / "app")
    )
    return catalog / "app" / "catalog.pact.json"
