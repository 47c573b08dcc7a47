"""The contract catches broken servers: each variant of the mock fails the check it breaks."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from octave_contract.engine import run_contract
from octave_contract.principles import EQUIVALENT_FORMS, check_over_http
from octave_contract.run_inputs import mock_inputs
from octave_mock import Settings, create_app
from octave_mock.testing import serving

from .broken import (
    REFUSED_FORMS,
    SOCKET_FORMS,
    SOCKET_VARIANTS,
    VARIANTS,
    SocketVariant,
    Variant,
    build,
)


@pytest.mark.parametrize("variant", VARIANTS, ids=[v.name for v in VARIANTS])
def test_the_contract_catches(
    variant: Variant, record_property: Callable[[str, object], None]
) -> None:
    """The run fails, and the failing check is the one the defect breaks."""
    record_property("expected_check", variant.expected_check)  # read by bench.contract_speed
    outcome = run_contract(build(variant), stop_at_check=variant.expected_check)
    assert variant.expected_check in outcome.failed_checks(), outcome.report.format()


@pytest.mark.parametrize("variant", SOCKET_VARIANTS, ids=[v.name for v in SOCKET_VARIANTS])
def test_the_contract_catches_over_a_socket(
    variant: SocketVariant, record_property: Callable[[str, object], None]
) -> None:
    """A defect only a socket shows (header names' case) fails the principles over HTTP."""
    record_property("expected_check", variant.expected_check)  # read by bench.contract_speed
    with serving(create_app(Settings())) as mock_url, variant.serving(mock_url) as url:
        found = check_over_http(mock_inputs(), url).findings
    assert variant.expected_check in {finding.check for finding in found}, found


def test_the_socket_variants_proxy_alone_breaks_nothing() -> None:
    """In front of the mock, the socket variants' proxy reading every header passes."""
    honest = SocketVariant("reads every header", "", lambda name: False)
    with serving(create_app(Settings())) as mock_url, honest.serving(mock_url) as url:
        assert [] == check_over_http(mock_inputs(), url).findings


def test_every_equivalent_form_has_a_broken_variant() -> None:
    """Each form the principles send has a server that fails to read it, and no other."""
    assert sorted(f.name for f in EQUIVALENT_FORMS) == sorted([*REFUSED_FORMS, *SOCKET_FORMS])
