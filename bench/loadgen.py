"""A closed-loop HTTP/1.1 load generator: N keep-alive connections, one request in flight each.

Run as its own process (`python -m bench.loadgen '<json LoadSpec>'`); it prints one
JSON object (a `LoadResult`) on stdout. It uses asyncio protocols rather than
streams and parses only what it needs (status line, Content-Length), so one
core drives several times what a single-worker uvicorn server can answer;
`bench.run` checks that against `bench.trivial_server` on every run.

Every response is checked: a status other than the expected one, a broken
connection, a response it cannot frame or a request still unanswered at the
end is an error. Only responses completed inside the measured window count
towards throughput and latency; those of the warm-up are checked too.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

DRAIN_SECONDS = 5.0
CONNECT_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class LoadSpec:
    host: str
    port: int
    method: str
    path: str
    headers: list[tuple[str, str]]
    body: str
    expect_status: int
    concurrency: int
    warmup_s: float
    duration_s: float
    # Processes whose CPU time is sampled at the edges of the measured window.
    cpu_pids: list[int] = field(default_factory=list)

    @classmethod
    def from_json(cls, text: str) -> LoadSpec:
        raw: dict[str, Any] = json.loads(text)
        raw["headers"] = [(str(name), str(value)) for name, value in raw["headers"]]
        return cls(**raw)


@dataclass
class LoadResult:
    requests: int  # completed inside the measured window
    seconds: float  # length of the measured window
    rps: float
    latencies_us: list[int]  # one per request of the window, sorted
    checked: int  # every response received, warm-up included
    statuses: dict[str, int]
    errors: int
    error_kinds: dict[str, int]
    body_bytes: int  # body length of the last response
    loadgen_cpu: float  # CPU seconds / wall seconds of this process over the window
    server_cpu: float | None  # the same for cpu_pids, summed; None without /proc
    machine_cpu: float | None  # busy CPUs of the whole machine (all processes); None without /proc


def build_request(spec: LoadSpec) -> bytes:
    body = spec.body.encode()
    lines = [f"{spec.method} {spec.path} HTTP/1.1", f"Host: {spec.host}:{spec.port}"]
    lines += [f"{name}: {value}" for name, value in spec.headers]
    if body or spec.method in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


class Run:
    """What the connections share: the window, the counters, the request bytes."""

    def __init__(self, spec: LoadSpec, request: bytes) -> None:
        self.spec = spec
        self.request = request
        self.window_start = self.window_end = 0.0
        self.latencies: list[float] = []
        self.statuses: Counter[int] = Counter()
        self.errors: Counter[str] = Counter()
        self.in_flight = 0
        self.body_bytes = 0
        self.stopping = True  # until begin(): nobody sends while the connections open
        self.idle = asyncio.Event()

    def begin(self) -> None:
        self.window_start = time.perf_counter() + self.spec.warmup_s
        self.window_end = self.window_start + self.spec.duration_s
        self.stopping = False

    def finished(self, sent_at: float, status: int, body_bytes: int) -> None:
        now = time.perf_counter()
        self.in_flight -= 1
        self.statuses[status] += 1
        self.body_bytes = body_bytes
        if status != self.spec.expect_status:
            self.errors[f"status {status}"] += 1
        if self.window_start <= now < self.window_end:
            self.latencies.append(now - sent_at)
        if self.in_flight == 0 and self.stopping:
            self.idle.set()

    def failed(self, kind: str) -> None:
        self.in_flight -= 1
        self.errors[kind] += 1
        if self.in_flight == 0 and self.stopping:
            self.idle.set()

    def should_send(self) -> bool:
        return not self.stopping and time.perf_counter() < self.window_end


class Client(asyncio.Protocol):
    """One keep-alive connection: send, read the whole response, send again."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.transport: asyncio.Transport | None = None
        self.buffer = b""
        self.waiting = False  # a request is in flight
        self.sent_at = 0.0
        self.status = 0
        self.body_needed = -1  # -1: still reading the head
        self.close_after = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.send()

    def send(self) -> None:
        assert self.transport is not None
        if not self.run.should_send():
            return
        self.waiting = True
        self.run.in_flight += 1
        self.sent_at = time.perf_counter()
        self.transport.write(self.run.request)

    def data_received(self, data: bytes) -> None:
        buffer = self.buffer + data if self.buffer else data
        while True:
            if self.body_needed < 0:
                end = buffer.find(b"\r\n\r\n")
                if end < 0:
                    break
                head = buffer[:end].lower()
                buffer = buffer[end + 4 :]
                if not self.read_head(head):
                    return
            if len(buffer) < self.body_needed:
                break
            body_bytes, buffer = self.body_needed, buffer[self.body_needed :]
            self.body_needed = -1
            if not self.waiting:
                self.abort("response with no request")
                return
            self.waiting = False
            self.run.finished(self.sent_at, self.status, body_bytes)
            if self.close_after:
                self.abort(None)
                return
            self.send()
        self.buffer = buffer

    def read_head(self, head: bytes) -> bool:
        """Take the status and body length from a lower-cased response head."""
        try:
            self.status = int(head[9:12])
        except ValueError:
            self.abort("unparsable status line")
            return False
        if b"\r\ntransfer-encoding:" in head:
            self.abort("chunked response (unsupported)")
            return False
        length = content_length(head)
        if length is None:
            self.abort("response without Content-Length")
            return False
        self.body_needed = length
        self.close_after = b"\r\nconnection: close" in head
        return True

    def abort(self, kind: str | None) -> None:
        if kind is not None:
            self.run.errors[kind] += 1
        if self.waiting:
            self.waiting = False
            self.run.failed("connection closed mid-request")
        if self.transport is not None:
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        if self.waiting:
            self.waiting = False
            self.run.failed("connection lost")


