"""`serve --workers N`: N processes serving one socket, supervised by uvicorn, each building
its app from the command line its parent checked."""

from __future__ import annotations

import argparse
import json
import logging
import os
import socket
from dataclasses import replace

import uvicorn
from uvicorn.supervisors import Multiprocess

from octave_cli.hosting import server_options
from octave_cli.parsing import build_parser, settings_from
from octave_mock.app import MockApp, create_app
from octave_mock.settings import IN_MEMORY

# How `serve --workers N` hands its command line to the worker processes it spawns.
WORKER_ARGV_ENV = "OCTAVE_MOCK_WORKER_ARGV"
# With workers, each line says which process wrote it.
WORKERS_LOG_FORMAT = "%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s"


def workers_refusal(args: argparse.Namespace) -> str | None:
    """Why --workers N cannot serve with these flags, if it cannot."""
    if args.workers < 1:
        return "--workers: must be 1 or more"
    if args.workers == 1:
        return None
    if args.db == IN_MEMORY:
        return (
            f"--workers {args.workers} needs --db FILE: an in-memory database "
            "belongs to one process, so each worker would serve its own state"
        )
    for flag, value in (("--rate-limit", args.rate_limit), ("--fault-seed", args.fault_seed)):
        if value is not None:
            return (
                f"{flag} counts within one process, so it cannot be combined with "
                f"--workers {args.workers}; serve with --workers 1"
            )
    return None


def worker_app() -> MockApp:
    """The app of one `--workers` process, from the command line its parent checked."""
    args = build_parser().parse_args(json.loads(os.environ[WORKER_ARGV_ENV]))
    logging.basicConfig(level=args.log_level.upper(), format=WORKERS_LOG_FORMAT)
    # The parent has already reset the database, if asked: a worker must not again.
    return create_app(replace(settings_from(args), reset_db=False))


def serve_with_workers(args: argparse.Namespace, argv: list[str], listening: socket.socket) -> None:
    """Hand the command line to the workers and supervise them until SIGINT or SIGTERM."""
    os.environ[WORKER_ARGV_ENV] = json.dumps(argv)
    config = uvicorn.Config(
        f"{__name__}:worker_app", factory=True, workers=args.workers, **server_options(args)
    )
    # uvicorn's supervisor (what uvicorn.run uses for workers, here given the socket
    # bound above) stops its workers on SIGINT and SIGTERM and exits 0.
    Multiprocess(config, sockets=[listening]).run()
