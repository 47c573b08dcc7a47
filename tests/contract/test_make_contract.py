"""`make contract`: the schemathesis CLI against the mock over a real socket."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from octave_contract import cli, sandbox
from octave_mock import Settings, create_app
from octave_mock.testing import serving

from .broken import SEEDED_KEY, VARIANTS, build

OPERATIONS = ("getProduct", "getSegment", "updateReference")


# The CLI's own work (start, report, summary, reset) needs few cases; the contract's depth
# is test_in_process.py's, at schemathesis.toml's full count.
PLUMBING_EXAMPLES = ("--max-examples", "10")


def run_contract_cli(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "octave_contract", "mock", *args, *PLUMBING_EXAMPLES]
    return subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)  # noqa: S603


def run_in_process(capfd: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """The CLI's exit status and output, its main called here: the process that starts
    schemathesis' is not what the test is about (test_contract_passes_against_the_mock
    starts it as `make contract` does)."""
    status = cli.main(["mock", *args, *PLUMBING_EXAMPLES])
    captured = capfd.readouterr()
    return status, captured.out + captured.err


def test_contract_passes_against_the_mock(tmp_path: Path) -> None:
    """Starts the mock, runs every phase, writes JUnit and HAR, stops the mock, exits 0."""
    result = run_contract_cli("--report-dir", str(tmp_path))
    assert 0 == result.returncode, result.stdout[-5000:] + result.stderr[-3000:]
    suites = ElementTree.parse(tmp_path / "junit.xml").getroot()
    assert 3 <= len(suites.findall(".//testcase"))
    assert [] == suites.findall(".//failure")
    assert (tmp_path / "har.json").stat().st_size > 0
    # The mock's own log (uvicorn's warnings about malformed requests) is a file, named last.
    assert "WARNING" not in result.stdout + result.stderr
    names = ("junit.xml", "har.json", "coverage.json", "coverage.md", "coverage.html", "mock.log")
    written = [tmp_path / name for name in names]
    assert f"Reports: {', '.join(map(str, written))}" == result.stdout.splitlines()[-1]
    # The run's coverage: every documented status (the probes' too), keywords on both sides.
    coverage = json.loads((tmp_path / "coverage.json").read_text())
    assert ["contract"] == coverage["kinds"]
    dimensions = coverage["dimensions"]
    assert 100.0 == dimensions["statuses"]["percent"] == dimensions["operations"]["percent"]
    keywords = dimensions["keywords"]["operations"]["updateReference"]["met"]
    assert {"body.oId required: valid", "body.oId required: invalid"} <= set(keywords)
    assert "statuses         23     23      0   100%" in result.stdout
    summary = result.stdout.split("Contract run, per operation:")[1].split("\n\n")[0]
    rows = {line.split()[0]: line for line in summary.strip().splitlines()[1:]}
    answered_ok = [
        operation for operation in OPERATIONS if re.search(r"\b200: [1-9]", rows[operation])
    ]
    assert answered_ok == list(OPERATIONS), summary
    assert "never saw" not in summary


def test_contract_fails_against_a_broken_server(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """Pointed at a server with a defect, the CLI exits non-zero and names the check."""
    wrong_content_type = next(v for v in VARIANTS if v.expected_check == "content_type_conformance")
    with serving(build(wrong_content_type)) as url:
        # The first failure is enough to show: schemathesis stops there.
        flags = ["--url", url, "--report-dir", str(tmp_path), "--max-failures", "1"]
        status, output = run_in_process(capfd, *flags)
    assert 1 == status
    assert "Undocumented Content-Type" in output
    assert ElementTree.parse(tmp_path / "junit.xml").getroot().findall(".//failure")


def reference_state(url: str) -> dict[str, object]:
    """A seeded reference as stored, its write timestamp aside."""
    reference = sandbox.update(url, SEEDED_KEY.decode(), {"oId": "r_acme_dropbox"})
    return {name: value for name, value in reference.items() if name != "updatedAt"}


@pytest.mark.parametrize("keep_state", [False, True], ids=["reset", "keep-state"])
def test_url_runs_leave_the_mock_as_seeded_unless_told(
    tmp_path: Path, keep_state: bool, capfd: pytest.CaptureFixture[str]
) -> None:
    """--url resets the mock to its seed afterwards and says so; --keep-state keeps the writes."""
    with serving(create_app(Settings())) as url:
        seeded = reference_state(url)
        flags = ["--keep-state"] if keep_state else []
        status, output = run_in_process(capfd, "--url", url, "--report-dir", str(tmp_path), *flags)
        after = reference_state(url)
    assert 0 == status, output[-5000:]
    assert (not keep_state) == ("Reset the mock" in output)
    assert (not keep_state) == (seeded == after)
