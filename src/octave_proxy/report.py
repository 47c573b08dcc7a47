"""The proxy's JSON Lines report: a line per request, and a summary per operation at exit."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO


@dataclass(frozen=True)
class Entry:
    """One request: what to quote to the upstream's support, and what broke the contract."""

    time: str  # when it arrived, ISO 8601 UTC
    request_id: str | None  # the upstream's (its `_metadata`), or the proxy's for a refusal
    operation: str
    method: str
    path: str
    oid: str | None  # the object it names, in its query or its body
    status: int | None
    violations: list[dict[str, Any]]  # in Prism's format
    refused: bool = False  # answered by the proxy itself: not the upstream's answer


@dataclass
class OperationTally:
    requests: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    violations: Counter[str] = field(default_factory=Counter)  # by "<side>.<place>:<code>"


class Report:
    """What went through the proxy: a line per request, and per operation when it stops."""

    def __init__(self, path: Path | None) -> None:
        self._file: TextIO | None = path.open("a", encoding="utf-8") if path else None
        self.tallies: dict[str, OperationTally] = {}

    def add(self, entry: Entry) -> None:
        tally = self.tallies.setdefault(entry.operation, OperationTally())
        tally.requests += 1
        tally.statuses[str(entry.status) if entry.status is not None else "none"] += 1
        for violation in entry.violations:
            side, place = violation["location"][:2]
            tally.violations[f"{side}.{place}:{violation['code']}"] += 1
        self._write(
            {
                "time": entry.time,
                "requestId": entry.request_id,
                "operation": entry.operation,
                "method": entry.method,
                "path": entry.path,
                "oId": entry.oid,
                "status": entry.status,
                "violations": entry.violations,
                **({"refused": True} if entry.refused else {}),
            }
        )

    def close(self) -> None:
        for operation, tally in sorted(self.tallies.items()):
            self._write(
                {
                    "summary": operation,
                    "requests": tally.requests,
                    "statuses": dict(sorted(tally.statuses.items())),
                    "violations": dict(sorted(tally.violations.items())),
                }
            )
        if self._file is not None:
            self._file.close()
            self._file = None

    def _write(self, line: dict[str, Any]) -> None:
        if self._file is not None:
            self._file.write(json.dumps(line, ensure_ascii=False) + "\n")
            self._file.flush()
