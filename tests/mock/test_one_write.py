"""An answer's head and body leave in one write, and nothing written is held past the loop's turn.

The mock's protocol wraps each connection's transport in `OneWritePerTick`. Over a real
socket, what must not wait (a `100 Continue`, answers to pipelined requests) still goes out;
over a transport that records its writes, a head and a body written in one turn are one write.
"""

from __future__ import annotations

import asyncio
import socket
from typing import Any

from octave_kit.http_io import OneWritePerTick
from octave_mock.testing import RunningMock
from tests.mock.support import PRODUCT, PRODUCT_PATH, REFERENCE, UPDATE_PATH

TIMEOUT_SECONDS = 5.0


class RecordingTransport(asyncio.Transport):
    """A transport that keeps what is written to it, and how."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[bytes] = []
        self.events: list[str] = []

    def write(self, data: Any) -> None:
        self.writes.append(bytes(data))

    def is_closing(self) -> bool:
        return "close" in self.events or "abort" in self.events

    def close(self) -> None:
        self.events.append("close")

    def abort(self) -> None:
        self.events.append("abort")


def one_turn(work: Any) -> RecordingTransport:
    """Run `work(transport)` inside a running loop, then let the loop turn once."""
    recording = RecordingTransport()

    async def main() -> None:
        work(OneWritePerTick(recording, asyncio.get_running_loop()))
        await asyncio.sleep(0)

    asyncio.run(main())
    return recording


def test_writes_of_one_turn_leave_as_one() -> None:
    sent = one_turn(lambda transport: (transport.write(b"head\r\n\r\n"), transport.write(b"body")))
    assert [b"head\r\n\r\nbody"] == sent.writes


def test_close_sends_what_is_held_first_and_abort_drops_it() -> None:
    closed = one_turn(lambda transport: (transport.write(b"last"), transport.close()))
    aborted = one_turn(lambda transport: (transport.write(b"dropped"), transport.abort()))
    assert ([b"last"], ["close"]) == (closed.writes, closed.events)
    assert ([], ["abort"]) == (aborted.writes, aborted.events)


def connect(mock: RunningMock) -> socket.socket:
    host, port = mock.base_url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=TIMEOUT_SECONDS)


def read_answers(conn: socket.socket, count: int) -> bytes:
    """Read until `count` answers of the mock (each with Content-Length) have arrived."""
    received = b""
    while received.count(b"HTTP/1.1 ") < count or not received.endswith(b"}"):
        chunk = conn.recv(65536)
        assert chunk, f"the connection closed after {received!r}"
        received += chunk
    return received


def test_a_100_continue_goes_out_before_the_body_is_sent(mock: RunningMock) -> None:
    body = b'{"oId": "%s", "name": "Sent after 100 Continue"}' % REFERENCE.encode()
    head = (
        f"POST {UPDATE_PATH} HTTP/1.1\r\nHost: mock\r\napi_key: {mock.key()}\r\n"
        "Content-Type: application/json\r\nExpect: 100-continue\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    with connect(mock) as conn:
        conn.sendall(head.encode())
        interim = conn.recv(65536)
        conn.sendall(body)
        answer = read_answers(conn, 1)
    assert interim.startswith(b"HTTP/1.1 100 Continue\r\n")
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n")


def test_pipelined_requests_each_get_their_whole_answer_in_order(mock: RunningMock) -> None:
    request = f"GET {PRODUCT_PATH}?oId={{}} HTTP/1.1\r\nHost: mock\r\napi_key: {mock.key()}\r\n\r\n"
    with connect(mock) as conn:
        conn.sendall((request.format(PRODUCT) + request.format("p_none")).encode())
        answers = read_answers(conn, 2)
    first, second = answers.split(b"HTTP/1.1 ")[1:]
    assert first.startswith(b"200 OK")
    assert f'"oId":"{PRODUCT}"'.encode() in first
    assert second.startswith(b"404 Not Found")
