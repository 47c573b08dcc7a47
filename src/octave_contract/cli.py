"""`python -m octave_contract mock|live`: run the contract and say what it found.

`mock` starts the mock over HTTP (in-memory SQLite, its seed), runs the
schemathesis CLI with every phase and check (the kit's schemathesis.toml), and
stops the mock. `live` runs a safe subset against the real Octave API
(schemathesis-live.toml): positive data, GET only unless writes are allowed for
one sandbox reference, a bounded rate and count. Both write JUnit and HAR reports
(under ./reports/<target> by default) and print a per-operation summary and the
run's coverage of the contract (coverage.json, .md and .html beside the reports);
the exit status is non-zero on any failure.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from octave_contract.principles import check_over_http
from octave_contract.probes import PROBE_CHECK, probe_mock
from octave_contract.run_inputs import ContractInputs, UsageError, live_inputs, mock_inputs
from octave_contract.sandbox import Snapshot, updatable_fields
from octave_contract.summary import read_har
from octave_kit import coverage_report
from octave_kit.coverage import Model, coverage_of
from octave_kit.local_server import NotAnswering, free_port, wait_until_answering
from octave_kit.spec import Spec
from octave_kit.traffic import Exchange, read_file

MOCK_START_SECONDS = 20.0
RATE_WINDOW_SECONDS = 1.0
# The mock's own log (uvicorn's warnings about the run's malformed requests among it), kept
# out of the run's output.
MOCK_LOG = "mock.log"
COVERAGE_FILES = {"json": "coverage.json", "markdown": "coverage.md", "html": "coverage.html"}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="octave-contract", description=__doc__)
    parser.add_argument("target", choices=["mock", "live"])
    parser.add_argument("--report-dir", type=Path, help="(default: reports/<target>)")
    parser.add_argument(
        "--url", help="mock only: test a server already running there instead of starting one"
    )
    parser.add_argument(
        "--keep-state",
        action="store_true",
        help="with --url: leave the run's writes in the mock instead of resetting it to its seed",
    )
    # Any other option goes to `st run` as it is, e.g. --max-examples 20 or --seed 1.
    args, extra = parser.parse_known_args(argv)
    report_dir = args.report_dir or Path("reports") / args.target
    try:
        if args.target == "live":
            return run_live(live_inputs(os.environ), extra, report_dir)
        inputs = mock_inputs()
        if args.url:
            command = schemathesis_command(inputs, args.url) + extra
            status = run(inputs, command, report_dir, args.url)
            if not args.keep_state:
                reset_mock(args.url)
            return status
        mock_log = report_dir / MOCK_LOG
        with serving_mock(mock_log) as url:
            command = schemathesis_command(inputs, url) + extra
            return run(inputs, command, report_dir, url, mock_log)
    except UsageError as exc:
        print(f"octave-contract: {exc}", file=sys.stderr)
        return 2


def schemathesis_command(inputs: ContractInputs, url: str) -> list[str]:
    """schemathesis' CLI under this interpreter, so its hooks import this very kit."""
    settings, spec = str(inputs.settings), str(inputs.spec)
    cli = [sys.executable, "-m", "schemathesis.cli"]
    return [*cli, "--config-file", settings, "run", spec, "--url", url]


def live_command(inputs: ContractInputs) -> list[str]:
    """The live run's command: positive data, a bounded rate and count, GETs unless allowed."""
    command = [*schemathesis_command(inputs, inputs.base_url), "--mode", "positive"]
    command += ["--rate-limit", inputs.rate_limit, "--max-examples", inputs.max_examples]
    if inputs.sandbox_reference is not None:
        command += ["--phases", "examples,fuzzing,stateful"]
    else:
        command += ["--phases", "examples,fuzzing", "--include-method", "GET"]
    return command


def run_live(inputs: ContractInputs, extra: list[str], report_dir: Path) -> int:
    """The live run, with the sandbox reference put back afterwards when writes are allowed."""
    command = live_command(inputs) + extra
    oid = inputs.sandbox_reference
    if oid is None:
        return run(inputs, command, report_dir)
    try:
        snapshot = Snapshot.take(inputs.base_url, inputs.key, oid, updatable_fields(inputs.spec))
    except OSError as exc:
        raise UsageError(f"could not read sandbox reference {oid} before the run: {exc}") from exc
    # The run's rate limit lives in its own process: the snapshot and the restore each keep
    # one second away from the run's requests, so they never add to its rate.
    time.sleep(RATE_WINDOW_SECONDS)
    try:
        return run(inputs, command, report_dir)
    finally:
        time.sleep(RATE_WINDOW_SECONDS)
        print(snapshot.restore(inputs.base_url, inputs.key))


