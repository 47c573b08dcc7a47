"""Drift: what the upstream sends that the contract does not declare, and what it never sends.

The tolerant reader keeps undeclared members, so nothing fails when Octave
adds or renames a field; this is where it shows. Each object an answer
carries is walked along its schema in the spec (following `$ref`, taking
the first `anyOf`/`oneOf` branch the value matches, as the generated client
does), and at each schema location (`Product`, `Product.data`,
`Product.qualifyingQuestions[]`) the report counts every undeclared member
with the JSON types it came in, and lists every declared optional member
that never appeared. A renamed field is one of each, at one location.
Members of a schema that allows any other (`additionalProperties`) are not
drift. The walk also yields the object without its undeclared members: what
a recording may put into a seed.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from octave_kit.json_text import Json
from octave_kit.spec import SCHEMAS, SchemaCheck, Spec, json_type, pointer_part

DRIFT_SUFFIX = ".drift.json"


@dataclass
class Location:
    """What was seen at one place of the schema, over every object observed."""

    objects: int = 0
    optional: set[str] = field(default_factory=set)  # declared, not required
    seen: set[str] = field(default_factory=set)
    undeclared: dict[str, Counter[str]] = field(default_factory=dict)  # member -> JSON types

    def as_json(self, where: str, schema: str) -> dict[str, Any]:
        return {
            "location": where,
            "schema": schema,
            "objects": self.objects,
            "undeclared": [
                {"member": name, "count": sum(types.values()), "types": dict(sorted(types.items()))}
                for name, types in sorted(self.undeclared.items())
            ],
            "never_seen": sorted(self.optional - self.seen),
        }


@dataclass(frozen=True, eq=False)
class Shape:
    """What a schema declares for the values at one place, worked out once per schema."""

    key: tuple[str, ...]  # how it was made: the pointers it comes from, and the choices made
    schema: str  # the named schema whose members these are
    members: dict[str, str]  # declared member -> its subschema's pointer, in the spec's order
    optional: frozenset[str]
    open: bool  # other members are allowed (additionalProperties): not drift
    items: str | None  # the pointer of an array's item schema
    choices: tuple[tuple[str, ...], ...]  # each anyOf/oneOf: branches, the first match applies


class Drift:
    """The drift of every object observed, by schema location."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        # (where, the named schema whose members are declared there) -> what was seen
        self.locations: dict[tuple[str, str], Location] = {}
        self._shapes: dict[tuple[str, str], Shape] = {}
        self._shapes_chosen: dict[tuple[str, ...], Shape] = {}
        self._checks: dict[str, SchemaCheck] = {}

    def observe(self, schema: str, instance: Any) -> Any:
        """Count what `instance` (of the named schema) holds; return it less undeclared members."""
        return self._walk(SCHEMAS + schema, instance, schema, schema)

    def as_json(self, source: str) -> dict[str, Any]:
        return {
            "source": source,
            "locations": [
                location.as_json(where, schema)
                for (where, schema), location in sorted(self.locations.items())
            ],
        }

    def write(self, path: Path, source: str) -> None:
        text = json.dumps(self.as_json(source), indent=2, ensure_ascii=False)
        path.write_text(text + "\n", encoding="utf-8")

    def _walk(self, pointer: str, instance: Any, where: str, schema: str) -> Any:
        if not isinstance(instance, dict | list):
            return instance
        shape = self._shape(pointer, schema)
        while shape.choices:
            chosen = next(
                (b for b in shape.choices[0] if self._check(b).validator.is_valid(instance)),
                None,
            )
            shape = self._choose(shape, chosen)
        if isinstance(instance, list):
            if shape.items is None:
                return instance
            item = shape.items
            return [self._walk(item, value, f"{where}[]", shape.schema) for value in instance]
        location = self.locations.setdefault((where, shape.schema), Location())
        location.objects += 1
        location.optional.update(shape.optional)
        kept: Json = {}
        for name, member in shape.members.items():
            if name in instance:
                location.seen.add(name)
                value = instance[name]
                if isinstance(value, dict | list):  # only these hold members of their own
                    value = self._walk(member, value, f"{where}.{name}", shape.schema)
                kept[name] = value
        for name, value in instance.items():
            if name in shape.members:
                continue
            if shape.open:
                kept[name] = value
            else:
                location.undeclared.setdefault(name, Counter())[json_type(value)] += 1
        return kept

    def _shape(self, pointer: str, schema: str) -> Shape:
        """The shape of the schema at `pointer`, its `$ref`s and `allOf`s followed."""
        key = (pointer, schema)
        found = self._shapes.get(key)
        if found is not None:
            return found
        node = self._node(pointer)
        while "$ref" in node:
            pointer = node["$ref"]
            if pointer.startswith(SCHEMAS):
                schema = pointer.removeprefix(SCHEMAS)
            node = self._node(pointer)
        members = {
            name: f"{pointer}/properties/{pointer_part(name)}"
            for name in node.get("properties", {})
        }
        shape = Shape(
            key,
            schema,
            members,
            frozenset(members) - frozenset(node.get("required", [])),
            node.get("additionalProperties", False) is not False,
            f"{pointer}/items" if "items" in node else None,
            tuple(
                tuple(f"{pointer}/{keyword}/{index}" for index in range(len(node[keyword])))
                for keyword in ("anyOf", "oneOf")
                if keyword in node
            ),
        )
        for index in range(len(node.get("allOf", []))):
            shape = _merged(shape, self._shape(f"{pointer}/allOf/{index}", schema), schema)
        self._shapes[key] = shape
        return shape

    def _choose(self, shape: Shape, branch: str | None) -> Shape:
        """`shape` with its first choice made: the branch's members added, named by the branch."""
        key = (*shape.key, "choose", branch or "none")
        chosen = self._shapes_chosen.get(key)
        if chosen is None:
            base = replace(shape, key=key, choices=shape.choices[1:])
            if branch is None:
                chosen = base
            else:
                extra = self._shape(branch, shape.schema)
                chosen = replace(_merged(base, extra, extra.schema), key=key)
            self._shapes_chosen[key] = chosen
        return chosen

    def _node(self, pointer: str) -> Json:
        node = self.spec.at(pointer)
        return node if isinstance(node, dict) else {}

    def _check(self, pointer: str) -> SchemaCheck:
        check = self._checks.get(pointer)
        if check is None:
            check = self._checks[pointer] = self.spec.check(pointer)
        return check


