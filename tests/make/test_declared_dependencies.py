"""Every package the installed kit imports is one its wheel declares.

The suite's fresh virtualenvs borrow the checkout's pinned environment (tests/installing.py),
so a missing entry in pyproject's `dependencies` would pass there and fail in a team's
project: `octave-mock --help` ending in `ModuleNotFoundError`. This reads the imports of the
packages the kit's command and fixture run, and checks each against what `pip install` of the
wheel brings: the declared dependencies and theirs, extras included.
"""

from __future__ import annotations

import ast
import sys
import tomllib
from collections.abc import Iterator
from importlib.metadata import PackageNotFoundError, packages_distributions, requires

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.openapi_document import REPO_ROOT

SRC = REPO_ROOT / "src"
# The packages `octave-mock` and the pytest plugin import. octave_contract is left out: the
# contract run needs schemathesis, which docs/contract-tests.md asks a team to install.
RUNTIME_PACKAGES = ["octave_cli", "octave_kit", "octave_mock", "octave_proxy"]
# Present wherever the plugin is loaded, so never a dependency: pytest itself.
HOST_PROVIDED = {"pytest"}


def imported_at_runtime(tree: ast.AST) -> Iterator[str]:
    """The top-level names a module imports, leaving out `if TYPE_CHECKING:` blocks."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0]
        else:
            yield from imported_at_runtime(node)


def third_party_imports() -> dict[str, set[str]]:
    """Each third-party module imported at run time, with the kit's files that import it."""
    found: dict[str, set[str]] = {}
    for package in RUNTIME_PACKAGES:
        for path in sorted((SRC / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for name in imported_at_runtime(tree):
                if name not in sys.stdlib_module_names and not name.startswith("octave_"):
                    found.setdefault(name, set()).add(str(path.relative_to(REPO_ROOT)))
    return found


def installed_with(declared: list[str]) -> set[str]:
    """The distributions `pip install` brings for these requirements, transitively."""
    brought: set[str] = set()
    pending = [(Requirement(text), "") for text in declared]
    while pending:
        requirement, extra = pending.pop()
        if requirement.marker and not requirement.marker.evaluate({"extra": extra}):
            continue
        name = canonicalize_name(requirement.name)
        extras = requirement.extras or {""}
        if all(f"{name}[{wanted}]" in brought for wanted in extras):
            continue
        brought |= {name} | {f"{name}[{wanted}]" for wanted in extras}
        try:
            own = requires(name) or []
        except PackageNotFoundError:
            continue
        pending += [(Requirement(text), wanted) for text in own for wanted in extras]
    return {entry for entry in brought if "[" not in entry}


def test_every_runtime_import_is_a_declared_dependency() -> None:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    brought = installed_with(project["project"]["dependencies"]) | HOST_PROVIDED
    distributions = packages_distributions()
    missing = {
        module: sorted(files)
        for module, files in third_party_imports().items()
        if not {canonicalize_name(d) for d in distributions.get(module, [module])} & brought
    }
    assert missing == {}, "imported by the installed kit but not in pyproject's dependencies"


def test_the_check_sees_an_undeclared_import() -> None:
    """The check can fail: a module importing a package outside the declared set."""
    source = "import yaml\nif TYPE_CHECKING:\n    import starlette\ndef f():\n    import rich\n"
    tree = ast.parse(source)
    assert list(imported_at_runtime(tree)) == ["yaml", "rich"]
    assert "rich" not in installed_with(["pyyaml>=6"])
    assert "pyyaml" in installed_with(["pyyaml>=6"])
