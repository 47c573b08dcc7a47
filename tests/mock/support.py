"""Helpers for the mock's tests: seeded names, clients, store snapshots, the spec."""

from __future__ import annotations

import copy
import functools
import json
import re
import ssl
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

import httpx
from octave_client import AuthenticatedClient
from octave_client.models import Error
from octave_client.types import Response

from octave_kit.contract_file import SPEC_PATH
from octave_kit.resources import RESOURCES
from octave_kit.seed import DEFAULT_SEED, load_seed
from octave_kit.spec import Spec
from octave_mock.app import MockServer
from octave_mock.settings import Settings
from octave_mock.testing import RunningMock
from tests.openapi_document import REPO_ROOT as REPO_ROOT  # re-exported: tests import it here
from tests.openapi_document import load_openapi, shared_openapi

Json = dict[str, Any]
StartMock = Callable[[Settings], RunningMock]

# The bundled seed's objects the tests use; test_seed.py checks they are what
# their names say.
ACME = "wa_acme0001"
GLOBEX = "wa_globex001"
PRODUCT = "p_acme_api"
SERVICE = "p_acme_sprint"
SOLUTION = "p_acme_suite"
DELETED_PRODUCT = "p_acme_legacy"
FULL_SEGMENT = "sg_acme_mmsaas"
MINIMAL_SEGMENT = "sg_acme_entfin"
REFERENCE = "r_acme_dropbox"
NULL_DATA_REFERENCE = "r_acme_bank"
DELETED_REFERENCE = "r_acme_retired"
GLOBEX_PRODUCT = "p_globex_insights"
GLOBEX_SEGMENT = "sg_globex_mfg"
GLOBEX_REFERENCE = "r_globex_acmefab"

# A key of no workspace: the mock answers 401.
UNKNOWN_KEY = "mock_nobody_0000000000"
UPDATE_PATH = "/api/v2/reference/update"
PRODUCT_PATH = "/api/v2/product/get"
SEGMENT_PATH = "/api/v2/segment/get"
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")
TIMEOUT = httpx.Timeout(5.0)
# Building a TLS context costs ~30 ms per client (it loads the CA bundle); the
# mock speaks plain HTTP, so every client shares one instead.
TLS = ssl.create_default_context()


class ClientFor(Protocol):
    """Makes a generated client with a key (and extra headers, e.g. Prefer)."""

    def __call__(self, key: str, headers: dict[str, str] | None = None) -> AuthenticatedClient: ...


def new_client(
    base_url: str, key: str, headers: dict[str, str] | None = None
) -> AuthenticatedClient:
    """The generated client, configured for the mock's `api_key` header."""
    return AuthenticatedClient(
        base_url=base_url,
        headers=headers or {},
        token=key,
        prefix="",
        auth_header_name="api_key",
        timeout=TIMEOUT,
        verify_ssl=TLS,
    )


def raw_client(base_url: str) -> httpx.Client:
    """Plain httpx with no key, for requests the generated client cannot make."""
    return httpx.Client(base_url=base_url, timeout=TIMEOUT, verify=TLS)


def error_of(response: httpx.Response) -> Error:
    """An error answer's body, parsed by the generated client's Error model."""
    return Error.from_dict(response.json())


def outcome(response: Response[Any]) -> tuple[int, str | None]:
    """The status and, of an Error answer, its message, as the generated client read them."""
    message = response.parsed.message if isinstance(response.parsed, Error) else None
    return response.status_code, message


def snapshot(server: MockServer) -> str:
    """Every stored object of every workspace, serialised in stored order."""
    found: dict[str, dict[str, Json | None]] = {}
    for kind in (resource.kind for resource in RESOURCES):
        found[kind] = {}
        for oid in server.store.oids(kind):
            docs = [server.store.get(kind, ws, oid) for ws in server.seed.workspaces]
            found[kind][oid] = next((doc for doc in docs if doc is not None), None)
    return json.dumps(found)


def seed_doc(server: MockServer, kind: str, oid: str) -> Json:
    """An object as the seed file has it (with its workspace filled in)."""
    for entry in server.seed.entries:
        if entry.kind == kind and entry.doc["oId"] == oid:
            return copy.deepcopy(entry.doc)
    raise LookupError(f"the seed has no {kind} {oid}")


def stored_reference(server: MockServer, oid: str = REFERENCE, workspace: str = ACME) -> Json:
    """A reference as the store holds it."""
    doc = server.store.get("reference", workspace, oid)
    assert doc is not None, f"no reference {oid} in {workspace}"
    return doc


def without_metadata(body: Json) -> Json:
    """A flat answer without its `_metadata`: the object as stored."""
    return {name: value for name, value in body.items() if name != "_metadata"}


def parse_timestamp(text: str) -> datetime:
    """A `_metadata.timestamp` or `updatedAt` the mock wrote: ISO 8601, UTC, ms, `Z`."""
    assert TIMESTAMP.fullmatch(text), f"{text!r} is not ISO 8601 UTC with milliseconds and Z"
    return datetime.fromisoformat(text)


def now_to_the_millisecond() -> datetime:
    """UTC now, truncated as the mock truncates its timestamps."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def spec() -> Json:
    """openapi.yaml as plain data; a fresh copy per call."""
    return load_openapi()


def schema(name: str) -> Json:
    """components/schemas/<name> of openapi.yaml, shared: read it, never change it."""
    found: Json = shared_openapi()["components"]["schemas"][name]
    return found


def documented(operation_id: str) -> list[int]:
    """The statuses openapi.yaml documents for an operation, in order."""
    for path_item in shared_openapi()["paths"].values():
        for operation in path_item.values():
            if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                return sorted(int(status) for status in operation["responses"])
    raise LookupError(f"openapi.yaml has no operation {operation_id}")


def update_fields() -> list[str]:
    """The fields UpdateReferenceRequest may change: all its properties but `oId`."""
    return [name for name in schema("UpdateReferenceRequest")["properties"] if name != "oId"]


def sample(property_schema: Json, text: str) -> Any:
    """A value the schema accepts, built from `text` (strings, arrays, required members)."""
    if "$ref" in property_schema:
        property_schema = schema(property_schema["$ref"].rsplit("/", 1)[1])
    kind = property_schema["type"]
    if kind == "string":
        return text
    if kind == "array":
        return [sample(property_schema["items"], text)]
    if kind == "object":
        properties: Json = property_schema["properties"]
        return {name: sample(properties[name], text) for name in property_schema["required"]}
    raise AssertionError(f"no sample for type {kind}")


def update_value(field: str, text: str) -> Any:
    """A value for an update field, as UpdateReferenceRequest describes it."""
    return sample(schema("UpdateReferenceRequest")["properties"][field], text)


def stored_field(reference: Json, field: str) -> Any:
    """Where an update field lands: beside `oId` if Reference has it, else in `data`."""
    if field in schema("Reference")["properties"]:
        return reference.get(field)
    data: Json = reference.get("data") or {}
    return data.get(field)


@functools.cache
def bundled_key(workspace: str = ACME) -> str:
    """The bundled seed's read-write key of a workspace, for a mock served as a process."""
    for key in load_seed(DEFAULT_SEED, Spec.load(SPEC_PATH)).keys:
        if key.workspace_oid == workspace and not key.read_only:
            return key.key
    raise LookupError(f"the bundled seed has no read-write key for {workspace}")
