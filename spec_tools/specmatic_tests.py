"""`make specmatic`: Specmatic's contract tests against a fresh mock, as a Specmatic team runs them.

Specmatic (PyPI `specmatic`, pinned in requirements.txt, which ships its jar) reads
openapi.yaml, pairs each named request example with the 200 example of the same name, and,
with SPECMATIC_GENERATIVE_TESTS=true, adds the tests it generates from them (every optional
field left out or sent, each field mutated into something the spec refuses). One run does
both, against the mock serving the bundled seed in memory, with the key of the docs'
workspace, whose objects are those examples. It fails on any failed test and on any warning
Specmatic prints about the spec; the whole output is kept in reports/specmatic/.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from octave_kit.contract_file import SPEC_PATH
from octave_mock import Settings
from octave_mock.testing import running_mock
from spec_tools.repository import checkout

# The workspace of the bundled seed that holds the objects of openapi.yaml's examples.
DOCS_WORKSPACE = "wa_1234"
JAVA_NEEDED = 17
# A short-lived JVM: the client compiler only and the serial collector start faster and
# take less CPU than the defaults (BENCHMARKS.md, "make specmatic").
JVM_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
# The JVM's own words about its class-data archive (Specmatic's jar holds classes it cannot
# archive), which are not Specmatic's.
QUIET_CLASS_DATA = "-Xlog:cds*=off"
SUMMARY = re.compile(
    r"Tests run: (?P<run>\d+), Successes: (?P<ok>\d+), Failures: (?P<failed>\d+), "
    r"WIP: \d+, Errors: (?P<errors>\d+)"
)
# What Specmatic prints about the spec itself, beside the tests: any of these fails the run.
ABOUT_THE_SPEC = re.compile(r"^\s*(WARNING|ERROR)\b|Error loading example|is not of type", re.M)
JAVA_VERSION = re.compile(r'version "(\d+)')


class SpecmaticUnavailable(RuntimeError):
    """Java or Specmatic's jar is missing: one line says what to install."""


def specmatic_jar() -> Path:
    """The jar the pinned `specmatic` package ships."""
    found = importlib.util.find_spec("specmatic")
    if found is None or found.origin is None:
        raise SpecmaticUnavailable("the specmatic package is not installed: run make setup")
    jar = Path(found.origin).parent / "core" / "specmatic.jar"
    if not jar.is_file():
        raise SpecmaticUnavailable(f"{jar} is missing: run make setup")
    return jar


@functools.cache
def java() -> str:
    """The `java` on PATH, if it is Java 17 or later."""
    found = shutil.which("java")
    if found is None:
        raise SpecmaticUnavailable(
            f"Specmatic needs Java {JAVA_NEEDED} or later, and there is no java on PATH"
            f" (Debian: apt-get install openjdk-{JAVA_NEEDED}-jre-headless)"
        )
    version = subprocess.run(  # noqa: S603 - the java found on PATH
        [found, "-version"], capture_output=True, text=True, check=False
    )
    major = JAVA_VERSION.search(version.stderr)
    if major is None or int(major.group(1)) < JAVA_NEEDED:
        said = version.stderr.splitlines()[0] if version.stderr else "no version"
        raise SpecmaticUnavailable(
            f"Specmatic needs Java {JAVA_NEEDED} or later; {found} says: {said}"
        )
    return found


@contextlib.contextmanager
def specmatic_command() -> Iterator[list[str]]:
    """`java -jar` Specmatic's jar, for one run: the classes it loaded come from the JVM's
    archive of them (class-data sharing) in build/, made once per jar and java by the first
    run that finds none, at its exit, so each later start reads instead of loading them
    (about a second of CPU less)."""
    jar = specmatic_jar()
    archive = class_data_archive(jar)
    quiet_jar = (QUIET_CLASS_DATA, "-jar", str(jar))
    if archive.exists():
        yield [java(), *JVM_OPTIONS, f"-XX:SharedArchiveFile={archive}", *quiet_jar]
        return
    archive.parent.mkdir(parents=True, exist_ok=True)
    # Runs at once each make one of their own; whichever ends last stays.
    made = archive.with_suffix(f".{os.getpid()}-{threading.get_ident()}.jsa")
    try:
        yield [java(), *JVM_OPTIONS, f"-XX:ArchiveClassesAtExit={made}", *quiet_jar]
        if made.exists():
            made.replace(archive)
    finally:
        made.unlink(missing_ok=True)


def class_data_archive(jar: Path) -> Path:
    """Where the archive of Specmatic's classes is, named for the jar and the java it fits."""
    runtime = Path(java()).resolve()
    fits = [jar, jar.stat().st_size, jar.stat().st_mtime_ns, runtime, runtime.stat().st_mtime_ns]
    digest = hashlib.sha256(repr(fits).encode()).hexdigest()[:16]
    return checkout() / "build" / f"specmatic-classes-{digest}.jsa"


def reports_dir() -> Path:
    return checkout() / "reports" / "specmatic"


def specmatic_test(
    base_url: str,
    key: str,
    *,
    generative: bool,
    spec: Path = SPEC_PATH,
    workdir: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """`specmatic test` of `spec` against `base_url`, authenticated with `key`."""
    workdir = workdir or reports_dir()
    workdir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "ApiKeyAuth": key,  # Specmatic reads a security scheme's token from its name
        "SPECMATIC_GENERATIVE_TESTS": str(generative).lower(),
    }
    with specmatic_command() as specmatic:
        command = [*specmatic, "test", str(spec)]
        command += ["--testBaseURL", base_url, "--junitReportDir", str(workdir / "junit")]
        return subprocess.run(  # noqa: S603 - fixed argv: java, the pinned jar, the spec
            command, cwd=workdir, env=env, capture_output=True, text=True, check=False
        )


def problems(completed: subprocess.CompletedProcess[str]) -> list[str]:
    """Why a run does not pass: failed tests, no tests at all, or anything said about the spec."""
    output = completed.stdout + completed.stderr
    found = [line.strip() for line in output.splitlines() if ABOUT_THE_SPEC.search(line)]
    summary = SUMMARY.search(output)
    if summary is None:
        found.append(f"no test summary (exit {completed.returncode})")
    elif summary["failed"] != "0" or summary["errors"] != "0" or summary["run"] == "0":
        found.append(summary.group(0))
        found += [line.strip() for line in output.splitlines() if line.endswith("has FAILED")]
    elif completed.returncode != 0:
        found.append(f"specmatic exited {completed.returncode}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make specmatic", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--examples-only", action="store_true", help="the tests from the examples, none generated"
    )
    options = parser.parse_args(argv)
    try:
        java()
        specmatic_jar()
    except SpecmaticUnavailable as error:
        print(error, file=sys.stderr)
        return 2
    started = time.monotonic()
    with running_mock(Settings()) as mock:
        completed = specmatic_test(
            mock.base_url, mock.key(DOCS_WORKSPACE), generative=not options.examples_only
        )
    log = reports_dir() / "specmatic.log"
    log.write_text(completed.stdout + completed.stderr, encoding="utf-8")
    summary = SUMMARY.search(completed.stdout)
    found = problems(completed)
    for line in found:
        print(f"specmatic: {line}", file=sys.stderr)
    seconds = time.monotonic() - started
    print(
        f"specmatic: {summary.group(0) if summary else 'no summary'} in {seconds:.0f} s;"
        f" output in {log.relative_to(checkout())}, JUnit in reports/specmatic/junit"
    )
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
