"""`octave-mock`: serve the mock, proxy to an upstream checking the contract, or check a seed.

Each command here; its arguments in parsing.py, the socket and server in hosting.py, and the
worker processes of `serve --workers N` in workers.py.
"""

from __future__ import annotations

import argparse
import logging
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

import yaml

from octave_cli import coverage
from octave_cli.hosting import LOG_FORMAT, StartupError, listen, run_server
from octave_cli.parsing import build_parser, kit_version, settings_from
from octave_cli.workers import WORKERS_LOG_FORMAT, serve_with_workers, workers_refusal
from octave_kit.contract_model import ContractError
from octave_kit.impact import COULD_NOT_JUDGE, judge_files
from octave_kit.keys import key_hint
from octave_kit.pact import PactError
from octave_kit.pact_writer import project_name
from octave_kit.seed import DEFAULT_SEED, Seed, SeedError, load_seed
from octave_kit.spec import Spec
from octave_mock.app import MockServer, create_app
from octave_mock.faults import RATE_FAULTS, Faults, UnknownOperation
from octave_mock.settings import IN_MEMORY

log = logging.getLogger("octave_mock")
proxy_log = logging.getLogger("octave_proxy")


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
        if args.command == "coverage":
            return coverage.run(args)
        if args.command == "impact":
            return impact(args)
        return serve(args, argv)
    except UnknownOperation as exc:
        print(f"octave-mock: {exc.as_flag()}", file=sys.stderr)
        return 2
    except ContractError as exc:  # every command but impact reads its contract from --spec
        print(f"octave-mock: {exc} (--spec)", file=sys.stderr)
        return 2
    except (StartupError, SeedError, ValueError, OSError, KeyError, yaml.YAMLError) as exc:
        print(f"octave-mock: {exc}", file=sys.stderr)
        return 2


def impact(args: argparse.Namespace) -> int:
    """Exit 0 compatible, 1 incompatible, 2 could not judge (a file it cannot read)."""
    try:
        text, code = judge_files(args.pact, args.spec, args.baseline)
    except (PactError, ContractError) as exc:
        print(f"octave-mock impact: {exc}", file=sys.stderr)
        print(COULD_NOT_JUDGE)
        return 2
    print(text)
    return code


def check_seed(args: argparse.Namespace) -> int:
    path = args.seed or DEFAULT_SEED
    seed = load_seed(path, Spec.load(args.spec))
    print(f"{path}: {seed_size(seed)}: valid")
    return 0


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
            pact_path=args.pact,
            pact_consumer=args.pact_consumer or project_name(Path.cwd()),
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
        f"pact: {f'into {args.pact} at exit' if args.pact else 'off (--pact FILE)'}",
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


def serve(args: argparse.Namespace, argv: list[str]) -> int:
    log_format = WORKERS_LOG_FORMAT if args.workers > 1 else LOG_FORMAT
    logging.basicConfig(level=args.log_level.upper(), format=log_format)
    refusal = workers_refusal(args)
    if refusal:
        print(f"octave-mock: {refusal}", file=sys.stderr)
        return 2
    try:
        if args.db != IN_MEMORY:
            Path(args.db).parent.mkdir(parents=True, exist_ok=True)
        # Built here even for workers: a bad spec, seed or database fails once, in this
        # process, and the file is seeded (or reset) before any worker opens it.
        app = create_app(settings_from(args))
    except (OSError, sqlite3.DatabaseError) as exc:
        if args.db == IN_MEMORY:
            raise
        print(
            f"octave-mock: {args.db}: not a database the mock can use: {exc} (--db)",
            file=sys.stderr,
        )
        return 2
    listening = listen(args)
    for line in summary(app.server, args):
        log.info("%s", line)
    if args.workers > 1:
        app.server.close()
        serve_with_workers(args, argv, listening)
        return 0
    return run_server(app, args, listening)


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
