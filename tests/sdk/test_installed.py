"""The SDK as an app installs it: the wheel of `make dist` in a fresh virtualenv outside the kit."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from octave_mock.testing import RunningMock
from tests.installing import build_dist, fresh_venv, run
from tests.openapi_document import REPO_ROOT, load_openapi

EXAMPLE = REPO_ROOT / "examples" / "quickstart.py"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The client's wheel, built by `make dist` into a temporary folder."""
    (built,) = build_dist(tmp_path_factory.mktemp("dist")).glob("octave_client-*.whl")
    return built


def test_wheel_is_named_and_versioned_after_the_contract(wheel: Path) -> None:
    """The version is openapi.yaml's info.version; the runtime needs are declared."""
    version = load_openapi()["info"]["version"]
    assert f"octave_client-{version}-py3-none-any.whl" == wheel.name
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read(f"octave_client-{version}.dist-info/METADATA").decode()
    requires = sorted(
        line.split()[1] for line in metadata.splitlines() if line.startswith("Requires-Dist")
    )
    assert ["attrs", "httpx", "tenacity"] == requires


def test_readme_example_runs_from_a_fresh_virtualenv(
    wheel: Path, tmp_path: Path, mock: RunningMock, key: str
) -> None:
    """pip install of the wheel in a new venv; the README example runs there against the mock."""
    env_dir = tmp_path / "app-venv"
    python = fresh_venv(env_dir, wheel) / "python"
    env = {
        "PATH": os.environ["PATH"],
        "OCTAVE_API_KEY": key,
        "OCTAVE_BASE_URL": mock.base_url,
    }
    where = run(
        python, "-c", "import octave_client; print(octave_client.__file__)", cwd=tmp_path, env=env
    )
    assert where.stdout.startswith(str(env_dir)), where.stdout
    completed = run(python, EXAMPLE, cwd=tmp_path, env=env)
    expected = [
        "Acme Onboarding API - PRODUCT",
        "Mid-market SaaS",
        "updated r_acme_dropbox",
        "404 oId: no product p_missing in this workspace",
    ]
    assert expected == completed.stdout.splitlines()


def test_the_client_guide_shows_the_example_as_it_is() -> None:
    """docs/client.md's SDK example is examples/quickstart.py after its docstring, to the letter."""
    code = EXAMPLE.read_text(encoding="utf-8").split('"""\n\n', 1)[1]
    assert code in (REPO_ROOT / "docs" / "client.md").read_text(encoding="utf-8")
