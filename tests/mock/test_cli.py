"""`octave-mock`'s commands: `serve` as a process (health, access log, no key in output, clean
stop on signals, what it says it serves), and each refusal to start, one line naming the flag.

A refusal is run through `main()` in this process (the `cli` fixture, tests/cli_main.py).
"""

from __future__ import annotations

import argparse
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import pytest

from octave_cli.parsing import build_parser
from octave_kit.local_server import NotAnswering, free_port, wait_until_answering
from octave_kit.seed import DEFAULT_SEED
from octave_mock import Settings, create_app
from tests.cli_main import Cli
from tests.mock.support import (
    PRODUCT,
    PRODUCT_PATH,
    REFERENCE,
    SEGMENT_PATH,
    UPDATE_PATH,
    bundled_key,
    raw_client,
)

START_SECONDS = 20.0
STOP_SECONDS = 5.0
UNKNOWN_KEY = "mock_not_a_key_7c1e55"
ACCESS = re.compile(r"octave_mock\.access: (?P<line>.*)$")
DURATION = re.compile(r" \d+\.\dms ")


@dataclass
class Served:
    process: subprocess.Popen[str]
    base_url: str
    db: Path

    def stop(self, signum: signal.Signals) -> tuple[int, str, str, float]:
        """Send the signal; the exit status, stdout, stderr and seconds it took to exit."""
        started = time.monotonic()
        self.process.send_signal(signum)
        out, err = self.process.communicate(timeout=STOP_SECONDS * 2)
        return self.process.returncode, out, err, time.monotonic() - started


@contextmanager
def serving(db: Path, *options: str) -> Iterator[Served]:
    """`python -m octave_mock serve` on a free port with a file database, once healthy."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [
            sys.executable,
            "-m",
            "octave_mock",
            "serve",
            "--port",
            str(port),
            "--db",
            str(db),
            *options,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(process, base_url)
        yield Served(process, base_url, db)
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """The mock served as a process, its database in a folder --db has to create."""
    with serving(tmp_path / "state" / "mock.db") as process:
        yield process


def wait_until_healthy(process: subprocess.Popen[str], base_url: str) -> None:
    try:
        wait_until_answering(
            f"{base_url}/_mock/health", START_SECONDS, still_running=lambda: process.poll() is None
        )
    except NotAnswering as exc:
        raise AssertionError(f"serve did not answer ({exc}): {process.communicate()}") from None


def access_lines(stderr: str) -> list[str]:
    """The access log's lines, their duration replaced by <ms>."""
    found = [ACCESS.search(line) for line in stderr.splitlines()]
    return [DURATION.sub(" <ms> ", match["line"]) for match in found if match]


def test_serve_logs_each_request_and_stops_on_sigterm(served: Served) -> None:
    """One access line per request (method, path, status, duration, requestId); SIGTERM exits 0."""
    key = bundled_key()
    with raw_client(served.base_url) as http:
        responses = [
            http.get(PRODUCT_PATH, params={"oId": PRODUCT}, headers={"api_key": key}),
            http.get(SEGMENT_PATH, params={"oId": "sg_missing"}, headers={"api_key": key}),
            http.post(
                UPDATE_PATH, json={"oId": REFERENCE, "name": "CLI"}, headers={"api_key": key}
            ),
            http.post(UPDATE_PATH, json={"oId": 1}, headers={"api_key": key}),
            http.get(PRODUCT_PATH, params={"oId": PRODUCT}, headers={"api_key": UNKNOWN_KEY}),
            http.delete(PRODUCT_PATH, headers={"api_key": key}),
        ]
    status, out, err, seconds = served.stop(signal.SIGTERM)
    expected_lines = [
        f"{r.request.method} {r.request.url.path} {r.status_code} <ms> {r.headers['X-Request-Id']}"
        for r in responses
    ]
    assert expected_lines == access_lines(err), err
    expected = (0, [200, 404, 200, 400, 401, 405])
    assert expected == (status, [r.status_code for r in responses]), err
    assert seconds < STOP_SECONDS, seconds
    assert key not in out + err
    assert UNKNOWN_KEY not in out + err
    assert "Traceback" not in err, err
    assert served.db.is_file(), "--db should create the file and its folder"


