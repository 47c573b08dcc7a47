"""Injected failures: latency, a per-key rate limit, error answers, hangs, resets and gateways.

Every fault in one place: what can be injected (Faults, the settings), the options that set
them (`--latency-ms 50:200`, `--rate-limit 5/s@getProduct`, for `octave-mock serve` and the
pytest plugin; a bad value is an argparse error naming the flag), and the injector.

Each comes from the settings (at a rate, maybe for one operation only) or from
the request's `Prefer` header (`code=404`, `latency=200`, `fault=hang`).
Disruptions (hang, reset, gateway) act before authentication, as a broken
network or load balancer would; error answers (rate limit, `code=`, the error
rate) come after it, from the API itself.
"""

from __future__ import annotations

import argparse
import math
import random
import re
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from octave_kit.http_io import HTTPError
from octave_kit.spec import Operation
from octave_mock.store import Caller

# The faults drawn at a rate, and all those that can be limited to one operation,
# by their Faults field.
RATE_FAULTS = ("error_rate", "hang_rate", "reset_rate", "gateway_rate")
SCOPABLE_FAULTS = ("latency_ms", "rate_limit", *RATE_FAULTS)


@dataclass(frozen=True)
class RateLimit:
    """At most `requests` per key in any `per_seconds` window; then 429 with Retry-After."""

    requests: int
    per_seconds: float = 60.0

    def __post_init__(self) -> None:
        if self.requests < 1:
            raise ValueError("rate_limit.requests: must be 1 or more")
        if self.per_seconds <= 0:
            raise ValueError("rate_limit.per_seconds: must be more than 0")


@dataclass(frozen=True)
class Faults:
    """Failures injected for client-resilience tests; all off by default.

    `latency_ms` is a fixed delay or a (low, high) range drawn uniformly.
    The rates are fractions of requests: `error_rate` answers 500,
    `hang_rate` never answers, `reset_rate` drops the connection, and
    `gateway_rate` answers 502, 503 or 504 with an HTML page, as a load
    balancer would. `only` limits a fault to one operation, e.g.
    `only={"error_rate": "getProduct"}`. `seed` makes the draws repeatable.
    """

    latency_ms: float | tuple[float, float] = 0.0
    rate_limit: RateLimit | None = None
    error_rate: float = 0.0
    hang_rate: float = 0.0
    reset_rate: float = 0.0
    gateway_rate: float = 0.0
    only: Mapping[str, str] = field(default_factory=dict)
    seed: int | None = None

    def __post_init__(self) -> None:
        low, high = self.latency_range
        if not 0 <= low <= high:
            raise ValueError("latency_ms: must be 0 or more, and a range low:high with low <= high")
        for name in RATE_FAULTS:
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name}: must be between 0 and 1")
        for name in self.only:
            if name not in SCOPABLE_FAULTS:
                raise ValueError(f"only: {name} is not a fault ({', '.join(SCOPABLE_FAULTS)})")

    @property
    def latency_range(self) -> tuple[float, float]:
        if isinstance(self.latency_ms, tuple):
            return self.latency_ms
        return (self.latency_ms, self.latency_ms)

    def applies(self, name: str, operation_id: str) -> bool:
        """Whether the fault `name` acts on this operation (all, unless limited by `only`)."""
        return self.only.get(name, operation_id) == operation_id


DISRUPTIONS = ("hang", "reset", "gateway")
GATEWAY_STATUSES = (502, 503, 504)
PREFERENCE = re.compile(r"([A-Za-z-]+)\s*=\s*\"?([^\s,;\"]*)\"?")
MAX_PREFERRED_LATENCY_MS = 60_000


