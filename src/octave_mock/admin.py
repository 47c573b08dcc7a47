"""The /_mock/ admin API: health, reset, and the test-double calls over HTTP.

Its routes, parameters and bodies are those of admin-openapi.yaml (shipped in
the package), read and checked by the same Spec and validation as the Octave
contract. A bad request is a 400 naming the field and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from octave_kit import validation
from octave_kit.http_io import HTTPError, Request, Response, read_body
from octave_kit.json_text import Json
from octave_kit.spec import Spec
from octave_mock.additions import DoubleError
from octave_mock.double import Double
from octave_mock.refusal import refusal, routed

ADMIN_PREFIX = "/_mock/"
ADMIN_SPEC_PATH = Path(__file__).with_name("admin-openapi.yaml")
Handler = Callable[[Double, Json, Json | None], Response]


def _health(double: Double, params: Json, body: Json | None) -> Response:
    return Response(200, {"status": "ok", "database": double.store.path})


def _reset(double: Double, params: Json, body: Json | None) -> Response:
    double.reset()
    return Response(200, {"status": "reset"})


def _add_object(double: Double, params: Json, body: Json | None) -> Response:
    assert body is not None  # the admin spec requires it; validation ran
    added = double.add(body["kind"], body["object"], body.get("workspace"), "object")
    return Response(201, added)


def _add_script(double: Double, params: Json, body: Json | None) -> Response:
    assert body is not None
    return Response(201, double.fail_next(**body))


def _list_requests(double: Double, params: Json, body: Json | None) -> Response:
    return Response(200, {"requests": double.requests(params.get("operation"))})


def _clear_requests(double: Double, params: Json, body: Json | None) -> Response:
    double.clear_requests()
    return Response(200, {"status": "cleared"})


def _provider_state(double: Double, params: Json, body: Json | None) -> Response:
    assert body is not None
    if body.get("action") == "teardown":
        double.reset()
        return Response(200, {})
    return Response(200, double.provider_state(body.get("params")))


HANDLERS: dict[str, Handler] = {
    "getHealth": _health,
    "reset": _reset,
    "addObject": _add_object,
    "addScript": _add_script,
    "listRequests": _list_requests,
    "clearRequests": _clear_requests,
    "changeProviderState": _provider_state,
}


class Admin:
    """The /_mock/ routes, over the test double's calls (never the server's internals)."""

    def __init__(self, double: Double, max_body_bytes: int) -> None:
        self.double = double
        self.max_body_bytes = max_body_bytes
        self.spec = Spec.load(ADMIN_SPEC_PATH)
        missing = set(self.spec.by_id) ^ set(HANDLERS)
        if missing:
            raise ValueError(f"{ADMIN_SPEC_PATH}: operations and handlers differ: {missing}")

    async def answer(self, request: Request) -> Response:
        """Route, read and check the request by the admin spec, then carry it out."""
        try:
            op = routed(self.spec, request.method, request.path)
            body = await read_body(request, self.max_body_bytes)
            params, found = validation.parameters(op, request.query)
            document, more = validation.request_body(op, request.media_type, body)
            if found or more:
                raise refusal(found + more)
            return HANDLERS[op.operation_id](self.double, params, document)
        except DoubleError as exc:
            return Response(400, {"message": str(exc)})
        except HTTPError as error:
            return Response(error.status, {"message": error.message}, dict(error.headers))
