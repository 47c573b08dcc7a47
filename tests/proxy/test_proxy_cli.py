"""`octave-mock proxy` as a process: its flags, its report's summary on exit, keys never shown."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import yaml

from octave_cli.main import main
from octave_kit.contract_file import SPEC_PATH
from octave_kit.local_server import free_port, wait_until_answering
from octave_mock import Settings
from octave_mock.testing import running_mock
from tests.cli_main import Cli
from tests.mock.support import TLS, bundled_key

KEY = bundled_key()


def test_proxy_process_reports_and_summarises_on_sigterm(tmp_path: Path) -> None:
    """Requests through the process; SIGTERM: exit 0, a summary per operation, no key anywhere."""
    report = tmp_path / "report.jsonl"
    port = free_port()
    with running_mock(Settings()) as mock:
        command = [sys.executable, "-m", "octave_mock", "proxy", "--upstream", mock.base_url]
        command += ["--port", str(port), "--report", str(report)]
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        proxy = f"http://127.0.0.1:{port}"
        try:
            wait_until_answering(f"{proxy}/", 20, still_running=lambda: process.poll() is None)
            statuses = [
                httpx.get(
                    f"{proxy}/api/v2/product/get",
                    params=query,
                    headers={"api_key": KEY},
                    verify=TLS,
                )
                for query in ({"oId": "p_acme_api"}, {"oId": "p_missing"}, {})
            ]
        finally:
            process.send_signal(signal.SIGTERM)
            out, err = process.communicate(timeout=20)
    lines = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    summary = next(line for line in lines if line.get("summary") == "getProduct")
    expected = {
        "summary": "getProduct",
        "requests": 3,
        "statuses": {"200": 1, "400": 1, "404": 1},
        "violations": {"request.query:required": 1},
    }
    assert expected == summary
    assert [200, 404, 400] == [answer.status_code for answer in statuses]
    assert 0 == process.returncode, err
    assert KEY not in out + err + report.read_text(encoding="utf-8")
    assert "violation getProduct request query: oId: is required" in err, err


def test_upstream_must_be_an_http_url(cli: Cli) -> None:
    completed = cli("proxy", "--upstream", "app.octavehq.com")
    expected = (
        2,
        "octave-mock: 'app.octavehq.com': give an http(s) URL such as "
        "https://app.octavehq.com (--upstream)\n",
    )
    assert expected == (completed.returncode, completed.stderr)


def test_a_recording_process_prints_its_keys_once_and_logs_in_its_own_format(
    tmp_path: Path,
) -> None:
    """--record and --report: on SIGTERM the seed, the drift report, the keys once on stdout.

    The log is the proxy's own: the start-up summary, an access line per request,
    no httpx or uvicorn lines at the default level.
    """
    seed, report = tmp_path / "recorded.yaml", tmp_path / "proxy.jsonl"
    port = free_port()
    with running_mock(Settings()) as mock:
        command = [sys.executable, "-m", "octave_mock", "proxy", "--upstream", mock.base_url]
        command += ["--port", str(port), "--report", str(report), "--record", str(seed)]
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        proxy = f"http://127.0.0.1:{port}"
        try:
            wait_until_answering(f"{proxy}/", 20, still_running=lambda: process.poll() is None)
            answer = httpx.get(
                f"{proxy}/api/v2/product/get",
                params={"oId": "p_acme_api"},
                headers={"api_key": KEY},
                verify=TLS,
            )
        finally:
            process.send_signal(signal.SIGTERM)
            out, err = process.communicate(timeout=20)
    assert (0, 200) == (process.returncode, answer.status_code), err
    written = yaml.safe_load(seed.read_text(encoding="utf-8"))["workspaces"]
    keys = [key["key"] for workspace in written for key in workspace["keys"]]
    assert [1, 1] == [out.count(key) for key in keys], out
    assert f"octave-mock drift {tmp_path / 'proxy.drift.json'}" in out
    assert KEY not in out + err + seed.read_text(encoding="utf-8")
    logged = [line.split(" ", 4)[2:] for line in err.splitlines()]  # level, logger, message
    request_id = answer.headers["x-request-id"]
    assert ["INFO", "octave_proxy.access:"] == next(
        entry[:2] for entry in logged if request_id in entry[-1]
    )
    assert "GET /api/v2/product/get 200 " in err
    assert {"octave_proxy:", "octave_proxy.access:"} == {entry[1] for entry in logged}, err
    assert f"contract: {SPEC_PATH} (3 operations)" in err


def test_drift_names_the_file_that_is_not_a_drift_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A missing file, or the JSON Lines report given instead: exit 2, a message, no traceback."""
    lines = tmp_path / "proxy.jsonl"
    lines.write_text('{"operation": "getProduct"}\n{"operation": "getSegment"}\n', encoding="utf-8")
    missing = tmp_path / "missing.drift.json"
    outcomes = []
    for path in (missing, lines):
        outcomes.append((main(["drift", str(path)]), capsys.readouterr().err))
    expected = [
        (2, f"octave-mock: {missing}: cannot read the drift report: No such file or directory\n"),
        (2, f"octave-mock: {lines}: not a drift report (not JSON: Extra data: line 2 column 1"),
    ]
    assert expected == [
        (status, err[: len(wanted)])
        for (status, err), (_, wanted) in zip(outcomes, expected, strict=True)
    ]


def test_at_debug_level_httpx_and_uvicorn_log_too_in_the_same_format(tmp_path: Path) -> None:
    port = free_port()
    with running_mock(Settings()) as mock:
        command = [sys.executable, "-m", "octave_mock", "proxy", "--upstream", mock.base_url]
        command += ["--port", str(port), "--log-level", "debug"]
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        try:
            proxy = f"http://127.0.0.1:{port}"
            wait_until_answering(f"{proxy}/", 20, still_running=lambda: process.poll() is None)
        finally:
            process.send_signal(signal.SIGTERM)
            _, err = process.communicate(timeout=20)
    loggers = {line.split(" ", 4)[3] for line in err.splitlines() if line[:2] == "20"}
    assert {"httpx:", "uvicorn.error:", "octave_proxy:"} <= loggers, err
    assert [] == [line for line in err.splitlines() if not line.startswith("20")], err
