"""`--record FILE`: the objects the upstream answered, kept as a seed the mock serves as it is.

Every object a 2xx answer carries (a product or segment read, the reference
in an update's answer) is kept by workspace and `oId`, the newest answer
winning. At exit the file is written in a stable order (workspaces, then
each kind, by `oId`; members in the spec's order), so recording the same
traffic again gives the same bytes and new traffic a small diff. A FILE that
already exists is a seed to add to: its objects stay unless answered anew,
and its keys stay. When nothing changed, the file is not rewritten.

What goes in is what `check-seed` accepts: `_metadata` and `workspace` are
left out (the mock fills them in), and so is every member the contract does
not declare, which the drift report lists instead: the seed's strictness is
there to catch typos, and a recording must not smuggle drift past it. Keys
are never copied: each workspace gets a read-write and a read-only key of
its own, generated here.
"""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from octave_kit.json_text import Json
from octave_kit.resources import RESOURCES, Resource
from octave_kit.seed import FILLED_IN, SeedError, load_seed
from octave_kit.spec import Spec

HEADER = """\
# Recorded by `octave-mock proxy --record` from {upstream}; last changed {when}.
# It may hold customer data (real products, segments and references): keep it private.
# Members the contract does not declare are left out; the drift report lists them.
# The keys are the mock's own, generated per workspace; never the upstream's.
"""
SECTIONS = tuple(resource.seed_section for resource in RESOURCES)


@dataclass
class Workspace:
    name: str | None = None
    keys: list[tuple[str, bool]] = field(default_factory=list)  # (key, read-only)
    objects: dict[str, dict[str, Json]] = field(default_factory=dict)  # section -> oId -> object


class Recording:
    """The seed being recorded into `path`, starting from what the file already holds."""

    def __init__(self, path: Path, spec: Spec, upstream: str) -> None:
        self.path = path
        self.spec = spec
        self.upstream = upstream
        self.workspaces: dict[str, Workspace] = {}
        self.recorded = 0  # answers kept this run
        if path.exists():
            self._read()

    def _read(self) -> None:
        try:
            seed = load_seed(self.path, self.spec)
        except SeedError as error:
            raise SeedError(
                f"--record: {self.path} is not a seed to add to; record into a new file "
                f"instead: {error}"
            ) from None
        for oid, name in seed.workspaces.items():
            self.workspaces[oid] = Workspace(name if name != oid else None)
        for key in seed.keys:
            self.workspaces[key.workspace_oid].keys.append((key.key, key.read_only))
        sections = {resource.kind: resource.seed_section for resource in RESOURCES}
        for entry in seed.entries:
            doc = {name: value for name, value in entry.doc.items() if name not in FILLED_IN}
            workspace = self.workspaces[entry.workspace_oid]
            workspace.objects.setdefault(sections[entry.kind], {})[doc["oId"]] = doc

    def add(self, resource: Resource, doc: Json) -> str | None:
        """Keep an object as answered; else say why it cannot be kept."""
        owner = doc.get("workspace")
        oid = doc.get("oId")
        if not isinstance(owner, dict) or not isinstance(owner.get("oId"), str) or not owner["oId"]:
            return "it names no workspace.oId"
        if not isinstance(oid, str) or not oid:
            return "it has no oId"
        workspace = self.workspaces.get(owner["oId"])
        if workspace is None:
            workspace = self.workspaces[owner["oId"]] = Workspace()
        if not workspace.keys:
            workspace.keys = [(new_key("rw"), False), (new_key("ro"), True)]
        kept = {name: value for name, value in doc.items() if name not in FILLED_IN}
        workspace.objects.setdefault(resource.seed_section, {})[oid] = kept
        self.recorded += 1
        return None

    def seed_text(self) -> str:
        """The seed as YAML, without its header: the same objects always give the same text."""
        workspaces = []
        for oid, workspace in sorted(self.workspaces.items()):
            entry: Json = {"oId": oid}
            if workspace.name is not None:
                entry["name"] = workspace.name
            entry["keys"] = [
                {"key": key, "readOnly": True} if read_only else {"key": key}
                for key, read_only in workspace.keys
            ]
            for section in SECTIONS:
                objects = workspace.objects.get(section)
                if objects:
                    entry[section] = [objects[name] for name in sorted(objects)]
            workspaces.append(entry)
        return yaml.safe_dump(
            {"workspaces": workspaces}, sort_keys=False, allow_unicode=True, width=100
        )

    def write(self) -> list[str]:
        """Write the file if what it holds changed; what to tell the user, keys included."""
        text = self.seed_text()
        changed = not self.path.exists() or _without_header(self.path) != text
        if changed and self.workspaces:
            when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            self._replace(HEADER.format(upstream=self.upstream, when=when) + text)
        count = sum(len(objs) for w in self.workspaces.values() for objs in w.objects.values())
        if not self.workspaces:
            return [f"recorded nothing: no answer carried an object; {self.path} not written"]
        state = "written" if changed else "unchanged"
        lines = [
            f"recorded {counted(self.recorded, 'answer')} into {self.path} ({state}): "
            f"{counted(count, 'object')} in {counted(len(self.workspaces), 'workspace')}; "
            f"serve it with `octave-mock serve --seed {self.path}` and these keys:"
        ]
        for oid, workspace in sorted(self.workspaces.items()):
            keys = ", ".join(
                f"{key} ({'read-only' if read_only else 'read-write'})"
                for key, read_only in workspace.keys
            )
            lines.append(f"  workspace {oid}: {keys}")
        return lines

    def _replace(self, text: str) -> None:
        """Write beside the file, check it as `check-seed` does, then put it in place."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        pending = self.path.with_name(self.path.name + ".recording")
        pending.write_text(text, encoding="utf-8")
        try:
            load_seed(pending, self.spec)
        except SeedError as error:
            raise SeedError(
                f"--record: the recording does not pass check-seed, so {self.path} is left "
                f"as it was and the recording kept in {pending}: {error}"
            ) from None
        os.replace(pending, self.path)


def counted(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def new_key(role: str) -> str:
    """A mock key for a recorded workspace: random, so no one can derive it from the data."""
    return f"mock_{role}_{secrets.token_hex(8)}"


def _without_header(path: Path) -> str:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    return "".join(lines)
