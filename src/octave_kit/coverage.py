"""Coverage of the contract: what traffic exercised of openapi.yaml, and what it never met.

Every item is derived from the spec, never listed by hand, in seven dimensions:

- operations: each operation called;
- statuses: each documented status of each operation received;
- faults: each fault an app can meet, per operation: a timeout, a dropped
  connection, a gateway's page, and a Retry-After where a status documents one;
- parameters: each query parameter and each request body member sent
  (nested members by their path: `customFields[].title`);
- keywords: each constraint keyword of the request schemas (type, required,
  additionalProperties, enum, minLength, ...) met on its valid side and on its
  invalid side;
- values: each enum value and each variant of an anyOf/oneOf (the first that
  matches, as a client tries them in order) sent and received, and each
  nullable request member sent as null;
- responses: each member of a success response received present, each
  optional one absent, and each nullable one null.

A kind of traffic tells only some dimensions (READABLE): the proxy's report has
no bodies, a team's tests rarely send invalid requests on purpose, a contract
run meets no faults. Coverage is computed once, at the end, from the traffic:
`observe` turns exchanges into the set of items they met, and met sets from
several processes or files are merged by union, so the order and the split of
the traffic never change the result.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, NamedTuple

import orjson

from octave_kit.spec import HTTP_METHODS, SchemaCheck, Spec, json_pointer, json_type
from octave_kit.traffic import (
    APP,
    CONTRACT,
    FAULTS,
    LIVE,
    PACT,
    RETRY_AFTER,
    TESTS,
    Exchange,
    Traffic,
    routed,
)

OPERATIONS = "operations"
STATUSES = "statuses"
FAULTS_MET = "faults"
PARAMETERS = "parameters"
KEYWORDS = "keywords"
VALUES = "values"
RESPONSES = "responses"
DIMENSIONS = (OPERATIONS, STATUSES, FAULTS_MET, PARAMETERS, KEYWORDS, VALUES, RESPONSES)
# What each kind of traffic can tell.
READABLE = {
    TESTS: (OPERATIONS, STATUSES, FAULTS_MET, PARAMETERS, VALUES, RESPONSES),
    CONTRACT: (OPERATIONS, STATUSES, PARAMETERS, KEYWORDS, VALUES, RESPONSES),
    APP: (OPERATIONS, STATUSES, FAULTS_MET, PARAMETERS, VALUES, RESPONSES),
    LIVE: (OPERATIONS, STATUSES),
    PACT: (OPERATIONS, STATUSES, PARAMETERS, VALUES, RESPONSES),
}
# The constraint keywords whose two sides are counted, and the JSON types each applies to.
CONSTRAINTS = {
    "type": None,
    "enum": None,
    "const": None,
    "required": "object",
    "additionalProperties": "object",
    "minProperties": "object",
    "maxProperties": "object",
    "minLength": "string",
    "maxLength": "string",
    "pattern": "string",
    "minimum": "number",
    "maximum": "number",
    "exclusiveMinimum": "number",
    "exclusiveMaximum": "number",
    "multipleOf": "number",
    "minItems": "array",
    "maxItems": "array",
    "uniqueItems": "array",
}
VALID, INVALID = "valid", "invalid"


class Item(NamedTuple):
    """One thing the contract documents that traffic may meet: `getProduct 404`.

    A tuple, so that the sets of what traffic met hash and compare at C speed.
    """

    dimension: str
    operation: str
    detail: str

    @property
    def name(self) -> str:
        return f"{self.operation} {self.detail}"


@dataclass
class Node:
    """A schema of the spec, as coverage walks it: its members, items, variants and keywords."""

    types: frozenset[str] = frozenset()  # empty: any
    nullable: bool = False
    properties: dict[str, Node] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    items: Node | None = None
    variants: list[tuple[str, SchemaCheck, Node]] = field(default_factory=list)
    enum: tuple[Any, ...] = ()
    constraints: dict[str, Any] = field(default_factory=dict)


class Schemas:
    """Nodes built from the spec's schemas, each named schema once."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self._named: dict[str, Node] = {}

    def node(self, pointer: str) -> Node:
        """The node of the schema at `pointer` (a JSON pointer into the spec)."""
        schema = self.spec.at(pointer)
        ref = schema.get("$ref") if isinstance(schema, dict) else None
        if ref is not None:
            if ref not in self._named:
                self._named[ref] = Node()  # a cycle finds the node being built
                built = self.node(ref)
                self._named[ref].__dict__.update(built.__dict__)
            return self._named[ref]
        return self._build(pointer, schema if isinstance(schema, dict) else {})

    def _build(self, pointer: str, schema: Mapping[str, Any]) -> Node:
        types = schema.get("type", ())
        types = frozenset([types] if isinstance(types, str) else types)
        node = Node(types=types - {"null"}, nullable="null" in types)
        for name in schema.get("properties", {}):
            node.properties[name] = self.node(f"{pointer}/properties/{_step(name)}")
        node.required = frozenset(schema.get("required", ()))
        if "items" in schema:
            node.items = self.node(f"{pointer}/items")
        for keyword in ("anyOf", "oneOf"):
            for index, branch in enumerate(schema.get(keyword, ())):
                target = self.spec.resolve(branch) if "$ref" in branch else branch
                if target.get("type") == "null":
                    node.nullable = True
                    continue
                where = branch.get("$ref", f"{pointer}/{keyword}/{index}")
                label = where.rsplit("/", 1)[-1] if "$ref" in branch else f"{keyword}[{index}]"
                node.variants.append((label, self.spec.check(where), self.node(where)))
        if "enum" in schema:
            node.enum = tuple(schema["enum"])
        for keyword in CONSTRAINTS:
            if keyword in schema and keyword not in ("type", "required"):
                if keyword == "additionalProperties" and schema[keyword] is not False:
                    continue
                node.constraints[keyword] = schema[keyword]
        if node.types:
            node.constraints["type"] = node.types | ({"null"} if node.nullable else set())
        if node.required:
            node.constraints["required"] = node.required
        return node


