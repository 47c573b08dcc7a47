"""The /_mock/ admin API: health, reset, and the test-double calls over HTTP.

Its routes, parameters and bodies are those of admin-openapi.yaml (shipped in
the package), read and checked by the same Spec and validation as the Octave
contract. A bad request is a 400 naming the field and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from octave_kit import validation
from octave_kit.http_io import Answer, Json, Problem, Request, read_body
from octave_kit.spec import Spec
from octave_mock.additions import DoubleError
from octave_mock.refusal import refusal, routed

if TYPE_CHECKING:
    from octave_mock.app import MockServer

ADMIN_PREFIX = "/_mock/"
ADMIN_SPEC_PATH = Path(__file__).with_name("admin-openapi.yaml")
Handler = Callable[["MockServer", Json, Json | None], Answer]


def _health(server: MockServer, params: Json, body: Json | None) -> Answer:
    return Answer(200, {"status": "ok", "database": server.store.path})


def _reset(server: MockServer, params: Json, body: Json | None) -> Answer:
    server.reset()
    return Answer(200, {"status": "reset"})


def _add_object(server: MockServer, params: Json, body: Json | None) -> Answer:
    assert body is not None  # the admin spec requires it; validation ran
    added = server.double.add(body["kind"], body["object"], body.get("workspace"), "object")
    return Answer(201, added)


def _add_script(server: MockServer, params: Json, body: Json | None) -> Answer:
    assert body is not None
    return Answer(201, server.double.fail_next(**body))


def _list_requests(server: MockServer, params: Json, body: Json | None) -> Answer:
    return Answer(200, {"requests": server.double.requests(params.get("operation"))})


def _clear_requests(server: MockServer, params: Json, body: Json | None) -> Answer:
    server.double.clear_requests()
    return Answer(200, {"status": "cleared"})


HANDLERS: dict[str, Handler] = {
    "getHealth": _health,
    "reset": _reset,
    "addObject": _add_object,
    "addScript": _add_script,
    "listRequests": _list_requests,
    "clearRequests": _clear_requests,
}


class Admin:
    def __init__(self, server: MockServer) -> None:
        self.server = server
        self.spec = Spec.load(ADMIN_SPEC_PATH)
        missing = set(self.spec.by_id) ^ set(HANDLERS)
        if missing:
            raise ValueError(f"{ADMIN_SPEC_PATH}: operations and handlers differ: {missing}")

    async def answer(self, request: Request) -> Answer:
        """Route, read and check the request by the admin spec, then carry it out."""
        try:
            op = routed(self.spec, request.method, request.path)
            body = await read_body(request, self.server.settings.max_body_bytes)
            params, found = validation.parameters(op, request.query)
            document, more = validation.request_body(op, request.media_type, body)
            if found or more:
                raise refusal(found + more)
            return HANDLERS[op.operation_id](self.server, params, document)
        except DoubleError as exc:
            return Answer(400, {"message": str(exc)})
        except Problem as problem:
            return Answer(problem.status, {"message": problem.message}, dict(problem.headers))
