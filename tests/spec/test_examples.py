"""Every example in openapi.yaml, and every JSON fixture, matches its schema (Draft 2020-12)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.openapi_document import (
    REPO_ROOT,
    Node,
    escape_pointer_token,
    get_at,
    load_openapi,
    operations,
    pointer,
    resolve,
)

DOCUMENT_URI = "urn:octave-contract-kit:openapi.yaml"
FIXTURES = REPO_ROOT / "tests" / "fixtures"
SUBSCHEMA_LISTS = ("oneOf", "anyOf", "allOf", "prefixItems")
SUBSCHEMA_SINGLES = ("items", "not", "if", "then", "else", "contains")
# The JSON bodies under tests/fixtures and the schema each must match.
FIXTURE_SCHEMAS = {
    "docs/get-product-response.json": "Product",
    "docs/get-segment-response.json": "Segment",
    "docs/update-reference-response.json": "UpdateReferenceResponse",
    "docs/update-reference-request.json": "UpdateReferenceRequest",
    "variants/get-product-service.json": "Product",
    "variants/get-product-solution.json": "Product",
    "errors/not-found.json": "Error",
}


@dataclass(frozen=True)
class ExampleCase:
    """One example and the schema it must match."""

    id: str
    schema_ref: str
    value: Any
    component: str | None = None
    location: str = ""


def schema_errors(document: Node, schema_ref: str, instance: Any) -> list[str]:
    """Validate ``instance`` against the schema at ``schema_ref``; return readable errors."""
    resource: Resource[Any] = Resource.from_contents(document, default_specification=DRAFT202012)
    registry: Registry[Any] = Registry().with_resource(DOCUMENT_URI, resource)
    validator = Draft202012Validator(
        {"$ref": DOCUMENT_URI + schema_ref},
        registry=registry,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    return sorted(
        f"{'/'.join(str(part) for part in error.absolute_path) or '(root)'}: {error.message}"
        for error in validator.iter_errors(instance)
    )


def _media_examples(
    label: str, media_ref: str, media: Node, document: Node
) -> Iterator[ExampleCase]:
    if "schema" not in media:
        return
    schema_ref = f"{media_ref}/schema"
    if "example" in media:
        yield ExampleCase(f"{label}-example", schema_ref, media["example"], None, label)
    for name, example in media.get("examples", {}).items():
        target, ref = resolve(document, example)
        if "value" in target:
            component = ref.rsplit("/", 1)[-1] if ref else None
            yield ExampleCase(f"{label}-{name}", schema_ref, target["value"], component, label)


def media_type_examples(document: Node) -> list[ExampleCase]:
    """Examples of every request body and response media type, named operation-status-example."""
    cases: list[ExampleCase] = []
    for operation_id, method, path, operation in operations(document):
        parts: list[tuple[str, Node, str]] = []
        if "requestBody" in operation:
            body, ref = resolve(document, operation["requestBody"])
            parts.append(("request", body, ref or pointer("paths", path, method, "requestBody")))
        for status, response in operation["responses"].items():
            target, ref = resolve(document, response)
            parts.append(
                (status, target, ref or pointer("paths", path, method, "responses", status))
            )
        for part, node, node_ref in parts:
            for media_type, media in node.get("content", {}).items():
                media_ref = f"{node_ref}/content/{escape_pointer_token(media_type)}"
                label = f"{operation_id}-{part}" + (
                    "" if media_type == "application/json" else f"-{media_type}"
                )
                cases.extend(_media_examples(label, media_ref, media, document))
    return cases


def _schema_examples(label: str, ref: str, node: Any) -> Iterator[ExampleCase]:
    if not isinstance(node, dict):
        return
    if "example" in node:
        yield ExampleCase(label, ref, node["example"])
    if isinstance(node.get("examples"), list):  # JSON Schema's own `examples` keyword
        for index, value in enumerate(node["examples"]):
            yield ExampleCase(f"{label}.examples[{index}]", ref, value)
    for name, sub in node.get("properties", {}).items():
        sub_ref = f"{ref}/properties/{escape_pointer_token(name)}"
        yield from _schema_examples(f"{label}.{name}", sub_ref, sub)
    for keyword in SUBSCHEMA_SINGLES:
        if keyword in node:
            suffix = "[]" if keyword == "items" else f".{keyword}"
            yield from _schema_examples(f"{label}{suffix}", f"{ref}/{keyword}", node[keyword])
    for keyword in SUBSCHEMA_LISTS:
        for index, sub in enumerate(node.get(keyword, [])):
            yield from _schema_examples(
                f"{label}.{keyword}[{index}]", f"{ref}/{keyword}/{index}", sub
            )
    if isinstance(node.get("additionalProperties"), dict):
        yield from _schema_examples(
            f"{label}.*", f"{ref}/additionalProperties", node["additionalProperties"]
        )


def schema_examples(document: Node) -> list[ExampleCase]:
    """Schema-level ``example`` values: component schemas, parameters and headers."""
    components: Node = document["components"]
    cases: list[ExampleCase] = []
    for name, node in components.get("schemas", {}).items():
        cases.extend(_schema_examples(name, pointer("components", "schemas", name), node))
    for kind in ("parameters", "headers"):
        for name, node in components.get(kind, {}).items():
            if "schema" in node:
                ref = pointer("components", kind, name, "schema")
                cases.extend(_schema_examples(f"{kind}.{name}", ref, node["schema"]))
    for operation_id, method, path, operation in operations(document):
        for index, parameter in enumerate(operation.get("parameters", [])):
            if "schema" in parameter:
                ref = pointer("paths", path, method, "parameters", index, "schema")
                cases.extend(
                    _schema_examples(
                        f"{operation_id}.{parameter['name']}", ref, parameter["schema"]
                    )
                )
    return cases


DOCUMENT = load_openapi()
MEDIA_CASES = media_type_examples(DOCUMENT)
SCHEMA_CASES = schema_examples(DOCUMENT)


@pytest.mark.parametrize("case", MEDIA_CASES, ids=[case.id for case in MEDIA_CASES])
def test_media_type_example_matches_its_schema(openapi: Node, case: ExampleCase) -> None:
    """A request or response example validates against its media type's schema."""
    errors = schema_errors(openapi, case.schema_ref, case.value)
    assert not errors, f"{case.id} does not match {case.schema_ref}:\n" + "\n".join(errors)


