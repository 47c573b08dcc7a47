"""`octave-mock proxy` between an app and an upstream: drift reported, refusals, upstream faults."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from octave_client import Octave

from octave_kit.contract_file import SPEC_PATH
from octave_kit.local_server import free_port
from octave_mock import Settings, create_app
from octave_mock.testing import serving
from octave_proxy import ProxySettings, ValidatingProxy
from tests.mock.support import TLS, bundled_key
from tests.rewriting import (
    drop_product_oid,
    gone_instead_of_not_found,
    rewriting_responses,
    segment_rejected_as_text,
    text_content_type,
)

KEY = bundled_key()
PRODUCT = "/api/v2/product/get"
SEGMENT = "/api/v2/segment/get"
UPDATE = "/api/v2/reference/update"
Wrap = Callable[[Any], Any]


@contextmanager
def upstream(wrap: Wrap = lambda app: app) -> Iterator[str]:
    """The mock (maybe wrapped to break it) on a free port."""
    with serving(wrap(create_app(Settings()))) as base_url:
        yield base_url


@contextmanager
def proxying(to: str, report: Path | None = None, **options: Any) -> Iterator[str]:
    """The validating proxy in front of `to`; its report is complete once the block ends."""
    settings = ProxySettings(upstream=to, spec_path=SPEC_PATH, report_path=report, **options)
    with serving(ValidatingProxy(settings)) as base_url:
        yield base_url


def report_lines(report: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]


def violations(answer: httpx.Response) -> list[dict[str, Any]]:
    header = answer.headers.get("sl-violations")
    return [] if header is None else list(json.loads(header))


def test_an_app_through_the_proxy_works_and_the_report_is_clean(tmp_path: Path) -> None:
    """The SDK, pointed at the proxy in front of the mock: same answers, no violation at all."""
    report = tmp_path / "report.jsonl"
    with (
        upstream() as mock,
        proxying(mock, report) as proxy,
        Octave(api_key=KEY, base_url=proxy) as octave,
    ):
        product = octave.products.get("p_acme_api")
        segment = octave.segments.get("sg_acme_mmsaas")
        updated = octave.references.update("r_acme_dropbox", name="Through the proxy")
    lines = report_lines(report)
    assert (product.name, segment.name, updated.data.name) == (
        "Acme Onboarding API",
        "Mid-market SaaS",
        "Through the proxy",
    )
    assert [line["violations"] for line in lines if "operation" in line] == [[], [], []]
    summaries = {line["summary"]: line for line in lines if "summary" in line}
    assert {"getProduct", "getSegment", "updateReference"} == set(summaries)
    assert {"requests": 1, "statuses": {"200": 1}, "violations": {}} == {
        k: v for k, v in summaries["getProduct"].items() if k != "summary"
    }


@pytest.mark.parametrize(
    ("wrap", "path", "query", "expected"),
    [
        (
            lambda app: rewriting_responses(app, drop_product_oid),
            PRODUCT,
            {"oId": "p_acme_api"},
            (["response", "body", "oId"], "required", "oId: is required"),
        ),
        (
            lambda app: rewriting_responses(app, segment_rejected_as_text),
            SEGMENT,
            {"oId": "sg_acme_mmsaas"},
            (["response", "body", "rejected"], "type", "rejected: expected boolean, got string"),
        ),
        (
            lambda app: rewriting_responses(app, gone_instead_of_not_found),
            PRODUCT,
            {"oId": "p_missing"},
            (["response", "status"], "status", "status 410 is not documented for getProduct"),
        ),
        (
            lambda app: rewriting_responses(app, text_content_type),
            PRODUCT,
            {"oId": "p_acme_api"},
            (
                ["response", "header", "content-type"],
                "content-type",
                "Content-Type: expected application/json, got text/plain",
            ),
        ),
    ],
    ids=["field-missing", "wrong-type", "undocumented-status", "wrong-content-type"],
)
def test_a_broken_upstream_s_violation_is_reported_where_it_is(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    wrap: Wrap,
    path: str,
    query: dict[str, str],
    expected: tuple[list[str], str, str],
) -> None:
    """In the header (Prism's format), the log and the report, at its location."""
    report = tmp_path / "report.jsonl"
    with (
        caplog.at_level(logging.WARNING, logger="octave_proxy"),
        upstream(wrap) as broken,
        proxying(broken, report) as proxy,
    ):
        answer = httpx.get(f"{proxy}{path}", params=query, headers={"api_key": KEY}, verify=TLS)
    location, code, message = expected
    wanted = [{"location": location, "severity": "Error", "code": code, "message": message}]
    assert wanted == violations(answer)
    assert wanted == report_lines(report)[0]["violations"]
    logged = [r.getMessage() for r in caplog.records if r.getMessage().startswith("violation")]
    assert [
        f"violation {'getProduct' if path == PRODUCT else 'getSegment'} response "
        f"{location[1]}: {message}"
    ] == logged
    assert KEY not in caplog.text


def test_a_bad_request_is_forwarded_and_reported(tmp_path: Path) -> None:
    """Without --errors the upstream answers it (here a documented 400): one request violation."""
    with upstream() as mock, proxying(mock) as proxy:
        answer = httpx.get(f"{proxy}{PRODUCT}", headers={"api_key": KEY}, verify=TLS)
    expected = (
        400,
        [
            {
                "location": ["request", "query", "oId"],
                "severity": "Error",
                "code": "required",
                "message": "oId: is required",
            }
        ],
        "oId: is required",
    )
    assert expected == (answer.status_code, violations(answer), answer.json()["message"])


def test_errors_refuses_a_bad_request_without_forwarding_it() -> None:
    """--errors: the proxy answers the spec's 400 naming the field; the upstream sees nothing."""
    seen: list[str] = []

    def counting(app: Any) -> Any:
        async def wrapped(scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] == "http":
                seen.append(scope["path"])
            await app(scope, receive, send)

        return wrapped

    with upstream(counting) as mock, proxying(mock, errors=True) as proxy:
        answer = httpx.post(
            f"{proxy}{UPDATE}",
            json={"oId": "r_acme_dropbox", "name": 5},
            headers={"api_key": KEY},
            verify=TLS,
        )
    expected: tuple[int, str, list[str]] = (400, "name: expected string, got number", [])
    assert expected == (answer.status_code, answer.json()["message"], seen)
    assert set(answer.json()) == {"_metadata", "message"}


def test_errors_turns_a_bad_answer_into_a_502_listing_it() -> None:
    with (
        upstream(lambda app: rewriting_responses(app, drop_product_oid)) as broken,
        proxying(broken, errors=True) as proxy,
    ):
        answer = httpx.get(
            f"{proxy}{PRODUCT}", params={"oId": "p_acme_api"}, headers={"api_key": KEY}, verify=TLS
        )
    expected = (502, "upstream answer breaks the contract: oId: is required")
    assert expected == (answer.status_code, answer.json()["message"])


def test_read_only_refuses_writes_before_the_upstream() -> None:
    with upstream() as mock, proxying(mock, read_only=True) as proxy:
        write = httpx.post(
            f"{proxy}{UPDATE}", json={"oId": "r_acme_dropbox"}, headers={"api_key": KEY}, verify=TLS
        )
        read = httpx.get(
            f"{proxy}{PRODUCT}", params={"oId": "p_acme_api"}, headers={"api_key": KEY}, verify=TLS
        )
    expected = (403, "method: the proxy is read-only; POST is not forwarded", 200)
    assert expected == (write.status_code, write.json()["message"], read.status_code)


def test_a_refused_upstream_is_a_502() -> None:
    nothing = f"http://127.0.0.1:{free_port()}"
    with proxying(nothing) as proxy:
        answer = httpx.get(
            f"{proxy}{PRODUCT}", params={"oId": "p_acme_api"}, headers={"api_key": KEY}, verify=TLS
        )
    expected = (502, f"upstream: {nothing} could not be reached (connection refused)")
    assert expected == (answer.status_code, answer.json()["message"])


def test_a_silent_upstream_is_a_504() -> None:
    """The upstream accepts and never answers (the mock's hang fault): 504 after the timeout."""
    with upstream() as mock, proxying(mock, timeout_seconds=0.3) as proxy:
        answer = httpx.get(
            f"{proxy}{PRODUCT}",
            params={"oId": "p_acme_api"},
            headers={"api_key": KEY, "Prefer": "fault=hang"},
            timeout=5,
            verify=TLS,
        )
    expected = (504, f"upstream: no answer from {mock} in 0.3 s")
    assert expected == (answer.status_code, answer.json()["message"])


def test_a_tls_failure_is_a_502_that_says_so() -> None:
    """https to a server that speaks plain HTTP: the handshake fails, named as a TLS error."""
    with upstream() as mock:
        tls = mock.replace("http://", "https://")
        with proxying(tls) as proxy:
            answer = httpx.get(
                f"{proxy}{PRODUCT}",
                params={"oId": "p_acme_api"},
                headers={"api_key": KEY},
                verify=TLS,
            )
    assert answer.status_code == 502
    assert answer.json()["message"].startswith(f"upstream: {tls} could not be reached (TLS error: ")
