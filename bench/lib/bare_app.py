"""The ceiling: uvicorn + Starlette answering the benchmarked paths with a fixed JSON body.

Run exactly as `octave-mock serve` runs the mock (single worker, uvicorn's
fast stack: uvloop and httptools, with the mock's protocol, which sends an
answer's head and body in one write; no access log, no proxy headers, no
server header), but with no routing by spec, no authentication, no validation
and no database.

    python -m bench.lib.bare_app --port 8000 [--log-level warning]
"""

from __future__ import annotations

import argparse

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from octave_kit.http_io import UVICORN_OPTIONS

PRODUCT_PATH = "/api/v2/product/get"
REFERENCE_PATH = "/api/v2/reference/update"
FIXED = {
    "_metadata": {"requestId": "req_bare", "timestamp": "2026-01-01T00:00:00.000Z", "usage": 0},
    "oId": "bare",
    "name": "A fixed answer",
}


async def fixed(request: Request) -> Response:
    await request.body()  # read what the client sent, as any real endpoint would
    return JSONResponse(FIXED)


app = Starlette(
    routes=[
        Route(PRODUCT_PATH, fixed, methods=["GET"]),
        Route(REFERENCE_PATH, fixed, methods=["POST"]),
    ]
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.lib.bare_app")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument(
        "--log-level", default="warning", choices=["critical", "error", "warning", "info", "debug"]
    )
    args = parser.parse_args(argv)
    # The same options as octave-mock serve (octave_cli.hosting.server_options).
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, **UVICORN_OPTIONS)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
