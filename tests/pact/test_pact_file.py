"""The Pact file a team's suite writes with --octave-pact: what it holds, and that it is stable."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from octave_kit.seed import DEFAULT_SEED
from tests.pact.conftest import CATALOG_PACT, EXAMPLE_APP, example_suite


def interactions(path: Path) -> dict[str, dict[str, Any]]:
    document = json.loads(path.read_text(encoding="utf-8"))
    return {item["description"]: item for item in document["interactions"]}


def test_the_example_suite_writes_the_kept_pact_file_byte_for_byte(written_pact: Path) -> None:
    """The same tests write the same bytes: minted ids and times have fixed stand-ins."""
    assert CATALOG_PACT.read_text(encoding="utf-8") == written_pact.read_text(encoding="utf-8")


def test_two_workers_with_coverage_on_too_write_the_same_file(
    tmp_path: Path, written_pact: Path
) -> None:
    """-n 2, and --octave-coverage beside --octave-pact: the workers' traffic is merged into
    the same file, and the journal, read once for both, gives the coverage report too."""
    report = tmp_path / "coverage.json"
    pact = example_suite(
        tmp_path / "app", "-n", "2", "--octave-coverage", "--octave-coverage-report",
        f"json:{report}",
    )  # fmt: skip
    assert written_pact.read_text(encoding="utf-8") == pact.read_text(encoding="utf-8")
    # Every request of the suite, the test's own seed's one among them.
    assert 14 == json.loads(report.read_text(encoding="utf-8"))["requests"]


def test_one_interaction_per_request_shape_and_status(written_pact: Path) -> None:
    """13 requests: 2 gateway pages left out (not Octave's answers), the 3 scripted 500s are
    one, the two reads of a product that answer 200 are one; a test's own seed is left out."""
    assert sorted(interactions(written_pact)) == [
        "getProduct -> 200 with a key sending oId",
        "getProduct -> 404 with a key sending oId",
        "getSegment -> 200 with a key sending oId",
        "getSegment -> 500 with a key sending oId",
        "updateReference -> 200 with a key sending name, oId",
    ]


def test_values_are_matched_by_type(written_pact: Path) -> None:
    by_type = {"combine": "AND", "matchers": [{"match": "type"}]}
    for interaction in interactions(written_pact).values():
        request, response = interaction["request"], interaction["response"]
        assert {"$": by_type} == response["matchingRules"]["body"]
        assert {name: by_type for name in request.get("query", {})} == request["matchingRules"].get(
            "query", {}
        )


def test_no_key_is_written_anywhere(written_pact: Path) -> None:
    """The api_key header is a stand-in, filled in at replay from the key's provider state."""
    text = written_pact.read_text(encoding="utf-8")
    seeds = [DEFAULT_SEED, EXAMPLE_APP / "seed.yaml"]
    keys = [
        key["key"]
        for seed in seeds
        for workspace in yaml.safe_load(seed.read_text(encoding="utf-8"))["workspaces"]
        for key in workspace["keys"]
    ]
    assert [] == [key for key in keys if key in text]
    for interaction in interactions(written_pact).values():
        request = interaction["request"]
        assert ["[api key]"] == request["headers"]["api_key"]
        generator = request["generators"]["header"]["api_key"]
        assert {"type": "ProviderState", "expression": "${apiKey}"} == generator
        key_state = interaction["providerStates"][0]
        assert {"readOnly": False, "workspace": "wa_acme0001"} == key_state["params"]["key"]


def test_objects_a_test_added_become_provider_states_with_their_fields(
    written_pact: Path,
) -> None:
    """The product of test_a_product_of_the_test_s_own, its oId a fixed stand-in."""
    read = interactions(written_pact)["getProduct -> 200 with a key sending oId"]
    added = {
        "name": "product product_added_1 was added",
        "params": {
            "kind": "product",
            "workspace": "wa_acme0001",
            "object": {
                "name": "Ledger Sync",
                "data": {"type": "SERVICE"},
                "oId": "product_added_1",
            },
        },
    }
    assert added in read["providerStates"]
    assert {"oId": ["product_added_1"]} == read["request"]["query"]
    assert "product_added_1" == read["response"]["body"]["content"]["oId"]


def test_a_scripted_status_becomes_a_script_state(written_pact: Path) -> None:
    failed = interactions(written_pact)["getSegment -> 500 with a key sending oId"]
    script = {"script": {"operation": "getSegment", "status": 500}}
    assert script in [state["params"] for state in failed["providerStates"]]


TEAM_TESTS = """
    import httpx

    def test_reads(octave_mock):
        with octave_mock.client() as octave:
            octave.products.get("p_acme_api")

    def test_no_key(octave_mock):
        answer = httpx.get(f"{octave_mock.base_url}/api/v2/product/get?oId=p_acme_api")
        assert answer.status_code == 401

    def test_unknown_key(octave_mock):
        answer = httpx.get(
            f"{octave_mock.base_url}/api/v2/product/get?oId=p_acme_api",
            headers={"api_key": "not-a-key"},
        )
        assert answer.status_code == 401

    def test_not_json(octave_mock):
        answer = httpx.post(
            f"{octave_mock.base_url}/api/v2/reference/update",
            content=b"oId=r_acme_dropbox",
            headers={"api_key": octave_mock.key(), "content-type": "text/plain"},
        )
        assert answer.status_code == 415

    def test_read_only(octave_mock):
        answer = httpx.post(
            f"{octave_mock.base_url}/api/v2/reference/update",
            json={"oId": "r_acme_dropbox", "name": "x"},
            headers={"api_key": octave_mock.key(read_only=True)},
        )
        assert answer.status_code == 403
"""


def test_the_ini_key_names_and_every_key_role(pytester: pytest.Pytester) -> None:
    """The ini key writes the file; the consumer defaults to the project's name; a body that is
    not JSON is left out."""
    pytester.makepyfile(test_team=textwrap.dedent(TEAM_TESTS))
    pytester.makefile(
        ".toml",
        pyproject=textwrap.dedent(
            """
            [project]
            name = "team-app"
            [tool.pytest.ini_options]
            octave_pact = "pacts/team.json"
            """
        ),
    )
    # In this process, on the plugin's entry point: the example suite's runs are subprocesses.
    result = pytester.runpytest_inprocess(
        "-p", "no:cacheprovider", "--octave-pact-provider", "Octave API"
    )
    result.assert_outcomes(passed=5)
    written = pytester.path / "pacts" / "team.json"
    counts = "4 interactions from 4 requests; 1 left out: of a test's own seed, or not JSON"
    result.stdout.fnmatch_lines([f"octave-mock: wrote pacts/team.json ({counts})"])
    document = json.loads(written.read_text(encoding="utf-8"))
    assert ("team-app", "Octave API") == (
        document["consumer"]["name"],
        document["provider"]["name"],
    )
    said = {
        item["description"]: item.get("providerStates", []) for item in document["interactions"]
    }
    assert [] == said["getProduct -> 401 with no key sending oId"]
    unknown = said["getProduct -> 401 with an unknown key sending oId"]
    assert [{"known": False}] == [state["params"]["key"] for state in unknown]
    read_only = said["updateReference -> 403 with a read-only key sending name, oId"]
    assert [True] == [state["params"]["key"]["readOnly"] for state in read_only]
    assert "not-a-key" not in written.read_text(encoding="utf-8")
