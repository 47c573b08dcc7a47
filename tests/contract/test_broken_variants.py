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


def test_every_defect_the_contract_must_catch_has_a_variant() -> None:
    """The variants cover the defects the kit promises to catch."""
    expected = {
        "required field missing",
        "field of the wrong type",
        "500 on valid input",
        "auth not enforced",
        "undocumented status",
        "wrong Content-Type",
        "update not persisted",
        "requested oId ignored",
        "read-only key's update carried out",
        "another workspace's object served",
        "another workspace's update carried out",
        "createdAt changes on update",
        "workspace flips",
        "update answers the old state",
        "update not partial",
        "429 without Retry-After",
        "rare errors off the contract",
    }
    assert expected == {v.name for v in VARIANTS}
