"""client_lib/options.py as it lies in the repository: arguments, else the environment, else
the defaults; a bad value is refused naming where it came from."""

from __future__ import annotations

import re

import httpx
import pytest

from client_lib.errors import OctaveError
from client_lib.options import DEFAULT_BASE_URL, DEFAULT_TIMEOUT, Options
from client_lib.retries import DEFAULT_MAX_RETRIES

VARIABLES = ("OCTAVE_API_KEY", "OCTAVE_BASE_URL", "OCTAVE_TIMEOUT", "OCTAVE_MAX_RETRIES")


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """None of the SDK's variables, but the key; each test sets what it reads."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OCTAVE_API_KEY", "key_from_env")
    return monkeypatch


def options(
    timeout: float | httpx.Timeout | None = None, max_retries: int | None = None
) -> Options:
    return Options(None, None, timeout, max_retries, None, "octave-client/0 test")


def test_without_arguments_or_variables_the_defaults_hold() -> None:
    made = options()
    assert (DEFAULT_TIMEOUT, DEFAULT_MAX_RETRIES) == (made.timeout, made.max_retries)
    assert ("key_from_env", DEFAULT_BASE_URL) == (made.api_key, made.base_url)


def test_octave_timeout_is_seconds_for_every_phase(environment: pytest.MonkeyPatch) -> None:
    environment.setenv("OCTAVE_TIMEOUT", "2.5")
    assert httpx.Timeout(2.5) == options().timeout


def test_octave_max_retries_is_the_retry_count(environment: pytest.MonkeyPatch) -> None:
    environment.setenv("OCTAVE_MAX_RETRIES", "0")
    assert 0 == options().max_retries
    environment.setenv("OCTAVE_MAX_RETRIES", " 5 ")
    assert 5 == options().max_retries


def test_arguments_win_over_the_environment(environment: pytest.MonkeyPatch) -> None:
    environment.setenv("OCTAVE_TIMEOUT", "2.5")
    environment.setenv("OCTAVE_MAX_RETRIES", "5")
    made = options(timeout=7.0, max_retries=0)
    assert (httpx.Timeout(7.0), 0) == (made.timeout, made.max_retries)


def test_an_argument_wins_over_a_bad_variable(environment: pytest.MonkeyPatch) -> None:
    """The environment is read only for what the arguments leave out."""
    environment.setenv("OCTAVE_TIMEOUT", "soon")
    environment.setenv("OCTAVE_MAX_RETRIES", "many")
    made = options(timeout=1.0, max_retries=1)
    assert (httpx.Timeout(1.0), 1) == (made.timeout, made.max_retries)


@pytest.mark.parametrize("value", ["", "   "])
def test_an_empty_variable_is_unset(environment: pytest.MonkeyPatch, value: str) -> None:
    environment.setenv("OCTAVE_TIMEOUT", value)
    environment.setenv("OCTAVE_MAX_RETRIES", value)
    made = options()
    assert (DEFAULT_TIMEOUT, DEFAULT_MAX_RETRIES) == (made.timeout, made.max_retries)


@pytest.mark.parametrize("value", ["soon", "0", "-1", "nan", "inf", "2s", "1e400"])
def test_a_bad_octave_timeout_is_a_value_error_naming_it(
    environment: pytest.MonkeyPatch, value: str
) -> None:
    environment.setenv("OCTAVE_TIMEOUT", value)
    expected = f"OCTAVE_TIMEOUT='{value}' is not a timeout: give seconds above 0, e.g. 2.5"
    with pytest.raises(ValueError, match=f"^{re.escape(expected)}$"):
        options()


@pytest.mark.parametrize("value", ["two", "-1", "1.5", "+2", "0x3"])
def test_a_bad_octave_max_retries_is_a_value_error_naming_it(
    environment: pytest.MonkeyPatch, value: str
) -> None:
    environment.setenv("OCTAVE_MAX_RETRIES", value)
    expected = f"OCTAVE_MAX_RETRIES='{value}' is not a retry count: give a whole number, 0 or more"
    with pytest.raises(ValueError, match=f"^{re.escape(expected)}$"):
        options()


def test_a_negative_max_retries_argument_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^max_retries must be 0 or more$"):
        options(max_retries=-1)


def test_no_key_anywhere_names_the_variable(environment: pytest.MonkeyPatch) -> None:
    environment.delenv("OCTAVE_API_KEY")
    with pytest.raises(OctaveError, match="OCTAVE_API_KEY"):
        options()


@pytest.mark.parametrize(
    ("base_url", "source"), [("app.octavehq.com", "base_url"), ("localhost:8765", "base_url")]
)
def test_a_base_url_no_request_could_reach_is_refused(base_url: str, source: str) -> None:
    with pytest.raises(OctaveError, match=f"^{source} {re.escape(repr(base_url))} needs an http"):
        Options("k", base_url, None, None, None, "ua")


def test_a_bad_octave_base_url_is_named_as_the_variable(environment: pytest.MonkeyPatch) -> None:
    environment.setenv("OCTAVE_BASE_URL", "ftp://example.com")
    with pytest.raises(OctaveError, match=r"^OCTAVE_BASE_URL 'ftp://example\.com' needs an http"):
        options()


def test_default_headers_go_over_the_sdks_own_whatever_their_case() -> None:
    made = Options("k", None, None, None, {"user-agent": "mine", "X-App": "crm"}, "theirs")
    assert {"api_key": "k", "user-agent": "mine", "x-app": "crm"} == made.headers()


def test_replace_keeps_the_rest_and_reads_no_environment(environment: pytest.MonkeyPatch) -> None:
    made = options(timeout=3.0)
    environment.setenv("OCTAVE_TIMEOUT", "soon")
    copy = made.replace(None, 4)
    assert (httpx.Timeout(3.0), 4, made.api_key) == (copy.timeout, copy.max_retries, copy.api_key)
    assert DEFAULT_MAX_RETRIES == made.replace(None, None).max_retries
