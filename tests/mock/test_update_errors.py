"""Bad input to updateReference: the documented error, a message naming the field, no change."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

import httpx
import pytest
from octave_client import AuthenticatedClient
from octave_client.api.reference import update_reference
from octave_client.models import UpdateReferenceRequest

from octave_mock.settings import Settings
from octave_mock.testing import RunningMock
from tests.mock.support import (
    DELETED_REFERENCE,
    GLOBEX,
    GLOBEX_REFERENCE,
    REFERENCE,
    UNKNOWN_KEY,
    UPDATE_PATH,
    ClientFor,
    documented,
    error_of,
    outcome,
    snapshot,
)

LIMIT = Settings().max_body_bytes
CHANGE = {"oId": REFERENCE, "name": "Must not be stored", "impactTheySaw": ["Nor this"]}
DOCUMENTED = ", ".join(map(str, documented("updateReference")))


def body(fields: object) -> bytes:
    return json.dumps(fields).encode()


@dataclass(frozen=True)
class Bad:
    """One request to updateReference that must be refused and must change nothing."""

    id: str
    status: int
    message: str
    content: bytes = body(CHANGE)
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = "application/json"
    # "read-write" or "read-only": that seeded key of workspace A; None: no api_key
    # header; anything else is sent as the key.
    key: str | None = "read-write"
    method: str = "POST"
    prefix: bool = False  # `message` is the start of the message, the rest varies


BAD_UPDATES = [
    # 400: the body's fields
    Bad("missing-oid", 400, "oId: is required", body({"name": "x"})),
    Bad("oid-number", 400, "oId: expected string, got number", body({"oId": 7})),
    Bad("oid-null", 400, "oId: expected string, got null", body({"oId": None})),
    Bad("name-number", 400, "name: expected string, got number", body({**CHANGE, "name": 5})),
    Bad("name-null", 400, "name: expected string, got null", body({**CHANGE, "name": None})),
    Bad(
        "data-field-array",
        400,
        "businessModel: expected string, got array",
        body({"oId": REFERENCE, "businessModel": ["SaaS"]}),
    ),
    Bad(
        "list-as-string",
        400,
        "impactTheySaw: expected array, got string",
        body({"oId": REFERENCE, "impactTheySaw": "Faster"}),
    ),
    Bad(
        "list-item-number",
        400,
        "stakeholdersInvolved[1]: expected string, got number",
        body({"oId": REFERENCE, "stakeholdersInvolved": ["CTO", 2]}),
    ),
    Bad(
        "custom-field-without-value",
        400,
        "customFields[0].value: is required",
        body({"oId": REFERENCE, "customFields": [{"title": "Term"}]}),
    ),
    Bad(
        "custom-field-value-string",
        400,
        "customFields[0].value: expected array, got string",
        body({"oId": REFERENCE, "customFields": [{"title": "Term", "value": "12 months"}]}),
    ),
    Bad("unknown-field", 400, "bogus: is not a known field", body({**CHANGE, "bogus": 1})),
    Bad(
        "older-docs-field",
        400,
        "howTheyMakeMoney: is not a known field",
        body({"oId": REFERENCE, "howTheyMakeMoney": "Ads"}),
    ),
    Bad(
        "nested-data",
        400,
        "data: is not a known field",
        body({"oId": REFERENCE, "data": {"businessModel": "SaaS"}}),
    ),
    Bad(
        "server-owned-field",
        400,
        "updatedAt: is not a known field",
        body({"oId": REFERENCE, "updatedAt": "2030-01-01"}),
    ),
    Bad(
        "move-to-other-workspace",
        400,
        "workspace: is not a known field",
        body({"oId": REFERENCE, "workspace": {"oId": GLOBEX}}),
    ),
    Bad(
        "several-at-once",
        400,
        "bogus: is not a known field; name: expected string, got number",
        body({"oId": REFERENCE, "name": 1, "bogus": 1}),
    ),
    # 400: the body as a whole
    Bad("malformed-json", 400, "body: not valid JSON", b'{"oId": "r_acme', prefix=True),
    Bad("trailing-comma", 400, "body: not valid JSON", b'{"oId": "x",}', prefix=True),
    Bad(
        "nan",
        400,
        "body: not valid JSON (NaN is not JSON)",
        b'{"oId": "%s", "name": NaN}' % REFERENCE.encode(),
    ),
    Bad(
        "infinity",
        400,
        "body: not valid JSON (-Infinity is not JSON)",
        b'{"oId": "%s", "name": -Infinity}' % REFERENCE.encode(),
    ),
    Bad(
        "number-beyond-double",
        400,
        "body: not valid JSON (1e400 is too large a number)",
        b'{"oId": "%s", "customFields": [{"title": "t", "value": [], "n": 1e400}]}'
        % REFERENCE.encode(),
    ),
    Bad("array", 400, "body: expected a JSON object", body([CHANGE])),
    Bad("string", 400, "body: expected a JSON object", body(REFERENCE)),
    Bad("null", 400, "body: expected a JSON object", b"null"),
    Bad("empty", 400, "body: is required", b""),
    Bad("blank", 400, "body: is required", b" \r\n\t"),
    Bad("not-utf8", 400, "body: not valid JSON", b'{"oId": "\xff"}', prefix=True),
    Bad("too-deep", 400, "body: not valid JSON", b"[" * 100_000, prefix=True),
    Bad(
        "escaped-lone-surrogate",
        400,
        "name: is not valid Unicode (an unpaired surrogate)",
        b'{"oId": "%s", "name": "Caf\\ud800"}' % REFERENCE.encode(),
    ),
    Bad(
        "raw-lone-surrogate",
        400,
        "customFields[0].value[0]: is not valid Unicode (an unpaired surrogate)",
        b'{"oId": "%s", "customFields": [{"title": "t", "value": ["\xed\xa0\x80"]}]}'
        % REFERENCE.encode(),
    ),
    Bad(
        "lone-surrogate-oid",
        400,
        "oId: is not valid Unicode (an unpaired surrogate)",
        b'{"oId": "\\udfff"}',
    ),
    Bad(
        "lone-surrogate-field-name",
        400,
        "body: is not valid Unicode (an unpaired surrogate)",
        b'{"oId": "%s", "\\ud800": 1}' % REFERENCE.encode(),
    ),
    # 413, 415: the body's size and media type
    Bad(
        "too-large",
        413,
        f"body: larger than the limit of {LIMIT} bytes",
        body({**CHANGE, "description": "x" * LIMIT}),
    ),
    Bad(
        "text-plain",
        415,
        "Content-Type: send application/json, not text/plain",
        content_type="text/plain",
    ),
    Bad(
        "form",
        415,
        "Content-Type: send application/json, not application/x-www-form-urlencoded",
        content_type="application/x-www-form-urlencoded",
    ),
    Bad(
        "no-content-type",
        415,
        "Content-Type: send application/json, not no Content-Type",
        content_type=None,
    ),
    # 401, 403: the key
    Bad("no-key", 401, "api_key: header is required", key=None),
    Bad("empty-key", 401, "api_key: header is required", key=""),
    Bad("unknown-key", 401, "api_key: Invalid API key", key=UNKNOWN_KEY),
    Bad("read-only-key", 403, "api_key: this key is read-only and cannot update", key="read-only"),
    # 404: the reference
    Bad(
        "unknown-reference",
        404,
        "oId: no reference r_nobody in this workspace",
        body({**CHANGE, "oId": "r_nobody"}),
    ),
    Bad(
        "deleted-reference",
        404,
        f"oId: no reference {DELETED_REFERENCE} in this workspace",
        body({**CHANGE, "oId": DELETED_REFERENCE}),
    ),
    Bad(
        "other-workspace-reference",
        404,
        f"oId: no reference {GLOBEX_REFERENCE} in this workspace",
        body({**CHANGE, "oId": GLOBEX_REFERENCE}),
    ),
    # 405: the method
    Bad("get", 405, f"method: {UPDATE_PATH} accepts POST, not GET", method="GET"),
    Bad("put", 405, f"method: {UPDATE_PATH} accepts POST, not PUT", method="PUT"),
    # Prefer: a valid update still answers the error asked for, and is not applied
    Bad(
        "prefer-404",
        404,
        "Not Found (asked for by Prefer: code=404)",
        headers={"Prefer": "code=404"},
    ),
    Bad(
        "prefer-429",
        429,
        "Too Many Requests (asked for by Prefer: code=429)",
        headers={"Prefer": "code=429"},
    ),
    Bad(
        "prefer-500",
        500,
        "Internal Server Error (asked for by Prefer: code=500)",
        headers={"Prefer": "code=500"},
    ),
    Bad(
        "prefer-undocumented",
        400,
        f"Prefer: code=418 is not documented for updateReference (documented: {DOCUMENTED})",
        headers={"Prefer": "code=418"},
    ),
]


class SendBad(Protocol):
    """Sends one Bad case to updateReference."""

    def __call__(self, case: Bad) -> httpx.Response: ...


@pytest.fixture
def send(http: httpx.Client, key_a: str, key_a_read_only: str) -> SendBad:
    """Send a Bad case as raw bytes, with the key and headers it names."""
    keys = {"read-write": key_a, "read-only": key_a_read_only}

    def sender(case: Bad) -> httpx.Response:
        headers = dict(case.headers)
        if case.key is not None:
            headers["api_key"] = keys.get(case.key, case.key)
        if case.content_type is not None:
            headers["Content-Type"] = case.content_type
        return http.request(case.method, UPDATE_PATH, content=case.content, headers=headers)

    return sender


def result(case: Bad, response: httpx.Response) -> tuple[int, str]:
    """The status and message, the message cut to the expected prefix where it varies."""
    message = error_of(response).message
    return response.status_code, message[: len(case.message)] if case.prefix else message


@pytest.mark.parametrize("case", BAD_UPDATES, ids=[case.id for case in BAD_UPDATES])
def test_bad_update_is_refused_and_changes_nothing(
    mock: RunningMock, send: SendBad, case: Bad
) -> None:
    """The case answers its status with an Error naming the field, and the store is as before."""
    before = snapshot(mock.server)
    response = send(case)
    expected = (case.status, case.message)
    assert expected == result(case, response), response.text
    assert before == snapshot(mock.server)


def test_error_statuses_carry_their_headers(send: SendBad) -> None:
    """405 names the allowed method; the 429 asked for by Prefer says when to retry."""
    by_id = {case.id: case for case in BAD_UPDATES}
    allow = send(by_id["get"]).headers.get("Allow")
    retry_after = send(by_id["prefer-429"]).headers.get("Retry-After")
    expected = ("POST", "1")
    assert expected == (allow, retry_after)


def test_chunked_body_over_the_limit_is_413(
    mock: RunningMock, http: httpx.Client, key_a: str
) -> None:
    """A body sent without Content-Length is cut off at the limit and answered 413."""

    def chunks() -> Iterator[bytes]:
        yield b'{"oId": "%s", "description": "' % REFERENCE.encode()
        for _ in range(LIMIT // 65536 + 1):
            yield b"x" * 65536
        yield b'"}'

    before = snapshot(mock.server)
    response = http.post(
        UPDATE_PATH,
        content=chunks(),
        headers={"api_key": key_a, "Content-Type": "application/json"},
    )
    expected = (413, f"body: larger than the limit of {LIMIT} bytes", None)
    assert expected == (
        response.status_code,
        error_of(response).message,
        response.request.headers.get("Content-Length"),
    )
    assert before == snapshot(mock.server)


def test_generated_client_reads_the_errors(
    mock: RunningMock, client: AuthenticatedClient, client_for: ClientFor, key_a_read_only: str
) -> None:
    """400, 403 and 404 reach the generated client as Error objects with the message."""
    answers = [
        update_reference.sync_detailed(client=client, body=UpdateReferenceRequest(o_id=7)),  # type: ignore[arg-type]
        update_reference.sync_detailed(
            client=client_for(key_a_read_only), body=UpdateReferenceRequest(o_id=REFERENCE)
        ),
        update_reference.sync_detailed(
            client=client, body=UpdateReferenceRequest(o_id=GLOBEX_REFERENCE, name="x")
        ),
    ]
    found = [outcome(answer) for answer in answers]
    expected = [
        (400, "oId: expected string, got number"),
        (403, "api_key: this key is read-only and cannot update"),
        (404, f"oId: no reference {GLOBEX_REFERENCE} in this workspace"),
    ]
    assert expected == found
