"""The traffic model: each source read into exchanges, files written and read back, no key kept."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from octave_kit.contract_file import SPEC_PATH
from octave_kit.keys import BLANKED_KEY
from octave_kit.traffic import (
    APP,
    DROPPED,
    GATEWAY,
    GATEWAY_STATUSES,
    LIVE,
    RETRY_AFTER,
    TESTS,
    TIMEOUT,
    Exchange,
    Traffic,
    TrafficError,
    from_journal,
    read_file,
    write_traffic,
)
from octave_mock import create_app
from octave_mock.settings import Settings
from octave_mock.testing import RunningMock, running_mock, serving
from octave_proxy import ProxySettings, ValidatingProxy
from tests.mock.support import TLS, bundled_key

KEY = "oct_live_0123456789abcdef"
PRODUCT = "/api/v2/product/get"


def har_entry(
    url: str,
    status: int,
    body: str = "",
    response: str = "",
    mime: str = "application/json",
    headers: dict[str, str] | None = None,
) -> dict[str, object]:
    """One HAR 1.2 entry, as schemathesis and browsers write them."""
    sent = {"api_key": KEY, "Content-Type": "application/json", **(headers or {})}
    request: dict[str, object] = {
        "method": "POST" if body else "GET",
        "url": url,
        "headers": [{"name": name, "value": value} for name, value in sent.items()],
    }
    if body:
        request["postData"] = {"mimeType": "application/json", "text": body}
    return {
        "request": request,
        "response": {
            "status": status,
            "headers": [{"name": "Retry-After", "value": "1"}] if status == 429 else [],
            "content": {"mimeType": mime, "text": response},
        },
    }


def write_har(path: Path, *entries: dict[str, object]) -> Path:
    path.write_text(json.dumps({"log": {"version": "1.2", "entries": list(entries)}}))
    return path


def test_a_har_file_is_read_without_its_key(tmp_path: Path) -> None:
    """Header names only; the key blanked in the URL, the bodies, wherever it appears."""
    har = write_har(
        tmp_path / "run.har",
        har_entry(f"http://h{PRODUCT}?oId=p_1&debug={KEY}", 200, response='{"oId": "p_1"}'),
        har_entry("http://h/api/v2/reference/update", 400, body=f'{{"oId": "{KEY}"}}'),
    )
    traffic = read_file(har)
    assert {APP} == traffic.kinds
    first, second = traffic.exchanges
    assert ("GET", PRODUCT, {"oId": "p_1", "debug": BLANKED_KEY}) == (
        first.method,
        first.path,
        first.query,
    )
    assert ("api_key", "content-type") == first.request_headers
    assert {"oId": "p_1"} == first.response_json
    assert {"oId": BLANKED_KEY} == second.request_json
    written = tmp_path / "traffic.jsonl"
    write_traffic(written, traffic)
    assert KEY not in written.read_text()


def test_faults_are_read_from_a_har_file(tmp_path: Path) -> None:
    """No response is a timeout or a dropped connection; an HTML 502 a gateway's page."""
    entries = [
        har_entry(f"http://h{PRODUCT}", 0),
        {**har_entry(f"http://h{PRODUCT}", 0), "_error": "net::ERR_CONNECTION_RESET"},
        har_entry(f"http://h{PRODUCT}", 502, response="<html></html>", mime="text/html"),
        har_entry(f"http://h{PRODUCT}", 429, response='{"message": "slow down"}'),
        har_entry(f"http://h{PRODUCT}", 500, response='{"message": "oops"}'),
    ]
    traffic = read_file(write_har(tmp_path / "faults.har", *entries))
    faults = [sorted(exchange.faults) for exchange in traffic.exchanges]
    assert [[TIMEOUT], [DROPPED], [GATEWAY], [RETRY_AFTER], []] == faults


