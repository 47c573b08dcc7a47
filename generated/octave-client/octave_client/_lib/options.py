# Generated from openapi.yaml by `make generate`: do not edit.
# Copied from client_lib/options.py: edit that file.
"""A client's settings: from its arguments, else the environment, else the SDK's defaults."""

import math
import os
from collections.abc import Mapping

import httpx

from .errors import OctaveError
from .retries import DEFAULT_MAX_RETRIES

# openapi.yaml's first server (the generator does not pass `servers` to templates; a test
# compares them).
DEFAULT_BASE_URL = "https://app.octavehq.com"
# A finite timeout (httpx's `None` would wait forever), 5 s to connect.
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)


class Options:
    """What a client and its `with_options` copies share, and what they may change.

    An argument left at None is read from the environment (OCTAVE_API_KEY, OCTAVE_BASE_URL,
    OCTAVE_TIMEOUT, OCTAVE_MAX_RETRIES), else takes the SDK's default.
    """

    def __init__(
        self,
        api_key: str | None,
        base_url: str | None,
        timeout: float | httpx.Timeout | None,
        max_retries: int | None,
        default_headers: Mapping[str, str] | None,
        user_agent: str,
    ) -> None:
        api_key = api_key if api_key is not None else os.environ.get("OCTAVE_API_KEY")
        if not api_key:
            raise OctaveError(
                "No API key: pass Octave(api_key=...) or set the OCTAVE_API_KEY environment"
                " variable."
            )
        if timeout is None:
            timeout = timeout_from_env() or DEFAULT_TIMEOUT
        if max_retries is None:
            max_retries = max_retries_from_env()
            max_retries = DEFAULT_MAX_RETRIES if max_retries is None else max_retries
        if max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        self.api_key = api_key
        self.base_url = checked_base_url(base_url)
        self.timeout = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        self.max_retries = max_retries
        self.default_headers = dict(default_headers or {})
        self.user_agent = user_agent

    def headers(self) -> dict[str, str]:
        """Every request's headers: the key and the User-Agent, then `default_headers` over them."""
        headers = httpx.Headers({"api_key": self.api_key, "User-Agent": self.user_agent})
        headers.update(self.default_headers)
        return dict(headers.items())

    def replace(self, timeout: float | httpx.Timeout | None, max_retries: int | None) -> "Options":
        """These options with another timeout or retry count (None keeps this one's)."""
        return Options(
            self.api_key,
            self.base_url,
            self.timeout if timeout is None else timeout,
            self.max_retries if max_retries is None else max_retries,
            self.default_headers,
            self.user_agent,
        )


def checked_base_url(given: str | None) -> str:
    """The base URL, refused at once when no request to it could work (no http(s) scheme or
    no host)."""
    source = "base_url" if given else "OCTAVE_BASE_URL"
    base_url = given or os.environ.get("OCTAVE_BASE_URL") or DEFAULT_BASE_URL
    try:
        url = httpx.URL(base_url)
    except httpx.InvalidURL as exc:
        raise OctaveError(f"{source} {base_url!r} is not a URL: {exc}") from exc
    if url.scheme not in ("http", "https") or not url.host:
        raise OctaveError(
            f"{source} {base_url!r} needs an http:// or https:// scheme and a host,"
            f" e.g. {DEFAULT_BASE_URL}"
        )
    return base_url.rstrip("/")


def _environment(name: str) -> str | None:
    """A variable's value, None when it is unset, empty or blank."""
    return os.environ.get(name, "").strip() or None


def timeout_from_env() -> float | None:
    """OCTAVE_TIMEOUT in seconds (a number above 0), or None when it is not set."""
    text = _environment("OCTAVE_TIMEOUT")
    if text is None:
        return None
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds > 0):
        raise ValueError(
            f"OCTAVE_TIMEOUT={text!r} is not a timeout: give seconds above 0, e.g. 2.5"
        )
    return seconds


def max_retries_from_env() -> int | None:
    """OCTAVE_MAX_RETRIES (a whole number, 0 or more), or None when it is not set."""
    text = _environment("OCTAVE_MAX_RETRIES")
    if text is None:
        return None
    if not text.isdecimal():
        raise ValueError(
            f"OCTAVE_MAX_RETRIES={text!r} is not a retry count: give a whole number, 0 or more"
        )
    return int(text)
