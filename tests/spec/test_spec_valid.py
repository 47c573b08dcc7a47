"""openapi.yaml keeps the kit's conventions, and the linters' rules it relies on are in force.

That openapi.yaml itself passes openapi-spec-validator and Redocly is `make lint`'s job
(and so `make check`'s); these tests show that those tools reject what the kit forbids.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from octave_kit.contract_file import SPEC_PATH
from tests.openapi_document import REPO_ROOT, Node, load_openapi, operations, resolve

EXPECTED_OPERATION_IDS = {"updateReference", "getProduct", "getSegment"}
ERROR_STATUSES = ("400", "401", "404", "429", "500")
ERROR_SCHEMA_REF = "#/components/schemas/Error"
OPERATION_IDS = sorted(operation_id for operation_id, *_ in operations(load_openapi()))


def operation(document: Node, operation_id: str) -> Node:
    """The operation named ``operation_id``."""
    for found_id, _method, _path, found in operations(document):
        if found_id == operation_id:
            return found
    raise AssertionError(f"no operation {operation_id!r} in {SPEC_PATH.name}")


def test_openapi_spec_validator_rejects_a_broken_copy(openapi: Node) -> None:
    """The validator call used above does reject a document with a duplicate operationId."""
    # Imported here: the validator takes half a second to import, which collecting this
    # module would cost every worker.
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

    openapi["paths"]["/api/v2/segment/get"]["get"]["operationId"] = "getProduct"
    with pytest.raises(OpenAPIValidationError, match="Operation ID 'getProduct'"):
        validate(openapi)


def break_the_copy(document: Node, where: str) -> None:
    """Break one thing Redocly must report, as an error."""
    examples, schemas = document["components"]["examples"], document["components"]["schemas"]
    if where == "operation without a summary":
        del document["paths"]["/api/v2/product/get"]["get"]["summary"]
    elif where == "media type example, wrong type":
        examples["ProductDocs"]["value"]["active"] = "yes"
    elif where == "media type example, unknown field":
        examples["UpdateReferenceRequestDocs"]["value"]["nickname"] = "Acme"
    elif where == "schema example, wrong type":
        schemas["Product"]["properties"]["createdAt"]["example"] = 20210101
    else:
        document["components"]["parameters"]["ProductOId"]["examples"]["docs"]["value"] = 1234


# Each broken copy, and the one rule Redocly must report on it.
BROKEN_COPIES = {
    "operation without a summary": "operation-summary",
    "media type example, wrong type": "no-invalid-media-type-examples",
    "media type example, unknown field": "no-invalid-media-type-examples",
    "schema example, wrong type": "no-invalid-schema-examples",
    "parameter example, wrong type": "no-invalid-parameter-examples",
}


@pytest.fixture(scope="module")
def redocly_reports(
    node_tools: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, dict[str, Any]], int]:
    """One `redocly lint --format json` over every broken copy, from the repo root (so
    redocly.yaml applies): each copy's report, and Redocly's exit code."""
    folder = tmp_path_factory.mktemp("broken-copies")
    copies = []
    for number, where in enumerate(BROKEN_COPIES):
        document = load_openapi()
        break_the_copy(document, where)
        copies.append(folder / f"broken-{number}.yaml")
        copies[-1].write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    env = {**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"}
    completed = subprocess.run(  # noqa: S603 - fixed argv, no shell
        [str(node_tools / "redocly"), "lint", *map(str, copies), "--format", "json"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    reports = list(json_documents(completed.stdout))
    # One report per file, in the order given: each problem names its own file.
    assert len(reports) == len(copies), completed.stdout + completed.stderr
    for copy, report in zip(copies, reports, strict=True):
        for problem in report["problems"]:
            assert all(place["source"]["ref"].endswith(copy.name) for place in problem["location"])
    return dict(zip(BROKEN_COPIES, reports, strict=True)), completed.returncode


def json_documents(text: str) -> Iterator[dict[str, Any]]:
    """The JSON documents Redocly prints one after the other, one per file linted."""
    decoder, position, text = json.JSONDecoder(), 0, text.strip()
    while position < len(text):
        document, position = decoder.raw_decode(text, position)
        yield document
        position = len(text) - len(text[position:].lstrip())


def describe(problems: list[dict[str, Any]]) -> str:
    """One line per Redocly problem: severity, rule, message, where."""
    return "\n".join(
        f"{problem.get('severity')} {problem.get('ruleId')}: {problem.get('message')} at "
        f"{[location.get('pointer') for location in problem.get('location', [])]}"
        for problem in problems
    )


@pytest.mark.parametrize("where", BROKEN_COPIES)
def test_redocly_lint_reports_a_broken_copy(
    redocly_reports: tuple[dict[str, dict[str, Any]], int], where: str
) -> None:
    """Each broken copy gets exactly its rule, as an error, so the check is not vacuous; every
    example is checked against its schema."""
    reports, exit_code = redocly_reports
    report = reports[where]
    actual = ([problem["ruleId"] for problem in report["problems"]], report["totals"]["errors"])
    assert ([BROKEN_COPIES[where]], 1) == actual, describe(report["problems"])
    assert exit_code, "redocly must exit non-zero on an error"


def test_every_body_and_response_with_content_has_an_example(openapi: Node) -> None:
    """Each request body and each response with content shows at least one example."""
    missing = []
    for operation_id, _, _, found in operations(openapi):
        bodies = {"request": found.get("requestBody", {}), **found["responses"]}
        for where, body in bodies.items():
            for media_type, media in resolve(openapi, body)[0].get("content", {}).items():
                if not media.get("examples") and "example" not in media:
                    missing.append(f"{operation_id} {where} {media_type}")
    assert [] == missing


def test_operation_ids_are_exactly_the_three_in_scope(openapi: Node) -> None:
    """The spec has exactly the operations updateReference, getProduct and getSegment."""
    found = [operation_id for operation_id, *_ in operations(openapi)]
    expected = sorted(EXPECTED_OPERATION_IDS)
    assert expected == sorted(found)


@pytest.mark.parametrize("operation_id", OPERATION_IDS)
@pytest.mark.parametrize("status", ERROR_STATUSES)
def test_operation_documents_error_status_with_error_schema(
    openapi: Node, operation_id: str, status: str
) -> None:
    """Each operation documents this error status with an application/json Error body."""
    responses: Node = operation(openapi, operation_id)["responses"]
    assert status in responses, f"{operation_id} does not document {status}"
    response, _ = resolve(openapi, responses[status])
    expected = {"application/json": {"$ref": ERROR_SCHEMA_REF}}
    actual = {media_type: media.get("schema") for media_type, media in response["content"].items()}
    assert expected == actual


@pytest.mark.parametrize("operation_id", OPERATION_IDS)
def test_429_sends_a_required_integer_retry_after_header(openapi: Node, operation_id: str) -> None:
    """Each operation's 429 response documents a required integer Retry-After header."""
    response, _ = resolve(openapi, operation(openapi, operation_id)["responses"]["429"])
    headers: Node = response.get("headers", {})
    assert "Retry-After" in headers, f"{operation_id} 429 has no Retry-After header"
    header, _ = resolve(openapi, headers["Retry-After"])
    expected = (True, "integer")
    assert expected == (header.get("required"), header["schema"].get("type"))


