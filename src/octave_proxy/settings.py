"""What `octave-mock proxy` is told: where to forward, how strict to be, where to report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ProxySettings:
    upstream: str  # e.g. https://app.octavehq.com
    spec_path: Path
    errors: bool = False  # refuse bad requests (400) and bad answers (502)
    read_only: bool = False  # refuse anything but GET, HEAD and OPTIONS (403)
    report_path: Path | None = None  # JSON Lines: one line per request, a summary at exit
    record_path: Path | None = None  # a seed of every object answered, written at exit
    pact_path: Path | None = None  # a Pact file of what passed through, written at exit
    pact_consumer: str = "app"  # the Pact file's consumer
    timeout_seconds: float = 30.0
    max_body_bytes: int = 1024 * 1024