@dataclass(frozen=True)
class Prefer:
    """What a request asked for in its `Prefer` header; other preferences are ignored."""

    code: int | None = None
    latency_ms: float | None = None
    fault: str | None = None

    @classmethod
    def parse(cls, header: str) -> Prefer:
        """The preferences the mock knows; a value it cannot use is a 400 naming it."""
        found: dict[str, str] = {}
        for name, value in PREFERENCE.findall(header):
            found[name.lower()] = value
        code = found.get("code")
        latency = found.get("latency")
        fault = found.get("fault")
        if code is not None and not (code.isdigit() and len(code) == 3):
            raise HTTPError(400, f"Prefer: code={code} is not an HTTP status")
        if latency is not None and not (
            latency.isdigit() and int(latency) <= MAX_PREFERRED_LATENCY_MS
        ):
            raise HTTPError(
                400,
                f"Prefer: latency={latency} is not a whole number of milliseconds "
                f"up to {MAX_PREFERRED_LATENCY_MS}",
            )
        if fault is not None and fault not in DISRUPTIONS:
            raise HTTPError(400, f"Prefer: fault={fault} is not one of {', '.join(DISRUPTIONS)}")
        return cls(
            code=None if code is None else int(code),
            latency_ms=None if latency is None else float(latency),
            fault=fault,
        )


class UnknownOperation(ValueError):
    """A fault is limited to an operation the spec does not have."""

    def __init__(self, fault: str, operation: str, known: list[str]) -> None:
        super().__init__(
            f"only: {fault} is limited to {operation}, which the spec does not have "
            f"({', '.join(known)})"
        )
        self.fault = fault
        self.operation = operation
        self.known = known

    def as_flag(self) -> str:
        """The same, said as the fault's flag, for the command line and the pytest plugin."""
        return (
            f"{FLAGS[self.fault]}: @{self.operation} is not an operation of the spec "
            f"({', '.join(self.known)})"
        )


class FaultInjector:
    def __init__(self, faults: Faults, operation_ids: list[str]) -> None:
        for fault, operation in faults.only.items():
            if operation not in operation_ids:
                raise UnknownOperation(fault, operation, sorted(operation_ids))
        self.faults = faults
        self._random = random.Random(faults.seed)  # noqa: S311 - not for security
        self._recent: dict[bytes, deque[float]] = {}
        # Worked out once: with no fault set, each request pays for a few lookups only.
        self._disruptions = [name for name in DISRUPTIONS if getattr(faults, f"{name}_rate")]
        self._latency = faults.latency_range if faults.latency_range[1] else None

    def reset(self) -> None:
        """As at start: every rate-limit window empty, the draws from the fault seed again."""
        self._recent.clear()
        self._random.seed(self.faults.seed)

    def disruption(self, op: Operation, prefer: Prefer) -> str | None:
        """hang, reset or gateway, if the request asked for one or a rate drew one."""
        if prefer.fault is not None:
            return prefer.fault
        for name in self._disruptions:
            if self._drawn(f"{name}_rate", op):
                return name
        return None

    def gateway_status(self) -> int:
        return self._random.choice(GATEWAY_STATUSES)

    def latency_seconds(self, op: Operation, prefer: Prefer) -> float:
        """The delay before this request is handled: Prefer's, else the configured one."""
        if prefer.latency_ms is not None:
            return prefer.latency_ms / 1000
        if self._latency is None or not self.faults.applies("latency_ms", op.operation_id):
            return 0.0
        low, high = self._latency
        return (low if low == high else self._random.uniform(low, high)) / 1000

    def inject(self, op: Operation, caller: Caller, prefer: Prefer) -> None:
        """Raise the HTTPError a fault calls for: rate limit, then `Prefer: code=`, then errors."""
        retry_after = self.retry_after(op, caller.key_hash)
        if retry_after is not None:
            raise HTTPError(
                429,
                f"Rate limit exceeded; retry after {retry_after} seconds",
                {"Retry-After": str(retry_after)},
                fault="rate-limit",
            )
        if prefer.code is not None:
            preferred_status(op, prefer.code)
        if self._drawn("error_rate", op):
            raise HTTPError.internal(fault="error")  # the access log marks it fault=error

    def retry_after(self, op: Operation, key_hash: bytes, now: float | None = None) -> int | None:
        """Seconds to wait if the key is over its limit (sliding window), else None."""
        limit = self.faults.rate_limit
        if limit is None or not self.faults.applies("rate_limit", op.operation_id):
            return None
        now = time.monotonic() if now is None else now
        recent = self._recent.setdefault(key_hash, deque())
        while recent and recent[0] <= now - limit.per_seconds:
            recent.popleft()
        if len(recent) >= limit.requests:
            return max(1, math.ceil(recent[0] + limit.per_seconds - now))
        recent.append(now)
        return None

    def _drawn(self, rate_name: str, op: Operation) -> bool:
        rate: float = getattr(self.faults, rate_name)
        return (
            rate > 0
            and self.faults.applies(rate_name, op.operation_id)
            and self._random.random() < rate
        )


