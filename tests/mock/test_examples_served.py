"""Each named 200 example of openapi.yaml is the mock's answer to the request example of its name.

The docs' workspace of the bundled seed holds the examples' objects, so tools that turn the
spec's examples into tests (Specmatic pairs request and response examples by name) get the
documented answers, and the examples cannot drift from what the mock serves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from octave_mock.testing import RunningMock
from spec_tools.specmatic_tests import DOCS_WORKSPACE
from tests.mock.support import TIMESTAMP
from tests.openapi_document import Node, operations, resolve, shared_openapi

JSON = "application/json"


@dataclass(frozen=True)
class Pair:
    """A request example and the 200 example of the same name, for one operation."""

    operation_id: str
    method: str
    path: str
    name: str
    query: dict[str, Any]
    body: Node | None
    answer: Node


def examples_of(document: Node, holder: Node) -> dict[str, Any]:
    """name -> value of a parameter's or a media type's named examples."""
    return {
        name: resolve(document, example)[0]["value"]
        for name, example in holder.get("examples", {}).items()
    }


def pairs() -> list[Pair]:
    """Every named 200 example with its request example."""
    document = shared_openapi()
    found = []
    for operation_id, method, path, operation in operations(document):
        answers = examples_of(document, operation["responses"]["200"]["content"][JSON])
        parameters = [resolve(document, found)[0] for found in operation.get("parameters", [])]
        body = operation.get("requestBody", {}).get("content", {}).get(JSON, {})
        bodies = examples_of(document, body)
        for name, answer in answers.items():
            query = {p["name"]: examples_of(document, p)[name] for p in parameters}
            found.append(Pair(operation_id, method, path, name, query, bodies.get(name), answer))
    return found


PAIRS = pairs()


def without_varying(operation_id: str, body: Node) -> Node:
    """An answer without what differs on every request: `_metadata`, and an update's `updatedAt`."""
    kept = {name: value for name, value in body.items() if name != "_metadata"}
    if operation_id == "updateReference":
        kept["data"] = {name: value for name, value in kept["data"].items() if name != "updatedAt"}
    return kept


def test_every_operation_has_named_examples_paired() -> None:
    """Each operation's 200 examples all have a request example of the same name."""
    expected = {
        "getProduct": ["docs", "service", "solution"],
        "getSegment": ["docs", "enterprise"],
        "updateReference": ["docs", "partial"],
    }
    found: dict[str, list[str]] = {}
    for pair in PAIRS:
        assert pair.query or pair.body is not None, (pair.operation_id, pair.name)
        found.setdefault(pair.operation_id, []).append(pair.name)
    assert expected == found


@pytest.mark.parametrize("pair", PAIRS, ids=[f"{p.operation_id}-{p.name}" for p in PAIRS])
def test_the_mock_answers_the_example(mock: RunningMock, http: httpx.Client, pair: Pair) -> None:
    """The docs' workspace answers the request example with its 200 example, `_metadata` aside."""
    response = http.request(
        pair.method.upper(),
        pair.path,
        params=pair.query,
        json=pair.body,
        headers={"api_key": mock.key(DOCS_WORKSPACE)},
    )
    assert 200 == response.status_code, response.text
    sent = response.json()
    assert without_varying(pair.operation_id, pair.answer) == without_varying(
        pair.operation_id, sent
    )
    if pair.operation_id == "updateReference":  # set by the update itself: now, in the docs' form
        assert TIMESTAMP.fullmatch(sent["data"]["updatedAt"]), sent["data"]["updatedAt"]


def test_other_workspaces_do_not_see_the_docs_objects(
    mock: RunningMock, http: httpx.Client
) -> None:
    """The docs' objects answer 404 to Acme's and Globex's keys, as any other workspace's do."""
    statuses = {
        (workspace, pair.operation_id, pair.name): http.request(
            pair.method.upper(),
            pair.path,
            params=pair.query,
            json=pair.body,
            headers={"api_key": mock.key(workspace)},
        ).status_code
        for workspace in mock.workspaces
        if workspace != DOCS_WORKSPACE
        for pair in PAIRS
    }
    assert {404} == set(statuses.values()), statuses
