"""The contract, read from openapi.yaml: operations and the checks of their inputs and answers.

Nothing here names an Octave field. Routes, parameters, request bodies and
response schemas all come from the document, so the mock follows the spec
when the spec changes.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema_rs

from octave_kit.contract_model import load_contract
from octave_kit.json_text import Json

SPEC_URI = "urn:octave-mock:openapi"
IS_REQUIRED = "is required"
IS_UNKNOWN = "is not a known field"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


SCHEMAS = "#/components/schemas/"  # the pointer of a named schema, less its name


def json_pointer(*parts: str) -> str:
    """Build a JSON pointer fragment (RFC 6901) into the spec."""
    return "#/" + "/".join(map(pointer_part, parts))


def pointer_part(name: str) -> str:
    """A member's name as one step of a JSON pointer."""
    return name.replace("~", "~0").replace("/", "~1")


@dataclass(frozen=True)
class SchemaCheck:
    """One schema of the spec, checked by jsonschema-rs.

    Valid input, the common case, costs a fraction of a microsecond; invalid
    input is described field by field from the same validator's errors.
    """

    validator: jsonschema_rs.Validator

    def findings(self, instance: Any) -> list[Finding]:
        if self.validator.is_valid(instance):
            return []
        errors = self.validator.iter_errors(instance)
        return sorted(finding for error in errors for finding in _describe(error))


@dataclass(frozen=True, order=True)
class Finding:
    """One problem with an instance: the path to the member at fault, and what is wrong.

    For a missing member, the path ends with the name it should have.
    """

    path: tuple[str | int, ...]
    problem: str
    code: str = ""  # the JSON Schema keyword that failed (required, type, ...)

    def message(self, root: str) -> str:
        """The problem naming its field: `name: expected string, got number`.

        `root` names the instance when the problem is with the whole of it.
        """
        return f"{field_path(self.path, root)}: {self.problem}"

    @property
    def unknown(self) -> bool:
        return self.problem == IS_UNKNOWN


@dataclass(frozen=True)
class Parameter:
    """A query parameter: the only kind the three operations have."""

    name: str
    required: bool
    check: SchemaCheck


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str
    parameters: tuple[Parameter, ...]
    body_check: SchemaCheck | None
    responses: Mapping[int, SchemaCheck | None]
    retry_after_statuses: frozenset[int] = frozenset()