def test_serve_stops_on_sigint(served: Served) -> None:
    """Ctrl-C (SIGINT) shuts the server down promptly with status 0 and no traceback."""
    with raw_client(served.base_url) as http:
        response = http.get(
            PRODUCT_PATH, params={"oId": PRODUCT}, headers={"api_key": bundled_key()}
        )
    status, _, err, seconds = served.stop(signal.SIGINT)
    expected = (0, 200)
    assert expected == (status, response.status_code), err
    assert seconds < STOP_SECONDS, seconds
    assert "Traceback" not in err, err


def test_serve_keeps_state_in_its_database(served: Served) -> None:
    """An update made through one serve process is there for the next one on the same --db."""
    key = bundled_key()
    with raw_client(served.base_url) as http:
        http.post(UPDATE_PATH, json={"oId": REFERENCE, "name": "Kept"}, headers={"api_key": key})
    served.stop(signal.SIGTERM)
    with serving(served.db) as again, raw_client(again.base_url) as http:
        answer = http.post(UPDATE_PATH, json={"oId": REFERENCE}, headers={"api_key": key})
        again.stop(signal.SIGTERM)
    expected = (200, "Kept")
    assert expected == (answer.status_code, answer.json()["data"]["name"])


def test_serve_with_a_bad_seed_exits_2_without_traceback(cli: Cli, tmp_path: Path) -> None:
    """`serve --seed BAD` does not start: exit 2, the seed's message, no traceback."""
    seed = tmp_path / "bad.yaml"
    seed.write_text("workspaces:\n  - oId: wa_one\n", encoding="utf-8")
    completed = cli("serve", "--port", str(free_port()), "--seed", str(seed))
    expected = (2, "", f"octave-mock: {seed}:2:5: workspaces[0].keys: is required\n")
    assert expected == (completed.returncode, completed.stdout, completed.stderr)


WORKER_REFUSALS = [
    (
        ["--workers", "2"],
        "--workers 2 needs --db FILE: an in-memory database belongs to one process, "
        "so each worker would serve its own state",
    ),
    (
        ["--workers", "2", "--db", "{db}", "--rate-limit", "5"],
        "--rate-limit counts within one process, so it cannot be combined with --workers 2; "
        "serve with --workers 1",
    ),
    (
        ["--workers", "3", "--db", "{db}", "--error-rate", "0.5", "--fault-seed", "7"],
        "--fault-seed counts within one process, so it cannot be combined with --workers 3; "
        "serve with --workers 1",
    ),
    (["--workers", "0"], "--workers: must be 1 or more"),
]


@pytest.mark.parametrize(
    ("flags", "message"), WORKER_REFUSALS, ids=["memory", "rate-limit", "fault-seed", "zero"]
)
def test_serve_refuses_workers_it_cannot_serve_right(
    cli: Cli, tmp_path: Path, flags: list[str], message: str
) -> None:
    """Worker processes need a shared file and no per-process counting: exit 2, the flag named."""
    argv = [flag.format(db=tmp_path / "mock.db") for flag in flags]
    completed = cli("serve", "--port", str(free_port()), *argv)
    expected = (2, "", f"octave-mock: {message}\n")
    assert expected == (completed.returncode, completed.stdout, completed.stderr)


def test_version_is_the_kit_s(cli: Cli) -> None:
    completed = cli("--version")
    expected = (0, f"octave-mock {version('octave-contract-kit')}\n")
    assert expected == (completed.returncode, completed.stdout)


