"""Reaching a server on this machine: a free port to start it on, and waiting for its answer."""

from __future__ import annotations

import http.client
import socket
import time
from collections.abc import Callable
from urllib.parse import urlsplit


class NotAnswering(RuntimeError):
    """The server did not answer in time, or it stopped while we waited."""


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on right now, for a server started as a process."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until(
    ready: Callable[[], bool],
    timeout: float,
    *,
    what: str,
    still_running: Callable[[], bool] = lambda: True,
) -> None:
    """Poll `ready()` until it is true: the one waiting loop of the kit, its tests and bench.

    Raises NotAnswering when `timeout` seconds pass, or at once when `still_running()`
    says the server (a process or a thread) has gone.
    """
    deadline = time.monotonic() + timeout
    while not ready():
        if not still_running():
            raise NotAnswering(f"{what} stopped before it answered")
        if time.monotonic() > deadline:
            raise NotAnswering(f"{what} did not answer within {timeout:.0f} s")
        time.sleep(0.02)


def answers(url: str, headers: dict[str, str] | None = None) -> bool:
    """Whether a GET of `url` gets an answer, of any status."""
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=2)
    try:
        connection.request("GET", target or "/", headers=headers or {})
        connection.getresponse().read()
        return True
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()


def wait_until_answering(
    url: str,
    timeout: float,
    *,
    headers: dict[str, str] | None = None,
    still_running: Callable[[], bool] = lambda: True,
) -> None:
    """Poll `url` with GET until the server answers with any status (see `wait_until`)."""
    wait_until(
        lambda: answers(url, headers),
        timeout,
        what=f"the server for {url}",
        still_running=still_running,
    )
