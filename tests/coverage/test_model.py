"""The coverage model on hand-built traffic: items from the spec, what was met, merging, gates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from octave_kit.contract_file import SPEC_PATH
from octave_kit.coverage import DIMENSIONS, Coverage, Model, coverage_of
from octave_kit.coverage_report import Gate, from_json, markdown, terminal, to_json
from octave_kit.spec import Spec
from octave_kit.traffic import CONTRACT, LIVE, TESTS, TIMEOUT, Exchange, Traffic
from tests.openapi_document import Node, load_openapi, operations

PRODUCT, SEGMENT, UPDATE = "/api/v2/product/get", "/api/v2/segment/get", "/api/v2/reference/update"
SERVICE = {"oId": "p_2", "createdAt": "2021", "data": {"type": "SERVICE", "deliverables": []}}


@pytest.fixture(scope="module")
def model() -> Model:
    return Model(Spec.load(SPEC_PATH))


def names(coverage: Coverage, dimension: str) -> set[str]:
    return {item.name for item in coverage.items(dimension) if item in coverage.met}


def test_every_operation_and_documented_status_is_an_item(model: Model) -> None:
    """Read from openapi.yaml, not listed by hand."""
    document: Node = load_openapi()
    expected = {
        f"{operation_id} {status}"
        for operation_id, _, _, operation in operations(document)
        for status in operation["responses"]
    }
    assert expected == {item.name for item in model.items if item.dimension == "statuses"}
    assert {"getProduct", "getSegment", "updateReference"} == {
        item.operation for item in model.items if item.dimension == "operations"
    }


def test_what_a_teams_tests_met(model: Model) -> None:
    traffic = Traffic(
        [
            Exchange("GET", PRODUCT, query={"oId": "p_2"}, status=200, response_json=SERVICE),
            Exchange("GET", SEGMENT, query={"oId": "sg"}, status=None, fault=TIMEOUT),
            Exchange("POST", UPDATE, request_json={"oId": "r", "customFields": [{"title": "t"}]},
                     status=429, response_headers=("retry-after",)),
            Exchange("GET", "/elsewhere", status=404),
        ],
        {TESTS},
    )  # fmt: skip
    coverage = coverage_of(model, traffic)
    assert (4, 1) == (coverage.requests, coverage.unrouted)
    assert ["operations", "statuses", "faults", "parameters", "values", "responses"] == (
        coverage.dimensions
    )
    assert {"getProduct 200", "updateReference 429"} == names(coverage, "statuses")
    assert {"getSegment timeout", "updateReference Retry-After"} == names(coverage, "faults")
    assert {
        "getProduct query oId",
        "getSegment query oId",
        "updateReference body.oId",
        "updateReference body.customFields",
        "updateReference body.customFields[].title",
    } == names(coverage, "parameters")
    assert {"getProduct 200 body.data: ServiceData"} == names(coverage, "values")
    responses = names(coverage, "responses")
    assert {
        "getProduct 200 body.data<ServiceData>.deliverables: present",
        "getProduct 200 body.data<ServiceData>.summary: absent",
        "getProduct 200 body.deletedAt: absent",
    } <= responses
    assert "getProduct 200 body.data<ProductData>.summary: absent" not in responses
    assert not names(coverage, "keywords")  # a team's tests are not judged on invalid input


def test_a_contract_run_meets_keywords_on_both_sides(model: Model) -> None:
    traffic = Traffic(
        [
            Exchange("POST", UPDATE, request_json={"oId": "r", "name": 5, "colour": "red"}),
            Exchange("POST", UPDATE, request_json={"name": "n"}),
            Exchange("GET", PRODUCT, query={}),
        ],
        {CONTRACT},
    )
    keywords = names(coverage_of(model, traffic), "keywords")
    assert {
        "updateReference body type: valid",
        "updateReference body.oId required: valid",
        "updateReference body.oId required: invalid",
        "updateReference body additionalProperties: invalid",
        "updateReference body additionalProperties: valid",
        "updateReference body.name type: invalid",
        "updateReference body.name type: valid",
        "updateReference body.oId type: valid",
        "getProduct query oId required: invalid",
    } == keywords


def test_merging_is_a_union_whatever_the_split(model: Model) -> None:
    """Two halves merged in either order give the coverage of the whole, as JSON too."""
    exchanges = [
        Exchange("GET", PRODUCT, query={"oId": "p"}, status=404),
        Exchange("GET", PRODUCT, query={"oId": "p_2"}, status=200, response_json=SERVICE),
        Exchange("GET", SEGMENT, status=400),
    ]
    whole = coverage_of(model, Traffic(exchanges, {TESTS}))
    first = coverage_of(model, Traffic(exchanges[:1], {TESTS}))
    second = coverage_of(model, Traffic(exchanges[1:], {TESTS}))
    assert to_json(whole) == to_json(first.merged(second)) == to_json(second.merged(first))
    read_back = from_json(model, Path("c.json"), json.loads(json.dumps(to_json(whole))))
    assert to_json(whole) == to_json(read_back)


def test_exchanges_met_again_change_nothing_and_odd_values_still_count(model: Model) -> None:
    """Repeats are read once; an exchange JSON cannot encode (a 70-bit integer) is still read."""
    once = [
        Exchange("GET", PRODUCT, query={"oId": "p_2"}, status=200, response_json=SERVICE),
        Exchange("POST", UPDATE, request_json={"oId": "r", "name": "n"}, status=200),
    ]
    repeated = coverage_of(model, Traffic(once * 50, {CONTRACT}))
    assert (
        to_json(coverage_of(model, Traffic(once, {CONTRACT})))["dimensions"]
        == (to_json(repeated)["dimensions"])
    )
    assert 100 == repeated.requests
    huge = Exchange("POST", UPDATE, request_json={"oId": "r", "name": 2**70}, status=400)
    keywords = names(coverage_of(model, Traffic([huge, huge], {CONTRACT})), "keywords")
    assert "updateReference body.name type: invalid" in keywords


def test_a_live_report_tells_operations_and_statuses_only(model: Model) -> None:
    coverage = coverage_of(model, Traffic([Exchange("GET", PRODUCT, status=200)], {LIVE}))
    assert ["operations", "statuses"] == coverage.dimensions
    table = terminal(coverage)
    assert "operations        3      1      2    33%" in table
    assert "TOTAL            26      2     24     8%" in table


def test_a_gate_names_what_was_never_met(model: Model) -> None:
    traffic = Traffic([Exchange("GET", PRODUCT, status=200)], {LIVE})
    coverage = coverage_of(model, traffic)
    failure = Gate.parse("statuses=100").failure(coverage)
    assert failure is not None
    assert failure.startswith("statuses 4.3% is under 100%; never met: getProduct: 400, 401")
    assert "updateReference: 200, 400, 401, 403, 404, 413, 415, 429, 500" in failure
    assert Gate.parse("operations=33").failure(coverage) is None
    assert "cannot tell it" in str(Gate.parse("keywords=1").failure(coverage))
    tests = coverage_of(model, Traffic([Exchange("GET", PRODUCT, status=200)], {TESTS}))
    never = sum(len(tests.never_met(name)) for name in tests.dimensions)
    total = str(Gate.parse("90").failure(tests))
    assert total.startswith("total 0.6% is under 90%; never met: getProduct: 400, 401, ")
    assert total.endswith(f"; and {never - 30} more (term-missing lists every one)")


@pytest.mark.parametrize(
    ("text", "problem"),
    [("shoes=5", "shoes: not a dimension"), ("x", "'x': not a percentage"), ("101", "between")],
)
def test_a_bad_gate_is_named(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        Gate.parse(text)


def test_every_dimension_has_items(model: Model) -> None:
    assert set(DIMENSIONS) == {item.dimension for item in model.items}


def test_markdown_gives_the_table_and_what_was_never_met(model: Model) -> None:
    coverage = coverage_of(model, Traffic([Exchange("GET", PRODUCT, status=200)], {LIVE}))
    text = markdown(coverage)
    assert "| operations | 3 | 1 | 2 | 33% |" in text
    assert "| **TOTAL** | 26 | 2 | 24 | 8% |" in text
    assert "<details><summary>statuses: 22 never met</summary>" in text
    assert "- `getSegment`: `200`, `400`, `401`, `403`, `404`, `429`, `500`" in text
