"""make diff / versions / release on a scratch copy of the contract, with its own git history."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from spec_tools import versions
from spec_tools.versions import Comparison, Version, git, with_version
from tests.openapi_document import Node, load_openapi

Edit = Callable[[Node], None]
# The tests of this file run in one pytest-xdist worker, so that they share Optic's runs.
pytestmark = pytest.mark.xdist_group("optic")
OPTIC_VERDICTS: dict[tuple[str, str, str], Comparison] = {}
ASK_OPTIC = versions.compare


ANY_VERSION = Version(0, 0, 0)


def compare_once(base: str, base_name: str, head_text: str, head_version: Version) -> Comparison:
    """Optic's verdict, asked once per pair of specs: compare gives both the same version,
    so the verdict and its report come from the rest of their content, and the tests that
    bump info.version differently share one Optic run (~2 s)."""
    key = (base_name, with_version(base, ANY_VERSION), with_version(head_text, ANY_VERSION))
    if key not in OPTIC_VERDICTS:
        OPTIC_VERDICTS[key] = ASK_OPTIC(base, base_name, head_text, head_version)
    return OPTIC_VERDICTS[key]


@pytest.fixture(autouse=True)
def _shared_optic_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(versions, "compare", compare_once)


def run(root: Path, *command: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """One `python -m spec_tools.versions` command on `root`: its exit code and its output."""
    code = versions.main(["--root", str(root), *command])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def change_spec(root: Path, edit: Edit, *, version: str | None = None, commit: bool = True) -> None:
    document = yaml.safe_load((root / "openapi.yaml").read_text(encoding="utf-8"))
    edit(document)
    if version is not None:
        document["info"]["version"] = version
    (root / "openapi.yaml").write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
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


@pytest.fixture
def project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The working tree's contract as release 2.0.0 of a new repository, recorded by `release`."""
    root = tmp_path / "contract"
    root.mkdir()
    document = load_openapi()
    document["info"]["version"] = "2.0.0"
    (root / "openapi.yaml").write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
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
    assert output.rstrip().endswith("breaking: a client of the kit can break")


REFUSALS = {
    "any change without a bump": (
        optional_nickname_in_update,
        None,
        "differs from release 2.0.0, and info.version is still 2.0.0: bump it",
    ),
    "a breaking change with a minor bump": (
        product_created_at_optional,
        "2.1.0",
        "so 2.1.0 must be a major version: 3.0.0",
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
        "openapi.yaml is 3.0.0, unreleased: breaking since release 2.0.0\n",
    )


def test_an_optional_request_field_is_not_breaking(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    change_spec(project, optional_nickname_in_update, version="2.1.0")
    add_changelog_entry(project, "2.1.0")
    code, output = run(project, "diff", capsys=capsys)
    assert code == 0
    assert "property /schema/properties/nickname: added" in output
    assert output.rstrip().endswith("no break")
    assert run(project, "check", capsys=capsys) == (
        0,
        "openapi.yaml is 2.1.0, unreleased: compatible since release 2.0.0\n",
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
