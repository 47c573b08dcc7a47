"""What each template in templates/ changes in the pinned generator's own.

`python -m tests.spec.upstream_templates` (make template-changes) rewrites the records in
tests/spec/template_changes/: one unified diff per overridden template. The test compares them
with a fresh diff, so a generator upgrade that moves a template shows here, line by line.
"""

from __future__ import annotations

import difflib
from importlib.util import find_spec
from pathlib import Path

from tests.openapi_document import REPO_ROOT

TEMPLATES = REPO_ROOT / "templates"
GENERATOR = find_spec("openapi_python_client")  # found, not imported (half a second)
assert GENERATOR, "openapi-python-client is not installed"
UPSTREAM = Path(str(GENERATOR.origin)).parent / "templates"
RECORDS = Path(__file__).parent / "template_changes"


def overridden() -> list[str]:
    """Our templates that replace one of the generator's (the others are new files)."""
    ours = TEMPLATES.glob("*.jinja")
    return sorted(path.name for path in ours if (UPSTREAM / path.name).exists())


def changes(name: str) -> str:
    """Our template as a unified diff against the installed generator's."""
    upstream = (UPSTREAM / name).read_text(encoding="utf-8").splitlines(keepends=True)
    ours = (TEMPLATES / name).read_text(encoding="utf-8").splitlines(keepends=True)
    return "".join(difflib.unified_diff(upstream, ours, f"upstream/{name}", f"templates/{name}"))


def record(name: str) -> Path:
    return RECORDS / f"{name}.diff"


def main() -> None:
    for stale in RECORDS.glob("*.diff"):
        stale.unlink()
    for name in overridden():
        record(name).write_text(changes(name), encoding="utf-8")
        print(f"wrote {record(name).relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
