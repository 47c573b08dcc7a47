"""What `make bench` holds the mock to, and the load above which no benchmark figure is
written: the instrument's own rules, checked without running it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.lib import report, servers
from bench.throughput import WORKERS, targets


def test_make_bench_measures_every_target_of_the_mock_in_the_same_rounds() -> None:
    mocks = [
        servers.mock(),
        servers.mock(journal=False),
        servers.mock_workers(WORKERS, Path("mock.db")),
        servers.mock_workers(WORKERS, Path("mock.db"), journal=False),
    ]
    found = {operation: set(targets(operation, mocks)) for operation in report.TARGET_VS_BARE}
    journal = {
        ("mock", "mock (journal off)", 0.9),
        ("mock (2 workers)", "mock (2 workers, journal off)", 0.9),
    }
    versus_prism = {("mock", "prism", 3.0), ("mock", "prism (info log)", 3.0)}
    assert {
        "getProduct": versus_prism
        | journal
        | {("mock", "bare", 0.7), ("mock (2 workers)", "mock", 1.4)},
        "updateReference": versus_prism | journal | {("mock", "bare", 0.6)},
    } == found
    # Each pair differs by the journal alone (given one database file).
    for on, off in (mocks[:2], mocks[2:]):
        assert on.command(1) == [
            part for part in off.command(1) if part not in ("--journal-size", "0")
        ]


@pytest.mark.parametrize(
    ("highest", "noisy"), [(0.5, False), (2 * 2 * 1.0, False), (2 * 2 * 1.0 + 0.01, True)]
)
def test_figures_taken_above_twice_the_cores_are_not_written(highest: float, noisy: bool) -> None:
    load = report.MachineLoad()
    load.cores = 2
    load.samples = [0.4, highest, 0.3]
    assert noisy == load.noisy
    refusal = load.refusal()
    assert noisy == (refusal is not None)
    described = load.describe()
    assert "0.40 at the start" in described
    assert f"{highest:.2f} at most" in described
    if refusal:
        assert f"reached {highest:.2f}, above 4 (2x the 2 cores)" in refusal