class Spec:
    """An OpenAPI 3.1 document with its operations ready to validate against."""

    def __init__(self, document: Json, source: str = "openapi.yaml") -> None:
        self.document = document
        self.source = source
        self._registry = jsonschema_rs.Registry([(SPEC_URI, document)])
        self.operations: dict[str, dict[str, Operation]] = {}
        for path, item in document.get("paths", {}).items():
            for method in HTTP_METHODS:
                if method in item:
                    op = self._operation(path, method, item[method])
                    self.operations.setdefault(path, {})[method.upper()] = op
        self.by_id = {
            op.operation_id: op for ops in self.operations.values() for op in ops.values()
        }

    @classmethod
    def load(cls, path: Path) -> Spec:
        """The document at `path`; a ContractError naming the file when it cannot be one."""
        return cls(load_contract(path), source=str(path))

    def route(self, method: str, path: str) -> Operation | None:
        """The operation at `path` for `method`, if the spec has one."""
        methods = self.operations.get(path)
        return None if methods is None else methods.get(method)

    def methods(self, path: str) -> list[str]:
        """The methods the spec has an operation for at `path`, sorted; none for an unknown path."""
        return sorted(self.operations.get(path, ()))

    def check(self, pointer: str) -> SchemaCheck:
        """The check for the schema at `pointer`, its $refs resolved in the spec."""
        ref = {"$ref": SPEC_URI + pointer}
        return SchemaCheck(
            jsonschema_rs.Draft202012Validator(ref, registry=self._registry, validate_formats=True)
        )

    def schema_check(self, name: str) -> SchemaCheck:
        """The check for the named schema in components/schemas."""
        if name not in self.document["components"]["schemas"]:
            raise KeyError(f"{self.source} has no components/schemas/{name}")
        return self.check(json_pointer("components", "schemas", name))

    def resolve(self, node: Json) -> Json:
        """Follow a local $ref (responses, parameters, examples) to its target."""
        while "$ref" in node:
            node = self.at(node["$ref"])
        return node

    def at(self, fragment: str) -> Any:
        """What a local JSON pointer (`#/components/schemas/User`) points at; no $ref followed."""
        target: Any = self.document
        for part in fragment.removeprefix("#/").split("/"):
            step = part.replace("~1", "/").replace("~0", "~")
            target = target[int(step)] if isinstance(target, list) else target[step]
        return target

    def _operation(self, path: str, method: str, raw: Json) -> Operation:
        base = ("paths", path, method)
        parameters = []
        for index, param in enumerate(raw.get("parameters", [])):
            resolved = self.resolve(param)
            if resolved["in"] != "query":
                raise ValueError(
                    f"{self.source}: {raw['operationId']} has a {resolved['in']} parameter; "
                    "the mock reads query parameters only"
                )
            pointer = json_pointer(*base, "parameters", str(index))
            if "$ref" in param:
                pointer = param["$ref"]
            parameters.append(
                Parameter(
                    name=resolved["name"],
                    required=resolved.get("required", False),
                    check=self.check(pointer + "/schema"),
                )
            )
        body_check = None
        body = raw.get("requestBody")
        if body is not None:
            body_check = self.check(
                json_pointer(*base, "requestBody", "content", "application/json", "schema")
            )
        responses: dict[int, SchemaCheck | None] = {}
        retry_after: set[int] = set()
        for status, response in raw.get("responses", {}).items():
            code = int(status)
            resolved = self.resolve(response)
            media = resolved.get("content", {}).get("application/json")
            responses[code] = None
            if media is not None:
                if "$ref" in response:
                    pointer = response["$ref"] + "/content/application~1json/schema"
                else:
                    media_type = ("content", "application/json", "schema")
                    pointer = json_pointer(*base, "responses", status, *media_type)
                responses[code] = self.check(pointer)
            if "Retry-After" in resolved.get("headers", {}):
                retry_after.add(code)
        return Operation(
            operation_id=raw["operationId"],
            method=method.upper(),
            path=path,
            parameters=tuple(parameters),
            body_check=body_check,
            responses=responses,
            retry_after_statuses=frozenset(retry_after),
        )

    def properties(self, schema_name: str) -> set[str]:
        """The property names of a named object schema."""
        return set(self.document["components"]["schemas"][schema_name].get("properties", {}))


def field_path(path: Iterable[str | int], root: str) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or root


def _describe(error: jsonschema_rs.ValidationError) -> list[Finding]:
    """The findings of one jsonschema-rs error, in words that name the field."""
    path = tuple(error.instance_path)
    kind = error.kind
    kinds = jsonschema_rs.ValidationErrorKind
    code = kind.name
    if isinstance(kind, kinds.Required):
        return [Finding((*path, kind.property), IS_REQUIRED, code)]
    if isinstance(kind, kinds.AdditionalProperties | kinds.UnevaluatedProperties):
        return [Finding((*path, name), IS_UNKNOWN, code) for name in kind.unexpected]
    if isinstance(kind, kinds.Type):
        # jsonschema-rs sorts the types; the spec writes null last ([string, 'null']).
        wanted = " or ".join(sorted(kind.types, key=lambda name: name == "null"))
        return [Finding(path, f"expected {wanted}, got {json_type(error.instance)}", code)]
    if isinstance(kind, kinds.MinLength | kinds.MinItems):
        return [Finding(path, "must not be empty", code)]
    return [Finding(path, error.message, code)]


def strict(document: Json) -> Json:
    """A copy of the spec where an object schema allows no members but its own.

    For seed files, where an unknown member is a typo to report. Schemas that
    say what to do with other members (`additionalProperties`) keep their word.
    """
    copied: Json = copy.deepcopy(document)
    pending: list[Any] = [copied.get("components", {}).get("schemas", {})]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            if "properties" in node and "additionalProperties" not in node:
                node.setdefault("unevaluatedProperties", False)
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return copied


def json_type(value: object) -> str:
    """The JSON type of a parsed value, as JSON Schema names it (integers are numbers)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"
