"""The `octave_mock` fixture as a user's project gets it: pytest loads the kit's plugin itself.

Each test writes a throwaway project with pytester and runs pytest on it in a
subprocess, so the plugin arrives through its `pytest11` entry point.
"""

from __future__ import annotations

import textwrap

import pytest

USER_TESTS = """
    import pytest
    from octave_client import NotFoundError, PermissionDeniedError

    def test_reads_with_a_ready_client(octave_mock):
        with octave_mock.client() as octave:
            assert octave.products.get("p_acme_api").name == "Acme Onboarding API"

    def test_updates_and_the_next_test_sees_the_seed_again_1(octave_mock):
        with octave_mock.client() as octave:
            octave.references.update("r_acme_dropbox", name="Changed by test 1")

    def test_updates_and_the_next_test_sees_the_seed_again_2(octave_mock):
        with octave_mock.client() as octave:
            answer = octave.references.update("r_acme_dropbox", internal_name="Test 2")
        assert answer.data.name == "Large filesharing service"

    def test_read_only_key_cannot_write(octave_mock):
        with octave_mock.client(octave_mock.key(read_only=True), max_retries=0) as octave:
            with pytest.raises(PermissionDeniedError):
                octave.references.update("r_acme_dropbox", name="No")

    def test_another_workspace_sees_nothing_of_ours(octave_mock):
        with octave_mock.client(octave_mock.other_workspace_key(), max_retries=0) as octave:
            with pytest.raises(NotFoundError):
                octave.products.get("p_acme_api")

    def test_base_url_is_a_live_server(octave_mock):
        import httpx
        health = httpx.get(f"{octave_mock.base_url}/_mock/health")
        assert health.json()["status"] == "ok"
"""


def test_the_fixture_serves_resets_and_hands_out_keys_and_clients(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_app=textwrap.dedent(USER_TESTS))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=6)


def test_faults_option_reaches_the_mock(pytester: pytest.Pytester) -> None:
    """`--octave-mock-faults` takes serve's fault flags: here, every product read fails."""
    pytester.makepyfile(
        test_app="""
        import httpx

        def test_product_reads_fail(octave_mock):
            url = f"{octave_mock.base_url}/api/v2/product/get?oId=p_acme_api"
            assert httpx.get(url, headers={"api_key": octave_mock.key()}).status_code == 500
        """
    )
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "--octave-mock-faults=--error-rate 1@getProduct"
    )
    result.assert_outcomes(passed=1)


def test_seed_option_from_the_ini_file(pytester: pytest.Pytester) -> None:
    """`octave_mock_seed` in the ini file: the mock serves that seed's workspace and key."""
    pytester.makefile(
        ".yaml",
        myseed="""
        workspaces:
          - oId: wa_mine
            keys: [{key: my_only_key_0001}]
        """,
    )
    pytester.makeini("[pytest]\noctave_mock_seed = myseed.yaml\n")
    pytester.makepyfile(
        test_app="""
        def test_my_seed(octave_mock):
            assert octave_mock.workspaces == ["wa_mine"]
            assert octave_mock.key() == "my_only_key_0001"
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_a_bad_faults_option_is_a_usage_error_naming_the_flag(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_app="def test_x(octave_mock):\n    pass\n")
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "--octave-mock-faults=--rate-limit 0"
    )
    result.stderr.fnmatch_lines(
        ["*--octave-mock-faults: argument --rate-limit: '0' is not a rate*"]
    )
    assert result.ret != 0
