"""`octave-mock`: serve the mock, or check a seed file."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

import uvicorn
import yaml

from octave_mock.app import create_app
from octave_mock.seed import DEFAULT_SEED, SeedError, load_seed
from octave_mock.settings import DEFAULT_SPEC, IN_MEMORY, Faults, Settings
from octave_mock.spec import Spec


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
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC, help="(default: %(default)s)")
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
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
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
    if args.db != IN_MEMORY:
        Path(args.db).parent.mkdir(parents=True, exist_ok=True)
    app = create_app(settings)
    # uvicorn shuts down gracefully on SIGTERM, then re-raises it to the handler it
    # found; by default that kills the process (status -15). This handler makes a
    # SIGTERM, before or after serving, a clean exit with status 0, as SIGINT is.
    if threading.current_thread() is threading.main_thread():  # signals need the main thread
        signal.signal(signal.SIGTERM, _exit_cleanly)
    # Our own access log replaces uvicorn's: one line per request, with its requestId.
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, access_log=False)
    return 0


def _exit_cleanly(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)
