"""Pact's own verifier (pact-python) replays the Pact file against the mock.

The file is catalog.pact.json, which the example app's suite writes byte for byte
(test_pact_file.py). The verifier sets up each interaction's provider states through the mock's
/_mock/provider-states (the key to send, the objects a test added, a scripted status) and
tears each down with a reset. Against a mock broken in one way, it fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from pact import Verifier

from octave_mock import Settings, create_app
from octave_mock.testing import serving
from tests.pact.conftest import CATALOG_PACT
from tests.rewriting import PRODUCT_PATH, json_rewrite, rewriting_responses


def verifier(pact: Path, base_url: str) -> Verifier:
    """pact-python's verifier over the file, states set up by the mock's admin API."""
    return (
        Verifier("Octave", host="127.0.0.1")
        .add_transport(url=base_url)
        .add_source(pact)
        .state_handler(f"{base_url}/_mock/provider-states", teardown=True, body=True)
    )


@contextmanager
def mock_without_product_names() -> Iterator[str]:
    """The mock, but every product it serves has lost `name`, a member the app read."""

    def drop_name(scope: Any, status: int, doc: dict[str, Any]) -> None:
        if scope["path"] == PRODUCT_PATH and status == 200:
            doc.pop("name", None)

    with serving(rewriting_responses(create_app(Settings()), json_rewrite(drop_name))) as url:
        yield url


def test_the_verifier_replays_the_file_green_against_a_fresh_mock() -> None:
    with serving(create_app(Settings())) as base_url:
        verified = verifier(CATALOG_PACT, base_url).verify()
    output = verified.output(strip_ansi=True)
    assert output.count("has status code") == 5, output
    assert "And product product_added_1 was added" in output, output


def test_the_verifier_fails_against_a_mock_that_drops_a_member_the_app_read() -> None:
    with mock_without_product_names() as base_url:
        replaying = verifier(CATALOG_PACT, base_url)
        with pytest.raises(RuntimeError):  # how pact-python says that verification failed
            replaying.verify()
    output = replaying.output(strip_ansi=True)
    assert "$ -> Actual map is missing the following keys: name" in output, output
    assert output.count("Failures:") == 1, output
