"""The fixture as a test double: objects of a test's own, scripted answers, the request journal."""

from __future__ import annotations

import logging
import re
import time

import httpx
import pytest
from octave_client import (
    APIConnectionError,
    APITimeoutError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
)

from octave_mock import DoubleError
from octave_mock.settings import Settings
from octave_mock.testing import RunningMock
from tests.mock.support import (
    ACME,
    GLOBEX,
    PRODUCT,
    PRODUCT_PATH,
    REFERENCE,
    TLS,
    UPDATE_PATH,
    Json,
    StartMock,
    snapshot,
)

A_SEGMENT: Json = {
    "name": "Seed-stage fintech",
    "internalName": "fintech-seed",
    "description": "Fintechs before their series A.",
    "unrecognized": False,
    "rejected": False,
}


def journal_state(mock: RunningMock) -> tuple[str, list[str]]:
    """What a bad call must leave alone: the objects, and the journal's request ids."""
    return snapshot(mock.server), [entry.request_id for entry in mock.requests()]


def test_an_added_product_is_served_with_the_members_the_server_owns(mock: RunningMock) -> None:
    added = mock.add_product({"name": "Test API", "data": {"type": "PRODUCT"}})
    with mock.client() as octave:
        served = octave.products.get(added["oId"])
    assert (served.name, served.workspace.o_id, served.user.o_id) == (
        "Test API",
        ACME,
        added["user"]["oId"],
    )
    assert {"oId", "createdAt", "user", "workspace", "name", "data"} == set(added)
    assert added["createdAt"] == served.created_at


def test_an_added_segment_and_reference_are_served_in_the_named_workspace(
    mock: RunningMock,
) -> None:
    segment = mock.add_segment({**A_SEGMENT, "oId": "sg_mine"}, workspace=GLOBEX)
    reference = mock.add_reference({"oId": "r_mine", "data": None}, workspace=GLOBEX)
    with mock.client(mock.key(GLOBEX)) as octave:
        assert "Seed-stage fintech" == octave.segments.get(segment["oId"]).name
        updated = octave.references.update(reference["oId"], name="Renamed")
    assert ("r_mine", "Renamed") == (updated.data.o_id, updated.data.name)
    with mock.client(mock.key(ACME), max_retries=0) as octave, pytest.raises(NotFoundError):
        octave.segments.get("sg_mine")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"oId": "p_bad", "name": 42},
            "data: is required; name: expected string or null, got number",
        ),
        (
            {"name": "x", "data": {"type": "PRODUCT"}, "colour": "red"},
            "colour: is not a known field",
        ),
        ({"_metadata": {}, "data": {"type": "PRODUCT"}}, "_metadata: is filled in by the mock"),
        ({"oId": PRODUCT, "data": {"type": "PRODUCT"}}, f"oId: a product {PRODUCT} is already"),
        ({"data": {"type": "PRODUCT"}, "workspace": {"oId": GLOBEX}}, "workspace.oId: 'wa_glob"),
    ],
)
def test_a_bad_object_is_an_error_naming_the_field_and_changes_nothing(
    mock: RunningMock, fields: Json, message: str
) -> None:
    before = journal_state(mock)
    with pytest.raises(DoubleError, match="^" + re.escape(message)):
        mock.add_product(fields, workspace=ACME)
    assert before == journal_state(mock)


def test_an_unknown_workspace_is_an_error(mock: RunningMock) -> None:
    with pytest.raises(DoubleError, match=r"^workspace: 'wa_nowhere' is not a workspace"):
        mock.add_reference({"data": None}, workspace="wa_nowhere")


def test_added_objects_are_gone_at_the_next_reset(mock: RunningMock) -> None:
    seeded = snapshot(mock.server)
    mock.add_segment(A_SEGMENT)
    mock.reset()
    assert seeded == snapshot(mock.server)


