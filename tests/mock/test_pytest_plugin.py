"""The `octave_mock` fixture as a user's project gets it: pytest loads the kit's plugin itself.

Each test writes a throwaway project with pytester and runs pytest on it. The first runs it
in a subprocess, as a user's project runs it, the plugin arriving through its `pytest11`
entry point; the others run it in this process (the same entry point, without the start of
another interpreter), since what they show is the plugin's options, markers and settings.
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
    result = pytester.runpytest_inprocess(
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
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


@pytest.mark.parametrize(
    ("faults", "message"),
    [
        ("--rate-limit 0", "--octave-mock-faults: --rate-limit: '0' is not a rate*"),
        (
            "--error-rate 0.1@getProdcut",
            "--octave-mock-faults: --error-rate: @getProdcut is not an operation of the spec "
            "(getProduct, getSegment, updateReference)",
        ),
    ],
)
def test_a_bad_faults_option_is_a_usage_error_naming_the_option_and_flag(
    pytester: pytest.Pytester, faults: str, message: str
) -> None:
    pytester.makepyfile(test_app="def test_x(octave_mock):\n    pass\n")
    result = pytester.runpytest_inprocess(
        "-p", "no:cacheprovider", f"--octave-mock-faults={faults}"
    )
    result.stderr.fnmatch_lines([f"ERROR: {message}"])
    assert result.ret != 0


MY_SEED = """
workspaces:
  - oId: wa_mine
    keys: [{key: my_only_key_0001}]
"""


def test_a_marker_chooses_the_seed_and_faults_of_a_module_or_a_test(
    pytester: pytest.Pytester,
) -> None:
    """Each choice gets its own mock; tests without one keep the session's."""
    pytester.makefile(".yaml", myseed=MY_SEED)
    pytester.makepyfile(
        test_a_default="""
        def test_the_bundled_seed(octave_mock):
            assert "wa_acme0001" in octave_mock.workspaces
        """,
        test_b_marked="""
        import httpx
        import pytest

        pytestmark = pytest.mark.octave_mock(seed="myseed.yaml")

        def test_the_module_s_seed(octave_mock):
            assert octave_mock.workspaces == ["wa_mine"]

        @pytest.mark.octave_mock(faults="--error-rate 1@getProduct")
        def test_the_test_s_faults(octave_mock):
            url = f"{octave_mock.base_url}/api/v2/product/get?oId=p_acme_api"
            assert httpx.get(url, headers={"api_key": octave_mock.key()}).status_code == 500
        """,
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)