def test_the_proxy_report_gives_operations_and_statuses(tmp_path: Path) -> None:
    report = tmp_path / "proxy.jsonl"
    lines = [
        {"time": "t", "requestId": "r", "operation": "getProduct", "method": "GET",
         "path": PRODUCT, "oId": "p_1", "status": 404, "violations": []},
        {"summary": "getProduct", "requests": 1, "statuses": {"404": 1}, "violations": {}},
    ]  # fmt: skip
    report.write_text("".join(json.dumps(line) + "\n" for line in lines))
    traffic = read_file(report)
    assert {LIVE} == traffic.kinds
    assert [Exchange("GET", PRODUCT, "getProduct", status=404)] == traffic.exchanges


def test_a_traffic_file_reads_back_as_written(tmp_path: Path) -> None:
    exchanges = [
        Exchange("GET", PRODUCT, "getProduct", {"oId": "p_1"}, ("api_key",), None, 200,
                 ("x-request-id",), {"oId": "p_1", "deletedAt": None}),
        Exchange("GET", PRODUCT, "getProduct", status=None, fault=TIMEOUT),
    ]  # fmt: skip
    path = tmp_path / "traffic.jsonl"
    write_traffic(path, Traffic(exchanges, {TESTS}))
    assert Traffic(exchanges, {TESTS}) == read_file(path)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "neither HAR, a Pact file, a traffic file nor a proxy report"),
        ('{"a": 1}\n{"b": 2}\n', "neither HAR, a Pact file, a traffic file nor a proxy report"),
        ('{"operation": "x"}\nnot json\n', ":2: not JSON"),
        ('{"log": {"entries": [{"request": {}}]}}', "not a HAR file this kit can read"),
        ('{"schema": "octave-traffic/1", "kinds": ["dreams"]}\n', "unknown kinds"),
    ],
)
def test_an_unreadable_file_is_named(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(TrafficError, match=problem) as raised:
        read_file(path)
    assert str(path) in str(raised.value)


def test_the_journal_gives_responses_and_faults_when_asked() -> None:
    """With journal_responses, the double's journal holds each response's body and headers."""
    with running_mock(Settings(journal_responses=True)) as mock:
        exchanges = journal_traffic(mock)
    gateway, limited, product = exchanges
    assert (GATEWAY, None) == (gateway.fault, gateway.response_json)
    assert gateway.status in GATEWAY_STATUSES
    assert {RETRY_AFTER} == limited.faults
    assert "p_acme_api" == product.response_json["oId"]
    assert "x-request-id" in product.response_headers
    assert KEY not in json.dumps([exchange.to_json() for exchange in exchanges])


def journal_traffic(mock: RunningMock) -> list[Exchange]:
    mock.fail_next("getProduct", fault="gateway")
    mock.fail_next("getSegment", status=429)
    with mock.client(max_retries=0) as octave:
        for call in (octave.products.get, octave.segments.get):
            with pytest.raises(Exception, match=r"50[234]|429"):
                call("p_acme_api")
        octave.products.get("p_acme_api")
    traffic = from_journal(entry.__dict__ for entry in mock.requests())
    assert {TESTS} == traffic.kinds
    return traffic.exchanges


def test_what_the_proxy_refused_itself_is_no_answer_of_octave_s(tmp_path: Path) -> None:
    """A --read-only proxy's own 403 is marked in its report, and counts as no traffic."""
    report = tmp_path / "proxy.jsonl"
    headers = {"api_key": bundled_key()}
    with serving(create_app(Settings())) as upstream:
        settings = ProxySettings(
            upstream=upstream, spec_path=SPEC_PATH, report_path=report, read_only=True
        )
        with serving(ValidatingProxy(settings)) as proxy:
            httpx.get(
                f"{proxy}{PRODUCT}", params={"oId": "p_acme_api"}, headers=headers, verify=TLS
            )
            update = {"oId": "r_acme_dropbox", "name": "Dropbox"}
            refused = httpx.post(
                f"{proxy}/api/v2/reference/update", json=update, headers=headers, verify=TLS
            )
    assert 403 == refused.status_code
    lines = [json.loads(line) for line in report.read_text().splitlines()]
    assert [None, True] == [line.get("refused") for line in lines if "summary" not in line]
    traffic = read_file(report)
    assert [Exchange("GET", PRODUCT, "getProduct", status=200)] == traffic.exchanges
