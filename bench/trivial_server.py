"""The load generator's check: an asyncio server that answers every request with fixed bytes.

It does the least an HTTP/1.1 server can (find the end of the head, skip a
Content-Length body, write a canned response), so the rate the load generator
reaches against it is a floor on the load generator's own capacity.

    python -m bench.trivial_server --port 8000
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json

from bench.loadgen import content_length

BODY = json.dumps({"status": "ok", "server": "trivial"}).encode()
RESPONSE = (
    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
    b"content-length: " + str(len(BODY)).encode() + b"\r\n\r\n" + BODY
)


class Answer(asyncio.Protocol):
    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = b""
        self.body_needed = -1

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        assert self.transport is not None
        buffer = self.buffer + data if self.buffer else data
        while True:
            if self.body_needed < 0:
                end = buffer.find(b"\r\n\r\n")
                if end < 0:
                    break
                head = buffer[:end].lower()
                buffer = buffer[end + 4 :]
                self.body_needed = content_length(head) or 0
            if len(buffer) < self.body_needed:
                break
            buffer = buffer[self.body_needed :]
            self.body_needed = -1
            self.transport.write(RESPONSE)
        self.buffer = buffer


async def serve(host: str, port: int) -> None:
    server = await asyncio.get_running_loop().create_server(Answer, host, port)
    async with server:
        await server.serve_forever()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.trivial_server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.host, args.port))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
