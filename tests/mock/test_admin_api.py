"""The test-double calls over HTTP under /_mock/, on one process and on worker processes, and
schemathesis over the admin API's own OpenAPI document."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from octave_mock import Settings, create_app
from octave_mock.admin import ADMIN_SPEC_PATH
from octave_mock.testing import RunningMock
from tests.mock.support import (
    ACME,
    GLOBEX,
    PRODUCT,
    PRODUCT_PATH,
    REPO_ROOT,
    TLS,
    Json,
    bundled_key,
    snapshot,
)
from tests.mock.test_concurrency import worker_processes

if TYPE_CHECKING:
    from octave_contract.engine import Outcome

CONFIG = REPO_ROOT / "schemathesis-admin.toml"
SEED = 20261201  # the same generated cases every run

A_PRODUCT: Json = {"name": "Over HTTP", "data": {"type": "PRODUCT"}}


def test_an_object_added_over_http_is_served(mock: RunningMock, http: httpx.Client) -> None:
    added = http.post(
        "/_mock/objects", json={"kind": "product", "workspace": GLOBEX, "object": A_PRODUCT}
    )
    assert 201 == added.status_code, added.text
    oid = added.json()["oId"]
    served = http.get(f"{PRODUCT_PATH}?oId={oid}", headers={"api_key": mock.key(GLOBEX)})
    assert ("Over HTTP", {"oId": GLOBEX}) == (served.json()["name"], served.json()["workspace"])


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"object": A_PRODUCT}, "kind: is required"),
        ({"kind": "product", "object": {**A_PRODUCT, "name": 42}}, "object.name: expected"),
        ({"kind": "product", "object": A_PRODUCT, "extra": 1}, "extra: is not a known field"),
        ({"kind": "product", "object": A_PRODUCT, "workspace": "wa_x"}, "workspace: 'wa_x' is"),
        ({"kind": "product", "object": {**A_PRODUCT, "oId": PRODUCT}}, "object.oId: a product"),
    ],
)
def test_a_bad_object_is_a_400_naming_the_field_and_changes_nothing(
    mock: RunningMock, http: httpx.Client, body: Json, message: str
) -> None:
    before = snapshot(mock.server)
    answer = http.post("/_mock/objects", json=body)
    assert (400, True) == (answer.status_code, answer.json()["message"].startswith(message)), (
        answer.text
    )
    assert before == snapshot(mock.server)


def test_a_script_over_http_answers_the_next_calls(mock: RunningMock, http: httpx.Client) -> None:
    queued = http.post(
        "/_mock/scripts",
        json={"operation": "getProduct", "times": 2, "status": 404, "key": mock.key()},
    )
    assert 201 == queued.status_code, queued.text
    assert {"operation": "getProduct", "times": 2, "status": 404, "fault": None} == {
        name: queued.json()[name] for name in ("operation", "times", "status", "fault")
    }
    assert mock.key() not in queued.text
    headers = {"api_key": mock.key()}
    statuses = [
        http.get(f"{PRODUCT_PATH}?oId={PRODUCT}", headers=headers).status_code for _ in "abc"
    ]
    assert [404, 404, 200] == statuses


def test_a_script_over_http_chooses_its_retry_after(mock: RunningMock, http: httpx.Client) -> None:
    script = {"operation": "getProduct", "status": 429, "retry_after": 90}
    queued = http.post("/_mock/scripts", json=script)
    assert (201, 90) == (queued.status_code, queued.json()["retry_after"])
    answer = http.get(f"{PRODUCT_PATH}?oId={PRODUCT}", headers={"api_key": mock.key()})
    assert (429, "90") == (answer.status_code, answer.headers["retry-after"])


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"operation": "getProduct", "status": 418}, "status: 418 is not a status"),
        ({"operation": "getProduct", "fault": "boom"}, 'fault: "boom" is not one of'),
        ({"operation": "getProduct", "status": 500, "when": 1}, "when: is not a known"),
        ({"status": 500}, "operation: is required"),
        (
            {"operation": "getProduct", "status": 404, "retry_after": 60},
            "retry_after: only with a status that carries Retry-After (429, 503), "
            "not with status 404",
        ),
        ({"operation": "getProduct", "status": 429, "retry_after": -1}, "retry_after: "),
    ],
)
def test_a_bad_script_is_a_400_naming_the_field_and_changes_nothing(
    mock: RunningMock, http: httpx.Client, body: Json, message: str
) -> None:
    answer = http.post("/_mock/scripts", json=body)
    assert (400, True) == (answer.status_code, answer.json()["message"].startswith(message)), (
        answer.text
    )
    headers = {"api_key": mock.key()}
    assert 200 == http.get(f"{PRODUCT_PATH}?oId={PRODUCT}", headers=headers).status_code


def test_the_journal_over_http_lists_and_clears(mock: RunningMock, http: httpx.Client) -> None:
    headers = {"api_key": mock.key(), "X-App": "acme-app"}
    http.get(f"{PRODUCT_PATH}?oId={PRODUCT}", headers=headers)
    http.get("/api/v2/segment/get?oId=sg_acme_mmsaas", headers=headers)
    listed = http.get("/_mock/requests", params={"operation": "getProduct"}).json()["requests"]
    assert [("getProduct", 200, ACME)] == [
        (entry["operation"], entry["status"], entry["workspace"]) for entry in listed
    ]
    assert mock.key() not in http.get("/_mock/requests").text
    key = mock.key()
    assert ("acme-app", key[:8] + "…" + key[-4:]) == (
        listed[0]["headers"]["x-app"],
        listed[0]["headers"]["api_key"],
    )
    assert 200 == http.delete("/_mock/requests").status_code
    assert {"requests": []} == http.get("/_mock/requests").json()


def test_the_journal_of_an_unknown_operation_is_a_400(http: httpx.Client) -> None:
    answer = http.get("/_mock/requests", params={"operation": "getProducts"})
    assert (
        400,
        "operation: 'getProducts' is not one of getProduct, getSegment, updateReference",
    ) == (
        answer.status_code,
        answer.json()["message"],
    )


def test_admin_routes_answer_404_and_405_by_their_document(http: httpx.Client) -> None:
    unknown, wrong = http.get("/_mock/nothing"), http.get("/_mock/scripts")
    assert (404, 405, "POST") == (unknown.status_code, wrong.status_code, wrong.headers["allow"])


def test_reset_over_http_drops_added_objects_scripts_and_the_journal(
    mock: RunningMock, http: httpx.Client
) -> None:
    seeded = snapshot(mock.server)
    http.post("/_mock/objects", json={"kind": "product", "object": A_PRODUCT})
    http.post("/_mock/scripts", json={"operation": "getProduct", "status": 500})
    assert {"status": "reset"} == http.post("/_mock/reset").json()
    assert (seeded, []) == (snapshot(mock.server), mock.requests())
    headers = {"api_key": mock.key()}
    assert 200 == http.get(f"{PRODUCT_PATH}?oId={PRODUCT}", headers=headers).status_code


def test_worker_processes_share_scripts_and_the_journal(tmp_path: Path) -> None:
    """`serve --workers 2`: a script is consumed once in all, and every request is journalled."""
    with worker_processes(tmp_path / "mock.db", tmp_path / "serve.log") as base_url:
        headers = {"api_key": bundled_key()}
        script = {"operation": "getProduct", "times": 3, "status": 503}
        assert 201 == httpx.post(f"{base_url}/_mock/scripts", json=script, verify=TLS).status_code
        # A new connection each time, so both workers take some of them.
        statuses = [
            httpx.get(
                f"{base_url}{PRODUCT_PATH}?oId={PRODUCT}", headers=headers, verify=TLS
            ).status_code
            for _ in range(8)
        ]
        journal = httpx.get(f"{base_url}/_mock/requests", verify=TLS).json()["requests"]
    assert [503, 503, 503, 200, 200, 200, 200, 200] == statuses
    assert statuses == [entry["status"] for entry in journal]


@pytest.fixture(scope="module")
def admin_outcome() -> Outcome:
    """schemathesis' every phase and check (but one, see the toml) over the admin document."""
    # Imported here, not as the module loads: schemathesis and Hypothesis take a second to
    # import, which collecting this module would cost every worker of the suite.
    import schemathesis
    from schemathesis.config import SchemathesisConfig
    from schemathesis.engine import events, from_schema

    from octave_contract.engine import Outcome, record
    from octave_contract.summary import RunReport

    schema = schemathesis.openapi.from_path(
        ADMIN_SPEC_PATH, config=SchemathesisConfig.from_path(str(CONFIG))
    )
    schema.app = create_app(Settings(validate_responses=True))
    schema.config.update(base_url="http://testserver")
    schema.config.seed = SEED
    outcome = Outcome(RunReport.for_document(schema.raw_schema))
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            record(event.recorder, outcome)
        elif isinstance(event, events.NonFatalError):
            outcome.errors.append(str(event.value))
        elif isinstance(event, events.FatalError):
            outcome.errors.append(str(event.exception))
    return outcome


def test_the_admin_api_keeps_its_document(admin_outcome: Outcome) -> None:
    summary = admin_outcome.report.format()
    assert ([], []) == (admin_outcome.errors, admin_outcome.failures), summary
    seen = {op.operation_id: set(op.statuses) for op in admin_outcome.report.operations}
    assert {201, 400} <= seen["addObject"], summary
    assert {201, 400} <= seen["addScript"], summary
