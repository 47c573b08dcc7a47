"""Read openapi.yaml once and answer questions about it, for the spec and client tests."""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from octave_kit.contract_file import SPEC_PATH
from spec_tools.repository import checkout

# The checkout these tests are in, whichever virtualenv runs them.
REPO_ROOT = checkout(Path(__file__).parent)
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

Node = dict[str, Any]


@functools.cache
def shared_openapi() -> Node:
    """openapi.yaml as plain Python data, parsed once and shared: read it, never change it."""
    # libyaml's loader, as the kit's own (contract_model): the pure-Python one takes ten times
    # as long, and every worker reads the document at collection.
    document: Node = yaml.load(SPEC_PATH.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return document


def load_openapi() -> Node:
    """Return a fresh copy of openapi.yaml as plain Python data, for a test to change."""
    return copy.deepcopy(shared_openapi())


def error_example(response_name: str) -> Node:
    """The example body of components/responses/<response_name> (each error response has one)."""
    response = shared_openapi()["components"]["responses"][response_name]
    body: Node = copy.deepcopy(response["content"]["application/json"]["example"])
    return body


def escape_pointer_token(token: str) -> str:
    """Escape one JSON Pointer reference token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def pointer(*tokens: str | int) -> str:
    """Build a local JSON Pointer such as ``#/components/schemas/Product``."""
    return "#/" + "/".join(escape_pointer_token(str(token)) for token in tokens)


def get_at(document: Node, ref: str) -> Any:
    """Return the node a local ``#/...`` reference names."""
    if not ref.startswith("#/"):
        raise ValueError(f"only local references are supported, got {ref!r}")
    node: Any = document
    for raw in ref[2:].split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


def resolve(document: Node, node: Node) -> tuple[Node, str | None]:
    """Follow ``$ref`` chains; return the target node and the last reference followed."""
    ref: str | None = None
    while "$ref" in node:
        ref = node["$ref"]
        node = get_at(document, node["$ref"])
    return node, ref


def operations(document: Node) -> Iterator[tuple[str, str, str, Node]]:
    """Yield ``(operationId, method, path, operation)`` for every operation."""
    for path, path_item in document["paths"].items():
        for method in HTTP_METHODS:
            if method in path_item:
                operation: Node = path_item[method]
                yield operation["operationId"], method, path, operation


def schema(document: Node, name: str) -> Node:
    """Return ``components/schemas/<name>``."""
    found: Node = document["components"]["schemas"][name]
    return found


def is_nullable(document: Node, property_schema: Node) -> bool:
    """Whether a property schema admits ``null`` (``type: [..., 'null']`` or a null variant)."""
    target, _ = resolve(document, property_schema)
    types = target.get("type")
    if types == "null" or (isinstance(types, list) and "null" in types):
        return True
    variants: list[Node] = target.get("oneOf", []) + target.get("anyOf", [])
    return any(is_nullable(document, variant) for variant in variants)


def nullable_properties(document: Node, name: str) -> list[str]:
    """Names of the properties of schema ``name`` that may be ``null``."""
    properties: Node = schema(document, name).get("properties", {})
    return [key for key, value in properties.items() if is_nullable(document, value)]


def optional_properties(document: Node, name: str) -> list[str]:
    """Names of the properties of schema ``name`` that are not in its ``required`` list."""
    found = schema(document, name)
    required = set(found.get("required", []))
    return [key for key in found.get("properties", {}) if key not in required]
