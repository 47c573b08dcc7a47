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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from octave_mock.spec import SchemaCheck, Spec, json_type

SCHEMAS = "#/components/schemas/"
DRIFT_SUFFIX = ".drift.json"
Json = dict[str, Any]


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


class Drift:
    """The drift of every object observed, by schema location."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        # (where, the named schema whose members are declared there) -> what was seen
        self.locations: dict[tuple[str, str], Location] = {}
        self._checks: dict[str, SchemaCheck] = {}

    def observe(self, schema: str, instance: Any) -> Any:
        """Count what `instance` (of the named schema) holds; return it less undeclared members."""
        return self._walk(SCHEMAS + schema, {"$ref": SCHEMAS + schema}, instance, schema, schema)

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

    def _walk(self, pointer: str, node: Any, instance: Any, where: str, schema: str) -> Any:
        while isinstance(node, dict) and "$ref" in node:
            pointer = node["$ref"]
            if pointer.startswith(SCHEMAS):
                schema = pointer.removeprefix(SCHEMAS)
            node = self.spec.resolve({"$ref": pointer})
        if not isinstance(node, dict):
            return instance
        parts = [(pointer, node), *self._branches(pointer, node, instance)]
        if isinstance(instance, list):
            items = [(p + "/items", n["items"]) for p, n in parts if "items" in n]
            if not items:
                return instance
            item_pointer, item_node = items[0]
            return [
                self._walk(item_pointer, item_node, item, f"{where}[]", schema) for item in instance
            ]
        if not isinstance(instance, dict):
            return instance
        return self._object(parts, instance, where, schema)

    def _branches(self, pointer: str, node: Json, instance: Any) -> list[tuple[str, Any]]:
        """The subschemas that apply: every `allOf`; the first `anyOf`/`oneOf` that matches."""
        chosen = [(f"{pointer}/allOf/{i}", sub) for i, sub in enumerate(node.get("allOf", []))]
        for keyword in ("anyOf", "oneOf"):
            for index, sub in enumerate(node.get(keyword, [])):
                here = f"{pointer}/{keyword}/{index}"
                if not self._check(here).findings(instance):
                    chosen.append((here, sub))
                    break
        resolved = []
        for here, sub in chosen:
            while isinstance(sub, dict) and "$ref" in sub:
                here = sub["$ref"]
                sub = self.spec.resolve({"$ref": here})
            resolved.append((here, sub))
            resolved += self._branches(here, sub, instance)
        return resolved

    def _object(
        self, parts: list[tuple[str, Json]], instance: Json, where: str, schema: str
    ) -> Json:
        declared: dict[str, tuple[str, Any]] = {}  # member -> (pointer, schema), in spec order
        required: set[str] = set()
        open_ = False
        for pointer, node in parts:
            for name, sub in node.get("properties", {}).items():
                declared.setdefault(name, (f"{pointer}/properties/{_escape(name)}", sub))
            required.update(node.get("required", []))
            open_ = open_ or node.get("additionalProperties", False) is not False
        # A branch's own name says where its members are declared (ProductData, not Product).
        named = [p.removeprefix(SCHEMAS) for p, _ in parts[1:] if p.startswith(SCHEMAS)]
        if named and "/" not in named[-1]:
            schema = named[-1]
        location = self.locations.setdefault((where, schema), Location())
        location.objects += 1
        location.optional.update(set(declared) - required)
        kept: Json = {}
        for name, (pointer, sub) in declared.items():
            if name in instance:
                location.seen.add(name)
                kept[name] = self._walk(pointer, sub, instance[name], f"{where}.{name}", schema)
        for name, value in instance.items():
            if name in declared:
                continue
            if open_:
                kept[name] = value
            else:
                location.undeclared.setdefault(name, Counter())[json_type(value)] += 1
        return kept

    def _check(self, pointer: str) -> SchemaCheck:
        check = self._checks.get(pointer)
        if check is None:
            check = self._checks[pointer] = self.spec.check(pointer)
        return check


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


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
