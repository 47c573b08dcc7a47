"""make diff / versions / release on a scratch copy of the contract, with its own git history,
and the judge of make diff on the corpus of spec changes (spec_changes.yaml)."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import io
import json
import shutil
import subprocess
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import jsonpatch
import pytest
import yaml

import spec_tools.git
from spec_tools import optic, specmatic, versions
from spec_tools.compatibility import (
    OPTIC,
    SPECMATIC,
    Change,
    Judgement,
    combine,
    comparable,
    optic_verdicts,
    specmatic_verdicts,
    with_version,
)
from spec_tools.git import GIT_SECONDS, git, run_tool
from spec_tools.verdicts import Level
from tests.installing import being_made, made_this_run, once_per_run
from tests.openapi_document import REPO_ROOT as CHECKOUT
from tests.openapi_document import Node, load_openapi
from tests.spec.kept_verdicts import kept_or_judged
from tests.spec.spec_changes import SpecChange, dumped, spec_changes

Edit = Callable[[Node], None]
Pair = tuple[str, str]
JUDGEMENTS: dict[Pair, Judgement] = {}
ASK_THE_JUDGE = versions.compare
JUDGED = "judged.json"
# The corpus, and the pairs the tests below ask about, are judged in halves, each tool over
# each half in one run of its own: four tests of one process each, which the two pytest-xdist
# workers share. The pairs the tests ask about are in the first half.
HALVES = 2
ASKED_HALF = 0
# Each tool alone over a batch of changes: its verdicts by name.
TOOLS: dict[str, Callable[[Sequence[Change]], Mapping[str, Any]]] = {
    OPTIC: optic_verdicts,
    SPECMATIC: specmatic_verdicts,
}


def judged_alike(base: str, head: str) -> Pair:
    """The pair with both versions made the same: the verdict comes from the rest of their
    content, so tests that bump info.version differently share one judgement."""
    return with_version(base, "0.0.0"), with_version(head, "0.0.0")


def compare_once(base: str, head: str) -> Judgement:
    """The judge's verdict, asked once per pair of specs."""
    key = judged_alike(base, head)
    if key not in JUDGEMENTS:
        JUDGEMENTS[key] = ASK_THE_JUDGE(base, head)
    return JUDGEMENTS[key]


@pytest.fixture(autouse=True)
def _shared_judge_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(versions, "compare", compare_once)


