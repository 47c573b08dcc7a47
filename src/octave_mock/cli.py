"""`octave-mock`: serve the mock, proxy to an upstream checking the contract, or check a seed."""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import logging
import os
import re
import signal
import socket
import sys
import threading
from collections.abc import Sequence
from dataclasses import replace
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn
from urllib.parse import urlsplit

import uvicorn
import yaml
from uvicorn.supervisors import Multiprocess

from octave_kit.contract_file import SPEC_PATH
from octave_mock.app import MockApp, MockServer, create_app
from octave_mock.auth import key_hint
from octave_mock.fault_flags import FLAGS, add_fault_arguments, faults_from
from octave_mock.faults import UnknownOperation
from octave_mock.http_io import UVICORN_OPTIONS
from octave_mock.seed import DEFAULT_SEED, Seed, SeedError, load_seed
from octave_mock.settings import IN_MEMORY, RATE_FAULTS, Faults, Settings
from octave_mock.spec import Spec

DISTRIBUTION = "octave-contract-kit"
# How `serve --workers N` hands its command line to the worker processes it spawns.
WORKER_ARGV_ENV = "OCTAVE_MOCK_WORKER_ARGV"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# With workers, each line says which process wrote it.
WORKERS_LOG_FORMAT = "%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s"
log = logging.getLogger("octave_mock")
proxy_log = logging.getLogger("octave_proxy")


def kit_version() -> str:
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return "unknown (not installed)"


class StartupError(Exception):
    """The server cannot start: what is wrong, and the flag (with its value) at fault."""

    def __init__(self, what: str, flag: str) -> None:
        super().__init__(f"{what} ({flag})")


class Parser(argparse.ArgumentParser):
    """argparse, with a refused flag said in one line (its usage block is what --help is for)."""

    def error(self, message: str) -> NoReturn:
        found = re.fullmatch(r"argument (?P<flag>[^:]+): (?P<what>.*)", message, re.DOTALL)
        if found and found["flag"].startswith("-"):
            said = f"{found['what']} ({found['flag']})"
        else:  # a missing or unknown command or flag: --help lists them
            said = f"{found['what'] if found else message} ({self.prog} --help)"
        self.exit(2, f"octave-mock: {said}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="octave-mock", description="A stateful, spec-driven mock of Octave's v2 REST API."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {kit_version()}")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve the mock over HTTP")
    _add_server_options(serve, port=8765)
    serve.add_argument(
        "--db",
        default=IN_MEMORY,
        help="SQLite database file, kept across restarts (default: in memory, fresh each start)",
    )
    _add_spec_and_seed(serve)
    serve.add_argument(
        "--reset-db",
        action="store_true",
        help="replace what the --db file holds with the seed",
    )
    serve.add_argument(
        "--validate-responses",
        action="store_true",
        help="check every response against the spec; one off the contract becomes a 500",
    )
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="serve from N processes sharing the --db file (default: %(default)s)",
    )
    serve.add_argument(
        "--journal-size",
        type=_journal_size,
        default=Settings.journal_size,
        metavar="N",
        help="keep the last N requests in the journal, GET /_mock/requests (0: off; "
        "default: %(default)s)",
    )
    add_fault_arguments(serve)

    proxy = commands.add_parser(
        "proxy", help="forward to an upstream, checking every request and answer against the spec"
    )
    proxy.add_argument(
        "--upstream", required=True, type=_upstream, help="e.g. https://app.octavehq.com"
    )
    _add_server_options(proxy, port=8766)
    proxy.add_argument("--spec", type=Path, default=SPEC_PATH, help="(default: %(default)s)")
    proxy.add_argument(
        "--report",
        type=Path,
        metavar="FILE",
        help="append a JSON Lines report to FILE; at exit, write the drift report beside it",
    )
    proxy.add_argument(
        "--record",
        type=Path,
        metavar="FILE",
        help="at exit, write every object answered into FILE, a seed for serve --seed",
    )
    proxy.add_argument(
        "--errors",
        action="store_true",
        help="refuse bad requests (400, not forwarded) and bad answers (502)",
    )
    proxy.add_argument(
        "--read-only", action="store_true", help="refuse all but GET, HEAD and OPTIONS (403)"
    )
    proxy.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        help="seconds to wait for the upstream (default: %(default)s)",
    )

    check = commands.add_parser("check-seed", help="validate a seed file against the spec")
    _add_spec_and_seed(check)

    drift = commands.add_parser(
        "drift", help="print a drift report (written by proxy --report) as a table"
    )
    drift.add_argument("report", type=Path, metavar="REPORT", help="e.g. proxy.drift.json")
    return parser


