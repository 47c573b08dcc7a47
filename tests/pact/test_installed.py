"""The whole flow of the guide from the wheels alone, in a fresh virtualenv (no Node).

The example app's suite, copied out of the checkout, passes with the wheels alone (the plugin
and the client of the virtualenv, not the checkout's); run with --octave-pact, it writes a
file that pact-python's verifier (the guide's verify_pact.py, as pasted) replays green
against `octave-mock serve`; `octave-mock impact` answers 0 for the installed contract and 1,
naming the member, for one without a member the app received.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from octave_kit.contract_file import SPEC_PATH
from octave_kit.local_server import free_port, wait_until_answering
from tests.installing import run, user_env
from tests.openapi_document import REPO_ROOT
from tests.pact.conftest import EXAMPLE_APP

GUIDE = REPO_ROOT / "docs" / "testing-your-app.md"


@pytest.fixture
def installed(installed_kit: Path) -> Path:
    """The fresh virtualenv with the two wheels (the suite's `installed_kit`); its bin folder."""
    return installed_kit


def env() -> dict[str, str]:
    return user_env(PATH="/usr/bin:/bin", PACT_DO_NOT_TRACK="true")


def verify_script() -> str:
    """The guide's verify_pact.py: the Python block of its "replays it" step."""
    section = GUIDE.read_text(encoding="utf-8").split("### 2. Pact's own verifier", 1)[1]
    blocks: list[str] = re.findall(r"```python\n(.*?)```", section.split("\n### ", 1)[0], re.DOTALL)
    assert len(blocks) == 1, blocks
    return blocks[0]


@pytest.fixture
def serve(installed: Path, tmp_path: Path) -> Iterator[str]:
    """`octave-mock serve` of the fresh virtualenv on a free port; its base URL."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - the venv's own command
        [str(installed / "octave-mock"), "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(
            f"{base_url}/_mock/health", 30, still_running=lambda: process.poll() is None
        )
        yield base_url
    finally:
        process.terminate()
        process.wait(10)


def test_the_guide_s_flow_from_the_wheels(installed: Path, tmp_path: Path, serve: str) -> None:
    team = shutil.copytree(EXAMPLE_APP, tmp_path / "catalog")
    (team / "pyproject.toml").write_text('[project]\nname = "catalog"\n', encoding="utf-8")
    pytest_run = run(
        installed / "python",
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "--octave-pact",
        "pacts/catalog.json",
        cwd=team,
        env=env(),
    )
    tests = (team / "test_catalog.py").read_text(encoding="utf-8").count("\ndef test_")
    assert f"{tests} passed" in pytest_run.stdout, pytest_run.stdout
    assert "octave-mock: wrote" in pytest_run.stdout, pytest_run.stdout
    where = run(
        installed / "python",
        "-c",
        "import octave_mock, octave_client; print(octave_mock.__file__, octave_client.__file__)",
        cwd=team,
        env=env(),
    )
    assert all(path.startswith(str(installed.parent)) for path in where.stdout.split()), where
    pact = team / "pacts" / "catalog.json"

    (team / "verify_pact.py").write_text(verify_script(), encoding="utf-8")
    verified = run(installed / "python", "verify_pact.py", pact, serve, cwd=team, env=env())
    assert verified.stdout.count("has status code") == 5, verified.stdout
    assert "(FAILED)" not in verified.stdout, verified.stdout

    judged = run(installed / "octave-mock", "impact", "--pact", pact, cwd=team, env=env())
    assert judged.stdout.splitlines()[-1].startswith("compatible: "), judged.stdout

    contract = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    del contract["components"]["schemas"]["Segment"]["properties"]["name"]
    (team / "next.yaml").write_text(yaml.safe_dump(contract), encoding="utf-8")
    broken = run(
        installed / "octave-mock",
        "impact",
        "--pact",
        pact,
        "--spec",
        "next.yaml",
        cwd=team,
        env=env(),
        expect=1,
    )
    assert "status 200: response member name: no longer documented" in broken.stdout, broken.stdout
