"""The kit as a team installs it: its wheel in a fresh virtualenv outside the checkout.

There, `octave-mock` finds the spec it carries, and a test file of the team's
own uses the `octave_mock` fixture with no conftest of theirs. (The example app's suite runs
from the same wheels in tests/pact/test_installed.py.)
"""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

import pytest

from tests.installing import run, user_env
from tests.mock.test_same_start import CHECKS, COPIES, drawn, order_sensitive_tests
from tests.openapi_document import REPO_ROOT

# docs/testing-your-app.md's example: an app and its tests, as a team would keep them.
EXAMPLE_APP = REPO_ROOT / "examples" / "testing-your-app"

TEAM_TESTS = """\
from octave_client import NotFoundError
import pytest


def test_reads_a_seeded_product(octave_mock):
    with octave_mock.client() as octave:
        assert octave.products.get("p_acme_api").name == "Acme Onboarding API"


def test_tenancy(octave_mock):
    with octave_mock.client(octave_mock.other_workspace_key(), max_retries=0) as octave:
        with pytest.raises(NotFoundError):
            octave.products.get("p_acme_api")
"""


@pytest.fixture
def installed(installed_kit: Path) -> Path:
    """The fresh virtualenv with the two wheels (the suite's `installed_kit`); its bin folder."""
    return installed_kit


def test_octave_mock_runs_on_the_spec_it_carries(installed: Path, tmp_path: Path) -> None:
    """`octave-mock check-seed` loads openapi.yaml from the installed package, not the checkout."""
    checked = run(installed / "octave-mock", "check-seed", cwd=tmp_path, env=user_env())
    where = run(
        installed / "python",
        "-c",
        "from octave_kit.contract_file import SPEC_PATH; "
        "print(SPEC_PATH, SPEC_PATH.is_file(), SPEC_PATH.is_symlink())",
        cwd=tmp_path,
        env=user_env(),
    )
    spec_path, is_file, is_link = where.stdout.split()
    assert checked.stdout.endswith("3 workspaces, 4 keys, 19 objects: valid\n"), checked.stdout
    assert spec_path.startswith(str(installed.parent)), spec_path
    assert (is_file, is_link) == ("True", "False")


def test_version_is_the_installed_kit_s(installed: Path, tmp_path: Path) -> None:
    completed = run(installed / "octave-mock", "--version", cwd=tmp_path, env=user_env())
    assert completed.stdout == f"octave-mock {version('octave-contract-kit')}\n", completed.stdout


def test_a_team_s_test_files_pass_from_the_wheels_on_two_workers(
    installed: Path, tmp_path: Path
) -> None:
    """pytest in the team's folder, under `pytest -n 2`, loads the plugin from the wheel: a
    team test file of theirs passes, and test_same_start's project with it: every test starts
    from the same state on either worker."""
    (tmp_path / "test_team.py").write_text(TEAM_TESTS, encoding="utf-8")
    draws = tmp_path / "draws"
    draws.mkdir()
    (tmp_path / "test_app.py").write_text(order_sensitive_tests(backwards=True), encoding="utf-8")
    argv = ("-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2")
    env = user_env(DRAWS=str(draws))
    completed = run(installed / "python", *argv, cwd=tmp_path, env=env)
    assert f"{2 + COPIES * len(CHECKS)} passed" in completed.stdout, completed.stdout
    seen = drawn(draws)
    assert COPIES == len(seen)
    assert [seen[0]] * COPIES == seen  # the same draws from the fault seed on either worker


def test_the_guide_shows_the_example_s_app_as_it_is() -> None:
    """The guide's `# catalog.py` block is examples/testing-your-app/catalog.py."""
    guide = (REPO_ROOT / "docs" / "testing-your-app.md").read_text(encoding="utf-8")
    (shown,) = re.findall(r"```python\n# catalog\.py\n(.*?)```", guide, re.DOTALL)
    assert (EXAMPLE_APP / "catalog.py").read_text(encoding="utf-8") == shown


def test_the_proxy_s_drift_command_runs_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    """The proxy's package is in the wheel: `octave-mock drift` reads a report there."""
    report = tmp_path / "proxy.drift.json"
    report.write_text('{"source": "https://app.octavehq.com", "locations": []}', encoding="utf-8")
    completed = run(installed / "octave-mock", "drift", str(report), cwd=tmp_path, env=user_env())
    expected = "0 findings over 0 locations of what https://app.octavehq.com answered\n"
    assert expected == completed.stdout


def test_the_contract_runs_from_the_installed_kit(installed: Path, tmp_path: Path) -> None:
    """`python -m octave_contract mock` runs on the settings and spec the wheel carries,
    and writes its reports under the working directory."""
    completed = run(
        installed / "python",
        "-m",
        "octave_contract",
        "mock",
        "--max-examples",
        "3",
        cwd=tmp_path,
        env=user_env(),
    )
    assert "Contract run, per operation:" in completed.stdout, completed.stdout
    # schemathesis names the spec it loaded: the wheel's, inside the fresh virtualenv.
    assert str(installed.parent) in completed.stdout, completed.stdout
    reports = tmp_path / "reports" / "mock"
    expected = [
        "coverage.html",
        "coverage.json",
        "coverage.md",
        "har.json",
        "junit.xml",
        "mock.log",
    ]
    assert expected == sorted(p.name for p in reports.iterdir())
