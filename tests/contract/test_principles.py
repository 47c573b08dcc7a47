"""The principles are derived from the spec, and their equivalent forms mean the same request."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs

import pytest
from schemathesis.python import asgi

from octave_contract.engine import BASE_URL
from octave_contract.principles import (
    EQUIVALENT_FORMS,
    NO_ERROR_CHANGES,
    Client,
    Request,
    check_principles,
    operations_of,
)
from octave_contract.run_inputs import mock_inputs
from octave_contract.run_state import load_schema
from octave_mock import Settings, create_app


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return copy.deepcopy(dict(load_schema(mock_inputs()).raw_schema))


@pytest.fixture
def client() -> Iterator[Client]:
    app = create_app(Settings(validate_responses=True))
    with asgi.get_client(app) as session:  # type: ignore[arg-type]  # ASGI's types, two spellings
        yield Client(session, BASE_URL)


def test_the_mock_keeps_every_principle(spec: dict[str, Any], client: Client) -> None:
    """Against the mock, no principle finds anything, and every operation was asked."""
    run = check_principles(mock_inputs(), spec, client)
    assert [] == run.findings
    assert 3 == len(run.operations)


def test_a_documented_status_nothing_provokes_fails_the_run(
    spec: dict[str, Any], client: Client
) -> None:
    """A status the spec documents for a write, and the run cannot provoke, is never skipped."""
    responses = spec["paths"]["/api/v2/reference/update"]["post"]["responses"]
    responses["409"] = responses["404"]
    found = check_principles(mock_inputs(), spec, client).findings
    assert [NO_ERROR_CHANGES] == [f.check for f in found]
    assert "updateReference documents 409" in found[0].message


def plain_requests(spec: dict[str, Any]) -> list[Request]:
    inputs = mock_inputs()
    return [
        op.request(inputs.own_objects[op.kind], inputs.key, op.changes("x") or None)
        for op in operations_of(spec)
    ]


def meaning(request: Request) -> tuple[object, ...]:
    """What a request means: header names folded, the media type's type and subtype folded
    and its charset dropped (RFC 8259 §11), the JSON parsed, the query decoded."""
    headers = {name.lower(): value for name, value in request.headers}
    media_type = headers.pop("content-type", "").split(";")[0].strip().lower()
    body = json.loads(request.body) if request.body is not None else None
    return request.method, request.path, parse_qs(request.query), headers, media_type, body


@pytest.mark.parametrize("form", EQUIVALENT_FORMS, ids=[f.name for f in EQUIVALENT_FORMS])
def test_each_form_means_the_plain_request(form: Any, spec: dict[str, Any]) -> None:
    """Each form changes how a request is written, never what it means; each applies somewhere."""
    rewritten = [(plain, form.rewrite(plain)) for plain in plain_requests(spec)]
    applied = [(plain, other) for plain, other in rewritten if other is not None]
    assert applied, f"{form.name} applies to no operation"
    for plain, other in applied:
        assert plain != other
        assert meaning(plain) == meaning(other)
