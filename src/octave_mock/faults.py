"""Injected failures: latency, a per-key rate limit, error answers, hangs, resets and gateways.

Each comes from the settings (at a rate, maybe for one operation only) or from
the request's `Prefer` header (`code=404`, `latency=200`, `fault=hang`).
Disruptions (hang, reset, gateway) act before authentication, as a broken
network or load balancer would; error answers (rate limit, `code=`, the error
rate) come after it, from the API itself.
"""

from __future__ import annotations

import math
import random
import re
import time
from collections import deque
from dataclasses import dataclass
from http import HTTPStatus

from octave_mock.http_io import Problem
from octave_mock.settings import Faults
from octave_mock.spec import Operation
from octave_mock.store import Caller

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
            raise Problem(400, f"Prefer: code={code} is not an HTTP status")
        if latency is not None and not (
            latency.isdigit() and int(latency) <= MAX_PREFERRED_LATENCY_MS
        ):
            raise Problem(
                400,
                f"Prefer: latency={latency} is not a whole number of milliseconds "
                f"up to {MAX_PREFERRED_LATENCY_MS}",
            )
        if fault is not None and fault not in DISRUPTIONS:
            raise Problem(400, f"Prefer: fault={fault} is not one of {', '.join(DISRUPTIONS)}")
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
        """Raise the Problem a fault calls for: rate limit, then `Prefer: code=`, then errors."""
        retry_after = self.retry_after(op, caller.key_hash)
        if retry_after is not None:
            raise Problem(
                429,
                f"Rate limit exceeded; retry after {retry_after} seconds",
                {"Retry-After": str(retry_after)},
                fault="rate-limit",
            )
        if prefer.code is not None:
            preferred_status(op, prefer.code)
        if self._drawn("error_rate", op):
            raise Problem.internal(fault="error")  # the access log marks it fault=error

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
        raise Problem(
            400,
            f"Prefer: code={code} is not documented for {op.operation_id} "
            f"(documented: {documented})",
        )
    if code >= 300:
        headers = {"Retry-After": "1"} if code in op.retry_after_statuses else {}
        message = f"{HTTPStatus(code).phrase} (asked for by Prefer: code={code})"
        raise Problem(code, message, headers, fault="prefer")
