"""The contract's versions: what changed since the last release, and whether info.version says so.

`python -m spec_tools.versions diff|check|release` (make diff, make versions, make release).

A release is one line of releases.yaml, `<version>: <git blob id of openapi.yaml>`. The blob
is the released file itself, kept by git, so there is no second copy of the spec to keep in
step, and no tag that a clone or a push can leave behind. What a change needs of the version
is spec_tools.compatibility's judgement (Optic, Specmatic and the kit's rules).

Exit codes: 0 in order (diff: no break), 1 not in order (diff: a breaking change), 2 a file,
git or a comparison tool could not be used.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import yaml

from spec_tools.compatibility import Change, Judgement, judge
from spec_tools.git import ToolError, git
from spec_tools.repository import NotACheckout, checkout
from spec_tools.verdicts import Level

SPEC = "openapi.yaml"
RELEASES = "releases.yaml"
CHANGELOG = "CHANGELOG.md"
# A CHANGELOG entry's heading: "## [2.1.0] - 2026-11-23" (Keep a Changelog).
CHANGELOG_HEADING = re.compile(r"^## \[(\d+\.\d+\.\d+)\]", re.MULTILINE)
# The last line of make diff, by its exit code.
DIFF_LAST_LINES = {
    Level.MAJOR: "breaking: a client of the kit can break (a major version)",
    Level.MINOR: "no break: an addition (at least a minor version)",
    Level.PATCH: "no break: nothing a client uses changed (a patch version)",
}
COMPARISON_FAILED = "the comparison failed: nothing was judged"


class Failure(Exception):
    """The versions are not in order; the message says what to do."""


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


def spec_version(text: str, where: str) -> Version:
    document = yaml.load(text, Loader=yaml.CSafeLoader)
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


def compare(base: str, head: str) -> Judgement:
    """The judgement of the spec text `head` against the spec text `base`."""
    return judge([Change(SPEC, base, head)])[0]


def report(judgement: Judgement) -> str:
    """Each judge's findings, then its own report of them."""
    lines = []
    for finding in judgement.findings:
        mark = "x" if finding.level is Level.MAJOR else "+"
        lines.append(f"{mark} {finding.judge}: {finding.message}")
    for tool, text in judgement.reports.items():
        if text:
            lines.append(f"\n{tool}:\n{text}")
    return "\n".join(lines) if lines else "no difference a client can see"


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
    else:
        base, title = git(root, "show", f"{base_ref}:{SPEC}"), f"{base_ref}"
    print(f"{SPEC} (working tree) against {title}\n", flush=True)
    judgement = compare(base, working_spec(root)[0])
    print(report(judgement))
    print(f"\n{DIFF_LAST_LINES[judgement.level]}")
    return 1 if judgement.level is Level.MAJOR else 0


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
    judgement = compare(released_spec(root, last), text)
    needed = least_version(last.version, judgement.level)
    if current < needed:
        raise Failure(
            f"{report(judgement)}\n\n{SPEC} has {KINDS[judgement.level]} since release"
            f" {last.version} (above), so {current} must be at least {needed}"
        )
    return f"{SPEC} is {current}, unreleased: {KINDS[judgement.level]} since release {last.version}"


KINDS = {
    Level.MAJOR: "a breaking change",
    Level.MINOR: "an addition",
    Level.PATCH: "no change a client uses",
}


def least_version(last: Version, level: Level) -> Version:
    """The smallest version after `last` that says a change of `level`."""
    if level is Level.MAJOR:
        return Version(last.major + 1, 0, 0)
    if level is Level.MINOR:
        return Version(last.major, last.minor + 1, 0)
    return Version(last.major, last.minor, last.patch + 1)


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
        if args.command == "diff":
            print(f"\n{COMPARISON_FAILED}")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
