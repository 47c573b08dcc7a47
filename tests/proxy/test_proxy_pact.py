"""`proxy --pact`: what passed through the proxy, written at exit as the app's Pact file."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from octave_kit.contract_file import SPEC_PATH
from octave_mock import Settings, create_app
from octave_mock.testing import serving
from octave_proxy import ProxySettings, ValidatingProxy
from tests.mock.support import TLS
from tests.pact.conftest import CONSUMER
from tests.pact.test_replay import verifier

UPDATE = "/api/v2/reference/update"
PRODUCT = "/api/v2/product/get"


def test_the_proxy_writes_what_passed_through_and_the_verifier_replays_it(
    tmp_path: Path,
) -> None:
    pact = tmp_path / "live.pact.json"
    with serving(create_app(Settings())) as upstream:
        settings = ProxySettings(upstream, SPEC_PATH, pact_path=pact, pact_consumer=CONSUMER)
        with serving(ValidatingProxy(settings)) as proxy:
            key = {"api_key": "mock_acme_rw_9f2c41d7e8"}
            for oid in ("p_acme_api", "p_acme_sprint", "p_nope"):
                httpx.get(f"{proxy}{PRODUCT}", params={"oId": oid}, headers=key, verify=TLS)
            update = {"oId": "r_acme_dropbox", "name": "Renamed"}
            httpx.post(f"{proxy}{UPDATE}", json=update, headers=key, verify=TLS)
            read_only = {"api_key": "mock_acme_ro_5b7e0a13c4"}
            httpx.post(f"{proxy}{UPDATE}", json=update, headers=read_only, verify=TLS)
            httpx.get(
                f"{proxy}{PRODUCT}",
                params={"oId": "p_acme_api"},
                headers={"api_key": "x"},
                verify=TLS,
            )
    text = pact.read_text(encoding="utf-8")
    assert "mock_acme" not in text
    document = json.loads(text)
    assert sorted(i["description"] for i in document["interactions"]) == [
        "getProduct -> 200 with a key sending oId",
        "getProduct -> 401 with an unknown key sending oId",
        "getProduct -> 404 with a key sending oId",
        "updateReference -> 200 with a key sending name, oId",
        "updateReference -> 403 with a read-only key sending name, oId",
    ]
    with serving(create_app(Settings())) as fresh:
        verified = verifier(pact, fresh).verify()
    assert verified.output(strip_ansi=True).count("has status code") == 5