def content_length(head: bytes) -> int | None:
    """The Content-Length of a lower-cased HTTP head, or None if it has none."""
    start = head.find(b"\r\ncontent-length:")
    if start < 0:
        return None
    stop = head.find(b"\r\n", start + 2)
    return int(head[start + 17 : stop if stop >= 0 else None])


def cpu_seconds(pids: list[int]) -> float | None:
    """User + system CPU seconds of the processes, from /proc (Linux)."""
    total = 0
    try:
        for pid in pids:
            with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    except (OSError, IndexError, ValueError):
        return None
    return total / os.sysconf("SC_CLK_TCK")


def machine_cpu_seconds() -> float | None:
    """Busy CPU seconds of the whole machine (every core, every process), from /proc/stat."""
    try:
        with open("/proc/stat", encoding="ascii") as handle:
            ticks = [int(value) for value in handle.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = ticks[3] + ticks[4]  # idle, iowait
    # guest and guest_nice are already counted in user and nice.
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def generate(spec: LoadSpec) -> LoadResult:
    run = Run(spec, build_request(spec))
    loop = asyncio.get_running_loop()
    # Open every connection first, then let them all loose at once. A connection
    # the server closes is not reopened: it shows up in the error counts.
    clients: list[Client] = []
    for _ in range(spec.concurrency):
        _, client = await asyncio.wait_for(
            loop.create_connection(lambda: Client(run), spec.host, spec.port),
            CONNECT_TIMEOUT_SECONDS,
        )
        clients.append(client)
    run.begin()
    for client in clients:
        client.send()

    await asyncio.sleep(max(0.0, run.window_start - time.perf_counter()))
    wall0, own0, server0 = time.perf_counter(), own_cpu_seconds(), cpu_seconds(spec.cpu_pids)
    machine0 = machine_cpu_seconds()
    await asyncio.sleep(max(0.0, run.window_end - time.perf_counter()))
    wall1, own1, server1 = time.perf_counter(), own_cpu_seconds(), cpu_seconds(spec.cpu_pids)
    machine1 = machine_cpu_seconds()

    run.stopping = True
    if run.in_flight > 0:
        try:
            await asyncio.wait_for(run.idle.wait(), DRAIN_SECONDS)
        except TimeoutError:
            run.errors["unanswered at the end"] += run.in_flight
    for client in clients:
        if client.transport is not None:
            client.transport.close()

    wall = wall1 - wall0
    latencies = sorted(round(seconds * 1e6) for seconds in run.latencies)
    return LoadResult(
        requests=len(latencies),
        seconds=spec.duration_s,
        rps=len(latencies) / spec.duration_s,
        latencies_us=latencies,
        checked=sum(run.statuses.values()),
        statuses={str(code): count for code, count in sorted(run.statuses.items())},
        errors=sum(run.errors.values()),
        error_kinds=dict(run.errors),
        body_bytes=run.body_bytes,
        loadgen_cpu=(own1 - own0) / wall,
        server_cpu=None if server0 is None or server1 is None else (server1 - server0) / wall,
        machine_cpu=None if machine0 is None or machine1 is None else (machine1 - machine0) / wall,
    )


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m bench.loadgen '<LoadSpec as JSON>'", file=sys.stderr)
        return 2
    result = asyncio.run(generate(LoadSpec.from_json(args[0])))
    json.dump(asdict(result), sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
