"""The command line's arguments: every command and flag of `octave-mock`, and the settings
they make. A refused flag is one line naming it."""

from __future__ import annotations

import argparse
import re
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit

from octave_cli import coverage
from octave_kit.contract_file import SPEC_PATH
from octave_mock.faults import add_fault_arguments, faults_from
from octave_mock.settings import IN_MEMORY, Settings

DISTRIBUTION = "octave-contract-kit"


def kit_version() -> str:
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return "unknown (not installed)"


class Parser(argparse.ArgumentParser):
    """argparse, with a refused flag said in one line (its usage block is what --help is for)."""

    def error(self, message: str) -> NoReturn:
        found = re.fullmatch(r"argument (?P<flag>[^:]+): (?P<what>.*)", message, re.DOTALL)
        if found and found["flag"].startswith("-"):
            said = f"{found['what']} ({found['flag']})"
        else:  # a missing or unknown command or flag: --help lists them
            said = f"{found['what'] if found else message} ({self.prog} --help)"
        self.exit(2, f"octave-mock: {said}\n")


# What --spec says in every command that reads the contract from it.
SPEC_HELP = "the contract, an OpenAPI document (default: the installed kit's, %(default)s)"


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="octave-mock", description="A stateful, spec-driven mock of Octave's v2 REST API."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {kit_version()}")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = _command(commands, "serve", "serve the mock over HTTP")
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

    proxy = _command(
        commands,
        "proxy",
        "forward to an upstream, checking every request and answer against the spec",
    )
    proxy.add_argument(
        "--upstream", required=True, type=_upstream, help="e.g. https://app.octavehq.com"
    )
    _add_server_options(proxy, port=8766)
    proxy.add_argument("--spec", type=Path, default=SPEC_PATH, help=SPEC_HELP)
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
        "--pact",
        type=Path,
        metavar="FILE",
        help="at exit, write what passed through as a Pact file, for octave-mock impact",
    )
    proxy.add_argument(
        "--pact-consumer",
        metavar="NAME",
        help="the Pact file's consumer (default: the project's name in ./pyproject.toml)",
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

    check = _command(commands, "check-seed", "validate a seed file against the spec")
    _add_spec_and_seed(check)

    drift = _command(
        commands, "drift", "print a drift report (written by proxy --report) as a table"
    )
    drift.add_argument("report", type=Path, metavar="REPORT", help="e.g. proxy.drift.json")

    impact = _command(
        commands,
        "impact",
        "does a contract version break this app? Its Pact file judged against the contract",
    )
    impact.add_argument(
        "--pact", type=Path, required=True, metavar="FILE", help="the app's Pact file"
    )
    impact.add_argument(
        "--spec",
        type=Path,
        default=SPEC_PATH,
        metavar="OPENAPI",
        help="the contract version to judge (default: the installed kit's, %(default)s)",
    )
    impact.add_argument(
        "--baseline",
        type=Path,
        default=SPEC_PATH,
        metavar="OPENAPI",
        help="the contract its changes are listed from (default: the installed kit's)",
    )
    coverage.add_command(commands, spec_help=SPEC_HELP)
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
        help="how much it logs (default: %(default)s)",
    )
    parser.add_argument(
        "--max-body-bytes",
        type=int,
        default=1024 * 1024,
        metavar="N",
        help="refuse a request body over N bytes with 413 (default: %(default)s)",
    )


def _command(
    commands: argparse._SubParsersAction[Parser], name: str, summary: str
) -> argparse.ArgumentParser:
    """A subcommand whose own --help opens with the line `octave-mock --help` lists for it."""
    return commands.add_parser(
        name, help=summary, description=f"{summary[0].upper()}{summary[1:]}."
    )


def _port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number, 0 to 65535")
    return int(text)


def _add_spec_and_seed(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--spec", type=Path, default=SPEC_PATH, help=SPEC_HELP)
    parser.add_argument("--seed", type=Path, help="seed YAML (default: the bundled seed)")


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
