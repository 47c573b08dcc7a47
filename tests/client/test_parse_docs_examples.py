"""The generated client's models parse Octave's documented examples and realistic variants."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import pytest
from octave_client.models import (
    Error,
    Firmographics,
    OfferingData,
    Product,
    ProductData,
    QualifyingQuestion,
    ReferenceData,
    Segment,
    SegmentData,
    ServiceData,
    UpdateReferenceRequest,
    UpdateReferenceResponse,
    User,
)
from octave_client.types import UNSET

from tests.openapi_document import load_openapi, nullable_properties, optional_properties

ReadExample = Callable[[str], dict[str, Any]]
PathPart = str | int


class Model(Protocol):
    """What every generated model offers."""

    def to_dict(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Case:
    """A schema, and where an instance of it sits inside an example of openapi.yaml."""

    schema: str
    example: str
    parse: Callable[[Mapping[str, Any]], Model]
    path: tuple[PathPart, ...] = ()


CASES = [
    Case("Product", "ProductDocs", Product.from_dict),
    Case("Metadata", "ProductDocs", Product.from_dict, ("_metadata",)),
    Case("ProductData", "ProductDocs", Product.from_dict, ("data",)),
    Case("User", "ProductDocs", Product.from_dict, ("user",)),
    Case(
        "QualifyingQuestion",
        "ProductDocs",
        Product.from_dict,
        ("qualifyingQuestions", 0),
    ),
    Case("ServiceData", "ProductService", Product.from_dict, ("data",)),
    Case("OfferingData", "ProductSolution", Product.from_dict, ("data",)),
    Case("Segment", "SegmentDocs", Segment.from_dict),
    Case("SegmentData", "SegmentDocs", Segment.from_dict, ("data",)),
    Case(
        "Firmographics",
        "SegmentDocs",
        Segment.from_dict,
        ("data", "firmographics"),
    ),
    Case(
        "Reference",
        "UpdateReferenceResponseDocs",
        UpdateReferenceResponse.from_dict,
        ("data",),
    ),
    Case(
        "ReferenceData",
        "UpdateReferenceResponseDocs",
        UpdateReferenceResponse.from_dict,
        ("data", "data"),
    ),
    Case(
        "UpdateReferenceRequest",
        "UpdateReferenceRequestDocs",
        UpdateReferenceRequest.from_dict,
    ),
    Case("Error", "NotFound", Error.from_dict),
]
DOCUMENT = load_openapi()
NULLABLE = {case.schema: nullable_properties(DOCUMENT, case.schema) for case in CASES}
OPTIONAL = {case.schema: optional_properties(DOCUMENT, case.schema) for case in CASES}
NULL_CASES = [case for case in CASES if NULLABLE[case.schema]]
OPTIONAL_CASES = [case for case in CASES if OPTIONAL[case.schema]]


def attribute_name(json_name: str) -> str:
    """The generated attribute for a JSON property: ``oId`` -> ``o_id``, ``_metadata`` ->
    ``field_metadata``, ``type`` -> ``type_``."""
    if json_name.startswith("_"):
        return "field_" + json_name[1:]
    if json_name == "type":
        return "type_"
    return re.sub(r"(?<!^)(?=[A-Z])", "_", json_name).lower()


def json_at(body: dict[str, Any], path: tuple[PathPart, ...]) -> dict[str, Any]:
    """The JSON object at ``path`` inside ``body``."""
    node: Any = body
    for part in path:
        node = node[part]
    assert isinstance(node, dict)
    return node


def model_at(model: object, path: tuple[PathPart, ...]) -> Any:
    """The parsed object at ``path`` inside a parsed model."""
    node: Any = model
    for part in path:
        node = node[part] if isinstance(part, int) else getattr(node, attribute_name(part))
    return node


def test_docs_product_parses(docs_product: dict[str, Any]) -> None:
    """Octave's Get Product example parses into Product with a ProductData `data`."""
    product = Product.from_dict(docs_product)
    assert isinstance(product.data, ProductData)
    assert isinstance(product.qualifying_questions, list)
    question = product.qualifying_questions[0]
    expected = {
        "oId": "p_1234",
        "createdAt": "2021-01-01",
        "data.type": "PRODUCT",
        "data.capabilities": ["Capability 1", "Capability 2"],
        "qualifyingQuestions[0]": ("GOOD", "MEDIUM", "<string>"),
        "user": ("u_1234", "John", "Doe"),
        "workspace.oId": "wa_1234",
        "_metadata.timestamp": "2021-01-01T00:00:00.000Z",
        "additional": {},
    }
    actual = {
        "oId": product.o_id,
        "createdAt": product.created_at,
        "data.type": product.data.type_,
        "data.capabilities": product.data.capabilities,
        "qualifyingQuestions[0]": (question.fit_type, question.weight, question.archived_at),
        "user": (product.user.o_id, product.user.first_name, product.user.last_name),
        "workspace.oId": product.workspace.o_id,
        "_metadata.timestamp": product.field_metadata.timestamp,
        "additional": product.additional_properties,
    }
    assert expected == actual


