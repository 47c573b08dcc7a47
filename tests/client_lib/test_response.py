"""client_lib/response.py as it lies in the repository: an answer becomes the model, or the
typed error."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from client_lib.errors import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    NotFoundError,
)
from client_lib.response import APIResponse, connection_error, parse_response

REQUEST = httpx.Request("GET", "http://127.0.0.1:9/api/v2/product/get?oId=p_1")


@dataclass
class Product:
    """A model as the generator makes them: `from_dict`, and the SDK's `request_id_`."""

    o_id: str
    name: str
    request_id_: str = ""

    @classmethod
    def from_dict(cls, source: dict[str, Any]) -> Product:
        name = source["name"]
        if not isinstance(name, str):
            raise TypeError(f"name: expected str, got {type(name).__name__}")
        return cls(o_id=source["oId"], name=name)


def parsed(response: httpx.Response) -> APIResponse[Product]:
    response.request = REQUEST
    return parse_response(response, Product.from_dict, 1, time.monotonic())


def test_a_success_is_the_model_with_its_request_id() -> None:
    body = {"oId": "p_1", "name": "API", "_metadata": {"requestId": "req_body"}}
    answer = parsed(httpx.Response(200, json=body, headers={"X-Request-Id": "req_1"}))
    assert (200, "req_1") == (answer.status_code, answer.request_id)
    assert Product("p_1", "API", "req_1") == answer.parse()
    assert "req_1" == answer.headers["x-request-id"]
    assert "req_body" == parsed(httpx.Response(200, json=body)).request_id


def test_an_error_status_is_its_typed_error() -> None:
    with pytest.raises(NotFoundError, match=r"^404: oId: no product p_1$"):
        parsed(httpx.Response(404, json={"message": "oId: no product p_1"}))


@pytest.mark.parametrize(
    ("response", "message"),
    [
        (httpx.Response(200, text="<html>ok</html>"), "the 200 answer is not JSON"),
        (httpx.Response(200, json=["p_1"]), "the answer is not a JSON object"),
        (httpx.Response(200, json={"oId": "p_1"}), "required field 'name' is missing"),
        (
            httpx.Response(200, json={"oId": "p_1", "name": 7}),
            "the answer does not match the spec: name: expected str, got int",
        ),
    ],
    ids=["not-json", "not-an-object", "missing-field", "wrong-type"],
)
def test_a_success_off_the_spec_is_a_validation_error(
    response: httpx.Response, message: str
) -> None:
    with pytest.raises(APIResponseValidationError) as raised:
        parsed(response)
    assert (message, 200) == (str(raised.value), raised.value.status_code)


def test_no_answer_is_a_connection_error_and_a_timeout_a_timeout_error() -> None:
    refused = connection_error(REQUEST, httpx.ConnectError("refused"))
    timed_out = connection_error(REQUEST, httpx.ReadTimeout("slow"))
    assert APIConnectionError is type(refused)
    assert APITimeoutError is type(timed_out)
    assert str(refused).startswith(f"Connection error: could not reach GET {REQUEST.url} (")
    assert str(timed_out).startswith(f"Request timed out: GET {REQUEST.url} (")