def test_fail_next_answers_the_next_calls_then_normally(
    mock: RunningMock, caplog: pytest.LogCaptureFixture
) -> None:
    """Two scripted 500s, then the real answer: a client with two retries gets the product."""
    mock.fail_next("getProduct", times=2, status=500)
    with caplog.at_level(logging.INFO, "octave_client"), mock.client(max_retries=2) as octave:
        product = octave.products.get(PRODUCT)
    assert "Acme Onboarding API" == product.name
    assert [500, 500, 200] == [entry.status for entry in mock.requests("getProduct")]
    # Retry-After: 0 on scripted answers: no backoff (0.5 s, then 1 s) is waited out.
    waits = [r.getMessage().split()[2] for r in caplog.records if "retrying in" in r.getMessage()]
    assert ["0.00s", "0.00s"] == waits


def test_a_scripted_status_has_the_documented_body_and_headers(mock: RunningMock) -> None:
    mock.fail_next("updateReference", status=429)
    with mock.client(max_retries=0) as octave, pytest.raises(RateLimitError) as raised:
        octave.references.update(REFERENCE, name="Not yet")
    assert (0.0, "Too Many Requests (scripted by fail_next)") == (
        raised.value.retry_after,
        raised.value.message,
    )
    assert "script" == mock.requests()[-1].fault


def test_a_scripted_gateway_status_is_the_gateway_s_page(mock: RunningMock) -> None:
    mock.fail_next("getSegment", status=503)
    answer = httpx.get(
        f"{mock.base_url}/api/v2/segment/get?oId=sg_acme_mmsaas",
        headers={"api_key": mock.key()},
        verify=TLS,
    )
    assert (503, "text/html; charset=utf-8", "0") == (
        answer.status_code,
        answer.headers["content-type"],
        answer.headers["retry-after"],
    )


@pytest.mark.parametrize(
    ("status", "page"), [(429, "application/json"), (503, "text/html; charset=utf-8")]
)
def test_a_scripted_wait_is_the_retry_after_the_test_chose(
    mock: RunningMock, status: int, page: str
) -> None:
    """A long Retry-After, as a test of an app's handling of it needs, in no time."""
    mock.fail_next("getSegment", status=status, retry_after=3600)
    answer = httpx.get(
        f"{mock.base_url}/api/v2/segment/get?oId=sg_acme_mmsaas",
        headers={"api_key": mock.key()},
        verify=TLS,
    )
    assert (status, page, "3600") == (
        answer.status_code,
        answer.headers["content-type"],
        answer.headers["retry-after"],
    )


def test_the_sdk_gives_up_at_once_on_a_scripted_long_wait(mock: RunningMock) -> None:
    mock.fail_next("getProduct", status=429, retry_after=120)
    with mock.client() as octave, pytest.raises(RateLimitError) as raised:
        octave.products.get(PRODUCT)
    assert (120.0, [429]) == (raised.value.retry_after, [e.status for e in mock.requests()])


def test_scripts_queue_in_order_and_may_name_a_key(mock: RunningMock) -> None:
    mock.fail_next("getProduct", status=404, key=mock.key(read_only=True))
    mock.fail_next("getProduct", status=500)
    mock.fail_next("getProduct", status=401)
    statuses = [
        httpx.get(
            f"{mock.base_url}{PRODUCT_PATH}?oId={PRODUCT}", headers={"api_key": key}, verify=TLS
        ).status_code
        for key in (mock.key(), mock.key(read_only=True), mock.key(), mock.key())
    ]
    assert [500, 404, 401, 200] == statuses