def test_docs_segment_parses(docs_segment: dict[str, Any]) -> None:
    """Octave's Get Segment example parses into Segment with SegmentData and Firmographics."""
    segment = Segment.from_dict(docs_segment)
    assert isinstance(segment.data, SegmentData)
    assert isinstance(segment.data.firmographics, Firmographics)
    assert isinstance(segment.qualifying_questions, list)
    assert isinstance(segment.qualifying_questions[0], QualifyingQuestion)
    assert isinstance(segment.user, User)
    expected = {
        "oId": "sg_1234",
        "createdAt": "<string>",
        "unrecognized": True,
        "rejected": True,
        "data.firmographics.industry": [],
        "user.firstName": "John",
        "additional": {},
    }
    actual = {
        "oId": segment.o_id,
        "createdAt": segment.created_at,
        "unrecognized": segment.unrecognized,
        "rejected": segment.rejected,
        "data.firmographics.industry": segment.data.firmographics.industry,
        "user.firstName": segment.user.first_name,
        "additional": segment.additional_properties,
    }
    assert expected == actual


def test_docs_update_reference_response_parses(
    docs_update_response: dict[str, Any], docs_update_request: dict[str, Any]
) -> None:
    """The answer to the docs' update parses, the reference's content under data.data."""
    reference = UpdateReferenceResponse.from_dict(docs_update_response).data
    assert isinstance(reference.data, ReferenceData)
    expected = {
        "oId": "ref_1234",
        "createdAt": "2021-01-01",
        "workspace.oId": "wa_1234",
        "data.businessModel": "SaaS platform with subscription revenue model",
        "data.impactTheySaw": docs_update_request["impactTheySaw"],
        "flags": (True, False),
        "deletedAt": None,
        "additional": {},
    }
    actual = {
        "oId": reference.o_id,
        "createdAt": reference.created_at,
        "workspace.oId": reference.workspace.o_id,
        "data.businessModel": reference.data.business_model,
        "data.impactTheySaw": reference.data.impact_they_saw,
        "flags": (reference.active, reference.unrecognized),
        "deletedAt": reference.deleted_at,
        "additional": reference.additional_properties,
    }
    assert expected == actual


def test_docs_update_reference_request_round_trips(docs_update_request: dict[str, Any]) -> None:
    """Octave's Update Reference request body parses and serialises back unchanged."""
    request = UpdateReferenceRequest.from_dict(docs_update_request)
    expected = ("ref_1234", 3)
    assert expected == (request.o_id, len(request.impact_they_saw or []))
    assert docs_update_request == request.to_dict()


@pytest.mark.parametrize(
    ("example", "parse"),
    [
        ("ProductDocs", Product.from_dict),
        ("SegmentDocs", Segment.from_dict),
        ("UpdateReferenceResponseDocs", UpdateReferenceResponse.from_dict),
    ],
    ids=["Product", "Segment", "UpdateReferenceResponse"],
)
def test_docs_response_round_trips(
    read_example: ReadExample, example: str, parse: Callable[[Mapping[str, Any]], Model]
) -> None:
    """to_dict() of a parsed docs response gives back the docs JSON exactly."""
    body = read_example(example)
    assert body == parse(body).to_dict()


def test_metadata_timestamp_in_another_form_still_parses(docs_product: dict[str, Any]) -> None:
    """A timestamp that is not ISO 8601 is kept as sent, not a reason to fail the call."""
    docs_product["_metadata"]["timestamp"] = "Mon, 02 Nov 2026 09:30:12 GMT"
    product = Product.from_dict(docs_product)
    assert "Mon, 02 Nov 2026 09:30:12 GMT" == product.field_metadata.timestamp


