"""Seed data: workspaces, keys and objects from YAML, checked strictly before anything is served.

The file's shape has a schema (SEED_FORMAT) and each object is checked as
the mock would serve it (with its workspace and a `_metadata` filled in)
against the spec's schema, made strict: an unknown member anywhere is an
error, so a typo cannot be dropped or served silently. Every error is one
line, `file:line:col: path: problem`, pointing at the key or value at fault,
and a file's findings are all reported at once, in the file's order.
"""

from __future__ import annotations

import functools
import gc
import hashlib
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import jsonschema_rs
import yaml

from octave_kit import json_text, seed_cache
from octave_kit.resources import RESOURCES, Resource
from octave_kit.spec import Finding, SchemaCheck, Spec, field_path, strict


class SeedTarget(Protocol):
    """What a seed is loaded into (the mock's store), in its open transaction."""

    def add_workspace(self, oid: str, name: str) -> None: ...
    def add_key(self, key: str, workspace_oid: str, read_only: bool) -> None: ...
    def put_stored(self, rows: Iterable[tuple[str, str, str, bytes]]) -> None: ...
    def set_seed_digest(self, digest: str) -> None: ...


DEFAULT_SEED = Path(__file__).with_name("seed.yaml")
# Members the mock fills in itself when it serves an object.
FILLED_IN = ("workspace", "_metadata")
SAMPLE_METADATA = {
    "requestId": "req_seed",
    "timestamp": "2021-01-01T00:00:00.000Z",
    "usage": 0,
    "message": "OK",
}
STRING_TAG = "tag:yaml.org,2002:str"
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
    """The seed file is unusable; the message says where and why, a line per finding."""


BIG_SEED_CHARACTERS = 1_000_000  # about 700 objects
MAX_SHOWN_FINDINGS = 50  # a seed wrong throughout is not printed whole


def _all_of(path: Path, findings: list[str]) -> SeedError:
    """One finding as one line; several as a count, then a line each, in the file's order."""
    if len(findings) == 1:
        return SeedError(findings[0])
    shown = findings[:MAX_SHOWN_FINDINGS]
    more = len(findings) - len(shown)
    lines = [f"{path}: {len(findings)} findings", *(f"  {line}" for line in shown)]
    if more:
        lines.append(f"  ... and {more} more")
    return SeedError("\n".join(lines))


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
    """A seed that passed its check; its objects are in its image (seed_cache), not in memory."""

    path: Path
    digest: str  # SHA-256 of the file, recorded in a database it seeds
    workspaces: dict[str, str]
    keys: list[Key]
    object_count: int
    image: Path

    @property
    def entries(self) -> list[Entry]:
        """Every object, as the store holds it once seeded (read from the image)."""
        return [
            Entry(kind, workspace_oid, json_text.loads(doc))
            for kind, _, workspace_oid, doc in seed_cache.read_objects(self.image)
        ]

    def load_into(self, store: SeedTarget) -> None:
        """Write every workspace, key and object into the store's open transaction."""
        for oid, name in self.workspaces.items():
            store.add_workspace(oid, name)
        for key in self.keys:
            store.add_key(key.key, key.workspace_oid, key.read_only)
        store.put_stored(seed_cache.read_objects(self.image))
        store.set_seed_digest(self.digest)


def load_seed(path: Path, spec: Spec) -> Seed:
    """The seed at `path`, checked against `spec`: from its image if it was checked before."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SeedError(f"{path}: cannot read the seed file: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise SeedError(f"{path}: cannot read the seed file: not UTF-8 ({exc.reason})") from exc
    digest = hashlib.sha256(text.encode()).hexdigest()
    image_path = seed_cache.image_path(digest, spec.document)
    image = seed_cache.Image.open(image_path)
    if image is None:
        with seed_cache.ImageWriter(image_path) as writer:
            _Reader(path, text, spec).read(writer)
        # The loader is caught in reference cycles that hold the whole parsed tree: free a big
        # one now (65 MB of RSS with 10,000 objects), not at some later collection. A small
        # one is not worth a full collection, which walks every object of the process (a
        # fifth of a second in a test suite's).
        if len(text) > BIG_SEED_CHARACTERS:
            gc.collect()
        image = seed_cache.Image(image_path)
    with closing(image):
        keys = [Key(*key) for key in image.api_keys()]
        return Seed(path, digest, image.workspaces(), keys, image.count(), image_path)


class _SeedLoader(yaml.CSafeLoader):
    """libyaml's safe loader, with two shortcuts that keep its results exactly.

    Most nodes of a seed are plain strings, and PyYAML spends its time on them in
    Python: resolving each one's tag and constructing it. Measured on a
    10,000-object seed, the shortcuts take a quarter off the parse.
    """

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # What SafeConstructor makes of a plain string node, without its dispatch.
        if node.tag == STRING_TAG and type(node) is yaml.ScalarNode:
            return node.value
        if node.tag in NOT_JSON:
            raise _NotJsonError
        return super().construct_object(node, deep)


class _NotJsonError(Exception):
    """The seed holds a value JSON cannot; _Reader.parse finds and names it."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        return _resolve(kind, value, implicit)


@functools.lru_cache(maxsize=65536)
def _resolve(kind: Any, value: Any, implicit: Any) -> Any:
    """The safe loader's tag for a node: a function of these alone (it has no path resolvers)."""
    return _RESOLVER.resolve(kind, value, implicit)  # type: ignore[no-untyped-call]


