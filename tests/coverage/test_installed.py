"""Coverage as a team gets it: the wheels alone in a fresh virtualenv, their suite serially and
with -n 2, and the installed `octave-mock coverage` reading the report back."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

from tests.coverage.test_plugin import TEAM_TESTS
from tests.installing import run

PYTEST = ("-m", "pytest", "-q", "-p", "no:cacheprovider", "--octave-coverage")


def test_a_team_suite_reports_the_same_coverage_serially_and_with_two_workers(
    installed_kit: Path, tmp_path: Path
) -> None:
    for name, text in TEAM_TESTS.items():
        (tmp_path / f"{name}.py").write_text(textwrap.dedent(text), encoding="utf-8")
    env = {"PATH": os.environ["PATH"]}
    python = installed_kit / "python"
    serial = run(
        python, *PYTEST, "--octave-coverage-report=json:serial.json", cwd=tmp_path, env=env
    )
    workers = run(
        python, *PYTEST, "-n", "2", "--octave-coverage-report=json:workers.json",
        "--octave-coverage-report=term-missing", cwd=tmp_path, env=env,
    )  # fmt: skip
    assert "4 passed" in serial.stdout
    report = json.loads((tmp_path / "serial.json").read_text(encoding="utf-8"))
    assert report == json.loads((tmp_path / "workers.json").read_text(encoding="utf-8"))
    statuses = report["dimensions"]["statuses"]["operations"]
    assert (["200", "404"], ["429"]) == (
        statuses["getProduct"]["met"],
        statuses["getSegment"]["met"],
    )
    assert "  updateReference: called" in workers.stdout
    again = run(installed_kit / "octave-mock", "coverage", "serial.json", cwd=tmp_path, env=env)
    assert again.stdout.startswith("Octave contract 2.1.0 coverage: 4 requests (tests)\n")
