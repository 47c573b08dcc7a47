"""Log lines under the octave_client logger: what each says, and never the key."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys

import httpx
import pytest
from octave_client import InternalServerError, Octave

from octave_mock.testing import RunningMock
from tests.sdk.conftest import RecordingSleep

LINE = re.compile(
    r"GET /api/v2/product/get -> (?P<status>\d{3}) request_id=(?P<request_id>\S+) "
    r"attempt=(?P<attempt>\d+) elapsed=\d+\.\d{3}s"
)


def test_each_attempt_logs_method_path_status_request_id_attempt_and_time(
    mock: RunningMock, key: str, sleep: RecordingSleep, caplog: pytest.LogCaptureFixture
) -> None:
    """Two failed attempts and the retry notes are logged at INFO, without the key."""
    http = httpx.Client(headers={"Prefer": "code=500"})
    caplog.set_level(logging.INFO, logger="octave_client")
    with (
        Octave(
            api_key=key, base_url=mock.base_url, max_retries=1, http_client=http, sleep=sleep
        ) as octave,
        pytest.raises(InternalServerError),
    ):
        octave.products.get("p_acme_api")
    attempts = [LINE.search(record.getMessage()) for record in caplog.records]
    matched = [match for match in attempts if match]
    assert [("500", "1"), ("500", "2")] == [(m["status"], m["attempt"]) for m in matched]
    assert all(m["request_id"].startswith("req_") for m in matched)
    assert any("retrying in" in record.getMessage() for record in caplog.records)
    assert key not in caplog.text


def test_octave_log_turns_logging_on_without_code(mock: RunningMock, key: str) -> None:
    """OCTAVE_LOG=info prints the lines on stderr in a program that configures no logging."""
    program = "from octave_client import Octave\nOctave().products.get('p_acme_api')\n"
    env = {
        **os.environ,
        "OCTAVE_LOG": "info",
        "OCTAVE_API_KEY": key,
        "OCTAVE_BASE_URL": mock.base_url,
    }
    completed = subprocess.run(  # noqa: S603 - fixed argv, no shell
        [sys.executable, "-c", program],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    match = LINE.search(completed.stderr)
    assert match is not None, completed.stderr
    assert ("200", "1") == (match["status"], match["attempt"])
    assert key not in completed.stderr
