"""How a mock server is configured: where its spec, seed and database are, and its faults."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from octave_kit.contract_file import SPEC_PATH

IN_MEMORY = ":memory:"
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


@dataclass(frozen=True)
class Settings:
    spec_path: Path = SPEC_PATH
    db_path: str = IN_MEMORY
    seed_path: Path | None = None  # None: the bundled seed
    reset_db: bool = False  # replace whatever the database holds with the seed
    validate_responses: bool = False
    max_body_bytes: int = 1024 * 1024
    journal_size: int = 1000  # the last requests the journal keeps; 0 turns it off
    journal_responses: bool = False  # the journal keeps each response's body and header names
    faults: Faults = field(default_factory=Faults)