def _add_server_options(parser: argparse.ArgumentParser, port: int) -> None:
    """What every command that serves HTTP takes: where, how much it logs, how big a body."""
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default: %(default)s)"
    )
    parser.add_argument("--port", type=_port, default=port, help="port (default: %(default)s)")
    parser.add_argument(
        "--log-level",
        default="info",
        choices=["critical", "error", "warning", "info", "debug"],
        help="(default: %(default)s)",
    )
    parser.add_argument(
        "--max-body-bytes", type=int, default=1024 * 1024, help="(default: %(default)s)"
    )


def _port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number, 0 to 65535")
    return int(text)


def _add_spec_and_seed(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--spec", type=Path, default=SPEC_PATH, help="(default: %(default)s)")
    parser.add_argument("--seed", type=Path, help="seed YAML (default: the bundled seed)")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    try:
        if args.command == "check-seed":
            return check_seed(args)
        if args.command == "proxy":
            return proxy(args)
        if args.command == "drift":
            return drift(args)
        return serve(args, argv)
    except UnknownOperation as exc:
        print(
            f"octave-mock: {FLAGS[exc.fault]}: @{exc.operation} is not an operation of the spec "
            f"({', '.join(exc.known)})",
            file=sys.stderr,
        )
        return 2
    except (StartupError, SeedError, ValueError, OSError, KeyError, yaml.YAMLError) as exc:
        print(f"octave-mock: {exc}", file=sys.stderr)
        return 2


def check_seed(args: argparse.Namespace) -> int:
    path = args.seed or DEFAULT_SEED
    seed = load_seed(path, Spec.load(args.spec))
    print(f"{path}: {seed_size(seed)}: valid")
    return 0


def _journal_size(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r}: give a whole number of requests, 0 or more")
    return int(text)


def _upstream(text: str) -> str:
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
        raise argparse.ArgumentTypeError(
            f"{text!r}: give an http(s) URL such as https://app.octavehq.com"
        )
    return text.rstrip("/")


def proxy(args: argparse.Namespace) -> int:
    # Imported here: the proxy brings httpx, which serving the mock does not need.
    from octave_proxy import ProxySettings, ValidatingProxy
    from octave_proxy.drift import drift_path

    logging.basicConfig(level=args.log_level.upper(), format=LOG_FORMAT)
    debug = args.log_level == "debug"
    # httpx logs every request at INFO; the proxy's own access line says it once.
    logging.getLogger("httpx").setLevel(logging.DEBUG if debug else logging.WARNING)
    app = ValidatingProxy(
        ProxySettings(
            upstream=args.upstream,
            spec_path=args.spec,
            errors=args.errors,
            read_only=args.read_only,
            report_path=args.report,
            record_path=args.record,
            timeout_seconds=args.timeout,
            max_body_bytes=args.max_body_bytes,
        )
    )
    report = (
        f"{args.report} (JSON Lines, appended); drift report at exit: {drift_path(args.report)}"
        if args.report
        else "none (--report FILE)"
    )
    listening = listen(args)
    lines = [
        f"octave-mock {kit_version()} proxying http://{args.host}:{args.port} to {args.upstream}",
        f"contract: {args.spec} ({len(app.spec.by_id)} operations)",
        "violations: "
        + ("refused (--errors)" if args.errors else "reported, requests forwarded")
        + ("; all but GET, HEAD and OPTIONS refused (--read-only)" if args.read_only else ""),
        f"report: {report}",
        f"recording: {f'into {args.record} at exit' if args.record else 'off (--record FILE)'}",
    ]
    for line in lines:
        proxy_log.info("%s", line)
    try:
        return run_server(app, args, listening)
    finally:
        for note in app.closing_notes:
            print(note, flush=True)


def drift(args: argparse.Namespace) -> int:
    from octave_proxy.drift import read_report, table

    print(table(read_report(args.report)))
    return 0


def settings_from(args: argparse.Namespace) -> Settings:
    return Settings(
        spec_path=args.spec,
        db_path=args.db,
        seed_path=args.seed,
        reset_db=args.reset_db,
        validate_responses=args.validate_responses,
        max_body_bytes=args.max_body_bytes,
        journal_size=args.journal_size,
        faults=faults_from(args),
    )


def serve(args: argparse.Namespace, argv: list[str]) -> int:
    log_format = WORKERS_LOG_FORMAT if args.workers > 1 else LOG_FORMAT
    logging.basicConfig(level=args.log_level.upper(), format=log_format)
    refusal = _workers_refusal(args)
    if refusal:
        print(f"octave-mock: {refusal}", file=sys.stderr)
        return 2
    if args.db != IN_MEMORY:
        Path(args.db).parent.mkdir(parents=True, exist_ok=True)
    # Built here even for workers: a bad spec, seed or database fails once, in this
    # process, and the file is seeded (or reset) before any worker opens it.
    app = create_app(settings_from(args))
    listening = listen(args)
    for line in summary(app.server, args):
        log.info("%s", line)
    if args.workers > 1:
        app.server.close()
        os.environ[WORKER_ARGV_ENV] = json.dumps(argv)
        config = uvicorn.Config(
            f"{__name__}:worker_app", factory=True, workers=args.workers, **server_options(args)
        )
        # uvicorn's supervisor (what uvicorn.run uses for workers, here given the socket
        # bound above) stops its workers on SIGINT and SIGTERM and exits 0.
        Multiprocess(config, sockets=[listening]).run()
        return 0
    return run_server(app, args, listening)


def server_options(args: argparse.Namespace) -> dict[str, Any]:
    return {**UVICORN_OPTIONS, "host": args.host, "port": args.port, "log_level": args.log_level}


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
        signal.signal(signal.SIGTERM, _exit_cleanly)
    # uvicorn's own lines (start-up, shutdown), in this log's format, only when debugging.
    debug = args.log_level == "debug"
    quiet = {"log_config": None, "log_level": "debug" if debug else "warning"}
    server = uvicorn.Server(uvicorn.Config(app, **{**server_options(args), **quiet}))
    # uvicorn shuts down gracefully on Ctrl-C too, then raises KeyboardInterrupt (which
    # uvicorn.run swallows, as this does).
    with contextlib.suppress(KeyboardInterrupt):
        server.run(sockets=[listening])
    return 0


def seed_size(seed: Seed) -> str:
    """ "3 workspaces, 4 keys, 19 objects", each in the singular for one."""
    counts = (
        (len(seed.workspaces), "workspace"),
        (len(seed.keys), "key"),
        (seed.object_count, "object"),
    )
    return ", ".join(f"{n} {word}{'' if n == 1 else 's'}" for n, word in counts)


def summary(server: MockServer, args: argparse.Namespace) -> list[str]:
    """What the mock serves, for its first log lines: never a whole key."""
    settings = server.settings
    workers = f"{args.workers} worker{'s' if args.workers > 1 else ''}"
    database = (
        f"in memory ({server.database_state})"
        if settings.db_path == IN_MEMORY
        else f"{settings.db_path} (file, {server.database_state})"
    )
    seed = server.seed
    loaded = "loaded" if server.database_state != "reused" else "not loaded: data kept"
    lines = [
        f"octave-mock {kit_version()} serving http://{args.host}:{args.port} ({workers})",
        f"database: {database}",
        f"seed: {seed.path} ({seed_size(seed)}; {loaded})",
    ]
    for oid, name in seed.workspaces.items():
        keys = ", ".join(
            f"{key_hint(key.key)} ({'read-only' if key.read_only else 'read-write'})"
            for key in seed.keys
            if key.workspace_oid == oid
        )
        lines.append(f"workspace {oid} ({name}): keys {keys}")
    lines.append(f"faults: {describe_faults(settings.faults)}")
    return lines


def describe_faults(faults: Faults) -> str:
    described: list[tuple[str, str]] = []  # (the Faults field, what it does)
    low, high = faults.latency_range
    if high:
        described.append(
            ("latency_ms", f"latency {low:g}-{high:g} ms" if low != high else f"latency {low:g} ms")
        )
    if faults.rate_limit is not None:
        limit = faults.rate_limit
        described.append(
            ("rate_limit", f"rate limit {limit.requests} per {limit.per_seconds:g} s per key")
        )
    for name in RATE_FAULTS:
        rate = getattr(faults, name)
        if rate:
            described.append((name, f"{name.removesuffix('_rate')} {rate:.0%}"))
    text = [
        f"{what} ({faults.only[name]} only)" if name in faults.only else what
        for name, what in described
    ]
    if faults.seed is not None and text:
        text.append(f"seed {faults.seed}")
    return "; ".join(text) or "none"


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
    """The app of one `--workers` process, from the command line its parent checked."""
    args = build_parser().parse_args(json.loads(os.environ[WORKER_ARGV_ENV]))
    logging.basicConfig(level=args.log_level.upper(), format=WORKERS_LOG_FORMAT)
    # The parent has already reset the database, if asked: a worker must not again.
    return create_app(replace(settings_from(args), reset_db=False))


def _exit_cleanly(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)
