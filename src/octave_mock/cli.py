"""`octave-mock`: serve the mock, or check a seed file."""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

import uvicorn
import yaml

from octave_kit.contract_file import SPEC_PATH
from octave_mock.app import MockApp, create_app
from octave_mock.seed import DEFAULT_SEED, SeedError, load_seed
from octave_mock.settings import IN_MEMORY, Faults, Settings
from octave_mock.spec import Spec

# How `serve --workers N` hands its settings to the worker processes it spawns.
WORKER_SETTINGS_ENV = "OCTAVE_MOCK_WORKER_SETTINGS"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# With workers, each line says which process wrote it.
WORKERS_LOG_FORMAT = "%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="octave-mock", description="A stateful, spec-driven mock of Octave's v2 REST API."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve the mock over HTTP")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s)")
    serve.add_argument("--port", type=int, default=8765, help="port (default: %(default)s)")
    serve.add_argument(
        "--db",
        default=IN_MEMORY,
        help="SQLite database file, kept across restarts (default: in memory, fresh each start)",
    )
    _add_spec_and_seed(serve)
    serve.add_argument(
        "--log-level",
        default="info",
        choices=["critical", "error", "warning", "info", "debug"],
        help="(default: %(default)s)",
    )
    serve.add_argument(
        "--validate-responses",
        action="store_true",
        help="check every response against the spec; one off the contract becomes a 500",
    )
    serve.add_argument(
        "--max-body-bytes", type=int, default=1024 * 1024, help="(default: %(default)s)"
    )
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="serve from N processes sharing the --db file (default: %(default)s)",
    )
    faults = serve.add_argument_group("fault injection (off by default)")
    faults.add_argument("--latency-ms", type=float, default=0.0, help="delay every API request")
    faults.add_argument(
        "--rate-limit", type=int, metavar="N", help="allow N requests a minute per key, then 429"
    )
    faults.add_argument(
        "--error-rate", type=float, default=0.0, help="fraction of API requests that get a 500"
    )
    faults.add_argument("--fault-seed", type=int, help="seed for --error-rate, for repeatable runs")

    check = commands.add_parser("check-seed", help="validate a seed file against the spec")
    _add_spec_and_seed(check)
    return parser


def _add_spec_and_seed(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--spec", type=Path, default=SPEC_PATH, help="(default: %(default)s)")
    parser.add_argument(
        "--seed", type=Path, default=DEFAULT_SEED, help="seed YAML (default: the bundled seed)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "check-seed":
            return check_seed(args)
        return serve(args)
    except (SeedError, ValueError, OSError, KeyError, yaml.YAMLError) as exc:
        print(f"octave-mock: {exc}", file=sys.stderr)
        return 2


def check_seed(args: argparse.Namespace) -> int:
    seed = load_seed(args.seed, Spec.load(args.spec))
    print(
        f"{args.seed}: {len(seed.workspaces)} workspaces, {len(seed.keys)} keys, "
        f"{len(seed.entries)} objects: valid"
    )
    return 0


def serve(args: argparse.Namespace) -> int:
    log_format = WORKERS_LOG_FORMAT if args.workers > 1 else LOG_FORMAT
    logging.basicConfig(level=args.log_level.upper(), format=log_format)
    settings = Settings(
        spec_path=args.spec,
        db_path=args.db,
        seed_path=args.seed,
        validate_responses=args.validate_responses,
        max_body_bytes=args.max_body_bytes,
        faults=Faults(
            latency_ms=args.latency_ms,
            rate_limit_per_minute=args.rate_limit,
            error_rate=args.error_rate,
            seed=args.fault_seed,
        ),
    )
    refusal = _workers_refusal(args)
    if refusal:
        print(f"octave-mock: {refusal}", file=sys.stderr)
        return 2
    if args.db != IN_MEMORY:
        Path(args.db).parent.mkdir(parents=True, exist_ok=True)
    # Built here even for workers: a bad spec, seed or database fails once, in this
    # process, and the file is seeded before any worker opens it.
    app = create_app(settings)
    # Our own access log replaces uvicorn's: one line per request, with its requestId.
    # No proxy-header rewriting and no `server: uvicorn` header: the mock is not behind a
    # proxy, and Octave sends no such header; both cost time on every request.
    options = {
        "host": args.host,
        "port": args.port,
        "log_level": args.log_level,
        "access_log": False,
        "proxy_headers": False,
        "server_header": False,
    }
    if args.workers > 1:
        app.server.store.close()
        os.environ[WORKER_SETTINGS_ENV] = json.dumps(
            {"log_level": args.log_level, "settings": dataclasses.asdict(settings)}, default=str
        )
        # uvicorn's supervisor stops its workers on SIGINT and SIGTERM and exits 0.
        uvicorn.run(
            f"{__name__}:worker_app",
            factory=True,
            workers=args.workers,
            **options,
        )
        return 0
    # uvicorn shuts down gracefully on SIGTERM, then re-raises it to the handler it
    # found; by default that kills the process (status -15). This handler makes a
    # SIGTERM, before or after serving, a clean exit with status 0, as SIGINT is.
    if threading.current_thread() is threading.main_thread():  # signals need the main thread
        signal.signal(signal.SIGTERM, _exit_cleanly)
    uvicorn.run(app, **options)
    return 0


def _workers_refusal(args: argparse.Namespace) -> str | None:
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
    """The app of one `--workers` process, from the settings its parent checked."""
    handed = json.loads(os.environ[WORKER_SETTINGS_ENV])
    logging.basicConfig(level=handed["log_level"].upper(), format=WORKERS_LOG_FORMAT)
    raw = handed["settings"]
    settings = Settings(
        **{
            **raw,
            "spec_path": Path(raw["spec_path"]),
            "seed_path": Path(raw["seed_path"]),
            "faults": Faults(**raw["faults"]),
        }
    )
    return create_app(settings)


def _exit_cleanly(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)