def test_unknown_product_fields_are_kept(docs_product: dict[str, Any]) -> None:
    """Unknown fields at the top and nested are kept in additional_properties and written back."""
    body = copy.deepcopy(docs_product)
    body["primaryOfferingOId"] = "o_123456"
    body["_metadata"]["credits"] = {"remaining": 10}
    body["data"]["keyFeatures"] = ["Webhooks"]
    body["data"]["customFields"][0]["source"] = "import"
    body["qualifyingQuestions"][0]["priority"] = 1
    body["user"]["email"] = "john@example.com"
    body["workspace"]["name"] = "Acme"
    product = Product.from_dict(body)
    assert isinstance(product.data, ProductData)
    assert isinstance(product.data.custom_fields, list)
    assert isinstance(product.qualifying_questions, list)
    expected = {
        "(top)": {"primaryOfferingOId": "o_123456"},
        "_metadata": {"credits": {"remaining": 10}},
        "data": {"keyFeatures": ["Webhooks"]},
        "data.customFields[0]": {"source": "import"},
        "qualifyingQuestions[0]": {"priority": 1},
        "user": {"email": "john@example.com"},
        "workspace": {"name": "Acme"},
    }
    actual = {
        "(top)": product.additional_properties,
        "_metadata": product.field_metadata.additional_properties,
        "data": product.data.additional_properties,
        "data.customFields[0]": product.data.custom_fields[0].additional_properties,
        "qualifyingQuestions[0]": product.qualifying_questions[0].additional_properties,
        "user": product.user.additional_properties,
        "workspace": product.workspace.additional_properties,
    }
    assert expected == actual
    assert body == product.to_dict()


def test_older_generation_segment_fields_are_kept(docs_segment: dict[str, Any]) -> None:
    """The older docs generation's segment fields (free-form firmographics) are kept."""
    body = copy.deepcopy(docs_segment)
    body["data"]["fitExplanation"] = "They onboard thousands of customers."
    body["data"]["keyPriorities"] = ["Growth"]
    body["data"]["firmographics"]["Company Size"] = ["50-200"]
    body["primaryOfferingOId"] = "o_123456"
    segment = Segment.from_dict(body)
    assert isinstance(segment.data, SegmentData)
    assert isinstance(segment.data.firmographics, Firmographics)
    expected = {
        "(top)": {"primaryOfferingOId": "o_123456"},
        "data": {
            "fitExplanation": "They onboard thousands of customers.",
            "keyPriorities": ["Growth"],
        },
        "data.firmographics": {"Company Size": ["50-200"]},
    }
    actual = {
        "(top)": segment.additional_properties,
        "data": segment.data.additional_properties,
        "data.firmographics": segment.data.firmographics.additional_properties,
    }
    assert expected == actual
    assert body == segment.to_dict()


def test_older_generation_reference_fields_are_kept(docs_update_response: dict[str, Any]) -> None:
    """The older docs generation's reference fields (`howTheyMakeMoney`, `keyStats`) are kept."""
    body = copy.deepcopy(docs_update_response)
    body["data"]["data"]["howTheyMakeMoney"] = "Subscriptions"
    body["data"]["data"]["keyStats"] = ["60% faster onboarding"]
    body["data"]["primaryOfferingOId"] = "o_123456"
    answer = UpdateReferenceResponse.from_dict(body)
    assert isinstance(answer.data.data, ReferenceData)
    expected = {
        "data": {"primaryOfferingOId": "o_123456"},
        "data.data": {"howTheyMakeMoney": "Subscriptions", "keyStats": ["60% faster onboarding"]},
    }
    actual = {
        "data": answer.data.additional_properties,
        "data.data": answer.data.data.additional_properties,
    }
    assert expected == actual
    assert body == answer.to_dict()


def test_unlisted_fit_type_and_weight_are_accepted(docs_product: dict[str, Any]) -> None:
    """fitType and weight values the docs never listed (BAD, HIGH) parse and are kept."""
    body = copy.deepcopy(docs_product)
    body["qualifyingQuestions"][0].update({"fitType": "BAD", "weight": "HIGH"})
    product = Product.from_dict(body)
    assert isinstance(product.qualifying_questions, list)
    question = product.qualifying_questions[0]
    expected = ("BAD", "HIGH")
    assert expected == (question.fit_type, question.weight)
    assert body == product.to_dict()


