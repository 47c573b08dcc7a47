"""The suite's two tiers: tests/tiers.py's rule, its refusal, and what make test needs."""

from __future__ import annotations

import sys
import textwrap

import pytest

from tests.installing import run
from tests.tiers import slow_program

SCRATCH_CONFTEST = """
    import pytest

    pytest_plugins = ["tests.tiers"]

    @pytest.fixture
    def dist():
        return "wheels"

    @pytest.fixture
    def installed(dist):
        return dist
"""
# A Node tool that is nowhere: only the tier's refusal counts, nothing runs.
STARTS_OPTIC = """
    import subprocess

    def test_starts_optic():
        try:
            subprocess.run(["/nowhere/node_modules/.bin/optic", "diff-all"], check=False)
        except FileNotFoundError:
            pass
"""


def test_the_rule_sorts_by_folder_module_and_fixture(pytester: pytest.Pytester) -> None:
    """Slow: a test in tests/contract, one in a listed module, one using `dist` directly and
    one through another fixture. Only the rest is left for the fast tier."""
    pytester.makeconftest(SCRATCH_CONFTEST)
    for path, text in {
        "tests/contract/test_runs.py": "def test_run(): pass\n",
        "tests/spec/test_versions.py": "def test_corpus(): pass\n",
        "tests/mock/test_reads.py": "def test_reads(): pass\n"
        "def test_wheels(dist): pass\n"
        "def test_installed(installed): pass\n",
    }.items():
        (pytester.path / path).parent.mkdir(parents=True, exist_ok=True)
        (pytester.path / path).write_text(text, encoding="utf-8")
    tiers = {}
    for tier in ("not slow", "slow"):
        passed, _, _ = pytester.inline_run("-m", tier, "-p", "no:cacheprovider").listoutcomes()
        tiers[tier] = sorted(report.nodeid for report in passed)
    assert tiers == {
        "not slow": ["tests/mock/test_reads.py::test_reads"],
        "slow": [
            "tests/contract/test_runs.py::test_run",
            "tests/mock/test_reads.py::test_installed",
            "tests/mock/test_reads.py::test_wheels",
            "tests/spec/test_versions.py::test_corpus",
        ],
    }


def test_the_fast_tier_does_not_import_the_slow_tier_s_modules(pytester: pytest.Pytester) -> None:
    """`-m "not slow"` leaves a module of SLOW_PATHS unimported: one that cannot even be
    imported here fails the slow tier alone."""
    pytester.makeconftest(SCRATCH_CONFTEST)
    for path, text in {
        "tests/contract/test_runs.py": "import no_such_module\n\ndef test_run(): pass\n",
        "tests/mock/test_reads.py": "def test_reads(): pass\n",
    }.items():
        (pytester.path / path).parent.mkdir(parents=True, exist_ok=True)
        (pytester.path / path).write_text(text, encoding="utf-8")
    fast = pytester.runpytest("-m", "not slow", "-p", "no:cacheprovider")
    slow = pytester.runpytest("-m", "slow", "-p", "no:cacheprovider")
    fast.assert_outcomes(passed=1)
    slow.assert_outcomes(errors=1)


def test_a_test_left_in_the_fast_tier_that_starts_optic_fails(pytester: pytest.Pytester) -> None:
    """Written in tests/mock, it fails, saying what it started and where to classify it; the
    same test in tests/contract (the slow tier) is let through."""
    pytester.makeconftest(SCRATCH_CONFTEST)
    for folder in ("mock", "contract"):
        (pytester.path / "tests" / folder).mkdir(parents=True)
        (pytester.path / "tests" / folder / f"test_{folder}_optic.py").write_text(
            textwrap.dedent(STARTS_OPTIC), encoding="utf-8"
        )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*SlowTestInFastTier: tests/mock/test_mock_optic.py::test_starts_optic starts the Node"
            " tool optic (/nowhere/node_modules/.bin/optic diff-all), which belongs to the slow"
            " tier, but the test is not classified"
            " slow: add its module to SLOW_PATHS or the fixture that starts it to"
            " SLOW_FIXTURES in tests/tiers.py"
        ]
    )


@pytest.mark.parametrize(
    ("command", "why"),
    [
        (["java", "-jar", "specmatic.jar"], "Java"),
        (["/kit/node_modules/.bin/optic", "diff-all"], "the Node tool optic"),
        (["npm", "ci"], "npm"),
        (["/usr/bin/chromium", "--headless"], "Chromium"),
        ([sys.executable, "-m", "venv", "env"], "a fresh virtualenv"),
        (["/kit/.venv/bin/uv", "venv", "env"], "a fresh virtualenv"),
        ([sys.executable, "-m", "build", "--no-isolation"], "a wheel build"),
        ([sys.executable, "-mpytest", "-p", "no:cacheprovider"], "pytest in a subprocess"),
        ([sys.executable, "-m", "octave_contract", "live"], "a whole contract run"),
        (["/kit/.venv/bin/octave-contract", "mock"], "a whole contract run"),
        ([sys.executable, "-m", "octave_mock", "serve"], None),
        (["git", "status"], None),
        (["make", "--no-print-directory", "generate"], None),
    ],
)
def test_what_only_the_slow_tier_may_start(command: list[str], why: str | None) -> None:
    assert slow_program(command) == why


def test_make_test_needs_python_alone() -> None:
    """With node_modules out of date (-W package.json), make test would still start no npm
    and install no Chromium, and it leaves the slow tier out; make test-all would do both."""
    fast = run("make", "--no-print-directory", "-n", "-W", "package.json", "test").stdout
    every = run("make", "--no-print-directory", "-n", "-W", "package.json", "test-all").stdout
    assert ("npm ci" in fast, "chromium" in fast, '-m "not slow"' in fast) == (False, False, True)
    assert ("npm ci" in every, "chromium" in every, "not slow" in every) == (True, True, False)
