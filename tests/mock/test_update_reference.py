"""updateReference: a partial update that answers the whole reference under `data`."""

from __future__ import annotations

import copy
import json

import httpx
import pytest
from octave_client import AuthenticatedClient
from octave_client.api.product import get_product
from octave_client.api.reference import update_reference
from octave_client.api.segment import get_segment
from octave_client.models import (
    ReferenceData,
    UpdateReferenceRequest,
    UpdateReferenceResponse,
)

from octave_mock.testing import RunningMock
from tests.mock.support import (
    FULL_SEGMENT,
    GLOBEX_PRODUCT,
    NULL_DATA_REFERENCE,
    PRODUCT,
    REFERENCE,
    SERVICE,
    UPDATE_PATH,
    ClientFor,
    Json,
    now_to_the_millisecond,
    parse_timestamp,
    snapshot,
    stored_field,
    stored_reference,
    update_fields,
    update_value,
    without_metadata,
)


def update(client: AuthenticatedClient, fields: Json) -> Json:
    """Send an update through the generated client; the answer's `data`, checked to be a 200."""
    response = update_reference.sync_detailed(
        client=client, body=UpdateReferenceRequest.from_dict(fields)
    )
    assert isinstance(response.parsed, UpdateReferenceResponse), response.content
    expected = 200
    assert expected == response.status_code
    data: Json = json.loads(response.content)["data"]
    return data


def test_answer_is_the_whole_stored_reference(
    mock: RunningMock, client: AuthenticatedClient
) -> None:
    """The answer's `data` is the whole reference exactly as it is now stored."""
    answer = update(client, {"oId": REFERENCE, "name": "Big file sharer"})
    expected = stored_reference(mock.server)
    assert expected == answer


def test_answer_parses_into_the_generated_models(client: AuthenticatedClient) -> None:
    """The generated client reads the answer into Reference and ReferenceData."""
    response = update_reference.sync_detailed(
        client=client,
        body=UpdateReferenceRequest(o_id=REFERENCE, business_model="Seat-based SaaS"),
    )
    answer = response.parsed
    assert isinstance(answer, UpdateReferenceResponse), response.content
    assert isinstance(answer.data.data, ReferenceData)
    expected = (REFERENCE, "Seat-based SaaS", "Dropbox")
    actual = (answer.data.o_id, answer.data.data.business_model, answer.data.internal_name)
    assert expected == actual


def test_fields_present_replace_and_absent_fields_stay(
    mock: RunningMock, client: AuthenticatedClient
) -> None:
    """Only the fields sent change (and `updatedAt`); every other stored field stays."""
    before = stored_reference(mock.server)
    after = update(
        client, {"oId": REFERENCE, "description": "New story", "theirChallenge": "Churn"}
    )
    expected = copy.deepcopy(before)
    expected["description"] = "New story"
    expected["data"]["theirChallenge"] = "Churn"
    expected["updatedAt"] = after["updatedAt"]
    assert expected == after


@pytest.mark.parametrize("field", update_fields())
def test_each_field_lands_where_the_reference_has_it(
    mock: RunningMock, client: AuthenticatedClient, field: str
) -> None:
    """name/internalName/description sit beside `oId`; the rest sit in the nested `data`."""
    value = update_value(field, f"new {field}")
    after = update(client, {"oId": REFERENCE, field: value})
    top_level = field in {"name", "internalName", "description"}
    expected = (value, top_level, not top_level)
    actual = (stored_field(after, field), field in after, field in after["data"])
    assert expected == actual


def test_arrays_are_replaced_whole(mock: RunningMock, client: AuthenticatedClient) -> None:
    """An array sent replaces the stored one; it is not merged, and [] empties it."""
    update(client, {"oId": REFERENCE, "impactTheySaw": ["Fewer tickets"]})
    update(client, {"oId": REFERENCE, "stakeholdersInvolved": []})
    data = stored_reference(mock.server)["data"]
    expected: tuple[list[str], list[str]] = (["Fewer tickets"], [])
    assert expected == (data["impactTheySaw"], data["stakeholdersInvolved"])


def test_reference_with_null_data_gets_a_data_object(
    mock: RunningMock, client: AuthenticatedClient
) -> None:
    """A nested field sent to a reference whose `data` is null creates `data` with it alone."""
    assert stored_reference(mock.server, NULL_DATA_REFERENCE)["data"] is None
    after = update(client, {"oId": NULL_DATA_REFERENCE, "howTheyUseUs": "Daily"})
    expected = {"howTheyUseUs": "Daily"}
    assert expected == after["data"]


def test_top_level_update_leaves_null_data_null(
    mock: RunningMock, client: AuthenticatedClient
) -> None:
    """Changing only top-level fields of a reference with null `data` keeps it null."""
    after = update(client, {"oId": NULL_DATA_REFERENCE, "name": "Regional bank (EU)"})
    expected = ("Regional bank (EU)", None)
    assert expected == (after["name"], after["data"])


