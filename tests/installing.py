"""Installing what `make dist` builds into a fresh virtualenv, outside the checkout, offline."""

from __future__ import annotations

import subprocess
import sysconfig
import venv
from pathlib import Path

from tests.openapi_document import REPO_ROOT


def run(
    *argv: str | Path, cwd: Path = REPO_ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a command to completion; a failure raises with its output."""
    completed = subprocess.run(  # noqa: S603 - fixed argv, no shell
        [str(arg) for arg in argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if completed.returncode != 0:
        raise AssertionError(
            f"{argv} exited {completed.returncode}:\n{completed.stdout}\n{completed.stderr}"
        )
    return completed


def build_dist(out: Path) -> Path:
    """`make dist` into `out`: the client's and the kit's wheels and sdists."""
    run("make", "--no-print-directory", "dist", f"DIST={out}")
    return out


def fresh_venv(where: Path, *wheels: Path) -> Path:
    """A new virtualenv with the wheels installed; its bin folder.

    Offline: pip installs the wheels alone, and their dependencies are read from
    the kit's own pinned environment through a .pth file (pip cannot reach an
    index in the tests). The kit's own code is not on that path: it is
    installed editable, through a finder that a .pth path line does not load.
    """
    venv.create(where, with_pip=True)
    python = where / "bin" / "python"
    run(python, "-m", "pip", "install", "--quiet", "--no-index", "--no-deps", *wheels)
    site = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout
    kit_site = sysconfig.get_paths()["purelib"]
    (Path(site.strip()) / "kit_dependencies.pth").write_text(kit_site + "\n", encoding="utf-8")
    return where / "bin"
