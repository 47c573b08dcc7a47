"""Run the mock on a real socket inside a test: `with running_mock() as mock: ...`.

For users' own integration tests as much as for the kit's: the server listens
on a free loopback port in a background thread and stops when the block ends.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import uvicorn

from octave_kit.http_io import UVICORN_OPTIONS
from octave_kit.json_text import Json
from octave_kit.local_server import wait_until
from octave_mock.app import MockApp, MockServer, create_app
from octave_mock.journal import RecordedRequest
from octave_mock.settings import Settings

if TYPE_CHECKING:  # ASGI's types only; Starlette is not needed at run time
    from octave_client import Octave
    from starlette.types import ASGIApp

START_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class RunningMock:
    base_url: str
    app: MockApp

    @property
    def server(self) -> MockServer:
        return self.app.server

    @property
    def workspaces(self) -> list[str]:
        """The seeded workspaces' oIds, the first one's keys being the default."""
        return list(self.server.seed.workspaces)

    def key(self, workspace_oid: str | None = None, read_only: bool = False) -> str:
        """A seeded key: of the first workspace unless one is named."""
        if workspace_oid is not None and workspace_oid not in self.workspaces:
            known = ", ".join(self.workspaces)
            raise LookupError(f"{workspace_oid}: not a workspace of the seed ({known})")
        for key in self.server.seed.keys:
            if key.read_only == read_only and workspace_oid in (None, key.workspace_oid):
                return key.key
        kind = "read-only" if read_only else "read-write"
        where = workspace_oid or "any workspace"
        raise LookupError(f"the seed has no {kind} key of {where}")

    def other_workspace_key(self) -> str:
        """A read-write key of another workspace than `key()`'s: for tenancy tests."""
        first = self.workspaces[0]
        for key in self.server.seed.keys:
            if key.workspace_oid != first and not key.read_only:
                return key.key
        raise LookupError("the seed has no read-write key of a second workspace")

    def reset(self) -> None:
        """The state at start, as POST /_mock/reset gives: the seed's objects, no scripts, an
        empty journal, every rate-limit window empty and the fault draws from their seed."""
        self.server.double.reset()

    def add_product(self, fields: Json, *, workspace: str | None = None) -> Json:
        """Store a product of the test's own, checked as a seed's; it as the API serves it."""
        return self.server.double.add("product", fields, workspace)

    def add_segment(self, fields: Json, *, workspace: str | None = None) -> Json:
        """Store a segment of the test's own, checked as a seed's; it as the API serves it."""
        return self.server.double.add("segment", fields, workspace)

    def add_reference(self, fields: Json, *, workspace: str | None = None) -> Json:
        """Store a reference of the test's own, checked as a seed's; it as the API serves it."""
        return self.server.double.add("reference", fields, workspace)

    def fail_next(
        self,
        operation: str,
        *,
        times: int = 1,
        status: int | None = None,
        fault: str | None = None,
        latency_ms: int | None = None,
        key: str | None = None,
        retry_after: int | None = None,
    ) -> None:
        """The next `times` requests to `operation` (of `key` only, if given) answer `status`,
        meet `fault` (hang, reset, gateway), or wait `latency_ms` first; then all is normal.

        A scripted error says `Retry-After: 0`; a 429 or 503 says `retry_after` if given.
        """
        script = {"times": times, "status": status, "fault": fault, "latency_ms": latency_ms}
        self.server.double.fail_next(operation, **script, key=key, retry_after=retry_after)

    def requests(self, operation: str | None = None) -> list[RecordedRequest]:
        """Every API request answered since the last reset, oldest first (the journal)."""
        entries = self.server.double.requests(operation)
        return [RecordedRequest(**entry) for entry in entries]

    def clear_requests(self) -> None:
        """Empty the journal, as DELETE /_mock/requests does."""
        self.server.double.clear_requests()

    def client(self, api_key: str | None = None, **options: Any) -> Octave:
        """A ready `octave_client.Octave` for this mock (needs the client package)."""
        from octave_client import Octave  # the client is a separate package; only here

        return Octave(api_key=api_key or self.key(), base_url=self.base_url, **options)


@contextmanager
def running_mock(
    settings: Settings | None = None, host: str = "127.0.0.1"
) -> Iterator[RunningMock]:
    app = create_app(settings)
    with serving(app, host) as base_url:
        yield RunningMock(base_url=base_url, app=app)


@contextmanager
def serving(app: ASGIApp, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve any ASGI app (the mock, or a wrapper around it) and yield its base URL."""
    # "error": the contract's malformed probes would each log a warning.
    config = uvicorn.Config(app, host=host, port=0, log_level="error", **UVICORN_OPTIONS)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="octave-mock", daemon=True)
    thread.start()
    # Port 0 lets the kernel pick a free port, so readiness is uvicorn's own flag.
    wait_until(
        lambda: server.started,
        START_TIMEOUT_SECONDS,
        what="the in-process server",
        still_running=thread.is_alive,
    )
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(START_TIMEOUT_SECONDS)