def _step(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


@dataclass
class OperationModel:
    """What coverage counts of one operation."""

    operation_id: str
    statuses: tuple[int, ...]
    retry_after: bool
    query: dict[str, tuple[bool, Node]]  # name -> (required, schema)
    body: Node | None
    responses: dict[int, Node]  # success statuses with a JSON body


class Model:
    """The contract's items of coverage, read from the spec."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        schemas = Schemas(spec)
        self.operations: dict[str, OperationModel] = {}
        for path, item in spec.document.get("paths", {}).items():
            for method in HTTP_METHODS:
                if method in item:
                    raw = item[method]
                    base = json_pointer("paths", path, method)
                    self.operations[raw["operationId"]] = self._operation(schemas, base, raw)
        self.items = sorted(self._items())

    def _operation(self, schemas: Schemas, base: str, raw: Mapping[str, Any]) -> OperationModel:
        op = self.spec.by_id[raw["operationId"]]
        query = {}
        for index, parameter in enumerate(raw.get("parameters", ())):
            resolved = self.spec.resolve(parameter)
            pointer = parameter.get("$ref", f"{base}/parameters/{index}")
            node = schemas.node(f"{pointer}/schema")
            query[resolved["name"]] = (bool(resolved.get("required")), node)
        media = "content/application~1json/schema"
        body = None
        if "requestBody" in raw:
            body = schemas.node(f"{base}/requestBody/{media}")
        responses = {}
        for status, response in raw.get("responses", {}).items():
            resolved = self.spec.resolve(response)
            if status.startswith("2") and "application/json" in resolved.get("content", {}):
                pointer = response.get("$ref", f"{base}/responses/{status}")
                responses[int(status)] = schemas.node(f"{pointer}/{media}")
        return OperationModel(
            operation_id=op.operation_id,
            statuses=tuple(sorted(op.responses)),
            retry_after=bool(op.retry_after_statuses),
            query=query,
            body=body,
            responses=responses,
        )

    def _items(self) -> Iterator[Item]:
        for op_id, op in self.operations.items():
            yield Item(OPERATIONS, op_id, "called")
            for status in op.statuses:
                yield Item(STATUSES, op_id, str(status))
            for fault in FAULTS:
                if fault != RETRY_AFTER or op.retry_after:
                    yield Item(FAULTS_MET, op_id, fault)
            for name, (required, node) in op.query.items():
                where = f"query {name}"
                yield Item(PARAMETERS, op_id, where)
                if required:
                    yield from _sides(op_id, f"{where} required")
                for keyword in node.constraints:
                    if keyword not in ("type", "required"):  # a query value is always text
                        yield from _sides(op_id, f"{where} {keyword}")
                yield from _value_items(op_id, where, node, request=True)
            if op.body is not None:
                yield from _request_items(op_id, "body", op.body, set())
            for status, node in op.responses.items():
                yield from _response_items(op_id, f"{status} body", node, set())


def _sides(op_id: str, what: str) -> Iterator[Item]:
    yield Item(KEYWORDS, op_id, f"{what}: {VALID}")
    yield Item(KEYWORDS, op_id, f"{what}: {INVALID}")


def _member(path: str, name: str) -> str:
    return f"{path}.{name}"


def _request_items(op_id: str, path: str, node: Node, seen: set[int]) -> Iterator[Item]:
    """A request body's items: its members sent, their keywords' two sides, values, nulls."""
    if id(node) in seen:
        return
    seen = seen | {id(node)}
    for keyword in node.constraints:
        if keyword == "required":
            for name in sorted(node.required):
                yield from _sides(op_id, f"{_member(path, name)} required")
        else:
            yield from _sides(op_id, f"{path} {keyword}")
    yield from _value_items(op_id, path, node, request=True)
    for name, member in node.properties.items():
        yield Item(PARAMETERS, op_id, _member(path, name))
        yield from _request_items(op_id, _member(path, name), member, seen)
    if node.items is not None:
        yield from _request_items(op_id, f"{path}[]", node.items, seen)
    for label, _, variant in node.variants:
        yield from _request_items(op_id, _variant_path(path, label, node), variant, seen)


def _value_items(op_id: str, where: str, node: Node, request: bool) -> Iterator[Item]:
    """Enum values and variants; and for a request, null (a response's nulls are members')."""
    for value in node.enum:
        yield Item(VALUES, op_id, f"{where} = {_shown(value)}")
    for label, _, _ in node.variants if len(node.variants) > 1 else ():
        yield Item(VALUES, op_id, f"{where}: {label}")
    if node.nullable and request:
        yield Item(VALUES, op_id, f"{where} = null")


def _response_items(op_id: str, path: str, node: Node, seen: set[int]) -> Iterator[Item]:
    if id(node) in seen:
        return
    seen = seen | {id(node)}
    yield from _value_items(op_id, path, node, request=False)
    for name, member in node.properties.items():
        where = _member(path, name)
        yield Item(RESPONSES, op_id, f"{where}: present")
        if name not in node.required:
            yield Item(RESPONSES, op_id, f"{where}: absent")
        if member.nullable:
            yield Item(RESPONSES, op_id, f"{where}: null")
        yield from _response_items(op_id, where, member, seen)
    if node.items is not None:
        yield from _response_items(op_id, f"{path}[]", node.items, seen)
    for label, _, variant in node.variants:
        yield from _response_items(op_id, _variant_path(path, label, node), variant, seen)


def _variant_path(path: str, label: str, node: Node) -> str:
    return f"{path}<{label}>" if len(node.variants) > 1 else path


def _shown(value: Any) -> str:
    return value if isinstance(value, str) else repr(value)


# What traffic met ---------------------------------------------------------------------------


def observe(model: Model, traffic: Iterable[Exchange]) -> set[Item]:
    """Every item the exchanges met (in every dimension; the report keeps the readable ones)."""
    met: set[Item] = set()
    observed: set[bytes] = set()
    for exchange in traffic:
        exchange = routed(exchange, model.spec)
        # A suite sends the same few requests and gets the same answers again and again: an
        # exchange met before meets nothing new, and reading it again is most of the cost.
        seen_before = _fingerprint(exchange)
        if seen_before is not None:
            if seen_before in observed:
                continue
            observed.add(seen_before)
        op = model.operations.get(exchange.operation or "")
        if op is None:
            continue
        op_id = op.operation_id
        met.add(Item(OPERATIONS, op_id, "called"))
        if exchange.status is not None:
            met.add(Item(STATUSES, op_id, str(exchange.status)))
        for fault in exchange.faults:
            met.add(Item(FAULTS_MET, op_id, fault))
        for name, value in exchange.query.items():
            if name in op.query:
                met.add(Item(PARAMETERS, op_id, f"query {name}"))
                _query_value(met, op_id, f"query {name}", op.query[name][1], value)
        for name, (required, _) in op.query.items():
            if required:
                side = VALID if name in exchange.query else INVALID
                met.add(Item(KEYWORDS, op_id, f"query {name} required: {side}"))
        if op.body is not None and exchange.request_json is not None:
            _request_value(met, op_id, "body", op.body, exchange.request_json)
        response = op.responses.get(exchange.status or 0)
        if response is not None and exchange.response_json is not None:
            where = f"{exchange.status} body"
            _response_value(met, op_id, where, response, exchange.response_json)
    return met


def _fingerprint(exchange: Exchange) -> bytes | None:
    """The exchange as bytes, equal for equal exchanges; None for a value JSON cannot hold."""
    try:
        return orjson.dumps(exchange, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:
        return None


def _query_value(met: set[Item], op_id: str, where: str, node: Node, value: str) -> None:
    for keyword, expected in node.constraints.items():
        if keyword not in ("type", "required"):
            side = VALID if _keeps(keyword, expected, value, "string") else INVALID
            met.add(Item(KEYWORDS, op_id, f"{where} {keyword}: {side}"))
    if value in node.enum:
        met.add(Item(VALUES, op_id, f"{where} = {value}"))


def _request_value(met: set[Item], op_id: str, path: str, node: Node, value: Any) -> None:
    kind = json_type(value)
    if kind == "number" and isinstance(value, int):
        kind = "integer"
    if value is None and node.nullable:
        met.add(Item(VALUES, op_id, f"{path} = null"))
    for keyword, expected in node.constraints.items():
        if keyword == "required":
            for name in sorted(node.required) if kind == "object" else ():
                side = VALID if name in value else INVALID
                met.add(Item(KEYWORDS, op_id, f"{_member(path, name)} required: {side}"))
            continue
        applies = CONSTRAINTS[keyword]
        if applies is None or applies == kind or (applies == "number" and kind == "integer"):
            side = VALID if _keeps(keyword, expected, value, kind, node) else INVALID
            met.add(Item(KEYWORDS, op_id, f"{path} {keyword}: {side}"))
    if node.enum and _hashable(value) and value in node.enum:
        met.add(Item(VALUES, op_id, f"{path} = {_shown(value)}"))
    if kind == "object":
        for name, member_value in value.items():
            member = node.properties.get(name)
            if member is not None:
                met.add(Item(PARAMETERS, op_id, _member(path, name)))
                _request_value(met, op_id, _member(path, name), member, member_value)
    elif kind == "array" and node.items is not None:
        for element in value:
            _request_value(met, op_id, f"{path}[]", node.items, element)
    variant = _variant(node, value)
    if variant is not None:
        label, branch = variant
        if len(node.variants) > 1:
            met.add(Item(VALUES, op_id, f"{path}: {label}"))
        _request_value(met, op_id, _variant_path(path, label, node), branch, value)


def _response_value(met: set[Item], op_id: str, path: str, node: Node, value: Any) -> None:
    if isinstance(value, dict):
        for name, member in node.properties.items():
            where, present, absent, null = _member_items(op_id, path, name)
            if name not in value:
                met.add(absent)
                continue
            member_value = value[name]
            met.add(present)
            if member_value is None:
                met.add(null)
            else:
                _response_value(met, op_id, where, member, member_value)
    elif isinstance(value, list) and node.items is not None:
        for element in value:
            if element is not None:
                _response_value(met, op_id, f"{path}[]", node.items, element)
    variant = _variant(node, value)
    if variant is not None:
        label, branch = variant
        if len(node.variants) > 1:
            met.add(Item(VALUES, op_id, f"{path}: {label}"))
        _response_value(met, op_id, _variant_path(path, label, node), branch, value)
    if node.enum and _hashable(value) and value in node.enum:
        met.add(Item(VALUES, op_id, f"{path} = {_shown(value)}"))


@cache
def _member_items(op_id: str, path: str, name: str) -> tuple[str, Item, Item, Item]:
    """A response member's path, and its items present, absent and null: built once each."""
    where = _member(path, name)
    return (
        where,
        Item(RESPONSES, op_id, f"{where}: present"),
        Item(RESPONSES, op_id, f"{where}: absent"),
        Item(RESPONSES, op_id, f"{where}: null"),
    )


def _variant(node: Node, value: Any) -> tuple[str, Node] | None:
    """The first variant the value matches, as a client that tries them in order reads it."""
    for label, check, branch in node.variants:
        if check.validator.is_valid(value):
            return label, branch
    return None


def _hashable(value: Any) -> bool:
    return not isinstance(value, dict | list)


def _keeps(keyword: str, expected: Any, value: Any, kind: str, node: Node | None = None) -> bool:
    """Whether `value` (of JSON type `kind`) keeps the constraint `keyword: expected`."""
    if keyword == "type":
        return kind in expected or (kind == "integer" and "number" in expected)
    if keyword == "enum":
        return _hashable(value) and value in expected
    if keyword == "const":
        return bool(value == expected)
    if keyword == "additionalProperties":
        return node is None or set(value) <= set(node.properties)
    if keyword in ("minLength", "minItems", "minProperties"):
        return bool(len(value) >= expected)
    if keyword in ("maxLength", "maxItems", "maxProperties"):
        return bool(len(value) <= expected)
    if keyword == "pattern":
        return re.search(expected, value) is not None
    if keyword == "minimum":
        return bool(value >= expected)
    if keyword == "maximum":
        return bool(value <= expected)
    if keyword == "exclusiveMinimum":
        return bool(value > expected)
    if keyword == "exclusiveMaximum":
        return bool(value < expected)
    if keyword == "multipleOf":
        return bool(value % expected == 0)
    if keyword == "uniqueItems":
        return not expected or len({repr(element) for element in value}) == len(value)
    raise ValueError(f"no rule for the keyword {keyword}")


# The coverage of a run ----------------------------------------------------------------------


@dataclass
class Coverage:
    """The contract's items, which of them were met, and what traffic it was read from."""

    model: Model
    met: set[Item]
    kinds: set[str]
    requests: int
    unrouted: int = 0  # requests to no operation of the spec

    @property
    def dimensions(self) -> list[str]:
        """The dimensions the traffic's kinds can tell, in DIMENSIONS' order."""
        readable = {name for kind in self.kinds for name in READABLE.get(kind, ())}
        return [name for name in DIMENSIONS if name in readable]

    def items(self, dimension: str) -> list[Item]:
        return [item for item in self.model.items if item.dimension == dimension]

    def never_met(self, dimension: str) -> list[Item]:
        return [item for item in self.items(dimension) if item not in self.met]

    def percent(self, dimension: str | None = None) -> float:
        """The share of items met, of one dimension or (None) of every readable one."""
        dimensions = [dimension] if dimension else self.dimensions
        items = [item for name in dimensions for item in self.items(name)]
        met = sum(item in self.met for item in items)
        return 100.0 * met / len(items) if items else 100.0

    def merged(self, other: Coverage) -> Coverage:
        return Coverage(
            self.model,
            self.met | other.met,
            self.kinds | other.kinds,
            self.requests + other.requests,
            self.unrouted + other.unrouted,
        )


def coverage_of(model: Model, traffic: Traffic) -> Coverage:
    """The coverage of the traffic: computed once, from every exchange."""
    routed_exchanges = [routed(exchange, model.spec) for exchange in traffic.exchanges]
    unrouted = sum(exchange.operation not in model.operations for exchange in routed_exchanges)
    coverage = Coverage(model, set(), set(traffic.kinds), len(routed_exchanges), unrouted)
    readable = set(coverage.dimensions)
    coverage.met = {item for item in observe(model, routed_exchanges) if item.dimension in readable}
    return coverage