def test_serve_says_what_it_serves(tmp_path: Path) -> None:
    """The first lines: address, database (file, fresh), seed, workspaces with key hints, faults."""
    db = tmp_path / "mock.db"
    with serving(db, "--latency-ms", "5:10@getProduct", "--error-rate", "0.1") as served:
        _, _, err, _ = served.stop(signal.SIGTERM)
    said = [
        line.split("octave_mock: ", 1)[1]
        for line in err.splitlines()
        if " INFO octave_mock: " in line
    ]
    expected = [
        f"octave-mock {version('octave-contract-kit')} serving {served.base_url} (1 worker)",
        f"database: {db} (file, fresh)",
        f"seed: {DEFAULT_SEED} (3 workspaces, 4 keys, 19 objects; loaded)",
        "workspace wa_acme0001 (Acme Onboarding): keys mock_acm…d7e8 (read-write), "
        "mock_acm…13c4 (read-only)",
        "workspace wa_globex001 (Globex Analytics): keys mock_glo…02f1 (read-write)",
        "workspace wa_1234 (Octave's docs): keys mock_doc…2a07 (read-write)",
        "faults: latency 5-10 ms (getProduct only); error 10%",
    ]
    assert expected == said
    assert bundled_key() not in err
    # uvicorn's own start-up and shutdown lines, in another format, come only with debug.
    assert [] == [line for line in err.splitlines() if line.startswith("INFO:")]


def test_a_seed_over_other_data_is_refused_until_reset(cli: Cli, tmp_path: Path) -> None:
    """`--seed` on a database holding other data: exit 2 naming --reset-db; with it, the seed."""
    db = tmp_path / "mock.db"
    create_app(Settings(db_path=str(db))).server.close()  # the bundled seed's data, in the file
    seed = tmp_path / "mine.yaml"
    seed.write_text(
        "workspaces:\n  - oId: wa_mine\n    name: Mine\n    keys: [{key: mine_key_123456}]\n",
        encoding="utf-8",
    )
    refused = cli("serve", "--port", str(free_port()), "--db", str(db), "--seed", str(seed))
    expected = (
        2,
        f"octave-mock: {db}: holds data that is not from {seed}; start with --reset-db "
        "(Settings.reset_db) to replace it with the seed\n",
    )
    assert expected == (refused.returncode, refused.stderr)
    with serving(db, "--seed", str(seed), "--reset-db") as reset:
        with raw_client(reset.base_url) as http:
            mine = http.get(
                PRODUCT_PATH, params={"oId": PRODUCT}, headers={"api_key": "mine_key_123456"}
            )
        _, _, err, _ = reset.stop(signal.SIGTERM)
    assert f"database: {db} (file, reset)" in err, err
    assert 404 == mine.status_code  # the key is the new seed's; the old products are gone
    with serving(db, "--seed", str(seed)) as again:  # the same seed again: its data is kept
        _, _, err, _ = again.stop(signal.SIGTERM)
    assert f"database: {db} (file, reused)" in err, err


RATE = "give N/s, N/min or N/h, N at least 1 (plain N: per minute)"


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--rate-limit", "0"], f"'0' is not a rate: {RATE} (--rate-limit)"),
        (["--rate-limit", "5/week"], f"'5/week' is not a rate: {RATE} (--rate-limit)"),
        (["--latency-ms", "200:50"], "'200:50': need 0 <= LOW <= HIGH (--latency-ms)"),
        (
            ["--latency-ms", "abc"],
            "'abc' is not milliseconds: give MS or LOW:HIGH, e.g. 200 or 50:200 (--latency-ms)",
        ),
        (["--error-rate", "2"], "'2' is not a fraction between 0 and 1 (--error-rate)"),
        (["--gateway-rate", "0.5@"], "'0.5@': name an operation after @ (--gateway-rate)"),
        (["--port", "abc"], "'abc' is not a port number, 0 to 65535 (--port)"),
        (["--port", "70000"], "'70000' is not a port number, 0 to 65535 (--port)"),
        (["--workers", "two"], "invalid int value: 'two' (--workers)"),
        (["--nonsense"], "unrecognized arguments: --nonsense (octave-mock --help)"),
    ],
    ids=[
        "rate-zero",
        "rate-window",
        "latency-reversed",
        "latency-not-a-number",
        "error-rate",
        "operation-missing",
        "port-not-a-number",
        "port-too-high",
        "workers-not-a-number",
        "unknown-flag",
    ],
)
def test_a_bad_flag_is_one_line_naming_it(cli: Cli, flags: list[str], message: str) -> None:
    """argparse refuses the value: exit 2, one line naming the flag, no usage block."""
    completed = cli("serve", *flags)
    expected = (2, "", f"octave-mock: {message}\n")
    assert expected == (completed.returncode, completed.stdout, completed.stderr)