_RESOLVER = yaml.resolver.Resolver()


@contextmanager
def _parsing() -> Iterator[None]:
    """What a parse runs under: no cyclic garbage collection while a seed's tree is built.

    The tree holds no cycles, but each collection walks all of it that is
    still young, again and again as it grows: composing a 10,000-object seed
    took three times the CPU time with the collector on. The tags resolved on
    the way are forgotten after, so that no seed's strings outlive its parse.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        _resolve.cache_clear()
        if enabled:
            gc.enable()


class _Reader:
    """Reads a seed and finds everything wrong with it: each finding with its line."""

    def __init__(self, path: Path, text: str, spec: Spec) -> None:
        self.path = path
        self.text = text
        self.objects = ObjectCheck(spec)
        self.format = SchemaCheck(jsonschema_rs.Draft202012Validator(SEED_FORMAT))
        self.findings: list[tuple[tuple[int, int], str]] = []  # (line, column), message
        self._nodes: yaml.Node | None = None

    def parse(self) -> Any:
        try:
            with _parsing():
                return yaml.load(self.text, Loader=_SeedLoader)  # noqa: S506 - a CSafeLoader
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            where = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
            raise SeedError(
                f"{self.path}{where}: not valid YAML: {exc.problem or exc.context}"
            ) from None
        except yaml.YAMLError as exc:
            raise SeedError(f"{self.path}: not valid YAML: {exc}") from None
        except _NotJsonError:
            for path, node in _not_json(self.nodes(), ()):
                value = repr(node.value) if isinstance(node, yaml.ScalarNode) else "the value"
                self.add(path, f"{value} is {NOT_JSON[node.tag]}, which JSON cannot hold: quote it")
            raise self.error() from None

    def nodes(self) -> yaml.Node | None:
        """The seed's nodes with their positions: a second parse, made only for a finding."""
        if self._nodes is None:
            with _parsing():
                self._nodes = yaml.compose(self.text, Loader=_SeedLoader)
        return self._nodes

    def add(self, path: tuple[str | int, ...], problem: str, at_key: bool = False) -> None:
        """A finding, `file:line:col: path: problem`, at the value (or key) the path leads to.

        Only a seed at fault is composed into nodes with their positions: a
        second parse, which a valid seed is spared.
        """
        node = _locate(self.nodes(), path, at_key)
        place = (node.start_mark.line + 1, node.start_mark.column + 1) if node else (0, 0)
        line = f":{place[0]}:{place[1]}" if node else ""
        self.findings.append((place, f"{self.path}{line}: {field_path(path, 'seed')}: {problem}"))

    def add_finding(self, base: tuple[str | int, ...], finding: Finding) -> None:
        self.add((*base, *finding.path), finding.problem, at_key=finding.unknown)

    def error(self) -> SeedError:
        """Every finding at once, in the order of the file."""
        ordered = sorted(self.findings, key=lambda found: found[0])
        return _all_of(self.path, [message for _, message in ordered])

    def read(self, writer: seed_cache.ImageWriter) -> None:
        """Check the whole seed, writing it into the image as it passes; every finding at once."""
        data = self.parse()
        for finding in self.format.findings(data):
            self.add_finding((), finding)
        if self.findings:  # the file's shape is wrong: its parts cannot be read as such
            raise self.error()
        workspaces: dict[str, str] = {}
        keys: set[str] = set()
        seen: set[tuple[str, str]] = set()
        for index, raw in enumerate(data["workspaces"]):
            here: tuple[str | int, ...] = ("workspaces", index)
            oid = raw["oId"]
            if oid in workspaces:
                self.add((*here, "oId"), f"{oid} appears twice")
                continue
            workspaces[oid] = raw.get("name", oid)
            writer.add_workspace(oid, workspaces[oid])
            for key_index, item in enumerate(raw["keys"]):
                # Name the entry, never the key itself: keys are secrets.
                if item["key"] in keys:
                    self.add(
                        (*here, "keys", key_index, "key"),
                        "appears twice; every key names one workspace",
                    )
                    continue
                keys.add(item["key"])
                writer.add_key(item["key"], oid, item.get("readOnly", False))
            for resource in RESOURCES:
                for entry_index, item in enumerate(raw.get(resource.seed_section, [])):
                    place = (*here, resource.seed_section, entry_index)
                    doc = self.object(place, resource, oid, item)
                    if doc is None:
                        continue
                    if (resource.kind, doc["oId"]) in seen:
                        self.add((*place, "oId"), f"{doc['oId']} appears twice")
                        continue
                    seen.add((resource.kind, doc["oId"]))
                    writer.add_object(resource.kind, oid, doc)
        if self.findings:
            raise self.error()

    def object(
        self, place: tuple[str | int, ...], resource: Resource, oid: str, item: dict[str, Any]
    ) -> dict[str, Any] | None:
        """The object as stored, once it passes the spec's strict schema as served; else None,
        its findings added."""
        before = len(self.findings)
        for name in FILLED_IN:
            if name in item:
                self.add((*place, name), "is filled in by the mock; leave it out", True)
        doc = {**item, "workspace": {"oId": oid}}
        if len(self.findings) == before:
            for finding in self.objects.findings(resource, doc):
                self.add_finding(place, finding)
        return doc if len(self.findings) == before else None


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
