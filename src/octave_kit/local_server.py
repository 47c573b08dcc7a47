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


def wait_until_answering(
    url: str,
    timeout: float,
    *,
    headers: dict[str, str] | None = None,
    still_running: Callable[[], bool] = lambda: True,
) -> None:
    """Poll `url` with GET until the server answers with any status.

    Raises NotAnswering when `timeout` seconds pass, or at once when
    `still_running()` says the server's process has gone.
    """
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    deadline = time.monotonic() + timeout
    while True:
        if not still_running():
            raise NotAnswering(f"the server for {url} stopped before it answered")
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=2)
        try:
            connection.request("GET", target or "/", headers=headers or {})
            connection.getresponse().read()
            return
        except (OSError, http.client.HTTPException):
            if time.monotonic() > deadline:
                raise NotAnswering(f"nothing answered at {url} within {timeout:.0f} s") from None
            time.sleep(0.02)
        finally:
            connection.close()