@pytest.mark.parametrize("command", ["serve", "proxy"])
def test_a_port_in_use_is_one_line_naming_the_flag(cli: Cli, command: str) -> None:
    """Nothing is logged as if serving: exit 2, one line naming --port."""
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        upstream = ["--upstream", "http://127.0.0.1:9"] if command == "proxy" else []
        completed = cli(command, "--port", str(port), *upstream)
    said = f"cannot listen on port {port} of 127.0.0.1: Address already in use (--port {port})"
    expected = (2, "", f"octave-mock: {said}\n")
    assert expected == (completed.returncode, completed.stdout, completed.stderr)


@pytest.mark.parametrize(
    ("host", "said"),
    [
        # TEST-NET-1 (RFC 5737): an address no interface of this machine has.
        ("192.0.2.1", "cannot listen on 192.0.2.1: Cannot assign requested address"),
        ("no-such-host.invalid", "cannot find the address no-such-host.invalid: "),
    ],
    ids=["not-this-machine", "no-such-name"],
)
def test_a_host_that_cannot_be_bound_is_one_line_naming_the_flag(
    cli: Cli, host: str, said: str
) -> None:
    """Exit 2 and one line, the system's reason and --host; nothing on stdout."""
    completed = cli("serve", "--host", host, "--port", str(free_port()))
    expected = (2, "", True, True, 1)
    err = completed.stderr
    assert expected == (
        completed.returncode,
        completed.stdout,
        err.startswith(f"octave-mock: {said}"),
        err.endswith(f" (--host {host})\n"),
        err.count("\n"),
    ), err


@pytest.mark.parametrize(
    "command",
    [["serve"], ["check-seed"], ["proxy", "--upstream", "http://127.0.0.1:9"], ["coverage", "x"]],
    ids=lambda command: command[0],
)
@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "cannot be read: No such file or directory"),
        ("{}", "not an OpenAPI document (no paths)"),
    ],
    ids=["missing", "not-openapi"],
)
def test_a_contract_that_cannot_be_read_is_one_line_naming_spec(
    cli: Cli, tmp_path: Path, command: list[str], content: str | None, problem: str
) -> None:
    """Every command reading --spec says which file and why, naming the flag: no traceback."""
    spec = tmp_path / "next-openapi.json"
    if content is not None:
        spec.write_text(content, encoding="utf-8")
    completed = cli(*command, "--spec", str(spec))
    expected = (2, f"octave-mock: {spec}: {problem} (--spec)\n")
    assert expected == (completed.returncode, completed.stderr)


def test_every_command_s_help_says_what_it_and_each_option_do() -> None:
    """`octave-mock CMD --help` opens with what CMD does, and no option is a bare default."""
    (commands,) = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    for name, command in commands.choices.items():
        assert command.description, name
        for action in command._actions:
            said = (action.help or "").split("(default")[0].strip()
            assert said, f"octave-mock {name} {'/'.join(action.option_strings) or action.dest}"


@pytest.mark.parametrize(
    ("make_db", "problem"),
    [
        (lambda folder: folder / "notes.db", "file is not a database"),
        (lambda folder: folder / "notes.db" / "octave.db", "[Errno 17] File exists"),
    ],
    ids=["not-sqlite", "under-a-file"],
)
def test_a_database_it_cannot_use_is_one_line_naming_db(
    cli: Cli, tmp_path: Path, make_db: Callable[[Path], Path], problem: str
) -> None:
    """`serve --db FILE` where FILE is no SQLite database: exit 2, one line, no traceback."""
    (tmp_path / "notes.db").write_text("shopping list\n" * 200, encoding="utf-8")
    db = make_db(tmp_path)
    completed = cli("serve", "--port", "0", "--db", str(db))
    assert (2, "") == (completed.returncode, completed.stdout)
    assert completed.stderr.startswith(f"octave-mock: {db}: not a database the mock can use: ")
    assert f"{problem}" in completed.stderr
    assert completed.stderr.endswith(" (--db)\n")
    assert (tmp_path / "notes.db").read_text(encoding="utf-8") == "shopping list\n" * 200
