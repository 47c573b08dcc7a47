"""`octave-mock coverage FILE...`: a browser's HAR and the proxy's report, in one report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from octave_kit.contract_file import SPEC_PATH
from octave_mock import Settings, create_app
from octave_mock.testing import serving
from octave_proxy import ProxySettings, ValidatingProxy
from tests.cli_main import Cli
from tests.mock.support import TLS, bundled_key
from tests.openapi_document import REPO_ROOT

KEY = bundled_key()
PRODUCT, SEGMENT = "/api/v2/product/get", "/api/v2/segment/get"
CATALOG_PACT = REPO_ROOT / "tests" / "pact" / "catalog.pact.json"  # the pact tests' app's


def har_entry(answer: httpx.Response) -> dict[str, Any]:
    """An exchange as a browser's HAR export holds it (HAR 1.2), key and all."""
    request = answer.request
    return {
        "request": {
            "method": request.method,
            "url": str(request.url),
            "headers": [{"name": k, "value": v} for k, v in request.headers.items()],
        },
        "response": {
            "status": answer.status_code,
            "headers": [{"name": k, "value": v} for k, v in answer.headers.items()],
            "content": {"mimeType": answer.headers["content-type"], "text": answer.text},
        },
    }


@pytest.fixture(scope="module")
def traffic_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A browser's HAR of two product reads from the mock; the proxy's report of segment reads."""
    folder = tmp_path_factory.mktemp("traffic")
    har, report = folder / "browser.har", folder / "proxy.jsonl"
    headers = {"api_key": KEY}
    with serving(create_app(Settings())) as upstream:
        answers = [
            httpx.get(f"{upstream}{PRODUCT}", params={"oId": oid}, headers=headers, verify=TLS)
            for oid in ("p_acme_sprint", "p_nope")
        ]
        settings = ProxySettings(upstream=upstream, spec_path=SPEC_PATH, report_path=report)
        with serving(ValidatingProxy(settings)) as proxy:
            for query in ({"oId": "sg_acme_mmsaas"}, {}):
                httpx.get(f"{proxy}{SEGMENT}", params=query, headers=headers, verify=TLS)
    entries = [har_entry(answer) for answer in answers]
    har.write_text(json.dumps({"log": {"version": "1.2", "entries": entries}}))
    return har, report


def test_a_har_and_a_proxy_report_make_one_report(
    cli: Cli, traffic_files: tuple[Path, Path], tmp_path: Path
) -> None:
    har, report = traffic_files
    out = tmp_path / "combined.json"
    result = cli("coverage", har, report, "--report", "term", "--report", f"json:{out}")
    assert 0 == result.returncode, result.stderr
    assert result.stdout.startswith("Octave contract 2.1.0 coverage: 4 requests (app, live)\n")
    assert "operations        3      2      1    67%" in result.stdout
    combined = json.loads(out.read_text())
    statuses = combined["dimensions"]["statuses"]["operations"]
    assert (["200", "404"], ["200", "400"]) == (
        statuses["getProduct"]["met"],
        statuses["getSegment"]["met"],
    )
    values = combined["dimensions"]["values"]["operations"]["getProduct"]["met"]
    assert ["200 body.data: ServiceData"] == values  # p_acme_sprint is a SERVICE
    assert KEY not in out.read_text()
    # A coverage file read back combines with more traffic as the traffic itself would.
    again = cli("coverage", out, "--report", f"json:{tmp_path / 'again.json'}")
    assert 0 == again.returncode, again.stderr
    assert combined == json.loads((tmp_path / "again.json").read_text())


def test_a_failing_gate_names_what_was_never_met(
    cli: Cli, traffic_files: tuple[Path, Path]
) -> None:
    har, report = traffic_files
    result = cli("coverage", har, report, "--fail-under", "operations=100")
    assert 1 == result.returncode
    expected = (
        "coverage failed: operations 66.7% is under 100%; never met: updateReference: called\n"
    )
    assert expected == result.stderr


@pytest.mark.parametrize(
    ("text", "problem"),
    [("not json at all\n", "not JSON"), ('{"log": 5}', "not a HAR file this kit can read")],
)
def test_a_file_that_cannot_be_read_exits_2_naming_it(
    cli: Cli, tmp_path: Path, text: str, problem: str
) -> None:
    bad = tmp_path / "bad.har"
    bad.write_text(text)
    result = cli("coverage", bad)
    assert 2 == result.returncode
    assert result.stderr.startswith(f"octave-mock coverage: {bad}")
    assert problem in result.stderr


def test_a_bad_flag_is_named(cli: Cli, tmp_path: Path) -> None:
    result = cli("coverage", tmp_path / "x.har", "--report", "pdf:x.pdf")
    assert 2 == result.returncode
    assert "pdf:x.pdf: not a report type" in result.stderr


def test_the_apps_pact_file_is_traffic_too(cli: Cli, traffic_files: tuple[Path, Path]) -> None:
    """The app's own contract, read as the traffic it records: its coverage of Octave's."""
    har, _ = traffic_files
    result = cli("coverage", CATALOG_PACT, har, "--report", "term-missing")
    assert 0 == result.returncode, result.stderr
    assert result.stdout.startswith("Octave contract 2.1.0 coverage: 7 requests (app, pact)\n")
    assert "operations        3      3      0   100%" in result.stdout
    assert "keywords" not in result.stdout  # a Pact file's requests are the app's, all valid


def test_a_report_that_cannot_be_written_exits_2_naming_it(
    cli: Cli, traffic_files: tuple[Path, Path], tmp_path: Path
) -> None:
    """Worded as the pytest plugin words it: the path, the report type and why."""
    _, report = traffic_files
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = cli("coverage", report, "--report", f"json:{blocker}/coverage.json")
    assert 2 == result.returncode
    assert result.stderr.startswith(
        f"octave-mock coverage: {blocker}/coverage.json: cannot write the json report: "
    )
