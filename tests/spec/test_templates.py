"""Each template we override differs from the pinned generator's exactly as recorded, and
holds only what varies with the spec: hand-written Python lives in client_lib/."""

from __future__ import annotations

import difflib
from pathlib import Path

import jinja2
import pytest

from tests.spec.upstream_templates import RECORDS, TEMPLATES, changes, overridden, record

# More plain lines in a row than this, in a template that makes Python, is code that does not
# vary with the spec: it belongs in client_lib/, where ruff, mypy and unit tests read it.
MAX_PLAIN_RUN = 40

ADVICE = (
    "the generator's template or ours moved: read the difference below; if it is meant, "
    "run `make template-changes` and commit tests/spec/template_changes/"
)


@pytest.mark.parametrize("name", overridden())
def test_override_changes_only_what_is_recorded(name: str) -> None:
    """A fresh diff against the installed generator's template equals the recorded one."""
    recorded = record(name).read_text(encoding="utf-8") if record(name).exists() else ""
    fresh = changes(name)
    moved = difflib.unified_diff(
        recorded.splitlines(), fresh.splitlines(), "recorded", "now", lineterm=""
    )
    assert recorded == fresh, "\n".join([ADVICE, *moved])


def test_every_record_belongs_to_an_override() -> None:
    """No record is left for a template we no longer override."""
    expected = sorted(f"{name}.diff" for name in overridden())
    assert expected == sorted(path.name for path in RECORDS.glob("*.diff"))


def plain_runs(source: str) -> list[tuple[int, int]]:
    """(first line, length) of each run of lines that no template tag touches.

    Jinja's own lexer finds the tags, so a comment or a block spread over lines counts as one.
    """
    lines = source.count("\n") + 1
    tagged = [False] * (lines + 2)
    # Only lexed, never rendered: nothing to escape.
    for line, kind, value in jinja2.Environment().lex(source):  # noqa: S701
        if kind != "data":
            for number in range(line, line + value.count("\n") + 1):
                tagged[number] = True
    runs: list[tuple[int, int]] = []
    for number in range(1, lines + 1):
        if tagged[number]:
            continue
        if runs and sum(runs[-1]) == number:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((number, 1))
    return runs


def python_templates() -> list[Path]:
    """Every template but the prose and metadata ones (README, pyproject): those make Python,
    directly (`*.py.jinja`) or as macros that Python templates import."""
    others = (".md.jinja", ".toml.jinja")
    return sorted(path for path in TEMPLATES.glob("*.jinja") if not path.name.endswith(others))


@pytest.mark.parametrize("template", python_templates(), ids=lambda path: path.name)
def test_python_templates_hold_no_long_run_of_plain_code(template: Path) -> None:
    """No run of more than MAX_PLAIN_RUN lines without a template tag."""
    long_runs = [
        f"{template.name}:{first}: {length} lines without a template tag"
        for first, length in plain_runs(template.read_text(encoding="utf-8"))
        if length > MAX_PLAIN_RUN
    ]
    assert not long_runs, "move that code into client_lib/:\n" + "\n".join(long_runs)


def test_the_run_check_sees_tags_spread_over_lines() -> None:
    """The check itself: plain lines count, a tag on a line or around it breaks the run."""
    source = "a\nb\n{# one\ncomment #}\nc\n{{ x }} d\n" + "e\n" * 41 + "{% if y %}{% endif %}\n"
    assert [(1, 2), (5, 1), (7, 41), (49, 1)] == plain_runs(source)
