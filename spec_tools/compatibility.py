"""Whether changes to the contract can break a client of the kit: Optic, Specmatic and the
kit's own rules, each judging what it judges, in one scratch repository per batch.

A change is major when any of them finds a break, minor when the kit's rules find an addition
(neither tool grades compatible changes), and a patch otherwise.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from spec_tools import kit_rules, optic, specmatic
from spec_tools.git import ToolError, git
from spec_tools.verdicts import Finding, Level

OPTIC = "Optic"
SPECMATIC = "Specmatic"


@dataclass(frozen=True)
class Change:
    """One spec change to judge; `name` is its file name in the scratch repository."""

    name: str
    base: str
    head: str


@dataclass(frozen=True)
class Judgement:
    findings: tuple[Finding, ...]
    reports: dict[str, str]  # each tool's own report, by tool

    @property
    def level(self) -> Level:
        return max((finding.level for finding in self.findings), default=Level.PATCH)

    def breaking_by(self, judge: str) -> bool:
        return any(f.judge == judge and f.level is Level.MAJOR for f in self.findings)


def judge(changes: Sequence[Change]) -> list[Judgement]:
    """The judgement of each change, in order. Both tools run at once, each over the batch.

    A change that leaves the document as it was (its layout, comments or quoting aside) has
    nothing for a tool to see: it is judged without starting them.
    """
    changes = comparable(changes)
    changed = [change for change in changes if not same_document(change)]
    judged: dict[str, Judgement] = {}
    if changed:
        with ThreadPoolExecutor(max_workers=2) as pool:
            optic_run = pool.submit(optic_verdicts, changed)
            specmatic_run = pool.submit(specmatic_verdicts, changed)
            verdicts = optic_run.result(), specmatic_run.result()
        judged = dict(zip([c.name for c in changed], combine(changed, *verdicts), strict=True))
    return [judged.get(change.name, Judgement((), {})) for change in changes]


# Specmatic checks the old files out into its working tree while it reads them, so each tool
# gets a repository of its own.
def optic_verdicts(changes: Sequence[Change]) -> dict[str, optic.Verdict]:
    """Optic's verdict on each change (made comparable), by name, from one run."""
    with scratch_repository(changes) as repo:
        return optic.compare(repo, [change.name for change in changes])


def specmatic_verdicts(changes: Sequence[Change]) -> dict[str, specmatic.Verdict]:
    """Specmatic's verdict on each change (made comparable), by name, from one run."""
    with scratch_repository(changes) as repo:
        return specmatic.compare(repo, [change.name for change in changes])


def comparable(changes: Sequence[Change]) -> list[Change]:
    """The changes with each base given its head's info.version.

    Optic lets anything break when the major version goes up, and the verdict must come from
    the content alone.
    """
    return [
        Change(
            c.name,
            with_version(c.base, version_at(c.head, c.name).value, f"{c.name} (base)"),
            c.head,
        )
        for c in changes
    ]


@contextmanager
def scratch_repository(changes: Sequence[Change]) -> Iterator[Path]:
    """A git repository whose HEAD holds each change's base, and its working tree the head:
    what both tools compare."""
    with tempfile.TemporaryDirectory(prefix="spec-changes-") as folder:
        repo = Path(folder)
        git(repo, "init", "--quiet")
        for change in changes:
            (repo / change.name).write_text(change.base, encoding="utf-8")
        git(repo, "add", "--all")
        git(repo, "-c", "user.name=kit", "-c", "user.email=kit@localhost", "commit", "-qm", "base")
        for change in changes:
            (repo / change.name).write_text(change.head, encoding="utf-8")
        yield repo


def combine(
    changes: Sequence[Change],
    by_optic: dict[str, optic.Verdict],
    by_specmatic: dict[str, specmatic.Verdict],
) -> list[Judgement]:
    """Each change's judgement from both tools' verdicts and the kit's rules."""
    judgements = []
    for change in changes:
        from_optic, from_specmatic = by_optic[change.name], by_specmatic[change.name]
        found = [Finding(OPTIC, Level.MAJOR, message) for message in from_optic.breaks]
        found += [Finding(SPECMATIC, Level.MAJOR, message) for message in from_specmatic.breaks]
        base, head = parsed(change.base, f"{change.name} (base)"), parsed(change.head, change.name)
        found += kit_rules.findings(base, head, from_optic.differences)
        reports = {OPTIC: from_optic.report, SPECMATIC: from_specmatic.report}
        judgements.append(Judgement(tuple(found), reports))
    return judgements


def same_document(change: Change) -> bool:
    if change.base == change.head:
        return True
    return parsed(change.base, f"{change.name} (base)") == parsed(change.head, change.name)


def parsed(text: str, where: str) -> dict[str, Any]:
    try:
        document = yaml.load(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError as error:
        raise ToolError(f"{where} is not YAML: {error}") from error
    if not isinstance(document, dict) or not isinstance(document.get("info"), dict):
        raise ToolError(f"{where}: no info object")
    return document


VERSION_PATH = ["info", "version"]


@dataclass
class Reading:
    """A mapping or sequence being read: the key of the value being read, in a mapping."""

    mapping: bool
    expects_key: bool
    key: object = None


def with_version(text: str, version: object, where: str = "the spec") -> str:
    """The spec text with info.version replaced, every other byte kept."""
    found = version_at(text, where)
    return f"{text[: found.start]}{version}{text[found.end :]}"


class VersionAt(NamedTuple):
    start: int  # where info.version's value starts and ends in the text
    end: int
    value: str  # as written, quotes left out


def version_at(text: str, where: str) -> VersionAt:
    """Where the spec's info.version is, and its text.

    Read as a stream of YAML events that stops there, near the top of a spec, so the rest is
    never composed (a spec's whole tree takes 20 ms; the corpus asks hundreds).
    """
    levels: list[Reading] = []
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.CollectionEndEvent):
                levels.pop()
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue
            parent = levels[-1] if levels else None
            if parent is not None and parent.mapping and parent.expects_key:
                parent.key = event.value if isinstance(event, yaml.ScalarEvent) else None
                parent.expects_key = False
            else:
                at = [level.key for level in levels]
                start, end = event.start_mark, event.end_mark  # the parser marks every event
                is_version = at == VERSION_PATH and levels[0].mapping
                if isinstance(event, yaml.ScalarEvent) and is_version and start and end:
                    return VersionAt(start.index, end.index, event.value)
                if parent is not None and parent.mapping:
                    parent.expects_key = True
            if isinstance(event, yaml.MappingStartEvent):
                levels.append(Reading(mapping=True, expects_key=True))
            elif isinstance(event, yaml.SequenceStartEvent):
                levels.append(Reading(mapping=False, expects_key=False))
    except yaml.YAMLError as error:
        raise ToolError(f"{where} is not YAML: {error}") from error
    raise ToolError(f"{where} has no info.version")
