"""Optic's verdict on changed specs: its breaking-change rules, and every difference it found.

The only place that runs Optic (`optic diff-all`, pinned in package.json). One run judges every
changed spec of a scratch repository, so a batch of changes pays Node's start-up once.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spec_tools.git import ToolError, run_tool, tool_seconds
from spec_tools.repository import checkout

COMMAND = ("diff-all", "--compare-from", "HEAD", "--check")
# In CI mode Optic also writes what it found, as data, into this file of its working directory.
RUN_DETAILS = "ci-run-details.json"
# In CI mode Optic ends with a box inviting to its cloud service.
ADVERT = "\n Finish setting up Optic"
SECTION = re.compile(r"^Diffing HEAD:(\S+) to \S+$", re.MULTILINE)
# Lines about Optic's cloud service and web view, which a reader of the report cannot use.
NOISE = re.compile(
    r"^(Preview docs: .*|Configure check standards in optic cloud.*|Rerun this command.*)\n?",
    re.MULTILINE,
)


@dataclass(frozen=True)
class Difference:
    """One difference Optic found, as JSON Pointers into the old and the new spec."""

    change: str  # added, removed or changed
    before: str | None
    after: str | None


@dataclass(frozen=True)
class Verdict:
    breaks: tuple[str, ...]  # the message of each breaking-change rule that failed
    differences: tuple[Difference, ...]
    report: str  # Optic's own listing of the changes and the broken rules


def compare(repo: Path, names: Sequence[str]) -> dict[str, Verdict]:
    """Optic's verdict on each spec `names` of `repo`: its working tree against HEAD."""
    optic = checkout() / "node_modules" / ".bin" / "optic"
    if not optic.exists():
        raise ToolError(
            f"comparing specs takes Optic, a Node tool, and {optic} is missing:"
            " `make node-tools` installs it (it needs npm on PATH)"
        )
    match = ",".join(names)
    completed = run_tool(
        [str(optic), *COMMAND, "--match", match],
        repo,
        tool_seconds(len(names)),
        env={**os.environ, "OPTIC_TELEMETRY_LEVEL": "off", "CI": "true"},
    )
    details_path = repo / RUN_DETAILS
    if completed.returncode not in (0, 1) or not details_path.exists():
        raise ToolError(f"optic diff-all failed:\n{completed.stdout}{completed.stderr}")
    output = completed.stdout.split(ADVERT)[0]
    reports = dict(sections(NOISE.sub("", output)))
    try:
        details = json.loads(details_path.read_text(encoding="utf-8"))
        if details["failed"]:
            raise ToolError(f"optic could not compare: {details['failed']}")
        verdicts = {name: Verdict((), (), reports.get(name, "")) for name in names}
        for compared in details["completed"]:
            verdicts[compared["apiName"]] = verdict(
                compared["comparison"], reports.get(compared["apiName"], "")
            )
    except (KeyError, TypeError, ValueError) as error:
        raise ToolError(f"optic's {RUN_DETAILS} is not as expected: {error!r}") from error
    return verdicts


def verdict(comparison: dict[str, Any], report: str) -> Verdict:
    """One spec's verdict from its part of Optic's run details."""
    return Verdict(
        breaks=tuple(
            f"[{rule['name']}] {rule['error']}"
            for rule in comparison["results"]
            if not rule["passed"] and not rule.get("exempted")
        ),
        differences=tuple(differences(comparison["groupedDiffs"])),
        report=report,
    )


def sections(output: str) -> Iterator[tuple[str, str]]:
    """Optic's text output, split into each file's part."""
    starts = list(SECTION.finditer(output))
    for number, start in enumerate(starts):
        end = starts[number + 1].start() if number + 1 < len(starts) else len(output)
        yield start[1], output[start.end() : end].strip("\n")


def differences(node: Any) -> Iterator[Difference]:
    """Every difference in Optic's grouped diffs, wherever it is grouped."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "diffs":
                for found in value:
                    yield Difference(found["change"], found.get("before"), found.get("after"))
            else:
                yield from differences(value)
    elif isinstance(node, list):
        for value in node:
            yield from differences(value)
