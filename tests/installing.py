"""Installing what `make dist` builds into a fresh virtualenv, outside the checkout, offline."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import sysconfig
import venv
from collections.abc import Callable
from pathlib import Path

import pytest

from octave_kit.seed_cache import CACHE_DIR_ENV
from tests.openapi_document import REPO_ROOT

# The pinned uv that make setup installs beside the kit's Python; without it, pip.
UV = Path(sys.executable).with_name("uv")


def run(
    *argv: str | Path, cwd: Path = REPO_ROOT, env: dict[str, str] | None = None, expect: int = 0
) -> subprocess.CompletedProcess[str]:
    """Run a command to completion; an exit status other than `expect` raises with its output."""
    completed = subprocess.run(  # noqa: S603 - fixed argv, no shell
        [str(arg) for arg in argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if completed.returncode != expect:
        raise AssertionError(
            f"{argv} exited {completed.returncode}:\n{completed.stdout}\n{completed.stderr}"
        )
    return completed


def user_env(**more: str) -> dict[str, str]:
    """A user's shell for what runs from a fresh virtualenv: PATH and nothing of the kit's,
    but the suite's own seed cache (the tests' session sets it) rather than the user's."""
    return {"PATH": os.environ["PATH"], CACHE_DIR_ENV: os.environ[CACHE_DIR_ENV], **more}


def build_dist(out: Path) -> Path:
    """`make dist` into `out`: the client's and the kit's wheels and sdists."""
    run("make", "--no-print-directory", "dist", f"DIST={out}")
    return out


def suite_dist(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """`make dist` once per test run, shared by every pytest-xdist worker."""
    return once_per_run(tmp_path_factory, worker_id, "dist", build_dist)


def once_per_run(
    tmp_path_factory: pytest.TempPathFactory,
    worker_id: str,
    name: str,
    make: Callable[[Path], object],
) -> Path:
    """The folder `name`, filled by `make` once per test run and shared by every pytest-xdist
    worker.

    The workers' temporary folders sit side by side in one folder of this run; the first
    worker to take the lock there makes it, the others wait for it and find the result.
    """
    if worker_id == "master":  # no xdist: this process is the whole run
        folder = tmp_path_factory.mktemp(name)
        make(folder)
        return folder
    shared = tmp_path_factory.getbasetemp().parent
    folder = shared / name
    with (shared / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (shared / f"{name}.done").exists():
            make(folder)
            (shared / f"{name}.done").touch()
    return folder


def made_this_run(tmp_path_factory: pytest.TempPathFactory, worker_id: str, name: str) -> bool:
    """Whether a worker has made once_per_run's folder `name` by now (never without xdist)."""
    shared = tmp_path_factory.getbasetemp().parent
    return worker_id != "master" and (shared / f"{name}.done").exists()


def being_made(tmp_path_factory: pytest.TempPathFactory, worker_id: str, name: str) -> bool:
    """Whether a worker is making once_per_run's folder `name` now (never without xdist)."""
    if worker_id == "master":
        return False
    shared = tmp_path_factory.getbasetemp().parent
    with (shared / f"{name}.lock").open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
    return False


def fresh_venv(where: Path, *wheels: Path) -> Path:
    """A new virtualenv with the wheels installed; its bin folder.

    Offline: uv (or pip) installs the wheels alone, and their dependencies are read
    from the kit's own pinned environment through a .pth file (the tests reach no
    index). The kit's own code is not on that path: it is installed editable, through
    a finder that a .pth path line does not load.
    """
    python = where / "bin" / "python"
    if UV.exists():
        run(UV, "venv", "--quiet", "--python", sys.executable, where)
        run(UV, "pip", "install", "--quiet", "--offline", "--python", python, "--no-deps", *wheels)
    else:
        venv.create(where, with_pip=True)
        run(python, "-m", "pip", "install", "--quiet", "--no-index", "--no-deps", *wheels)
    site = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout
    kit_site = sysconfig.get_paths()["purelib"]
    (Path(site.strip()) / "kit_dependencies.pth").write_text(kit_site + "\n", encoding="utf-8")
    return where / "bin"
