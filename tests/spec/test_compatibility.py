"""spec_tools.compatibility: info.version replaced in place; what the judge needs no tool for."""

from __future__ import annotations

import pytest
import yaml

from spec_tools import compatibility
from spec_tools.compatibility import Change, with_version
from spec_tools.git import ToolError
from spec_tools.verdicts import Level
from tests.openapi_document import REPO_ROOT


@pytest.mark.parametrize(
    ("text", "replaced"),
    [
        (
            "openapi: 3.1.0\ninfo:\n  title: t  # version: 9\n  version: '2.0.0'  # kept\n",
            "openapi: 3.1.0\ninfo:\n  title: t  # version: 9\n  version: 3.1.4  # kept\n",
        ),
        (  # a version deeper down, or under another key, is not the spec's
            "x: {version: 1}\ninfo:\n  contact: {version: 1}\n  version: 2\n",
            "x: {version: 1}\ninfo:\n  contact: {version: 1}\n  version: 3.1.4\n",
        ),
        ('{info: {title: t, version: "2"}}', "{info: {title: t, version: 3.1.4}}"),
        ("? [a, b]\n: c\ninfo: {version: 2}\n", "? [a, b]\n: c\ninfo: {version: 3.1.4}\n"),
        ("tags: [version]\ninfo: {version: 2}", "tags: [version]\ninfo: {version: 3.1.4}"),
    ],
)
def test_only_info_version_changes(text: str, replaced: str) -> None:
    assert with_version(text, "3.1.4") == replaced


def test_the_contract_s_version_is_replaced_and_nothing_else() -> None:
    text = (REPO_ROOT / "openapi.yaml").read_text(encoding="utf-8")
    document = yaml.safe_load(text)
    replaced = with_version(text, "0.0.0")
    info = {**document["info"], "version": "0.0.0"}
    assert yaml.safe_load(replaced) == {**document, "info": info}
    assert len(replaced) - len(text) == len("0.0.0") - len(document["info"]["version"])


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("info:\n  - version: 1\n", "old.yaml has no info.version"),
        ("info: {title: t}\nversion: 1\n", "old.yaml has no info.version"),
        ("info: {version: [1]", "old.yaml is not YAML"),
    ],
)
def test_a_spec_without_one_is_named(text: str, said: str) -> None:
    with pytest.raises(ToolError, match=said):
        with_version(text, "1.0.0", "old.yaml")


def test_a_change_of_layout_alone_is_judged_without_starting_a_tool(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_tool(changes: object) -> object:
        raise AssertionError("a tool was started")

    monkeypatch.setattr(compatibility, "optic_verdicts", no_tool)
    monkeypatch.setattr(compatibility, "specmatic_verdicts", no_tool)
    text = (REPO_ROOT / "openapi.yaml").read_text(encoding="utf-8")
    relaid = yaml.safe_dump(yaml.safe_load(text), sort_keys=True, width=60)
    assert relaid != text
    [judgement] = compatibility.judge([Change("openapi.yaml", text, relaid)])
    assert (judgement.level, judgement.findings) == (Level.PATCH, ())