def test_a_scripted_reset_and_latency(mock: RunningMock) -> None:
    mock.fail_next("getProduct", fault="reset")
    mock.fail_next("getProduct", latency_ms=150)
    with mock.client(max_retries=0) as octave:
        with pytest.raises(APIConnectionError):
            octave.products.get(PRODUCT)
        started = time.perf_counter()
        octave.products.get(PRODUCT)
        assert time.perf_counter() - started >= 0.15
    assert [("reset", None), (None, 200)] == [(e.fault, e.status) for e in mock.requests()]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ({"operation": "getProducts", "status": 500}, "operation: 'getProducts' is not one of"),
        ({"operation": "getProduct", "status": 415}, "status: 415 is not a status getProduct"),
        ({"operation": "getProduct", "status": 200}, "status: 200 is not a status getProduct"),
        ({"operation": "getProduct", "fault": "explode"}, "fault: 'explode' is not one of"),
        ({"operation": "getProduct"}, "status, fault, latency_ms: give one"),
        ({"operation": "getProduct", "status": 500, "times": 0}, "times: must be a whole"),
        ({"operation": "getProduct", "status": 500, "fault": "hang"}, "status, fault: give one"),
        ({"operation": "getProduct", "status": 500, "key": "nope"}, "key: not a key"),
        ({"operation": "getProduct", "latency_ms": -1}, "latency_ms: must be a whole"),
        (
            {"operation": "getProduct", "status": 500, "retry_after": 5},
            "retry_after: only with a status that carries Retry-After (429, 503), "
            "not with status 500",
        ),
        (
            {"operation": "getProduct", "fault": "hang", "retry_after": 5},
            "retry_after: only with a status that carries Retry-After (429, 503), "
            "not with no status",
        ),
        (
            {"operation": "getProduct", "status": 429, "retry_after": -1},
            "retry_after: must be a whole number of at least 0",
        ),
        (
            {"operation": "getProduct", "status": 429, "retry_after": 86_401},
            "retry_after: must be at most 86400",
        ),
    ],
)
def test_a_bad_script_is_an_error_naming_what_is_allowed_and_changes_nothing(
    mock: RunningMock, call: Json, message: str
) -> None:
    with pytest.raises(DoubleError, match="^" + re.escape(message)):
        mock.fail_next(**call)
    with mock.client(max_retries=0) as octave:
        assert "Acme Onboarding API" == octave.products.get(PRODUCT).name


def test_a_scripted_hang_is_journalled_while_it_hangs(mock: RunningMock) -> None:
    mock.fail_next("getSegment", fault="hang")
    with mock.client(max_retries=0, timeout=0.3) as octave, pytest.raises(APITimeoutError):
        octave.segments.get("sg_acme_mmsaas")
    assert [("hang", None)] == [(entry.fault, entry.status) for entry in mock.requests()]


def test_scripts_are_cleared_by_reset(mock: RunningMock) -> None:
    mock.fail_next("getProduct", status=500, times=3)
    mock.reset()
    with mock.client(max_retries=0) as octave:
        assert "Acme Onboarding API" == octave.products.get(PRODUCT).name


def test_the_journal_holds_what_the_app_sent_and_never_the_key(mock: RunningMock) -> None:
    key = mock.key()
    with mock.client() as octave:
        octave.references.update(REFERENCE, name="Journalled")
    httpx.get(f"{mock.base_url}{PRODUCT_PATH}?oId={key}", headers={"api_key": key}, verify=TLS)
    httpx.get(f"{mock.base_url}{PRODUCT_PATH}?oId={PRODUCT}", verify=TLS)
    update, product, keyless = mock.requests()
    assert ("updateReference", "POST", UPDATE_PATH, 200) == (
        update.operation,
        update.method,
        update.path,
        update.status,
    )
    assert {"oId": REFERENCE, "name": "Journalled"} == update.json
    assert (ACME, key[:8] + "…" + key[-4:]) == (update.workspace, update.key_hint)
    assert {"oId": "[api key]"} == product.query
    assert (None, None, 401) == (keyless.key_hint, keyless.workspace, keyless.status)
    assert [update] == mock.requests("updateReference")
    assert key not in repr(mock.requests())


