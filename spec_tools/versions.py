"""The contract's versions: what changed since the last release, and whether info.version says so.

`python -m spec_tools.versions diff|check|release` (make diff, make versions, make release).

A release is one line of releases.yaml, `<version>: <git blob id of openapi.yaml>`. The blob
is the released file itself, kept by git, so there is no second copy of the spec to keep in
step, and no tag that a clone or a push can leave behind. The comparison is Optic's
(`optic diff --check`), whose rules say what breaks a client.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import yaml

from spec_tools.repository import NotACheckout, checkout

SPEC = "openapi.yaml"
RELEASES = "releases.yaml"
CHANGELOG = "CHANGELOG.md"
# A CHANGELOG entry's heading: "## [2.1.0] - 2026-11-23" (Keep a Changelog).
CHANGELOG_HEADING = re.compile(r"^## \[(\d+\.\d+\.\d+)\]", re.MULTILINE)
# Optic prints this line only when it read both files and compared them.
OPTIC_SUMMARY_LINE = re.compile(r"^Operations: ", re.MULTILINE)


class Failure(Exception):
    """The versions are not in order; the message says what to do."""


class ToolError(Exception):
    """A file, git or Optic could not be used; the message names which."""


class Version(NamedTuple):
    major: int
    minor: int
    patch: int

    @classmethod
    def parse(cls, text: object, where: str) -> Version:
        match = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", str(text))
        if match is None:
            raise ToolError(f"{where}: {text!r} is not a version MAJOR.MINOR.PATCH")
        return cls(*(int(part) for part in match.groups()))

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"


@dataclass(frozen=True)
class Release:
    version: Version
    blob: str


@dataclass(frozen=True)
class Comparison:
    breaking: bool
    report: str  # Optic's own listing of each change and each broken rule


def git(root: Path, *args: str) -> str:
    completed = subprocess.run(  # noqa: S603 - fixed argv, no shell
        ["git", *args],  # noqa: S607 - the git on PATH, as a user runs it
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise ToolError(f"git {' '.join(args)}: {completed.stderr.strip()}")
    return completed.stdout


def spec_version(text: str, where: str) -> Version:
    document = yaml.safe_load(text)
    if not isinstance(document, dict) or not isinstance(document.get("info"), dict):
        raise ToolError(f"{where}: no info object")
    return Version.parse(document["info"].get("version"), f"{where}: info.version")


def releases(root: Path) -> list[Release]:
    """The recorded releases, oldest first."""
    path = root / RELEASES
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise ToolError(f"{path}: {error}") from error
    found = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        match = re.fullmatch(r"(\S+): ([0-9a-f]{40})", line.strip())
        if match is None:
            raise ToolError(f"{path}:{number}: expected `<version>: <40-digit git blob id>`")
        version = Version.parse(match[1], f"{path}:{number}")
        found.append(Release(version, match[2]))
    return sorted(found, key=lambda release: release.version)


def with_version(text: str, version: Version) -> str:
    """The spec text with info.version replaced, every other byte kept."""
    root = yaml.compose(text)
    for key, value in root.value if isinstance(root, yaml.MappingNode) else ():
        if key.value == "info" and isinstance(value, yaml.MappingNode):
            for field, scalar in value.value:
                if field.value == "version":
                    start, end = scalar.start_mark.index, scalar.end_mark.index
                    return f"{text[:start]}{version}{text[end:]}"
    raise ToolError("the spec has no info.version")


def released_spec(root: Path, release: Release) -> str:
    try:
        return git(root, "cat-file", "blob", release.blob)
    except ToolError as error:
        raise ToolError(
            f"release {release.version}'s {SPEC} (blob {release.blob}) is not in this clone;"
            " fetch the history (git fetch --unshallow)"
        ) from error


def changelog_versions(root: Path) -> set[Version]:
    path = root / CHANGELOG
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ToolError(f"{path}: {error}") from error
    return {Version.parse(found, str(path)) for found in CHANGELOG_HEADING.findall(text)}


def compare(base: str, base_name: str, head_text: str, head_version: Version) -> Comparison:
    """Optic's verdict on the spec text `head_text` against the spec text `base`."""
    optic = checkout() / "node_modules" / ".bin" / "optic"
    if not optic.exists():
        raise ToolError(
            f"comparing {SPEC} with a release takes Optic, a Node tool, and {optic} is"
            " missing: `make node-tools` installs it (it needs npm on PATH)"
        )
    # Both files side by side, so Optic names them `openapi-<base>.yaml` and `openapi.yaml`.
    with tempfile.TemporaryDirectory() as folder:
        # Optic lets anything break when the major version goes up. The verdict here must
        # come from the content alone, so the base is given the head's version.
        (Path(folder) / base_name).write_text(with_version(base, head_version), encoding="utf-8")
        (Path(folder) / SPEC).write_text(head_text, encoding="utf-8")
        command = [str(optic), "diff", base_name, SPEC, "--check"]
        completed = subprocess.run(  # noqa: S603 - fixed argv, no shell
            command,
            cwd=folder,
            capture_output=True,
            text=True,
            env={**os.environ, "OPTIC_TELEMETRY_LEVEL": "off"},
            check=False,
        )
    report = completed.stdout.replace("Rerun this command with the --web flag", "")
    report = report.replace(" to view the detailed changes in your browser", "").rstrip()
    if completed.returncode not in (0, 1) or not OPTIC_SUMMARY_LINE.search(report):
        raise ToolError(f"optic diff failed:\n{completed.stdout}{completed.stderr}")
    return Comparison(breaking=completed.returncode == 1, report=report)