def run(root: Path, *command: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """One `python -m spec_tools.versions` command on `root`: its exit code and its output."""
    code = versions.main(["--root", str(root), *command])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def edited(text: str, edit: Edit, version: str | None = None) -> str:
    """The spec text with one edit (and info.version) made, as the tests commit it."""
    document = yaml.load(text, Loader=yaml.CSafeLoader)
    edit(document)
    if version is not None:
        document["info"]["version"] = version
    return dumped(document)


def change_spec(root: Path, edit: Edit, *, version: str | None = None, commit: bool = True) -> None:
    spec = root / "openapi.yaml"
    spec.write_text(edited(spec.read_text(encoding="utf-8"), edit, version), encoding="utf-8")
    if commit:
        git(root, "commit", "--quiet", "--all", "--message", "scratch change")


def add_changelog_entry(root: Path, version: str) -> None:
    with (root / "CHANGELOG.md").open("a", encoding="utf-8") as changelog:
        changelog.write(f"\n## [{version}] - 2026-11-23\n\n- A change.\n")


@functools.cache
def release_spec() -> str:
    """The working tree's contract as release 2.0.0."""
    document = load_openapi()
    document["info"]["version"] = "2.0.0"
    return dumped(document)


def apply(case: SpecChange) -> Edit:
    """The change of a corpus case with no `start`, for change_spec: made on the release, it
    is the pair the corpus judges."""
    assert not case.start, case.name
    return lambda document: jsonpatch.apply_patch(document, case.change, in_place=True)


@functools.cache
def corpus_case(name: str) -> SpecChange:
    return next(case for case in spec_changes() if case.name == name)


# The edits the tests below make to the release, taken from the corpus, so that each pair
# the tests ask about is a pair the corpus judges, but for the last one of ASKED.
PRODUCT_CREATED_AT_OPTIONAL = apply(corpus_case("response field made optional"))
OPTIONAL_NICKNAME_IN_UPDATE = apply(corpus_case("optional request field added"))
RESPONSE_HEADER_ADDED = apply(corpus_case("response header added"))
DESCRIPTION_CHANGED = apply(corpus_case("description changed"))
# The edits the tests below commit on the release before asking the judge, and the edits
# they then ask it about: judged with the corpus, in half ASKED_HALF (a test asking about
# another pair still gets its verdict, from a run of its own).
ASKED: tuple[tuple[tuple[Edit, ...], tuple[Edit, ...]], ...] = (
    ((), (PRODUCT_CREATED_AT_OPTIONAL,)),
    ((), (OPTIONAL_NICKNAME_IN_UPDATE,)),
    ((), (RESPONSE_HEADER_ADDED,)),
    ((), (DESCRIPTION_CHANGED,)),
    ((OPTIONAL_NICKNAME_IN_UPDATE,), (PRODUCT_CREATED_AT_OPTIONAL,)),
)


def asked_pairs() -> list[Pair]:
    pairs = []
    for before, after in ASKED:
        base = functools.reduce(edited, before, release_spec())
        pairs.append((base, functools.reduce(edited, after, base)))
    return pairs


@functools.cache
def halves() -> tuple[tuple[Change, ...], ...]:
    """The corpus and the pairs of ASKED, each pair once, in HALVES parts of about the same
    size: the asked pairs, and the corpus cases that are one of them, in ASKED_HALF."""
    asked = {judged_alike(*pair): pair for pair in asked_pairs()}
    filled: list[list[Change]] = [[] for _ in range(HALVES)]
    corpus = [case.as_change() for case in spec_changes()]
    for change in corpus:
        if asked.pop(judged_alike(change.base, change.head), None) is not None:
            filled[ASKED_HALF].append(change)
    filled[ASKED_HALF] += [
        Change(f"asked-{number}.yaml", *pair) for number, pair in enumerate(asked.values())
    ]
    for change in corpus:
        if change not in filled[ASKED_HALF]:
            min(filled, key=len).append(change)
    return tuple(tuple(half) for half in filled)


class ToolRuns:
    """Each tool's run over each half, made once per run by the first worker to need it (the
    others wait for its file and read it), and the judgements the runs make."""

    def __init__(self, tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> None:
        self.shared = tmp_path_factory, worker_id
        self.folders: dict[tuple[int, str], Path] = {}
        self.judged: set[int] = set()

    def made(self, half: int, tool: str) -> bool:
        return (half, tool) in self.folders or made_this_run(*self.shared, f"{tool}-{half}")

    def verdicts(self, half: int, tool: str) -> dict[str, dict[str, Any]]:
        """`tool`'s verdicts on the half, by name, as run_over_half writes them."""
        if (half, tool) not in self.folders:
            make = functools.partial(run_over_half, half, tool)
            self.folders[half, tool] = once_per_run(*self.shared, f"{tool}-{half}", make)
        found: dict[str, dict[str, Any]] = json.loads(
            (self.folders[half, tool] / JUDGED).read_text("utf-8")
        )
        return found

    def judge(self, half: int, first: str) -> None:
        """Each pair of the half judged into JUDGEMENTS, from both tools' verdicts and the kit's
        rules, as make diff judges. `first` runs first, unless a worker is running it and the
        other tool's run is still to make: then that one, so that both workers work."""
        if half in self.judged:
            return
        second = other_tool(first)
        if being_made(*self.shared, f"{first}-{half}") and not self.made(half, second):
            first, second = second, first
        by_tool = {tool: self.verdicts(half, tool) for tool in (first, second)}
        by_optic = {name: optic_verdict(found) for name, found in by_tool[OPTIC].items()}
        by_specmatic = {
            name: specmatic.Verdict(tuple(found["breaks"]), found["report"])
            for name, found in by_tool[SPECMATIC].items()
        }
        pairs = halves()[half]
        judgements = combine(comparable(pairs), by_optic, by_specmatic)
        for pair, judgement in zip(pairs, judgements, strict=True):
            JUDGEMENTS[judged_alike(pair.base, pair.head)] = judgement
        self.judged.add(half)


@pytest.fixture(scope="session")
def tool_runs(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> ToolRuns:
    return ToolRuns(tmp_path_factory, worker_id)


def other_tool(tool: str) -> str:
    return next(other for other in TOOLS if other != tool)


def run_over_half(half: int, tool: str, folder: Path) -> None:
    """`tool`'s verdicts on every pair of the half, from one run (or kept from the last run
    with the same inputs, kept_verdicts), into the file JUDGED."""
    changes = comparable(halves()[half])
    assert all(change.base != change.head for change in changes)  # as judge() would skip it

    def judge() -> dict[str, dict[str, Any]]:
        verdicts = TOOLS[tool](changes)
        return {name: dataclasses.asdict(verdict) for name, verdict in verdicts.items()}

    found = kept_or_judged(tool, f"half-{half}", changes, judge)
    folder.mkdir(exist_ok=True)
    (folder / JUDGED).write_text(json.dumps(found), encoding="utf-8")


def optic_verdict(found: dict[str, Any]) -> optic.Verdict:
    return optic.Verdict(
        tuple(found["breaks"]),
        tuple(optic.Difference(**difference) for difference in found["differences"]),
        found["report"],
    )


def release(folder: Path) -> None:
    """The working tree's contract as release 2.0.0 of a new repository in `folder`, recorded
    by `release`."""
    folder.mkdir(exist_ok=True)
    (folder / "openapi.yaml").write_text(release_spec(), encoding="utf-8")
    (folder / "CHANGELOG.md").write_text("# Changelog\n\n## [2.0.0] - 2026-11-01\n\n- First.\n")
    (folder / "releases.yaml").write_text("# <version>: <git blob id>\n")
    git(folder, "init", "--quiet")
    git(folder, "config", "user.email", "kit@example.com")
    git(folder, "config", "user.name", "Kit")
    git(folder, "add", ".")
    git(folder, "commit", "--quiet", "--message", "2.0.0")
    output = io.StringIO()
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
        code = versions.main(["--root", str(folder), "release"])
    assert code == 0, output.getvalue()
    git(folder, "commit", "--quiet", "--all", "--message", "Release 2.0.0")


@pytest.fixture(scope="session")
def released(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """The repository of `release`, made once per run, for each test to copy."""
    return once_per_run(tmp_path_factory, worker_id, "released", release)


@pytest.fixture
def project(tmp_path: Path, released: Path, tool_runs: ToolRuns) -> Path:
    """A copy of `released`, for the test to change, and the judgements of ASKED at hand."""
    tool_runs.judge(ASKED_HALF, OPTIC)
    return Path(shutil.copytree(released, tmp_path / "contract", symlinks=True))


@pytest.mark.parametrize(("half", "tool"), [(h, tool) for h in range(HALVES) for tool in TOOLS])
def test_make_diff_judges_every_change_of_the_corpus(
    half: int, tool: str, tool_runs: ToolRuns, request: pytest.FixtureRequest
) -> None:
    """`tool` judges a half of the corpus in one run (Specmatic's JVM takes seconds). The
    half's test that ends last then checks each change's verdict, from both tools' runs and
    the kit's rules (this one, too, when the other tool's test is not in the run)."""
    tool_runs.verdicts(half, tool)
    other = other_tool(tool)
    if not tool_runs.made(half, other) and in_this_run(request, half=half, tool=other):
        return  # the other tool's test checks the half, once its run is made
    tool_runs.judge(half, tool)
    changes = {change.name: change for change in halves()[half]}
    cases = [case for case in spec_changes() if case.file_name in changes]
    judgements = [
        JUDGEMENTS[judged_alike(changes[case.file_name].base, changes[case.file_name].head)]
        for case in cases
    ]
    wrong = [
        f"{case.name}: judged {judgement.level}, is {case.verdict} ({case.why})\n"
        f"{versions.report(judgement)}"
        for case, judgement in zip(cases, judgements, strict=True)
        if judgement.level is not case.verdict
    ]
    assert not wrong, "\n\n".join(wrong)


def in_this_run(request: pytest.FixtureRequest, **params: object) -> bool:
    """Whether the session runs the test's function with these parameters."""
    return any(
        isinstance(item, pytest.Function)
        and item.originalname == request.node.originalname
        and item.callspec.params == params
        for item in request.session.items
    )


def test_the_corpus_covers_every_verdict() -> None:
    verdicts = [case.verdict for case in spec_changes()]
    assert len(verdicts) >= 30
    assert {verdict: verdicts.count(verdict) >= 5 for verdict in Level} == dict.fromkeys(
        Level, True
    )


def test_release_records_the_committed_files_git_blob(project: Path) -> None:
    recorded = (project / "releases.yaml").read_text().splitlines()
    assert recorded[-1] == f"2.0.0: {git(project, 'rev-parse', 'HEAD:openapi.yaml').strip()}"


def test_an_unchanged_release_passes(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(project, "check", capsys=capsys) == (0, "openapi.yaml is release 2.0.0, unchanged\n")


def test_diff_reports_a_required_response_field_made_optional_as_breaking(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    change_spec(project, PRODUCT_CREATED_AT_OPTIONAL)
    code, output = run(project, "diff", capsys=capsys)
    assert code == 1
    assert "cannot make required response property 'createdAt' optional" in output
    assert output.splitlines()[-1] == versions.DIFF_LAST_LINES[Level.MAJOR]


REFUSALS = {
    "any change without a bump": (
        OPTIONAL_NICKNAME_IN_UPDATE,
        None,
        "differs from release 2.0.0, and info.version is still 2.0.0: bump it",
    ),
    "a breaking change with a minor bump": (
        PRODUCT_CREATED_AT_OPTIONAL,
        "2.1.0",
        "so 2.1.0 must be at least 3.0.0",
    ),
    "a version older than the last release": (
        OPTIONAL_NICKNAME_IN_UPDATE,
        "1.9.0",
        "info.version 1.9.0 is older than the last release, 2.0.0",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_check_refuses(project: Path, capsys: pytest.CaptureFixture[str], case: str) -> None:
    """Each of these fails make versions (a CHANGELOG entry for the new version is there)."""
    edit, version, message = REFUSALS[case]
    change_spec(project, edit, version=version)
    if version is not None:
        add_changelog_entry(project, version)
    code, output = run(project, "check", capsys=capsys)
    assert code == 1
    assert message in output


def test_check_wants_at_least_a_minor_bump_for_an_addition(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """make versions takes make diff's verdict (a major bump: REFUSALS above)."""
    change_spec(project, RESPONSE_HEADER_ADDED, version="2.0.1")
    add_changelog_entry(project, "2.0.1")
    code, output = run(project, "check", capsys=capsys)
    assert code == 1
    assert "has an addition since release 2.0.0 (above), so 2.0.1 must be at least 2.1.0" in output


def test_check_lets_a_patch_pass_with_a_patch_bump(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    change_spec(project, DESCRIPTION_CHANGED, version="2.0.1")
    add_changelog_entry(project, "2.0.1")
    assert run(project, "check", capsys=capsys) == (
        0,
        "openapi.yaml is 2.0.1, unreleased: no change a client uses since release 2.0.0\n",
    )


def tree_holding(spec: Node, folder: Path) -> str:
    """A git tree of the checkout's repository holding `spec` as openapi.yaml: a BASE for
    make diff. Only objects are added (no ref, no working file), so nothing else changes."""
    path = folder / "openapi.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    blob = git(CHECKOUT, "hash-object", "-w", str(path)).strip()
    return run_tool(
        ["git", "mktree"], CHECKOUT, GIT_SECONDS, stdin=f"100644 blob {blob}\topenapi.yaml\n"
    ).stdout.strip()


def make_diff(base: str) -> subprocess.CompletedProcess[str]:
    """`make diff BASE=base` in the checkout, as a maintainer runs it."""
    # make diff's own time limits stop a hung tool; this one stops a hung make.
    return run_tool(["make", "--no-print-directory", "diff", f"BASE={base}"], CHECKOUT, 900)


def test_make_diff_passes_0_and_1_through(tmp_path: Path) -> None:
    """make exits 2 on any failing recipe: make diff must still exit 1 on a break."""
    working_tree = yaml.safe_load((CHECKOUT / "openapi.yaml").read_text(encoding="utf-8"))
    with_more = load_openapi()
    product = with_more["components"]["schemas"]["Product"]["properties"]
    product["legacyCode"] = {"type": "string", "description": "Gone from the working tree."}
    same, breaking = (make_diff(tree_holding(spec, tmp_path)) for spec in (working_tree, with_more))
    assert (same.returncode, same.stdout.splitlines()[-1]) == (
        0,
        versions.DIFF_LAST_LINES[Level.PATCH],
    )
    assert (breaking.returncode, breaking.stdout.splitlines()[-1]) == (
        1,
        versions.DIFF_LAST_LINES[Level.MAJOR],
    ), breaking.stdout + breaking.stderr
    assert "legacyCode" in breaking.stdout


def test_make_diff_exits_2_when_the_comparison_fails() -> None:
    completed = make_diff("no-such-ref")
    assert completed.returncode == 2
    assert completed.stdout.splitlines()[-1] == versions.COMPARISON_FAILED
    assert "git show no-such-ref:openapi.yaml" in completed.stderr


def test_a_bump_without_a_changelog_entry_fails(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    change_spec(project, PRODUCT_CREATED_AT_OPTIONAL, version="3.0.0")
    code, output = run(project, "check", capsys=capsys)
    assert code == 1
    assert "CHANGELOG.md has no entry for 3.0.0" in output


def test_a_breaking_change_passes_with_a_major_bump_and_an_entry(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    change_spec(project, PRODUCT_CREATED_AT_OPTIONAL, version="3.0.0")
    add_changelog_entry(project, "3.0.0")
    assert run(project, "check", capsys=capsys) == (
        0,
        "openapi.yaml is 3.0.0, unreleased: a breaking change since release 2.0.0\n",
    )


def test_an_optional_request_field_is_not_breaking(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    change_spec(project, OPTIONAL_NICKNAME_IN_UPDATE, version="2.1.0")
    add_changelog_entry(project, "2.1.0")
    code, output = run(project, "diff", capsys=capsys)
    assert code == 0
    assert "property /schema/properties/nickname: added" in output
    assert output.splitlines()[-1] == versions.DIFF_LAST_LINES[Level.MINOR]
    assert run(project, "check", capsys=capsys) == (
        0,
        "openapi.yaml is 2.1.0, unreleased: an addition since release 2.0.0\n",
    )


def test_diff_compares_with_any_git_ref(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    change_spec(project, OPTIONAL_NICKNAME_IN_UPDATE)
    change_spec(project, PRODUCT_CREATED_AT_OPTIONAL)
    code, output = run(project, "diff", "--base", "HEAD~1", capsys=capsys)
    assert code == 1
    assert "createdAt" in output
    assert "nickname" not in output


def test_release_refuses_an_uncommitted_spec(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    change_spec(project, OPTIONAL_NICKNAME_IN_UPDATE, version="2.1.0", commit=False)
    add_changelog_entry(project, "2.1.0")
    code, output = run(project, "release", capsys=capsys)
    assert code == 1
    assert "openapi.yaml has uncommitted changes: commit it, then release" in output


def test_a_release_missing_from_the_clone_is_named(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "releases.yaml").write_text(f"2.0.0: {'0' * 40}\n")
    change_spec(project, OPTIONAL_NICKNAME_IN_UPDATE, version="2.1.0")
    add_changelog_entry(project, "2.1.0")
    code, output = run(project, "check", capsys=capsys)
    assert code == 2
    assert f"release 2.0.0's openapi.yaml (blob {'0' * 40}) is not in this clone" in output


def test_a_malformed_release_line_is_named(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with (project / "releases.yaml").open("a") as releases:
        releases.write("2.1.0 abc\n")
    code, output = run(project, "check", capsys=capsys)
    assert code == 2
    assert "releases.yaml:3: expected `<version>: <40-digit git blob id>`" in output


def test_a_comparison_tool_past_its_time_limit_fails_the_comparison(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hung tool is stopped: make diff exits 2 and says which tool, instead of waiting."""
    monkeypatch.setattr(versions, "compare", ASK_THE_JUDGE)
    monkeypatch.setattr(spec_tools.git, "SECONDS_PER_RUN", 0.01)
    monkeypatch.setattr(spec_tools.git, "SECONDS_PER_SPEC", 0)
    change_spec(project, OPTIONAL_NICKNAME_IN_UPDATE)
    code, output = run(project, "diff", capsys=capsys)
    assert code == 2
    assert "did not finish in 0.01 s and was stopped" in output
    assert versions.COMPARISON_FAILED in output
