"""`pytest --octave-coverage` in a team's throwaway project: gates, reports and bad options.

pytest runs in this process here, on the plugin's entry point; tests/coverage/test_installed.py
runs a team's suite in subprocesses, serially and with -n 2, from the wheels.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

TEAM_TESTS = {
    "test_products": """
        import pytest
        from octave_client import NotFoundError

        def test_reads_a_product(octave_mock):
            with octave_mock.client() as octave:
                assert octave.products.get("p_acme_api").o_id == "p_acme_api"

        def test_an_unknown_product(octave_mock):
            with octave_mock.client(max_retries=0) as octave:
                with pytest.raises(NotFoundError):
                    octave.products.get("p_nope")
    """,
    "test_segments": """
        import httpx

        def test_a_gateway_page(octave_mock):
            octave_mock.fail_next("getSegment", fault="gateway")
            with octave_mock.client(max_retries=0) as octave:
                try:
                    octave.segments.get("sg_acme_mmsaas")
                except Exception:
                    pass

        def test_the_session_mock_is_counted_too(octave_mock_session):
            headers = {"api_key": octave_mock_session.key(), "Prefer": "code=429"}
            url = f"{octave_mock_session.base_url}/api/v2/segment/get?oId=sg_acme_mmsaas"
            assert 429 == httpx.get(url, headers=headers).status_code
    """,
}


@pytest.fixture
def team(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(**{name: textwrap.dedent(text) for name, text in TEAM_TESTS.items()})
    return pytester


def test_a_gate_names_what_is_missing_and_fails_the_run(team: pytest.Pytester) -> None:
    team.makeini("[pytest]\noctave_coverage = true\noctave_coverage_fail_under = statuses=100\n")
    result = team.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)
    assert 1 == result.ret
    result.stdout.fnmatch_lines(
        ["coverage failed: statuses 13.0% is under 100%; never met: getProduct: 400, 401, *"]
    )


def test_missing_lists_what_was_never_met(team: pytest.Pytester) -> None:
    result = team.runpytest_inprocess(
        "-p", "no:cacheprovider", "--octave-coverage", "--octave-coverage-report=term-missing",
        "-k", "reads_a_product",
    )  # fmt: skip
    result.stdout.fnmatch_lines(["never met, operations:", "  getSegment: called"])
    assert 0 == result.ret


def test_a_report_that_cannot_be_written_exits_2(team: pytest.Pytester) -> None:
    (team.path / "taken").write_text("a file, not a folder")
    result = team.runpytest_inprocess(
        "-p", "no:cacheprovider", "--octave-coverage",
        "--octave-coverage-report=html:taken/coverage.html",
    )  # fmt: skip
    assert 2 == result.ret
    result.stdout.fnmatch_lines(["*taken/coverage.html: cannot write the html report*"])


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("--octave-coverage-report=pdf", "*--octave-coverage-report pdf: not a report type*"),
        ("--octave-coverage-fail-under=joy=5", "*fail-under joy=5: joy: not a dimension*"),
    ],
)
def test_a_bad_option_is_a_usage_error(team: pytest.Pytester, option: str, message: str) -> None:
    result = team.runpytest_inprocess("-p", "no:cacheprovider", "--octave-coverage", option)
    assert pytest.ExitCode.USAGE_ERROR == result.ret
    result.stderr.fnmatch_lines([message])


def test_coverage_off_costs_the_journal_nothing(team: pytest.Pytester) -> None:
    """Without the option, the mocks keep no responses and no report is printed."""
    result = team.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)
    assert "Octave contract coverage" not in result.stdout.str()
    assert not list(Path(team.path).glob("octave-coverage*"))