@pytest.mark.parametrize("operation_id", OPERATION_IDS)
def test_operation_has_summary_description_and_external_docs(
    openapi: Node, operation_id: str
) -> None:
    """Each operation has a summary, a description and an externalDocs link to Octave's docs."""
    found = operation(openapi, operation_id)
    missing = [key for key in ("summary", "description", "externalDocs") if not found.get(key)]
    assert not missing, f"{operation_id} lacks {missing}"
    url: str = found["externalDocs"]["url"]
    assert url.startswith("https://docs.octavehq.com/"), url


def test_global_security_is_the_api_key_header(openapi: Node) -> None:
    """Every operation is secured by ApiKeyAuth: an apiKey sent in the `api_key` header."""
    expected_security: list[dict[str, list[str]]] = [{"ApiKeyAuth": []}]
    assert expected_security == openapi["security"]
    scheme = openapi["components"]["securitySchemes"]["ApiKeyAuth"]
    expected_scheme = {"type": "apiKey", "in": "header", "name": "api_key"}
    assert expected_scheme == {key: scheme.get(key) for key in ("type", "in", "name")}
    overriding = [
        operation_id for operation_id, _, _, op in operations(openapi) if "security" in op
    ]
    assert not overriding, f"{overriding} override the global security"


def test_first_server_is_octave_production(openapi: Node) -> None:
    """servers[0] is Octave's production host."""
    expected = "https://app.octavehq.com"
    assert expected == openapi["servers"][0]["url"]
