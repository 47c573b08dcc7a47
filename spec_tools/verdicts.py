"""What a change to the contract needs of info.version, and the findings that say so."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Level(enum.IntEnum):
    """The part of info.version a change must bump (docs/changing-the-contract.md)."""

    PATCH = 0
    MINOR = 1
    MAJOR = 2

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Finding:
    judge: str  # Optic, Specmatic or the kit's rules
    level: Level
    message: str