def _merged(shape: Shape, other: Shape, schema: str) -> Shape:
    members = {
        **shape.members,
        **{k: v for k, v in other.members.items() if k not in shape.members},
    }
    return Shape(
        (*shape.key, "and", *other.key),
        schema,
        members,
        (shape.optional | other.optional)
        - (frozenset(shape.members) - shape.optional)
        - (frozenset(other.members) - other.optional),
        shape.open or other.open,
        shape.items or other.items,
        shape.choices + other.choices,
    )


def drift_path(report: Path) -> Path:
    """Where the drift report goes: beside the report, `proxy.jsonl` -> `proxy.drift.json`."""
    return report.with_name(report.stem + DRIFT_SUFFIX)


def read_report(path: Path) -> dict[str, Any]:
    """A drift report from its file; a ValueError naming the file if it is not one."""
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ValueError(f"{path}: cannot read the drift report: {error.strerror}") from None
    except ValueError as error:
        raise ValueError(f"{path}: not a drift report (not JSON: {error})") from None
    if not isinstance(report, dict) or not isinstance(report.get("locations"), list):
        raise ValueError(
            f"{path}: not a drift report (no `locations`); give the .drift.json file "
            "that proxy --report writes at exit"
        )
    return report


def table(report: dict[str, Any]) -> str:
    """The drift report as a table: a row per undeclared member and per member never seen."""
    rows = [("location", "schema", "member", "finding", "in objects", "JSON types")]
    for entry in report["locations"]:
        where, schema, objects = entry["location"], entry["schema"], entry["objects"]
        for member in entry["undeclared"]:
            types = ", ".join(f"{name} {count}" for name, count in member["types"].items())
            count = f"{member['count']} of {objects}"
            rows.append((where, schema, member["member"], "undeclared", count, types))
        for name in entry["never_seen"]:
            rows.append((where, schema, name, "never seen", f"0 of {objects}", ""))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    found = len(rows) - 1
    locations = len(report["locations"])
    lines.append(
        f"{found} finding{'' if found == 1 else 's'} over {locations} "
        f"location{'' if locations == 1 else 's'} of what {report['source']} answered"
    )
    return "\n".join(lines if found else lines[-1:])
