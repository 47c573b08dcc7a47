"""Injected failures: the `Prefer` header, latency, a per-key rate limit and an error rate.

They run after authentication (the rate limit counts per key) and before
validation, so a client's resilience can be tested with any request.
"""

from __future__ import annotations

import asyncio
import math
import random
import re
import time
from collections import deque
from http import HTTPStatus

from octave_mock.http_io import Problem
from octave_mock.settings import Faults
from octave_mock.spec import Operation
from octave_mock.store import Caller

WINDOW_SECONDS = 60.0
PREFER_CODE = re.compile(r"(?:^|[;,\s])code=(\d{3})(?:$|[;,\s])")


class FaultInjector:
    def __init__(self, faults: Faults) -> None:
        self.faults = faults
        self._random = random.Random(faults.seed)  # noqa: S311 - not for security
        self._recent: dict[bytes, deque[float]] = {}

    async def delay(self) -> None:
        """The configured latency; outside the request's transaction, so others go on."""
        if self.faults.latency_ms:
            await asyncio.sleep(self.faults.latency_ms / 1000)

    def inject(self, op: Operation, caller: Caller, prefer: str) -> None:
        """Raise the Problem a fault calls for: rate limit, then `Prefer: code=`, then errors."""
        retry_after = self.retry_after(caller.key_hash)
        if retry_after is not None:
            raise Problem(
                429,
                f"Rate limit exceeded; retry after {retry_after} seconds",
                {"Retry-After": str(retry_after)},
            )
        asked = PREFER_CODE.search(prefer)
        if asked is not None:
            preferred_status(op, int(asked.group(1)))
        if self.faults.error_rate > 0 and self._random.random() < self.faults.error_rate:
            raise Problem(500, "Internal server error (injected)")

    def retry_after(self, key_hash: bytes, now: float | None = None) -> int | None:
        """Seconds to wait if the key is over its limit (sliding window), else None."""
        limit = self.faults.rate_limit_per_minute
        if limit is None:
            return None
        now = time.monotonic() if now is None else now
        recent = self._recent.setdefault(key_hash, deque())
        while recent and recent[0] <= now - WINDOW_SECONDS:
            recent.popleft()
        if len(recent) >= limit:
            return max(1, math.ceil(recent[0] + WINDOW_SECONDS - now))
        recent.append(now)
        return None


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
        raise Problem(code, message, headers)
