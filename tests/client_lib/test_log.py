"""client_lib/log.py as it lies in the repository: OCTAVE_LOG turns the lines on."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from client_lib.log import configure_logging_from_env, logger


@pytest.fixture(autouse=True)
def clean_logger() -> Iterator[None]:
    """The logger as no app has touched it, before and after."""
    logger.handlers.clear()
    logger.setLevel(logging.NOTSET)
    yield
    logger.handlers.clear()
    logger.setLevel(logging.NOTSET)


def test_the_logger_is_the_packages_own() -> None:
    """In the generated package it is `octave_client`; here, the package this file lies in."""
    assert "client_lib" == logger.name


@pytest.mark.parametrize(("value", "level"), [("info", logging.INFO), (" DEBUG ", logging.DEBUG)])
def test_octave_log_adds_a_stderr_handler(
    monkeypatch: pytest.MonkeyPatch, value: str, level: int
) -> None:
    monkeypatch.setenv("OCTAVE_LOG", value)
    configure_logging_from_env()
    assert (1, level) == (len(logger.handlers), logger.level)


@pytest.mark.parametrize("value", ["", "warning", "yes"])
def test_any_other_value_changes_nothing(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("OCTAVE_LOG", value)
    configure_logging_from_env()
    assert ([], logging.NOTSET) == (logger.handlers, logger.level)


def test_an_app_that_set_up_the_logger_keeps_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    mine = logging.NullHandler()
    logger.addHandler(mine)
    monkeypatch.setenv("OCTAVE_LOG", "debug")
    configure_logging_from_env()
    assert [mine] == logger.handlers