def test_updated_at_becomes_now(mock: RunningMock, client: AuthenticatedClient) -> None:
    """`updatedAt` changes to the time of the update: ISO 8601, UTC, milliseconds, Z."""
    before = stored_reference(mock.server)["updatedAt"]
    started = now_to_the_millisecond()
    after = update(client, {"oId": REFERENCE, "name": "Renamed"})["updatedAt"]
    finished = now_to_the_millisecond()
    assert after != before
    assert started <= parse_timestamp(after) <= finished


def test_oid_alone_changes_only_updated_at(mock: RunningMock, client: AuthenticatedClient) -> None:
    """An update naming no field leaves the content as it was."""
    before = stored_reference(mock.server)
    after = update(client, {"oId": REFERENCE})
    expected = {**before, "updatedAt": after["updatedAt"]}
    assert expected == after


def test_update_touches_nothing_else(
    mock: RunningMock, client: AuthenticatedClient, client_for: ClientFor, key_b: str
) -> None:
    """Products, segments and the other references read the same after updates."""

    def reads() -> list[Json]:
        return [
            without_metadata(json.loads(answer.content))
            for answer in (
                get_product.sync_detailed(client=client, o_id=PRODUCT),
                get_product.sync_detailed(client=client, o_id=SERVICE),
                get_segment.sync_detailed(client=client, o_id=FULL_SEGMENT),
                get_product.sync_detailed(client=client_for(key_b), o_id=GLOBEX_PRODUCT),
            )
        ]

    def others() -> Json:
        everything: Json = json.loads(snapshot(mock.server))
        del everything["reference"][REFERENCE]
        return everything

    reads_before, others_before = reads(), others()
    for field in update_fields():
        update(client, {"oId": REFERENCE, field: update_value(field, "changed")})
    expected = (reads_before, others_before)
    assert expected == (reads(), others())


def test_charset_parameter_is_accepted(mock: RunningMock, http: httpx.Client, key_a: str) -> None:
    """`application/json; charset=utf-8` is JSON like `application/json`."""
    response = http.post(
        UPDATE_PATH,
        content=json.dumps({"oId": REFERENCE, "name": "Charset"}).encode(),
        headers={"api_key": key_a, "Content-Type": "application/json; charset=utf-8"},
    )
    expected = (200, "Charset")
    assert expected == (response.status_code, stored_reference(mock.server)["name"])


def test_text_outside_the_basic_plane_round_trips(
    mock: RunningMock, http: httpx.Client, key_a: str
) -> None:
    """Non-ASCII text, escaped as a surrogate pair or sent raw, is stored and answered intact."""
    escaped = b'{"oId": "%s", "name": "Caf\\u00e9 \\ud83d\\ude80"}' % REFERENCE.encode()
    raw = json.dumps({"oId": REFERENCE, "internalName": "Caf\u00e9 \U0001f680"}, ensure_ascii=False)
    answers = [
        http.post(
            UPDATE_PATH,
            content=body,
            headers={"api_key": key_a, "Content-Type": "application/json"},
        )
        for body in (escaped, raw.encode())
    ]
    stored = stored_reference(mock.server)
    expected = ([200, 200], "Caf\u00e9 \U0001f680", "Caf\u00e9 \U0001f680")
    assert expected == ([a.status_code for a in answers], stored["name"], stored["internalName"])


def test_integers_beyond_64_bits_round_trip_exactly(
    mock: RunningMock, http: httpx.Client, key_a: str
) -> None:
    """A free-form member may hold any JSON integer; it is stored and answered digit for digit."""
    huge = 2**70 + 1
    field = {"title": "Seats", "value": ["many"], "exact": huge}
    answer = http.post(
        UPDATE_PATH,
        content=json.dumps({"oId": REFERENCE, "customFields": [field]}),
        headers={"api_key": key_a, "Content-Type": "application/json"},
    )
    stored = stored_reference(mock.server)["data"]["customFields"][0]["exact"]
    expected = (200, huge, huge)
    assert expected == (
        answer.status_code,
        answer.json()["data"]["data"]["customFields"][0]["exact"],
        stored,
    )


def test_body_at_the_size_limit_is_accepted(
    mock: RunningMock, http: httpx.Client, key_a: str
) -> None:
    """A body of exactly max_body_bytes is read and applied."""
    limit = mock.server.settings.max_body_bytes
    shell = json.dumps({"oId": REFERENCE, "description": ""}).encode()
    description = "x" * (limit - len(shell))
    body = json.dumps({"oId": REFERENCE, "description": description}).encode()
    response = http.post(
        UPDATE_PATH, content=body, headers={"api_key": key_a, "Content-Type": "application/json"}
    )
    expected = (limit, 200, description)
    actual = (len(body), response.status_code, stored_reference(mock.server)["description"])
    assert expected == actual
