"""Coverage as a team gets it: the wheels alone in a fresh virtualenv, their suite serially and
with -n 2, and the installed `octave-mock coverage` reading the report back."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from tests.coverage.test_plugin import TEAM_TESTS
from tests.installing import run, user_env

PYTEST = ("-m", "pytest", "-q", "-p", "no:cacheprovider", "--octave-coverage")


def test_a_team_suite_reports_the_same_coverage_serially_and_with_two_workers(
    installed_kit: Path, tmp_path: Path
) -> None:
    for name, text in TEAM_TESTS.items():
        (tmp_path / f"{name}.py").write_text(textwrap.dedent(text), encoding="utf-8")
    env = user_env()
    python = installed_kit / "python"
    serial = run(
        python, *PYTEST, "--octave-coverage-report=json:serial.json",
        "--octave-coverage-report=term", cwd=tmp_path, env=env,
    )  # fmt: skip
    workers = run(
        python, *PYTEST, "-n", "2", "--octave-coverage-report=json:workers.json",
        "--octave-coverage-report=term-missing", cwd=tmp_path, env=env,
    )  # fmt: skip
    assert "4 passed" in serial.stdout
    assert "4 passed" in workers.stdout
    report = json.loads((tmp_path / "serial.json").read_text(encoding="utf-8"))
    assert report == json.loads((tmp_path / "workers.json").read_text(encoding="utf-8"))
    assert ("octave-coverage/1", ["tests"], 4) == (
        report["schema"],
        report["kinds"],
        report["requests"],
    )
    statuses = report["dimensions"]["statuses"]["operations"]
    assert ["200", "404"] == statuses["getProduct"]["met"]
    assert ["429"] == statuses["getSegment"]["met"]  # the gateway's status is no documented one
    assert [] == statuses["updateReference"]["met"]
    faults = report["dimensions"]["faults"]["operations"]["getSegment"]
    assert ["Retry-After", "gateway page"] == sorted(faults["met"])
    assert "keywords" not in report["dimensions"]
    table = ["Octave contract coverage", "operations        3      2      1    67%"]
    assert all(line in serial.stdout for line in table), serial.stdout
    assert "  updateReference: called" in workers.stdout
    again = run(installed_kit / "octave-mock", "coverage", "serial.json", cwd=tmp_path, env=env)
    assert again.stdout.startswith("Octave contract 2.1.0 coverage: 4 requests (tests)\n")
