"""What a contract run sent and got back, per operation, read from its HAR report."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml


@dataclass
class OperationReport:
    operation_id: str
    method: str
    path: str
    documented: frozenset[int]
    statuses: Counter[int] = field(default_factory=Counter)

    @property
    def cases(self) -> int:
        return sum(self.statuses.values())

    @property
    def missing(self) -> list[int]:
        """Documented statuses the run never saw (generated requests and probes together)."""
        return sorted(self.documented - set(self.statuses))


@dataclass
class RunReport:
    operations: list[OperationReport]
    other: Counter[str] = field(default_factory=Counter)

    @classmethod
    def for_spec(cls, spec_path: Path) -> RunReport:
        return cls.for_document(yaml.load(spec_path.read_text(encoding="utf-8"), yaml.CSafeLoader))

    @classmethod
    def for_document(cls, document: dict[str, Any]) -> RunReport:
        """From the spec as already parsed (schemathesis' `raw_schema`, say)."""
        return cls(operations_of(document))

    def add(self, method: str, url: str, status: int) -> None:
        """Count one answer under its operation, or under `other` for undeclared methods."""
        path = urlsplit(url).path
        for op in self.operations:
            if (op.method, op.path) == (method, path):
                op.statuses[status] += 1
                return
        self.other[f"{method} {status}"] += 1

    def format(self, coverage: bool = True) -> str:
        """A table of cases and statuses per operation; with `coverage`, what was never seen."""
        lines = [f"{'operation':<18} {'cases':>6}  statuses seen (status: count)"]
        for op in self.operations:
            seen = ", ".join(f"{s}: {n}" for s, n in sorted(op.statuses.items())) or "none"
            lines.append(f"{op.operation_id:<18} {op.cases:>6}  {seen}")
            if coverage and op.missing:
                lines.append(f"{'':<18} {'':>6}  never saw: {', '.join(map(str, op.missing))}")
        if self.other:
            probes = sum(self.other.values())
            lines.append(f"{'(other methods)':<18} {probes:>6}  {', '.join(sorted(self.other))}")
        return "\n".join(lines)

    def all_refused(self) -> bool:
        """Whether the server answered and every answer was 401 or 403."""
        statuses = {s for op in self.operations for s in op.statuses}
        return bool(statuses) and statuses <= {401, 403}

    def coverage_problems(self) -> list[str]:
        return [
            f"{op.operation_id} never answered {', '.join(map(str, op.missing))}"
            for op in self.operations
            if op.missing
        ]


def operations_of(document: dict[str, Any]) -> list[OperationReport]:
    """One empty report per operation of the spec, with its documented statuses."""
    return [
        OperationReport(
            op["operationId"], method.upper(), path, frozenset(map(int, op["responses"]))
        )
        for path, item in document["paths"].items()
        for method, op in item.items()
        if isinstance(op, dict) and "operationId" in op
    ]


def read_har(har_path: Path, spec_path: Path) -> RunReport:
    """Count the answers of every request in the HAR file by operation and status."""
    report = RunReport.for_spec(spec_path)
    entries = json.loads(har_path.read_text(encoding="utf-8"))["log"]["entries"]
    for entry in entries:
        report.add(entry["request"]["method"], entry["request"]["url"], entry["response"]["status"])
    return report
