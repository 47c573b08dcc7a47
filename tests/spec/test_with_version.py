"""with_version: the spec's info.version replaced, every other byte kept, read no further."""

from __future__ import annotations

import pytest
import yaml

from spec_tools.compatibility import with_version
from spec_tools.git import ToolError
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