def test_a_settings_override_takes_effect_after_another_module_started_the_mock(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        test_a_first="""
        def test_reads(octave_mock):
            with octave_mock.client() as octave:
                octave.products.get("p_acme_api")
        """,
        test_b_override="""
        import pytest
        from octave_client import InternalServerError
        from octave_mock import Faults, Settings

        @pytest.fixture(scope="module")
        def octave_mock_settings():
            return Settings(faults=Faults(error_rate=1.0))

        def test_every_read_fails(octave_mock):
            with octave_mock.client(max_retries=0) as octave:
                with pytest.raises(InternalServerError):
                    octave.products.get("p_acme_api")
        """,
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


BAD_SEED = """
workspaces:
  - oId: wa_mine
    keys: [{key: my_only_key_0001}]
    products:
      - oId: p_mine
        name: 42
"""


@pytest.mark.parametrize("where", ["option", "marker"])
def test_a_bad_seed_stops_pytest_at_start_naming_every_finding(
    pytester: pytest.Pytester, where: str
) -> None:
    """Files, lines and fields, before any test runs; from the option or from a marker."""
    pytester.mkdir("tests")
    pytester.makefile(".yaml", **{"tests/badseed": BAD_SEED})
    marker = '@pytest.mark.octave_mock(seed="badseed.yaml")\n' if where == "marker" else ""
    test_file = f"import pytest\n\n{marker}def test_x(octave_mock):\n    pass\n"
    pytester.makepyfile(**{"tests/test_app": test_file})
    options = ["--octave-mock-seed", "tests/badseed.yaml"] if where == "option" else []
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", *options)
    # Every finding at once, each with its line; the path as the user gave it: relative to
    # where pytest runs.
    start = next(n for n, line in enumerate(result.stderr.lines) if line.startswith("ERROR:"))
    what = "--octave-mock-seed" if where == "option" else "@pytest.mark.octave_mock"
    assert result.stderr.lines[start].endswith(f"{what}: tests/badseed.yaml: 4 findings")
    assert [
        "  tests/badseed.yaml:5:9: workspaces[0].products[0].createdAt: is required",
        "  tests/badseed.yaml:5:9: workspaces[0].products[0].data: is required",
        "  tests/badseed.yaml:5:9: workspaces[0].products[0].user: is required",
        "  tests/badseed.yaml:6:15: workspaces[0].products[0].name: expected string or null, "
        "got number",
    ] == result.stderr.lines[start + 1 : start + 5]
    assert "Traceback" not in result.stderr.str()
    assert (True, False) == (result.ret != 0, " passed" in result.stdout.str())


@pytest.mark.parametrize(
    ("test_file", "message"),
    [
        (
            "import pytest\n\n@pytest.mark.octave_mock(faults='--error-rate 1')\n"
            "def test_x():\n    pass\n",
            "*test_app.py::test_x: @pytest.mark.octave_mock has no effect: the test does not "
            "use the octave_mock fixture*",
        ),
        (
            "import pytest\n\n@pytest.mark.octave_mock(sead='x.yaml')\n"
            "def test_x(octave_mock):\n    pass\n",
            "*@pytest.mark.octave_mock: sead: not a choice (seed, faults, *",
        ),
        (
            "import pytest\n\n@pytest.mark.octave_mock(faults='--error-rate 2')\n"
            "def test_x(octave_mock):\n    pass\n",
            "*@pytest.mark.octave_mock(faults=...): --error-rate: '2' is not a fraction*",
        ),
        (
            "import pytest\n\n@pytest.mark.octave_mock(faults='--error-rate 1@getProdcut')\n"
            "def test_x(octave_mock):\n    pass\n",
            "ERROR: test_app.py::test_x: @pytest.mark.octave_mock(faults=...): --error-rate: "
            "@getProdcut is not an operation of the spec (getProduct, getSegment, updateReference)",
        ),
    ],
)
def test_a_marker_that_cannot_take_effect_is_a_usage_error(
    pytester: pytest.Pytester, test_file: str, message: str
) -> None:
    pytester.makepyfile(test_app=test_file)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.stderr.fnmatch_lines([message])
    assert result.ret != 0


def test_markers_and_settings_add_up_key_by_key_the_nearest_winning(
    pytester: pytest.Pytester,
) -> None:
    """Module, class and test markers over `octave_mock_settings`: each key from the nearest."""
    pytester.makefile(".yaml", myseed=MY_SEED)
    pytester.makepyfile(
        test_layers="""
        import httpx
        import pytest
        from octave_mock import Settings

        pytestmark = pytest.mark.octave_mock(seed="myseed.yaml", journal_size=5)

        @pytest.fixture(scope="module")
        def octave_mock_settings():
            return Settings(journal_size=1, max_body_bytes=2048)

        def read(mock):
            url = f"{mock.base_url}/api/v2/product/get?oId=p_none"
            return httpx.get(url, headers={"api_key": mock.key()}).status_code

        def chosen(mock):
            settings = mock.server.settings
            return (mock.workspaces, settings.journal_size, settings.max_body_bytes)

        def test_the_module_s_marker_over_the_settings(octave_mock):
            assert chosen(octave_mock) == (["wa_mine"], 5, 2048)

        @pytest.mark.octave_mock(faults="--latency-ms 150@getSegment")
        def test_the_test_s_faults_keep_the_module_s_seed(octave_mock):
            assert chosen(octave_mock) == (["wa_mine"], 5, 2048)
            assert octave_mock.server.settings.faults.only == {"latency_ms": "getSegment"}

        @pytest.mark.octave_mock(journal_size=3, faults="--error-rate 1@getProduct")
        class TestAClass:
            def test_the_class_s_choices(self, octave_mock):
                assert chosen(octave_mock) == (["wa_mine"], 3, 2048)
                assert read(octave_mock) == 500

            @pytest.mark.octave_mock(journal_size=2, faults="")
            def test_the_test_wins_each_key_it_names(self, octave_mock):
                assert chosen(octave_mock) == (["wa_mine"], 2, 2048)
                assert read(octave_mock) == 404
        """
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)
