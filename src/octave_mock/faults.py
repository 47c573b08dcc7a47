"""Injected failures: a per-key rate limit and a random server-error rate."""

from __future__ import annotations

import math
import random
import time
from collections import deque

from octave_mock.settings import Faults

WINDOW_SECONDS = 60.0


class FaultInjector:
    def __init__(self, faults: Faults) -> None:
        self.faults = faults
        self._random = random.Random(faults.seed)  # noqa: S311 - not for security
        self._recent: dict[bytes, deque[float]] = {}

    def server_error(self) -> bool:
        """Whether this request should fail with a 500."""
        return self.faults.error_rate > 0 and self._random.random() < self.faults.error_rate

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
