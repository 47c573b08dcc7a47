"""Specmatic's verdict on changed specs: its backward-compatibility check.

The only place that runs Specmatic (`backward-compatibility-check`, the jar of the pinned PyPI
package `specmatic`, on Java 17 or newer). One run judges every changed spec of a scratch
repository, so a batch of changes pays the JVM's start-up once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from spec_tools.git import ToolError, git, run_tool, tool_seconds
from spec_tools.specmatic_tests import SpecmaticUnavailable, specmatic_command

COMMAND = ("backward-compatibility-check", "--base-branch", "HEAD")
# Each spec's part of the output starts "3. Running the check for /tmp/.../openapi.yaml:"
# and ends with its verdict.
SECTION = re.compile(
    r"^\d+\. Running the check for (?:[^\n]*/)?(?P<name>[^/\n]+):\n(?P<body>.*?)"
    r"^ *Verdict for spec [^\n]*:\n *\((?P<verdict>[A-Z]+)\) (?P<words>[^\n]*)$",
    re.MULTILINE | re.DOTALL,
)
# Specmatic also calls a spec incompatible when only its examples fail its own loading (the
# kit's linter judges examples), so the words, not the status, say whether the schema breaks.
BREAKING_WORDS = "The changes to the spec are NOT backward compatible"
# One incompatibility: ">> RESPONSE.BODY.createdAt (openapi.yaml:682:9)", a blank line, its words.
INCOMPATIBILITY = re.compile(r"^ *>> (?P<where>\S+).*\n *\n *(?P<words>.+)$", re.MULTILINE)


@dataclass(frozen=True)
class Verdict:
    breaks: tuple[str, ...]  # each incompatibility Specmatic found
    report: str  # Specmatic's incompatibility report, when it found one


def compare(repo: Path, names: Sequence[str]) -> dict[str, Verdict]:
    """Specmatic's verdict on each spec `names` of `repo`: its working tree against HEAD."""
    try:
        with specmatic_command() as specmatic:
            completed = run_tool([*specmatic, *COMMAND], repo, tool_seconds(len(names)))
    except SpecmaticUnavailable as error:
        raise ToolError(str(error)) from error
    found = {match["name"]: match for match in SECTION.finditer(completed.stdout)}
    changed = [name for name in names if name not in found and is_changed(repo, name)]
    if completed.returncode not in (0, 1) or changed:
        raise ToolError(
            f"specmatic backward-compatibility-check failed:\n{completed.stdout}{completed.stderr}"
        )
    verdicts = {}
    for name in names:
        match = found.get(name)
        if match is None or not match["words"].startswith(BREAKING_WORDS):
            verdicts[name] = Verdict((), "")
            continue
        report = match["body"].strip("\n")
        listed = INCOMPATIBILITY.finditer(report)
        breaks = tuple(f"{each['where']}: {each['words']}" for each in listed)
        verdicts[name] = Verdict(breaks or ("not backward compatible",), report)
    return verdicts


def is_changed(repo: Path, name: str) -> bool:
    return bool(git(repo, "status", "--porcelain", "--", name).strip())
