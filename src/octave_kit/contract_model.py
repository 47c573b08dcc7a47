"""An OpenAPI document read as places a client can touch: operations, parameters, members.

`impact` judges an app's interactions against a contract version with it. A place is a tuple
key (the operation by method and path, which the app sees, not its operationId) and each
place has a signature: what about it a client can notice (type, required, enum or const).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import yaml

from octave_kit.pact import JSON_MEDIA_TYPE

Document = dict[str, Any]
Place = tuple[str, ...]  # ("query", "GET /path", "oId"), ("response", "GET /path", "200", "a.b")
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# How far a member path may go: deep enough for any real contract, and a guard on recursion.
MAX_DEPTH = 12


class ContractError(ValueError):
    """The contract cannot be read as an OpenAPI document; the message names the file."""


def load_contract(path: Path) -> Document:
    """The document at `path`, a fresh copy of it for each call (the caller may change it)."""
    try:
        text = path.read_text(encoding="utf-8")
        as_json = json_of(text)
        document = (
            yaml.load(text, Loader=yaml.CSafeLoader) if as_json is None else orjson.loads(as_json)
        )
    except OSError as error:
        raise ContractError(f"{path}: cannot be read: {error.strerror}") from None
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        raise ContractError(f"{path}: not YAML: {error}") from None
    if not isinstance(document, dict) or not isinstance(document.get("paths"), dict):
        raise ContractError(f"{path}: not an OpenAPI document (no paths)")
    return document


# A process reads the same contract many times (each mock that an app or a test starts, each
# contract run): its YAML takes about 8 ms to read, the same document as JSON 0.1 ms.
@functools.lru_cache(maxsize=16)
def json_of(text: str) -> bytes | None:
    """The YAML text's document as JSON, when JSON holds it exactly (not a date, a number
    as a key, and the like): None then."""
    document = yaml.load(text, Loader=yaml.CSafeLoader)
    try:
        as_json = orjson.dumps(document)
    except TypeError:
        return None
    return as_json if orjson.loads(as_json) == document else None


def resolved(document: Document, node: Any, seen: int = 0) -> Any:
    """The node with its $ref followed (local references only)."""
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        reference = node["$ref"]
        if not reference.startswith("#/") or seen > MAX_DEPTH:
            raise ContractError(f"$ref {reference!r}: only local references are read")
        node = document
        for part in reference[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(node, dict) or part not in node:
                raise ContractError(f"$ref {reference!r}: nothing there")
            node = node[part]
        seen += 1
    return node


@dataclass(frozen=True)
class Operation:
    method: str  # upper case
    path: str  # the path template
    item: Document  # the path item
    node: Document  # the operation object

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def name(self) -> str:
        return str(self.node.get("operationId") or self.key)


def operations(document: Document) -> list[Operation]:
    found = []
    for path, item in document["paths"].items():
        item = resolved(document, item)
        if not isinstance(item, dict):
            continue
        for method in METHODS:
            node = item.get(method)
            if isinstance(node, dict):
                found.append(Operation(method.upper(), str(path), item, node))
    return found


def find_operation(document: Document, method: str, path: str) -> Operation | None:
    """The operation that answers `method` at the concrete `path`, templates included."""
    for operation in operations(document):
        if operation.method == method and _template(operation.path).fullmatch(path):
            return operation
    return None


def _template(path: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}/]+\})", path)
    return re.compile("".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts))


def parameters(document: Document, operation: Operation) -> dict[tuple[str, str], Document]:
    """The operation's parameters by (in, name), the operation's own over its path item's."""
    found: dict[tuple[str, str], Document] = {}
    for source in (operation.item, operation.node):
        for parameter in source.get("parameters") or []:
            parameter = resolved(document, parameter)
            if isinstance(parameter, dict) and "name" in parameter:
                where = str(parameter.get("in", "query"))
                name = str(parameter["name"])
                found[(where, name.lower() if where == "header" else name)] = parameter
    return found


def request_schema(document: Document, operation: Operation) -> tuple[bool, Any] | None:
    """Whether the body is required, and its JSON schema; None without a request body."""
    body = resolved(document, operation.node.get("requestBody"))
    if not isinstance(body, dict):
        return None
    media = (body.get("content") or {}).get(JSON_MEDIA_TYPE)
    schema = media.get("schema", {}) if isinstance(media, dict) else None
    return bool(body.get("required")), schema


