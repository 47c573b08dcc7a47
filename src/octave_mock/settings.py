"""How a mock server is configured: where its spec, seed and database are, and its faults."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from octave_kit.contract_file import SPEC_PATH
from octave_mock.seed import DEFAULT_SEED

IN_MEMORY = ":memory:"


@dataclass(frozen=True)
class Faults:
    """Failures injected for client-resilience tests; all off by default."""

    latency_ms: float = 0.0
    rate_limit_per_minute: int | None = None
    error_rate: float = 0.0
    seed: int | None = None

    def __post_init__(self) -> None:
        if self.latency_ms < 0:
            raise ValueError("latency_ms: must be 0 or more")
        if self.rate_limit_per_minute is not None and self.rate_limit_per_minute < 1:
            raise ValueError("rate_limit_per_minute: must be 1 or more")
        if not 0.0 <= self.error_rate <= 1.0:
            raise ValueError("error_rate: must be between 0 and 1")


@dataclass(frozen=True)
class Settings:
    spec_path: Path = SPEC_PATH
    db_path: str = IN_MEMORY
    seed_path: Path = DEFAULT_SEED
    validate_responses: bool = False
    max_body_bytes: int = 1024 * 1024
    faults: Faults = field(default_factory=Faults)
