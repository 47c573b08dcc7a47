"""Every Python block of the guides runs as pasted, from the wheels of `make dist`.

One fresh virtualenv outside the checkout holds the kit's and the client's wheels; each
guide gets a throwaway project there, and each block is a file of it. A block whose first
line names a file (`# catalog.py`, `# seed.yaml`) is that file of the project; a block with
tests is a test file, run by that virtualenv's pytest with the installed plugin; any other
is a script, run against a mock with OCTAVE_API_KEY and OCTAVE_BASE_URL set, as the guides
say to run them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from octave_mock.testing import RunningMock
from tests.installing import run, user_env
from tests.openapi_document import REPO_ROOT

GUIDES = ("testing-your-app.md", "client.md")
FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
NAMED = re.compile(r"# ([\w-]+\.(?:py|yaml))\n")
TEST = re.compile(r"^\s*(?:async )?def test_", re.MULTILINE)


@dataclass(frozen=True)
class Block:
    guide: str
    line: int  # where the block's code starts in the guide
    language: str
    code: str

    @property
    def file_name(self) -> str | None:
        """The project file the block is, when its first line names one."""
        named = NAMED.match(self.code)
        return named.group(1) if named else None

    @property
    def tests(self) -> int:
        return len(TEST.findall(self.code))

    @property
    def stem(self) -> str:
        return f"{Path(self.guide).stem.replace('-', '_')}_line{self.line}"


def guide_blocks(guide: str) -> list[Block]:
    text = (REPO_ROOT / "docs" / guide).read_text(encoding="utf-8")
    return [
        Block(guide, text.count("\n", 0, found.start(2)) + 1, found.group(1), found.group(2))
        for found in FENCE.finditer(text)
        if found.group(1) in ("python", "yaml")
    ]


def test_the_guides_have_blocks_of_each_kind() -> None:
    """The runner below finds files, tests and scripts, so a guide's blocks cannot slip by."""
    found = [guide_blocks(guide) for guide in GUIDES]
    testing, client = ([b for b in blocks if b.language == "python"] for blocks in found)
    assert {"catalog.py", "conftest.py"} <= {b.file_name for b in testing}
    assert sum(b.tests for b in testing) >= 10
    assert len([b for b in client if not b.tests]) >= 3


@pytest.mark.parametrize("guide", GUIDES)
def test_every_python_block_runs_as_pasted(
    guide: str, installed_kit: Path, tmp_path: Path, mock: RunningMock
) -> None:
    blocks = guide_blocks(guide)
    project = tmp_path / "project"
    project.mkdir()
    for block in blocks:
        if block.file_name is not None:
            (project / block.file_name).write_text(block.code, encoding="utf-8")
    code = [b for b in blocks if b.language == "python" and b.file_name is None]
    tests = [block for block in code if block.tests]
    for block in tests:
        (project / f"test_{block.stem}.py").write_text(block.code, encoding="utf-8")
    if tests:
        argv = ("-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error")
        completed = run(installed_kit / "python", *argv, cwd=project, env=user_env())
        expected = sum(block.tests for block in tests)
        assert completed.stdout.rstrip().splitlines()[-1].startswith(f"{expected} passed"), (
            completed.stdout
        )
    for block in [block for block in code if not block.tests]:
        script = project / f"{block.stem}.py"
        script.write_text(block.code, encoding="utf-8")
        mock.reset()
        env = user_env(OCTAVE_API_KEY=mock.key(), OCTAVE_BASE_URL=mock.base_url)
        run(installed_kit / "python", script, cwd=project, env=env)
