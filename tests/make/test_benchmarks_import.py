"""The benchmarks are drivers over bench.lib: importing any of them runs nothing (no benchmark,
no server, no tool, no look for the checkout), so a benchmark does its work only when run."""

from __future__ import annotations

import pkgutil
import shutil
import sys
from pathlib import Path

import bench
from tests.installing import run
from tests.openapi_document import REPO_ROOT


def test_every_benchmark_module_imports_outside_a_checkout_with_no_tools(tmp_path: Path) -> None:
    every = pkgutil.walk_packages(bench.__path__, "bench.")
    modules = sorted(info.name for info in every if info.name != "bench.__main__")  # it runs
    assert {"bench.throughput", "bench.lib.common", "bench.lib.report"} <= set(modules)
    tools = tmp_path / "bin"
    tools.mkdir()
    git = shutil.which("git")
    assert git
    # git alone, for the test corpus that bench.spec_diff reads (tests/openapi_document.py
    # finds its checkout from its own file); no node or wrk. The working directory is no
    # checkout, so a benchmark looking for its checkout on import fails.
    (tools / "git").symlink_to(git)
    env = {"PATH": str(tools), "PYTHONPATH": str(REPO_ROOT), "HOME": str(tmp_path)}
    program = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)"
    run(sys.executable, "-c", program, *modules, cwd=tmp_path, env=env)