def working_spec(root: Path) -> tuple[str, Version]:
    """openapi.yaml as it stands in the working tree, and its info.version."""
    text = (root / SPEC).read_text(encoding="utf-8")
    return text, spec_version(text, str(root / SPEC))


def diff(root: Path, base_ref: str | None) -> int:
    """Print each change since `base_ref` (default: the last release); 1 when one breaks."""
    if base_ref is None:
        recorded = releases(root)
        if not recorded:
            raise ToolError(f"{RELEASES} records no release yet: name a git ref with BASE=")
        last = recorded[-1]
        base, title = released_spec(root, last), f"release {last.version} (blob {last.blob[:12]})"
        base_name = f"openapi-{last.version}.yaml"
    else:
        base, title = git(root, "show", f"{base_ref}:{SPEC}"), f"{base_ref}"
        base_name = f"openapi-{re.sub(r'[^A-Za-z0-9._-]', '_', base_ref)}.yaml"
    print(f"{SPEC} (working tree) against {title}\n")
    comparison = compare(base, base_name, *working_spec(root))
    print(comparison.report)
    verdict = "breaking: a client of the kit can break" if comparison.breaking else "no break"
    print(f"\n{verdict}")
    return 1 if comparison.breaking else 0


def check(root: Path) -> str:
    """What the versions say, when they are in order; raise Failure otherwise."""
    return check_spec(root, *working_spec(root))


def check_spec(root: Path, text: str, current: Version) -> str:
    """`check` for the working tree's spec `text`, whose info.version is `current`."""
    recorded = releases(root)
    if current not in changelog_versions(root):
        raise Failure(
            f"{CHANGELOG} has no entry for {current}: add a heading `## [{current}] - <date>`"
            " and say what changed for a client"
        )
    if not recorded:
        return f"{SPEC} is {current}; no release is recorded yet (make release records it)"
    last = recorded[-1]
    by_version = {release.version: release for release in recorded}
    if current in by_version:
        blob = git(root, "hash-object", SPEC).strip()
        if blob == by_version[current].blob:
            return f"{SPEC} is release {current}, unchanged"
        raise Failure(
            f"{SPEC} differs from release {current}, and info.version is still {current}:"
            " bump it (major when make diff reports a breaking change, minor for an"
            " addition, patch for wording) and add a CHANGELOG entry"
        )
    if current < last.version:
        raise Failure(f"info.version {current} is older than the last release, {last.version}")
    base_name = f"openapi-{last.version}.yaml"
    comparison = compare(released_spec(root, last), base_name, text, current)
    if comparison.breaking and current.major == last.version.major:
        raise Failure(
            f"{comparison.report}\n\n{SPEC} breaks clients of release {last.version}"
            f" (above), so {current} must be a major version: {last.version.major + 1}.0.0"
        )
    kind = "breaking" if comparison.breaking else "compatible"
    return f"{SPEC} is {current}, unreleased: {kind} since release {last.version}"


def release(root: Path) -> str:
    """Record the committed openapi.yaml as the release of its info.version."""
    if git(root, "status", "--porcelain", "--", SPEC).strip():
        raise Failure(f"{SPEC} has uncommitted changes: commit it, then release")
    text, current = working_spec(root)
    check_spec(root, text, current)
    if current in {recorded.version for recorded in releases(root)}:
        raise Failure(f"{current} is released already: bump info.version first")
    blob = git(root, "rev-parse", f"HEAD:{SPEC}").strip()
    record = (root / RELEASES).read_text(encoding="utf-8")
    separator = "" if record.endswith("\n") or not record else "\n"
    (root / RELEASES).write_text(f"{record}{separator}{current}: {blob}\n", encoding="utf-8")
    return f"recorded release {current} ({blob}) in {RELEASES}: commit it"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m spec_tools.versions", description=__doc__)
    parser.add_argument(
        "--root", type=Path, help="the checkout (default: the one around the working directory)"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    diff_parser = commands.add_parser("diff", help="each change since BASE, breaking or not")
    diff_parser.add_argument("--base", help="a git ref (default: the last release)")
    commands.add_parser("check", help="info.version and the CHANGELOG follow the changes")
    commands.add_parser("release", help="record info.version's release in releases.yaml")
    args = parser.parse_args(argv)
    try:
        root = args.root or checkout()
        if args.command == "diff":
            return diff(root, args.base)
        print((check if args.command == "check" else release)(root))
    except Failure as failure:
        print(f"versions: {failure}", file=sys.stderr)
        return 1
    except (ToolError, NotACheckout) as error:
        print(f"versions: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
