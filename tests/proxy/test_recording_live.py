"""Recording from the real Octave API: opt-in, read-only, skipped without a key and an object.

    OCTAVE_API_KEY=... OCTAVE_PRODUCT_OID=p_... .venv/bin/pytest -q -n 0 -m live tests/proxy

The proxy runs with --read-only in front of OCTAVE_BASE_URL (default
https://app.octavehq.com); only the named product and segment are read.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import httpx
import pytest

from octave_cli.main import main
from octave_contract.run_inputs import DEFAULT_BASE_URL
from octave_kit.contract_file import SPEC_PATH
from octave_mock.testing import serving
from octave_proxy import ProxySettings, ValidatingProxy
from octave_proxy.drift import drift_path

KEY = os.environ.get("OCTAVE_API_KEY", "")
READS = {
    path: oid
    for path, oid in (
        ("/api/v2/product/get", os.environ.get("OCTAVE_PRODUCT_OID")),
        ("/api/v2/segment/get", os.environ.get("OCTAVE_SEGMENT_OID")),
    )
    if oid
}


@pytest.mark.live
@pytest.mark.skipif(
    not KEY or not READS,
    reason="set OCTAVE_API_KEY and OCTAVE_PRODUCT_OID or OCTAVE_SEGMENT_OID (and optionally "
    "OCTAVE_BASE_URL) to record from the real Octave API",
)
def test_a_recording_from_octave_passes_check_seed(tmp_path: Path) -> None:
    """What Octave answers for the named objects becomes a valid seed; the key stays out."""
    seed, report = tmp_path / "octave.yaml", tmp_path / "proxy.jsonl"
    upstream = os.environ.get("OCTAVE_BASE_URL") or DEFAULT_BASE_URL
    settings = ProxySettings(
        upstream, SPEC_PATH, read_only=True, report_path=report, record_path=seed
    )
    with serving(ValidatingProxy(settings)) as proxy:
        statuses = [
            httpx.get(
                f"{proxy}{path}", params={"oId": oid}, headers={"api_key": KEY}, timeout=30
            ).status_code
            for path, oid in READS.items()
        ]
    assert [200] * len(READS) == statuses
    assert 0 == main(["check-seed", "--seed", str(seed)])
    written = seed.read_text(encoding="utf-8") + report.read_text(encoding="utf-8")
    assert KEY not in written + drift_path(report).read_text(encoding="utf-8")
    assert json.loads(drift_path(report).read_text(encoding="utf-8"))["source"] == upstream
