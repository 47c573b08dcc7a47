"""make diff / versions / release on a scratch copy of the contract, with its own git history,
and the judge of make diff on the corpus of spec changes (spec_changes.yaml)."""

from __future__ import annotations

import functools
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

import spec_tools.git
from spec_tools import versions
from spec_tools.compatibility import Change, Judgement, judge, with_version
from spec_tools.git import GIT_SECONDS, git, run_tool
from spec_tools.verdicts import Finding, Level
from tests.installing import once_per_run
from tests.openapi_document import REPO_ROOT as CHECKOUT
from tests.openapi_document import Node, load_openapi
from tests.spec.spec_changes import SpecChange, spec_changes

Edit = Callable[[Node], None]
JUDGEMENTS: dict[tuple[str, str], Judgement] = {}
ASK_THE_JUDGE = versions.compare
JUDGED = "judged.json"
# The corpus is judged in batches, each starting each tool once; each batch is a test of its
# own, so that the two pytest-xdist workers share the corpus.
CORPUS_BATCHES = 4


def judged_alike(base: str, head: str) -> tuple[str, str]:
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
    document = yaml.safe_load(text)
    edit(document)
    if version is not None:
        document["info"]["version"] = version
    return yaml.safe_dump(document, sort_keys=False)


def change_spec(root: Path, edit: Edit, *, version: str | None = None, commit: bool = True) -> None:
    spec = root / "openapi.yaml"
    spec.write_text(edited(spec.read_text(encoding="utf-8"), edit, version), encoding="utf-8")
    if commit:
        git(root, "commit", "--quiet", "--all", "--message", "scratch change")


def add_changelog_entry(root: Path, version: str) -> None:
    with (root / "CHANGELOG.md").open("a", encoding="utf-8") as changelog:
        changelog.write(f"\n## [{version}] - 2026-11-23\n\n- A change.\n")


def product_created_at_optional(document: Node) -> None:
    document["components"]["schemas"]["Product"]["required"].remove("createdAt")


def optional_nickname_in_update(document: Node) -> None:
    fields = document["components"]["schemas"]["UpdateReferenceRequest"]["properties"]
    fields["nickname"] = {"type": "string", "description": "A new, optional field."}


def release_spec() -> str:
    """The working tree's contract as release 2.0.0."""
    document = load_openapi()
    document["info"]["version"] = "2.0.0"
    return yaml.safe_dump(document, sort_keys=False)


def apply(case: SpecChange) -> Edit:
    """The edit of a corpus case, for change_spec."""
    return lambda document: document.update(yaml.safe_load(case.sides()[1]))


def corpus_case(name: str) -> SpecChange:
    return next(case for case in spec_changes() if case.name == name)


RESPONSE_HEADER_ADDED = apply(corpus_case("response header added"))
DESCRIPTION_CHANGED = apply(corpus_case("description changed"))
# The edits the tests below commit on the release before asking the judge, and the edits
# they then ask it about: judged in one batch before the first of them (a test asking about
# another pair still gets its verdict, from a run of its own).
ASKED: tuple[tuple[tuple[Edit, ...], tuple[Edit, ...]], ...] = (
    ((), (product_created_at_optional,)),
    ((), (optional_nickname_in_update,)),
    ((), (RESPONSE_HEADER_ADDED,)),
    ((), (DESCRIPTION_CHANGED,)),
    ((optional_nickname_in_update,), (product_created_at_optional,)),
)


