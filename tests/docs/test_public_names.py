"""What is public is each package's `__all__`, and the guides and examples import only that.

The modules inside a package are the kit's own (docs/development.md, "What is public"): a
user who copies a guide's code never imports one of them.
"""

from __future__ import annotations

import ast
import importlib
import re

import pytest

from tests.openapi_document import REPO_ROOT

PACKAGES = ("octave_cli", "octave_mock", "octave_proxy", "octave_contract", "octave_kit")
FENCE = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def code_users_read() -> dict[str, str]:
    """Every Python block of the guides and the README, and every example, by where it is."""
    found: dict[str, str] = {}
    for guide in [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").glob("*.md"))]:
        text = guide.read_text(encoding="utf-8")
        for number, block in enumerate(FENCE.findall(text), 1):
            found[f"{guide.relative_to(REPO_ROOT)} block {number}"] = block
    for example in sorted((REPO_ROOT / "examples").rglob("*.py")):
        found[str(example.relative_to(REPO_ROOT))] = example.read_text(encoding="utf-8")
    return found


def kit_imports(code: str) -> list[tuple[str, tuple[str, ...]]]:
    """(module, names) of each import of a kit package; names empty for a plain import."""
    imports: list[tuple[str, tuple[str, ...]]] = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.ImportFrom) and node.module:
            imports.append((node.module, tuple(alias.name for alias in node.names)))
        elif isinstance(node, ast.Import):
            imports += [(alias.name, ()) for alias in node.names]
    return [(module, names) for module, names in imports if module.split(".")[0] in PACKAGES]


@pytest.mark.parametrize("package", PACKAGES)
def test_each_package_names_its_public_api_and_has_it(package: str) -> None:
    module = importlib.import_module(package)
    public = module.__all__
    assert sorted(public) == public
    assert [name for name in public if not hasattr(module, name)] == []


def test_the_guides_and_examples_import_only_public_names() -> None:
    code = code_users_read()
    assert any("from octave_mock import" in text for text in code.values())  # it reads them
    wrong = []
    for where, text in code.items():
        for module, names in kit_imports(text):
            public = importlib.import_module(module.split(".")[0]).__all__
            if module not in PACKAGES or not set(names) <= set(public):
                wrong.append(f"{where}: {module} {names}")
    assert wrong == []
