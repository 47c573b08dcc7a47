"""The last step of `make generate`: the SDK's hand-written modules go into the generated
package, and every generated file starts with the line saying that it is generated.

openapi-python-client renders a fixed list of files from templates, so a module of our own
(retries, options, answers, errors, logging) cannot come from a template of its own; and a
Jinja `{% include %}` of a .py file would inline it into another module and parse it as a
template. So the modules are plain Python in client_lib/, linted, type-checked and tested where
they lie, and copied here into the package as `_lib`, unchanged below their header.

`python -m spec_tools.finish_client OUTPUT` (OUTPUT: the generator's --output-path).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import yaml

from spec_tools.repository import checkout

USAGE = "usage: python -m spec_tools.finish_client GENERATED_PROJECT_DIR"
HEADER = "Generated from openapi.yaml by `make generate`: do not edit."
# Where the hand-written modules are, and their place in the generated package.
HAND_WRITTEN = "client_lib"
COPIED_AS = "_lib"
# Made by installing, type-checking or importing the client, never by the generator.
MADE_BY_TOOLS = frozenset(
    {"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", "octave_client.egg-info"}
)
# A comment in each kind of file the generator writes, by suffix (or name, for dotfiles).
# py.typed is free text to type checkers (only a `partial` line means anything), so it takes
# one too. A new kind of file stops `make generate` until its syntax is written here.
COMMENT = {
    ".py": "# {}",
    ".toml": "# {}",
    ".typed": "# {}",
    ".gitignore": "# {}",
    ".md": "<!-- {} -->",
}


def header_lines(path: Path, text: str) -> list[str]:
    """The header of `path` in its syntax, and, for a copied module, where to edit it."""
    kind = path.suffix or path.name
    if kind not in COMMENT:
        raise SystemExit(
            f"make generate: {path}: no comment syntax is known for {kind!r} files; "
            "add one to COMMENT in spec_tools/finish_client.py"
        )
    lines = [COMMENT[kind].format(HEADER)]
    if text:
        lines.append(COMMENT[kind].format(text))
    return lines


def stamp(path: Path, source: str = "") -> None:
    """Put the header on the file's first line (once)."""
    content = path.read_text(encoding="utf-8")
    lines = header_lines(path, f"Copied from {source}: edit that file." if source else "")
    if not content.startswith(lines[0]):
        path.write_text("\n".join([*lines, content]), encoding="utf-8")


def generated_files(project: Path) -> list[Path]:
    """Every file under `project`, but those that tools make beside the generator's."""
    return sorted(
        path
        for path in project.rglob("*")
        if path.is_file() and not MADE_BY_TOOLS.intersection(path.relative_to(project).parts)
    )


def finish(project: Path, repository: Path) -> None:
    """Copy client_lib into the package as `_lib` and stamp every generated file."""
    config = yaml.safe_load((repository / "generator-config.yml").read_text(encoding="utf-8"))
    package = project / config["package_name_override"]
    copied = package / COPIED_AS
    shutil.rmtree(copied, ignore_errors=True)
    ignore = shutil.ignore_patterns(*MADE_BY_TOOLS)
    shutil.copytree(repository / HAND_WRITTEN, copied, ignore=ignore)
    for path in generated_files(project):
        if path.is_relative_to(copied):
            stamp(path, f"{HAND_WRITTEN}/{path.relative_to(copied).as_posix()}")
        else:
            stamp(path)


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        raise SystemExit(USAGE)
    finish(Path(argv[0]), checkout())


if __name__ == "__main__":
    main(sys.argv[1:])
