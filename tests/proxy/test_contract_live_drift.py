"""`make contract-live` through the proxy: the drift report of the contract run's own traffic."""

from __future__ import annotations

from pathlib import Path

from octave_kit.contract_file import SPEC_PATH
from octave_mock import Settings, create_app
from octave_mock.testing import serving
from octave_proxy import ProxySettings, ValidatingProxy
from octave_proxy.drift import drift_path, read_report
from tests.contract.test_live import guarded_env, run_live
from tests.proxy.drifting import ADDED, RENAMED, drifting

NAMED = {"OCTAVE_PRODUCT_OID": "p_acme_api", "OCTAVE_SEGMENT_OID": "sg_acme_mmsaas"}


def test_a_live_contract_run_through_the_proxy_reports_the_upstream_s_drift(
    tmp_path: Path,
) -> None:
    """OCTAVE_BASE_URL at a --read-only proxy: the run passes, and the drift is reported."""
    report = tmp_path / "live.jsonl"
    with serving(drifting(create_app(Settings()))) as upstream:
        settings = ProxySettings(upstream, SPEC_PATH, read_only=True, report_path=report)
        with serving(ValidatingProxy(settings)) as proxy:
            result = run_live(tmp_path, **guarded_env(proxy, **NAMED))
    assert 0 == result.returncode, result.stdout[-5000:] + result.stderr[-2000:]
    drift = read_report(drift_path(report))
    undeclared = {
        (entry["location"], member["member"])
        for entry in drift["locations"]
        for member in entry["undeclared"]
    }
    location, _, _, new = RENAMED
    read = {(where, member) for where, _, member in ADDED if not where.startswith("Reference")}
    assert read | {(location, new)} == undeclared