def responses(document: Document, operation: Operation) -> dict[str, Any]:
    """The documented statuses ("200", "4XX", "default") and each one's JSON schema (or None)."""
    found: dict[str, Any] = {}
    for status, response in (operation.node.get("responses") or {}).items():
        response = resolved(document, response)
        content = response.get("content") if isinstance(response, dict) else None
        media = (content or {}).get(JSON_MEDIA_TYPE)
        found[str(status)] = media.get("schema", {}) if isinstance(media, dict) else None
    return found


def response_schema(documented: dict[str, Any], status: int) -> tuple[str, Any] | None:
    """The documented status that covers `status` (exact, then 4XX, then default)."""
    for name in (str(status), f"{str(status)[0]}XX", "default"):
        if name in documented:
            return name, documented[name]
    return None


def security_headers(document: Document, operation: Operation) -> set[str]:
    """The headers that may carry the key, lower-cased (API-key schemes in headers)."""
    requirements = operation.node.get("security", document.get("security")) or []
    schemes = (document.get("components") or {}).get("securitySchemes") or {}
    names = set()
    for requirement in requirements:
        for scheme_name in requirement if isinstance(requirement, dict) else ():
            scheme = resolved(document, schemes.get(scheme_name))
            if isinstance(scheme, dict) and scheme.get("type") == "apiKey":
                if scheme.get("in") == "header":
                    names.add(str(scheme.get("name", "")).lower())
            elif isinstance(scheme, dict) and scheme.get("type") in ("http", "oauth2"):
                names.add("authorization")
    return names


def signature(document: Document, schema: Any) -> str:
    """What a client can notice of a value's schema: its types, enum and const."""
    schema = resolved(document, schema)
    if not isinstance(schema, dict):
        return "any"
    parts = []
    kinds = schema.get("type")
    if kinds is not None:
        parts.append("|".join(sorted(kinds if isinstance(kinds, list) else [kinds])))
    if schema.get("nullable") is True:
        parts.append("null")
    if "enum" in schema:
        parts.append("enum " + ",".join(sorted(map(str, schema["enum"]))))
    if "const" in schema:
        parts.append(f"const {schema['const']}")
    for combinator in ("anyOf", "oneOf"):
        if combinator in schema:
            branches = [signature(document, branch) for branch in schema[combinator]]
            parts.append(f"{combinator}({';'.join(branches)})")
    return " ".join(parts) or "any"


def members(
    document: Document, schema: Any, prefix: str = "", depth: int = 0
) -> Iterator[tuple[str, str, bool]]:
    """Every member path below a schema (`a.b`, `a[].c`), its signature, and if it is required.

    The members of anyOf, oneOf and allOf branches are merged: a client may meet any of them.
    """
    schema = resolved(document, schema)
    if not isinstance(schema, dict) or depth > MAX_DEPTH:
        return
    for combinator in ("allOf", "anyOf", "oneOf"):
        for branch in schema.get(combinator) or []:
            yield from members(document, branch, prefix, depth + 1)
    required = set(schema.get("required") or [])
    for name, member in (schema.get("properties") or {}).items():
        path = f"{prefix}.{name}" if prefix else str(name)
        yield path, signature(document, member), name in required
        yield from members(document, member, path, depth + 1)
    if "items" in schema:
        path = f"{prefix}[]"
        yield path, signature(document, schema["items"]), False
        yield from members(document, schema["items"], path, depth + 1)


def places(document: Document) -> dict[Place, str]:
    """Every place of the contract a client can touch, with its signature."""
    found: dict[Place, str] = {}
    for operation in operations(document):
        key = operation.key
        found[("operation", key)] = "documented"  # its operationId never goes over the wire
        for (where, name), parameter in parameters(document, operation).items():
            _add(
                found,
                (where, key, name),
                signature(document, parameter.get("schema")),
                bool(parameter.get("required")),
            )
        body = request_schema(document, operation)
        if body is not None:
            found[("request", key, "")] = "required" if body[0] else "optional"
            for path, kind, required in members(document, body[1]):
                _add(found, ("request", key, path), kind, required)
        for status, schema in responses(document, operation).items():
            found[("status", key, status)] = "documented"
            for path, kind, required in members(document, schema):
                _add(found, ("response", key, status, path), kind, required)
    return found


def _add(found: dict[Place, str], place: Place, kind: str, required: bool) -> None:
    """A member met in several branches (anyOf, oneOf) has each branch's signature."""
    said = f"{'required' if required else 'optional'} {kind}"
    earlier = found.get(place)
    if earlier is None or earlier == said:
        found[place] = said
    else:
        found[place] = " / ".join(sorted({*earlier.split(" / "), said}))
