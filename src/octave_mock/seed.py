"""Seed data: workspaces, keys and objects from YAML, checked strictly before anything is served.

The file's shape has a schema (SEED_FORMAT) and each object is checked as
the mock would serve it (with its workspace and a `_metadata` filled in)
against the spec's schema, made strict: an unknown member anywhere is an
error, so a typo cannot be dropped or served silently. Every error is one
line, `file:line:col: path: problem`, pointing at the key or value at fault.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema_rs
import yaml

from octave_mock.resources import RESOURCES, Resource
from octave_mock.spec import Finding, SchemaCheck, Spec, field_path, strict
from octave_mock.store import Store

DEFAULT_SEED = Path(__file__).with_name("seed.yaml")
# Members the mock fills in itself when it serves an object.
FILLED_IN = ("workspace", "_metadata")
SAMPLE_METADATA = {
    "requestId": "req_seed",
    "timestamp": "2021-01-01T00:00:00.000Z",
    "usage": 0,
    "message": "OK",
}
# Values YAML loads that JSON cannot hold (an unquoted 2026-01-01 is a date), by tag.
NOT_JSON = {
    "tag:yaml.org,2002:timestamp": "a YAML date or timestamp",
    "tag:yaml.org,2002:binary": "YAML binary data",
    "tag:yaml.org,2002:set": "a YAML set",
    "tag:yaml.org,2002:omap": "a YAML ordered map",
    "tag:yaml.org,2002:pairs": "YAML pairs",
}
_NON_EMPTY_STRING = {"type": "string", "minLength": 1}
# The file's shape; each object's own members are checked against the spec.
SEED_FORMAT = {
    "type": "object",
    "required": ["workspaces"],
    "additionalProperties": False,
    "properties": {
        "workspaces": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["oId", "keys"],
                "additionalProperties": False,
                "properties": {
                    "oId": _NON_EMPTY_STRING,
                    "name": {"type": "string"},
                    "keys": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "required": ["key"],
                            "additionalProperties": False,
                            "properties": {
                                "key": _NON_EMPTY_STRING,
                                "readOnly": {"type": "boolean"},
                            },
                        },
                    },
                    **{
                        resource.seed_section: {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["oId"],
                                "properties": {"oId": _NON_EMPTY_STRING},
                            },
                        }
                        for resource in RESOURCES
                    },
                },
            },
        }
    },
}


class ObjectCheck:
    """An object checked as the mock will serve it, against the spec's schema made strict.

    Seed files and objects a test adds (octave_mock.additions) both pass here.
    """

    def __init__(self, spec: Spec) -> None:
        strict_spec = Spec(strict(spec.document), spec.source)
        self.checks = {r.kind: strict_spec.schema_check(r.schema) for r in RESOURCES}

    def findings(self, resource: Resource, doc: dict[str, Any]) -> list[Finding]:
        """What is wrong with `doc` (its workspace filled in) once served; [] when nothing."""
        served = {**doc, "_metadata": SAMPLE_METADATA} if resource.served_flat else doc
        return self.checks[resource.kind].findings(served)


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
    path: Path
    digest: str  # SHA-256 of the file, recorded in a database it seeds
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
        store.set_seed_digest(self.digest)


def load_seed(path: Path, spec: Spec) -> Seed:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SeedError(f"{path}: cannot read the seed file: {exc.strerror}") from exc
    try:
        # The composed nodes give positions; the loaded data gives values.
        root = yaml.compose(text, Loader=yaml.CSafeLoader)  # libyaml: quick, and with marks
        data = yaml.load(text, Loader=yaml.CSafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
        raise SeedError(f"{path}{where}: not valid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise SeedError(f"{path}: not valid YAML: {exc}") from None
    digest = hashlib.sha256(text.encode()).hexdigest()
    return _Reader(path, root, spec).read(data, digest)


class _Reader:
    def __init__(self, path: Path, root: yaml.Node | None, spec: Spec) -> None:
        self.path = path
        self.root = root
        self.objects = ObjectCheck(spec)
        self.format = SchemaCheck(jsonschema_rs.Draft202012Validator(SEED_FORMAT))

    def fail(self, path: tuple[str | int, ...], problem: str, at_key: bool = False) -> SeedError:
        """`file:line:col: path: problem`, at the value (or key) the path leads to."""
        node = _locate(self.root, path, at_key)
        line = f":{node.start_mark.line + 1}:{node.start_mark.column + 1}" if node else ""
        return SeedError(f"{self.path}{line}: {field_path(path, 'seed')}: {problem}")

    def fail_on(self, base: tuple[str | int, ...], finding: Finding) -> SeedError:
        return self.fail((*base, *finding.path), finding.problem, at_key=finding.unknown)

    def read(self, data: Any, digest: str) -> Seed:
        for path, node in _not_json(self.root, ()):
            value = repr(node.value) if isinstance(node, yaml.ScalarNode) else "the value"
            raise self.fail(
                path, f"{value} is {NOT_JSON[node.tag]}, which JSON cannot hold: quote it"
            )
        for finding in self.format.findings(data):
            raise self.fail_on((), finding)
        workspaces: dict[str, str] = {}
        keys: list[Key] = []
        entries: list[Entry] = []
        seen: set[tuple[str, str]] = set()
        for index, raw in enumerate(data["workspaces"]):
            here: tuple[str | int, ...] = ("workspaces", index)
            oid = raw["oId"]
            if oid in workspaces:
                raise self.fail((*here, "oId"), f"{oid} appears twice")
            workspaces[oid] = raw.get("name", oid)
            for key_index, item in enumerate(raw["keys"]):
                # Name the entry, never the key itself: keys are secrets.
                if item["key"] in {k.key for k in keys}:
                    raise self.fail(
                        (*here, "keys", key_index, "key"),
                        "appears twice; every key names one workspace",
                    )
                keys.append(Key(item["key"], oid, item.get("readOnly", False)))
            for resource in RESOURCES:
                for entry_index, item in enumerate(raw.get(resource.seed_section, [])):
                    place = (*here, resource.seed_section, entry_index)
                    doc = self.object(place, resource, oid, item)
                    if (resource.kind, doc["oId"]) in seen:
                        raise self.fail((*place, "oId"), f"{doc['oId']} appears twice")
                    seen.add((resource.kind, doc["oId"]))
                    entries.append(Entry(resource.kind, oid, doc))
        return Seed(self.path, digest, workspaces, keys, entries)

    def object(
        self, place: tuple[str | int, ...], resource: Resource, oid: str, item: dict[str, Any]
    ) -> dict[str, Any]:
        """The object as stored, once it passes the spec's strict schema as served."""
        for name in FILLED_IN:
            if name in item:
                raise self.fail((*place, name), "is filled in by the mock; leave it out", True)
        doc = {**item, "workspace": {"oId": oid}}
        for finding in self.objects.findings(resource, doc):
            raise self.fail_on(place, finding)
        return doc


def _not_json(
    node: yaml.Node | None, path: tuple[str | int, ...]
) -> Iterator[tuple[tuple[str | int, ...], yaml.Node]]:
    """Each node (and its path) whose value has no JSON type, in the file's order."""
    if node is not None and node.tag in NOT_JSON:
        yield path, node
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _not_json(value, (*path, key.value))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _not_json(item, (*path, index))


def _locate(node: yaml.Node | None, path: tuple[str | int, ...], at_key: bool) -> yaml.Node | None:
    """The node `path` leads to; its key's node if `at_key`; the nearest parent if it is missing."""
    for depth, step in enumerate(path):
        last = depth == len(path) - 1
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            pair = next(((k, v) for k, v in node.value if k.value == step), None)
            if pair is None:
                return node
            node = pair[0] if last and at_key else pair[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            if step >= len(node.value):
                return node
            node = node.value[step]
        else:
            return node
    return node
