"""@pactflow/openapi-pact-comparator, PactFlow's bi-directional check, on the kit's Pact file.

It finds catalog.pact.json compatible with openapi.yaml, and gives every case of
contract_changes.yaml the kit's verdict, but where the corpus says why it differs.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.openapi_document import REPO_ROOT, load_openapi
from tests.pact.conftest import CATALOG_PACT
from tests.pact.test_impact import CORPUS, contract_changes

COMPARING = Path(__file__).with_name("comparator.mjs")
CURRENT = "(openapi.yaml)"


@pytest.fixture(scope="module")
def comparator_results(node_tools: Path) -> dict[str, list[dict[str, Any]]]:
    """The comparator's results for the current contract and every case's, in one process."""
    contracts = {case.name: case.contract() for case in contract_changes()}
    contracts[CURRENT] = load_openapi()
    payload = {"pact": json.loads(CATALOG_PACT.read_text(encoding="utf-8")), "contracts": contracts}
    completed = subprocess.run(  # noqa: S603 - the pinned Node and our own script
        [str(node_tools / "node"), str(COMPARING)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=REPO_ROOT,
    )
    assert completed.returncode == 0, completed.stderr
    results: dict[str, list[dict[str, Any]]] = json.loads(completed.stdout)
    return results


def verdict(results: list[dict[str, Any]]) -> str:
    return "breaks" if any(result["type"] == "error" for result in results) else "compatible"


def test_the_comparator_finds_the_pact_file_compatible_with_the_contract(
    comparator_results: dict[str, list[dict[str, Any]]],
) -> None:
    assert [] == comparator_results[CURRENT]


def test_the_comparator_agrees_with_the_kit_but_where_the_corpus_says_why(
    comparator_results: dict[str, list[dict[str, Any]]],
) -> None:
    cases = yaml_cases()
    found = {name: verdict(comparator_results[name]) for name in cases}
    expected = {name: case.get("comparator", case["verdict"]) for name, case in cases.items()}
    assert expected == found
    unexplained = [
        name for name, case in cases.items() if ("comparator" in case) != ("differs" in case)
    ]
    assert [] == unexplained, f"{CORPUS}: a differing verdict needs `differs`, and only it"


def yaml_cases() -> dict[str, dict[str, Any]]:
    return {case["name"]: case for case in yaml.safe_load(CORPUS.read_text(encoding="utf-8"))}


def test_the_corpus_cases_are_the_ones_the_kit_judges() -> None:
    assert [case.name for case in contract_changes()] == list(yaml_cases())
