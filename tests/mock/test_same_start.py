"""Every test on the `octave_mock` fixture starts from the same state, whatever ran before it.

A throwaway project (pytester) holds tests that each use up or change a piece of the
mock's state (a rate-limit window, the fault draws, scripts, the journal, objects), each
three times; it runs forwards and backwards here, and on two pytest-xdist workers from the
wheels (tests/mock/test_installed_kit.py), and passes every way.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

HEADER = """
import json
import os
from pathlib import Path

import httpx
import pytest

PRODUCT = "/api/v2/product/get?oId=p_acme_api"
LIMITED = pytest.mark.octave_mock(faults="--rate-limit 2/h@getProduct")
DRAWN = pytest.mark.octave_mock(faults="--error-rate 0.5 --fault-seed 7")


def statuses(mock, count):
    with httpx.Client(base_url=mock.base_url, headers={"api_key": mock.key()}) as http:
        return [http.get(PRODUCT).status_code for _ in range(count)]
"""

# Each test alone passes on a fresh mock; after another that left its state behind, it fails.
CHECKS = {
    "uses_up_the_rate_limit": """
@LIMITED
def test_uses_up_the_rate_limit_{n}(octave_mock):
    assert statuses(octave_mock, 3) == [200, 200, 429]
""",
    "meets_the_drawn_faults": """
@DRAWN
def test_meets_the_drawn_faults_{n}(octave_mock):
    seen = statuses(octave_mock, 12)
    assert {{200, 500}} == set(seen)
    Path(os.environ["DRAWS"], "{n}.json").write_text(json.dumps(seen))
""",
    "leaves_a_script_queued": """
def test_leaves_a_script_queued_{n}(octave_mock):
    assert statuses(octave_mock, 1) == [200]
    octave_mock.fail_next("getProduct", status=500, times=5)
""",
    "reads_an_empty_journal": """
def test_reads_an_empty_journal_{n}(octave_mock):
    assert octave_mock.requests() == []
    statuses(octave_mock, 2)
""",
    "adds_its_own_product": """
def test_adds_its_own_product_{n}(octave_mock):
    octave_mock.add_product({{"oId": "p_mine", "name": "Mine", "data": {{"type": "PRODUCT"}}}})
""",
    "renames_a_reference": """
def test_renames_a_reference_{n}(octave_mock):
    with octave_mock.client() as octave:
        answer = octave.references.update("r_acme_dropbox", internal_name="{n}")
        assert answer.data.name == "Large filesharing service"
        octave.references.update("r_acme_dropbox", name="Renamed by {n}")
""",
}
COPIES = 3


def order_sensitive_tests(backwards: bool) -> str:
    tests = [check.format(n=n) for n in range(COPIES) for check in CHECKS.values()]
    return textwrap.dedent(HEADER) + "".join(reversed(tests) if backwards else tests)


def drawn(draws: Path) -> list[list[int]]:
    """The statuses each copy of the fault-drawing test saw, as it wrote them to `draws`."""
    return [json.loads(path.read_text()) for path in sorted(draws.iterdir())]


@pytest.mark.parametrize("order", ["forwards", "backwards"])
def test_every_test_starts_from_the_same_state(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, order: str
) -> None:
    """pytest in this process, on the plugin's entry point: the state is the mock's."""
    draws = pytester.mkdir("draws")
    monkeypatch.setenv("DRAWS", str(draws))
    pytester.makepyfile(test_app=order_sensitive_tests(order == "backwards"))
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=COPIES * len(CHECKS))
    seen = drawn(draws)
    assert COPIES == len(seen)
    assert [seen[0]] * COPIES == seen  # the same draws from the fault seed in every test