def reset_mock(url: str) -> None:
    """Put the mock at --url back to its seed, and say so."""
    request = urllib.request.Request(f"{url.rstrip('/')}/_mock/reset", method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10):  # noqa: S310
            print(
                f"Reset the mock at {url} to its seed (POST /_mock/reset); --keep-state skips it."
            )
    except OSError as exc:
        print(
            f"octave-contract: could not reset {url} (POST /_mock/reset: {exc}); "
            "the run's writes are still there",
            file=sys.stderr,
        )


def run(
    inputs: ContractInputs,
    command: list[str],
    report_dir: Path,
    mock_url: str | None = None,
    mock_log: Path | None = None,
) -> int:
    """Run schemathesis, then the principles and (against a mock) the status probes; print the
    summary; exit status.

    Only a mock run must see every documented status: the real API is not asked for errors
    beyond what the principles provoke where writes are allowed.
    """
    check_coverage = mock_url is not None
    report_dir.mkdir(parents=True, exist_ok=True)
    har = report_dir / "har.json"
    junit = report_dir / "junit.xml"
    har.unlink(missing_ok=True)
    command += ["--report", "junit,har"]
    # schemathesis prints these paths as given: in the summary's style.
    command += ["--report-junit-path", shown(junit), "--report-har-path", shown(har)]
    child_env = {**os.environ, **inputs.child_environment()}
    status = subprocess.run(command, env=child_env, check=False).returncode  # noqa: S603
    if not har.exists():
        print(f"octave-contract: schemathesis wrote no report (exit {status})", file=sys.stderr)
        return status or 1
    report = read_har(har, inputs.spec)
    if inputs.target == "live":  # schemathesis' rate limit lived in its own process
        time.sleep(RATE_WINDOW_SECONDS)
    principles = check_over_http(inputs, mock_url or inputs.base_url)
    probes = probe_mock(mock_url) if mock_url else []
    for probe in probes:
        report.add(probe.method, probe.path, probe.answered)
    print("\nContract run, per operation:\n" + report.format(coverage=check_coverage))
    if probes:
        provoked = ", ".join(sorted({str(probe.status) for probe in probes}))
        print(f"Status probes: {len(probes)} requests provoked {provoked} (counted above).")
    print(f"Principles: {principles.client.sent} requests (not counted above).")
    probed = [Exchange(p.method, urlsplit(p.path).path, status=p.answered) for p in probes]
    written = [junit, har, *write_coverage(inputs.spec, har, probed, report_dir)]
    written += [mock_log] if mock_log else []
    print(f"Reports: {', '.join(shown(path) for path in written)}")
    if report.all_refused():
        print(
            "octave-contract: every answer was 401 or 403: the API refused the key "
            "(check OCTAVE_API_KEY); nothing of the contract was tested",
            file=sys.stderr,
        )
        return 1
    problems = [f"coverage: {p}" for p in report.coverage_problems()] if check_coverage else []
    problems += [f"{PROBE_CHECK}: {failure}" for probe in probes for failure in probe.failures]
    problems += [f"{found.check}: {found.message}" for found in principles.findings]
    for problem in problems:
        print(problem, file=sys.stderr)
    return status or (1 if problems else 0)


def write_coverage(spec: Path, har: Path, probed: list[Exchange], report_dir: Path) -> list[Path]:
    """The run's coverage of the contract: printed, and written as JSON, Markdown and HTML."""
    traffic = read_file(har)
    traffic.exchanges += probed
    coverage = coverage_of(Model(Spec.load(spec)), traffic)
    print("\n" + coverage_report.terminal(coverage))
    written = []
    for kind, name in (
        ("json", "coverage.json"),
        ("markdown", "coverage.md"),
        ("html", "coverage.html"),
    ):
        coverage_report.write(coverage, kind, report_dir / name)
        written.append(report_dir / name)
    return written


def shown(path: Path) -> str:
    """A path as the summary prints it: relative to the working directory when inside it."""
    path, base = path.absolute(), Path.cwd()
    return str(path.relative_to(base) if path.is_relative_to(base) else path)


@contextmanager
def serving_mock(log: Path) -> Iterator[str]:
    """The mock in a child process on a free port, its output in `log`, stopped on the way out."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "octave_mock", "serve", "--port", str(port)]
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w", encoding="utf-8") as output:
        mock = subprocess.Popen(  # noqa: S603
            [*command, "--log-level", "warning"], stdout=output, stderr=subprocess.STDOUT
        )
    try:
        try:
            wait_until_answering(
                f"{url}/_mock/health", MOCK_START_SECONDS, still_running=lambda: mock.poll() is None
            )
        except NotAnswering as exc:
            raise UsageError(f"the mock did not serve: {exc} (its log: {shown(log)})") from None
        yield url
    finally:
        mock.terminate()
        mock.wait(timeout=10)
