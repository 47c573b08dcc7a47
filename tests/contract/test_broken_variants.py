"""The contract catches broken servers: each variant of the mock fails the check it breaks."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from octave_contract.engine import run_contract

from .broken import VARIANTS, Variant, build


@pytest.mark.parametrize("variant", VARIANTS, ids=[v.name for v in VARIANTS])
def test_the_contract_catches(
    variant: Variant, record_property: Callable[[str, object], None]
) -> None:
    """The run fails, and the failing check is the one the defect breaks."""
    record_property("expected_check", variant.expected_check)  # read by bench.contract_speed
    outcome = run_contract(build(variant), stop_at_check=variant.expected_check)
    assert variant.expected_check in outcome.failed_checks(), outcome.report.format()
