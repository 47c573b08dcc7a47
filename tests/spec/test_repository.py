"""The tools work on the checkout around the working directory, not where the kit is installed."""

from __future__ import annotations

from pathlib import Path

import pytest

from spec_tools.git import git
from spec_tools.repository import NotACheckout, checkout


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A repository with one commit, and a folder inside it."""
    root = tmp_path / "clone"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "note.md").write_text("a note\n", encoding="utf-8")
    git(root, "init", "--quiet")
    git(root, "-c", "user.email=kit@example.com", "-c", "user.name=Kit", "add", ".")
    git(root, "-c", "user.email=kit@example.com", "-c", "user.name=Kit", "commit", "-qm", "one")
    return root


def test_the_checkout_is_the_working_directory_s(
    clone: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From a folder inside a clone, the clone's top; not the checkout the kit runs from."""
    monkeypatch.chdir(clone / "docs")
    assert clone.resolve() == checkout().resolve()


def test_a_worktree_is_its_own_checkout(clone: Path, tmp_path: Path) -> None:
    """A second worktree of the same repository (sharing a virtualenv, say) is found as itself."""
    second = tmp_path / "second"
    git(clone, "worktree", "add", "--quiet", "-b", "second", str(second))
    assert second.resolve() == checkout(second / "docs").resolve()


def test_outside_any_checkout_the_error_names_the_folder(tmp_path: Path) -> None:
    """No git work tree around the folder: an error that says where and what to do."""
    with pytest.raises(NotACheckout, match=f"{tmp_path}: not inside a checkout"):
        checkout(tmp_path)
