"""Seed data: workspaces, keys and objects from YAML, checked against the spec.

Each object is validated as the mock would serve it (with its workspace and a
`_metadata` filled in), so a seed that loads is a seed the contract accepts.
A bad entry raises SeedError naming the file, the line, the entry and the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from octave_mock.resources import RESOURCES, Resource
from octave_mock.spec import Spec
from octave_mock.store import Store

DEFAULT_SEED = Path(__file__).with_name("seed.yaml")
SAMPLE_METADATA = {
    "requestId": "req_seed",
    "timestamp": "2021-01-01T00:00:00.000Z",
    "usage": 0,
    "message": "OK",
}


class SeedError(Exception):
    """The seed file is unusable; the message says where and why."""


@dataclass(frozen=True)
class Entry:
    kind: str
    workspace_oid: str
    doc: dict[str, Any]


@dataclass(frozen=True)
class Key:
    key: str
    workspace_oid: str
    read_only: bool


@dataclass(frozen=True)
class Seed:
    workspaces: dict[str, str]
    keys: list[Key]
    entries: list[Entry]

    def load_into(self, store: Store) -> None:
        """Write every workspace, key and object into the store's open transaction."""
        for oid, name in self.workspaces.items():
            store.add_workspace(oid, name)
        for key in self.keys:
            store.add_key(key.key, key.workspace_oid, key.read_only)
        for entry in self.entries:
            store.put(entry.kind, entry.workspace_oid, entry.doc)


def load_seed(path: Path, spec: Spec) -> Seed:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SeedError(f"{path}: cannot read the seed file: {exc.strerror}") from exc
    try:
        # The composed nodes give line numbers; the loaded data gives values.
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SeedError(f"{path}: not valid YAML: {exc}") from exc
    return _Reader(path, spec).read(root, data)


class _Reader:
    def __init__(self, path: Path, spec: Spec) -> None:
        self.path = path
        self.checks = {r.seed_section: spec.schema_check(r.schema) for r in RESOURCES}

    def fail(self, node: yaml.Node | None, what: str) -> SeedError:
        line = f":{node.start_mark.line + 1}" if node is not None else ""
        return SeedError(f"{self.path}{line}: {what}")

    def read(self, root: yaml.Node | None, data: Any) -> Seed:
        workspaces_node = _child(root, "workspaces")
        found = data.get("workspaces") if isinstance(data, dict) else None
        if not isinstance(workspaces_node, yaml.SequenceNode) or not found:
            raise self.fail(root, "workspaces: expected a non-empty list of workspaces")
        workspaces: dict[str, str] = {}
        keys: list[Key] = []
        entries: list[Entry] = []
        seen: set[tuple[str, str]] = set()
        for index, (node, raw) in enumerate(zip(workspaces_node.value, found, strict=True)):
            where = f"workspaces[{index}]"
            if not isinstance(raw, dict) or not isinstance(raw.get("oId"), str) or not raw["oId"]:
                raise self.fail(node, f"{where}.oId: is required")
            oid = raw["oId"]
            if oid in workspaces:
                raise self.fail(node, f"{where}.oId: {oid} appears twice")
            workspaces[oid] = str(raw.get("name", oid))
            for key_index, key in enumerate(self.read_keys(node, raw, where, oid)):
                # Name the entry, never the key itself: keys are secrets.
                if key.key in {k.key for k in keys}:
                    raise self.fail(
                        _child(node, "keys", key_index),
                        f"{where}.keys[{key_index}].key: appears twice; "
                        "every key names one workspace",
                    )
                keys.append(key)
            for resource in RESOURCES:
                section = resource.seed_section
                docs = self.read_section(node, raw, where, resource, oid)
                for entry_index, entry in enumerate(docs):
                    if (resource.kind, entry["oId"]) in seen:
                        raise self.fail(
                            _child(node, section, entry_index),
                            f"{where}.{section}[{entry_index}] ({entry['oId']}): "
                            f"oId: {entry['oId']} appears twice",
                        )
                    seen.add((resource.kind, entry["oId"]))
                    entries.append(Entry(resource.kind, oid, entry))
        return Seed(workspaces, keys, entries)

    def read_keys(self, node: yaml.Node, raw: dict[str, Any], where: str, oid: str) -> list[Key]:
        found = raw.get("keys")
        if not isinstance(found, list) or not found:
            raise self.fail(_child(node, "keys") or node, f"{where}.keys: expected a list of keys")
        keys = []
        for index, item in enumerate(found):
            item_node = _child(node, "keys", index)
            if (
                not isinstance(item, dict)
                or not isinstance(item.get("key"), str)
                or not item["key"]
            ):
                raise self.fail(item_node, f"{where}.keys[{index}].key: is required")
            read_only = item.get("readOnly", False)
            if not isinstance(read_only, bool):
                raise self.fail(item_node, f"{where}.keys[{index}].readOnly: expected boolean")
            keys.append(Key(item["key"], oid, read_only))
        return keys

    def read_section(
        self, node: yaml.Node, raw: dict[str, Any], where: str, resource: Resource, oid: str
    ) -> list[dict[str, Any]]:
        section = resource.seed_section
        items = raw.get(section, [])
        if not isinstance(items, list):
            raise self.fail(_child(node, section), f"{where}.{section}: expected a list")
        docs = []
        for index, item in enumerate(items):
            item_node = _child(node, section, index)
            label = f"{where}.{section}[{index}]"
            if not isinstance(item, dict):
                raise self.fail(item_node, f"{label}: expected a mapping")
            if "oId" in item:
                label += f" ({item['oId']})"
            doc = {**item, "workspace": {"oId": oid}}
            served = {**doc, "_metadata": SAMPLE_METADATA} if resource.served_flat else doc
            problems = self.checks[section].problems(served, "entry")
            if problems:
                raise self.fail(item_node, f"{label}: {'; '.join(problems)}")
            docs.append(doc)
        return docs


def _child(node: yaml.Node | None, *path: str | int) -> yaml.Node | None:
    """The node at `path` under `node` (mapping keys and sequence indexes), if any."""
    for step in path:
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            node = next((v for k, v in node.value if k.value == step), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            node = node.value[step] if step < len(node.value) else None
        else:
            return None
    return node
