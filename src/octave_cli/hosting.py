"""Hosting an ASGI app on a socket: bound first (a failure names the flag), served by uvicorn
until Ctrl-C or SIGTERM, which both end it cleanly."""

from __future__ import annotations

import argparse
import contextlib
import errno
import signal
import socket
import threading
from types import FrameType
from typing import Any

import uvicorn

from octave_kit.http_io import UVICORN_OPTIONS

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class StartupError(Exception):
    """The server cannot start: what is wrong, and the flag (with its value) at fault."""

    def __init__(self, what: str, flag: str) -> None:
        super().__init__(f"{what} ({flag})")


def server_options(args: argparse.Namespace) -> dict[str, Any]:
    """uvicorn's settings, one worker or N: its own lines (start-up, shutdown) only when
    debugging, and then in this log's format."""
    log_level = "debug" if args.log_level == "debug" else "warning"
    return {
        **UVICORN_OPTIONS,
        "host": args.host,
        "port": args.port,
        "log_config": None,
        "log_level": log_level,
    }


def listen(args: argparse.Namespace) -> socket.socket:
    """The server's socket, bound before anything is logged: a failure is one line, naming the flag.

    uvicorn binds its own socket only once it is serving, and logs a failure among its
    start-up lines; handed this one, it serves it as it would its own.
    """
    try:
        family, *_, address = socket.getaddrinfo(
            args.host, args.port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as exc:
        raise StartupError(
            f"cannot find the address {args.host}: {exc.strerror}", f"--host {args.host}"
        ) from None
    listening = socket.socket(family, socket.SOCK_STREAM)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listening.bind(address)
    except OSError as exc:
        listening.close()
        if exc.errno in (errno.EADDRINUSE, errno.EACCES):
            raise StartupError(
                f"cannot listen on port {args.port} of {args.host}: {exc.strerror}",
                f"--port {args.port}",
            ) from None
        raise StartupError(
            f"cannot listen on {args.host}: {exc.strerror}", f"--host {args.host}"
        ) from None
    listening.set_inheritable(True)  # the workers of --workers N serve it too
    args.port = listening.getsockname()[1]  # --port 0 asks for a free port: the summary says which
    return listening


def run_server(app: Any, args: argparse.Namespace, listening: socket.socket) -> int:
    """Serve one ASGI app on `listening` until Ctrl-C or SIGTERM, then exit 0."""
    # uvicorn shuts down gracefully on SIGTERM, then re-raises it to the handler it
    # found; by default that kills the process (status -15). This handler makes a
    # SIGTERM, before or after serving, a clean exit with status 0, as SIGINT is.
    if threading.current_thread() is threading.main_thread():  # signals need the main thread
        signal.signal(signal.SIGTERM, exit_cleanly)
    server = uvicorn.Server(uvicorn.Config(app, **server_options(args)))
    # uvicorn shuts down gracefully on Ctrl-C too, then raises KeyboardInterrupt (which
    # uvicorn.run swallows, as this does).
    with contextlib.suppress(KeyboardInterrupt):
        server.run(sockets=[listening])
    return 0


def exit_cleanly(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)