@pytest.mark.parametrize("case", SCHEMA_CASES, ids=[case.id for case in SCHEMA_CASES])
def test_schema_example_matches_its_schema(openapi: Node, case: ExampleCase) -> None:
    """A property's (or parameter's, or header's) `example` validates against that schema."""
    errors = schema_errors(openapi, case.schema_ref, case.value)
    assert not errors, f"{case.id} does not match {case.schema_ref}:\n" + "\n".join(errors)


def test_every_body_and_response_with_content_has_an_example(openapi: Node) -> None:
    """The collector finds at least one example for each request body and response with content."""
    locations = {case.location for case in media_type_examples(openapi)}
    expected: set[str] = set()
    for operation_id, _method, _path, operation in operations(openapi):
        if "requestBody" in operation:
            expected.add(f"{operation_id}-request")
        for status, response in operation["responses"].items():
            if resolve(openapi, response)[0].get("content"):
                expected.add(f"{operation_id}-{status}")
    # Three operations, each with a 200 and at least five error statuses.
    assert len(expected) >= 3 * 6, f"implausibly few bodies and responses: {sorted(expected)}"
    assert expected == expected & locations, f"no example for {sorted(expected - locations)}"


def test_every_component_example_is_collected(openapi: Node) -> None:
    """Every components/examples entry is reached from some media type, so none goes unchecked."""
    expected = set(openapi["components"]["examples"])
    assert expected == {case.component for case in media_type_examples(openapi) if case.component}


def test_schema_example_collector_finds_a_plausible_number(openapi: Node) -> None:
    """The property-example collector finds more examples than there are component schemas."""
    ids = {case.id for case in schema_examples(openapi)}
    assert len(ids) > len(openapi["components"]["schemas"]), sorted(ids)
    expected = {"Product.createdAt", "QualifyingQuestion.fitType", "parameters.ProductOId"}
    assert expected == expected & ids


def test_broken_media_type_example_is_caught(openapi: Node) -> None:
    """The validation function reports a docs example with a missing and a mistyped field."""
    broken: Node = openapi["components"]["examples"]["ProductDocs"]["value"]
    del broken["oId"]
    broken["active"] = "yes"
    case = next(case for case in media_type_examples(openapi) if case.id == "getProduct-200-docs")
    expected = [
        "(root): 'oId' is a required property",
        "active: 'yes' is not of type 'boolean'",
    ]
    assert expected == schema_errors(openapi, case.schema_ref, case.value)


def test_broken_schema_example_is_caught(openapi: Node) -> None:
    """The validation function reports a property example of the wrong type."""
    openapi["components"]["schemas"]["Product"]["properties"]["createdAt"]["example"] = 20210101
    openapi["components"]["schemas"]["Metadata"]["properties"]["timestamp"]["example"] = 1609459200
    errors = {
        case.id: schema_errors(openapi, case.schema_ref, case.value)
        for case in schema_examples(openapi)
        if case.id in {"Product.createdAt", "Metadata.timestamp"}
    }
    expected = {
        "Product.createdAt": ["(root): 20210101 is not of type 'string'"],
        "Metadata.timestamp": ["(root): 1609459200 is not of type 'string'"],
    }
    assert expected == errors


@pytest.mark.parametrize(
    ("component", "fixture"),
    [
        ("ProductDocs", "get-product-response.json"),
        ("SegmentDocs", "get-segment-response.json"),
        ("UpdateReferenceResponseDocs", "update-reference-response.json"),
        ("UpdateReferenceRequestDocs", "update-reference-request.json"),
    ],
)
def test_docs_example_is_octaves_printed_example(
    openapi: Node, component: str, fixture: str
) -> None:
    """The spec's `*Docs` example is exactly the JSON printed on Octave's docs page."""
    printed = json.loads((FIXTURES / "docs" / fixture).read_text(encoding="utf-8"))
    assert printed == get_at(openapi, pointer("components", "examples", component, "value"))


@pytest.mark.parametrize(("fixture", "schema_name"), sorted(FIXTURE_SCHEMAS.items()))
def test_fixture_body_matches_its_schema(openapi: Node, fixture: str, schema_name: str) -> None:
    """Each JSON body the client tests feed the client is valid per the spec."""
    body = json.loads((FIXTURES / fixture).read_text(encoding="utf-8"))
    errors = schema_errors(openapi, pointer("components", "schemas", schema_name), body)
    assert not errors, f"{fixture} does not match {schema_name}:\n" + "\n".join(errors)


def test_every_fixture_body_has_a_schema() -> None:
    """No JSON body in the fixture folders the client tests read escapes the schema check above."""
    folders = sorted({name.split("/")[0] for name in FIXTURE_SCHEMAS})
    found = [path for folder in folders for path in (FIXTURES / folder).rglob("*.json")]
    expected = sorted(FIXTURE_SCHEMAS)
    assert expected == sorted(path.relative_to(FIXTURES).as_posix() for path in found)