def preferred_status(op: Operation, code: int) -> None:
    """`Prefer: code=N`: raise N's answer if it is an error; N must be documented."""
    if code not in op.responses:
        documented = ", ".join(map(str, sorted(op.responses)))
        raise HTTPError(
            400,
            f"Prefer: code={code} is not documented for {op.operation_id} "
            f"(documented: {documented})",
        )
    if code >= 300:
        headers = {"Retry-After": "1"} if code in op.retry_after_statuses else {}
        message = f"{HTTPStatus(code).phrase} (asked for by Prefer: code={code})"
        raise HTTPError(code, message, headers, fault="prefer")


# The options that set the faults.
WINDOWS = {"s": 1.0, "sec": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0, "hour": 3600.0}
# Faults field -> the flag that sets it: latency_ms -> --latency-ms.
FLAGS = {name: "--" + name.replace("_", "-") for name in SCOPABLE_FAULTS}
Scoped = tuple[Any, str | None]  # a fault's value and the operation it is limited to


def _scoped(parse: Callable[[str], Any]) -> Callable[[str], Scoped]:
    """A value parser that also takes an optional `@operationId` suffix."""

    def parse_scoped(text: str) -> Scoped:
        value, _, operation = text.partition("@")
        if "@" in text and not operation:
            raise argparse.ArgumentTypeError(f"{text!r}: name an operation after @")
        return parse(value), operation or None

    return parse_scoped


def _latency(text: str) -> float | tuple[float, float]:
    low, _, high = text.partition(":")
    try:
        values = (float(low), float(high or low))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not milliseconds: give MS or LOW:HIGH, e.g. 200 or 50:200"
        ) from None
    if not 0 <= values[0] <= values[1]:
        raise argparse.ArgumentTypeError(f"{text!r}: need 0 <= LOW <= HIGH")
    return values[0] if not high else values


def _rate_limit(text: str) -> RateLimit:
    count, _, window = text.partition("/")
    if not count.isdigit() or int(count) < 1 or (window and window not in WINDOWS):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a rate: give N/s, N/min or N/h, N at least 1 (plain N: per minute)"
        )
    return RateLimit(int(count), WINDOWS[window] if window else 60.0)


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a fraction between 0 and 1")
    return value


def add_fault_arguments(parser: argparse.ArgumentParser) -> None:
    faults = parser.add_argument_group(
        "fault injection (off by default; append @operationId to limit one to an operation)"
    )
    faults.add_argument(
        "--latency-ms",
        type=_scoped(_latency),
        metavar="MS|LOW:HIGH",
        help="delay every API request by MS, or by a uniform draw between LOW and HIGH",
    )
    faults.add_argument(
        "--rate-limit",
        type=_scoped(_rate_limit),
        metavar="N/WINDOW",
        help="allow N requests per key in any window (s, min or h; plain N: per minute), then 429",
    )
    rates = {
        "--error-rate": "answer 500",
        "--hang-rate": "hang: accept and never answer",
        "--reset-rate": "reset the connection without an answer",
        "--gateway-rate": "answer 502, 503 or 504 with an HTML page, like a load balancer",
    }
    for flag, effect in rates.items():
        faults.add_argument(
            flag, type=_scoped(_fraction), metavar="F", help=f"a fraction F of requests: {effect}"
        )
    faults.add_argument(
        "--fault-seed", type=int, metavar="N", help="seed for the drawn faults: repeatable runs"
    )


def faults_from(args: argparse.Namespace) -> Faults:
    """The Faults the parsed options describe."""
    values: dict[str, Any] = {}
    only: dict[str, str] = {}
    for name in FLAGS:
        given: Scoped | None = getattr(args, name)
        if given is None:
            continue
        values[name], operation = given
        if operation is not None:
            only[name] = operation
    return Faults(**values, only=only, seed=args.fault_seed)
