"""The mock keeps the contract: every phase and check, in-process over ASGI, in one seeded run."""

from __future__ import annotations

import pytest

from octave_contract.engine import Outcome, run_contract
from octave_mock import Settings, create_app

# A fixed seed: the same cases every run, so the counts below cannot flicker.
SEED = 20261123


@pytest.fixture(scope="module")
def outcome() -> Outcome:
    return run_contract(create_app(Settings(validate_responses=True)), seed=SEED)


def test_the_mock_keeps_the_contract(outcome: Outcome) -> None:
    """Every phase passes, and every operation answers its 2xx and its input-driven 4xx."""
    summary = outcome.report.format()
    assert [] == outcome.errors, summary
    assert [] == outcome.failures, summary
    assert [] == outcome.report.coverage_problems(), summary


def test_seeded_oids_are_hit_as_often_as_missing_ones(outcome: Outcome) -> None:
    """schemathesis.toml's dictionaries make 200s about as common as 404s."""
    for op in outcome.report.operations:
        ok = sum(n for status, n in op.statuses.items() if 200 <= status < 300)
        assert ok >= op.statuses[404], outcome.report.format()
