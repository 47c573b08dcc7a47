"""The corpus's tool verdicts are read back only for exactly the inputs that made them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from spec_tools.compatibility import OPTIC, Change
from tests.openapi_document import REPO_ROOT
from tests.spec import kept_verdicts
from tests.spec.kept_verdicts import READERS, Verdicts, kept_or_judged

PAIRS = [Change("a.yaml", "base a", "head a"), Change("b.yaml", "base b", "head b")]


class Judge:
    """A tool's run, counted: each run's verdicts differ, so a kept answer shows."""

    def __init__(self) -> None:
        self.runs = 0

    def __call__(self) -> Verdicts:
        self.runs += 1
        return {"a.yaml": {"breaks": [f"run {self.runs}"]}}


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of what the key reads (the tools' lock and the kit's readers), to change."""
    root = tmp_path / "checkout"
    (root / "spec_tools").mkdir(parents=True)
    for name in READERS:
        shutil.copy(REPO_ROOT / "spec_tools" / name, root / "spec_tools")
    shutil.copy(REPO_ROOT / "package-lock.json", root)
    monkeypatch.setattr(kept_verdicts, "REPO_ROOT", root)
    monkeypatch.setattr(kept_verdicts, "KEPT", root / "build" / "corpus-verdicts")
    return root


def test_the_same_inputs_read_the_kept_verdicts_and_start_no_tool(checkout: Path) -> None:
    judge = Judge()
    first = kept_or_judged(OPTIC, "half-0", PAIRS, judge)
    assert kept_or_judged(OPTIC, "half-0", PAIRS, judge) == first
    assert judge.runs == 1


@pytest.mark.parametrize(
    "change",
    [
        "a pair's head",
        "a pair's base",
        "a pair's name",
        "a pair more",
        "the tool's pin",
        *(f"spec_tools/{name}" for name in READERS),
    ],
)
def test_any_changed_input_runs_the_tool_again(checkout: Path, change: str) -> None:
    judge = Judge()
    kept_or_judged(OPTIC, "half-0", PAIRS, judge)
    pairs = list(PAIRS)
    if change == "a pair's head":
        pairs[0] = Change("a.yaml", "base a", "head a, edited")
    elif change == "a pair's base":
        pairs[0] = Change("a.yaml", "base a, edited", "head a")
    elif change == "a pair's name":
        pairs[0] = Change("c.yaml", "base a", "head a")
    elif change == "a pair more":
        pairs.append(Change("c.yaml", "base c", "head c"))
    else:
        edited = checkout / ("package-lock.json" if change == "the tool's pin" else change)
        edited.write_bytes(edited.read_bytes() + b"\n")
    assert kept_or_judged(OPTIC, "half-0", pairs, judge) == {"a.yaml": {"breaks": ["run 2"]}}
    assert judge.runs == 2


def test_a_part_keeps_only_its_latest_verdicts(checkout: Path) -> None:
    kept_or_judged(OPTIC, "half-0", PAIRS, Judge())
    kept_or_judged(OPTIC, "half-1", PAIRS, Judge())
    kept_or_judged(OPTIC, "half-0", PAIRS[:1], Judge())
    kept = sorted(path.name.rsplit("-", 1)[0] for path in kept_verdicts.KEPT.iterdir())
    assert kept == ["Optic-half-0", "Optic-half-1"]
