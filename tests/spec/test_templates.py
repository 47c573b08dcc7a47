"""Each template we override differs from the pinned generator's exactly as recorded."""

from __future__ import annotations

import difflib

import pytest

from tests.spec.upstream_templates import RECORDS, changes, overridden, record

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
