"""Tests of catalog.py against the kit's mock: every call of the `octave_mock` fixture.

Run them with `pytest` in this folder, once the kit's and the client's wheels are installed.
"""

from __future__ import annotations

import logging
import time

import httpx
import pytest
from catalog import product_line, publish_story
from octave_client import APIStatusError

from octave_mock import RunningMock

SEGMENT = {
    "name": "Seed-stage fintech",
    "internalName": "fintech-seed",
    "description": "Fintechs before their series A.",
    "unrecognized": False,
    "rejected": False,
}


@pytest.fixture(autouse=True)
def app_env(octave_mock: RunningMock, monkeypatch: pytest.MonkeyPatch) -> None:
    """The app reads its key and base URL from the environment: point them at the mock."""
    monkeypatch.setenv("OCTAVE_API_KEY", octave_mock.key())
    monkeypatch.setenv("OCTAVE_BASE_URL", octave_mock.base_url)


def test_a_product_of_the_test_s_own(octave_mock: RunningMock) -> None:
    added = octave_mock.add_product({"name": "Ledger Sync", "data": {"type": "SERVICE"}})
    assert product_line(added["oId"]) == "Ledger Sync (SERVICE)"


def test_a_product_of_another_workspace_is_unknown(octave_mock: RunningMock) -> None:
    other = octave_mock.workspaces[1]
    added = octave_mock.add_product(
        {"name": "Theirs", "data": {"type": "PRODUCT"}}, workspace=other
    )
    assert product_line(added["oId"]) == "unknown product"


def test_the_update_the_app_sends(octave_mock: RunningMock) -> None:
    """What the app sent, read from the journal: the API has no read for references."""
    segment = octave_mock.add_segment(SEGMENT)
    reference = octave_mock.add_reference({"data": None})
    assert (
        publish_story(reference["oId"], "Case study", segment["oId"])
        == "Case study for Seed-stage fintech"
    )
    (update,) = octave_mock.requests("updateReference")
    assert update.json == {"oId": reference["oId"], "name": "Case study for Seed-stage fintech"}
    assert (update.status, update.workspace) == (200, octave_mock.workspaces[0])


def test_the_retry_path_takes_milliseconds(
    octave_mock: RunningMock, caplog: pytest.LogCaptureFixture
) -> None:
    """Two gateway errors, then the product: scripted answers carry Retry-After: 0."""
    octave_mock.fail_next("getProduct", times=2, status=503)
    with caplog.at_level(logging.INFO, "octave_client"):  # the SDK logs each retry's wait
        assert product_line("p_acme_api") == "Acme Onboarding API (PRODUCT)"
    waits = [r.getMessage() for r in caplog.records if "retrying in" in r.getMessage()]
    assert [message.startswith("retrying in 0.00s") for message in waits] == [True, True]
    assert [entry.status for entry in octave_mock.requests()] == [503, 503, 200]


def test_an_error_the_retries_cannot_mend(octave_mock: RunningMock) -> None:
    octave_mock.fail_next("getSegment", times=3, status=500, key=octave_mock.key())
    with pytest.raises(APIStatusError) as raised:
        publish_story("r_acme_dropbox", "Case study", "sg_acme_mmsaas")
    assert raised.value.status_code == 500
    assert octave_mock.requests("updateReference") == []  # the app never sent its update


def test_a_slow_answer(octave_mock: RunningMock) -> None:
    octave_mock.fail_next("getProduct", latency_ms=200)
    started = time.perf_counter()
    product_line("p_acme_api")
    assert time.perf_counter() - started >= 0.2


def test_the_same_calls_over_http(octave_mock: RunningMock) -> None:
    """/_mock/: for an app in another language, or a mock in docker-compose."""
    script = {"operation": "getProduct", "status": 404}
    assert httpx.post(f"{octave_mock.base_url}/_mock/scripts", json=script).status_code == 201
    assert product_line("p_acme_api") == "unknown product"
    journal = httpx.get(f"{octave_mock.base_url}/_mock/requests").json()["requests"]
    assert [entry["status"] for entry in journal] == [404]
    octave_mock.clear_requests()
    assert octave_mock.requests() == []


@pytest.mark.octave_mock(seed="seed.yaml")
def test_a_seed_of_this_test_s_own(octave_mock: RunningMock) -> None:
    assert product_line("p_recon") == "Reconciliation API (PRODUCT)"


@pytest.mark.octave_mock(faults="--latency-ms 150@getSegment")
def test_faults_for_this_test_only(octave_mock: RunningMock) -> None:
    started = time.perf_counter()
    publish_story("r_acme_dropbox", "Case study", "sg_acme_mmsaas")
    assert time.perf_counter() - started >= 0.15
