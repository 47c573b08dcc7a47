"""The corpus's tool verdicts, kept in build/ from one run of the suite to the next.

A pinned tool judging the same pairs of specs gives the same verdicts, so a run whose pairs,
tools and the kit's ways of running and reading them are all unchanged reads the verdicts the
last run wrote instead of starting Optic (about 40 CPU seconds over the corpus) and Specmatic
(about 25) again. Every check still runs on them: the kit's judge, and each change's verdict
against the corpus. Any edit of the contract changes every pair, so it runs both tools again;
so does a fresh clone, `make clean`, a new pin of either tool or a new java. The suite's other
tests of the tools (test_tools_read_the_spec, make diff's own run) always start them.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from importlib.metadata import version
from typing import Any

from spec_tools.compatibility import OPTIC, Change
from spec_tools.specmatic_tests import class_data_archive, specmatic_jar
from tests.openapi_document import REPO_ROOT

KEPT = REPO_ROOT / "build" / "corpus-verdicts"
# The kit's code that runs a tool and reads its verdicts: a change to it runs the tools again.
READERS = ("compatibility.py", "git.py", "optic.py", "specmatic.py", "specmatic_tests.py")

Verdicts = dict[str, dict[str, Any]]


def tool_identity(tool: str) -> list[object]:
    """What names the exact tool that judges: Optic and the Node it runs on are pinned in
    package-lock.json; Specmatic is the jar of the pinned package on the java on PATH, as its
    class-data archive is named for them."""
    if tool == OPTIC:
        return [(REPO_ROOT / "package-lock.json").read_bytes()]
    return [version("specmatic"), class_data_archive(specmatic_jar()).name]


def key(tool: str, changes: Sequence[Change]) -> str:
    digest = hashlib.sha256()
    inputs: list[object] = [tool, *tool_identity(tool)]
    inputs += [(REPO_ROOT / "spec_tools" / name).read_bytes() for name in READERS]
    inputs += [[change.name, change.base, change.head] for change in changes]
    for each in inputs:
        digest.update(repr(each).encode())
    return digest.hexdigest()[:24]


def kept_or_judged(
    tool: str, part: str, changes: Sequence[Change], judge: Callable[[], Verdicts]
) -> Verdicts:
    """The tool's verdicts on `changes` (the corpus's part `part`): those the last run kept
    for exactly these inputs, or `judge`'s, then kept in place of that part's older ones."""
    name = f"{tool}-{part}"
    kept = KEPT / f"{name}-{key(tool, changes)}.json"
    if kept.exists():
        found: Verdicts = json.loads(kept.read_text(encoding="utf-8"))
        return found
    verdicts = judge()
    KEPT.mkdir(parents=True, exist_ok=True)
    for older in KEPT.glob(f"{name}-*.json"):
        older.unlink(missing_ok=True)
    # Written whole, then renamed: a run that stops midway leaves no half file to read.
    writing = kept.with_suffix(f".{os.getpid()}.tmp")
    writing.write_text(json.dumps(verdicts), encoding="utf-8")
    writing.replace(kept)
    return verdicts
