"""Which of the contract's objects (product, segment, reference) a 200 answer carries.

Read from the spec's response schemas, not named here: an answer whose schema
is a resource's schema is the object itself (beside `_metadata`); one whose
schema has a member of a resource's schema carries it there (`data`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from octave_kit.resources import RESOURCES, Resource
from octave_kit.spec import SCHEMAS, Spec


@dataclass(frozen=True)
class Carried:
    resource: Resource
    member: str | None  # where in the body the object is; None for the body itself

    def object_in(self, body: Any) -> dict[str, Any] | None:
        found = body if self.member is None or not isinstance(body, dict) else body.get(self.member)
        return found if isinstance(found, dict) else None


def carried_objects(spec: Spec) -> dict[str, Carried]:
    """operationId -> the object its 200 answer carries, for the operations that carry one."""
    by_schema = {SCHEMAS + resource.schema: resource for resource in RESOURCES}
    carried: dict[str, Carried] = {}
    for op in spec.by_id.values():
        response = spec.resolve(
            spec.document["paths"][op.path][op.method.lower()]["responses"].get("200", {})
        )
        schema = response.get("content", {}).get("application/json", {}).get("schema", {})
        ref = schema.get("$ref", "")
        if ref in by_schema:
            carried[op.operation_id] = Carried(by_schema[ref], None)
            continue
        members = spec.resolve(schema).get("properties", {}) if schema else {}
        for name, member in members.items():
            if member.get("$ref") in by_schema:
                carried[op.operation_id] = Carried(by_schema[member["$ref"]], name)
                break
    return carried