def test_the_journal_is_a_ring_and_is_emptied_by_reset(start_mock: StartMock) -> None:
    running = start_mock(Settings(journal_size=3))
    for index in range(5):
        httpx.get(f"{running.base_url}{PRODUCT_PATH}?oId=p_{index}", verify=TLS)
    assert ["p_2", "p_3", "p_4"] == [entry.query["oId"] for entry in running.requests()]
    running.clear_requests()
    assert [] == running.requests()
    httpx.get(f"{running.base_url}{PRODUCT_PATH}?oId=p_5", verify=TLS)
    running.reset()
    assert [] == running.requests()


def test_a_journal_of_size_0_is_off(start_mock: StartMock) -> None:
    running = start_mock(Settings(journal_size=0))
    httpx.get(f"{running.base_url}{PRODUCT_PATH}?oId={PRODUCT}", verify=TLS)
    assert [] == running.requests()


def test_the_journal_of_an_unknown_operation_is_an_error(mock: RunningMock) -> None:
    with pytest.raises(DoubleError, match=r"^operation: 'getProducts' is not one of"):
        mock.requests("getProducts")


def test_a_scripted_500_is_journalled_as_scripted(mock: RunningMock) -> None:
    mock.fail_next("getProduct", status=500)
    with mock.client(max_retries=0) as octave, pytest.raises(InternalServerError):
        octave.products.get(PRODUCT)
    (entry,) = mock.requests()
    assert (500, "script") == (entry.status, entry.fault)


CREDENTIALS = {
    "Authorization": "Bearer sk_live_0123456789abcdef",
    "Cookie": "session=c0ffee0123456789",
    "Proxy-Authorization": "Basic dXNlcjpwYXNzd29yZA==",
}


def test_the_journal_keeps_headers_lower_cased_with_credentials_as_hints(
    mock: RunningMock,
) -> None:
    """What the app sent in its headers, to check; no credential and no key in clear."""
    key = mock.key()
    headers = {"api_key": key, "X-Correlation-Id": "c-42", "X-Echo": f"k={key}", **CREDENTIALS}
    httpx.get(f"{mock.base_url}{PRODUCT_PATH}?oId={PRODUCT}", headers=headers, verify=TLS)
    (entry,) = mock.requests()
    hints = {name.lower(): value[:8] + "…" + value[-4:] for name, value in CREDENTIALS.items()}
    assert {
        **hints,
        "api_key": key[:8] + "…" + key[-4:],
        "x-correlation-id": "c-42",
        "x-echo": "k=[api key]",
    } == {name: value for name, value in entry.headers.items() if name not in BY_HTTPX}
    assert entry.headers["user-agent"].startswith("python-httpx/")
    recorded = repr(mock.requests())
    assert [] == [secret for secret in (key, *CREDENTIALS.values()) if secret in recorded]


BY_HTTPX = {"host", "accept", "accept-encoding", "connection", "user-agent"}


def test_the_journal_shows_what_the_sdk_sends(mock: RunningMock) -> None:
    with mock.client(default_headers={"Idempotency-Key": "idem-1"}) as octave:
        octave.references.update(REFERENCE, name="With headers")
    (entry,) = mock.requests()
    assert entry.headers["content-type"] == "application/json"
    assert entry.headers["idempotency-key"] == "idem-1"
    assert entry.headers["user-agent"].startswith("octave-client/")


@pytest.mark.parametrize(
    ("workspace", "read_only", "message"),
    [
        ("wa_nope", False, "wa_nope: not a workspace of the seed (wa_acme0001, wa_globex001, "),
        ("wa_globex001", True, "the seed has no read-only key of wa_globex001"),
    ],
)
def test_a_key_the_seed_has_not_names_what_it_has(
    mock: RunningMock, workspace: str, read_only: bool, message: str
) -> None:
    with pytest.raises(LookupError, match="^" + re.escape(message)):
        mock.key(workspace, read_only=read_only)
