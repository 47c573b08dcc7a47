"""How a mock server is configured: where its spec, seed and database are, and its faults
(what they are is in faults.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from octave_kit.contract_file import SPEC_PATH
from octave_mock.faults import Faults

IN_MEMORY = ":memory:"


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
