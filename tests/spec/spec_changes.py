"""The corpus of spec changes in spec_changes.yaml, each with its verdict, ready to judge."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonpatch
import yaml

from spec_tools.compatibility import Change
from spec_tools.verdicts import Level
from tests.openapi_document import load_openapi

CORPUS = Path(__file__).with_name("spec_changes.yaml")


@dataclass(frozen=True)
class SpecChange:
    name: str
    verdict: Level
    why: str
    start: list[dict[str, Any]]
    change: list[dict[str, Any]]

    @property
    def file_name(self) -> str:
        return f"{re.sub(r'[^a-z0-9]+', '-', self.name.lower())}.yaml"

    def sides(self) -> tuple[str, str]:
        """The old spec and the new one, as text: openapi.yaml with `start`, then `change`."""
        base = jsonpatch.apply_patch(load_openapi(), self.start)
        head = jsonpatch.apply_patch(base, self.change)
        return dumped(base), dumped(head)

    def as_change(self) -> Change:
        base, head = self.sides()
        return Change(self.file_name, base, head)


def dumped(document: dict[str, Any]) -> str:
    """A spec as the corpus writes it: YAML, in the document's order."""
    return yaml.dump(document, Dumper=yaml.CSafeDumper, sort_keys=False)


def spec_changes() -> list[SpecChange]:
    return [
        SpecChange(
            name=case["name"],
            verdict=Level[case["verdict"].upper()],
            why=case["why"],
            start=case.get("start", []),
            change=case["change"],
        )
        for case in yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    ]