@pytest.fixture(scope="session")
def judged_in_one_batch(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> None:
    """Each tool starts once for every pair the tests ask about, instead of once per pair,
    and once per run: the first worker to need it judges them, the others read its file."""
    folder = once_per_run(tmp_path_factory, worker_id, "asked-judgements", judge_the_asked)
    for base, head, findings, reports in json.loads((folder / JUDGED).read_text("utf-8")):
        found = tuple(Finding(judge, Level[level], message) for judge, level, message in findings)
        JUDGEMENTS[judged_alike(base, head)] = Judgement(found, reports)


def judge_the_asked(folder: Path) -> None:
    """Judge every pair of ASKED in one batch, into the file JUDGED of `folder`."""
    pairs = []
    for before, after in ASKED:
        base = functools.reduce(edited, before, release_spec())
        pairs.append((base, functools.reduce(edited, after, base)))
    changes = [Change(f"asked-{number}.yaml", *pair) for number, pair in enumerate(pairs)]
    judged = [
        [*pair, [[f.judge, f.level.name, f.message] for f in judgement.findings], judgement.reports]
        for pair, judgement in zip(pairs, judge(changes), strict=True)
    ]
    folder.mkdir(exist_ok=True)
    (folder / JUDGED).write_text(json.dumps(judged), encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path, capsys: pytest.CaptureFixture[str], judged_in_one_batch: None) -> Path:
    """The working tree's contract as release 2.0.0 of a new repository, recorded by `release`."""
    root = tmp_path / "contract"
    root.mkdir()
    (root / "openapi.yaml").write_text(release_spec(), encoding="utf-8")
    (root / "CHANGELOG.md").write_text("# Changelog\n\n## [2.0.0] - 2026-11-01\n\n- First.\n")
    (root / "releases.yaml").write_text("# <version>: <git blob id>\n")
    git(root, "init", "--quiet")
    git(root, "config", "user.email", "kit@example.com")
    git(root, "config", "user.name", "Kit")
    git(root, "add", ".")
    git(root, "commit", "--quiet", "--message", "2.0.0")
    assert run(root, "release", capsys=capsys)[0] == 0
    git(root, "commit", "--quiet", "--all", "--message", "Release 2.0.0")
    return root


@pytest.mark.parametrize("batch", range(CORPUS_BATCHES))
def test_make_diff_judges_every_change_of_the_corpus(batch: int) -> None:
    """Each batch in one run of each tool (Specmatic's JVM takes seconds)."""
    cases = spec_changes()[batch::CORPUS_BATCHES]
    judgements = judge([case.as_change() for case in cases])
    wrong = [
        f"{case.name}: judged {judgement.level}, is {case.verdict} ({case.why})\n"
        f"{versions.report(judgement)}"
        for case, judgement in zip(cases, judgements, strict=True)
        if judgement.level is not case.verdict
    ]
    assert not wrong, "\n\n".join(wrong)


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
    change_spec(project, product_created_at_optional)
    code, output = run(project, "diff", capsys=capsys)
    assert code == 1
    assert "cannot make required response property 'createdAt' optional" in output
    assert output.splitlines()[-1] == versions.DIFF_LAST_LINES[Level.MAJOR]


REFUSALS = {
    "any change without a bump": (
        optional_nickname_in_update,
        None,
        "differs from release 2.0.0, and info.version is still 2.0.0: bump it",
    ),
    "a breaking change with a minor bump": (
        product_created_at_optional,
        "2.1.0",
        "so 2.1.0 must be at least 3.0.0",
    ),
    "a version older than the last release": (
        optional_nickname_in_update,
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
    change_spec(project, product_created_at_optional, version="3.0.0")
    code, output = run(project, "check", capsys=capsys)
    assert code == 1
    assert "CHANGELOG.md has no entry for 3.0.0" in output


def test_a_breaking_change_passes_with_a_major_bump_and_an_entry(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    change_spec(project, product_created_at_optional, version="3.0.0")
    add_changelog_entry(project, "3.0.0")
    assert run(project, "check", capsys=capsys) == (
        0,
        "openapi.yaml is 3.0.0, unreleased: a breaking change since release 2.0.0\n",
    )


def test_an_optional_request_field_is_not_breaking(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    change_spec(project, optional_nickname_in_update, version="2.1.0")
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
    change_spec(project, optional_nickname_in_update)
    change_spec(project, product_created_at_optional)
    code, output = run(project, "diff", "--base", "HEAD~1", capsys=capsys)
    assert code == 1
    assert "createdAt" in output
    assert "nickname" not in output


def test_release_refuses_an_uncommitted_spec(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    change_spec(project, optional_nickname_in_update, version="2.1.0", commit=False)
    add_changelog_entry(project, "2.1.0")
    code, output = run(project, "release", capsys=capsys)
    assert code == 1
    assert "openapi.yaml has uncommitted changes: commit it, then release" in output


def test_a_release_missing_from_the_clone_is_named(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "releases.yaml").write_text(f"2.0.0: {'0' * 40}\n")
    change_spec(project, optional_nickname_in_update, version="2.1.0")
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
    change_spec(project, optional_nickname_in_update)
    code, output = run(project, "diff", capsys=capsys)
    assert code == 2
    assert "did not finish in 0.01 s and was stopped" in output
    assert versions.COMPARISON_FAILED in output
