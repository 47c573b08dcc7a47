"""validate_responses: an answer off the contract becomes a 500 naming the field, or passes."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from octave_kit.http_io import HTTPError
from octave_kit.spec import Operation
from octave_mock.app import MockServer
from octave_mock.settings import Settings
from octave_mock.store import Caller
from octave_mock.testing import RunningMock
from tests.mock.support import (
    ACME,
    PRODUCT,
    PRODUCT_PATH,
    Json,
    StartMock,
    error_of,
    raw_client,
    seed_doc,
    without_metadata,
)

Handler = Callable[[Operation, Caller, Json, Json | None], Json]
Breakage = Callable[[Json], Json]


def without_oid(doc: Json) -> Json:
    """Drop a required member."""
    return {name: value for name, value in doc.items() if name != "oId"}


def numeric_name(doc: Json) -> Json:
    """Give a member the wrong type."""
    return {**doc, "name": 42}


def undocumented_status(doc: Json) -> Json:
    """Answer a status the operation does not document."""
    raise HTTPError(409, "oId: conflicts with itself")


BREAKAGES: list[tuple[Breakage, str]] = [
    (without_oid, "response breaks the contract: oId: is required"),
    (numeric_name, "response breaks the contract: name: expected string or null, got number"),
    (
        undocumented_status,
        "response breaks the contract: status 409 is not documented for getProduct",
    ),
]


def break_get_product(
    server: MockServer, monkeypatch: pytest.MonkeyPatch, breakage: Breakage
) -> None:
    """Make the server's getProduct handler answer off the contract."""
    original: Handler = server.handlers["getProduct"]

    def broken(op: Operation, caller: Caller, params: Json, body: Json | None) -> Json:
        return breakage(original(op, caller, params, body))

    monkeypatch.setitem(server.handlers, "getProduct", broken)


def get(mock: RunningMock) -> httpx.Response:
    """getProduct of the seeded product, over raw httpx (the client cannot parse a broken one)."""
    with raw_client(mock.base_url) as http:
        return http.get(PRODUCT_PATH, params={"oId": PRODUCT}, headers={"api_key": mock.key(ACME)})


@pytest.mark.parametrize(
    ("breakage", "message"), BREAKAGES, ids=[breakage.__name__ for breakage, _ in BREAKAGES]
)
def test_validation_on_turns_a_broken_answer_into_500(
    mock: RunningMock,
    monkeypatch: pytest.MonkeyPatch,
    breakage: Breakage,
    message: str,
) -> None:
    """With validate_responses=True the mock answers 500 with a message naming the field."""
    break_get_product(mock.server, monkeypatch, breakage)
    response = get(mock)
    expected = (500, message)
    assert expected == (response.status_code, error_of(response).message)


@pytest.mark.parametrize("breakage", [without_oid, numeric_name])
def test_validation_off_passes_a_broken_document_through(
    start_mock: StartMock, monkeypatch: pytest.MonkeyPatch, breakage: Breakage
) -> None:
    """With validate_responses=False the broken document goes out as the handler made it."""
    mock = start_mock(Settings(validate_responses=False))
    break_get_product(mock.server, monkeypatch, breakage)
    response = get(mock)
    expected = (200, breakage(seed_doc(mock.server, "product", PRODUCT)))
    assert expected == (response.status_code, without_metadata(response.json()))


def test_validation_off_passes_an_undocumented_status_through(
    start_mock: StartMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With validate_responses=False an undocumented status goes out as the handler made it."""
    mock = start_mock(Settings(validate_responses=False))
    break_get_product(mock.server, monkeypatch, undocumented_status)
    response = get(mock)
    expected = (409, "oId: conflicts with itself")
    assert expected == (response.status_code, error_of(response).message)


def test_unbroken_answers_pass_validation(mock: RunningMock) -> None:
    """The seeded product passes validation untouched: the check is not a blanket 500."""
    expected = 200
    assert expected == get(mock).status_code