def test_service_offering_parses_to_service_data(read_example: ReadExample) -> None:
    """A Get Product answer whose data.type is SERVICE parses into ServiceData."""
    body = read_example("ProductService")
    product = Product.from_dict(body)
    assert isinstance(product.data, ServiceData)
    expected = ("SERVICE", ["Migrated onboarding flow", "Runbook"])
    assert expected == (product.data.type_, product.data.deliverables)
    assert not product.data.additional_properties, "every service key is a known field"
    assert body == product.to_dict()


def test_solution_offering_parses_to_offering_data(read_example: ReadExample) -> None:
    """A SOLUTION offering parses into OfferingData: its declared parts typed, other keys kept."""
    body = read_example("ProductSolution")
    body["data"]["bundlePrice"] = "on request"  # a key Octave may add: kept as read
    product = Product.from_dict(body)
    assert isinstance(product.data, OfferingData)
    expected = (
        "SOLUTION",
        "Onboarding Suite",
        ["Onboarding API", "Onboarding Sprint"],
        {"bundlePrice": "on request"},
    )
    actual = (
        product.data.type_,
        product.data.internal_name,
        product.data.key_components,
        product.data.additional_properties,
    )
    assert expected == actual
    assert body == product.to_dict()


def test_product_shaped_data_typed_service_is_service_data(docs_product: dict[str, Any]) -> None:
    """data.type decides the variant: product-shaped data typed SERVICE is not ProductData."""
    body = copy.deepcopy(docs_product)
    body["data"]["type"] = "SERVICE"
    product = Product.from_dict(body)
    assert isinstance(product.data, ServiceData)
    expected = ["capabilities", "differentiatedValue", "statusQuo"]
    assert expected == sorted(product.data.additional_properties)
    assert body == product.to_dict()


def test_request_model_drops_unknown_fields_silently() -> None:
    """UpdateReferenceRequest forbids extra fields, so from_dict drops them without an error."""
    request = UpdateReferenceRequest.from_dict({"oId": "r_1234", "howTheyMakeMoney": "x"})
    expected = {"oId": "r_1234"}
    assert expected == request.to_dict()


def test_every_schema_with_nullable_or_optional_fields_has_a_case() -> None:
    """The null and missing-field tests cover every schema that has such fields."""
    schemas = DOCUMENT["components"]["schemas"]
    with_nullable = {name for name in schemas if nullable_properties(DOCUMENT, name)}
    with_optional = {name for name in schemas if optional_properties(DOCUMENT, name)}
    expected = {"Product", "Segment", "Reference", "User", "QualifyingQuestion"}
    assert expected == expected & with_nullable, f"nullable fields not found in {expected}"
    uncovered = sorted(with_nullable - {case.schema for case in NULL_CASES})
    uncovered += sorted(with_optional - {case.schema for case in OPTIONAL_CASES})
    assert not uncovered, f"add a Case to CASES for {uncovered}"


@pytest.mark.parametrize("case", NULL_CASES, ids=[case.schema for case in NULL_CASES])
def test_null_in_every_nullable_field_parses(read_example: ReadExample, case: Case) -> None:
    """`null` in every nullable field of the schema (read from openapi.yaml) parses to None."""
    fields = NULLABLE[case.schema]
    assert fields, f"{case.schema} has no nullable field"
    body = read_example(case.example)
    target = json_at(body, case.path)
    target.update(dict.fromkeys(fields))
    model = case.parse(body)
    parsed = model_at(model, case.path)
    expected: dict[str, None] = dict.fromkeys(fields)
    assert expected == {field: getattr(parsed, attribute_name(field)) for field in fields}
    assert body == model.to_dict()


@pytest.mark.parametrize("case", OPTIONAL_CASES, ids=[case.schema for case in OPTIONAL_CASES])
def test_every_optional_field_missing_parses(read_example: ReadExample, case: Case) -> None:
    """Leaving out every optional field of the schema (per openapi.yaml) parses to UNSET."""
    fields = OPTIONAL[case.schema]
    assert fields, f"{case.schema} has no optional field"
    body = read_example(case.example)
    target = json_at(body, case.path)
    for field in fields:
        target.pop(field, None)
    model = case.parse(body)
    parsed = model_at(model, case.path)
    expected = dict.fromkeys(fields, UNSET)
    assert expected == {field: getattr(parsed, attribute_name(field)) for field in fields}
    assert body == model.to_dict()
